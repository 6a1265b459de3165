// Tests of eligibility to take on a purchase (第十六条) and the credit rules that go with it.
#include <catch2/catch.hpp>

#include <set>
#include <sstream>

#include "shared/eligibility.h"
#include "shared/env.h"
#include "shared/uscc.h"
#include "tests/support/test_util.h"

using namespace shefu;

namespace {

const Date kToday{2026, 3, 1};

SocialOrganisation Org() {
  SocialOrganisation o;
  o.id = "so-1";
  o.name = "珠海市某某社会工作服务中心";
  o.kind = RegistrationKind::kPrivateNonEnterprise;
  o.registrar = {RegistrarLevel::kCity, "", "", ""};
  o.uscc = "52440402MJL000017P";
  o.licences = {"法律援助机构资质"};
  o.service_scope = {{"basic.elderly_care", "safety.legal_aid"}, {"440402001"}};
  return o;
}

EligibilityCriterion CapabilityReq(const std::string& text) {
  EligibilityCriterion c;
  c.kind = CriterionKind::kCapability;
  c.text = text;
  return c;
}

EligibilityCriterion Licence(const std::string& licence, const std::string& basis) {
  EligibilityCriterion c;
  c.kind = CriterionKind::kLicence;
  c.licence = licence;
  c.legal_basis = basis;
  return c;
}

EligibilityCriterion ScopeReq(const std::string& sub_item, const std::string& town) {
  EligibilityCriterion c;
  c.kind = CriterionKind::kServiceScope;
  c.sub_item = sub_item;
  c.town = town;
  return c;
}

EligibilityCriterion CreditGood() {
  return EligibilityCriterion{};
}

// Everything a caller can observe of a result.
std::string Summary(const Findings& f) {
  std::ostringstream s;
  for (const auto& x : f.all())
    s << (x.severity == Severity::kError ? "E " : "W ") << x.code << " " << x.article << " "
      << x.text.zh << " | " << x.text.en << "\n";
  return s.str();
}

}  // namespace

TEST_CASE("第十六条: the criterion kinds can express only lawful conditions") {
  std::set<std::string> codes;
  for (CriterionKind k : AllCriterionKinds()) codes.insert(CriterionKindCode(k));
  // Adding a kind is a deliberate change that must be checked against 第十六条 (and this test).
  CHECK(codes == std::set<std::string>{"credit_good", "licence", "service_scope", "capability"});
  for (CriterionKind k : AllCriterionKinds()) {
    EligibilityCriterion c;
    c.kind = k;
    Json j = CriterionToJson(c);
    CHECK(j["kind"] == CriterionKindCode(k));
  }
}

TEST_CASE(
    "第十六条: criteria on founding years or registration place or size or grade are refused") {
  struct Case {
    const char* kind;
    const char* names;  // the forbidden condition the message must name
  };
  const Case cases[] = {
      {"founding_years", "成立年限"},
      {"founded_before", "成立年限"},
      {"established_on", "成立年限"},
      {"registered_in", "注册所在地"},
      {"registration_place", "注册所在地"},
      {"local_registration", "注册所在地"},
      {"registered_capital", "规模"},
      {"staff_count", "规模"},
      {"net_assets", "规模"},
      {"scale", "规模"},
      {"evaluation_grade", "评估等级"},
      {"grade", "评估等级"},
  };
  for (const auto& c : cases) {
    INFO(c.kind);
    auto r = CriterionFromJson(Json{{"kind", c.kind}, {"min", 3}});
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == "criterion_not_allowed");
    CHECK(r.status().article() == "第十六条");
    CHECK(r.status().zh().find(c.names) != std::string::npos);
    CHECK_FALSE(r.status().en().empty());
  }
  // Unknown kinds are refused the same way: the list of lawful kinds is closed.
  for (const char* kind : {"min_staff", "founding", "local", "a_grade", "CAPABILITY", ""}) {
    INFO(kind);
    auto r = CriterionFromJson(Json{{"kind", kind}});
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().article() == "第十六条");
  }
  CHECK(CriterionFromJson(Json{{"text", "x"}}).status().article() == "第十六条");  // no kind
  // Extra fields on a lawful kind are refused: they would be a side door for a condition.
  auto extra = CriterionFromJson(
      Json{{"kind", "capability"}, {"text", "具备长者服务经验"}, {"min_years", 3}});
  REQUIRE_FALSE(extra.ok());
  CHECK(extra.status().code() == "criterion_not_allowed");
  CHECK(extra.status().article() == "第十六条");
  auto list = CriteriaFromJson(
      Json::array({Json{{"kind", "credit_good"}}, Json{{"kind", "evaluation_grade"}}}));
  CHECK(list.status().code() == "criterion_not_allowed");
}

TEST_CASE("第十六条: free text that smuggles a forbidden condition is refused") {
  const char* texts[] = {
      "社会组织须成立满3年",
      "成立三年以上",
      "具有2年以上同类项目经验",
      "须在本地注册",
      "注册地在珠海市",
      "在珠海市民政局登记的社会组织",
      "注册资本不低于50万元",
      "开办资金100万元",
      "机构规模较大",
      "员工人数不少于20人",
      "评估等级为3A以上",
      "获评AAAA级社会组织",
      "３Ａ以上",  // full-width
      "4 A 级",    // spaced
      "5a",        // lower case
      "Registered in Zhuhai",
      "Founded before 2020",
      "evaluation grade at least 4A",
      "注\u200b册地",  // zero-width space inside
  };
  for (const char* t : texts) {
    INFO(t);
    CHECK(FindForbiddenCondition(t).has_value());
    Status s = ValidateCriterion(CapabilityReq(t));
    CHECK(s.code() == "criterion_not_allowed");
    CHECK(s.article() == "第十六条");
    auto parsed = CriterionFromJson(Json{{"kind", "capability"}, {"text", t}});
    CHECK(parsed.status().code() == "criterion_not_allowed");
  }
  // The licence name and its legal basis are screened too.
  CHECK(ValidateCriterion(Licence("5A等级证书", "《社会组织评估管理办法》")).code() ==
        "criterion_not_allowed");
  CHECK(ValidateCriterion(Licence("法律援助机构资质", "须为本地注册机构")).code() ==
        "criterion_not_allowed");
}

TEST_CASE("第十六条: lawful criteria are accepted") {
  for (const char* t : {"项目团队至少配备2名持证社会工作者", "具备开展长者居家服务的专业能力",
                        "提供与本项目相关的服务方案和人员安排", "熟悉社区矫正工作流程"}) {
    INFO(t);
    CHECK_FALSE(FindForbiddenCondition(t).has_value());
    CHECK(ValidateCriterion(CapabilityReq(t)).ok());
  }
  CHECK(ValidateCriterion(CreditGood()).ok());
  CHECK(ValidateCriterion(Licence("法律援助机构资质", "《法律援助法》第十二条")).ok());
  CHECK(ValidateCriterion(ScopeReq("safety.legal_aid", "440402001")).ok());
  CHECK(ValidateCriterion(ScopeReq("safety.patrol", "440402001")).code() == "bad_criterion");
  CHECK(ValidateCriterion(Licence("法律援助机构资质", "")).code() == "bad_criterion");
  CHECK(ValidateCriterion(CapabilityReq("")).code() == "bad_criterion");
  EligibilityCriterion mixed = CreditGood();
  mixed.text = "另附条件";  // a field that does not belong to the kind
  CHECK(ValidateCriterion(mixed).code() == "bad_criterion");

  std::vector<EligibilityCriterion> all = {
      CreditGood(), Licence("法律援助机构资质", "《法律援助法》"),
      ScopeReq("safety.legal_aid", "440402001"), CapabilityReq("具备开展长者居家服务的专业能力")};
  Json j = Json::array();
  for (const auto& c : all) j.push_back(CriterionToJson(c));
  auto back = CriteriaFromJson(*ParseJson(DumpJson(j)));
  REQUIRE(back.ok());
  REQUIRE(back->size() == 4);
  for (size_t i = 0; i < 4; ++i) CHECK(CriterionToJson((*back)[i]) == j[i]);
}

TEST_CASE(
    "第十六条: eligibility never depends on founding date or registration place or size or grade") {
  const uint64_t seed = test::TestSeed();
  WARN("seed " << seed);
  SeededRng rng(seed);
  const std::vector<std::string> sub_items = {"basic.elderly_care", "safety.legal_aid",
                                              "special_groups.disabled", "party.hardship_aid"};
  const std::vector<std::string> towns = {"440402001", "440403106", "440404100"};
  const std::vector<std::string> licences = {"法律援助机构资质", "心理咨询执业资格",
                                             "医疗机构执业许可"};
  auto pick = [&](const auto& v) { return v[rng.Uniform(v.size())]; };
  auto coin = [&] { return rng.Uniform(2) == 0; };
  auto date = [&] { return CivilFromDays(static_cast<int64_t>(rng.Uniform(20000))); };
  auto uscc = [&](char category, const char* area) {
    std::string s = std::string("5") + category + area;
    for (int k = 0; k < 9; ++k) s += kUsccCharset[rng.Uniform(kUsccCharset.size())];
    return s + *UsccCheckChar(s);
  };
  // Randomises everything 第十六条 says may not decide eligibility.
  auto vary_forbidden = [&](SocialOrganisation& o) {
    NonGatingAttributes& a = o.shown_only;
    a.established_on = coin() ? std::optional<Date>(date()) : std::nullopt;
    a.registered_area_code =
        pick(std::vector<std::string>{"", "440400", "440402", "110105", "650102"});
    a.registered_address = coin() ? "珠海市香洲区某路" : "新疆乌鲁木齐市某路";
    a.staff_count = coin() ? std::optional<int64_t>(rng.Uniform(500)) : std::nullopt;
    a.net_assets =
        coin() ? std::optional<Fen>(static_cast<Fen>(rng.Uniform(1'000'000'000))) : std::nullopt;
    a.annual_income =
        coin() ? std::optional<Fen>(static_cast<Fen>(rng.Uniform(1'000'000'000))) : std::nullopt;
    a.evaluation_grade =
        coin() ? std::optional<int>(1 + static_cast<int>(rng.Uniform(5))) : std::nullopt;
    a.grade_valid_until = coin() ? std::optional<Date>(date()) : std::nullopt;
    switch (rng.Uniform(4)) {
      case 0:
        o.registrar = {RegistrarLevel::kCity, "", "", ""};
        break;
      case 1:
        o.registrar = {RegistrarLevel::kDistrict,
                       pick(std::vector<std::string>{"440402", "440403", "ZH-GAOXIN"}), "", ""};
        break;
      case 2:
        o.registrar = {RegistrarLevel::kTownFiling, "", pick(towns), ""};
        o.filing_no = "备-1";
        break;
      default:
        o.registrar = {RegistrarLevel::kOther, "", "", "新疆维吾尔自治区民政厅"};
        break;
    }
    o.uscc = uscc('2', rng.Uniform(2) ? "440400" : "650000");
  };

  int blocked = 0, passed = 0;
  for (int i = 0; i < 2000; ++i) {
    SocialOrganisation a = Org();
    a.licences.clear();
    for (const auto& l : licences)
      if (coin()) a.licences.push_back(l);
    a.service_scope = {};
    for (const auto& s : sub_items)
      if (coin()) a.service_scope.sub_items.push_back(s);
    for (const auto& t : towns)
      if (coin()) a.service_scope.towns.push_back(t);
    if (rng.Uniform(3) == 0) {
      Date listed = date();
      a.credit.push_back({coin() ? CreditStatus::kAbnormalList : CreditStatus::kSeriousDishonest,
                          listed, "原因",
                          coin() ? std::optional<Date>(AddDays(listed, 100)) : std::nullopt});
    }
    std::vector<EligibilityCriterion> criteria;
    for (int n = static_cast<int>(rng.Uniform(5)); n > 0; --n) {
      switch (rng.Uniform(4)) {
        case 0:
          criteria.push_back(CreditGood());
          break;
        case 1:
          criteria.push_back(Licence(pick(licences), "相关法律法规"));
          break;
        case 2:
          criteria.push_back(ScopeReq(pick(sub_items), pick(towns)));
          break;
        default:
          criteria.push_back(CapabilityReq("具备开展本项目的专业能力"));
          break;
      }
    }
    EligibilityOptions opt{CivilFromDays(static_cast<int64_t>(rng.Uniform(20000))), coin()};
    vary_forbidden(a);
    SocialOrganisation b = a;
    vary_forbidden(b);
    INFO("iteration " << i);
    Findings fa = CheckEligibility(a, criteria, opt);
    Findings fb = CheckEligibility(b, criteria, opt);
    REQUIRE(Summary(fa) == Summary(fb));
    (fa.ok() ? passed : blocked)++;
  }
  // The generator exercises both outcomes.
  CHECK(blocked > 100);
  CHECK(passed > 100);
}

TEST_CASE(
    "第十六条: a serious-dishonesty listing blocks and an abnormal listing warns unless configured "
    "to block") {
  SocialOrganisation o = Org();
  EligibilityOptions opt{kToday, false};
  CHECK(CheckEligibility(o, {}, opt).empty());

  o.credit = {
      {CreditStatus::kSeriousDishonest, Date{2025, 6, 1}, "被处5万元以上罚款", std::nullopt}};
  Findings serious = CheckEligibility(o, {}, opt);
  CHECK_FALSE(serious.ok());
  CHECK(serious.FirstError().code() == "credit_serious_dishonest");
  o.credit[0].removed_on = Date{2026, 2, 1};
  CHECK(CheckEligibility(o, {}, opt).ok());  // off the list again

  o.credit = {{CreditStatus::kAbnormalList, Date{2026, 1, 10}, "未按时报送年度报告", std::nullopt}};
  Findings abnormal = CheckEligibility(o, {}, opt);
  CHECK(abnormal.ok());
  REQUIRE(abnormal.Warnings().size() == 1);
  CHECK(abnormal.Warnings()[0].code == "credit_abnormal_list");
  opt.abnormal_list_blocks = true;
  Findings strict = CheckEligibility(o, {}, opt);
  CHECK_FALSE(strict.ok());
  CHECK(strict.FirstError().code() == "credit_abnormal_list");

  // A project that requires good credit refuses any active listing.
  opt.abnormal_list_blocks = false;
  Findings good = CheckEligibility(o, {CreditGood()}, opt);
  CHECK_FALSE(good.ok());
  CHECK(good.Has("credit_not_good"));
}

TEST_CASE("第十六条: a licence the law requires must be held") {
  SocialOrganisation o = Org();
  EligibilityOptions opt{kToday, false};
  CHECK(CheckEligibility(o, {Licence("法律援助机构资质", "《法律援助法》")}, opt).ok());
  Findings f = CheckEligibility(o, {Licence("心理咨询执业资格", "相关规定")}, opt);
  CHECK_FALSE(f.ok());
  CHECK(f.FirstError().code() == "licence_missing");
}

TEST_CASE("第二十四条: the service scope must cover the project's sub-item and town") {
  SocialOrganisation o = Org();
  EligibilityOptions opt{kToday, false};
  CHECK(CheckEligibility(o, {ScopeReq("safety.legal_aid", "440402001")}, opt).ok());
  CHECK(CheckEligibility(o, {ScopeReq("safety.legal_aid", "440403106")}, opt).FirstError().code() ==
        "outside_service_scope");
  CHECK(CheckEligibility(o, {ScopeReq("basic.health", "440402001")}, opt).FirstError().code() ==
        "outside_service_scope");
}

TEST_CASE(
    "第十六条: a capability requirement goes to the reviewer and a forbidden one built in code is "
    "refused") {
  SocialOrganisation o = Org();
  EligibilityOptions opt{kToday, false};
  Findings f = CheckEligibility(o, {CapabilityReq("具备开展本项目的专业能力")}, opt);
  CHECK(f.ok());
  REQUIRE(f.Warnings().size() == 1);
  CHECK(f.Warnings()[0].code == "capability_to_confirm");
  CHECK(f.Warnings()[0].text.zh.find("具备开展本项目的专业能力") != std::string::npos);

  Findings smuggled = CheckEligibility(o, {CapabilityReq("成立满三年")}, opt);
  CHECK_FALSE(smuggled.ok());
  CHECK(smuggled.FirstError().code() == "criterion_not_allowed");
  CHECK(smuggled.FirstError().article() == "第十六条");
}
