// Tests of the social-organisation profile: registration, library membership, credit, scope, JSON
// (第三条, 第二十四条).
#include <catch2/catch.hpp>

#include <functional>

#include "shared/divisions.h"
#include "shared/organisation.h"

using namespace shefu;

namespace {

const Divisions& ZhuhaiAsOf2026() {
  static const Divisions d = [] {
    Divisions x = *Divisions::LoadEmbedded();
    x.set_as_of(Date{2026, 3, 1});
    return x;
  }();
  return d;
}

SocialOrganisation CityGroup() {
  SocialOrganisation o;
  o.id = "so-1";
  o.name = "珠海市某某社会工作服务中心";
  o.kind = RegistrationKind::kSocialGroup;
  o.registrar = {RegistrarLevel::kCity, "", "", ""};
  o.uscc = "51440400MJL123456D";
  o.business_scope = "社会工作服务";
  o.licences = {"社会工作服务机构资质"};
  o.service_scope = {{"basic.elderly_care", "safety.mediation"}, {"440402001", "440403106"}};
  o.capability = {12, 5, 80, 9, 123456700, 874};
  o.shown_only.established_on = Date{2019, 5, 4};
  o.shown_only.registered_area_code = "440400";
  o.shown_only.evaluation_grade = 4;
  o.shown_only.staff_count = 15;
  o.shown_only.net_assets = 50000000;
  return o;
}

SocialOrganisation FiledCommunitySo() {
  SocialOrganisation o;
  o.id = "so-2";
  o.name = "紫荆社区长者互助队";
  o.kind = RegistrationKind::kCommunityFiled;
  o.registrar = {RegistrarLevel::kTownFiling, "", "440402001", ""};
  o.filing_no = "翠香备2024-017";
  return o;
}

}  // namespace

TEST_CASE("第三条: the registrar decides membership of the platform's library") {
  const Divisions& z = ZhuhaiAsOf2026();
  SocialOrganisation city = CityGroup();
  CHECK(LibraryMembership(city, &z).ok());

  SocialOrganisation district = CityGroup();
  district.kind = RegistrationKind::kPrivateNonEnterprise;
  district.registrar = {RegistrarLevel::kDistrict, "440402", "", ""};
  district.uscc = "52440402MJL000017P";
  CHECK(LibraryMembership(district, &z).ok());
  district.registrar.district = "440499";
  Status outside = LibraryMembership(district, &z);
  CHECK(outside.code() == "registrar_outside_scope");
  CHECK(outside.article() == "第三条");

  CHECK(LibraryMembership(FiledCommunitySo(), &z).ok());
  SocialOrganisation unfiled = FiledCommunitySo();
  unfiled.filing_no.clear();
  CHECK(LibraryMembership(unfiled, &z).code() == "filing_incomplete");
  SocialOrganisation bad_town = FiledCommunitySo();
  bad_town.registrar.town = "440402402";  // 保税区, a statistical unit: it files nobody
  CHECK(LibraryMembership(bad_town, &z).code() == "filing_incomplete");

  SocialOrganisation elsewhere = CityGroup();
  elsewhere.registrar = {RegistrarLevel::kOther, "", "", "广州市民政局"};
  elsewhere.uscc = "51440400MJL123456D";
  Status other = LibraryMembership(elsewhere, &z);
  CHECK(other.code() == "registrar_outside_scope");
  CHECK(other.article() == "第三条");
  CHECK(other.zh().find("第十六条") != std::string::npos);  // says it is no bar to purchases

  SocialOrganisation company = CityGroup();
  company.uscc = "91440400MA4UJ1234J";
  Status c = LibraryMembership(company, &z);
  CHECK(c.code() == "uscc_not_civil_affairs");
  CHECK(c.article() == "第三条");
  SocialOrganisation no_code = CityGroup();
  no_code.uscc.clear();
  CHECK(LibraryMembership(no_code, &z).code() == "uscc_missing");
}

TEST_CASE("第三条: registration kind and registrar agree and the USCC matches the kind") {
  const Divisions& z = ZhuhaiAsOf2026();
  CHECK(ValidateOrganisation(CityGroup(), &z).ok());
  CHECK(ValidateOrganisation(FiledCommunitySo(), &z).ok());

  SocialOrganisation filed_at_city = FiledCommunitySo();
  filed_at_city.registrar = {RegistrarLevel::kCity, "", "", ""};
  CHECK(ValidateOrganisation(filed_at_city, &z).code() == "bad_organisation");
  SocialOrganisation group_filed = CityGroup();
  group_filed.registrar = {RegistrarLevel::kTownFiling, "", "440402001", ""};
  group_filed.filing_no = "x";
  CHECK(ValidateOrganisation(group_filed, &z).code() == "bad_organisation");

  SocialOrganisation wrong_category = CityGroup();  // a social group with a 52 (民非) code
  wrong_category.uscc = "52440402MJL000017P";
  CHECK(ValidateOrganisation(wrong_category, &z).code() == "bad_organisation");
  SocialOrganisation other_category = CityGroup();  // 59 "other" is accepted for any kind
  other_category.uscc = "59440403MJ7654321J";
  CHECK(ValidateOrganisation(other_category, &z).ok());
  SocialOrganisation foundation = CityGroup();
  foundation.kind = RegistrationKind::kFoundation;
  foundation.uscc = "53440400MJ0000012C";
  CHECK(ValidateOrganisation(foundation, &z).ok());

  SocialOrganisation no_uscc = CityGroup();
  no_uscc.uscc.clear();
  CHECK(ValidateOrganisation(no_uscc, &z).code() == "bad_organisation");
  SocialOrganisation bad_uscc = CityGroup();
  bad_uscc.uscc = "51440400MJL123456E";
  CHECK(ValidateOrganisation(bad_uscc, &z).code() == "bad_uscc");

  // A filed community SO needs its filing number; a USCC is optional but checked when given.
  SocialOrganisation no_filing = FiledCommunitySo();
  no_filing.filing_no.clear();
  CHECK(ValidateOrganisation(no_filing, &z).article() == "第三条");
  SocialOrganisation filed_with_code = FiledCommunitySo();
  filed_with_code.uscc = "59440403MJ7654321J";
  CHECK(ValidateOrganisation(filed_with_code, &z).ok());
  filed_with_code.uscc = "59440403MJ7654321K";
  CHECK(ValidateOrganisation(filed_with_code, &z).code() == "bad_uscc");
  SocialOrganisation filed_unknown_town = FiledCommunitySo();
  filed_unknown_town.registrar.town = "440402999";
  CHECK_FALSE(ValidateOrganisation(filed_unknown_town, &z).ok());
  CHECK(ValidateOrganisation(filed_unknown_town).ok());  // without reference data: shape only

  SocialOrganisation other = CityGroup();
  other.registrar = {RegistrarLevel::kOther, "", "", ""};
  CHECK_FALSE(ValidateOrganisation(other, &z).ok());  // the registrar must be named
  other.registrar.name = "广东省民政厅";
  CHECK(ValidateOrganisation(other, &z).ok());
}

TEST_CASE("第二十四条: credit status follows listings and removals") {
  SocialOrganisation o = CityGroup();
  CHECK(CreditStatusOn(o, Date{2026, 1, 1}) == CreditStatus::kNormal);
  o.credit.push_back(
      {CreditStatus::kAbnormalList, Date{2025, 3, 1}, "未按时报送年度报告", Date{2025, 9, 1}});
  o.credit.push_back(
      {CreditStatus::kSeriousDishonest, Date{2025, 6, 1}, "被处5万元以上罚款", std::nullopt});
  CHECK(CreditStatusOn(o, Date{2025, 2, 28}) == CreditStatus::kNormal);
  CHECK(CreditStatusOn(o, Date{2025, 3, 1}) == CreditStatus::kAbnormalList);
  CHECK(CreditStatusOn(o, Date{2025, 6, 1}) == CreditStatus::kSeriousDishonest);  // worst wins
  CHECK(CreditStatusOn(o, Date{2026, 1, 1}) == CreditStatus::kSeriousDishonest);
  o.credit[1].removed_on = Date{2027, 6, 1};
  CHECK(CreditStatusOn(o, Date{2027, 5, 31}) == CreditStatus::kSeriousDishonest);
  CHECK(CreditStatusOn(o, Date{2027, 6, 1}) == CreditStatus::kNormal);  // first day off the list

  CHECK(ValidateOrganisation(o).ok());
  o.credit[0].removed_on = Date{2025, 2, 1};  // removed before listed
  CHECK(ValidateOrganisation(o).code() == "bad_organisation");
  o.credit[0].removed_on.reset();
  o.credit[0].reason.clear();
  CHECK(ValidateOrganisation(o).code() == "bad_organisation");
  o.credit[0].reason = "x";
  o.credit[0].list = CreditStatus::kNormal;
  CHECK(ValidateOrganisation(o).code() == "bad_organisation");
}

TEST_CASE("第二十四条: the service scope is sub-items times towns") {
  ServiceScope s{{"basic.elderly_care", "safety.mediation"}, {"440402001", "440403106"}};
  CHECK(s.Covers("basic.elderly_care", "440403106"));
  CHECK(s.Covers("safety.mediation", "440402001"));
  CHECK_FALSE(s.Covers("basic.health", "440402001"));
  CHECK_FALSE(s.Covers("basic.elderly_care", "440404100"));
  SocialOrganisation o = CityGroup();
  o.service_scope.sub_items.push_back("basic.massage");
  CHECK(ValidateOrganisation(o).article() == "第二十四条");
  o = CityGroup();
  o.service_scope.towns.push_back("440404401");  // 航空产业园: not a town that buys services
  CHECK(ValidateOrganisation(o, &ZhuhaiAsOf2026()).article() == "第二十四条");
}

TEST_CASE("第十六条: founding date and registered area and size and grade are stored and shown") {
  // They are kept (and validated for shape), never required: a profile without any is complete.
  SocialOrganisation bare = CityGroup();
  bare.shown_only = {};
  CHECK(ValidateOrganisation(bare).ok());
  SocialOrganisation o = CityGroup();
  o.shown_only.evaluation_grade = 6;
  CHECK_FALSE(ValidateOrganisation(o).ok());
  o.shown_only.evaluation_grade = 0;
  CHECK_FALSE(ValidateOrganisation(o).ok());
  o.shown_only.evaluation_grade = 5;
  o.shown_only.registered_area_code = "44040";
  CHECK_FALSE(ValidateOrganisation(o).ok());
  o.shown_only.registered_area_code = "110105";  // registered in Beijing: fine
  CHECK(ValidateOrganisation(o).ok());
}

TEST_CASE("Organisation JSON: round trip and full validation") {
  SocialOrganisation o = CityGroup();
  o.credit.push_back(
      {CreditStatus::kAbnormalList, Date{2025, 3, 1}, "未按时报送年度报告", Date{2025, 9, 1}});
  o.shown_only.grade_valid_until = Date{2028, 12, 31};
  o.shown_only.annual_income = 300000000;
  o.shown_only.registered_address = "珠海市香洲区某路1号";
  Json j = OrganisationToJson(o);
  auto back = OrganisationFromJson(*ParseJson(DumpJson(j)), &ZhuhaiAsOf2026());
  REQUIRE(back.ok());
  CHECK(DumpJson(OrganisationToJson(*back)) == DumpJson(j));
  CHECK(back->shown_only.evaluation_grade == 4);
  CHECK(back->capability.average_score_tenths == 874);
  CHECK(back->credit.at(0).removed_on == Date{2025, 9, 1});
  auto filed = OrganisationFromJson(OrganisationToJson(FiledCommunitySo()), &ZhuhaiAsOf2026());
  REQUIRE(filed.ok());
  CHECK(filed->registrar.town == "440402001");

  std::vector<std::pair<const char*, std::function<void(Json&)>>> bad = {
      {"unknown key", [](Json& x) { x["founded_years"] = 3; }},
      {"unknown kind", [](Json& x) { x["kind"] = "company"; }},
      {"unknown registrar level", [](Json& x) { x["registrar"]["level"] = "province"; }},
      {"grade 6", [](Json& x) { x["shown_only"]["evaluation_grade"] = 6; }},
      {"negative staff", [](Json& x) { x["capability"]["full_time_staff"] = -1; }},
      {"amount as float", [](Json& x) { x["capability"]["past_project_amount_fen"] = 1.5; }},
      {"score over 100", [](Json& x) { x["capability"]["average_score_tenths"] = 1001; }},
      {"credit list normal", [](Json& x) { x["credit"][0]["list"] = "normal"; }},
      {"credit without date", [](Json& x) { x["credit"][0].erase("listed_on"); }},
      {"bad date", [](Json& x) { x["shown_only"]["established_on"] = "2019-13-01"; }},
      {"scope with unknown town", [](Json& x) { x["service_scope"]["towns"][0] = "440402999"; }},
      {"licences not strings", [](Json& x) { x["licences"] = Json::array({1}); }},
      {"missing registrar", [](Json& x) { x.erase("registrar"); }},
      {"bad uscc", [](Json& x) { x["uscc"] = "51440400MJL123456E"; }},
  };
  for (const auto& [what, edit] : bad) {
    INFO(what);
    Json x = j;
    edit(x);
    CHECK_FALSE(OrganisationFromJson(x, &ZhuhaiAsOf2026()).ok());
  }
}

TEST_CASE("第二十四条: capability figures are counts and fen within range") {
  SocialOrganisation o = CityGroup();
  CHECK(ValidateOrganisation(o).ok());
  o.capability.full_time_staff = -1;
  CHECK(ValidateOrganisation(o).code() == "bad_organisation");
  o = CityGroup();
  o.capability.past_project_amount = kMaxFen + 1;
  CHECK(ValidateOrganisation(o).code() == "bad_organisation");
  o = CityGroup();
  o.capability.average_score_tenths = 1001;
  CHECK(ValidateOrganisation(o).code() == "bad_organisation");
  o.capability.average_score_tenths = 1000;  // 100.0
  CHECK(ValidateOrganisation(o).ok());
}
