// 第二十八条 demonstration rounds through the staff API on a real shefu-server: nominations are
// the options of a meeting's choose-k public vote (one counted ballot per resident across
// devices), weights published before opening, an expert related to a provider recused from
// that project, and the exact combined ranking.
#include "tests/server/staff_fixture.h"

using namespace shefu;
using namespace shefu::test;

namespace {}  // namespace

TEST_CASE("Demonstration round: public vote from device ballots, expert recusal, exact ranking") {
  StaffServer s;
  Json ballot = {{"id", "demo"},
                 {"title", "示范项目群众投票"},
                 {"kind", "choose_k"},
                 {"options", {"p1", "p2", "p3"}},
                 {"labels", {"长者饭堂", "四点半课堂", "调解工作坊"}},
                 {"max_choices", 2},
                 {"each_choice_needs_majority", false}};
  const std::string meeting = s.Ok("town", "POST", "/v1/meetings",
                                   {{"community", kCommunity},
                                    {"kind", "residents_meeting"},
                                    {"title", "示范项目评选"},
                                    {"date", Day(LastYear() + 1, 3, 1)},
                                    {"ballots", Json::array({ballot})}},
                                   201)["id"];
  Json rows = Json::array();
  for (int i = 1; i <= 4; ++i)
    rows.push_back({{"ref", std::to_string(i)}, {"name", "居民" + std::to_string(i)}});
  s.Ok("town", "POST", "/v1/meetings/" + meeting + "/roll", {{"rows", rows}});
  Json m = s.Ok("cw", "GET", "/v1/meetings/" + meeting + "?roll=1");
  std::vector<std::string> e;
  for (const Json& x : m["roll"]["entries"]) e.push_back(x["id"]);
  const std::string key = meeting + ".demo";
  auto vote = [&](int i, Json marks) {
    return Json{{"ballot", key}, {"community", kCommunity}, {"voter", e[i]}, {"marks", marks}};
  };
  // Four residents on the tablet, the first again on the kiosk (counted once).
  s.Upload("cw_dev", {RecordChange("vote", "dv1", vote(0, {"p1", "p2"})),
                      RecordChange("vote", "dv2", vote(1, {"p1"})),
                      RecordChange("vote", "dv3", vote(2, {"p2", "p3"})),
                      RecordChange("vote", "dv4", vote(3, {"p1", "p3"}))});
  s.Upload("kiosk_dev", {RecordChange("vote", "dv9", vote(0, {"p3"}))});

  Json noms = {
      {{"project", "p1"}, {"name", "长者饭堂"}, {"provider_org", "so-1"}, {"purchaser", kTown}},
      {{"project", "p2"}, {"name", "四点半课堂"}, {"provider_org", "so-2"}, {"purchaser", kTown}},
      {{"project", "p3"}, {"name", "调解工作坊"}, {"provider_org", "so-2"}, {"purchaser", kTown}}};
  CHECK(s.Call("cw", "POST", "/v1/demonstration/rounds",
               {{"town", kTown},
                {"title", "x"},
                {"meeting", meeting},
                {"ballot", "demo"},
                {"nominations", noms}})
            .status == 403);
  Json wrong = noms;
  wrong.erase(2);
  CHECK(s.Call("town", "POST", "/v1/demonstration/rounds",
               {{"town", kTown},
                {"title", "x"},
                {"meeting", meeting},
                {"ballot", "demo"},
                {"nominations", wrong}})
            .body["code"] == "nominations_not_ballot");
  const std::string round = s.Ok("town", "POST", "/v1/demonstration/rounds",
                                 {{"town", kTown},
                                  {"title", "翠香街道示范项目评选"},
                                  {"meeting", meeting},
                                  {"ballot", "demo"},
                                  {"nominations", noms}},
                                 201)["id"];
  const std::string base = "/v1/demonstration/rounds/" + round;
  s.Ok("town", "POST", base + "/weights",
       {{"public_vote_permille", 400}, {"expert_permille", 600}});
  s.Ok("town", "POST", base + "/open");
  // A second expert, related to so-1 (p1's provider).
  auto add = Run({BinaryPath("shefu-server"), "user", "add", "--data", s.data_dir(), "--login",
                  "uexpert2", "--name", "expert2", "--role", "expert"},
                 {{"SHEFU_USER_PASSWORD", "expert2-password-123"}});
  REQUIRE(add.exit_code == 0);
  s.AddSession("expert2",
               s.Ok("", "POST", "/v1/login",
                    {{"login", "uexpert2"}, {"password", "expert2-password-123"}})["token"]);
  s.Ok("town", "POST", base + "/experts",
       {{"login", "uexpert"}, {"related_parties", Json::array()}});
  s.Ok("town", "POST", base + "/experts", {{"login", "uexpert2"}, {"related_parties", {"so-1"}}});
  CHECK(s.Call("so", "POST", base + "/scores", {{"project", "p1"}, {"tenths", 900}}).status == 403);
  for (auto [who, p, t] :
       std::vector<std::tuple<std::string, std::string, int>>{{"expert", "p1", 900},
                                                              {"expert", "p2", 800},
                                                              {"expert", "p3", 700},
                                                              {"expert2", "p1", 1000},
                                                              {"expert2", "p2", 600},
                                                              {"expert2", "p3", 700}})
    s.Ok(who, "POST", base + "/scores", {{"project", p}, {"tenths", t}});

  Json r = s.Ok("cw", "GET", base + "/ranking");
  INFO(r.dump(2));
  CHECK(r["valid_ballots"] == 4);
  REQUIRE(r["ranking"].size() == 3);
  // p1: 3 of 4 ballots (750 ‰), expert mean 90.0 (expert2 recused) -> 0.4×750 + 0.6×900 = 840.
  CHECK(r["ranking"][0]["project"] == "p1");
  CHECK(r["ranking"][0]["votes"] == 3);
  CHECK(r["ranking"][0]["experts_counted"] == 1);
  CHECK(r["ranking"][0]["composite_tenths"] == 840);
  REQUIRE(r["recused"].size() == 1);
  CHECK(r["recused"][0]["expert"] == "uexpert2");
  // Weights changed after opening refuse the combination.
  s.Ok("town", "POST", base + "/weights",
       {{"public_vote_permille", 500}, {"expert_permille", 500}});
  CHECK(s.Call("cw", "GET", base + "/ranking").body["code"] == "weights_changed_after_opening");
}
