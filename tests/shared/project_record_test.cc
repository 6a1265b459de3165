// The wire form of the project records (shared/project_record.h): what the validators let into
// the store and how group values parse back into the domain types.
#include <catch2/catch.hpp>

#include "shared/project_record.h"
#include "tests/support/fake_places.h"

using namespace shefu;

namespace {

const EntityTypeSpec& Type(const char* name) {
  const EntityTypeSpec* t = FindEntityType(name);
  REQUIRE(t);
  return *t;
}

Status Write(const char* entity, std::string_view group, const Json& v) {
  test::FakePlaces places;
  return ValidateGroupWrite(places, Type(entity), group, v);
}

Json Proposal() {
  return {{"title", "长者助餐"},
          {"origin", "town_planned"},
          {"category", "basic"},
          {"sub_item", "basic.elderly_care"},
          {"year", 2025}};
}

}  // namespace

TEST_CASE("Project records: the town decides, devices draft") {
  const EntityTypeSpec& p = Type("project");
  CHECK(p.kind == MergeKind::kEditable);
  CHECK(p.deletes == DeleteRule::kNotDeletable);
  CHECK(p.AllowsWriter(Role::kCommunityWorker));
  CHECK_FALSE(p.AllowsWriter(Role::kKiosk));
  for (auto g : kProposerGroups) CHECK_FALSE(p.FindGroup(g)->server_only);
  for (const char* g : {"lifecycle", "review", "procurement", "contract", "evaluation"})
    CHECK(p.FindGroup(g)->server_only);
  CHECK(p.FindGroup("place")->immutable);
  // Payments, catalogues and town funds are the server's alone.
  for (const char* e : {"payment", "catalogue", "town_funds"}) {
    CHECK(Type(e).device_writers.empty());
    for (const auto& g : Type(e).groups) CHECK(g.server_only);
  }
  CHECK(Type("payment").kind == MergeKind::kAppendOnly);
}

TEST_CASE("Project records: place levels and proposal shape") {
  CHECK(Write("project", "place", {{"code", "T1"}}).ok());
  CHECK(Write("project", "place", {{"code", "C1"}}).ok());
  CHECK(Write("project", "place", {{"code", "D1"}}).code() == "unknown_place");
  CHECK(Write("project", "proposal", Proposal()).ok());
  Json bad = Proposal();
  bad["origin"] = "city_planned";
  CHECK(Write("project", "proposal", bad).code() == "unknown_origin");
  bad = Proposal();
  bad["sub_item"] = "safety.mediation";
  CHECK(Write("project", "proposal", bad).code() == "sub_item_category_mismatch");
  bad = Proposal();
  bad["origin"] = "so_designed";
  CHECK(Write("project", "proposal", bad).code() == "bad_field");  // names the designer
  bad["designer_org"] = "so-1";
  CHECK(Write("project", "proposal", bad).ok());
  CHECK(Write("project", "prohibited", {{"declared", {"road_maintenance"}}, {"attested", true}})
            .ok());  // declaring is information; the lifecycle refuses it
  CHECK(Write("project", "prohibited", {{"declared", {"roads"}}, {"attested", true}}).code() ==
        "unknown_prohibited_item");
  CHECK(Write("project", "evidence", {{"community_selection", "T1"}}).code() ==
        "unknown_community");
  CHECK(Write("project", "lifecycle", {{"state", "flying"}}).code() == "bad_field");
  CHECK(Write("project", "evaluation", {{"recorded", true}}).code() == "bad_field");
  CHECK(Write("project", "nonsense", Json::object()).code() == "unknown_group");
}

TEST_CASE("Project records: the contract group round-trips and is signed by the later party") {
  Json j = {{"amount_fen", 1'000'000},
            {"start", "2025-01-01"},
            {"end", "2025-12-31"},
            {"payment_plan",
             {{{"kind", "advance"}, {"amount_fen", 400'000}, {"due_on", "2025-01-10"}},
              {{"kind", "final"}, {"amount_fen", 600'000}, {"due_on", "2025-12-31"}}}},
            {"town_signed_on", "2024-12-20"}};
  auto c = ContractFromJson(j);
  REQUIRE(c.ok());
  CHECK_FALSE(c->contract.signed_on);  // one signature is not a signed contract
  j["so_signed_on"] = "2024-12-22";
  c = ContractFromJson(j);
  REQUIRE(c.ok());
  CHECK(c->contract.signed_on == Date{2024, 12, 22});
  CHECK(c->plan.size() == 2);
  auto again = ContractFromJson(ContractToJson(*c));
  REQUIRE(again.ok());
  CHECK(ContractToJson(*again) == ContractToJson(*c));
  j["amount_fen"] = 1.5;
  CHECK_FALSE(ContractFromJson(j).ok());
  j["amount_fen"] = 1'000'000;
  j["payment_plan"][0]["kind"] = "bonus";
  CHECK_FALSE(ContractFromJson(j).ok());
  j["payment_plan"][0]["kind"] = "advance";
  while (j["payment_plan"].size() < kMaxPaymentPlanItems)
    j["payment_plan"].push_back(j["payment_plan"][1]);
  CHECK(ContractFromJson(j).ok());
  j["payment_plan"].push_back(j["payment_plan"][1]);
  CHECK(ContractFromJson(j).status().code() == "bad_field");
}

TEST_CASE("第二十一条: 询价 is for goods, never for a service") {
  CHECK(CheckProcurementMethod("public_tender").ok());
  CHECK(CheckProcurementMethod("competitive_consultation").ok());
  Status s = CheckProcurementMethod("inquiry");
  CHECK(s.code() == "inquiry_not_for_services");
  CHECK(s.article() == "第二十一条");
  CHECK(CheckProcurementMethod("auction").code() == "unknown_procurement_method");
  // The record may hold it (the guard refuses it), but not an unknown code.
  CHECK(Write("project", "procurement", {{"method", "inquiry"}}).ok());
  CHECK(Write("project", "procurement", {{"method", "auction"}}).code() ==
        "unknown_procurement_method");
}

TEST_CASE("Project records: payments, catalogue books and town funds") {
  Json pay = {{"project", "p-1"},
              {"kind", "advance"},
              {"amount_fen", 100},
              {"paid_on", "2025-01-05"},
              {"place", "T1"}};
  CHECK(Write("payment", kRecordGroup, pay).ok());
  auto pv = PaymentFromJson(pay);
  REQUIRE(pv.ok());
  CHECK(PaymentToJson(*pv) == pay);
  pay["amount_fen"] = 0;
  CHECK_FALSE(Write("payment", kRecordGroup, pay).ok());
  pay["amount_fen"] = 100;
  pay["place"] = "D1";
  CHECK(Write("payment", kRecordGroup, pay).code() == "unknown_place");

  CHECK(Write("catalogue", "place", {{"code", "D1"}}).ok());
  CHECK(Write("catalogue", "place", {{"code", "T1"}}).code() == "unknown_place");
  Json cat = {{"district", "D1"},
              {"year", 2025},
              {"version", 1},
              {"status", "draft"},
              {"items", {{{"sub_item", "basic.health"}}}}};
  CHECK(
      Write("catalogue", "book", {{"district", "D1"}, {"year", 2025}, {"catalogues", {cat}}}).ok());
  CHECK(Write("catalogue", "book", {{"district", "D1"}, {"year", 2026}, {"catalogues", {cat}}})
            .code() == "bad_catalogue");

  CHECK(Write("town_funds", "place", {{"code", "T1"}}).ok());
  CHECK(Write("town_funds", "place", {{"code", "C1"}}).code() == "unknown_place");
  CHECK(Write("town_funds", "funds", {{"year", 2025}, {"amount_fen", 0}}).ok());
  CHECK_FALSE(Write("town_funds", "funds", {{"year", 2025}, {"amount_fen", -1}}).ok());
}
