// 第三十条: policy versions as data, resolved by decision date.
#include <catch2/catch.hpp>

#include "shared/policy.h"
#include "tests/support/test_util.h"

using namespace shefu;

namespace {

const char* kParams2021 = R"({
  "advance_cap_pct": 40, "advance_base": "contract_year", "max_contract_months": 36,
  "justification_over_months": 12, "catalogue_deadline": {"month": 3, "day": 31},
  "publicity_days": 7, "grade_thresholds_tenths": {"excellent": 900, "good": 800, "pass": 600}})";

std::string VersionJson(const std::string& id, const std::string& from, const std::string& to,
                        const std::string& params) {
  return R"({"id": ")" + id + R"(", "title": "办法", "doc_no": "文号", "signed_on": "2021-02-23",
    "effective_from": ")" +
         from + R"(", "effective_to": ")" + to + R"(", "params": )" + params + "}";
}

std::string BookJson(const std::vector<std::string>& versions) {
  std::string s = R"({"format": 1, "versions": [)";
  for (size_t i = 0; i < versions.size(); ++i) s += (i ? "," : "") + versions[i];
  return s + "]}";
}

}  // namespace

TEST_CASE("第三十条: the embedded version is 珠府〔2021〕10号 in force 2021-04-01 to 2024-03-31") {
  auto book = PolicyBook::LoadEmbedded();
  REQUIRE(book.ok());
  REQUIRE(book->versions().size() == 1);
  const PolicyVersion& v = book->versions()[0];
  CHECK(v.title == "珠海市镇（街道）购买社会组织服务实施办法（试行）");
  CHECK(v.doc_no == "珠府〔2021〕10号");
  CHECK(v.signed_on == Date{2021, 2, 23});
  CHECK(v.effective_from == Date{2021, 4, 1});
  // "有效期3年": three years from 2021-04-01 end on 2024-03-31 inclusive.
  CHECK(v.effective_to == AddDays(AddMonths(v.effective_from, 36), -1));
  CHECK(v.params.advance_cap_pct == 40);
  CHECK(v.params.advance_base == AdvanceBase::kContractYear);
  CHECK(v.params.max_contract_months == 36);
  CHECK(v.params.justification_over_months == 12);
  CHECK(v.params.catalogue_deadline_month == 3);
  CHECK(v.params.catalogue_deadline_day == 31);
  CHECK(v.params.publicity_days == 7);
  CHECK(v.params.grade_excellent_tenths == 900);
  CHECK(v.params.grade_good_tenths == 800);
  CHECK(v.params.grade_pass_tenths == 600);
  // The raw object stays readable for modules with their own params.
  CHECK(v.raw_params.at("advance_cap_pct") == 40);
}

TEST_CASE("第三十条: a decision inside the window resolves without extension") {
  auto book = PolicyBook::LoadEmbedded();
  REQUIRE(book.ok());
  for (Date d : {Date{2021, 4, 1}, Date{2022, 6, 15}, Date{2024, 3, 31}}) {
    auto r = book->Resolve(d);
    REQUIRE(r.ok());
    CHECK(r->version.id == "zhufu-2021-10");
    CHECK_FALSE(r->assumed_extended);
    CHECK(r->note.zh.empty());
  }
}

TEST_CASE("第三十条: after the last window the version is assumed extended with a note") {
  auto book = PolicyBook::LoadEmbedded();
  REQUIRE(book.ok());
  auto r = book->Resolve(Date{2024, 4, 1});
  REQUIRE(r.ok());
  CHECK(r->version.id == "zhufu-2021-10");
  CHECK(r->assumed_extended);
  CHECK(r->note.zh.find("按原版本延续执行") != std::string::npos);
  CHECK(r->note.en.find("version assumed extended") != std::string::npos);
}

TEST_CASE("第三十条: a decision before the policy took effect is refused naming the article") {
  auto book = PolicyBook::LoadEmbedded();
  REQUIRE(book.ok());
  auto r = book->Resolve(Date{2021, 3, 31});
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == "policy_not_in_force");
  CHECK(r.status().article() == "第三十条");
  CHECK(r.status().zh().find("2021-04-01") != std::string::npos);
}

TEST_CASE("第三十条: a second version file with a changed number resolves by decision date") {
  std::string params2024 = kParams2021;
  params2024.replace(params2024.find("\"advance_cap_pct\": 40"), 21, "\"advance_cap_pct\": 30");
  test::TempDir dir;
  std::string path = dir.file("policy.json");
  test::WriteFile(path, BookJson({VersionJson("v2021", "2021-04-01", "2024-03-31", kParams2021),
                                  VersionJson("v2024", "2024-07-01", "2027-06-30", params2024)}));
  auto book = PolicyBook::LoadFile(path);
  REQUIRE(book.ok());
  auto old_rules = book->Resolve(Date{2024, 3, 31});
  REQUIRE(old_rules.ok());
  CHECK(old_rules->version.params.advance_cap_pct == 40);
  CHECK_FALSE(old_rules->assumed_extended);
  // In the gap the old version continues, marked as such.
  auto gap = book->Resolve(Date{2024, 5, 1});
  REQUIRE(gap.ok());
  CHECK(gap->version.id == "v2021");
  CHECK(gap->assumed_extended);
  auto new_rules = book->Resolve(Date{2024, 7, 1});
  REQUIRE(new_rules.ok());
  CHECK(new_rules->version.id == "v2024");
  CHECK(new_rules->version.params.advance_cap_pct == 30);
  CHECK_FALSE(new_rules->assumed_extended);
  auto later = book->Resolve(Date{2030, 1, 1});
  REQUIRE(later.ok());
  CHECK(later->version.id == "v2024");
  CHECK(later->assumed_extended);
}

TEST_CASE("第三十条: overlapping, unsorted or duplicate windows are refused") {
  auto overlap = PolicyBook::FromJsonText(
      BookJson({VersionJson("a", "2021-04-01", "2024-03-31", kParams2021),
                VersionJson("b", "2024-03-31", "2027-03-31", kParams2021)}));
  REQUIRE_FALSE(overlap.ok());
  CHECK(overlap.status().code() == "bad_policy_data");
  auto unsorted = PolicyBook::FromJsonText(
      BookJson({VersionJson("a", "2024-04-01", "2027-03-31", kParams2021),
                VersionJson("b", "2021-04-01", "2024-03-31", kParams2021)}));
  CHECK_FALSE(unsorted.ok());
  auto dup = PolicyBook::FromJsonText(
      BookJson({VersionJson("a", "2021-04-01", "2024-03-31", kParams2021),
                VersionJson("a", "2024-04-01", "2027-03-31", kParams2021)}));
  CHECK_FALSE(dup.ok());
  auto backwards = PolicyBook::FromJsonText(
      BookJson({VersionJson("a", "2024-04-01", "2021-03-31", kParams2021)}));
  CHECK_FALSE(backwards.ok());
  CHECK_FALSE(PolicyBook::FromJsonText(BookJson({})).ok());
  CHECK_FALSE(PolicyBook::LoadFile("/nonexistent/policy.json").ok());
}

TEST_CASE("第三十条: every required parameter must be present and in range") {
  for (const char* key :
       {"advance_cap_pct", "advance_base", "max_contract_months", "justification_over_months",
        "catalogue_deadline", "publicity_days", "grade_thresholds_tenths"}) {
    Json p = Json::parse(kParams2021);
    p.erase(key);
    INFO(key);
    auto r = ParsePolicyParams(p);
    CHECK_FALSE(r.ok());
  }
  Json p = Json::parse(kParams2021);
  p["advance_cap_pct"] = 101;
  CHECK_FALSE(ParsePolicyParams(p).ok());
  p = Json::parse(kParams2021);
  p["advance_base"] = "whatever";
  CHECK_FALSE(ParsePolicyParams(p).ok());
  p = Json::parse(kParams2021);
  p["grade_thresholds_tenths"]["good"] = 950;  // 良 above 优
  CHECK_FALSE(ParsePolicyParams(p).ok());
  p = Json::parse(kParams2021);
  p["catalogue_deadline"]["day"] = 32;
  CHECK_FALSE(ParsePolicyParams(p).ok());
  p = Json::parse(kParams2021);
  p["justification_over_months"] = 48;  // above the 36-month maximum
  CHECK_FALSE(ParsePolicyParams(p).ok());
  // Unknown params are room for later modules, not errors.
  p = Json::parse(kParams2021);
  p["procurement_thresholds"] = Json::object();
  CHECK(ParsePolicyParams(p).ok());
}

TEST_CASE("Grades: 优 at 90.0, 良 at 80.0, 中 at 60.0 (以上 includes the number)") {
  PolicyParams p;
  CHECK(GradeOf(1000, p) == Grade::kExcellent);
  CHECK(GradeOf(900, p) == Grade::kExcellent);
  CHECK(GradeOf(899, p) == Grade::kGood);
  CHECK(GradeOf(800, p) == Grade::kGood);
  CHECK(GradeOf(799, p) == Grade::kFair);
  CHECK(GradeOf(600, p) == Grade::kFair);
  CHECK(GradeOf(599, p) == Grade::kPoor);
  CHECK(GradeName(Grade::kGood).zh == "良");
  p.grade_excellent_tenths = 950;  // thresholds are per version data
  CHECK(GradeOf(900, p) == Grade::kGood);
}
