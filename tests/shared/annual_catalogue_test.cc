// Tests of the annual purchase catalogue 项目清单 (第七条, 第八条, 第十条, 第十三条).
#include <catch2/catch.hpp>

#include <functional>

#include "shared/annual_catalogue.h"
#include "shared/divisions.h"

using namespace shefu;

namespace {

const Scope kXiangzhouAdmin{"440402", "", "", ""};
const Scope kGaoxinAdmin{"ZH-GAOXIN", "", "", ""};

std::vector<CatalogueItem> SomeItems() {
  return {{"basic.elderly_care", "长者助餐与上门探访", 5000, "每人每月"},
          {"safety.mediation", "", std::nullopt, ""},
          {"community_building.other", "社区微更新参与式设计", std::nullopt, ""}};
}

// A book with 香洲区 2026 published (version 1) on `on`.
CatalogueBook PublishedBook(const Date& on = Date{2026, 2, 10}) {
  CatalogueBook book;
  REQUIRE(book.CreateDraft(Role::kDistrictAdmin, kXiangzhouAdmin, "440402", 2026).ok());
  REQUIRE(
      book.SetDraftItems(Role::kDistrictAdmin, kXiangzhouAdmin, "440402", 2026, SomeItems()).ok());
  REQUIRE(book.Publish(Role::kDistrictAdmin, kXiangzhouAdmin, "440402", 2026, on).ok());
  return book;
}

}  // namespace

TEST_CASE("第七条: only the administrator of that district may publish its catalogue") {
  for (Role r : kAllRoles) {
    for (const Scope& s :
         {kXiangzhouAdmin, kGaoxinAdmin, Scope{}, Scope{"440402", "440402001", "", ""}}) {
      bool allowed = r == Role::kDistrictAdmin && s.district == "440402";
      INFO(RoleCode(r) << " scope " << s.district);
      Status st = CheckCatalogueRole(r, s, "440402");
      CHECK(st.ok() == allowed);
      if (!st.ok()) {
        CHECK(st.code() == "catalogue_forbidden");
        CHECK(st.article() == "第七条");
      }
    }
  }
  CHECK_FALSE(CheckCatalogueRole(Role::kDistrictAdmin, Scope{}, "").ok());

  // Through the book: the city administrator and a neighbouring district are refused, and the
  // draft stays a draft.
  CatalogueBook book;
  CHECK(book.CreateDraft(Role::kCityAdmin, Scope{}, "440402", 2026).code() ==
        "catalogue_forbidden");
  REQUIRE(book.CreateDraft(Role::kDistrictAdmin, kXiangzhouAdmin, "440402", 2026).ok());
  REQUIRE(
      book.SetDraftItems(Role::kDistrictAdmin, kXiangzhouAdmin, "440402", 2026, SomeItems()).ok());
  Findings f = book.Publish(Role::kDistrictAdmin, kGaoxinAdmin, "440402", 2026, Date{2026, 2, 1});
  CHECK_FALSE(f.ok());
  CHECK(f.FirstError().code() == "catalogue_forbidden");
  CHECK(book.Publish(Role::kCityAdmin, Scope{}, "440402", 2026, Date{2026, 2, 1})
            .FirstError()
            .code() == "catalogue_forbidden");
  CHECK(book.InForce("440402", 2026) == nullptr);
  CHECK(book.Draft("440402", 2026) != nullptr);
}

TEST_CASE("第七条: publishing outside the first quarter warns and does not block") {
  for (Date on : {Date{2026, 1, 1}, Date{2026, 3, 31}}) {
    CatalogueBook book;
    REQUIRE(book.CreateDraft(Role::kDistrictAdmin, kXiangzhouAdmin, "440402", 2026).ok());
    REQUIRE(book.SetDraftItems(Role::kDistrictAdmin, kXiangzhouAdmin, "440402", 2026, SomeItems())
                .ok());
    Findings f = book.Publish(Role::kDistrictAdmin, kXiangzhouAdmin, "440402", 2026, on);
    CHECK(f.ok());
    CHECK(f.empty());
  }
  for (Date on : {Date{2026, 4, 1}, Date{2026, 12, 31}, Date{2025, 12, 31}}) {
    INFO(FormatDate(on));
    CatalogueBook book;
    REQUIRE(book.CreateDraft(Role::kDistrictAdmin, kXiangzhouAdmin, "440402", 2026).ok());
    REQUIRE(book.SetDraftItems(Role::kDistrictAdmin, kXiangzhouAdmin, "440402", 2026, SomeItems())
                .ok());
    Findings f = book.Publish(Role::kDistrictAdmin, kXiangzhouAdmin, "440402", 2026, on);
    CHECK(f.ok());  // 原则上: a warning only
    REQUIRE(f.Warnings().size() == 1);
    CHECK(f.Warnings()[0].code == "catalogue_outside_q1");
    CHECK(f.Warnings()[0].article == "第七条");
    CHECK(f.Warnings()[0].text.zh.find(FormatDate(on)) != std::string::npos);
    REQUIRE(book.InForce("440402", 2026));
    CHECK(book.InForce("440402", 2026)->published_on == on);
  }
}

TEST_CASE("第七条: one catalogue per district and year") {
  CatalogueBook book = PublishedBook();
  Status again = book.CreateDraft(Role::kDistrictAdmin, kXiangzhouAdmin, "440402", 2026);
  CHECK(again.code() == "catalogue_exists");
  CHECK(again.article() == "第七条");
  CHECK(book.CreateDraft(Role::kDistrictAdmin, kXiangzhouAdmin, "440402", 2027).ok());
  CHECK(book.CreateDraft(Role::kDistrictAdmin, kGaoxinAdmin, "ZH-GAOXIN", 2026).ok());
  CHECK(book.CreateDraft(Role::kDistrictAdmin, kGaoxinAdmin, "ZH-GAOXIN", 2026).code() ==
        "catalogue_exists");
}

TEST_CASE("第七条: an amendment is a new version that replaces the published one") {
  CatalogueBook book = PublishedBook();
  CHECK(book.StartAmendment(Role::kDistrictAdmin, kGaoxinAdmin, "440402", 2026).code() ==
        "catalogue_forbidden");
  REQUIRE(book.StartAmendment(Role::kDistrictAdmin, kXiangzhouAdmin, "440402", 2026).ok());
  CHECK(book.StartAmendment(Role::kDistrictAdmin, kXiangzhouAdmin, "440402", 2026).code() ==
        "catalogue_draft_open");
  const AnnualCatalogue* draft = book.Draft("440402", 2026);
  REQUIRE(draft);
  CHECK(draft->version == 2);
  CHECK(draft->items == SomeItems());
  // The amendment drops mediation and adds veterans' services; until published, v1 is in force.
  std::vector<CatalogueItem> items = {SomeItems()[0],
                                      {"special_groups.veterans", "", 800, "每人次"}};
  REQUIRE(book.SetDraftItems(Role::kDistrictAdmin, kXiangzhouAdmin, "440402", 2026, items).ok());
  CHECK(IsInPublishedCatalogue(book.all(), "440402", 2026, "safety.mediation"));
  CHECK_FALSE(IsInPublishedCatalogue(book.all(), "440402", 2026, "special_groups.veterans"));

  REQUIRE(
      book.Publish(Role::kDistrictAdmin, kXiangzhouAdmin, "440402", 2026, Date{2026, 6, 1}).ok());
  REQUIRE(book.all().size() == 2);
  CHECK(book.all()[0].status == CatalogueStatus::kAmended);
  CHECK(book.all()[0].published_on == Date{2026, 2, 10});  // history kept
  CHECK(book.all()[1].status == CatalogueStatus::kPublished);
  CHECK(book.InForce("440402", 2026)->version == 2);
  CHECK_FALSE(IsInPublishedCatalogue(book.all(), "440402", 2026, "safety.mediation"));
  CHECK(IsInPublishedCatalogue(book.all(), "440402", 2026, "special_groups.veterans"));

  // A discarded amendment leaves the published version in force.
  REQUIRE(book.StartAmendment(Role::kDistrictAdmin, kXiangzhouAdmin, "440402", 2026).ok());
  REQUIRE(book.DiscardDraft(Role::kDistrictAdmin, kXiangzhouAdmin, "440402", 2026).ok());
  CHECK(book.InForce("440402", 2026)->version == 2);
  CHECK(book.Draft("440402", 2026) == nullptr);

  CatalogueBook empty;
  CHECK(empty.StartAmendment(Role::kDistrictAdmin, kXiangzhouAdmin, "440402", 2026).code() ==
        "catalogue_not_published");
}

TEST_CASE("第七条: an empty catalogue cannot be published") {
  CatalogueBook book;
  REQUIRE(book.CreateDraft(Role::kDistrictAdmin, kXiangzhouAdmin, "440402", 2026).ok());
  Findings f =
      book.Publish(Role::kDistrictAdmin, kXiangzhouAdmin, "440402", 2026, Date{2026, 2, 1});
  CHECK_FALSE(f.ok());
  CHECK(f.FirstError().code() == "bad_catalogue");
  CHECK(book.InForce("440402", 2026) == nullptr);
  CHECK(book.Publish(Role::kDistrictAdmin, kXiangzhouAdmin, "440402", 2027, Date{2027, 2, 1})
            .FirstError()
            .code() == "no_catalogue_draft");
}

TEST_CASE("第七条: closing the year archives the catalogue and keeps it as the record") {
  CatalogueBook book = PublishedBook();
  REQUIRE(book.StartAmendment(Role::kDistrictAdmin, kXiangzhouAdmin, "440402", 2026).ok());
  CHECK(book.Archive(Role::kDistrictAdmin, kXiangzhouAdmin, "440402", 2026).code() ==
        "catalogue_draft_open");
  REQUIRE(book.DiscardDraft(Role::kDistrictAdmin, kXiangzhouAdmin, "440402", 2026).ok());
  REQUIRE(book.Archive(Role::kDistrictAdmin, kXiangzhouAdmin, "440402", 2026).ok());
  CHECK(book.InForce("440402", 2026)->status == CatalogueStatus::kArchived);
  CHECK(IsInPublishedCatalogue(book.all(), "440402", 2026, "basic.elderly_care"));
  CHECK(book.StartAmendment(Role::kDistrictAdmin, kXiangzhouAdmin, "440402", 2026).code() ==
        "catalogue_not_published");
}

TEST_CASE("第十三条: only items of the catalogue in force count for fiscal funding") {
  CatalogueBook book = PublishedBook();
  const auto& all = book.all();
  CHECK(IsInPublishedCatalogue(all, "440402", 2026, "basic.elderly_care"));
  CHECK_FALSE(IsInPublishedCatalogue(all, "440402", 2026, "basic.health"));           // not listed
  CHECK_FALSE(IsInPublishedCatalogue(all, "440402", 2027, "basic.elderly_care"));     // other year
  CHECK_FALSE(IsInPublishedCatalogue(all, "ZH-GAOXIN", 2026, "basic.elderly_care"));  // other 区
  // A draft is not a published catalogue.
  REQUIRE(book.CreateDraft(Role::kDistrictAdmin, kGaoxinAdmin, "ZH-GAOXIN", 2026).ok());
  REQUIRE(
      book.SetDraftItems(Role::kDistrictAdmin, kGaoxinAdmin, "ZH-GAOXIN", 2026, SomeItems()).ok());
  CHECK_FALSE(IsInPublishedCatalogue(book.all(), "ZH-GAOXIN", 2026, "basic.elderly_care"));
}

TEST_CASE("第八条: catalogue items name a real sub-item and an other item needs its reason") {
  CHECK(ValidateCatalogueItem({"basic.elderly_care", "", std::nullopt, ""}).ok());
  CHECK(ValidateCatalogueItem({"basic.nonsense", "", std::nullopt, ""}).code() ==
        "unknown_sub_item");
  CHECK(ValidateCatalogueItem({"basic.other", "", std::nullopt, ""}).code() ==
        "other_needs_reason");
  CHECK(ValidateCatalogueItem({"basic.other", "长者防诈骗宣传", std::nullopt, ""}).ok());
}

TEST_CASE("第十条: a unit price standard is positive integer fen with its unit") {
  CHECK(ValidateCatalogueItem({"basic.elderly_care", "", 5000, "每人每月"}).ok());
  CHECK_FALSE(ValidateCatalogueItem({"basic.elderly_care", "", 5000, ""}).ok());
  CHECK_FALSE(ValidateCatalogueItem({"basic.elderly_care", "", 0, "每人每月"}).ok());
  CHECK_FALSE(ValidateCatalogueItem({"basic.elderly_care", "", -1, "每人每月"}).ok());
  CHECK_FALSE(ValidateCatalogueItem({"basic.elderly_care", "", kMaxFen + 1, "每人每月"}).ok());
  AnnualCatalogue c{
      "440402", 2026, 1, CatalogueStatus::kDraft, std::nullopt, {SomeItems()[0], SomeItems()[0]}};
  CHECK(ValidateCatalogue(c).code() == "bad_catalogue");  // the same item twice
}

TEST_CASE("Catalogue JSON: round trip and full validation of every field") {
  CatalogueBook book = PublishedBook();
  REQUIRE(book.StartAmendment(Role::kDistrictAdmin, kXiangzhouAdmin, "440402", 2026).ok());
  auto back = CatalogueBook::FromJson(*ParseJson(DumpJson(book.ToJson())));
  REQUIRE(back.ok());
  REQUIRE(back->all().size() == 2);
  CHECK(back->all()[0].items == book.all()[0].items);
  CHECK(back->all()[0].published_on == book.all()[0].published_on);
  CHECK(back->all()[1].status == CatalogueStatus::kDraft);
  CHECK(DumpJson(back->ToJson()) == DumpJson(book.ToJson()));

  const Json good = CatalogueToJson(book.all()[0]);
  struct Case {
    const char* what;
    std::function<void(Json&)> edit;
  };
  std::vector<Case> one = {
      {"unknown status", [](Json& j) { j["status"] = "final"; }},
      {"unknown key", [](Json& j) { j["publisher"] = "x"; }},
      {"fractional price", [](Json& j) { j["items"][0]["unit_price_fen"] = 50.5; }},
      {"price in yuan string", [](Json& j) { j["items"][0]["unit_price_fen"] = "50.00"; }},
      {"published without a date", [](Json& j) { j.erase("published_on"); }},
      {"draft with a date", [](Json& j) { j["status"] = "draft"; }},
      {"bad date", [](Json& j) { j["published_on"] = "2026-02-30"; }},
      {"year out of range", [](Json& j) { j["year"] = 1999; }},
      {"version zero", [](Json& j) { j["version"] = 0; }},
      {"items not an array", [](Json& j) { j["items"] = "basic.elderly_care"; }},
      {"unknown sub-item", [](Json& j) { j["items"][1]["sub_item"] = "safety.patrol"; }},
      {"published and empty", [](Json& j) { j["items"] = Json::array(); }},
  };
  for (const auto& c : one) {
    INFO(c.what);
    Json j = good;
    c.edit(j);
    CHECK_FALSE(CatalogueFromJson(j).ok());
  }
  CHECK(CatalogueFromJson(good).ok());

  auto book_of = [](std::vector<std::pair<int, const char*>> versions) {
    Json list = Json::array();
    for (auto [v, st] : versions) {
      AnnualCatalogue c{"440402", 2026, v, *ParseCatalogueStatus(st), std::nullopt, SomeItems()};
      if (std::string(st) != "draft") c.published_on = Date{2026, 2, 1};
      list.push_back(CatalogueToJson(c));
    }
    return CatalogueBook::FromJson(Json{{"catalogues", list}});
  };
  CHECK(book_of({{1, "amended"}, {2, "published"}, {3, "draft"}}).ok());
  CHECK(book_of({{1, "archived"}}).ok());
  CHECK_FALSE(book_of({{1, "draft"}, {2, "draft"}}).ok());
  CHECK_FALSE(book_of({{1, "published"}, {2, "published"}}).ok());
  CHECK_FALSE(book_of({{1, "published"}, {1, "amended"}}).ok());
  CHECK_FALSE(book_of({{1, "amended"}}).ok());                    // replaced by nothing
  CHECK_FALSE(book_of({{2, "amended"}, {1, "published"}}).ok());  // in force older than replaced
  CHECK_FALSE(book_of({{2, "published"}, {1, "draft"}}).ok());    // draft older than published
}

TEST_CASE("第二十九条: catalogues belong to known districts in the policy's sense") {
  Divisions zhuhai = *Divisions::LoadEmbedded();
  zhuhai.set_as_of(Date{2026, 1, 1});
  CatalogueBook book(&zhuhai);
  CHECK(book.CreateDraft(Role::kDistrictAdmin, kGaoxinAdmin, "ZH-GAOXIN", 2026).ok());
  Scope town{"440402001", "", "", ""};
  CHECK(book.CreateDraft(Role::kDistrictAdmin, town, "440402001", 2026).code() ==
        "unknown_district");
  Scope nowhere{"ZH-NOWHERE", "", "", ""};
  CHECK(book.CreateDraft(Role::kDistrictAdmin, nowhere, "ZH-NOWHERE", 2026).code() ==
        "unknown_district");
  Json j = book.ToJson();
  j["catalogues"][0]["district"] = "ZH-NOWHERE";
  CHECK(CatalogueBook::FromJson(j, &zhuhai).status().code() == "unknown_district");
  CHECK(CatalogueBook::FromJson(j).ok());  // without reference data only the shape is checked
}
