// shefu enrol, shefu sync, shefu status.
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "client/cli/cli.h"

namespace shefu::cli {
namespace {

std::string Role(const std::string& code) {
  if (code == "community_worker") return L("社区工作者", "community worker");
  if (code == "town_staff") return L("镇街工作人员", "town staff");
  if (code == "kiosk") return L("居民自助终端", "resident kiosk");
  return code;
}

// "3 分钟" / "3 min": an age in the largest sensible unit.
std::string Age(int64_t s) {
  bool en = CurrentLang() == Lang::kEn;
  if (s < 120) return std::to_string(s) + (en ? " s" : " 秒");
  if (s < 7200) return std::to_string(s / 60) + (en ? " min" : " 分钟");
  if (s < 2 * 86400) return std::to_string(s / 3600) + (en ? " h" : " 小时");
  return std::to_string(s / 86400) + (en ? " days" : " 天");
}

std::string LocalTime(const std::string& iso) {
  // "2026-05-03T02:15:00.000Z" -> Shanghai "2026-05-03 10:15" (UTC+8, no DST).
  if (iso.size() < 16) return iso;
  struct tm t {};
  if (!strptime(iso.substr(0, 19).c_str(), "%Y-%m-%dT%H:%M:%S", &t)) return iso;
  time_t secs = timegm(&t) + 8 * 3600;
  struct tm l {};
  gmtime_r(&secs, &l);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &l);
  return buf;
}

struct Bar {
  bool on = false;
  std::string last_phase;
};

void OnProgress(void* user, const char* phase, int64_t done, int64_t total) {
  auto* bar = static_cast<Bar*>(user);
  if (!bar->on) return;
  std::string p = phase;
  std::string label = p == "upload"     ? L("上传", "upload")
                      : p == "anon"     ? L("匿名票", "ballots")
                      : p == "download" ? L("下载", "download")
                      : p == "retry"    ? L("重试", "retry")
                                        : L("完成", "done");
  std::string line;
  if (p == "upload" && total > 0) {
    const int width = 30;
    int filled = static_cast<int>(width * std::min(done, total) / total);
    line = label + " [" + std::string(static_cast<size_t>(filled), '#') +
           std::string(static_cast<size_t>(width - filled), '-') + "] " + std::to_string(done) +
           "/" + std::to_string(total);
  } else if (p == "retry") {
    line = label + " " + std::to_string(done) + "/" + std::to_string(total) +
           L("（网络不通，稍后重试）", " (network trouble, backing off)");
  } else {
    line = label + " " + std::to_string(done);
  }
  std::cout << "\r\033[K" << line << std::flush;
  if (p == "done") std::cout << "\n";
}

}  // namespace

int CmdEnrol(Ctx& ctx) {
  Args& a = *ctx.args;
  auto pin = a.Value("pin");
  auto label = a.Value("label");
  if (a.help()) {
    std::cout << L(
        "用法：shefu enrol 服务器地址 注册码 [--pin sha256//…] [--label 设备名]\n"
        "      shefu enrol 'shefu-enrol:?url=…&code=…&pin=…'（二维码内容）\n"
        "用镇街工作人员给的一次性注册码登记本设备。二维码中的证书指纹会被固定：\n"
        "以后本设备只与持有该证书的服务器通信。\n",
        "usage: shefu enrol URL CODE [--pin sha256//...] [--label NAME]\n"
        "       shefu enrol 'shefu-enrol:?url=...&code=...&pin=...' (the QR payload)\n"
        "Enrols this device with the one-time code from town staff. The certificate\n"
        "pin from the QR code is kept: from then on the device talks only to a\n"
        "server with that certificate.\n");
    return 0;
  }
  if (int rc = CheckArgs(ctx); rc >= 0) return rc;
  std::string target = a.Positional(1), code = a.Positional(2);
  if (target.empty())
    return UsageError({"需要服务器地址和注册码（或二维码内容）",
                       "the server URL and code (or the QR payload) are required"});
  int exit_code = 0;
  ClientPtr c = OpenClient(ctx, /*create=*/true, &exit_code);
  if (!c) return exit_code;
  int rc = shefu_enrol(c.get(), target.c_str(), code.empty() ? nullptr : code.c_str(),
                       pin ? pin->c_str() : nullptr, label ? label->c_str() : nullptr);
  if (rc != SHEFU_OK) {
    int ex = ApiError(c.get(), rc);
    // Do not leave an empty profile behind after a failed first enrolment.
    Json st = TakeJson([&] {
      char* s = nullptr;
      shefu_status(c.get(), &s);
      return s;
    }());
    if (st.is_object() && !st.value("enrolled", true) && st.value("pending_changes", 1) == 0)
      shefu_wipe(c.get(), 0);
    return ex;
  }
  char* s = nullptr;
  shefu_status(c.get(), &s);
  Json st = TakeJson(s);
  std::cout << L("登记成功：", "enrolled: ") << Str(st["user"], "name") << "（"
            << Role(Str(st["user"], "role")) << "）\n"
            << L("服务器：", "server: ") << Str(st, "server")
            << (st.value("pinned", false) ? L("（已固定证书指纹）", " (certificate pinned)") : "")
            << "\n"
            << L("配置：", "profile: ") << Str(st, "profile") << "\n";
  return 0;
}

int CmdSync(Ctx& ctx) {
  Args& a = *ctx.args;
  auto retries = a.Value("retries");
  auto batch = a.Value("batch");
  auto server = a.Value("server");
  bool json = a.Flag("json");
  if (a.help()) {
    std::cout << L(
        "用法：shefu sync [--retries 次数] [--batch 条数] [--server 新地址] [--json]\n"
        "先上传本机的修改，再下载本辖区的更新。网络错误和服务器 5xx 会按指数退避（带随机\n"
        "抖动）自动重试；中断后再次运行会从断点继续，不丢失、不重复。\n"
        "--server 把服务器地址永久改为新地址（同 shefu config set-url）。\n"
        "退出码：0 全部成功；1 出错（网络/服务器）；3 完成但有记录被服务器拒收；4 设备已被注销。\n",
        "usage: shefu sync [--retries N] [--batch N] [--server NEW_URL] [--json]\n"
        "Uploads this device's changes, then downloads the updates in its scope. Transport\n"
        "errors and 5xx are retried with exponential backoff and jitter; an interrupted sync\n"
        "resumes where it stopped, without loss or duplication.\n"
        "--server changes the server address for good (as shefu config set-url).\n"
        "Exit codes: 0 all good; 1 error (network/server); 3 done but the server rejected\n"
        "some records; 4 this device was revoked.\n");
    return 0;
  }
  if (int rc = CheckArgs(ctx); rc >= 0) return rc;
  int exit_code = 0;
  ClientPtr c = OpenClient(ctx, false, &exit_code);
  if (!c) return exit_code;
  if (server) {
    int rc = shefu_set_server_url(c.get(), server->c_str());
    if (rc != SHEFU_OK) return ApiError(c.get(), rc);
  }
  Json opt = Json::object();
  for (auto [name, v] : {std::pair{"retries", &retries}, {"batch", &batch}}) {
    if (!*v) continue;
    try {
      opt[name] = std::stoi(**v);
    } catch (...) {
      return UsageError({std::string("--") + name + " 需要一个整数",
                         std::string("--") + name + " needs a number"});
    }
  }
  Bar bar;
  bar.on = ctx.stdout_tty && !json;
  char* summary = nullptr;
  std::string opts = DumpJson(opt);
  int rc = shefu_sync(c.get(), opts.c_str(), &OnProgress, &bar, &summary);
  Json s = TakeJson(summary);
  if (bar.on) std::cout << "\r\033[K" << std::flush;
  if (json) {
    std::cout << DumpJson(s) << "\n";
  } else {
    std::cout << L("已上传 ", "uploaded ") << s.value("uploaded", 0)
              << L(" 项修改，已下载 ", " changes, downloaded ") << s.value("downloaded", 0)
              << L(" 项，冲突 ", ", conflicts ") << s.value("conflicts", 0)
              << L(" 项，被拒 ", ", rejected ")
              << (s.contains("rejected") ? s["rejected"].size() : 0) << L(" 项", "") << "\n";
    if (s.contains("rejected")) {
      for (const Json& r : s["rejected"]) {
        std::cout << "  " << L("被拒：", "rejected: ") << Str(r, "entity") << " "
                  << Str(r, "short_id") << " " << Str(r, "field_name") << " — " << Str(r, "message")
                  << "\n";
      }
    }
    if (s.value("conflicts", 0) > 0)
      std::cout << L("运行 shefu conflicts 查看冲突详情\n",
                     "run shefu conflicts for the details\n");
  }
  if (rc == SHEFU_OK) return 0;
  if (rc == SHEFU_E_REJECTED) return kExitRejected;
  std::cerr << L("错误：", "error: ") << shefu_last_error(c.get()) << "\n";
  if (rc == SHEFU_E_NETWORK)
    std::cerr << L("修改都保存在本机，网络恢复后再运行 shefu sync 即可，会从断点继续。\n",
                   "everything is kept on this device; run shefu sync again when the network is "
                   "back — it resumes where it stopped.\n");
  return rc == SHEFU_E_REVOKED ? kExitRevoked : kExitError;
}

// The sync outcome codes of shefu_status()'s "last_sync_result", in the user's language.
static std::string SyncResultWords(const std::string& code) {
  if (code == "ok") return L("成功", "ok");
  if (code == "rejected") return L("有记录被拒", "some records rejected");
  if (code == "failed") return L("失败，数据仍在本机", "failed; data kept on this device");
  if (code == "revoked") return L("设备已被停用", "device revoked");
  if (code == "reenrol") return L("需要重新登记", "re-enrolment needed");
  if (code == "upgrade") return L("需要升级客户端", "client upgrade needed");
  if (code == "unauthenticated") return L("身份凭证无效", "credentials not accepted");
  return code;
}

int CmdStatus(Ctx& ctx) {
  Args& a = *ctx.args;
  bool json = a.Flag("json");
  if (a.help()) {
    std::cout << L(
        "用法：shefu status [--json]\n显示服务器、上次同步、待上传修改、最早未上传记录的时长、"
        "与服务器的时钟偏差。不需要网络。\n",
        "usage: shefu status [--json]\nShows the server, last sync, pending changes, the "
        "oldest unsent record's age and the clock offset seen. Works offline.\n");
    return 0;
  }
  if (int rc = CheckArgs(ctx); rc >= 0) return rc;
  int exit_code = 0;
  ClientPtr c = OpenClient(ctx, false, &exit_code);
  if (!c) return exit_code;
  char* out = nullptr;
  int rc = shefu_status(c.get(), &out);
  if (rc != SHEFU_OK) return ApiError(c.get(), rc);
  Json s = TakeJson(out);
  if (json) {
    std::cout << DumpJson(s) << "\n";
    return 0;
  }
  auto line = [](const std::string& k, const std::string& v) { std::cout << k << v << "\n"; };
  line(L("配置：      ", "profile:        "), Str(s, "profile"));
  line(L("服务器：    ", "server:         "),
       Str(s, "server") + (s.value("pinned", false) ? L("（证书已固定）", " (pinned)") : ""));
  line(L("用户：      ", "user:           "), Str(s["user"], "name") + " (" +
                                                  Str(s["user"], "login") + ", " +
                                                  Role(Str(s["user"], "role")) + ")");
  line(L("设备编号：  ", "device id:      "), Str(s, "client_id"));
  if (s.value("revoked", false))
    line(L("状态：      ", "state:          "),
         L("已被注销，不能同步；未上传的记录仍在本机，可用 shefu export --unsent 导出",
           "revoked: cannot sync; unsent records stay here — export them with shefu export "
           "--unsent"));
  if (s.value("needs_reenrolment", false))
    line(L("状态：      ", "state:          "), L("需要重新登记", "must be enrolled again"));
  std::string last =
      s["last_sync"].is_string() ? LocalTime(Str(s, "last_sync")) : L("从未", "never");
  if (std::string code = Str(s, "last_sync_result"); !code.empty())
    last += L("（", " (") + SyncResultWords(code) + L("）", ")");
  line(L("上次同步：  ", "last sync:      "), last);
  line(L("待上传：    ", "pending:        "),
       std::to_string(s.value("pending_changes", 0)) + L(" 项修改（", " changes (") +
           std::to_string(s.value("unsent_records", 0)) + L(" 条记录）", " records)") +
           (s.value("anon_unsent", 0) > 0
                ? L("，匿名票 ", ", anonymous items ") + std::to_string(s.value("anon_unsent", 0))
                : ""));
  if (s["oldest_unsent_age_s"].is_number())
    line(L("最早未上传：", "oldest unsent:  "),
         Age(s["oldest_unsent_age_s"].get<int64_t>()) + L("前", " ago"));
  if (s["clock_offset_ms"].is_number()) {
    int64_t ms = s["clock_offset_ms"].get<int64_t>();
    int64_t mag = ms < 0 ? -ms : ms;
    std::string v = std::string(ms < 0 ? "-" : "+") + std::to_string(mag / 1000) + "." +
                    std::to_string(mag % 1000 / 100) + " s";
    line(L("时钟偏差：  ", "clock offset:   "),
         v + (mag < 1000 ? L("（基本一致）", " (in step)")
              : ms >= 0  ? L("（服务器较快）", " (server ahead)")
                         : L("（本机较快）", " (device ahead)")));
  }
  line(L("未解决冲突：", "open conflicts: "), std::to_string(s.value("open_conflicts", 0)));
  if (s.value("rejected", 0) > 0)
    line(L("被拒修改：  ", "rejected:       "),
         std::to_string(s.value("rejected", 0)) +
             L("（shefu outbox --rejected 查看原因）", " (see shefu outbox --rejected)"));
  return 0;
}

}  // namespace shefu::cli
