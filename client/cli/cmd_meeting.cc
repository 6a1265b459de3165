// shefu meeting list|show|open|checkin|checkout|vote|close|result: a community meeting run by
// the chair on a shared tablet, offline (issue 6). Built only on the C API (shefu_meeting_*);
// prints the live quorum after every check-in and vote, the "cannot pass" warning, and the
// printable result record.
#include <iostream>
#include <sstream>

#include "client/cli/cli.h"

namespace shefu::cli {
namespace {

const char* kMeetingUsageZh =
    "用法：shefu meeting list [--json]\n"
    "      shefu meeting show 会议 [--roll] [--json]      会议、表决事项、名册（姓名已脱敏）\n"
    "      shefu meeting open 会议 [--ballot 表决]         开始会议/表决，显示应到人数与所需票数\n"
    "      shefu meeting checkin 会议 序号... [--assisted-by 协助人]   签到（名册序号或编号）\n"
    "      shefu meeting checkout 会议 序号...             离场\n"
    "      shefu meeting vote 会议 --ballot 表决 --entry 序号 (--choice 选项 | --marks 项目,项目 "
    "|\n"
    "            --blank) [--assisted-by 代填人] [--proxy 受托人序号]\n"
    "         选项：adopt/reject（赞成/反对），yes/no/abstain（赞成/反对/弃权）\n"
    "         每人每项表决一票；无记名投票不记录投票人与选择的对应关系\n"
    "      shefu meeting close 会议 --ballot 表决          本机结束表决（之后的投票无效）\n"
    "      shefu meeting result 会议 [--ballot 表决] [--json]   本机暂计结果（表决结果记录）\n";
const char* kMeetingUsageEn =
    "usage: shefu meeting list [--json]\n"
    "       shefu meeting show MEETING [--roll] [--json]   the meeting, its ballots, the roll\n"
    "       shefu meeting open MEETING [--ballot B]         open the meeting / a ballot\n"
    "       shefu meeting checkin MEETING NO... [--assisted-by WHO]   check in (sheet no. or id)\n"
    "       shefu meeting checkout MEETING NO...            check out\n"
    "       shefu meeting vote MEETING --ballot B --entry NO (--choice C | --marks P1,P2 |\n"
    "             --blank) [--assisted-by WHO] [--proxy NO]\n"
    "          choices: adopt/reject, yes/no/abstain\n"
    "          one ballot per person and ballot; a secret ballot keeps no voter-choice link\n"
    "       shefu meeting close MEETING --ballot B          close the ballot on this device\n"
    "       shefu meeting result MEETING [--ballot B] [--json]   provisional result record\n";

bool En() {
  return CurrentLang() == Lang::kEn;
}
std::string Pick(const Json& j, const char* zh_key, const char* en_key) {
  return Str(j, En() ? en_key : zh_key);
}

// "实到 31/60 · 法定人数 ✓（实到 31 × 2 > 应到 60 ✓）" and, for motions, the yes votes needed.
void PrintLive(const Json& live) {
  for (const Json& b : live) {
    std::ostringstream line;
    line << Str(b, "ballot") << " " << Clip(Str(b, "title"), 30) << " · " << L("实到 ", "present ")
         << b.value("present", 0) << "/" << b.value("expected", 0) << " · " << L("已投 ", "cast ")
         << b.value("cast", 0) << " · "
         << (b.value("quorum_met", false) ? L("达到法定人数", "quorate")
                                          : L("未达法定人数", "not quorate"));
    for (const Json& q : b.value("quorum", Json::array()))
      line << L("（", " (") << Pick(q, "inequality_zh", "inequality_en") << L("）", ")");
    if (b.value("closed_here", false)) line << L(" · 本机已结束", " · closed here");
    std::cout << line.str() << "\n";
    if (b.contains("outlook")) {
      const Json& o = b["outlook"];
      std::cout << "   " << L("通过需赞成 ", "yes votes needed to pass: ")
                << o.value("yes_needed", 0);
      if (Str(o, "state") == "already_passed") std::cout << L("（已达到）", " (reached)");
      std::cout << "\n";
      for (const Json& w : o.value("warnings", Json::array()))
        std::cout << "   " << L("⚠ 警告：", "⚠ warning: ") << Pick(w, "message_zh", "message_en")
                  << "\n";
    }
  }
}

void PrintResult(const Json& r) {
  for (const Json& w : r.value("warnings", Json::array()))
    std::cout << L("⚠ 警告：", "⚠ warning: ") << Pick(w, "message_zh", "message_en") << "\n";
  for (const Json& b : r.value("ballots", Json::array())) {
    const Json& rec = b["record"];
    std::cout << L("【暂计结果，以服务器汇总为准】\n",
                   "[provisional: the server's tally is final]\n");
    std::cout << Pick(rec, "text_zh", "text_en");
    const Json& irr = b["irregularities"];
    if (!irr.empty()) {
      std::cout << L("异常情况：\n", "irregularities:\n");
      for (const Json& i : irr)
        std::cout << "  [" << Str(i, "code") << "] " << Pick(i, "message_zh", "message_en") << "\n";
    }
    if (b.contains("final") && b["final"].is_object()) {
      std::cout << L("\n【服务器最终结果】\n", "\n[the server's final result]\n")
                << Pick(b["final"]["record"], "text_zh", "text_en");
      const Json& n = b["final"]["notice"];
      std::cout << L("公示：", "public notice: ") << Str(n, "first_day") << " — "
                << Str(n, "last_day") << "\n";
    }
    std::cout << "\n";
  }
}

// `out` is read after the call that filled it (never pass it in the same argument list).
int Emit(shefu_client* c, int rc, char* out, bool json, void (*print)(const Json&)) {
  if (rc != SHEFU_OK) return ApiError(c, rc);
  Json j = TakeJson(out);
  if (json) {
    std::cout << DumpJson(j) << "\n";
  } else {
    print(j);
  }
  return 0;
}

void PrintMeeting(const Json& m) {
  std::cout << Str(m, "title") << " · " << Str(m, "kind") << " · " << Str(m, "date") << " · "
            << Str(m, "community") << "  [" << Str(m, "short_id") << "]\n";
  for (const Json& b : m.value("ballots", Json::array()))
    std::cout << "  " << Str(b, "id") << ": " << Str(b, "title") << " (" << Str(b, "kind") << ", "
              << (b.value("secret", false) ? L("无记名", "secret") : L("记名", "open")) << ")\n";
  const Json& roll = m["roll"];
  std::cout << L("名册第 ", "roll version ") << roll.value("version", 0) << L(" 版，", ": ")
            << roll.value("size", 0) << L(" 人，委托 ", " people, ")
            << roll.value("proxies", Json::array()).size() << L(" 项\n", " proxies\n");
  for (const Json& e : roll.value("entries", Json::array()))
    std::cout << "  " << e.value("no", 0) << "\t" << Str(e, "name") << "\t" << Str(e, "household")
              << "\t" << Str(e, "id") << "\n";
  PrintLive(m.value("live", Json::array()));
}

}  // namespace

int CmdMeeting(Ctx& ctx) {
  Args& a = *ctx.args;
  bool json = a.Flag("json");
  bool with_roll = a.Flag("roll");
  bool blank = a.Flag("blank");
  auto ballot = a.Value("ballot");
  auto entry = a.Value("entry");
  auto choice = a.Value("choice");
  auto marks = a.Value("marks");
  auto assisted = a.Value("assisted-by");
  auto proxy = a.Value("proxy");
  std::string sub = a.Positional(1);
  std::string meeting = a.Positional(2);
  static const char* kSubs[] = {"list",     "show", "open",  "checkin",
                                "checkout", "vote", "close", "result"};
  bool known = false;
  for (const char* s : kSubs) known = known || sub == s;
  if (a.help() || !known) {
    std::cout << (En() ? kMeetingUsageEn : kMeetingUsageZh);
    return a.help() ? 0 : kExitUsage;
  }
  std::vector<std::string> entries;
  for (int i = 3; !a.Positional(i).empty(); ++i) entries.push_back(a.Positional(i));
  if (int rc = CheckArgs(ctx); rc >= 0) return rc;
  if (sub != "list" && meeting.empty())
    return UsageError({"需要会议编号（shefu meeting list 查看）",
                       "the meeting id is required (see shefu meeting list)"});
  int exit_code = 0;
  ClientPtr c = OpenClient(ctx, false, &exit_code);
  if (!c) return exit_code;
  char* out = nullptr;

  if (sub == "list") {
    int rc = shefu_meeting_list(c.get(), &out);
    if (rc != SHEFU_OK) return ApiError(c.get(), rc);
    Json list = TakeJson(out);
    if (json) {
      std::cout << DumpJson(list) << "\n";
      return 0;
    }
    std::vector<std::vector<std::string>> rows = {
        {L("编号", "id"), L("日期", "date"), L("会议", "meeting"), L("名册", "roll")}};
    for (const Json& m : list)
      rows.push_back({Str(m, "short_id"), Str(m, "date"), Clip(Str(m, "title"), 40),
                      std::to_string(m.value("roll_size", 0)) + L(" 人", " people")});
    PrintTable(rows);
    return 0;
  }
  if (sub == "show") {
    int rc = shefu_meeting_get(c.get(), meeting.c_str(), with_roll ? 1 : 0, &out);
    return Emit(c.get(), rc, out, json, PrintMeeting);
  }
  if (sub == "open") {
    int rc = shefu_meeting_open(c.get(), meeting.c_str(), ballot ? ballot->c_str() : nullptr, &out);
    return Emit(c.get(), rc, out, json, PrintMeeting);
  }
  if (sub == "checkin" || sub == "checkout") {
    if (entries.empty())
      return UsageError({"需要至少一个名册序号", "give at least one roll number"});
    Json all = Json::array();
    for (const std::string& e : entries) {
      int rc = sub == "checkin"
                   ? shefu_meeting_checkin(c.get(), meeting.c_str(), e.c_str(),
                                           assisted ? assisted->c_str() : nullptr, &out)
                   : shefu_meeting_checkout(c.get(), meeting.c_str(), e.c_str(), &out);
      if (rc != SHEFU_OK) return ApiError(c.get(), rc);
      Json j = TakeJson(out);
      if (!json) {
        const Json& en = j["entry"];
        std::cout << (sub == "checkin" ? L("已签到 ", "checked in ") : L("已离场 ", "checked out "))
                  << en.value("no", 0) << " " << Str(en, "name") << "\n";
        if (&e == &entries.back()) PrintLive(j["live"]);
      }
      all.push_back(std::move(j));
    }
    if (json) std::cout << DumpJson(all.size() == 1 ? all[0] : all) << "\n";
    return 0;
  }
  if (sub == "vote") {
    if (!ballot || !entry)
      return UsageError({"需要 --ballot 和 --entry", "--ballot and --entry are required"});
    if ((choice ? 1 : 0) + (marks ? 1 : 0) + (blank ? 1 : 0) != 1)
      return UsageError(
          {"--choice、--marks、--blank 三者选一", "give one of --choice, --marks, --blank"});
    Json v = {{"ballot", *ballot}, {"entry", *entry}};
    if (choice) v["choice"] = *choice;
    if (blank) v["choice"] = "blank";
    if (marks) {
      Json arr = Json::array();
      std::stringstream ss(*marks);
      for (std::string m; std::getline(ss, m, ',');)
        if (!m.empty()) arr.push_back(m);
      v["marks"] = arr;
    }
    if (assisted) v["assisted_by"] = *assisted;
    if (proxy) v["proxy"] = *proxy;
    std::string text = DumpJson(v);
    int rc = shefu_meeting_vote(c.get(), meeting.c_str(), text.c_str(), &out);
    if (rc != SHEFU_OK) return ApiError(c.get(), rc);
    Json j = TakeJson(out);
    if (json) {
      std::cout << DumpJson(j) << "\n";
    } else {
      std::cout << L("已投票 ", "ballot cast: ") << j["entry"].value("no", 0) << " "
                << Str(j["entry"], "name") << "\n";
      PrintLive(Json::array({j["live"]}));
    }
    return 0;
  }
  if (sub == "close") {
    if (!ballot) return UsageError({"需要 --ballot", "--ballot is required"});
    int rc = shefu_meeting_close(c.get(), meeting.c_str(), ballot->c_str(), &out);
    return Emit(c.get(), rc, out, json, PrintResult);
  }
  int rc = shefu_meeting_result(c.get(), meeting.c_str(), ballot ? ballot->c_str() : nullptr, &out);
  return Emit(c.get(), rc, out, json, PrintResult);
}

}  // namespace shefu::cli
