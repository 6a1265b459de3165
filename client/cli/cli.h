// Shared pieces of the `shefu` commands. The command line is built only on the C API
// (include/shefu/shefu.h); from shared/ it uses the argument parser, the language choice and
// JSON parsing to print what the API returns — no domain logic.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "shared/cli_args.h"
#include "shared/i18n.h"
#include "shared/json_util.h"
#include "shefu/shefu.h"

namespace shefu::cli {

// Exit codes (documented in `shefu --help`).
inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;     // an error: network, server, input, storage
inline constexpr int kExitUsage = 2;     // the command line itself is wrong
inline constexpr int kExitRejected = 3;  // sync done, but the server rejected some records
inline constexpr int kExitRevoked = 4;   // this device was revoked

struct Ctx {
  Args* args = nullptr;
  std::string data;     // --data ("" = default)
  std::string profile;  // --profile ("" = the only one / default)
  std::string lang;     // "zh" | "en"
  bool stdin_tty = false;
  bool stdout_tty = false;
};

// Owns a shefu_client*.
struct ClientDeleter {
  void operator()(shefu_client* c) const { shefu_close(c); }
};
using ClientPtr = std::unique_ptr<shefu_client, ClientDeleter>;

// Opens the profile, printing the error (and returning null) when that fails; *exit_code is
// then the exit code to return.
ClientPtr OpenClient(const Ctx& ctx, bool create, int* exit_code);
// Prints "错误：<message>" / "error: <message>" for an API failure; returns the exit code.
int ApiError(shefu_client* c, int rc);
// Prints a usage-type error; returns kExitUsage.
int UsageError(const Text& msg);
// Finishes argument parsing (unknown flags are errors). Returns -1 when fine, else the code.
int CheckArgs(const Ctx& ctx);

// Takes ownership of a string from the API and parses it.
Json TakeJson(char* s);
std::string TakeString(char* s);

// Terminal columns of a UTF-8 string (CJK characters count 2).
size_t DisplayWidth(const std::string& s);
// Cuts to at most `width` columns, adding "…" when cut.
std::string Clip(const std::string& s, size_t width);
// Left-aligned table; the header row is underlined.
void PrintTable(const std::vector<std::vector<std::string>>& rows);

// Text in the chosen language.
inline std::string L(const char* zh, const char* en) {
  return CurrentLang() == Lang::kEn ? en : zh;
}
std::string Str(const Json& j, const char* key);

// Commands (argument index 0 is the command word).
int CmdEnrol(Ctx& ctx);
int CmdSync(Ctx& ctx);
int CmdStatus(Ctx& ctx);
int CmdNeed(Ctx& ctx);
int CmdConflicts(Ctx& ctx);
int CmdExport(Ctx& ctx);
int CmdWipe(Ctx& ctx);
int CmdConfig(Ctx& ctx);
int CmdProfiles(Ctx& ctx);
int CmdOutbox(Ctx& ctx);
int CmdVisit(Ctx& ctx);
int CmdVote(Ctx& ctx);
int CmdRecord(Ctx& ctx);
// Satisfaction surveys (issue 7; cmd_survey.cc).
int CmdSurvey(Ctx& ctx);
// The guided survey form (survey_form_tty.cc): fills `answers` and the take options (household,
// timings); false when the worker cancels.
bool FillSurveyInteractively(shefu_client* c, const std::string& survey, Json* answers, Json* opt);
// Meetings and votes (issue 6).
int CmdMeeting(Ctx& ctx);

// The interactive need form (need_form_tty.cc). `form` holds what flags already gave; returns
// false when the worker cancels (EOF or "n" at the confirmation).
bool FillNeedFormInteractively(shefu_client* c, Json* form);
// Reads a line from the terminal without echo (for the ID number). Empty on EOF.
std::string ReadHidden(const std::string& prompt);

}  // namespace shefu::cli
