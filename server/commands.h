// shefu-server's subcommands. Each takes the parsed arguments after its name and returns the
// process exit code: 0 success, 1 failure, 2 usage error. Output goes to `out`, diagnostics to
// `err`, in the current language (--lang or LANG).
#pragma once

#include <iosfwd>

#include "shared/cli_args.h"

namespace shefu::server {

int RunServerCli(int argc, char** argv);

int CmdInit(Args& a, std::ostream& out, std::ostream& err);
int CmdServe(Args& a, std::ostream& out, std::ostream& err);
int CmdUser(Args& a, std::ostream& out, std::ostream& err);
int CmdDevice(Args& a, std::ostream& out, std::ostream& err);
int CmdAudit(Args& a, std::ostream& out, std::ostream& err);
int CmdBackup(Args& a, std::ostream& out, std::ostream& err);
int CmdRestore(Args& a, std::ostream& out, std::ostream& err);
int CmdExport(Args& a, std::ostream& out, std::ostream& err);
// Satisfaction surveys (issue 7; cmd_survey.cc).
int CmdSatisfaction(Args& a, std::ostream& out, std::ostream& err);
// Meetings and votes (issue 6): shefu-server meeting create|roll|show|result|override|finalize.
int CmdMeeting(Args& a, std::ostream& out, std::ostream& err);

}  // namespace shefu::server
