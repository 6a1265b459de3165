// shefu-server user add|list|disable, device enrol|list|revoke, audit verify.
#include <cstdlib>
#include <iostream>

#include "server/audit_trail.h"
#include "server/cli_util.h"
#include "server/commands.h"
#include "server/qr_terminal.h"
#include "server/server_app.h"
#include "server/tls_pin.h"
#include "shared/civil_time.h"

namespace shefu::server {
namespace {

Status UsersUsage(const Text& t) {
  return Status::Error("usage", t);
}

Result<std::unique_ptr<ServerApp>> OpenApp(Args& a) {
  auto data = a.Value("data");
  if (!data) return UsersUsage({"缺少 --data 目录", "missing --data DIR"});
  return ServerApp::Open(*data, SystemClock::Instance(), SystemRng::Instance());
}

// Escapes a value for the enrolment URI.
std::string UriEscape(const std::string& s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace

int CmdUser(Args& a, std::ostream& out, std::ostream& err) {
  std::string sub = a.Positional(0);
  if (a.help() || sub.empty()) {
    out << Tr(
        {"用法：\n"
         "  shefu-server user add --data 目录 --login 登录名 --name 姓名 --role 角色\n"
         "      [--place 地区代码] [--org 社会组织ID]   （密码取自 SHEFU_USER_PASSWORD "
         "或终端输入）\n"
         "  shefu-server user list --data 目录 [--json]\n"
         "  shefu-server user disable --data 目录 登录名\n"
         "角色：city_admin district_admin town_staff community_worker social_org evaluator "
         "expert kiosk\n",
         "usage:\n"
         "  shefu-server user add --data DIR --login LOGIN --name NAME --role ROLE\n"
         "      [--place CODE] [--org ORG_ID]   (password from SHEFU_USER_PASSWORD or typed)\n"
         "  shefu-server user list --data DIR [--json]\n"
         "  shefu-server user disable --data DIR LOGIN\n"
         "roles: city_admin district_admin town_staff community_worker social_org evaluator "
         "expert kiosk\n"});
    return sub.empty() && !a.help() ? 2 : 0;
  }
  if (sub == "add") {
    NewUser nu;
    nu.login = a.ValueOr("login", "");
    nu.display_name = a.ValueOr("name", "");
    std::string role = a.ValueOr("role", "");
    nu.place = a.ValueOr("place", "");
    nu.org = a.ValueOr("org", "");
    auto app = OpenApp(a);
    if (auto st = a.Finish(); !st.ok()) return PrintError(err, st);
    if (!app.ok()) return PrintError(err, app.status());
    auto r = ParseRole(role);
    if (!r) {
      return PrintError(err, UsersUsage({"角色无效：" + role + "（用 --help 查看可选角色）",
                                         "invalid role: " + role + " (see --help)"}));
    }
    nu.role = *r;
    if (const char* env = std::getenv("SHEFU_USER_PASSWORD"); env && *env) {
      nu.password = env;
    } else if (auto p = ReadSecretFromTty(Tr({"设置密码：", "password: "}))) {
      nu.password = *p;
    } else {
      return PrintError(
          err, Status::Error("no_password", "请设置 SHEFU_USER_PASSWORD 或在终端中输入密码",
                             "set SHEFU_USER_PASSWORD or type the password on a terminal"));
    }
    auto u = (*app)->accounts().AddUser(nu);
    if (!u.ok()) return PrintError(err, u.status());
    out << Tr({"已添加用户 " + u->login + "（" + RoleName(u->role).zh + "）\n",
               "Added user " + u->login + " (" + RoleName(u->role).en + ")\n"});
    return 0;
  }
  if (sub == "list") {
    bool json = a.Flag("json");
    auto app = OpenApp(a);
    if (auto st = a.Finish(); !st.ok()) return PrintError(err, st);
    if (!app.ok()) return PrintError(err, app.status());
    auto users = (*app)->accounts().ListUsers();
    if (!users.ok()) return PrintError(err, users.status());
    Json arr = Json::array();
    for (const auto& u : *users) {
      std::string place = !u.scope.community.empty() ? u.scope.community
                          : !u.scope.town.empty()    ? u.scope.town
                                                     : u.scope.district;
      if (json) {
        arr.push_back({{"login", u.login},
                       {"name", u.display_name},
                       {"role", RoleCode(u.role)},
                       {"place", place},
                       {"org", u.scope.org},
                       {"disabled", u.disabled}});
      } else {
        out << u.login << "\t" << u.display_name << "\t" << Tr(RoleName(u.role)) << "\t" << place
            << (u.disabled ? Tr({"\t（已停用）", "\t(disabled)"}) : "") << "\n";
      }
    }
    if (json) out << DumpJson(arr) << "\n";
    return 0;
  }
  if (sub == "disable") {
    auto app = OpenApp(a);
    if (auto st = a.Finish(); !st.ok()) return PrintError(err, st);
    if (!app.ok()) return PrintError(err, app.status());
    std::string login = a.Positional(1);
    if (login.empty()) return PrintError(err, UsersUsage({"缺少登录名", "missing LOGIN"}));
    if (auto st = (*app)->accounts().DisableUser(login); !st.ok()) return PrintError(err, st);
    out << Tr({"已停用用户 " + login + "\n", "Disabled user " + login + "\n"});
    return 0;
  }
  return PrintError(err,
                    UsersUsage({"未知子命令：user " + sub, "unknown subcommand: user " + sub}));
}

int CmdDevice(Args& a, std::ostream& out, std::ostream& err) {
  std::string sub = a.Positional(0);
  if (a.help() || sub.empty()) {
    out << Tr(
        {"用法：\n"
         "  shefu-server device enrol --data 目录 --user 登录名 --label 设备名\n"
         "      [--url 服务器地址] [--tls-cert 证书文件] [--no-qr]\n"
         "      打印一次性注册码（15分钟内有效）和终端二维码\n"
         "  shefu-server device list --data 目录 [--json]\n"
         "  shefu-server device revoke --data 目录 设备ID\n",
         "usage:\n"
         "  shefu-server device enrol --data DIR --user LOGIN --label NAME\n"
         "      [--url SERVER_URL] [--tls-cert CERT] [--no-qr]\n"
         "      prints a one-time enrolment code (valid 15 minutes) and a QR code\n"
         "  shefu-server device list --data DIR [--json]\n"
         "  shefu-server device revoke --data DIR CLIENT_ID\n"});
    return sub.empty() && !a.help() ? 2 : 0;
  }
  if (sub == "enrol") {
    std::string user = a.ValueOr("user", "");
    std::string label = a.ValueOr("label", "");
    std::string url = a.ValueOr("url", "http://127.0.0.1:8080");
    auto cert = a.Value("tls-cert");
    bool no_qr = a.Flag("no-qr");
    auto app = OpenApp(a);
    if (auto st = a.Finish(); !st.ok()) return PrintError(err, st);
    if (!app.ok()) return PrintError(err, app.status());
    if (user.empty() || label.empty()) {
      return PrintError(err,
                        UsersUsage({"需要 --user 和 --label", "--user and --label are required"}));
    }
    std::string pin;
    if (cert) {
      auto p = PublicKeyPinOfCertFile(*cert);
      if (!p.ok()) return PrintError(err, p.status());
      pin = *p;
    }
    auto code = (*app)->accounts().IssueEnrolCode(user, label);
    if (!code.ok()) return PrintError(err, code.status());
    std::string uri = "shefu-enrol:?url=" + UriEscape(url) + "&code=" + code->code;
    if (!pin.empty()) uri += "&pin=" + UriEscape(pin);
    out << Tr({"注册码：", "enrolment code: "}) << code->code << "\n"
        << Tr({"有效期至：", "valid until: "}) << FormatLocalMinute(code->expires_ms)
        << Tr({"（北京时间，仅可使用一次）\n", " (Beijing time, single use)\n"})
        << Tr({"在设备上运行：", "on the device run: "}) << "shefu enrol " << url << " "
        << code->code << (pin.empty() ? "" : " --pin " + pin) << "\n";
    if (!no_qr) {
      auto qr = RenderQrForTerminal(uri);
      if (qr.ok()) out << *qr;
    }
    out << uri << "\n";
    return 0;
  }
  if (sub == "list") {
    bool json = a.Flag("json");
    auto app = OpenApp(a);
    if (auto st = a.Finish(); !st.ok()) return PrintError(err, st);
    if (!app.ok()) return PrintError(err, app.status());
    auto devs = (*app)->accounts().ListDevices();
    if (!devs.ok()) return PrintError(err, devs.status());
    Json arr = Json::array();
    for (const auto& d : *devs) {
      std::string state = d.revoked_ms ? "revoked" : "active";
      if (json) {
        arr.push_back({{"client_id", d.client_id},
                       {"label", d.label},
                       {"user", d.login},
                       {"enrolled", FormatUtcIso(d.created_ms)},
                       {"state", state}});
      } else {
        out << d.client_id << "\t" << d.label << "\t" << d.login << "\t"
            << FormatLocalMinute(d.created_ms) << "\t"
            << (d.revoked_ms ? Tr({"已注销", "revoked"}) : Tr({"有效", "active"})) << "\n";
      }
    }
    if (json) out << DumpJson(arr) << "\n";
    return 0;
  }
  if (sub == "revoke") {
    auto app = OpenApp(a);
    if (auto st = a.Finish(); !st.ok()) return PrintError(err, st);
    if (!app.ok()) return PrintError(err, app.status());
    std::string id = a.Positional(1);
    if (id.empty()) return PrintError(err, UsersUsage({"缺少设备ID", "missing CLIENT_ID"}));
    if (auto st = (*app)->accounts().RevokeDevice(id); !st.ok()) return PrintError(err, st);
    out << Tr({"已注销设备 " + id + "，它将无法再同步\n",
               "Revoked device " + id + "; it can no longer sync\n"});
    return 0;
  }
  return PrintError(err,
                    UsersUsage({"未知子命令：device " + sub, "unknown subcommand: device " + sub}));
}

int CmdAudit(Args& a, std::ostream& out, std::ostream& err) {
  std::string sub = a.Positional(0);
  if (a.help() || sub != "verify") {
    out << Tr({"用法：shefu-server audit verify --data 目录\n",
               "usage: shefu-server audit verify --data DIR\n"});
    return a.help() ? 0 : 2;
  }
  auto app = OpenApp(a);
  if (auto st = a.Finish(); !st.ok()) return PrintError(err, st);
  if (!app.ok()) return PrintError(err, app.status());
  auto db = (*app)->store().Reader();
  if (!db.ok()) return PrintError(err, db.status());
  auto rep = VerifyAudit(**db);
  if (!rep.ok()) return PrintError(err, rep.status());
  if (!rep->ok) {
    err << Tr({"审计链校验失败：" + rep->problem_zh + "\n",
               "audit chain broken: " + rep->problem_en + "\n"});
    return 1;
  }
  out << Tr({"审计链完好：" + std::to_string(rep->entries) + " 条记录\n",
             "audit chain intact: " + std::to_string(rep->entries) + " entries\n"});
  return 0;
}

}  // namespace shefu::server
