// Satisfaction surveys through the staff API over real HTTP (issue 7): a versioned template on a
// contracted project (immutable once published), the server-drawn sample, anonymous answers
// from a device token, the index per project / community / overall with suppression, the
// reports, the evaluation fed by the index, and the final payment reduced by the contract's
// deduction rule.
#include "tests/server/staff_fixture.h"
#include "tests/support/http_util.h"

using namespace shefu;
using namespace shefu::test;

namespace {

Json Template(int version) {
  return {
      {"format", "shefu-survey/1"},
      {"id", "sat-elders"},
      {"version", version},
      {"title", {{"zh", "长者服务满意度调查"}, {"en", "Elders' service satisfaction"}}},
      {"anonymous", true},
      {"questions",
       {{{"id", "q1"},
         {"type", "satisfaction5"},
         {"text", {{"zh", "您对上门服务是否满意？"}}},
         {"required", true}},
        {{"id", "q2"},
         {"type", "text"},
         {"text", {{"zh", "不满意的原因"}}},
         {"max_length", 200},
         {"show_if", {{"question", "q1"}, {"any_of", {"dissatisfied", "very_dissatisfied"}}}}}}}};
}

// Town project of 翠香街道 to `contracted`, with a deduction rule: a score below 80.0 takes
// 10 % off the final installment.
std::string ContractedProject(StaffServer& s, int y) {
  PublishCatalogue(s, y);
  s.Ok("town", "PUT", "/v1/towns/" + std::string(kTown) + "/funds/" + std::to_string(y),
       {{"amount_fen", 20'000'000}});
  Json p = s.Ok("town", "POST", "/v1/projects", TownProjectBody(y), 201);
  const std::string id = p["id"];
  TownProjectToAwarded(s, id, y);
  Json contract = ContractBody(y);
  contract["deduction"] = {
      {"kind", "below_threshold"}, {"threshold_tenths", 800}, {"deduct_permille", 100}};
  s.Ok("town", "PUT", ProjectPath(id, "/contract"), contract);
  s.Ok("town", "POST", ProjectPath(id, "/contract/sign"), {{"signed_on", Day(y - 1, 12, 20)}});
  s.Ok("so", "POST", ProjectPath(id, "/contract/sign"), {{"signed_on", Day(y - 1, 12, 22)}});
  Event(s, "so", id, "sign_contract");
  return id;
}

std::vector<std::string> FrameTokens(StaffServer& s) {
  DbOptions o;
  o.read_only = true;
  o.create = false;
  auto db = Db::Open(s.data_dir() + "/shefu.db", o);
  REQUIRE(db.ok());
  auto st = (*db)->Prepare("SELECT value FROM sync_field WHERE entity = 'survey_frame'");
  REQUIRE(st.ok());
  std::vector<std::string> out;
  for (;;) {
    auto r = st->Step();
    REQUIRE(r.ok());
    if (!*r) break;
    auto v = ParseJson(st->Str(0));
    REQUIRE(v.ok());
    for (const Json& e : (*v)["entries"]) out.push_back(e["token"]);
  }
  return out;
}

Json AnonBatch(std::vector<Json> items) {
  static int n = 0;
  char id[33];
  snprintf(id, sizeof id, "%032x", ++n);
  Json body = {{"protocol", 1}, {"schema", 1}, {"batch_id", id}, {"date", "2026-03-01"}};
  body["items"] = Json::array();
  for (auto& i : items) body["items"].push_back(std::move(i));
  return body;
}

Json AnswerItem(const std::string& survey, const std::string& level, int version = 1) {
  return {{"entity", "survey_answer"},
          {"value",
           {{"survey", survey},
            {"community", kCommunity},
            {"template_id", "sat-elders"},
            {"template_version", version},
            {"answers", {{"q1", level}}},
            {"in_frame", true}}}};
}

Json ContactItem(const std::string& survey, const std::string& token) {
  return {{"entity", "survey_contact"},
          {"value", {{"survey", survey}, {"community", kCommunity}, {"token", token}}}};
}

}  // namespace

TEST_CASE(
    "Surveys API: versioned templates, the drawn sample, the index, reports, evaluation and "
    "the deducted final payment") {
  StaffServer s;
  const int y = LastYear();

  // Only a contracted project takes a survey.
  Json draft = s.Ok("cw", "POST", "/v1/projects", CommunityProjectBody(y), 201);
  ApiReply early =
      s.Call("town", "POST", ProjectPath(draft["id"], "/surveys"), {{"template", Template(1)}});
  CHECK(early.body["code"] == "not_editable");

  const std::string id = ContractedProject(s, y);
  const std::string surveys = ProjectPath(id, "/surveys");
  CHECK(s.Call("cw", "POST", surveys, {{"template", Template(1)}}).status == 403);
  Json v1 = s.Ok("town", "POST", surveys, {{"template", Template(1)}, {"min_n", 10}}, 201);
  const std::string sid = v1["survey"]["id"];
  CHECK(v1["survey"]["index_question"] == "q1");
  CHECK(v1["survey"]["version"] == 1);
  // Immutable once published: the same version again, or a gap, is refused; v2 is a new record.
  CHECK(s.Call("town", "POST", surveys, {{"template", Template(1)}}).body["code"] ==
        "template_version_conflict");
  CHECK(s.Call("town", "POST", surveys, {{"template", Template(3)}}).body["code"] ==
        "template_version_conflict");
  Json v2 = s.Ok("town", "POST", surveys, {{"template", Template(2)}, {"min_n", 10}}, 201);
  CHECK(v2["survey"]["id"] != sid);
  Json listed = s.Ok("cw", "GET", surveys);
  REQUIRE(listed["surveys"].size() == 2);
  CHECK(listed["surveys"][0]["template"]["version"] == 1);
  CHECK(s.Ok("town", "GET", "/v1/surveys/" + sid)["survey"]["version"] == 1);

  // The sample: 12 recipients, 10 drawn by the server; once only.
  Json recipients = Json::array();
  for (int i = 1; i <= 12; ++i)
    recipients.push_back({{"ref", "household-" + std::to_string(i)},
                          {"community", kCommunity},
                          {"label", std::to_string(i) + "栋101 张*"}});
  Json frame = s.Ok("town", "POST", "/v1/surveys/" + sid + "/frame",
                    {{"recipients", recipients}, {"sample_size", 10}}, 201);
  CHECK(frame["frame"]["sample_size"] == 10);
  CHECK(frame["frame"]["by_community"][kCommunity] == 10);
  CHECK(s.Call("town", "POST", "/v1/surveys/" + sid + "/frame",
               {{"recipients", recipients}, {"sample_size", 10}})
            .body["code"] == "frame_exists");
  Json outside = recipients;
  outside[0]["community"] = kCommunity2;
  CHECK(s.Call("town", "POST", "/v1/surveys/" + v2["survey"]["id"].get<std::string>() + "/frame",
               {{"recipients", outside}, {"sample_size", 10}})
            .body["code"] == "unknown_community");
  std::vector<std::string> tokens = FrameTokens(s);
  REQUIRE(tokens.size() == 10);
  // The recipient references are never stored, only their keyed tokens.
  CHECK(s.Fingerprint().find("household-") == std::string::npos);

  // Answers from the community worker's tablet: 9 of the 10 reached, the first one twice.
  // 3 非常满意, 4 满意, 2 一般, 1 不满意 (with its reason): 7/10 satisfied.
  const char* levels[] = {"very_satisfied", "very_satisfied", "very_satisfied",
                          "satisfied",      "satisfied",      "satisfied",
                          "satisfied",      "neutral",        "neutral"};
  std::vector<Json> items;
  for (int i = 0; i < 9; ++i) {
    items.push_back(AnswerItem(sid, levels[i]));
    items.push_back(ContactItem(sid, tokens[i]));
  }
  Json unhappy = AnswerItem(sid, "dissatisfied");
  unhappy["value"]["answers"]["q2"] = "来得太晚";
  items.push_back(unhappy);
  items.push_back(ContactItem(sid, tokens[0]));
  // Refused or not counted: a wrong version (counted as invalid), a hidden question answered.
  items.push_back(AnswerItem(sid, "satisfied", 2));
  Json hidden = AnswerItem(sid, "satisfied");
  hidden["value"]["answers"]["q2"] = "x";
  items.push_back(hidden);
  ApiReply up = s.Call("cw_dev", "POST", "/v1/sync/anon", AnonBatch(items));
  INFO(up.body.dump());
  REQUIRE(up.status == 200);
  CHECK(up.body["accepted"] == 22);

  Json res = s.Ok("town", "GET", "/v1/satisfaction?project=" + id);
  INFO(res.dump());
  CHECK(res["min_n"] == 10);
  const Json& pr = res["by_project"][id];
  CHECK(pr["n"] == 10);
  CHECK(pr["rate"] == "70.0%");
  CHECK(pr["index"] == "77.0");  // (3×100 + 4×80 + 2×60 + 1×30) / 10
  CHECK(pr["frame_size"] == 10);
  CHECK(pr["response_rate"] == "90.0%");
  CHECK(pr["interval"]["text"] == "[39.6%, 89.3%]");
  CHECK(res["by_community"][kCommunity]["n"] == 10);
  CHECK(res["overall"]["n"] == 10);
  REQUIRE(res["surveys"].size() == 2);
  const Json& rv = res["surveys"][0];
  CHECK(rv["answers"] == 12);
  CHECK(rv["invalid"] == 2);
  CHECK(rv["contacted"] == 9);
  CHECK(rv["excess"] == 1);
  REQUIRE(rv["duplicates"].size() == 1);
  CHECK(rv["duplicates"][0]["times"] == 2);
  // Suppressed below a higher minimum: distribution kept, no rate.
  Json strict = s.Ok("town", "GET", "/v1/satisfaction?project=" + id + "&min_n=30");
  CHECK(strict["by_project"][id]["suppressed"] == true);
  CHECK_FALSE(strict["by_project"][id].contains("rate"));
  CHECK(strict["by_project"][id]["distribution"]["very_satisfied"] == 3);
  // Another town's staff sees nothing of it.
  CHECK(s.Ok("town2", "GET", "/v1/satisfaction")["overall"]["n"] == 0);

  // Reports, from the command beside the running server: CSV for Excel, printable HTML.
  {
    TempDir out;
    auto r = Run({BinaryPath("shefu-server"), "satisfaction", "--data", s.data_dir(), "--town",
                  kTown, "--format", "csv", "--out", out.file("r.csv")});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    std::string csv = ReadFile(out.file("r.csv"));
    CHECK(csv.rfind("\xEF\xBB\xBF", 0) == 0);
    CHECK(csv.find("70.0%") != std::string::npos);
    CHECK(csv.find("39.6%") != std::string::npos);
    r = Run({BinaryPath("shefu-server"), "satisfaction", "--data", s.data_dir(), "--project", id,
             "--format", "html", "--out", out.file("r.html")});
    REQUIRE(r.exit_code == 0);
    std::string html = ReadFile(out.file("r.html"));
    CHECK(html.find("<svg") != std::string::npos);
    CHECK(html.find("满意率 70.0% [39.6%, 89.3%]") != std::string::npos);
    CHECK(html.find("指数 77.0") != std::string::npos);
    r = Run({BinaryPath("shefu-server"), "--lang", "en", "satisfaction", "--data", s.data_dir(),
             "--project", id});
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("rate 70.0% [39.6%, 89.3%]  index 77.0") != std::string::npos);
  }
  // The same reports over HTTP.
  {
    const std::string token = s.Ok(
        "", "POST", "/v1/login", {{"login", "utown"}, {"password", "town-password-123"}})["token"];
    auto serve = ParseJson(ReadFile(s.data_dir() + "/serve.json"));
    REQUIRE(serve.ok());
    const int port = (*serve)["port"];
    auto get = [&](const std::string& path) {
      return RawHttp(port,
                     "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                         token + "\r\nConnection: close\r\n\r\n",
                     30000);
    };
    RawReply csv = get("/v1/satisfaction/report.csv?project=" + id);
    CHECK(csv.status == 200);
    CHECK(csv.headers.find("text/csv") != std::string::npos);
    CHECK(csv.body.rfind("\xEF\xBB\xBF", 0) == 0);
    CHECK(csv.body.find("75.0%") == std::string::npos);
    CHECK(csv.body.find("70.0%") != std::string::npos);
    RawReply html = get("/v1/satisfaction/report.html?town=" + std::string(kTown));
    CHECK(html.status == 200);
    CHECK(html.headers.find("text/html") != std::string::npos);
    CHECK(html.body.find("<svg") != std::string::npos);
    CHECK(get("/v1/satisfaction/report.csv?min_n=abc").status == 400);
  }

  // 绩效评价: the satisfaction indicator is fed from the index (70.0 -> 70.0 points).
  const std::string pay = ProjectPath(id, "/payments");
  s.Ok("town", "POST", pay,
       {{"kind", "advance"}, {"amount_fen", 4'000'000}, {"paid_on", Day(y, 1, 5)}}, 201);
  Event(s, "town", id, "start_service");
  s.Ok("town", "POST", pay,
       {{"kind", "progress"},
        {"amount_fen", 4'000'000},
        {"paid_on", Day(y, 7, 1)},
        {"milestone", "上半年服务完成"}},
       201);
  Event(s, "town", id, "start_evaluation");
  const std::string ev = ProjectPath(id, "/evaluation");
  Json card = {{"indicators",
                {{{"code", "output"}, {"name", "产出"}, {"weight_permille", 600}},
                 {{"code", "satisfaction"},
                  {"name", "服务对象满意度"},
                  {"weight_permille", 400},
                  {"satisfaction", true}}}},
               {"scores", {{{"code", "output"}, {"tenths", 850}}}}};
  Json opinions = {{{"role", "two_committees"}, {"author", "tc-1"}, {"text", "服务到位"}},
                   {{"role", "resident_rep"}, {"author", "rr-1"}, {"text", "基本满意"}}};
  Json body = {{"scorecard", card},
               {"evaluator", {{"type", "third_party"}, {"org", "eval-org-1"}}},
               {"passed", true}};
  // 第二十七条: opinions of both groups before acceptance.
  CHECK(s.Call("town", "PUT", ev, body).body["code"] == "two_committees_opinion_missing");
  body["opinions"] = {opinions[0]};
  CHECK(s.Call("town", "PUT", ev, body).body["code"] == "resident_rep_opinion_missing");
  body["opinions"] = opinions;
  // The satisfaction score is never typed.
  Json typed = body;
  typed["scorecard"]["scores"].push_back({{"code", "satisfaction"}, {"tenths", 1000}});
  CHECK(s.Call("town", "PUT", ev, typed).body["code"] == "satisfaction_score_typed");
  // A third party must not be the provider.
  Json self = body;
  self["evaluator"]["org"] = "so-1";
  CHECK(s.Call("town", "PUT", ev, self).body["code"] == "evaluator_is_provider");
  // A poor first round (28.0 差) cannot be accepted; it goes to rectification and comes back.
  Json poor = body;
  poor["scorecard"]["scores"][0]["tenths"] = 0;
  CHECK(s.Call("town", "PUT", ev, poor).body["code"] == "grade_too_low");
  poor["passed"] = false;
  Json first = s.Ok("town", "PUT", ev, poor);
  CHECK(first["project"]["groups"]["evaluation"]["grade"] == "poor");
  CHECK(Event(s, "town", id, "require_rectification", "入户频次不足，限期整改")["state"] ==
        "rectifying");
  CHECK(Event(s, "so", id, "resubmit_evaluation")["state"] == "under_evaluation");
  Json done = s.Ok("town", "PUT", ev, body);
  const Json& g = done["project"]["groups"]["evaluation"];
  INFO(g.dump());
  CHECK(g["score_tenths"] == 790);  // 600‰ × 85.0 + 400‰ × 70.0 = 79.0
  CHECK(g["grade"] == "fair");
  CHECK(g["survey_done"] == true);
  CHECK(g["satisfaction"]["rate"] == "70.0%");
  CHECK(g["passed"] == true);
  CHECK(Event(s, "town", id, "complete_evaluation")["state"] == "evaluated");

  // The town's alert list: the final installment is now due and long overdue.
  auto alerts_for = [&](const Json& list) {
    int n = 0;
    for (const auto& a : list["alerts"])
      if (a["project"] == id && a["code"] == "payment_overdue") ++n;
    return n;
  };
  CHECK(alerts_for(s.Ok("town", "GET", "/v1/payment-alerts?town=" + std::string(kTown))) == 1);
  CHECK(s.Call("cw", "GET", "/v1/payment-alerts").status == 403);
  // 第二十七条: 79.0 < 80.0 takes 10 % off the 20,000.00 final installment.
  ApiReply over =
      s.Call("town", "POST", pay,
             {{"kind", "final"}, {"amount_fen", 2'000'000}, {"paid_on", Day(y, 12, 31)}});
  CHECK(over.body["code"] == "final_payment_over_deduction");
  CHECK(over.body.value("article", "") == "第二十七条");
  s.Ok("town", "POST", pay,
       {{"kind", "final"}, {"amount_fen", 1'800'000}, {"paid_on", Day(y, 12, 31)}}, 201);
  Json paid = s.Ok("town", "GET", pay);
  CHECK(paid["final_payable_fen"] == 1'800'000);
  CHECK(paid["final_deduction_fen"] == 200'000);
  CHECK(paid["paid_fen"] == 9'800'000);
  for (const auto& w : paid["warnings"]) CHECK(w["code"] != "payment_overdue");
  // The deducted 2,000.00 is not owed: no alert once the payable part is paid.
  CHECK(alerts_for(s.Ok("town", "GET", "/v1/payment-alerts")) == 0);
}

TEST_CASE("Payment alerts: a December lump payment ahead of progress is listed for the town") {
  StaffServer s;
  const int y = LastYear();
  PublishCatalogue(s, y);
  s.Ok("town", "PUT", "/v1/towns/" + std::string(kTown) + "/funds/" + std::to_string(y),
       {{"amount_fen", 20'000'000}});
  const std::string id = s.Ok("town", "POST", "/v1/projects", TownProjectBody(y), 201)["id"];
  TownProjectToAwarded(s, id, y);
  // July to June: by 20 December about half of the service is delivered.
  Json contract = {
      {"amount_fen", 10'000'000},
      {"start", Day(y, 7, 1)},
      {"end", Day(y + 1, 6, 30)},
      {"payment_plan",
       {{{"kind", "advance"}, {"amount_fen", 4'000'000}, {"due_on", Day(y, 7, 10)}},
        {{"kind", "progress"},
         {"amount_fen", 4'000'000},
         {"due_on", Day(y + 1, 1, 10)},
         {"milestone", "半年"}},
        {{"kind", "final"}, {"amount_fen", 2'000'000}, {"due_on", Day(y + 1, 6, 30)}}}}};
  s.Ok("town", "PUT", ProjectPath(id, "/contract"), contract);
  s.Ok("town", "POST", ProjectPath(id, "/contract/sign"), {{"signed_on", Day(y, 6, 20)}});
  s.Ok("so", "POST", ProjectPath(id, "/contract/sign"), {{"signed_on", Day(y, 6, 22)}});
  Event(s, "so", id, "sign_contract");
  const std::string pay = ProjectPath(id, "/payments");
  s.Ok("town", "POST", pay,
       {{"kind", "advance"}, {"amount_fen", 4'000'000}, {"paid_on", Day(y, 7, 5)}}, 201);
  Event(s, "town", id, "start_service");
  Json lump = s.Ok("town", "POST", pay,
                   {{"kind", "progress"},
                    {"amount_fen", 4'000'000},
                    {"paid_on", Day(y, 12, 20)},
                    {"milestone", "半年"}},
                   201);
  bool warned = false;
  for (const auto& w : lump["warnings"]) warned = warned || w["code"] == "year_end_lump_payment";
  CHECK(warned);
  Json alerts = s.Ok("town", "GET", "/v1/payment-alerts?town=" + std::string(kTown));
  INFO(alerts.dump());
  int lumps = 0;
  for (const auto& a : alerts["alerts"])
    if (a["project"] == id && a["code"] == "year_end_lump_payment") {
      ++lumps;
      CHECK(a["paid_on"] == Day(y, 12, 20));
      CHECK(a["amount_fen"] == 4'000'000);
      CHECK(a["article"] == "第二十三条");
    }
  CHECK(lumps == 1);
  CHECK(s.Ok("town2", "GET", "/v1/payment-alerts")["alerts"].empty());
}
