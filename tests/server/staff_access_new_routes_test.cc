// The role x route matrix (issue 4) for the staff routes that came after the first matrix in
// staff_access_test.cc: meetings and votes (issue 6), demonstration rounds (第二十八条), surveys,
// satisfaction reports and payment alerts (issue 7), duplicate needs, the device directory, the
// conflict list, the token routes (me, keys/seal, logout) and the device-only sync routes.
// Allowed callers per docs/api.md succeed; every other caller gets 403 and changes nothing.
#include "tests/server/access_matrix.h"

using namespace shefu;
using namespace shefu::test;

namespace {

Json SurveyTemplate() {
  return {{"format", "shefu-survey/1"},
          {"id", "sat-matrix"},
          {"version", 1},
          {"title", {{"zh", "满意度调查"}, {"en", "Satisfaction survey"}}},
          {"anonymous", true},
          {"questions",
           {{{"id", "q1"},
             {"type", "satisfaction5"},
             {"text", {{"zh", "您对服务是否满意？"}}},
             {"required", true}}}}};
}

// The staff readers of meetings, tallies, needs (city, district, town, community worker).
std::vector<std::pair<std::string, Req>> Staff4(const Req& r) {
  return {{"city", r}, {"district", r}, {"town", r}, {"cw", r}};
}

}  // namespace

TEST_CASE("Staff API: every role against the newer staff routes - allowed succeed, others 403") {
  StaffServer s;
  Matrix m{s, {}};
  const int y = LastYear();

  // ---- Meetings and votes (issue 6) ----
  Json ballot = {
      {"id", "b1"}, {"title", "四点半课堂"}, {"kind", "adopt_reject"}, {"secret", false}};
  Json demo = {{"id", "demo"},
               {"title", "示范项目群众投票"},
               {"kind", "choose_k"},
               {"options", {"p1", "p2"}},
               {"labels", {"长者饭堂", "四点半课堂"}},
               {"max_choices", 1},
               {"each_choice_needs_majority", false}};
  Json meeting_body = {{"community", kCommunity},
                       {"kind", "residents_meeting"},
                       {"title", "居民会议"},
                       {"date", Day(y + 1, 1, 15)},
                       {"ballots", Json::array({ballot, demo})}};
  auto made = m.Route("POST /v1/meetings", {{"town", Post("/v1/meetings", meeting_body, 201)}},
                      Post("/v1/meetings", meeting_body, 201));
  const std::string id = made["town"]["id"];
  const std::string mp = "/v1/meetings/" + id;
  Json rows = Json::array();
  for (int i = 1; i <= 4; ++i)
    rows.push_back({{"ref", std::to_string(i)}, {"name", "陈委员" + std::to_string(i)}});
  Req roll = Post(mp + "/roll", {{"rows", rows}});
  m.Route("POST /v1/meetings/{id}/roll", {{"town", roll}}, roll);
  m.Route("GET /v1/meetings", Staff4(Get("/v1/meetings")), Get("/v1/meetings"));
  auto read = m.Route("GET /v1/meetings/{id}", Staff4(Get(mp + "?roll=1")), Get(mp + "?roll=1"));
  std::vector<std::string> e;
  for (const Json& x : read["town"]["roll"]["entries"]) e.push_back(x["id"]);
  REQUIRE(e.size() == 4);

  // Voters 0 and 1 vote on the tablet and again on the kiosk: duplicates for the chair to review.
  auto vote = [&](int i, const std::string& choice) {
    return Json{
        {"ballot", id + ".b1"}, {"community", kCommunity}, {"voter", e[i]}, {"choice", choice}};
  };
  auto ev = [&](const std::string& kind, int i) {
    return Json{{"meeting", id},
                {"community", kCommunity},
                {"kind", kind},
                {"roll_version", 1},
                {"entry", e[i]}};
  };
  s.Upload("cw_dev", {RecordChange("meeting_event", "ev-a0", ev("check_in", 0)),
                      RecordChange("meeting_event", "ev-a1", ev("check_in", 1)),
                      RecordChange("meeting_event", "ev-a2", ev("check_in", 2)),
                      RecordChange("vote", "vote-a0", vote(0, "adopt")),
                      RecordChange("vote", "vote-a1", vote(1, "adopt")),
                      RecordChange("vote", "vote-a2", vote(2, "adopt"))});
  s.Upload("kiosk_dev", {RecordChange("meeting_event", "ev-k0", ev("check_in", 0)),
                         RecordChange("vote", "vote-k0", vote(0, "reject")),
                         RecordChange("meeting_event", "ev-k1", ev("check_in", 1)),
                         RecordChange("vote", "vote-k1", vote(1, "reject"))});
  Json dv = {
      {"ballot", id + ".demo"}, {"community", kCommunity}, {"voter", e[3]}, {"marks", {"p1"}}};
  s.Upload("cw_dev", {RecordChange("vote", "dvote-1", dv)});
  m.Route("GET /v1/meetings/{id}/tally", Staff4(Get(mp + "/tally")), Get(mp + "/tally"));
  const std::string ov = mp + "/ballots/b1/override";
  m.Route(
      "POST /v1/meetings/{id}/ballots/{b}/override",
      {{"cw", Post(ov, {{"voter", e[0]}, {"count_record_id", "vote-k0"}, {"reason", "当场更正"}})},
       {"town",
        Post(ov, {{"voter", e[1]}, {"count_record_id", "vote-k1"}, {"reason", "核对签到表"}})}},
      Post(ov, {{"voter", e[0]}, {"count_record_id", "vote-k0"}, {"reason", "x"}}));
  Req fin = Post(mp + "/ballots/b1/finalize", Json::object());
  m.Route("POST /v1/meetings/{id}/ballots/{b}/finalize", {{"town", fin}}, fin);

  // ---- Demonstration rounds (第二十八条) ----
  Json noms = {
      {{"project", "p1"}, {"name", "长者饭堂"}, {"provider_org", "so-1"}, {"purchaser", kTown}},
      {{"project", "p2"}, {"name", "四点半课堂"}, {"provider_org", "so-2"}, {"purchaser", kTown}}};
  Req round = Post("/v1/demonstration/rounds",
                   {{"town", kTown},
                    {"title", "示范项目评选"},
                    {"meeting", id},
                    {"ballot", "demo"},
                    {"nominations", noms}},
                   201);
  auto rounds = m.Route("POST /v1/demonstration/rounds", {{"town", round}}, round);
  const std::string rp = "/v1/demonstration/rounds/" + rounds["town"]["id"].get<std::string>();
  Req weights = Post(rp + "/weights", {{"public_vote_permille", 400}, {"expert_permille", 600}});
  m.Route("POST /v1/demonstration/rounds/{id}/weights", {{"town", weights}}, weights);
  Req open = Post(rp + "/open", Json::object());
  m.Route("POST /v1/demonstration/rounds/{id}/open", {{"town", open}}, open);
  Req expert = Post(rp + "/experts", {{"login", "uexpert"}, {"related_parties", Json::array()}});
  m.Route("POST /v1/demonstration/rounds/{id}/experts", {{"town", expert}}, expert);
  Req score = Post(rp + "/scores", {{"project", "p1"}, {"tenths", 900}});
  m.Route("POST /v1/demonstration/rounds/{id}/scores", {{"expert", score}}, score);
  s.Ok("expert", "POST", rp + "/scores", {{"project", "p2"}, {"tenths", 800}});
  Req ranking = Get(rp + "/ranking");
  auto ranked = m.Route("GET /v1/demonstration/rounds/{id}/ranking",
                        {{"city", ranking},
                         {"district", ranking},
                         {"town", ranking},
                         {"cw", ranking},
                         {"so", ranking},
                         {"eval", ranking},
                         {"expert", ranking}},
                        ranking);
  CHECK(ranked["cw"]["ranking"].size() == 2);

  // ---- Surveys and satisfaction (issue 7) ----
  PublishCatalogue(s, y);
  s.Ok("town", "PUT", "/v1/towns/" + std::string(kTown) + "/funds/" + std::to_string(y),
       {{"amount_fen", 20'000'000}});
  const std::string p = s.Ok("town", "POST", "/v1/projects", TownProjectBody(y), 201)["id"];
  TownProjectToAwarded(s, p, y);
  s.Ok("town", "PUT", ProjectPath(p, "/contract"), ContractBody(y));
  s.Ok("town", "POST", ProjectPath(p, "/contract/sign"), {{"signed_on", Day(y - 1, 12, 20)}});
  s.Ok("so", "POST", ProjectPath(p, "/contract/sign"), {{"signed_on", Day(y - 1, 12, 22)}});
  Event(s, "so", p, "sign_contract");
  Req publish = Post(ProjectPath(p, "/surveys"), {{"template", SurveyTemplate()}}, 201);
  auto published = m.Route("POST /v1/projects/{id}/surveys", {{"town", publish}}, publish);
  const std::string sid = published["town"]["survey"]["id"];
  auto readers = [](const Req& r) {
    return std::vector<std::pair<std::string, Req>>{
        {"city", r}, {"district", r}, {"town", r}, {"cw", r}, {"eval", r}};
  };
  m.Route("GET /v1/projects/{id}/surveys", readers(Get(ProjectPath(p, "/surveys"))),
          Get(ProjectPath(p, "/surveys")));
  m.Route("GET /v1/surveys/{sid}", readers(Get("/v1/surveys/" + sid)), Get("/v1/surveys/" + sid));
  Json recipients = Json::array();
  for (int i = 1; i <= 6; ++i)
    recipients.push_back({{"ref", "household-" + std::to_string(i)},
                          {"community", kCommunity},
                          {"label", std::to_string(i) + "栋101 张*"}});
  Req frame =
      Post("/v1/surveys/" + sid + "/frame", {{"recipients", recipients}, {"sample_size", 4}}, 201);
  m.Route("POST /v1/surveys/{sid}/frame", {{"town", frame}}, frame);
  for (const char* path :
       {"/v1/satisfaction", "/v1/satisfaction/report.csv", "/v1/satisfaction/report.html"})
    m.Route(std::string("GET ") + path, readers(Get(path)), Get(path));

  // ---- Payment alerts, duplicate needs, the device directory ----
  Req alerts = Get("/v1/payment-alerts");
  m.Route("GET /v1/payment-alerts", {{"city", alerts}, {"district", alerts}, {"town", alerts}},
          alerts);
  m.Route("GET /v1/needs/duplicates", Staff4(Get("/v1/needs/duplicates")),
          Get("/v1/needs/duplicates"));
  std::vector<std::pair<std::string, Req>> everyone;
  for (const auto& who : kCallers) everyone.push_back({who, Get("/v1/directory")});
  m.Route("GET /v1/directory", everyone, Get("/v1/directory"));

  for (const char* path : {"/v1/me", "/v1/keys/seal"}) {
    std::vector<std::pair<std::string, Req>> any;
    for (const auto& who : kCallers) any.push_back({who, Get(path)});
    m.Route(std::string("GET ") + path, any, Get(path));
  }
  Req conflicts = Get("/v1/conflicts");
  m.Route("GET /v1/conflicts",
          {{"city", conflicts},
           {"district", conflicts},
           {"town", conflicts},
           {"cw", conflicts},
           {"cw_dev", conflicts}},
          conflicts);

  // ---- Sync (devices only: every staff session, kiosk's included, is refused) ----
  const std::set<std::string> devices = {"cw_dev", "kiosk_dev"};
  Req status = Get("/v1/sync/status");
  m.Route("GET /v1/sync/status", {{"cw_dev", status}, {"kiosk_dev", status}}, status);
  Req down =
      Post("/v1/sync/download", {{"protocol", 1}, {"schema", 1}, {"cursor", ""}, {"limit", 10}});
  m.Route("POST /v1/sync/download", {{"cw_dev", down}, {"kiosk_dev", down}}, down);
  auto answer = [&](const char* batch) {
    return Post("/v1/sync/anon", {{"protocol", 1},
                                  {"schema", 1},
                                  {"batch_id", batch},
                                  {"date", Day(y + 1, 3, 1)},
                                  {"items",
                                   {{{"entity", "survey_answer"},
                                     {"value",
                                      {{"survey", sid},
                                       {"community", kCommunity},
                                       {"template_id", "sat-matrix"},
                                       {"template_version", 1},
                                       {"answers", {{"q1", "satisfied"}}},
                                       {"in_frame", false}}}}}}});
  };
  m.Route("POST /v1/sync/anon",
          {{"cw_dev", answer("0000000000000000000000000000000a")},
           {"kiosk_dev", answer("0000000000000000000000000000000b")}},
          answer("0000000000000000000000000000000c"));
  // Uploads carry per-device sequence numbers, so the allowed devices go through the fixture.
  Json up_probe = {{"protocol", 1},  {"schema", 1},   {"client_id", "x"},        {"epoch", ""},
                   {"first_seq", 1}, {"last_seq", 1}, {"changes", Json::array()}};
  m.Route("POST /v1/sync/upload", {}, Post("/v1/sync/upload", up_probe), devices);
  for (const auto& dev : devices) {
    ApiReply r = s.Upload(dev, {RecordChange("vote", "dvote-" + dev, dv)});
    INFO(dev << " -> " << r.body.dump());
    CHECK(r.status == 200);
    m.covered.insert("POST /v1/sync/upload " + dev);
  }

  // ---- Conflicts: the duplicate votes uploaded above are open conflicts for staff ----
  std::vector<std::string> open_ids;
  const Json listed = s.Ok("town", "GET", "/v1/conflicts?status=open");
  for (const Json& c : listed["conflicts"])
    open_ids.push_back(std::to_string(c["id"].get<int64_t>()));
  REQUIRE(open_ids.size() >= 3);
  const std::string c1 = open_ids[0], c2 = open_ids[1], c3 = open_ids[2];
  Req one = Get("/v1/conflicts/" + c1);
  m.Route("GET /v1/conflicts/{id}",
          {{"city", one}, {"district", one}, {"town", one}, {"cw", one}, {"cw_dev", one}}, one);
  auto resolve = [](const std::string& c) {
    return Post("/v1/conflicts/" + c + "/resolve", {{"action", "accept"}});
  };
  m.Route("POST /v1/conflicts/{id}/resolve",
          {{"city", resolve(c1)}, {"district", resolve(c2)}, {"town", resolve(c3)}}, resolve(c1));

  // Last, as it revokes every caller's token: any token may log itself out.
  std::vector<std::pair<std::string, Req>> out;
  for (const auto& who : kCallers) out.push_back({who, Post("/v1/logout", Json::object())});
  m.Route("POST /v1/logout", out, Post("/v1/logout", Json::object()));
  CHECK(s.Call("town", "GET", "/v1/me").status == 401);

  // 33 routes x 10 callers, each cell checked once.
  CHECK(m.covered.size() == 33 * kCallers.size());
}
