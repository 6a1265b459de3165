#include <cstring>
#include <iostream>
#include <string>

#include "server/cli_util.h"
#include "server/commands.h"
#include "shared/i18n.h"
#include "shared/version.h"

namespace shefu::server {
namespace {

const Text kUsage = {
    R"(shefu-server —— 镇（街道）购买社会组织服务平台的同步服务器

用法：shefu-server [--lang zh|en] 命令 [选项]

  init    --data 目录              创建中心数据库，载入珠海参考数据，创建市级管理员
                                   （密码取自 SHEFU_ADMIN_PASSWORD，或在终端输入，不回显）
  serve   --data 目录 [--listen 主机:端口] [--tls-cert 文件 --tls-key 文件] [--insecure-http]
                                   [--config 文件]   启动服务（默认 127.0.0.1:8080）
  user    add|list|disable         管理用户
  device  enrol|list|revoke        为设备生成一次性注册码（并显示二维码）、列出、注销设备
  backup  --data 目录 文件          在线一致性备份
  restore --data 目录 文件          从备份恢复（新纪元，设备会补传缺失数据）
  export  --data 目录 [--out 文件]  导出需求为 CSV（UTF-8 BOM，可用 Excel 打开）
  audit   verify --data 目录        校验审计链
  satisfaction --data 目录 [--project 项目|--town 镇街] [--format text|json|csv|html]
                                   满意度指数与报告
  meeting create|roll|show|result|override|finalize   会议、名册与表决结果

每个命令都支持 --help。
)",
    R"(shefu-server — the sync server of the town service-purchasing platform

usage: shefu-server [--lang zh|en] COMMAND [options]

  init    --data DIR               create the central store, load Zhuhai reference data, create
                                   the city administrator (password from SHEFU_ADMIN_PASSWORD or
                                   typed on the terminal, never echoed)
  serve   --data DIR [--listen HOST:PORT] [--tls-cert F --tls-key F] [--insecure-http]
                                   [--config FILE]   serve (default 127.0.0.1:8080)
  user    add|list|disable         manage users
  device  enrol|list|revoke        one-time enrolment code (with QR code), list, revoke devices
  backup  --data DIR FILE          online, consistent backup
  restore --data DIR FILE          restore from a backup (new epoch; devices re-send what it lacks)
  export  --data DIR [--out FILE]  export needs as CSV (UTF-8 with BOM, opens in Excel)
  audit   verify --data DIR        verify the audit chain
  satisfaction --data DIR [--project ID|--town CODE] [--format text|json|csv|html]
                                   the satisfaction index and reports
  meeting create|roll|show|result|override|finalize   meetings, rolls and vote results

Every command takes --help.
)"};

}  // namespace

int RunServerCli(int argc, char** argv) {
  int i = 1;
  // Global options before the command.
  while (i < argc && argv[i][0] == '-') {
    std::string a = argv[i];
    if (a == "--version") {
      std::cout << "shefu-server " << kProductVersion << "\n";
      return 0;
    }
    if (a == "--help" || a == "-h") {
      std::cout << Tr(kUsage);
      return 0;
    }
    std::string v;
    if (a == "--lang" && i + 1 < argc) {
      v = argv[++i];
    } else if (a.rfind("--lang=", 0) == 0) {
      v = a.substr(7);
    } else {
      break;
    }
    Lang l;
    if (!ParseLang(v, &l)) {
      std::cerr << "error: --lang must be zh or en / 错误：--lang 只能是 zh 或 en\n";
      return 2;
    }
    SetCurrentLang(l);
    ++i;
  }
  if (i >= argc) {
    std::cerr << Tr(kUsage);
    return 2;
  }
  std::string cmd = argv[i];
  Args a(argc, argv, i + 1);
  // --lang is also accepted after the command.
  if (auto l = a.Value("lang")) {
    Lang lang;
    if (!ParseLang(*l, &lang)) {
      std::cerr << "error: --lang must be zh or en / 错误：--lang 只能是 zh 或 en\n";
      return 2;
    }
    SetCurrentLang(lang);
  }
  if (cmd == "init") return CmdInit(a, std::cout, std::cerr);
  if (cmd == "serve") return CmdServe(a, std::cout, std::cerr);
  if (cmd == "user") return CmdUser(a, std::cout, std::cerr);
  if (cmd == "device") return CmdDevice(a, std::cout, std::cerr);
  if (cmd == "audit") return CmdAudit(a, std::cout, std::cerr);
  if (cmd == "backup") return CmdBackup(a, std::cout, std::cerr);
  if (cmd == "restore") return CmdRestore(a, std::cout, std::cerr);
  if (cmd == "export") return CmdExport(a, std::cout, std::cerr);
  // Satisfaction surveys (issue 7).
  if (cmd == "satisfaction") return CmdSatisfaction(a, std::cout, std::cerr);
  // Meetings and votes (issue 6).
  if (cmd == "meeting") return CmdMeeting(a, std::cout, std::cerr);
  return PrintError(std::cerr, Status::Error("usage", "未知命令：" + cmd + "（用 --help 查看用法）",
                                             "unknown command: " + cmd + " (see --help)"));
}

}  // namespace shefu::server
