#include "shared/organisation.h"

#include <algorithm>

#include "shared/service_catalogue.h"
#include "shared/uscc.h"

namespace shefu {
namespace {

Status BadOrg(const std::string& zh, const std::string& en, std::string article = {}) {
  return Status::Error("bad_organisation", "社会组织信息有误：" + zh,
                       "invalid social-organisation profile: " + en, std::move(article));
}

bool TextOk(const std::string& s, size_t max, bool required) {
  return (!required || !s.empty()) && s.size() <= max && IsValidUtf8(s);
}

bool IsDistrict(const DomainContext* places, const std::string& code) {
  Place p;
  return places->ResolvePlace(code, &p) && p.district == code && p.town.empty();
}

bool IsTown(const DomainContext* places, const std::string& code) {
  Place p;
  return places->ResolvePlace(code, &p) && p.town == code && p.community.empty();
}

// The USCC category character (position 2) each registration kind must carry; '9' ("other")
// is accepted for every kind.
char CategoryChar(RegistrationKind k) {
  switch (k) {
    case RegistrationKind::kSocialGroup:
      return '1';
    case RegistrationKind::kPrivateNonEnterprise:
      return '2';
    case RegistrationKind::kFoundation:
      return '3';
    case RegistrationKind::kCommunityFiled:
      return '9';
  }
  return '9';
}

Status ValidateRegistration(const SocialOrganisation& org, const DomainContext* places) {
  const Registrar& r = org.registrar;
  bool filed = org.kind == RegistrationKind::kCommunityFiled;
  if (filed != (r.level == RegistrarLevel::kTownFiling))
    return BadOrg("社区社会组织由镇（街道）备案，其他社会组织由民政部门登记",
                  "a community SO is filed with a town; other kinds are registered with civil "
                  "affairs",
                  "第三条");
  switch (r.level) {
    case RegistrarLevel::kCity:
      break;
    case RegistrarLevel::kDistrict:
      if (r.district.empty() || (places && !IsDistrict(places, r.district)))
        return BadOrg("登记的区不存在：" + r.district.substr(0, 32),
                      "unknown registering district: " + r.district.substr(0, 32));
      break;
    case RegistrarLevel::kTownFiling:
      if (r.town.empty() || (places && !IsTown(places, r.town)))
        return BadOrg("备案的镇（街道）不存在：" + r.town.substr(0, 32),
                      "unknown filing town: " + r.town.substr(0, 32), "第三条");
      if (!TextOk(org.filing_no, 64, true))
        return BadOrg("社区社会组织须有备案号", "a filed community SO needs its filing number",
                      "第三条");
      break;
    case RegistrarLevel::kOther:
      if (!TextOk(r.name, 200, true))
        return BadOrg("须写明登记机关", "the registering authority must be named");
      break;
  }
  if (filed) {
    // Filed community SOs usually have no USCC; one that has one must have a valid one.
    if (!org.uscc.empty()) SHEFU_RETURN_IF_ERROR(CheckUscc(org.uscc));
    return Status::Ok();
  }
  if (org.uscc.empty())
    return BadOrg("登记的社会组织须有统一社会信用代码", "a registered SO needs its USCC", "第三条");
  SHEFU_RETURN_IF_ERROR(CheckCivilAffairsUscc(org.uscc));
  if (org.uscc[1] != '9' && org.uscc[1] != CategoryChar(org.kind))
    return BadOrg("统一社会信用代码的类别位与登记类型不符",
                  "the USCC category character does not match the registration kind");
  return Status::Ok();
}

Status ValidateNumbers(const SocialOrganisation& org) {
  const Capability& c = org.capability;
  for (int64_t n : {c.full_time_staff, c.licensed_social_workers, c.volunteers, c.past_projects})
    if (n < 0 || n > 10'000'000) return BadOrg("人数或项目数超出范围", "a count is out of range");
  if (c.past_project_amount < 0 || c.past_project_amount > kMaxFen)
    return BadOrg("以往项目金额超出范围", "the past project amount is out of range");
  if (c.average_score_tenths && (*c.average_score_tenths < 0 || *c.average_score_tenths > 1000))
    return BadOrg("以往评估平均分应在0至100之间", "the average past score must be 0 to 100");
  const NonGatingAttributes& a = org.shown_only;
  if (a.evaluation_grade && (*a.evaluation_grade < 1 || *a.evaluation_grade > 5))
    return BadOrg("评估等级应为1A至5A", "the evaluation grade must be 1A to 5A");
  if (a.staff_count && (*a.staff_count < 0 || *a.staff_count > 10'000'000))
    return BadOrg("人员规模超出范围", "the staff count is out of range");
  for (const auto& m : {a.net_assets, a.annual_income})
    if (m && (*m < -kMaxFen || *m > kMaxFen))
      return BadOrg("金额超出范围", "an amount is out of range");
  if (!a.registered_area_code.empty() &&
      (a.registered_area_code.size() != 6 ||
       !std::all_of(a.registered_area_code.begin(), a.registered_area_code.end(),
                    [](char ch) { return ch >= '0' && ch <= '9'; })))
    return BadOrg("注册地区代码应为6位数字", "the registered area code must be 6 digits");
  if (!TextOk(a.registered_address, 500, false))
    return BadOrg("注册地址过长", "the registered address is too long");
  return Status::Ok();
}

}  // namespace

const char* RegistrationKindCode(RegistrationKind k) {
  switch (k) {
    case RegistrationKind::kSocialGroup:
      return "social_group";
    case RegistrationKind::kPrivateNonEnterprise:
      return "private_non_enterprise";
    case RegistrationKind::kFoundation:
      return "foundation";
    case RegistrationKind::kCommunityFiled:
      return "community_filed";
  }
  return "unknown";
}

std::optional<RegistrationKind> ParseRegistrationKind(std::string_view code) {
  for (auto k : {RegistrationKind::kSocialGroup, RegistrationKind::kPrivateNonEnterprise,
                 RegistrationKind::kFoundation, RegistrationKind::kCommunityFiled})
    if (code == RegistrationKindCode(k)) return k;
  return std::nullopt;
}

const char* RegistrarLevelCode(RegistrarLevel l) {
  switch (l) {
    case RegistrarLevel::kCity:
      return "city";
    case RegistrarLevel::kDistrict:
      return "district";
    case RegistrarLevel::kTownFiling:
      return "town_filing";
    case RegistrarLevel::kOther:
      return "other";
  }
  return "unknown";
}

std::optional<RegistrarLevel> ParseRegistrarLevel(std::string_view code) {
  for (auto l : {RegistrarLevel::kCity, RegistrarLevel::kDistrict, RegistrarLevel::kTownFiling,
                 RegistrarLevel::kOther})
    if (code == RegistrarLevelCode(l)) return l;
  return std::nullopt;
}

const char* CreditStatusCode(CreditStatus s) {
  switch (s) {
    case CreditStatus::kNormal:
      return "normal";
    case CreditStatus::kAbnormalList:
      return "abnormal_list";
    case CreditStatus::kSeriousDishonest:
      return "serious_dishonest";
  }
  return "unknown";
}

std::optional<CreditStatus> ParseCreditStatus(std::string_view code) {
  for (auto s :
       {CreditStatus::kNormal, CreditStatus::kAbnormalList, CreditStatus::kSeriousDishonest})
    if (code == CreditStatusCode(s)) return s;
  return std::nullopt;
}

bool ServiceScope::Covers(std::string_view sub_item, std::string_view town) const {
  return std::find(sub_items.begin(), sub_items.end(), sub_item) != sub_items.end() &&
         std::find(towns.begin(), towns.end(), town) != towns.end();
}

CreditStatus CreditStatusOn(const SocialOrganisation& org, const Date& d) {
  CreditStatus worst = CreditStatus::kNormal;
  for (const auto& l : org.credit)
    if (l.ActiveOn(d) && static_cast<int>(l.list) > static_cast<int>(worst)) worst = l.list;
  return worst;
}

Status ValidateOrganisation(const SocialOrganisation& org, const DomainContext* places) {
  if (!TextOk(org.id, 64, true)) return BadOrg("缺少编号", "the id is missing or too long");
  if (!TextOk(org.name, 200, true)) return BadOrg("缺少名称", "the name is missing or too long");
  if (!TextOk(org.business_scope, 2000, false))
    return BadOrg("业务范围过长", "the business scope is too long");
  SHEFU_RETURN_IF_ERROR(ValidateRegistration(org, places));
  SHEFU_RETURN_IF_ERROR(ValidateNumbers(org));
  if (org.licences.size() > 50) return BadOrg("资质过多", "too many licences");
  for (const auto& l : org.licences)
    if (!TextOk(l, 200, true)) return BadOrg("资质名称无效", "a licence name is invalid");
  for (const auto& s : org.service_scope.sub_items)
    if (!FindServiceSubItem(s))
      return BadOrg("承接范围含未知服务子项：" + s.substr(0, 40),
                    "the service scope names an unknown sub-item: " + s.substr(0, 40),
                    "第二十四条");
  for (const auto& t : org.service_scope.towns)
    if (t.empty() || t.size() > 32 || (places && !IsTown(places, t)))
      return BadOrg("承接范围含未知镇（街道）：" + t.substr(0, 32),
                    "the service scope names an unknown town: " + t.substr(0, 32), "第二十四条");
  for (const auto& l : org.credit) {
    if (l.list == CreditStatus::kNormal)
      return BadOrg("信用名单记录须为异常名录或严重失信名单",
                    "a credit listing must be the abnormal or the serious-dishonesty list");
    if (!TextOk(l.reason, 500, true))
      return BadOrg("信用名单记录须写明原因", "a credit listing needs its reason");
    if (l.removed_on && *l.removed_on < l.listed_on)
      return BadOrg("移出名单日期早于列入日期", "removal from a list precedes the listing");
  }
  return Status::Ok();
}

Status LibraryMembership(const SocialOrganisation& org, const DomainContext* places) {
  const Registrar& r = org.registrar;
  switch (r.level) {
    case RegistrarLevel::kCity:
    case RegistrarLevel::kDistrict: {
      if (r.level == RegistrarLevel::kDistrict &&
          (r.district.empty() || (places && !IsDistrict(places, r.district))))
        return Status::Error("registrar_outside_scope",
                             "登记的区不是本市的区，不纳入平台社会组织库",
                             "the registering district is not one of this city's districts, so "
                             "the SO is not in the platform's library",
                             "第三条");
      if (org.uscc.empty())
        return Status::Error("uscc_missing", "民政登记的社会组织须有统一社会信用代码",
                             "an SO registered with civil affairs needs its USCC", "第三条");
      Status s = CheckCivilAffairsUscc(org.uscc);
      if (!s.ok()) return Status::Error(s.code(), s.zh(), s.en(), "第三条");
      return Status::Ok();
    }
    case RegistrarLevel::kTownFiling:
      if (org.filing_no.empty() || r.town.empty() || (places && !IsTown(places, r.town)))
        return Status::Error("filing_incomplete",
                             "镇（街道）备案的社区社会组织须有备案号和备案镇（街道）",
                             "a community SO filed with a town needs its filing number and "
                             "filing town",
                             "第三条");
      return Status::Ok();
    case RegistrarLevel::kOther:
      break;
  }
  return Status::Error("registrar_outside_scope",
                       "未在本市市、区民政部门登记，也未在镇（街道）备案，不纳入平台社会组织库"
                       "（不影响其依第十六条参与承接）",
                       "not registered with this city's or a district's civil-affairs bureau nor "
                       "filed with a town, so not in the platform's library (this does not bar "
                       "it from taking on purchases, 第十六条)",
                       "第三条");
}

}  // namespace shefu
