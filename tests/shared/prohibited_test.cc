// Tests of the prohibited project kinds (第十一条).
#include <catch2/catch.hpp>

#include "shared/prohibited.h"

using namespace shefu;

TEST_CASE("第十一条: six prohibited kinds with stable codes and names in both languages") {
  const auto& items = ProhibitedItems();
  REQUIRE(items.size() == 6);
  const char* codes[] = {"business_investment", "debt_repayment",  "road_maintenance",
                         "staff_hiring",        "not_responsible", "unsuitable"};
  const char* clauses[] = {"（一）", "（二）", "（三）", "（四）", "（五）", "（六）"};
  for (size_t i = 0; i < 6; ++i) {
    INFO(codes[i]);
    CHECK(std::string(items[i].code) == codes[i]);
    CHECK(std::string(items[i].clause) == clauses[i]);
    CHECK(static_cast<size_t>(items[i].kind) == i);
    CHECK_FALSE(items[i].name.zh.empty());
    CHECK_FALSE(items[i].name.en.empty());
    CHECK(FindProhibitedItem(codes[i]) == &items[i]);
    CHECK(&GetProhibitedItem(items[i].kind) == &items[i]);
  }
  CHECK(GetProhibitedItem(ProhibitedKind::kStaffHiring).name.zh.find("消防员") !=
        std::string::npos);
  CHECK(FindProhibitedItem("P4") == nullptr);
}

TEST_CASE("第十一条: a proposal declaring a prohibited kind is rejected naming the item") {
  for (const auto& item : ProhibitedItems()) {
    INFO(item.code);
    Findings f = CheckDeclaredProhibited({item.code});
    REQUIRE_FALSE(f.ok());
    Status s = f.FirstError();
    CHECK(s.code() == "prohibited_item");
    CHECK(s.article() == "第十一条");
    CHECK(s.zh().find(item.name.zh) != std::string::npos);
    CHECK(s.zh().find(item.clause) != std::string::npos);
    CHECK(s.en().find(item.name.en) != std::string::npos);
    CHECK(s.message(Lang::kZh).find("第十一条") != std::string::npos);
  }
  // Two declared items give two errors; nothing declared gives none.
  CHECK(CheckDeclaredProhibited({"debt_repayment", "unsuitable"}).all().size() == 2);
  CHECK(CheckDeclaredProhibited({}).empty());
  Findings unknown = CheckDeclaredProhibited({"casino"});
  CHECK_FALSE(unknown.ok());
  CHECK(unknown.FirstError().code() == "unknown_prohibited_item");
  CHECK(unknown.FirstError().article() == "第十一条");
}

TEST_CASE("第十一条: keyword screening warns and names the suspected item") {
  struct Case {
    const char* title;
    const char* description;
    const char* item;
  };
  const Case cases[] = {
      {"社区专职消防员经费", "", "staff_hiring"},
      {"小区保洁服务", "", "staff_hiring"},
      {"夜间巡逻队", "", "staff_hiring"},
      {"聘请保安", "", "staff_hiring"},
      {"", "通过劳务派遣方式用工", "staff_hiring"},
      {"偿还村集体债务", "", "debt_repayment"},
      {"", "用于还款", "debt_repayment"},
      {"村道路面修补", "道路维修", "road_maintenance"},
      {"", "排水工程", "road_maintenance"},
      {"", "以资金入股合作社", "business_investment"},
      {"社区投资项目", "", "business_investment"},
  };
  for (const auto& c : cases) {
    INFO(c.title << " / " << c.description);
    Findings f = ScreenProhibited(c.title, c.description);
    CHECK(f.ok());  // warnings only: screening never blocks
    auto w = f.Warnings();
    REQUIRE(w.size() >= 1);
    const ProhibitedItem* item = FindProhibitedItem(c.item);
    bool named = false;
    for (const auto& x : w) {
      CHECK(x.code == "suspected_prohibited_item");
      CHECK(x.article == "第十一条");
      if (x.text.zh.find(item->name.zh) != std::string::npos &&
          x.text.en.find(item->name.en) != std::string::npos)
        named = true;
    }
    CHECK(named);
  }
  // One warning per item even when several of its words match.
  CHECK(ScreenProhibited("保洁、巡逻、保安", "").Warnings().size() == 1);
  // Two items suspected → two warnings.
  CHECK(ScreenProhibited("道路保洁", "").Warnings().size() == 2);
}

TEST_CASE("第十一条: ordinary service projects and look-alike phrases are not flagged") {
  for (const char* text : {"长者居家养老上门服务", "青少年心理咨询", "社区矫正对象帮扶",
                           "邻里议事协商能力建设", "活动确保安全有序", "志愿服务队培育"}) {
    INFO(text);
    CHECK(ScreenProhibited(text, "").empty());
  }
}

TEST_CASE("第十一条: the combined check blocks on declarations and warns on keywords") {
  Findings f = CheckProhibited({"staff_hiring"}, "保洁服务", "");
  CHECK_FALSE(f.ok());
  CHECK(f.Has("prohibited_item"));
  CHECK(f.Has("suspected_prohibited_item"));
  Findings g = CheckProhibited({}, "保洁服务", "");
  CHECK(g.ok());
  CHECK(g.Has("suspected_prohibited_item"));
}
