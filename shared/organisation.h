// A social organisation 社会组织 as the platform keeps it (第三、十六、二十四条).
//
// 第三条 defines the organisations of this policy: registered with the city or a district
// civil-affairs bureau (民政), or a community social organisation filed (备案) with a town. That
// decides membership of the platform's SO library — LibraryMembership — and nothing else.
// 第十六条 forbids making founding years, registration place, size or evaluation grade a
// required qualification. Those facts are still recorded (people want to see them), so they live
// apart, in NonGatingAttributes, which no eligibility rule reads (see eligibility.h). Note the
// tension (reference notes OI-1): an organisation registered outside Zhuhai is not in the
// library under 第三条, but registration place may not exclude it from a purchase under 第十六条.
// 第二十四条 puts capability (承接能力), service scope (承接范围) and credit (信用情况) on the
// platform: Capability, ServiceScope and CreditListing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/civil_time.h"
#include "shared/entity_types.h"
#include "shared/json_util.h"
#include "shared/money.h"
#include "shared/status.h"

namespace shefu {

enum class RegistrationKind {
  kSocialGroup,           // 社会团体 (USCC 51...)
  kPrivateNonEnterprise,  // 民办非企业单位 / 社会服务机构 (USCC 52...)
  kFoundation,            // 基金会 (USCC 53...)
  kCommunityFiled,        // 社区社会组织, filed with a town (备案); usually no USCC
};
// "social_group" | "private_non_enterprise" | "foundation" | "community_filed"
const char* RegistrationKindCode(RegistrationKind k);
std::optional<RegistrationKind> ParseRegistrationKind(std::string_view code);

enum class RegistrarLevel {
  kCity,        // 珠海市民政局
  kDistrict,    // a district civil-affairs bureau: Registrar::district
  kTownFiling,  // filed with a town: Registrar::town (the filing town)
  kOther,       // any other registrar (another city, the province, the Ministry): Registrar::name
};
// "city" | "district" | "town_filing" | "other"
const char* RegistrarLevelCode(RegistrarLevel l);
std::optional<RegistrarLevel> ParseRegistrarLevel(std::string_view code);

struct Registrar {
  RegistrarLevel level = RegistrarLevel::kCity;
  std::string district;  // kDistrict: district code
  std::string town;      // kTownFiling: 9-digit town code
  std::string name;      // kOther: "广东省民政厅"
};

// 承接范围: the sub-items it offers × the towns it serves.
struct ServiceScope {
  std::vector<std::string> sub_items;  // service_catalogue.h codes
  std::vector<std::string> towns;      // 9-digit town codes
  bool Covers(std::string_view sub_item, std::string_view town) const;
};

// 承接能力. Informational: shown to reviewers and used in matching displays.
struct Capability {
  int64_t full_time_staff = 0;
  int64_t licensed_social_workers = 0;  // 助理社工师 / 社工师 / 高级社工师
  int64_t volunteers = 0;
  int64_t past_projects = 0;
  Fen past_project_amount = 0;
  // Average score of past project evaluations, in tenths (0..1000 = 0.0..100.0).
  std::optional<int64_t> average_score_tenths;
};

enum class CreditStatus {
  kNormal,
  kAbnormalList,      // 活动异常名录 (民政部令第60号)
  kSeriousDishonest,  // 严重违法失信名单
};
// "normal" | "abnormal_list" | "serious_dishonest"
const char* CreditStatusCode(CreditStatus s);
std::optional<CreditStatus> ParseCreditStatus(std::string_view code);

// One entry on a credit list, from listing to removal (removed_on = the first day off the list).
struct CreditListing {
  CreditStatus list = CreditStatus::kAbnormalList;  // never kNormal
  Date listed_on;
  std::string reason;
  std::optional<Date> removed_on;
  bool ActiveOn(const Date& d) const { return listed_on <= d && (!removed_on || d < *removed_on); }
};

// 第十六条: recorded and shown, NEVER a required condition. Nothing in eligibility.h reads this.
struct NonGatingAttributes {
  std::optional<Date> established_on;  // 成立日期
  std::string registered_area_code;    // 注册所在地 (6-digit area code)
  std::string registered_address;
  // 规模
  std::optional<int64_t> staff_count;
  std::optional<Fen> net_assets;
  std::optional<Fen> annual_income;
  // 评估等级 1A..5A (1..5); the certificate is valid 5 years.
  std::optional<int> evaluation_grade;
  std::optional<Date> grade_valid_until;
};

struct SocialOrganisation {
  std::string id;  // platform id
  std::string name;
  RegistrationKind kind = RegistrationKind::kSocialGroup;
  Registrar registrar;
  std::string uscc;                   // required unless kCommunityFiled
  std::string filing_no;              // 备案号, required for kCommunityFiled
  std::string business_scope;         // 业务范围 from the certificate
  std::vector<std::string> licences;  // licences it holds (e.g. "法律援助机构资质")
  ServiceScope service_scope;
  Capability capability;
  std::vector<CreditListing> credit;
  NonGatingAttributes shown_only;
};

// The worst credit list the organisation is on, on day `d`.
CreditStatus CreditStatusOn(const SocialOrganisation& org, const Date& d);

// Consistency of a profile: kind ⇔ registrar (filed ⇔ town filing), USCC for registered kinds
// (civil-affairs code whose category matches the kind), filing number and town for filed ones,
// ranges of every number, known sub-items, ordered credit dates, grade 1..5. With `places`, the
// registrar's district and filing town and the scope's towns must exist. Error codes:
// bad_organisation, bad_uscc, uscc_not_civil_affairs.
Status ValidateOrganisation(const SocialOrganisation& org, const DomainContext* places = nullptr);

// 第三条: may the organisation be in the platform's SO library? OK for a city or district
// registration with a civil-affairs USCC, or a town filing with its number; otherwise an error
// (registrar_outside_scope, uscc missing or invalid, filing_incomplete) naming 第三条. Says
// nothing about eligibility for a purchase (第十六条).
Status LibraryMembership(const SocialOrganisation& org, const DomainContext* places = nullptr);

// JSON form of a profile (see organisation_json.cc for the field list); parsing refuses unknown
// keys and runs ValidateOrganisation.
Json OrganisationToJson(const SocialOrganisation& org);
Result<SocialOrganisation> OrganisationFromJson(const Json& j,
                                                const DomainContext* places = nullptr);

}  // namespace shefu
