// Tests of the Zhuhai division data and its lookups (第二条, 第二十九条).
#include <catch2/catch.hpp>

#include <functional>
#include <set>

#include "shared/divisions.h"
#include "shared/entity_types.h"
#include "shared/env.h"
#include "tests/support/test_util.h"

using namespace shefu;

namespace {

const Divisions& ZhuhaiDivisions() {
  static const Divisions d = [] {
    auto r = Divisions::LoadEmbedded();
    if (!r.ok()) FAIL(r.status().ToString());
    return std::move(r).value();
  }();
  return d;
}

Json EmbeddedJson() {
  return *ParseJson(test::ReadFile(test::SourcePath("shared/data/zhuhai-divisions.json")));
}

// Loads the embedded data after `edit` and returns the load status.
Status LoadEdited(const std::function<void(Json&)>& edit) {
  Json j = EmbeddedJson();
  edit(j);
  auto r = Divisions::Parse(DumpJson(j));
  return r.ok() ? Status::Ok() : r.status();
}

size_t CountCommunities(const Divisions& d, const std::string& statutory, const Date& on) {
  size_t n = 0;
  for (const Town* t : d.TownsInStatutoryDistrict(statutory))
    n += d.CommunitiesOf(t->code, on).size();
  return n;
}

const Date kBeforeWanzaiSplit{2025, 11, 26};
const Date kWanzaiSplit{2025, 11, 27};

}  // namespace

TEST_CASE("Zhuhai data: the embedded file and the source file load and agree") {
  const Divisions& d = ZhuhaiDivisions();
  CHECK(d.city_code() == "440400");
  CHECK(d.city_name() == "珠海市");
  CHECK(d.data_date() == "2022-10-31");
  auto f = Divisions::LoadFile(test::SourcePath("shared/data/zhuhai-divisions.json"));
  REQUIRE(f.ok());
  CHECK(f->towns().size() == d.towns().size());
  CHECK(f->districts().size() == d.districts().size());
  auto missing = Divisions::LoadFile("/nonexistent/zhuhai.json");
  CHECK(missing.status().code() == "divisions_file_unreadable");
}

TEST_CASE("第二十九条: a district is an administrative district or 横琴 or a functional zone") {
  const Divisions& d = ZhuhaiDivisions();
  for (const char* code : {"440402", "440403", "440404"}) {
    const District* x = d.FindDistrict(code);
    REQUIRE(x);
    CHECK(x->kind == DistrictKind::kAdministrative);
    CHECK_FALSE(x->synthetic);
  }
  CHECK(d.FindDistrict("440402")->name == "香洲区");
  CHECK(d.FindDistrict("440403")->name == "斗门区");
  CHECK(d.FindDistrict("440404")->name == "金湾区");

  const District* hq = d.FindDistrict("ZH-HENGQIN");
  REQUIRE(hq);
  CHECK(hq->kind == DistrictKind::kHengqin);
  CHECK(hq->synthetic);
  CHECK(hq->NameOn(Date{2021, 9, 16}) == "横琴新区");
  CHECK(hq->NameOn(Date{2021, 9, 17}) == "横琴粤澳深度合作区");

  for (const char* code : {"ZH-GAOXIN", "ZH-JINGKAI", "ZH-WANSHAN", "ZH-BAOSHUI"}) {
    INFO(code);
    const District* x = d.FindDistrict(code);
    REQUIRE(x);
    CHECK(x->kind == DistrictKind::kFunctionalZone);
    CHECK(x->synthetic);
  }
  CHECK(d.FindDistrict("ZH-BAOSHUI")->low_confidence);
  CHECK_FALSE(d.FindDistrict("ZH-GAOXIN")->low_confidence);
  CHECK(d.districts().size() == 8);
}

TEST_CASE(
    "第二十九条: functional zones and 横琴 manage their towns and the rest stay with their "
    "statutory district") {
  const Divisions& d = ZhuhaiDivisions();
  const Date on{2026, 1, 15};
  auto managed = [&](const char* town) { return d.ManagingDistrict(town, on)->code; };
  CHECK(managed("440402100") == "ZH-GAOXIN");   // 唐家湾镇
  CHECK(managed("440404101") == "ZH-JINGKAI");  // 南水镇
  CHECK(managed("440404104") == "ZH-JINGKAI");  // 平沙镇
  CHECK(managed("440402105") == "ZH-WANSHAN");  // 桂山镇
  CHECK(managed("440402106") == "ZH-WANSHAN");  // 万山镇
  CHECK(managed("440402107") == "ZH-WANSHAN");  // 担杆镇
  CHECK(managed("440402104") == "ZH-HENGQIN");  // 横琴镇
  CHECK(managed("440402001") == "440402");      // 翠香街道
  CHECK(managed("440402102") == "440402");      // 南屏镇
  CHECK(managed("440403106") == "440403");      // 白蕉镇
  CHECK(managed("440404100") == "440404");      // 三灶镇
  CHECK(d.ManagingDistrict("440499999", on) == nullptr);

  // The statutory parent is unchanged by management.
  CHECK(d.FindTown("440402100")->statutory_district == "440402");

  std::map<std::string, size_t> expected = {{"440402", 10},    {"440403", 6},    {"440404", 2},
                                            {"ZH-HENGQIN", 1}, {"ZH-GAOXIN", 1}, {"ZH-JINGKAI", 2},
                                            {"ZH-WANSHAN", 3}, {"ZH-BAOSHUI", 0}};
  size_t total = 0;
  for (const auto& [code, n] : expected) {
    INFO(code);
    CHECK(d.TownsOf(code, on).size() == n);
    total += d.TownsOf(code, on).size();
  }
  CHECK(total == 25);  // every real town is managed by exactly one district
}

TEST_CASE("第二十九条: town management is time-versioned") {
  Json j = EmbeddedJson();
  // 南屏镇 handed to the 保税区 for 2024 only (a made-up period to exercise the versioning).
  j["management"].push_back({{"town", "440402102"},
                             {"district", "ZH-BAOSHUI"},
                             {"from", "2024-01-01"},
                             {"to", "2024-12-31"}});
  auto r = Divisions::Parse(DumpJson(j));
  REQUIRE(r.ok());
  const Divisions& d = *r;
  CHECK(d.ManagingDistrict("440402102", Date{2023, 12, 31})->code == "440402");
  CHECK(d.ManagingDistrict("440402102", Date{2024, 1, 1})->code == "ZH-BAOSHUI");
  CHECK(d.ManagingDistrict("440402102", Date{2024, 12, 31})->code == "ZH-BAOSHUI");
  CHECK(d.ManagingDistrict("440402102", Date{2025, 1, 1})->code == "440402");
  CHECK(d.TownsOf("ZH-BAOSHUI", Date{2024, 6, 1}).size() == 1);
  CHECK(d.TownsOf("440402", Date{2024, 6, 1}).size() == 9);

  Place p;
  REQUIRE(d.ResolvePlaceOn("440402102X01", Date{2024, 6, 1}, &p));
  CHECK(p.district == "ZH-BAOSHUI");
  REQUIRE(d.ResolvePlaceOn("440402102X01", Date{2025, 6, 1}, &p));
  CHECK(p.district == "440402");

  // Two districts managing one town on the same day is refused.
  j["management"].push_back(
      {{"town", "440402102"}, {"district", "ZH-GAOXIN"}, {"from", "2024-12-31"}});
  auto overlap = Divisions::Parse(DumpJson(j));
  REQUIRE_FALSE(overlap.ok());
  CHECK(overlap.status().code() == "bad_divisions");
  CHECK(overlap.status().en().find("overlap") != std::string::npos);
}

TEST_CASE("第二条: the 25 towns and sub-districts purchase, statistical units do not") {
  const Divisions& d = ZhuhaiDivisions();
  const std::set<std::string> real = {
      "440402001", "440402002", "440402003", "440402004", "440402005", "440402006", "440402007",
      "440402008", "440402009", "440402100", "440402102", "440402104", "440402105", "440402106",
      "440402107", "440403001", "440403100", "440403103", "440403105", "440403106", "440403107",
      "440404100", "440404101", "440404103", "440404104"};
  const std::set<std::string> stat_units = {"440402401", "440402402", "440402403",
                                            "440402404", "440404400", "440404401"};
  for (const auto& code : real) {
    INFO(code);
    CHECK(d.IsPurchaser(code));
    CHECK(d.CheckPurchaser(code).ok());
  }
  for (const auto& code : stat_units) {
    INFO(code);
    const Town* t = d.FindTown(code);
    REQUIRE(t);
    CHECK(t->kind == TownKind::kStatUnit);
    CHECK_FALSE(d.IsPurchaser(code));
    Status s = d.CheckPurchaser(code);
    CHECK(s.code() == "not_a_purchaser");
    CHECK(s.article() == "第二条");
    CHECK(s.zh().find(t->name) != std::string::npos);
    Place p;
    CHECK_FALSE(d.ResolvePlaceOn(code, Date{2026, 1, 1}, &p));
  }
  CHECK(d.FindTown("440402402")->name == "保税区");
  CHECK(d.FindTown("440402401")->name == "南屏科技园");
  CHECK(d.towns().size() == real.size() + stat_units.size());
  CHECK(d.CheckPurchaser("440402999").code() == "unknown_town");
  CHECK_FALSE(d.IsPurchaser("440402"));  // a district is not a town
}

TEST_CASE("Zhuhai data: towns carry NBS codes and names and kinds") {
  const Divisions& d = ZhuhaiDivisions();
  CHECK(d.FindTown("440402001")->name == "翠香街道");
  CHECK(d.FindTown("440402001")->kind == TownKind::kSubdistrict);
  CHECK(d.FindTown("440402100")->name == "唐家湾镇");
  CHECK(d.FindTown("440402100")->kind == TownKind::kTown);
  CHECK(d.FindTown("440403001")->name == "白藤街道");
  CHECK(d.FindTown("440404104")->name == "平沙镇");
  CHECK(d.FindTown("440402403")->name == "三溪科创小镇发展中心");
  CHECK(d.TownsInStatutoryDistrict("440402").size() == 19);
  CHECK(d.TownsInStatutoryDistrict("440403").size() == 6);
  CHECK(d.TownsInStatutoryDistrict("440404").size() == 6);
}

TEST_CASE("Zhuhai data: community totals match the reference per statutory district") {
  const Divisions& d = ZhuhaiDivisions();
  CHECK(CountCommunities(d, "440402", kBeforeWanzaiSplit) == 164);
  CHECK(CountCommunities(d, "440402", kWanzaiSplit) == 166);
  CHECK(CountCommunities(d, "440403", kWanzaiSplit) == 130);
  CHECK(CountCommunities(d, "440404", kWanzaiSplit) == 42);
  // A few per-town counts from the reference (§10.4).
  CHECK(d.CommunitiesOf("440403106", kWanzaiSplit).size() == 38);  // 白蕉镇 4 + 33 + 1
  CHECK(d.CommunitiesOf("440403100", kWanzaiSplit).size() == 30);  // 莲洲镇
  CHECK(d.CommunitiesOf("440404104", kWanzaiSplit).size() == 11);  // 平沙镇
  CHECK(d.CommunitiesOf("440402107", kWanzaiSplit).size() == 3);   // 担杆镇
  for (const auto& t : d.towns())
    if (t.kind == TownKind::kStatUnit) CHECK(d.CommunitiesOf(t.code, kWanzaiSplit).empty());
}

TEST_CASE("Zhuhai data: 湾仔街道 gains 民兴 and 十字门 on 2025-11-27") {
  const Divisions& d = ZhuhaiDivisions();
  CHECK(d.CommunitiesOf("440402008", kBeforeWanzaiSplit).size() == 6);
  auto after = d.CommunitiesOf("440402008", kWanzaiSplit);
  REQUIRE(after.size() == 8);
  CHECK(after[6]->name == "民兴社区");
  CHECK(after[7]->name == "十字门社区");
  Place p;
  CHECK_FALSE(d.ResolvePlaceOn(after[6]->code, kBeforeWanzaiSplit, &p));
  CHECK(d.ResolvePlaceOn(after[6]->code, kWanzaiSplit, &p));
  CHECK(p.town == "440402008");
}

TEST_CASE(
    "Zhuhai data: verified codes are real and every other community code is marked synthetic") {
  const Divisions& d = ZhuhaiDivisions();
  const Community* haicheng = d.FindCommunity("440404100204");
  REQUIRE(haicheng);
  CHECK(haicheng->name == "海澄村");
  CHECK(haicheng->kind == CommunityKind::kVillagersCommittee);
  CHECK_FALSE(haicheng->synthetic);
  const Community* qianxi = d.FindCommunity("440403105201");
  REQUIRE(qianxi);
  CHECK(qianxi->name == "乾西村");
  CHECK_FALSE(qianxi->synthetic);

  size_t real = 0, villages = 0, total = 0;
  for (const auto& t : d.towns()) {
    for (const Community* c : d.CommunitiesOf(t.code, kWanzaiSplit)) {
      ++total;
      if (c->kind == CommunityKind::kVillagersCommittee) ++villages;
      if (!c->synthetic) {
        ++real;
        continue;
      }
      INFO(c->code);
      CHECK(c->code.size() == 12);
      CHECK(c->code.substr(0, 9) == t.code);
      CHECK(c->code[9] == 'X');
    }
  }
  CHECK(real == 2);
  CHECK(total == 338);
  CHECK(villages == 7 + 27 + 10 + 16 + 33 + 15 + 4 + 5 + 5);

  // Industrial 管理区 units are excluded; 白蕉工业开发区居委会 is a residents' committee and
  // counted.
  bool baijiao_dev = false;
  for (const Community* c : d.CommunitiesOf("440403106", kWanzaiSplit)) {
    if (c->name == "白蕉工业开发区居委会") {
      baijiao_dev = true;
      CHECK(c->kind == CommunityKind::kResidentsCommittee);
    }
  }
  CHECK(baijiao_dev);
  for (const char* town : {"440403103", "440403105", "440403107"})
    for (const Community* c : d.CommunitiesOf(town, kWanzaiSplit))
      CHECK(c->name.find("管理区") == std::string::npos);

  // Same short name, different committees: 斗门社区 and 斗门村 both exist in 斗门镇.
  std::set<std::string> doumen;
  for (const Community* c : d.CommunitiesOf("440403103", kWanzaiSplit)) doumen.insert(c->name);
  CHECK(doumen.count("斗门社区") == 1);
  CHECK(doumen.count("斗门村") == 1);
}

TEST_CASE("第二十九条: ResolvePlace gives the managing district as of the as-of date") {
  Divisions d = *Divisions::LoadEmbedded();
  d.set_as_of(Date{2026, 3, 1});
  Place p;
  REQUIRE(d.ResolvePlace("440402100X01", &p));  // 下栅社区, 唐家湾镇
  CHECK(p.district == "ZH-GAOXIN");
  CHECK(p.town == "440402100");
  CHECK(p.community == "440402100X01");
  REQUIRE(d.ResolvePlace("440402104", &p));  // 横琴镇
  CHECK(p.district == "ZH-HENGQIN");
  CHECK(p.town == "440402104");
  CHECK(p.community.empty());
  REQUIRE(d.ResolvePlace("440404100204", &p));  // 海澄村
  CHECK(p.district == "440404");
  REQUIRE(d.ResolvePlace("ZH-WANSHAN", &p));
  CHECK(p.district == "ZH-WANSHAN");
  CHECK(p.town.empty());
  REQUIRE(d.ResolvePlace("440400", &p));
  CHECK(p.district.empty());
  for (const char* bad : {"", "440402999", "440402100X99", "44040210", "ZH-NOWHERE", "440402402"}) {
    INFO(bad);
    CHECK_FALSE(d.ResolvePlace(bad, &p));
  }

  // The as-of date decides whether a new community exists yet.
  d.set_as_of(kBeforeWanzaiSplit);
  CHECK_FALSE(d.ResolvePlace("440402008X07", &p));
  d.set_as_of(kWanzaiSplit);
  CHECK(d.ResolvePlace("440402008X07", &p));
  // Without a set date, today in Shanghai is used (the split is in the past from 2025-11-27 on).
  d.set_as_of(std::nullopt);
  CHECK(d.as_of() == ShanghaiDate(SystemClock::Instance().NowMs()));
}

TEST_CASE("Divisions serve the entity validators as their DomainContext") {
  Divisions d = *Divisions::LoadEmbedded();
  d.set_as_of(Date{2026, 3, 1});
  const EntityTypeSpec* vote = FindEntityType("vote");
  REQUIRE(vote);
  Json ok = {{"ballot", "b1"}, {"community", "440404100204"}, {"voter", "v1"}, {"choice", "yes"}};
  CHECK(ValidateGroupWrite(d, *vote, "record", ok).ok());
  Json bad = ok;
  bad["community"] = "440404100999";
  CHECK(ValidateGroupWrite(d, *vote, "record", bad).code() == "unknown_community");
  bad["community"] = "440404100";  // a town is not a community
  CHECK(ValidateGroupWrite(d, *vote, "record", bad).code() == "unknown_community");
}

TEST_CASE("Division data validation: bad data yields a Status and never a crash") {
  struct Case {
    const char* what;
    std::function<void(Json&)> edit;
    const char* needle;  // expected in the English message
  };
  std::vector<Case> cases = {
      {"duplicate town code", [](Json& j) { j["towns"][1]["code"] = j["towns"][0]["code"]; },
       "duplicate code"},
      {"duplicate community code",
       [](Json& j) {
         for (int i : {0, 1}) {
           j["towns"][0]["communities"][i]["code"] = "440402001001";
           j["towns"][0]["communities"][i].erase("synthetic");
         }
       },
       "duplicate code"},
      {"community code of another town",
       [](Json& j) {
         j["towns"][0]["communities"][0]["code"] = "440402002001";
         j["towns"][0]["communities"][0].erase("synthetic");
       },
       "12 digits"},
      {"town in an unknown district", [](Json& j) { j["towns"][0]["district"] = "440499"; },
       "does not exist"},
      {"town under a functional zone as statutory parent",
       [](Json& j) { j["towns"][0]["district"] = "ZH-GAOXIN"; }, "administrative"},
      {"town code outside its district", [](Json& j) { j["towns"][0]["code"] = "440403901"; },
       "9 digits"},
      {"unknown town kind", [](Json& j) { j["towns"][0]["kind"] = "village"; },
       "unknown town kind"},
      {"synthetic code out of pattern",
       [](Json& j) { j["towns"][0]["communities"][1]["code"] = "440402001X09"; }, "synthetic"},
      {"real code not marked synthetic but not NBS-shaped",
       [](Json& j) { j["towns"][0]["communities"][0].erase("synthetic"); }, "12 digits"},
      {"duplicate community name",
       [](Json& j) { j["towns"][0]["communities"][1]["name"] = "紫荆社区"; },
       "duplicate community"},
      {"virtual community under a statistical unit",
       [](Json& j) {
         for (auto& t : j["towns"])
           if (t["kind"] == "stat_unit") {
             t["communities"] = Json::array({{{"code", t["code"].get<std::string>() + "X01"},
                                              {"name", "虚拟社区"},
                                              {"kind", "residents_committee"},
                                              {"synthetic", true}}});
             break;
           }
       },
       "virtual communities"},
      {"unknown key (a typo) in a community",
       [](Json& j) { j["towns"][0]["communities"][0]["activ_from"] = "2020-01-01"; }, "activ_from"},
      {"bad date", [](Json& j) { j["towns"][7]["communities"][6]["active_from"] = "2025-02-30"; },
       "active_from"},
      {"window ends before it starts",
       [](Json& j) { j["towns"][7]["communities"][6]["active_to"] = "2025-01-01"; }, "ends before"},
      {"administrative district with a synthetic code",
       [](Json& j) { j["districts"][0]["code"] = "ZH-XIANGZHOU"; }, "6-digit"},
      {"functional zone posing as an NBS code",
       [](Json& j) {
         j["districts"][4]["code"] = "440499";
         j["districts"][4].erase("synthetic");
       },
       "ZH-"},
      {"management of an unknown town", [](Json& j) { j["management"][0]["town"] = "440402999"; },
       "town does not exist"},
      {"management by an unknown district",
       [](Json& j) { j["management"][0]["district"] = "ZH-NOWHERE"; }, "district does not exist"},
      {"wrong format tag", [](Json& j) { j["format"] = "shefu.divisions/2"; }, "format"},
      {"no towns", [](Json& j) { j["towns"] = Json::array(); }, "towns"},
      {"number where a string belongs", [](Json& j) { j["towns"][0]["name"] = 5; }, "name"},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    Status s = LoadEdited(c.edit);
    REQUIRE_FALSE(s.ok());
    CHECK(s.code() == "bad_divisions");
    CHECK(s.en().find(c.needle) != std::string::npos);
    CHECK_FALSE(s.zh().empty());
    INFO(s.en());
  }
  CHECK(Divisions::Parse("").status().code() == "bad_divisions");
  CHECK(Divisions::Parse("[]").status().code() == "bad_divisions");
  CHECK(Divisions::Parse("{\"format\": \"shefu.divisions/1\"").status().code() == "bad_divisions");
}

TEST_CASE("Division data validation: random corruption of the file never crashes the loader") {
  const uint64_t seed = test::TestSeed();
  WARN("seed " << seed);
  SeededRng rng(seed);
  const std::string text = test::ReadFile(test::SourcePath("shared/data/zhuhai-divisions.json"));
  const char alphabet[] = "{}[]\",:0123456789X-aZ \n";
  for (int i = 0; i < 300; ++i) {
    std::string t = text;
    int edits = 1 + static_cast<int>(rng.Uniform(4));
    for (int e = 0; e < edits; ++e) {
      size_t pos = rng.Uniform(t.size());
      switch (rng.Uniform(3)) {
        case 0:
          t[pos] = alphabet[rng.Uniform(sizeof alphabet - 1)];
          break;
        case 1:
          t.erase(pos, 1 + rng.Uniform(8));
          break;
        default:
          t.insert(pos, 1, alphabet[rng.Uniform(sizeof alphabet - 1)]);
          break;
      }
    }
    auto r = Divisions::Parse(t);
    if (!r.ok()) CHECK(r.status().code() == "bad_divisions");
  }
}
