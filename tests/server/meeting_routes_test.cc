// The meeting staff API (issue 6) on a real shefu-server: who may create a meeting and freeze
// its roll, what the roll package holds (masked names, random ids, proxies under the cap, never
// an ID number), and the final tally of device uploads: a duplicate voter on the chair's review
// list, the chair's override with a reason, the final result moving the proposal's vote
// evidence (第十九条(二)) and opening a 7-day 公示.
#include "tests/server/staff_fixture.h"

using namespace shefu;
using namespace shefu::test;

namespace {

Json MeetingBody(const std::string& community, const std::string& proposal = "") {
  Json b = {
      {"id", "b1"}, {"title", "社区儿童四点半课堂"}, {"kind", "adopt_reject"}, {"secret", false}};
  if (!proposal.empty()) b["proposal"] = proposal;
  return {{"community", community},
          {"kind", "two_committees_meeting"},
          {"title", "两委会议：社区儿童四点半课堂"},
          {"date", Day(LastYear() + 1, 1, 15)},
          {"ballots", Json::array({b})}};
}

Json Rows(int n, Json proxies = Json::object()) {
  Json rows = Json::array();
  for (int i = 1; i <= n; ++i) {
    Json r = {{"ref", std::to_string(i)},
              {"name", "陈委员" + std::string(i % 2 ? "甲" : "乙")},
              {"household", "h" + std::to_string(i)}};
    if (proxies.contains(std::to_string(i))) {
      r["proxy_ref"] = proxies[std::to_string(i)];
      r["proxy_written"] = true;
    }
    rows.push_back(r);
  }
  return rows;
}

Json Event(const std::string& meeting, const std::string& kind, const std::string& entry) {
  Json v = {{"meeting", meeting}, {"community", kCommunity}, {"kind", kind}, {"roll_version", 1}};
  if (kind == "close")
    v["ballot"] = "b1";
  else
    v["entry"] = entry;
  return v;
}

}  // namespace

TEST_CASE("Meetings: town staff create meetings and freeze rolls in their scope only") {
  StaffServer s;
  CHECK(s.Call("cw", "POST", "/v1/meetings", MeetingBody(kCommunity)).status == 403);
  CHECK(s.Call("town2", "POST", "/v1/meetings", MeetingBody(kCommunity)).status == 403);
  Json bad = MeetingBody(kCommunity);
  bad["kind"] = "tea_party";
  CHECK(s.Call("town", "POST", "/v1/meetings", bad).status == 422);
  const std::string id = s.Ok("town", "POST", "/v1/meetings", MeetingBody(kCommunity), 201)["id"];

  // A proxy carrying four principals is over Guangdong's cap of three.
  Json over = {{"rows", Rows(6, {{"1", "6"}, {"2", "6"}, {"3", "6"}, {"4", "6"}})}};
  auto r = s.Call("town", "POST", "/v1/meetings/" + id + "/roll", over);
  CHECK(r.status == 422);
  CHECK(r.body["code"] == "proxy_over_cap");
  // An ID-number column never enters a roll.
  r = s.Call("town", "POST", "/v1/meetings/" + id + "/roll",
             {{"csv", "ref,name,id_number\n1,张三明,440402199001011762\n"}});
  CHECK(r.body["code"] == "roll_contains_id_number");
  // Another town does not even see the meeting.
  CHECK(s.Call("town2", "POST", "/v1/meetings/" + id + "/roll", {{"rows", Rows(4)}}).status == 404);

  Json roll =
      s.Ok("town", "POST", "/v1/meetings/" + id + "/roll", {{"rows", Rows(6, {{"5", "6"}})}});
  CHECK(roll["version"] == 1);
  CHECK(roll["entries"] == 6);
  CHECK(roll["proxies"] == 1);
  Json m = s.Ok("cw", "GET", "/v1/meetings/" + id + "?roll=1");
  REQUIRE(m["roll"]["entries"].size() == 6);
  for (const Json& e : m["roll"]["entries"]) {
    CHECK(e["name"].get<std::string>().find("*") != std::string::npos);
    CHECK(e["id"].get<std::string>().rfind("r", 0) == 0);
  }
  CHECK(m["roll"]["hash"].get<std::string>().size() == 64);
  CHECK(s.Call("cw2", "GET", "/v1/meetings/" + id).status == 404);
  // A second preparation before any device used the roll is a new version.
  CHECK(s.Ok("town", "POST", "/v1/meetings/" + id + "/roll", {{"rows", Rows(4)}})["version"] == 2);
}

TEST_CASE("Meetings: the final tally of device votes moves the proposal's vote evidence") {
  StaffServer s;
  const int y = LastYear() + 1;
  const std::string project =
      s.Ok("cw", "POST", "/v1/projects", CommunityProjectBody(y, false), 201)["id"];
  const std::string id =
      s.Ok("town", "POST", "/v1/meetings", MeetingBody(kCommunity, project), 201)["id"];
  s.Ok("town", "POST", "/v1/meetings/" + id + "/roll", {{"rows", Rows(4)}});
  Json m = s.Ok("cw", "GET", "/v1/meetings/" + id + "?roll=1");
  std::map<int, std::string> e;
  for (const Json& x : m["roll"]["entries"]) e[x["no"].get<int>()] = x["id"];
  const std::string key = id + ".b1";
  auto vote = [&](int no, const std::string& choice) {
    return Json{{"ballot", key}, {"community", kCommunity}, {"voter", e[no]}, {"choice", choice}};
  };
  // The chair's tablet: 1, 2, 3 present; 1 and 2 adopt, 3 rejects; then close.
  Json up = s.Upload("cw_dev", {RecordChange("meeting_event", "ev-a1", Event(id, "check_in", e[1])),
                                RecordChange("meeting_event", "ev-a2", Event(id, "check_in", e[2])),
                                RecordChange("meeting_event", "ev-a3", Event(id, "check_in", e[3])),
                                RecordChange("vote", "vote-a1", vote(1, "adopt")),
                                RecordChange("vote", "vote-a2", vote(2, "adopt")),
                                RecordChange("vote", "vote-a3", vote(3, "reject"))})
                .body;
  INFO(up.dump());
  // The kiosk: 1 again, rejecting (a later stamp).
  s.Upload("kiosk_dev", {RecordChange("meeting_event", "ev-k1", Event(id, "check_in", e[1])),
                         RecordChange("vote", "vote-k1", vote(1, "reject"))});
  s.Upload("cw_dev", {RecordChange("meeting_event", "ev-a9", Event(id, "close", ""))});
  // Once devices used the roll it is frozen.
  CHECK(s.Call("town", "POST", "/v1/meetings/" + id + "/roll", {{"rows", Rows(4)}}).body["code"] ==
        "roll_in_use");

  Json t = s.Ok("cw", "GET", "/v1/meetings/" + id + "/tally")["ballots"][0];
  INFO(t.dump(2));
  CHECK(t["record"]["present_at_vote"] == 3);
  CHECK(t["record"]["options"][0]["votes"] == 2);  // adopt: the earlier vote of #1 counts
  CHECK(t["record"]["verdict"] == "adopted");      // 赞成 2 × 2 > 实到 3
  REQUIRE(t["review"].size() == 1);
  CHECK(t["review"][0]["counted"] == "vote-a1");
  CHECK(t["review"][0]["others"][0] == "vote-k1");

  // The chair counts the kiosk's vote instead; a reason is required.
  CHECK(s.Call("cw", "POST", "/v1/meetings/" + id + "/ballots/b1/override",
               {{"voter", e[1]}, {"count_record_id", "vote-k1"}, {"reason", ""}})
            .status == 400);
  CHECK(s.Call("cw", "POST", "/v1/meetings/" + id + "/ballots/b1/override",
               {{"voter", e[2]}, {"count_record_id", "vote-a2"}, {"reason", "x"}})
            .body["code"] == "override_not_duplicate");
  s.Ok("cw", "POST", "/v1/meetings/" + id + "/ballots/b1/override",
       {{"voter", e[1]}, {"count_record_id", "vote-k1"}, {"reason", "本人当场更正，有签到表为证"}});
  CHECK(s.Call("cw", "POST", "/v1/meetings/" + id + "/ballots/b1/finalize").status == 403);
  Json fin = s.Ok("town", "POST", "/v1/meetings/" + id + "/ballots/b1/finalize");
  CHECK(fin["record"]["verdict"] == "rejected");  // 赞成 1 × 2 > 实到 3 ✗
  CHECK(fin["proposal"]["vote_passed"] == false);
  CHECK(fin["notice"]["days"] == 7);
  CHECK(s.Call("town", "POST", "/v1/meetings/" + id + "/ballots/b1/finalize").body["code"] ==
        "ballot_final");
  Json p = s.Ok("cw", "GET", "/v1/projects/" + project);
  INFO(p.dump());
  CHECK(p["groups"]["evidence"]["vote_ballot"] == key);
  CHECK(p["groups"]["evidence"]["vote_passed"] == false);
  // The proposer cannot claim otherwise: the meeting's final result decides (第十九条(二)).
  Json ev = p["groups"]["evidence"];
  ev["vote_passed"] = true;
  s.Ok("cw", "PUT", "/v1/projects/" + project + "/evidence", ev);
  auto sub = s.Call("cw", "POST", "/v1/projects/" + project + "/events", {{"event", "submit"}});
  CHECK(sub.status == 422);
  CHECK(sub.body["code"] == "origin_evidence_missing");
}
