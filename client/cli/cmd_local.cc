// shefu conflicts, outbox, export, wipe, config, profiles.
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "client/cli/cli.h"

namespace shefu::cli {

int CmdConflicts(Ctx& ctx) {
  Args& a = *ctx.args;
  bool json = a.Flag("json");
  bool all = a.Flag("all");
  bool resolved = a.Flag("resolved");
  if (a.help()) {
    std::cout << L(
        "用法：shefu conflicts [--all] [--resolved] [--json]\n"
        "显示与本机记录有关的冲突（同步后才有）。--all 显示本辖区的全部冲突，"
        "--resolved 包括已处理的。\n",
        "usage: shefu conflicts [--all] [--resolved] [--json]\n"
        "Conflicts involving this device's records (known after a sync). --all shows "
        "every conflict in scope, --resolved includes resolved ones.\n");
    return 0;
  }
  if (int rc = CheckArgs(ctx); rc >= 0) return rc;
  int exit_code = 0;
  ClientPtr c = OpenClient(ctx, false, &exit_code);
  if (!c) return exit_code;
  char* out = nullptr;
  int flags = (all ? SHEFU_CONFLICTS_ALL : 0) | (resolved ? SHEFU_CONFLICTS_RESOLVED : 0);
  int rc = shefu_conflicts(c.get(), flags, &out);
  if (rc != SHEFU_OK) return ApiError(c.get(), rc);
  Json list = TakeJson(out);
  if (json) {
    std::cout << DumpJson(list) << "\n";
    return 0;
  }
  if (list.empty()) {
    std::cout << L("没有冲突。\n", "no conflicts.\n");
    return 0;
  }
  for (const Json& k : list) {
    std::cout << "• [" << Str(k, "entity") << " " << Str(k, "short_id") << "] " << Str(k, "text");
    if (Str(k, "status") != "open") std::cout << L("（已处理）", " (resolved)");
    std::cout << "\n";
  }
  std::cout << L(
      "冲突由镇街工作人员在服务器上处理；落选的值都已保存，不会丢失。\n",
      "Town staff resolve conflicts on the server; the values that lost are all kept.\n");
  return 0;
}

int CmdOutbox(Ctx& ctx) {
  Args& a = *ctx.args;
  bool json = a.Flag("json");
  bool rejected = a.Flag("rejected");
  auto limit = a.Value("limit");
  if (a.help()) {
    std::cout << L(
        "用法：shefu outbox [--rejected] [--limit N] [--json]\n本机每项修改的去向：待上传、"
        "已采用、冲突、被拒（含原因）。\n",
        "usage: shefu outbox [--rejected] [--limit N] [--json]\nWhat happened to each "
        "local change: pending, applied, conflict, refused (with the reason).\n");
    return 0;
  }
  if (int rc = CheckArgs(ctx); rc >= 0) return rc;
  int n = 1000;
  if (limit) {
    try {
      n = std::stoi(*limit);
    } catch (...) {
      return UsageError({"--limit 需要一个整数", "--limit needs a number"});
    }
  }
  int exit_code = 0;
  ClientPtr c = OpenClient(ctx, false, &exit_code);
  if (!c) return exit_code;
  char* out = nullptr;
  int rc = shefu_outbox(c.get(), n, &out);
  if (rc != SHEFU_OK) return ApiError(c.get(), rc);
  Json list = TakeJson(out);
  Json shown = Json::array();
  for (const Json& e : list)
    if (!rejected || Str(e, "state") == "refused") shown.push_back(e);
  if (json) {
    std::cout << DumpJson(shown) << "\n";
    return 0;
  }
  std::vector<std::vector<std::string>> rows = {{L("序号", "seq"), L("记录", "record"),
                                                 L("字段", "field"), L("状态", "state"),
                                                 L("原因", "reason")}};
  auto state_name = [](const std::string& st) {
    if (st == "pending") return L("待上传", "pending");
    if (st == "applied") return L("已采用", "applied");
    if (st == "conflict") return L("冲突", "conflict");
    if (st == "refused") return L("被拒", "refused");
    if (st == "flagged") return L("已标记", "flagged");
    return st;
  };
  for (const Json& e : shown)
    rows.push_back({Str(e, "seq"), Str(e, "entity") + " " + Str(e, "short_id"),
                    Str(e, "field_name"), state_name(Str(e, "state")),
                    Clip(Str(e, "message"), 40)});
  PrintTable(rows);
  return 0;
}

int CmdExport(Ctx& ctx) {
  Args& a = *ctx.args;
  auto out_path = a.Value("out");
  auto entity = a.Value("entity");
  bool unsent = a.Flag("unsent");
  bool full_phone = a.Flag("full-phone");
  if (a.help()) {
    std::cout << L(
        "用法：shefu export [--out 文件.csv] [--unsent] [--full-phone] [--entity need|visit|vote]\n"
        "导出 CSV（UTF-8，Excel 可直接打开）。--unsent 只导出未上传的记录（设备被注销或"
        "损坏时交镇街补录）。电话默认脱敏，--full-phone 导出完整号码；身份证号只有脱敏号码。\n",
        "usage: shefu export [--out FILE.csv] [--unsent] [--full-phone] [--entity "
        "need|visit|vote]\n"
        "CSV export (UTF-8, opens in Excel). --unsent exports only unsent records (for the "
        "town to re-enter from a revoked or broken device). Phones are masked unless "
        "--full-phone; ID numbers are only ever masked.\n");
    return 0;
  }
  if (int rc = CheckArgs(ctx); rc >= 0) return rc;
  int exit_code = 0;
  ClientPtr c = OpenClient(ctx, false, &exit_code);
  if (!c) return exit_code;
  char* csv = nullptr;
  int flags = (unsent ? SHEFU_EXPORT_UNSENT : 0) | (full_phone ? SHEFU_EXPORT_FULL_PHONE : 0);
  int rc = shefu_export_csv(c.get(), entity ? entity->c_str() : nullptr, flags, &csv);
  if (rc != SHEFU_OK) return ApiError(c.get(), rc);
  std::string text = TakeString(csv);
  if (!out_path || *out_path == "-") {
    std::cout << text;
    return 0;
  }
  // 0600: the file holds residents' needs.
  int fd = ::open(out_path->c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0 || ::write(fd, text.data(), text.size()) != static_cast<ssize_t>(text.size())) {
    if (fd >= 0) ::close(fd);
    std::cerr << L("错误：无法写入 ", "error: cannot write ") << *out_path << "\n";
    return kExitError;
  }
  ::close(fd);
  size_t lines = 0;
  for (char ch : text) lines += ch == '\n';
  std::cout << L("已导出 ", "exported ") << (lines > 0 ? lines - 1 : 0) << L(" 条到 ", " rows to ")
            << *out_path << "\n";
  return 0;
}

int CmdWipe(Ctx& ctx) {
  Args& a = *ctx.args;
  bool force = a.Flag("force");
  if (a.help()) {
    std::cout << L(
        "用法：shefu wipe [--force]\n删除本配置在本机的全部数据（记录、待上传修改、登记信息）。"
        "有未上传的数据时会先提示并拒绝，除非加 --force（可先用 shefu export --unsent 导出）。\n",
        "usage: shefu wipe [--force]\nDeletes this profile's data on this device (records, "
        "unsent changes, enrolment). Refused with a warning while something is unsent, "
        "unless --force (export it first with shefu export --unsent).\n");
    return 0;
  }
  if (int rc = CheckArgs(ctx); rc >= 0) return rc;
  int exit_code = 0;
  ClientPtr c = OpenClient(ctx, false, &exit_code);
  if (!c) return exit_code;
  if (ctx.stdin_tty && !force) {
    std::cout << L("将删除本配置在本机的全部数据，确定吗？(y/N)：",
                   "this deletes all of this profile's data on this device; sure? (y/N): ")
              << std::flush;
    std::string answer;
    if (!std::getline(std::cin, answer) || (answer != "y" && answer != "Y" && answer != "是")) {
      std::cout << L("已取消。\n", "cancelled.\n");
      return kExitError;
    }
  }
  int rc = shefu_wipe(c.get(), 0);
  if (rc == SHEFU_E_UNSENT) {
    std::cerr << L("警告：", "warning: ") << shefu_last_error(c.get()) << "\n";
    if (!force) return kExitError;
    rc = shefu_wipe(c.get(), 1);
  }
  if (rc != SHEFU_OK) return ApiError(c.get(), rc);
  std::cout << L("本机数据已删除。\n", "local data deleted.\n");
  return 0;
}

int CmdConfig(Ctx& ctx) {
  Args& a = *ctx.args;
  bool json = a.Flag("json");
  std::string sub = a.Positional(1);
  if (a.help() || sub.empty()) {
    std::cout << L(
        "用法：shefu config show [--json]\n      shefu config set-url 新服务器地址\n"
        "（设备令牌不会显示）\n",
        "usage: shefu config show [--json]\n       shefu config set-url NEW_URL\n"
        "(the device token is never shown)\n");
    return sub.empty() && !a.help() ? kExitUsage : 0;
  }
  if (int rc = CheckArgs(ctx); rc >= 0) return rc;
  int exit_code = 0;
  ClientPtr c = OpenClient(ctx, false, &exit_code);
  if (!c) return exit_code;
  if (sub == "set-url") {
    std::string url = a.Positional(2);
    if (url.empty()) return UsageError({"需要新的服务器地址", "the new server URL is required"});
    int rc = shefu_set_server_url(c.get(), url.c_str());
    if (rc != SHEFU_OK) return ApiError(c.get(), rc);
    std::cout << L("服务器地址已改为 ", "server address is now ") << url << "\n";
    return 0;
  }
  if (sub != "show") return UsageError({"未知的子命令：" + sub, "unknown subcommand: " + sub});
  char* out = nullptr;
  int rc = shefu_status(c.get(), &out);
  if (rc != SHEFU_OK) return ApiError(c.get(), rc);
  Json s = TakeJson(out);
  Json cfg = {{"profile", s["profile"]},     {"server", s["server"]}, {"pinned", s["pinned"]},
              {"client_id", s["client_id"]}, {"user", s["user"]},     {"scope", s["scope"]}};
  if (json) {
    std::cout << DumpJson(cfg) << "\n";
    return 0;
  }
  std::cout << L("配置：", "profile: ") << Str(cfg, "profile") << "\n"
            << L("服务器：", "server: ") << Str(cfg, "server") << "\n"
            << L("证书固定：", "pinned: ")
            << (cfg.value("pinned", false) ? L("是", "yes") : L("否", "no")) << "\n"
            << L("设备编号：", "device id: ") << Str(cfg, "client_id") << "\n"
            << L("用户：", "user: ") << Str(cfg["user"], "name") << "\n"
            << L("社区：", "community: ") << Str(cfg["scope"], "community") << "\n";
  return 0;
}

int CmdProfiles(Ctx& ctx) {
  Args& a = *ctx.args;
  bool json = a.Flag("json");
  if (a.help()) {
    std::cout << L("用法：shefu profiles [--json]\n", "usage: shefu profiles [--json]\n");
    return 0;
  }
  if (int rc = CheckArgs(ctx); rc >= 0) return rc;
  char* out = nullptr;
  int rc = shefu_list_profiles(ctx.data.empty() ? nullptr : ctx.data.c_str(), &out);
  if (rc != SHEFU_OK) {
    std::cerr << L("错误：无法列出配置\n", "error: cannot list the profiles\n");
    return kExitError;
  }
  Json list = TakeJson(out);
  if (json) {
    std::cout << DumpJson(list) << "\n";
    return 0;
  }
  if (list.empty()) {
    std::cout << L("（本机还没有配置：运行 shefu enrol 登记）\n",
                   "(no profiles yet: run shefu enrol)\n");
    return 0;
  }
  std::vector<std::vector<std::string>> rows = {
      {L("配置", "profile"), L("用户", "user"), L("服务器", "server"), L("状态", "state")}};
  for (const Json& p : list) {
    std::string state = p.value("busy", false)       ? L("使用中", "in use")
                        : p.value("revoked", false)  ? L("已注销", "revoked")
                        : p.value("enrolled", false) ? L("已登记", "enrolled")
                                                     : L("未登记", "not enrolled");
    rows.push_back({Str(p, "name"), Str(p, "user"), Str(p, "server"), state});
  }
  PrintTable(rows);
  return 0;
}

}  // namespace shefu::cli
