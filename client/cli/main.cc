// shefu: the field client's command line, built only on the C API (client/include/shefu/shefu.h).
//
//   shefu [--data DIR] [--profile NAME] [--lang zh|en] COMMAND [SUBCOMMAND] [FLAGS]
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <map>

#include "client/cli/cli.h"

namespace shefu::cli {
namespace {

const char* kUsageZh =
    "用法：shefu [--data 目录] [--profile 名称] [--lang zh|en] 命令 ...\n"
    "\n"
    "社服 · 社区工作者的离线采集端。除 enrol 和 sync 外，所有命令都不需要网络。\n"
    "\n"
    "命令：\n"
    "  enrol 服务器地址 注册码   用镇街给的一次性注册码登记本设备（也接受二维码内容）\n"
    "  sync                      上传本机修改，再下载更新；失败自动重试，中断后可续传\n"
    "  status                    服务器、上次同步、待上传数量、最早未上传记录、时钟偏差\n"
    "  need add|list|show|edit|withdraw|support   需求征集\n"
    "  conflicts                 与本机记录有关的冲突（同步后）\n"
    "  outbox                    本机每项修改的去向（待上传、已采用、被拒及原因）\n"
    "  visit add|list            入户走访记录\n"
    "  vote record|secret|close|list   记名投票、无记名投票\n"
    "  record list|show 类型     任意同步记录（调试用）\n"
    "  export                    导出 CSV（可只导出未上传的记录）\n"
    "  wipe                      删除本机数据（有未上传记录时需 --force）\n"
    "  config show|set-url       查看配置、修改服务器地址\n"
    "  profiles                  本机的所有配置\n"
    "  survey list|show|take|close   满意度问卷：离线匿名访问、本机初步结果\n"
    "  meeting open|checkin|checkout|vote|close|result   村（居）民会议：签到、表决、暂计结果\n"
    "\n"
    "每个命令都可加 --help；列表命令都可加 --json。\n"
    "数据目录：--data，或 $XDG_DATA_HOME/shefu，或 ~/.local/share/shefu。\n"
    "退出码：0 成功；1 出错；2 命令行有误；3 同步完成但有记录被拒；4 设备已被注销。\n";

const char* kUsageEn =
    "usage: shefu [--data DIR] [--profile NAME] [--lang zh|en] COMMAND ...\n"
    "\n"
    "shefu (社服): the community worker's offline field client. Every command except enrol\n"
    "and sync works without a network.\n"
    "\n"
    "commands:\n"
    "  enrol URL CODE            enrol this device with the town's one-time code (or QR payload)\n"
    "  sync                      upload local changes, then download; retries, resumable\n"
    "  status                    server, last sync, pending changes, oldest unsent, clock offset\n"
    "  need add|list|show|edit|withdraw|support   residents' needs\n"
    "  conflicts                 conflicts involving this device's records (after sync)\n"
    "  outbox                    what happened to each local change (pending, applied, refused)\n"
    "  visit add|list            door-to-door visit log\n"
    "  vote record|secret|close|list   open-ballot and secret-ballot votes\n"
    "  record list|show ENTITY   any synced record (for debugging)\n"
    "  export                    CSV export (optionally only unsent records)\n"
    "  wipe                      delete this device's data (--force when something is unsent)\n"
    "  config show|set-url       show the configuration, change the server address\n"
    "  profiles                  the profiles on this device\n"
    "  survey list|show|take|close   satisfaction surveys: anonymous offline interviews\n"
    "  meeting open|checkin|checkout|vote|close|result   community meetings: check-in, votes\n"
    "\n"
    "Every command takes --help; every listing takes --json.\n"
    "Data directory: --data, or $XDG_DATA_HOME/shefu, or ~/.local/share/shefu.\n"
    "Exit codes: 0 ok; 1 error; 2 bad command line; 3 sync done but records were rejected;\n"
    "4 this device was revoked.\n";

}  // namespace
}  // namespace shefu::cli

int main(int argc, char** argv) {
  using namespace shefu;
  using namespace shefu::cli;
  Args args(argc, argv, 1);
  Ctx ctx;
  ctx.args = &args;
  auto lang = args.Value("lang");
  if (lang) {
    Lang l;
    if (!ParseLang(*lang, &l))
      return UsageError({"--lang 只能是 zh 或 en", "--lang must be zh or en"});
    SetCurrentLang(l);
  }
  ctx.lang = CurrentLang() == Lang::kEn ? "en" : "zh";
  ctx.data = args.ValueOr("data", "");
  ctx.profile = args.ValueOr("profile", "");
  ctx.stdin_tty = isatty(0);
  ctx.stdout_tty = isatty(1);
  if (args.Flag("version")) {
    std::cout << "shefu " << shefu_version() << "\n";
    return 0;
  }
  std::string cmd = args.Positional(0);
  if (cmd.empty() || (cmd == "help")) {
    bool help = args.help() || cmd == "help";
    std::cout << (CurrentLang() == Lang::kEn ? kUsageEn : kUsageZh);
    return help ? 0 : kExitUsage;
  }
  // The last row: satisfaction surveys (issue 7).
  static const std::map<std::string, int (*)(Ctx&)> kCommands = {
      {"enrol", CmdEnrol},         {"enroll", CmdEnrol},      {"sync", CmdSync},
      {"status", CmdStatus},       {"need", CmdNeed},         {"needs", CmdNeed},
      {"conflicts", CmdConflicts}, {"export", CmdExport},     {"wipe", CmdWipe},
      {"config", CmdConfig},       {"profiles", CmdProfiles}, {"outbox", CmdOutbox},
      {"visit", CmdVisit},         {"vote", CmdVote},         {"record", CmdRecord},
      {"survey", CmdSurvey},       {"meeting", CmdMeeting},  // meetings and votes (issue 6)
  };
  auto it = kCommands.find(cmd);
  if (it == kCommands.end()) return UsageError({"未知命令：" + cmd, "unknown command: " + cmd});
  return it->second(ctx);
}
