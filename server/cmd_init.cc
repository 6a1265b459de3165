// shefu-server init: create the central store, copy in the Zhuhai reference data, create the
// first city administrator.
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>

#include "server/cli_util.h"
#include "server/commands.h"
#include "server/password.h"
#include "server/server_app.h"
#include "server/server_keys.h"
#include "shared/divisions.h"

namespace shefu::embedded {
extern const unsigned char zhuhai_divisions[];
extern const unsigned long zhuhai_divisions_size;
}  // namespace shefu::embedded

namespace shefu::server {

int CmdInit(Args& a, std::ostream& out, std::ostream& err) {
  if (a.help()) {
    out << Tr(
        {"用法：shefu-server init --data 目录 [--admin-login 登录名] [--admin-name 姓名]\n"
         "  [--reference 区划文件.json]\n"
         "管理员密码取自环境变量 SHEFU_ADMIN_PASSWORD；未设置时在终端输入（不回显）。\n",
         "usage: shefu-server init --data DIR [--admin-login LOGIN] [--admin-name NAME]\n"
         "  [--reference DIVISIONS.json]\n"
         "The administrator's password comes from SHEFU_ADMIN_PASSWORD, or is typed on the\n"
         "terminal (not echoed).\n"});
    return 0;
  }
  auto data = a.Value("data");
  std::string login = a.ValueOr("admin-login", "admin");
  std::string name = a.ValueOr("admin-name", "市级管理员");
  auto reference = a.Value("reference");
  if (auto st = a.Finish(); !st.ok()) return PrintError(err, st);
  if (!data) {
    return PrintError(err, Status::Error("usage", "缺少 --data 目录", "missing --data DIR"));
  }

  std::string divisions_text(reinterpret_cast<const char*>(embedded::zhuhai_divisions),
                             embedded::zhuhai_divisions_size);
  if (reference) {
    std::ifstream in(*reference, std::ios::binary);
    if (!in) {
      return PrintError(err, Status::Error("io_error", "无法读取文件：" + *reference,
                                           "cannot read file: " + *reference));
    }
    divisions_text.assign(std::istreambuf_iterator<char>(in), {});
  }
  auto divisions = Divisions::Parse(divisions_text);
  if (!divisions.ok()) return PrintError(err, divisions.status());

  auto lock = DataDirLock::Acquire(*data, DataDirLock::Mode::kExclusive);
  if (!lock.ok()) return PrintError(err, lock.status());
  auto store = CentralStore::Open(*data);
  if (!store.ok()) return PrintError(err, store.status());
  auto existing = (*store)->WithWriter([](Db& db) { return LoadReference(db, kDivisionsRef); });
  if (!existing.ok()) return PrintError(err, existing.status());
  if (existing->has_value() && !reference) {
    return PrintError(
        err,
        Status::Error("already_initialised", "数据目录 " + *data + " 已经初始化过，未做任何改动",
                      "data directory " + *data + " is already initialised; nothing was changed"));
  }

  SystemClock& clock = SystemClock::Instance();
  if (!existing->has_value()) {
    // The administrator first: a store never ends up initialised without one.
    std::string password;
    if (const char* env = std::getenv("SHEFU_ADMIN_PASSWORD"); env && *env) {
      password = env;
    } else {
      auto p1 = ReadSecretFromTty(Tr({"设置管理员密码：", "administrator password: "}));
      auto p2 = p1 ? ReadSecretFromTty(Tr({"再输入一次：", "again: "})) : std::nullopt;
      if (!p1 || !p2) {
        return PrintError(
            err, Status::Error("no_password",
                               "请设置环境变量 SHEFU_ADMIN_PASSWORD，或在终端中运行以输入密码",
                               "set SHEFU_ADMIN_PASSWORD, or run on a terminal to "
                               "type the password"));
      }
      if (*p1 != *p2) {
        return PrintError(err, Status::Error("password_mismatch", "两次输入的密码不一致",
                                             "the two passwords differ"));
      }
      password = *p1;
    }
    if (auto ps = CheckPasswordStrength(password); !ps.ok()) return PrintError(err, ps);
    Accounts accounts(**store, *divisions, clock);
    NewUser nu{login, name, Role::kCityAdmin, "", "", password};
    auto u = accounts.AddUser(nu);
    // login_taken: a previous init stopped after creating the administrator; finish it.
    if (!u.ok() && u.status().code() != "login_taken") return PrintError(err, u.status());
    out << Tr({"已创建市级管理员：" + login + "\n", "Created city administrator: " + login + "\n"});
  }
  // The sealing key pair and the ID-hash key, before anything can be sealed to them.
  if (auto keys = ServerKeys::LoadOrCreate(*data); !keys.ok())
    return PrintError(err, keys.status());
  Status st = (*store)->WithWriter([&](Db& db) -> Status {
    Tx tx(db);
    SHEFU_RETURN_IF_ERROR(tx.status());
    SHEFU_RETURN_IF_ERROR(SaveReference(db, kDivisionsRef, divisions_text, clock.NowMs()));
    return tx.Commit();
  });
  if (!st.ok()) return PrintError(err, st);

  int towns = 0, units = 0;
  for (const auto& t : divisions->towns()) (t.IsPurchaser() ? towns : units)++;
  size_t communities = 0;
  for (const auto& t : divisions->towns()) communities += divisions->CommunitiesOf(t.code).size();
  out << Tr({"已载入珠海参考数据（" + divisions->data_date() + "）：" +
                 std::to_string(divisions->districts().size()) + " 个区（含横琴与功能区），" +
                 std::to_string(towns) + " 个镇街（另 " + std::to_string(units) +
                 " 个统计单元，不作为购买主体），" + std::to_string(communities) + " 个社区/村\n",
             "Loaded Zhuhai reference data (" + divisions->data_date() +
                 "): " + std::to_string(divisions->districts().size()) +
                 " districts (incl. Hengqin and functional zones), " + std::to_string(towns) +
                 " towns/sub-districts (plus " + std::to_string(units) +
                 " statistical units, not purchasers), " + std::to_string(communities) +
                 " communities/villages\n"});
  return 0;
}

}  // namespace shefu::server
