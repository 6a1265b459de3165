// The staff API over real HTTP: a project through the whole lifecycle, with the contract and
// payment rules of 第二十二、二十三、二十七条 at their boundaries.
#include "tests/server/staff_fixture.h"

using namespace shefu;
using namespace shefu::test;

namespace {

void Refused(StaffServer& s, const std::string& who, const std::string& method,
             const std::string& path, const Json& body, int status, const std::string& code,
             const std::string& article = "") {
  std::string before = s.Fingerprint();
  ApiReply r = s.Call(who, method, path, body);
  INFO(method << " " << path << " " << body.dump() << " -> " << r.status << " " << r.body.dump());
  CHECK(r.status == status);
  CHECK(r.body["code"] == code);
  if (!article.empty()) CHECK(r.body.value("article", "") == article);
  CHECK(s.Fingerprint() == before);  // a refusal stores nothing
}

Json Payment(const std::string& kind, int64_t fen, const std::string& on,
             const std::string& milestone = "") {
  Json j = {{"kind", kind}, {"amount_fen", fen}, {"paid_on", on}};
  if (!milestone.empty()) j["milestone"] = milestone;
  return j;
}

}  // namespace

TEST_CASE("Staff API: a town-planned project goes from draft to closed under the lifecycle rules") {
  StaffServer s;
  const int y = LastYear();
  PublishCatalogue(s, y);
  s.Ok("town", "PUT", "/v1/towns/" + std::string(kTown) + "/funds/" + std::to_string(y),
       {{"amount_fen", 20'000'000}});

  Json p = s.Ok("town", "POST", "/v1/projects", TownProjectBody(y), 201);
  const std::string id = p["id"];
  CHECK(p["state"] == "proposal_draft");
  CHECK(p["place"]["town"] == kTown);
  CHECK(p["groups"]["lifecycle"]["state"] == "proposal_draft");
  const std::string events = ProjectPath(id, "/events");

  // Not a row of the table: 409 with the reason.
  Refused(s, "town", "POST", events, {{"event", "approve"}}, 409, "illegal_transition");

  Json sub = Event(s, "town", id, "submit");
  CHECK(sub["previous_state"] == "proposal_draft");
  CHECK(sub["state"] == "submitted");
  // 第三十条: the version in force today; after its window it is assumed extended and says so.
  CHECK(sub["policy"]["version"] == "zhufu-2021-10");
  CHECK(sub["policy"]["assumed_extended"] == true);
  CHECK_FALSE(sub["policy"]["note_zh"].get<std::string>().empty());
  // 第七条: the catalogue this project relies on was published outside Q1 of its year.
  CHECK(HasWarning(sub, "catalogue_outside_q1"));
  Json got = s.Ok("town", "GET", ProjectPath(id));
  CHECK(got["state"] == "submitted");
  CHECK(got["groups"]["lifecycle"]["policy_version"] == "zhufu-2021-10");
  CHECK(got["groups"]["lifecycle"]["assumed_extended"] == true);
  CHECK(got["groups"]["lifecycle"]["event"] == "submit");

  // The proposal is frozen once submitted.
  Refused(s, "town", "PUT", ProjectPath(id, "/indicators"),
          {{"items", {{{"name", "x"}, {"target", "y"}}}}}, 409, "not_editable");

  // Warnings belong to the move that checks them: none when review starts.
  CHECK(Event(s, "town", id, "start_review")["warnings"].empty());
  Refused(s, "town", "POST", events, {{"event", "return"}}, 422, "reason_missing");
  Json ret = Event(s, "town", id, "return", "请补充服务对象名单");
  CHECK(ret["state"] == "returned");
  CHECK(s.Ok("town", "GET", ProjectPath(id))["groups"]["review"]["decision"] == "return");
  // Returned: editable again, then resubmitted.
  s.Ok("town", "PUT", ProjectPath(id, "/indicators"),
       {{"items", {{{"name", "服务人次"}, {"target", "不少于1500人次"}}}}});
  Event(s, "town", id, "submit");
  Event(s, "town", id, "start_review");
  CHECK(Event(s, "town", id, "approve")["state"] == "approved");

  // 第二十一条: a lawful method first; 询价 is for goods.
  Refused(s, "town", "POST", events, {{"event", "start_procurement"}}, 422,
          "procurement_method_invalid", "第二十一条");
  Refused(s, "town", "PUT", ProjectPath(id, "/procurement"), {{"method", "inquiry"}}, 422,
          "inquiry_not_for_services", "第二十一条");
  s.Ok("town", "PUT", ProjectPath(id, "/procurement"), {{"method", "competitive_consultation"}});
  Event(s, "town", id, "start_procurement");
  Refused(s, "town", "POST", events, {{"event", "award"}}, 422, "award_notice_missing",
          "第二十四条");
  s.Ok("town", "PUT", ProjectPath(id, "/procurement"),
       {{"method", "competitive_consultation"},
        {"award_notice_ref", "公告 118"},
        {"award_notice_on", Day(y - 1, 12, 1)},
        {"provider_org", "so-1"}});
  CHECK(Event(s, "town", id, "award")["state"] == "awarded");

  // 第二十三条: no money before the contract is signed.
  Refused(s, "town", "POST", ProjectPath(id, "/payments"),
          Payment("advance", 4'000'000, Day(y, 1, 5)), 422, "payment_not_allowed_in_state",
          "第二十三条");
  Refused(s, "town", "POST", events, {{"event", "sign_contract"}}, 422, "contract_invalid");

  // 第二十二条: 36 months at most; over 12 months only with the stability justifications.
  Json too_long = ContractBody(y);
  too_long["end"] = Day(y + 3, 1, 31);
  Refused(s, "town", "PUT", ProjectPath(id, "/contract"), too_long, 422, "contract_term_too_long",
          "第二十二条");
  Json thirteen = ContractBody(y);
  thirteen["end"] = Day(y + 1, 1, 31);
  Refused(s, "town", "PUT", ProjectPath(id, "/contract"), thirteen, 422,
          "contract_justification_missing", "第二十二条");
  // 第二十三条: a plan whose advance is 40 % + 1 fen is refused.
  Json greedy = ContractBody(y);
  greedy["payment_plan"][0]["amount_fen"] = 4'000'001;
  greedy["payment_plan"][1]["amount_fen"] = 3'999'999;
  Refused(s, "town", "PUT", ProjectPath(id, "/contract"), greedy, 422, "advance_over_cap",
          "第二十三条");
  s.Ok("town", "PUT", ProjectPath(id, "/contract"), ContractBody(y));

  // Both parties sign (第二十二条); the SO may not sign before it was awarded, nor another SO.
  s.Ok("town", "POST", ProjectPath(id, "/contract/sign"), {{"signed_on", Day(y - 1, 12, 20)}});
  Refused(s, "town", "POST", events, {{"event", "sign_contract"}}, 422, "contract_not_signed");
  Refused(s, "so2", "POST", ProjectPath(id, "/contract/sign"), {{"signed_on", Day(y - 1, 12, 22)}},
          404, "not_found");
  s.Ok("so", "POST", ProjectPath(id, "/contract/sign"), {{"signed_on", Day(y - 1, 12, 22)}});
  CHECK(Event(s, "so", id, "sign_contract")["state"] == "contracted");

  // The advance: not before the signing day, 40 % + 1 fen refused, exactly 40 % accepted, and
  // not one fen more afterwards.
  const std::string pay = ProjectPath(id, "/payments");
  Refused(s, "town", "POST", pay, Payment("advance", 1'000'000, Day(y - 1, 12, 21)), 422,
          "advance_before_signing", "第二十三条");
  Refused(s, "town", "POST", pay, Payment("advance", 4'000'001, Day(y, 1, 5)), 422,
          "advance_over_cap", "第二十三条");
  Json adv = s.Ok("town", "POST", pay, Payment("advance", 4'000'000, Day(y, 1, 5)), 201);
  CHECK(adv["payment"]["amount_yuan"] == "40000.00");
  Refused(s, "town", "POST", pay, Payment("advance", 1, Day(y, 1, 6)), 422, "advance_over_cap",
          "第二十三条");
  Refused(s, "town", "POST", pay, Payment("advance", 1, Day(2999, 1, 6)), 422, "date_in_future");
  Refused(s, "cw", "POST", pay, Payment("progress", 1, Day(y, 1, 6), "m"), 403, "forbidden");

  CHECK(Event(s, "town", id, "start_service")["state"] == "in_service");
  // 杜绝久拖不付: the mid-year installment is long overdue.
  Json listed = s.Ok("town", "GET", pay);
  CHECK(listed["payments"].size() == 1);
  CHECK(HasWarning(listed, "payment_overdue"));
  Refused(s, "town", "POST", pay, Payment("progress", 4'000'000, Day(y, 7, 1)), 422,
          "progress_needs_milestone", "第二十三条");
  s.Ok("town", "POST", pay, Payment("progress", 4'000'000, Day(y, 7, 1), "上半年服务完成"), 201);

  CHECK(Event(s, "town", id, "start_evaluation")["state"] == "under_evaluation");
  // 第二十七条: no final payment before the evaluation.
  Refused(s, "town", "POST", pay, Payment("final", 2'000'000, Day(y, 12, 31)), 422,
          "payment_not_allowed_in_state", "第二十七条");
  Refused(s, "town", "POST", events, {{"event", "complete_evaluation"}}, 422,
          "satisfaction_survey_missing", "第二十六条");
  Json evaluation = {{"score_tenths", 865},
                     {"passed", true},
                     {"survey_done", true},
                     {"two_committee_opinion", true},
                     {"resident_rep_opinion", true}};
  Json ev = s.Ok("town", "PUT", ProjectPath(id, "/evaluation"), evaluation);
  CHECK(ev["project"]["groups"]["evaluation"]["grade"] == "good");  // 86.5: 良
  CHECK(Event(s, "town", id, "complete_evaluation")["state"] == "evaluated");

  Refused(s, "town", "POST", events, {{"event", "settle"}}, 422, "final_payment_missing");
  Refused(s, "town", "POST", pay, Payment("final", 2'000'001, Day(y, 12, 31)), 422,
          "payment_over_contract", "第二十三条");
  s.Ok("town", "POST", pay, Payment("final", 2'000'000, Day(y, 12, 31)), 201);
  CHECK(Event(s, "town", id, "settle")["state"] == "settled");
  Refused(s, "town", "POST", events, {{"event", "publish_result"}}, 422, "result_notice_missing");
  evaluation["result_notice_on"] = Day(y + 1, 1, 1);
  s.Ok("town", "PUT", ProjectPath(id, "/evaluation"), evaluation);
  CHECK(Event(s, "town", id, "publish_result")["state"] == "result_published");
  CHECK(Event(s, "town", id, "close")["state"] == "closed");
  Refused(s, "town", "POST", events, {{"event", "close"}}, 409, "illegal_transition");

  listed = s.Ok("town", "GET", pay);
  CHECK(listed["payments"].size() == 3);
  CHECK(listed["paid_fen"] == 10'000'000);
  CHECK_FALSE(HasWarning(listed, "payment_overdue"));

  // The audit trail has every step, with ids and codes but no title or description.
  DbOptions o;
  o.read_only = true;
  o.create = false;
  auto db = Db::Open(s.data_dir() + "/shefu.db", o);
  REQUIRE(db.ok());
  auto st = (*db)->Prepare("SELECT action, detail FROM audit WHERE record_id = ?1 ORDER BY seq");
  REQUIRE(st.ok());
  st->Bind(1, id);
  std::vector<std::string> actions;
  for (;;) {
    auto r = st->Step();
    REQUIRE(r.ok());
    if (!*r) break;
    actions.push_back(st->Str(0));
    CHECK(st->Str(1).find("养老") == std::string::npos);
  }
  for (const char* a : {"project.create", "project.submit", "project.approve", "project.contract",
                        "project.contract_sign", "project.sign_contract", "project.close"})
    CHECK(std::find(actions.begin(), actions.end(), a) != actions.end());
}

TEST_CASE("第二十条: the town approves only within its available funds") {
  StaffServer s;
  const int y = LastYear();
  PublishCatalogue(s, y);
  const std::string funds = "/v1/towns/" + std::string(kTown) + "/funds/" + std::to_string(y);
  s.Ok("town", "PUT", funds, {{"amount_fen", 15'000'000}});
  std::string a = s.Ok("town", "POST", "/v1/projects", TownProjectBody(y, "项目甲"), 201)["id"];
  std::string b = s.Ok("town", "POST", "/v1/projects", TownProjectBody(y, "项目乙"), 201)["id"];
  for (const auto& id : {a, b}) {
    Event(s, "town", id, "submit");
    Event(s, "town", id, "start_review");
  }
  CHECK(Event(s, "town", a, "approve")["state"] == "approved");
  Json f = s.Ok("town", "GET", funds);
  CHECK(f["committed_fen"] == 10'000'000);
  CHECK(f["available_fen"] == 5'000'000);
  // 150,000 recorded − 100,000 approved < 100,000 asked.
  Refused(s, "town", "POST", ProjectPath(b, "/events"), {{"event", "approve"}}, 422,
          "budget_over_town_funds", "第二十条");
  s.Ok("town", "PUT", funds, {{"amount_fen", 20'000'000}});
  CHECK(Event(s, "town", b, "approve")["state"] == "approved");
  CHECK(s.Ok("district", "GET", funds)["available_fen"] == 0);
  Refused(s, "town2", "PUT", funds, {{"amount_fen", 1}}, 403, "forbidden");
  Refused(s, "town2", "GET", funds, {}, 403, "forbidden");
}

TEST_CASE("第十三条: fiscal money needs the item in the district's published catalogue") {
  StaffServer s;
  const int y = LastYear();
  s.Ok("town", "PUT", "/v1/towns/" + std::string(kTown) + "/funds/" + std::to_string(y),
       {{"amount_fen", 20'000'000}});
  std::string id = s.Ok("town", "POST", "/v1/projects", TownProjectBody(y), 201)["id"];
  Refused(s, "town", "POST", ProjectPath(id, "/events"), {{"event", "submit"}}, 422,
          "funding_invalid", "第十三条");
  // A draft catalogue does not count; the published one does.
  const std::string cat = "/v1/catalogues/" + std::string(kDistrict) + "/" + std::to_string(y);
  s.Ok("district", "POST", "/v1/catalogues",
       {{"district", kDistrict}, {"year", y}, {"items", {{{"sub_item", "basic.elderly_care"}}}}},
       201);
  Refused(s, "town", "POST", ProjectPath(id, "/events"), {{"event", "submit"}}, 422,
          "funding_invalid", "第十三条");
  s.Ok("district", "POST", cat + "/publish");
  CHECK(Event(s, "town", id, "submit")["state"] == "submitted");
}
