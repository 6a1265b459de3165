// Issue 7 end to end, with the real binaries: two offline tablets survey the 40 households the
// server drew, one household is interviewed twice; after sync the index, n, the duplicate flag
// and the evaluation-gated, deducted final payment are exactly as expected — and no column
// reachable from an answer row identifies a resident.
#include <set>

#include "shared/civil_time.h"
#include "shared/env.h"
#include "tests/client/client_fixture.h"
#include "tests/client/pty_util.h"
#include "tests/support/http_util.h"

using namespace shefu;
using namespace shefu::test;

namespace {

const char* kTown = "440404100";

// A staff session over real HTTP (raw requests on the loopback socket).
class Staff {
 public:
  Staff(int port, const std::string& login) : port_(port) {
    Json r = Call("POST", "/v1/login", {{"login", login}, {"password", login + "-password-1"}});
    token_ = r["token"];
  }
  Json Call(const std::string& method, const std::string& path, const Json& body = Json::object(),
            int expect = 0) {
    std::string payload = method == "GET" ? "" : DumpJson(body);
    std::string req = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    if (!token_.empty()) req += "Authorization: Bearer " + token_ + "\r\n";
    if (method != "GET")
      req += "Content-Type: application/json\r\nContent-Length: " + std::to_string(payload.size()) +
             "\r\n";
    req += "Connection: close\r\n\r\n" + payload;
    RawReply r = RawHttp(port_, req, 60000);
    INFO(method << " " << path << " -> " << r.status << " " << r.body);
    auto j = ParseJson(r.body);
    REQUIRE(j.ok());
    if (expect) REQUIRE(r.status == expect);
    return *j;
  }
  Json Ok(const std::string& method, const std::string& path, const Json& body = Json::object(),
          int expect = 200) {
    return Call(method, path, body, expect);
  }

 private:
  int port_;
  std::string token_;
};

void AddUser(TownServer& town, std::vector<std::string> extra) {
  std::vector<std::string> argv = {BinaryPath("shefu-server"), "user", "add", "--data",
                                   town.data()};
  argv.insert(argv.end(), extra.begin(), extra.end());
  auto r = Run(argv, {{"SHEFU_USER_PASSWORD", extra[1] + "-password-1"}});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
}

std::string Day(int y, int m, int d) {
  return FormatDate(Date{y, m, d});
}

// The answer of household i: 非常满意 ×3, 满意 ×4, 一般, 不满意, 不清楚 per ten.
std::string Level(int i) {
  static const char* kLevels[] = {"very_satisfied", "very_satisfied", "very_satisfied", "satisfied",
                                  "satisfied",      "satisfied",      "satisfied",      "neutral",
                                  "dissatisfied",   "dont_know"};
  return kLevels[i % 10];
}

Json Take(const std::string& device, const std::string& survey, const std::string& entry,
          const std::string& level, int64_t started_ms, int duration_s) {
  Json answers = {{"q1", level}, {"q3", true}};
  if (level == "dissatisfied" || level == "very_dissatisfied") answers["q2"] = "上门时间不固定";
  auto r = Shefu(device, {"survey", "take", survey, "--entry", entry, "--answers",
                          DumpJson(answers), "--started-ms", std::to_string(started_ms),
                          "--duration-s", std::to_string(duration_s), "--json"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  return *ParseJson(r.out);
}

}  // namespace

TEST_CASE("Surveys end to end: two offline devices, 40 households, one surveyed twice") {
  TownServer town;
  town.AddWorker("wang", "王社工");
  town.AddWorker("lisi", "李社工");
  AddUser(town,
          {"--login", "zhou", "--name", "周镇干部", "--role", "town_staff", "--place", kTown});
  AddUser(town,
          {"--login", "sochief", "--name", "机构负责人", "--role", "social_org", "--org", "so-1"});
  TempDir dev1, dev2;
  EnrolDevice(town, dev1.path(), "wang");
  EnrolDevice(town, dev2.path(), "lisi");
  town.Start();
  for (const auto* d : {&dev1, &dev2})
    REQUIRE(Shefu(d->path(), {"config", "set-url", town.url()}).exit_code == 0);
  Staff t(town.port(), "zhou");
  Staff so(town.port(), "sochief");
  const int y = ShanghaiDate(SystemClock::Instance().NowMs()).year - 1;

  // A contracted project of the town: 10,000.00 yuan, final 2,000.00 with a deduction per grade.
  Json body = {
      {"place", kTown},
      {"proposal",
       {{"title", "长者上门探访"},
        {"description", "高龄独居长者每周上门探访"},
        {"origin", "town_planned"},
        {"category", "basic"},
        {"sub_item", "basic.elderly_care"},
        {"year", y},
        {"beneficiaries", 60},
        {"fee_mode", "free"}}},
      {"funding",
       {{"budget_fen", 1'000'000},
        {"lines",
         {{{"source", "social"}, {"subtype", "community_fund"}, {"amount_fen", 1'000'000}}}}}},
      {"evidence", {{"planning_basis", "镇民生实事计划"}}},
      {"indicators", {{"items", {{{"name", "探访人次"}, {"target", "2000人次"}}}}}},
      {"prohibited", {{"declared", Json::array()}, {"attested", true}}}};
  t.Ok("PUT", "/v1/towns/" + std::string(kTown) + "/funds/" + std::to_string(y),
       {{"amount_fen", 5'000'000}});
  const std::string id = t.Ok("POST", "/v1/projects", body, 201)["id"];
  const std::string pp = "/v1/projects/" + id;
  for (const char* e : {"submit", "start_review", "approve"})
    t.Ok("POST", pp + "/events", {{"event", e}});
  t.Ok("PUT", pp + "/procurement", {{"method", "competitive_consultation"}});
  t.Ok("POST", pp + "/events", {{"event", "start_procurement"}});
  t.Ok("PUT", pp + "/procurement",
       {{"method", "competitive_consultation"},
        {"award_notice_ref", "公告 7"},
        {"award_notice_on", Day(y - 1, 12, 1)},
        {"provider_org", "so-1"}});
  t.Ok("POST", pp + "/events", {{"event", "award"}});
  t.Ok("PUT", pp + "/contract",
       {{"amount_fen", 1'000'000},
        {"start", Day(y, 1, 1)},
        {"end", Day(y, 12, 31)},
        {"deduction",
         {{"kind", "per_grade"},
          {"per_grade_permille", {{"good", 50}, {"fair", 100}, {"poor", 300}}}}},
        {"payment_plan",
         {{{"kind", "advance"}, {"amount_fen", 400'000}, {"due_on", Day(y, 1, 10)}},
          {{"kind", "progress"},
           {"amount_fen", 400'000},
           {"due_on", Day(y, 7, 1)},
           {"milestone", "半年"}},
          {{"kind", "final"}, {"amount_fen", 200'000}, {"due_on", Day(y, 12, 31)}}}}});
  t.Ok("POST", pp + "/contract/sign", {{"signed_on", Day(y - 1, 12, 20)}});
  so.Ok("POST", pp + "/contract/sign", {{"signed_on", Day(y - 1, 12, 22)}});
  so.Ok("POST", pp + "/events", {{"event", "sign_contract"}});

  // The template (v1) and the sample: 40 of the 50 recipients, drawn by the server.
  Json tmpl = {
      {"format", "shefu-survey/1"},
      {"id", "visits"},
      {"version", 1},
      {"title", {{"zh", "上门探访满意度"}, {"en", "Home visits"}}},
      {"anonymous", true},
      {"questions",
       {{{"id", "q1"},
         {"type", "satisfaction5"},
         {"text", {{"zh", "您对上门探访满意吗？"}}},
         {"required", true}},
        {{"id", "q2"},
         {"type", "text"},
         {"text", {{"zh", "原因"}}},
         {"max_length", 200},
         {"show_if", {{"question", "q1"}, {"any_of", {"dissatisfied", "very_dissatisfied"}}}}},
        {{"id", "q3"}, {"type", "yes_no"}, {"text", {{"zh", "是否每周都有探访？"}}}}}}};
  const std::string sid =
      t.Ok("POST", pp + "/surveys", {{"template", tmpl}, {"min_n", 30}}, 201)["survey"]["id"];
  Json recipients = Json::array();
  for (int i = 1; i <= 50; ++i)
    recipients.push_back({{"ref", "HH-" + std::to_string(1000 + i)},
                          {"community", kCommunity},
                          {"label", std::to_string(i) + "号 陈*"}});
  t.Ok("POST", "/v1/surveys/" + sid + "/frame", {{"recipients", recipients}, {"sample_size", 40}},
       201);

  // Both tablets download the template and the sample, then go offline.
  for (const auto* d : {&dev1, &dev2}) {
    auto r = Shefu(d->path(), {"sync"});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
  }
  town.Stop();
  Json shown = ShefuJson(dev1.path(), {"survey", "show", sid, "--json"});
  REQUIRE(shown["frame"].size() == 40);
  for (const Json& e : shown["frame"]) CHECK_FALSE(e.contains("token"));  // never shown
  std::vector<std::string> entries;
  for (const Json& e : shown["frame"]) entries.push_back(e["entry"]);

  // A frame survey needs the household: no entry, no interview.
  auto no_entry = Shefu(dev1.path(), {"survey", "take", sid, "--answers", R"({"q1":"satisfied"})"});
  CHECK(no_entry.exit_code != 0);
  // An invalid answer is refused on the device (hidden question answered).
  auto hidden = Shefu(dev1.path(), {"survey", "take", sid, "--entry", entries[0], "--answers",
                                    R"({"q1":"satisfied","q2":"x"})"});
  CHECK(hidden.exit_code != 0);

  // On a terminal, the guided form: a walk-in outside the sample (kept, not counted in the rate).
  {
    const std::vector<std::pair<std::string, std::string>> steps = {
        {"名单外受访者", "41"}, {"上门探访满意吗", ""},  // required: asked again
        {"此题必答", "2"},      {"每周都有探访", "1"},  {"保存这份答卷", "y"},
    };
    auto g = RunOnPty({BinaryPath("shefu"), "--data", dev1.path(), "survey", "take", sid},
                      {{"LANG", "zh_CN.UTF-8"}, {"LC_ALL", ""}}, steps);
    INFO(g.out);
    INFO("steps answered: " << g.steps_done << " " << g.error);
    REQUIRE(!g.timed_out);
    REQUIRE(g.exit_code == 0);
    CHECK(g.out.find("非常满意") != std::string::npos);
    CHECK(g.out.find("原因") == std::string::npos);  // hidden: 满意 needs no reason
    CHECK(g.out.find("已记录（匿名）") != std::string::npos);
  }

  // Ten minutes apart, twenty interviews each; then li goes back to household 0 (a quick one).
  const int64_t base = SystemClock::Instance().NowMs() - 6LL * 3600 * 1000;
  for (int i = 0; i < 40; ++i)
    Take(i < 20 ? dev1.path() : dev2.path(), sid, entries[i], Level(i), base + int64_t{i} * 600'000,
         540);
  Json dup = Take(dev2.path(), sid, entries[0], "very_dissatisfied", base + 41LL * 600'000, 30);
  // This tablet has not seen household 0 (the other one did): only the server can tell.
  CHECK(dup["warnings"].empty());
  CHECK(dup["flags"] == Json::array({"too_short"}));

  // The provisional figure on one tablet: 20 answers, below the minimum of 30.
  Json list = ShefuJson(dev1.path(), {"survey", "list", "--json"});
  REQUIRE(list.size() == 1);
  CHECK(list[0]["provisional"]["n"] == 18);  // 2 of the 20 said 不清楚
  CHECK(list[0]["provisional"]["suppressed"] == true);
  CHECK(list[0]["provisional"]["distribution"]["very_satisfied"] == 6);

  CHECK(ShefuJson(dev1.path(), {"survey", "close", sid, "--json"})["sealed"] == 21);
  CHECK(ShefuJson(dev2.path(), {"survey", "close", sid, "--json"})["sealed"] == 21);
  town.Start();  // a new port
  for (const auto* d : {&dev1, &dev2})
    REQUIRE(Shefu(d->path(), {"config", "set-url", town.url()}).exit_code == 0);
  Staff t2(town.port(), "zhou");
  for (const auto* d : {&dev1, &dev2}) {
    auto r = Shefu(d->path(), {"sync"});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
  }

  // 41 answers: 非常满意 12, 满意 16, 一般 4, 不满意 4, 非常不满意 1, 不清楚 4 → 37 valid,
  // 28 satisfied: 75.7 % [59.8 %, 86.7 %], index 2840/37 = 76.8; 40 of 40 reached.
  Json res = t2.Ok("GET", "/v1/satisfaction?project=" + id);
  INFO(res.dump());
  const Json& r = res["by_project"][id];
  CHECK(r["n"] == 37);
  CHECK(r["respondents"] == 41);
  CHECK(r["distribution"]["dont_know"] == 4);
  CHECK(r["distribution"]["very_dissatisfied"] == 1);
  CHECK(r["rate"] == "75.7%");
  CHECK(r["interval"]["text"] == "[59.8%, 86.7%]");
  CHECK(r["index"] == "76.8");
  CHECK(r["response_rate"] == "100.0%");
  CHECK(res["by_community"][kCommunity]["n"] == 37);
  REQUIRE(res["surveys"].size() == 1);
  const Json& rv = res["surveys"][0];
  CHECK(rv["answers"] == 42);
  CHECK(rv["non_frame"] == 1);
  CHECK(rv["invalid"] == 0);
  CHECK(rv["contacted"] == 40);
  CHECK(rv["excess"] == 1);
  REQUIRE(rv["duplicates"].size() == 1);
  CHECK(rv["duplicates"][0]["times"] == 2);
  CHECK(rv["duplicates"][0]["label"] == shown["frame"][0]["label"]);
  CHECK(rv["paradata_flags"]["too_short"] == 2);  // li's quick return, the walk-in

  // The final payment waits for acceptance, then is reduced by the contract's rule.
  t2.Ok("POST", pp + "/payments",
        {{"kind", "advance"}, {"amount_fen", 400'000}, {"paid_on", Day(y, 1, 5)}}, 201);
  t2.Ok("POST", pp + "/events", {{"event", "start_service"}});
  t2.Ok("POST", pp + "/payments",
        {{"kind", "progress"},
         {"amount_fen", 400'000},
         {"paid_on", Day(y, 7, 1)},
         {"milestone", "半年"}},
        201);
  t2.Ok("POST", pp + "/events", {{"event", "start_evaluation"}});
  Json final_pay = {{"kind", "final"}, {"amount_fen", 190'000}, {"paid_on", Day(y, 12, 31)}};
  CHECK(t2.Call("POST", pp + "/payments", final_pay)["code"] == "payment_not_allowed_in_state");
  Json ev =
      t2.Ok("PUT", pp + "/evaluation",
            {{"evaluator", {{"type", "town"}}},
             {"opinions",
              {{{"role", "two_committees"}, {"author", "tc-1"}, {"text", "服务规范"}},
               {{"role", "resident_rep"}, {"author", "rr-1"}, {"text", "老人认可"}}}},
             {"scorecard",
              {{"indicators",
                {{{"code", "output"}, {"weight_permille", 600}},
                 {{"code", "satisfaction"}, {"weight_permille", 400}, {"satisfaction", true}}}},
               {"scores", {{{"code", "output"}, {"tenths", 850}}}}}},
             {"passed", true}});
  const Json& g = ev["project"]["groups"]["evaluation"];
  CHECK(g["score_tenths"] == 813);  // 600‰ × 85.0 + 400‰ × 75.7 = 81.28 → 81.3
  CHECK(g["grade"] == "good");
  t2.Ok("POST", pp + "/events", {{"event", "complete_evaluation"}});
  // 良: 5 % of 2,000.00 deducted: at most 1,900.00.
  final_pay["amount_fen"] = 200'000;
  CHECK(t2.Call("POST", pp + "/payments", final_pay)["code"] == "final_payment_over_deduction");
  final_pay["amount_fen"] = 190'000;
  t2.Ok("POST", pp + "/payments", final_pay, 201);
  Json paid = t2.Ok("GET", pp + "/payments");
  CHECK(paid["final_payable_fen"] == 190'000);
  CHECK(paid["paid_fen"] == 990'000);

  // Anonymity: nothing reachable from an answer row identifies a resident.
  town.Stop();
  std::vector<std::string> cols =
      town.QueryStrings("SELECT name FROM pragma_table_info('sync_anon_item') ORDER BY name");
  CHECK(cols ==
        std::vector<std::string>{"community", "day", "district", "entity", "id", "town", "value"});
  std::vector<std::string> frames =
      town.QueryStrings("SELECT value FROM sync_field WHERE entity = 'survey_frame'");
  std::set<std::string> identifying;  // tokens, entry ids and labels of the sample
  for (const auto& f : frames) {
    auto parsed = ParseJson(f);  // kept alive: the loop below iterates inside it
    REQUIRE(parsed.ok());
    for (const Json& e : parsed->at("entries"))
      for (const char* k : {"token", "entry", "label"}) identifying.insert(e[k].get<std::string>());
  }
  std::vector<std::string> rows = town.QueryStrings(
      "SELECT id || '|' || day || '|' || community || '|' || value FROM sync_anon_item "
      "WHERE entity = 'survey_answer'");
  REQUIRE(rows.size() == 42);
  const std::set<std::string> allowed = {"survey",  "community", "template_id", "template_version",
                                         "answers", "flags",     "in_frame"};
  for (const auto& row : rows) {
    for (const auto& x : identifying) CHECK(row.find(x) == std::string::npos);
    Json v = *ParseJson(row.substr(row.find('|', row.find('|', row.find('|') + 1) + 1) + 1));
    for (const auto& [k, _] : v.items()) CHECK(allowed.count(k) == 1);
    const std::string day = row.substr(row.find('|') + 1, 10);
    CHECK(row.substr(row.find('|') + 11, 1) == "|");  // the day only, no time
    CHECK(day.size() == 10);
  }
  // The survey an answer points to holds the template and the project, no people.
  for (const auto& sv : town.QueryStrings("SELECT value FROM sync_field WHERE entity = 'survey'"))
    for (const auto& x : identifying) CHECK(sv.find(x) == std::string::npos);
  // The audit trail counts anonymous batches; it never lists answers.
  CHECK(town.QueryInt("SELECT count(*) FROM audit WHERE detail LIKE '%very_satisfied%'") == 0);
  // On the tablet, the paradata table holds timings only.
  DbOptions o;
  o.create = false;
  auto db = Db::Open(dev2.path() + "/profiles/default.db", o);
  REQUIRE(db.ok());
  auto st = (*db)->Prepare("SELECT group_concat(name) FROM pragma_table_info('survey_paradata')");
  REQUIRE(st.ok());
  REQUIRE(*st->Step());
  CHECK(st->Str(0) == "start_ms,end_ms");

  // Offline again, back at household 1 on the tablet that interviewed it: the worker is told at
  // once (from the batch kept after upload); nothing is refused.
  Json again = Take(dev1.path(), sid, entries[1], "satisfied", base + 50LL * 600'000, 540);
  CHECK(again["warnings"] == Json::array({"already_interviewed_here"}));
}
