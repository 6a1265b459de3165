// The staff API and the records around projects: the origins of 第十九条 and the screening of
// 第十一条 at submission, needs collected on devices (listing masked, summaries), and staff writes
// travelling to devices through the ordinary sync feed.
#include "tests/server/staff_fixture.h"

using namespace shefu;
using namespace shefu::test;

namespace {

ApiReply Submit(StaffServer& s, const std::string& who, const std::string& id) {
  return s.Call(who, "POST", ProjectPath(id, "/events"), {{"event", "submit"}});
}

Json GroupChange(const std::string& entity, const std::string& id, const std::string& group,
                 Json value) {
  return {{"entity", entity}, {"id", id}, {"group", group}, {"value", std::move(value)}};
}

}  // namespace

TEST_CASE("第十九条: a community project is submitted only after a passed vote") {
  StaffServer s;
  const int y = LastYear();
  // Drafted offline on the community worker's tablet, submitted from a staff session.
  Json created = s.Ok("cw_dev", "POST", "/v1/projects", CommunityProjectBody(y, false), 201);
  const std::string id = created["id"];
  CHECK(Submit(s, "cw_dev", id).status == 403);  // decisions need a staff session
  ApiReply r = Submit(s, "cw", id);
  CHECK(r.status == 422);
  CHECK(r.body["code"] == "origin_evidence_missing");
  CHECK(r.body["article"] == "第十九条");
  Json evidence = CommunityProjectBody(y)["evidence"];
  s.Ok("cw_dev", "PUT", ProjectPath(id, "/evidence"), evidence);
  // Town staff do not submit a community's project; the community does.
  CHECK(Submit(s, "town", id).body["code"] == "role_not_allowed");
  Json sub = s.Ok("cw", "POST", ProjectPath(id, "/events"), {{"event", "submit"}});
  CHECK(sub["state"] == "submitted");
  // Only the town reviews (第二十条).
  ApiReply review = s.Call("cw", "POST", ProjectPath(id, "/events"), {{"event", "start_review"}});
  CHECK(review.status == 403);
  CHECK(review.body["code"] == "role_not_allowed");
  CHECK(Event(s, "town", id, "start_review")["state"] == "under_review");
}

TEST_CASE("第十九条: an SO design needs the town's library consent and the community's selection") {
  StaffServer s;
  const int y = LastYear();
  const std::string id = s.Ok("so", "POST", "/v1/projects", SoProjectBody(y), 201)["id"];
  // The SO never submits its own design (第十九条(三)): the community reports it.
  CHECK(Submit(s, "so", id).body["code"] == "role_not_allowed");
  ApiReply r = Submit(s, "cw", id);
  CHECK(r.body["code"] == "origin_evidence_missing");
  // The SO cannot give itself the town's consent; the town cannot select for the community.
  CHECK(s.Call("so", "PUT", ProjectPath(id, "/evidence"), {{"library_consent", true}}).status ==
        403);
  CHECK(s.Call("town", "PUT", ProjectPath(id, "/evidence"), {{"community_selection", kCommunity}})
            .status == 403);
  s.Ok("town", "PUT", ProjectPath(id, "/evidence"), {{"library_consent", true}});
  CHECK(Submit(s, "cw", id).body["code"] == "origin_evidence_missing");
  CHECK(s.Call("cw", "PUT", ProjectPath(id, "/evidence"),
               {{"library_consent", true}, {"community_selection", kCommunity2}})
            .body["code"] == "selection_not_project_community");
  s.Ok("cw", "PUT", ProjectPath(id, "/evidence"),
       {{"library_consent", true}, {"community_selection", kCommunity}});
  CHECK(s.Ok("cw", "POST", ProjectPath(id, "/events"), {{"event", "submit"}})["state"] ==
        "submitted");

  // Awarded to another organisation: the designer has no say in the contract any more.
  s.Ok("town", "PUT", "/v1/towns/" + std::string(kTown) + "/funds/" + std::to_string(y),
       {{"amount_fen", 300'000}});
  Event(s, "town", id, "start_review");
  Event(s, "town", id, "approve");
  s.Ok("town", "PUT", ProjectPath(id, "/procurement"), {{"method", "below_threshold"}});
  Event(s, "town", id, "start_procurement");
  s.Ok("town", "PUT", ProjectPath(id, "/procurement"),
       {{"method", "below_threshold"},
        {"award_notice_ref", "公告 9"},
        {"award_notice_on", Day(y - 1, 12, 1)},
        {"provider_org", "so-2"}});
  Event(s, "town", id, "award");
  Json contract = ContractBody(y);
  contract["amount_fen"] = 300'000;
  contract["payment_plan"] = {
      {{"kind", "advance"}, {"amount_fen", 120'000}, {"due_on", Day(y, 1, 10)}},
      {{"kind", "final"}, {"amount_fen", 180'000}, {"due_on", Day(y, 12, 31)}}};
  s.Ok("town", "PUT", ProjectPath(id, "/contract"), contract);
  s.Ok("town", "POST", ProjectPath(id, "/contract/sign"), {{"signed_on", Day(y - 1, 12, 20)}});
  CHECK(s.Call("so", "POST", ProjectPath(id, "/contract/sign"), {{"signed_on", Day(y - 1, 12, 21)}})
            .status == 403);
  s.Ok("so2", "POST", ProjectPath(id, "/contract/sign"), {{"signed_on", Day(y - 1, 12, 21)}});
  ApiReply designer =
      s.Call("so", "POST", ProjectPath(id, "/events"), {{"event", "sign_contract"}});
  CHECK(designer.status == 403);
  CHECK(designer.body["code"] == "forbidden");
  CHECK(Event(s, "so2", id, "sign_contract")["state"] == "contracted");
  // The designer still sees its design; the provider sees the project it delivers.
  CHECK(s.Ok("so", "GET", ProjectPath(id))["provider_org"] == "so-2");
  CHECK(s.Ok("so2", "GET", "/v1/projects")["projects"].size() == 1);
}

TEST_CASE("第十一条: a declared prohibited item blocks submission, keywords only warn") {
  StaffServer s;
  const int y = LastYear();
  Json body = CommunityProjectBody(y);
  body["proposal"]["title"] = "社区保洁志愿服务队";
  body["prohibited"] = {{"declared", {"staff_hiring"}}, {"attested", true}};
  const std::string id = s.Ok("cw", "POST", "/v1/projects", body, 201)["id"];
  ApiReply r = Submit(s, "cw", id);
  CHECK(r.status == 422);
  CHECK(r.body["code"] == "prohibited_check_failed");
  CHECK(r.body["article"] == "第十一条");
  CHECK(r.body["message_zh"].get<std::string>().find("（四）") != std::string::npos);
  // Not attested: blocked too, and the message says so.
  s.Ok("cw", "PUT", ProjectPath(id, "/prohibited"),
       {{"declared", Json::array()}, {"attested", false}});
  r = Submit(s, "cw", id);
  CHECK(r.body["code"] == "prohibited_check_failed");
  CHECK(r.body["message_en"].get<std::string>().find("not confirmed") != std::string::npos);
  CHECK(s.Call("cw", "PUT", ProjectPath(id, "/prohibited"),
               {{"declared", {"bogus"}}, {"attested", true}})
            .body["code"] == "unknown_prohibited_item");
  s.Ok("cw", "PUT", ProjectPath(id, "/prohibited"),
       {{"declared", Json::array()}, {"attested", true}});
  Json sub = s.Ok("cw", "POST", ProjectPath(id, "/events"), {{"event", "submit"}});
  CHECK(sub["state"] == "submitted");
  CHECK(HasWarning(sub, "suspected_prohibited_item"));  // "保洁": a person decides
}

TEST_CASE("Needs from devices: staff listings mask phones and summaries count in scope") {
  StaffServer s;
  Json up = s.Upload("cw_dev",
                     {GroupChange("need", "need-1", "place",
                                  {{"community", kCommunity}, {"building", "3栋"}}),
                      GroupChange("need", "need-1", "category",
                                  {{"category", "basic"}, {"sub_item", "basic.elderly_care"}}),
                      GroupChange("need", "need-1", "description", {{"text", "独居老人需要助餐"}}),
                      GroupChange("need", "need-1", "people", {{"count", 3}}),
                      GroupChange("need", "need-1", "contact",
                                  {{"phone", "13812341234"},
                                   {"id_masked", "4404**********1768"},
                                   {"id_sealed", "c2VhbGVk"}}),
                      GroupChange("need", "need-2", "place", {{"community", kCommunity}}),
                      GroupChange("need", "need-2", "category",
                                  {{"category", "safety"}, {"sub_item", "safety.mediation"}}),
                      GroupChange("need", "need-2", "description", {{"text", "邻里噪音纠纷"}}),
                      GroupChange("need", "need-2", "people", {{"count", 5}}),
                      GroupChange("need_support", "sup-1", "record",
                                  {{"need", "need-1"}, {"community", kCommunity}, {"delta", 1}}),
                      GroupChange("need_support", "sup-2", "record",
                                  {{"need", "need-1"}, {"community", kCommunity}, {"delta", 1}})})
                .body;
  INFO(up.dump());
  REQUIRE(up["acked_seq"] == 11);
  REQUIRE(up["results"].empty());

  Json list = s.Ok("town", "GET", "/v1/needs");
  REQUIRE(list["needs"].size() == 2);
  const std::string text = list.dump();
  CHECK(text.find("13812341234") == std::string::npos);
  CHECK(text.find("138****1234") != std::string::npos);
  CHECK(text.find("4404**********1768") != std::string::npos);
  CHECK(text.find("c2VhbGVk") == std::string::npos);  // the sealed number never leaves
  CHECK(text.find("id_sealed") == std::string::npos);
  CHECK(list["needs"][0]["supporters"] == 2);
  CHECK(s.Ok("town", "GET", "/v1/needs?category=safety")["needs"].size() == 1);
  CHECK(s.Ok("town2", "GET", "/v1/needs")["needs"].empty());
  CHECK(s.Ok("cw2", "GET", "/v1/needs")["needs"].empty());

  Json by_cat = s.Ok("district", "GET", "/v1/needs/summary?by=category");
  REQUIRE(by_cat["groups"].size() == 2);
  CHECK(by_cat["groups"][0]["key"] == "basic");
  CHECK(by_cat["groups"][0]["name"] == "基本服务类");
  CHECK(by_cat["groups"][0]["people"] == 3);
  CHECK(by_cat["groups"][0]["supporters"] == 2);
  Json by_comm = s.Ok("town", "GET", "/v1/needs/summary?by=community");
  REQUIRE(by_comm["groups"].size() == 1);
  CHECK(by_comm["groups"][0]["needs"] == 2);
  CHECK(by_comm["groups"][0]["people"] == 8);
  CHECK(by_comm["groups"][0]["name"] == "紫荆社区");
  CHECK(s.Ok("city", "GET", "/v1/needs/summary?by=town")["groups"][0]["key"] == kTown);
  CHECK(s.Call("town", "GET", "/v1/needs/summary?by=street").body["code"] == "bad_field");
}

TEST_CASE("Staff writes sync to devices in scope, and devices cannot write server-only groups") {
  StaffServer s;
  const int y = LastYear();
  PublishCatalogue(s, y);
  const std::string id = s.Ok("cw", "POST", "/v1/projects", CommunityProjectBody(y), 201)["id"];
  s.Ok("cw", "POST", ProjectPath(id, "/events"), {{"event", "submit"}});
  Json page = s.Ok("cw_dev", "POST", "/v1/sync/download",
                   {{"protocol", 1}, {"schema", 1}, {"cursor", ""}, {"limit", 1000}});
  bool saw_state = false, saw_catalogue = false;
  for (const auto& c : page["changes"]) {
    if (c["entity"] == "project" && c["id"] == id && c["group"] == "lifecycle") {
      saw_state = c["value"]["state"] == "submitted";
      CHECK(c["node"] == "server");
    }
    saw_catalogue = saw_catalogue || c["entity"] == "catalogue";
  }
  CHECK(saw_state);
  CHECK(saw_catalogue);  // the district's catalogue reaches its communities' devices
  // A device may edit the proposer's groups but never the lifecycle.
  Json up =
      s.Upload("cw_dev", {GroupChange("project", id, "lifecycle", {{"state", "approved"}})}).body;
  REQUIRE(up["results"].size() == 1);
  CHECK(up["results"][0]["outcome"] == "refused");
  CHECK(s.Ok("town", "GET", ProjectPath(id))["state"] == "submitted");
  // Town funds and payments are server-only records too.
  Json funds =
      s.Upload("cw_dev", {GroupChange("town_funds", "funds:x", "place", {{"code", kTown}})}).body;
  CHECK(funds["results"][0]["outcome"] == "refused");
}
