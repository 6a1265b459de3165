// shefu visit, shefu vote, shefu record: the other synced records at the level the sync engine
// carries them today (the meeting and survey modules build on the same API later).
#include <iostream>

#include "client/cli/cli.h"

namespace shefu::cli {
namespace {

int PrintRecords(Ctx& ctx, const char* entity, bool json) {
  int exit_code = 0;
  ClientPtr c = OpenClient(ctx, false, &exit_code);
  if (!c) return exit_code;
  char* out = nullptr;
  int rc = shefu_record_list(c.get(), entity, &out);
  if (rc != SHEFU_OK) return ApiError(c.get(), rc);
  Json list = TakeJson(out);
  if (json) {
    std::cout << DumpJson(list) << "\n";
    return 0;
  }
  std::vector<std::vector<std::string>> rows = {
      {L("编号", "id"), L("内容", "content"), L("同步", "sync")}};
  for (const Json& r : list) {
    Json content = Json::object();
    for (const auto& [g, v] : r["groups"].items()) content[g] = v["value"];
    std::string text = content.size() == 1 && content.contains("record")
                           ? DumpJson(content["record"])
                           : DumpJson(content);
    std::string state = r.value("unsent", false) ? L("待上传", "unsent") : L("已上传", "sent");
    if (!r.value("counted", true)) state += L("（不计入）", " (not counted)");
    rows.push_back({Str(r, "short_id"), Clip(text, 70), state});
  }
  PrintTable(rows);
  return 0;
}

}  // namespace

int CmdVisit(Ctx& ctx) {
  Args& a = *ctx.args;
  std::string sub = a.Positional(1);
  bool json = a.Flag("json");
  Json v = Json::object();
  for (const char* k : {"building", "unit", "room", "date", "outcome", "community"})
    if (auto x = a.Value(k)) v[k] = *x;
  if (a.help() || (sub != "add" && sub != "list")) {
    std::cout << L(
        "用法：shefu visit add --outcome visited|no_one_home|declined [--building B] [--unit U] "
        "[--room R] [--date YYYY-MM-DD]\n      shefu visit list [--json]\n",
        "usage: shefu visit add --outcome visited|no_one_home|declined [--building B] [--unit U] "
        "[--room R] [--date YYYY-MM-DD]\n       shefu visit list [--json]\n");
    return a.help() ? 0 : kExitUsage;
  }
  if (int rc = CheckArgs(ctx); rc >= 0) return rc;
  if (sub == "list") return PrintRecords(ctx, "visit", json);
  if (!v.contains("outcome")) return UsageError({"需要 --outcome", "--outcome is required"});
  int exit_code = 0;
  ClientPtr c = OpenClient(ctx, false, &exit_code);
  if (!c) return exit_code;
  char* id = nullptr;
  std::string text = DumpJson(v);
  int rc = shefu_visit_add(c.get(), text.c_str(), &id);
  if (rc != SHEFU_OK) return ApiError(c.get(), rc);
  std::string s = TakeString(id);
  std::cout << (json ? DumpJson(Json{{"id", s}}) : L("已记录走访 ", "visit recorded ") + s) << "\n";
  return 0;
}

int CmdVote(Ctx& ctx) {
  Args& a = *ctx.args;
  std::string sub = a.Positional(1);
  bool json = a.Flag("json");
  auto ballot = a.Value("ballot");
  auto voter = a.Value("voter");
  auto choice = a.Value("choice");
  auto assisted = a.Value("assisted-by");
  if (a.help() || (sub != "record" && sub != "secret" && sub != "close" && sub != "list")) {
    std::cout << L(
        "用法：shefu vote record --ballot 表决 --voter 名册编号 --choice 选项 [--assisted-by "
        "代填人]\n"
        "         记名投票（每人每项表决一票，重复的不计入）\n"
        "      shefu vote secret --ballot 表决 --choice 选项\n"
        "         无记名投票：不记录投票人、顺序和时间\n"
        "      shefu vote close --ballot 表决   封存无记名票，下次同步上传\n"
        "      shefu vote list [--json]\n",
        "usage: shefu vote record --ballot B --voter ROLL_ID --choice C [--assisted-by WHO]\n"
        "          open-ballot vote (one per voter and ballot; duplicates do not count)\n"
        "       shefu vote secret --ballot B --choice C\n"
        "          secret-ballot choice: no voter, order or time is kept\n"
        "       shefu vote close --ballot B   seals the secret choices for the next sync\n"
        "       shefu vote list [--json]\n");
    return a.help() ? 0 : kExitUsage;
  }
  if (int rc = CheckArgs(ctx); rc >= 0) return rc;
  if (sub == "list") return PrintRecords(ctx, "vote", json);
  if (!ballot) return UsageError({"需要 --ballot", "--ballot is required"});
  int exit_code = 0;
  ClientPtr c = OpenClient(ctx, false, &exit_code);
  if (!c) return exit_code;
  int rc = SHEFU_OK;
  if (sub == "record") {
    if (!voter || !choice)
      return UsageError({"需要 --voter 和 --choice", "--voter and --choice are required"});
    char* id = nullptr;
    rc = shefu_vote_record(c.get(), ballot->c_str(), voter->c_str(), choice->c_str(),
                           assisted ? assisted->c_str() : nullptr, &id);
    if (rc == SHEFU_OK) std::cout << L("已记录投票 ", "vote recorded ") << TakeString(id) << "\n";
  } else if (sub == "secret") {
    if (!choice) return UsageError({"需要 --choice", "--choice is required"});
    rc = shefu_secret_choice_add(c.get(), ballot->c_str(), choice->c_str());
    if (rc == SHEFU_OK) std::cout << L("已投入票箱\n", "choice cast\n");
  } else {
    int64_t n = 0;
    rc = shefu_anon_close(c.get(), ballot->c_str(), &n);
    if (rc == SHEFU_OK)
      std::cout << L("已封存 ", "sealed ") << n
                << L(" 张票，下次同步上传\n", " choices for the next sync\n");
  }
  return rc == SHEFU_OK ? 0 : ApiError(c.get(), rc);
}

int CmdRecord(Ctx& ctx) {
  Args& a = *ctx.args;
  std::string sub = a.Positional(1), entity = a.Positional(2), id = a.Positional(3);
  bool json = a.Flag("json");
  if (a.help() || (sub != "list" && sub != "show") || entity.empty()) {
    std::cout << L(
        "用法：shefu record list 类型 [--json]\n      shefu record show 类型 编号\n"
        "类型：need, need_support, visit, vote\n",
        "usage: shefu record list ENTITY [--json]\n       shefu record show ENTITY ID\n"
        "entities: need, need_support, visit, vote\n");
    return a.help() ? 0 : kExitUsage;
  }
  if (int rc = CheckArgs(ctx); rc >= 0) return rc;
  if (sub == "list") return PrintRecords(ctx, entity.c_str(), json);
  int exit_code = 0;
  ClientPtr c = OpenClient(ctx, false, &exit_code);
  if (!c) return exit_code;
  char* out = nullptr;
  int rc = shefu_record_get(c.get(), entity.c_str(), id.c_str(), &out);
  if (rc != SHEFU_OK) return ApiError(c.get(), rc);
  std::cout << TakeJson(out).dump(2) << "\n";
  return 0;
}

}  // namespace shefu::cli
