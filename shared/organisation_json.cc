// JSON form of a social-organisation profile:
//   {"id", "name", "kind", "registrar": {"level", "district"?, "town"?, "name"?},
//    "uscc"?, "filing_no"?, "business_scope"?, "licences": [..],
//    "service_scope": {"sub_items": [..], "towns": [..]},
//    "capability": {"full_time_staff", "licensed_social_workers", "volunteers", "past_projects",
//                   "past_project_amount_fen", "average_score_tenths"?},
//    "credit": [{"list", "listed_on", "reason", "removed_on"?}],
//    "shown_only": {"established_on"?, "registered_area_code"?, "registered_address"?,
//                   "staff_count"?, "net_assets_fen"?, "annual_income_fen"?,
//                   "evaluation_grade"?, "grade_valid_until"?}}
// Money is integer fen; dates are YYYY-MM-DD Shanghai days.
#include "shared/organisation.h"

namespace shefu {
namespace {

Status StringList(const Json& obj, const char* key, size_t max_items,
                  std::vector<std::string>* out) {
  out->clear();
  if (!obj.contains(key)) return Status::Ok();
  const Json& a = obj[key];
  if (!a.is_array() || a.size() > max_items)
    return FieldError(key, "必须是字符串数组（最多" + std::to_string(max_items) + "项）",
                      "must be an array of at most " + std::to_string(max_items) + " strings");
  for (const auto& v : a) {
    if (!v.is_string()) return FieldError(key, "必须是字符串数组", "must be an array of strings");
    out->push_back(v.get<std::string>());
  }
  return Status::Ok();
}

Status OptOrgDate(const Json& obj, const char* key, std::optional<Date>* out) {
  auto s = OptString(obj, key, 10);
  if (!s.ok()) return s.status();
  out->reset();
  if (!*s) return Status::Ok();
  auto d = ParseDate(**s);
  if (!d.ok()) return FieldError(key, "不是有效日期", "is not a valid date");
  *out = *d;
  return Status::Ok();
}

#define SHEFU_ASSIGN_OR_RETURN(lhs, expr) \
  do {                                    \
    auto _r = (expr);                     \
    if (!_r.ok()) return _r.status();     \
    lhs = std::move(_r).value();          \
  } while (0)

Status ParseCapability(const Json& j, Capability* c) {
  SHEFU_RETURN_IF_ERROR(CheckKeys(j,
                                  "full_time_staff,licensed_social_workers,volunteers,"
                                  "past_projects,past_project_amount_fen,average_score_tenths"));
  const int64_t kMaxCount = 10'000'000;
  SHEFU_ASSIGN_OR_RETURN(c->full_time_staff, GetInt(j, "full_time_staff", 0, kMaxCount));
  SHEFU_ASSIGN_OR_RETURN(c->licensed_social_workers,
                         GetInt(j, "licensed_social_workers", 0, kMaxCount));
  SHEFU_ASSIGN_OR_RETURN(c->volunteers, GetInt(j, "volunteers", 0, kMaxCount));
  SHEFU_ASSIGN_OR_RETURN(c->past_projects, GetInt(j, "past_projects", 0, kMaxCount));
  SHEFU_ASSIGN_OR_RETURN(c->past_project_amount, GetInt(j, "past_project_amount_fen", 0, kMaxFen));
  SHEFU_ASSIGN_OR_RETURN(c->average_score_tenths, OptInt(j, "average_score_tenths", 0, 1000));
  return Status::Ok();
}

Status ParseShownOnly(const Json& j, NonGatingAttributes* a) {
  SHEFU_RETURN_IF_ERROR(CheckKeys(j,
                                  "established_on,registered_area_code,registered_address,"
                                  "staff_count,net_assets_fen,annual_income_fen,"
                                  "evaluation_grade,grade_valid_until"));
  SHEFU_RETURN_IF_ERROR(OptOrgDate(j, "established_on", &a->established_on));
  std::optional<std::string> s;
  SHEFU_ASSIGN_OR_RETURN(s, OptString(j, "registered_area_code", 6));
  a->registered_area_code = s.value_or("");
  SHEFU_ASSIGN_OR_RETURN(s, OptString(j, "registered_address", 500));
  a->registered_address = s.value_or("");
  SHEFU_ASSIGN_OR_RETURN(a->staff_count, OptInt(j, "staff_count", 0, 10'000'000));
  SHEFU_ASSIGN_OR_RETURN(a->net_assets, OptInt(j, "net_assets_fen", -kMaxFen, kMaxFen));
  SHEFU_ASSIGN_OR_RETURN(a->annual_income, OptInt(j, "annual_income_fen", -kMaxFen, kMaxFen));
  std::optional<int64_t> grade;
  SHEFU_ASSIGN_OR_RETURN(grade, OptInt(j, "evaluation_grade", 1, 5));
  if (grade) a->evaluation_grade = static_cast<int>(*grade);
  return OptOrgDate(j, "grade_valid_until", &a->grade_valid_until);
}

Status ParseCredit(const Json& j, CreditListing* l) {
  SHEFU_RETURN_IF_ERROR(CheckKeys(j, "list,listed_on,reason,removed_on"));
  std::string list;
  SHEFU_ASSIGN_OR_RETURN(list, GetString(j, "list", 32));
  auto st = ParseCreditStatus(list);
  if (!st || *st == CreditStatus::kNormal)
    return FieldError("list", "应为 abnormal_list 或 serious_dishonest",
                      "must be abnormal_list or serious_dishonest");
  l->list = *st;
  std::optional<Date> listed;
  SHEFU_RETURN_IF_ERROR(OptOrgDate(j, "listed_on", &listed));
  if (!listed) return FieldError("listed_on", "缺失", "is missing");
  l->listed_on = *listed;
  SHEFU_ASSIGN_OR_RETURN(l->reason, GetString(j, "reason", 500, 1));
  return OptOrgDate(j, "removed_on", &l->removed_on);
}

}  // namespace

Json OrganisationToJson(const SocialOrganisation& o) {
  Json reg = {{"level", RegistrarLevelCode(o.registrar.level)}};
  if (!o.registrar.district.empty()) reg["district"] = o.registrar.district;
  if (!o.registrar.town.empty()) reg["town"] = o.registrar.town;
  if (!o.registrar.name.empty()) reg["name"] = o.registrar.name;
  const Capability& c = o.capability;
  Json cap = {{"full_time_staff", c.full_time_staff},
              {"licensed_social_workers", c.licensed_social_workers},
              {"volunteers", c.volunteers},
              {"past_projects", c.past_projects},
              {"past_project_amount_fen", c.past_project_amount}};
  if (c.average_score_tenths) cap["average_score_tenths"] = *c.average_score_tenths;
  Json credit = Json::array();
  for (const auto& l : o.credit) {
    Json jl = {{"list", CreditStatusCode(l.list)},
               {"listed_on", FormatDate(l.listed_on)},
               {"reason", l.reason}};
    if (l.removed_on) jl["removed_on"] = FormatDate(*l.removed_on);
    credit.push_back(std::move(jl));
  }
  const NonGatingAttributes& a = o.shown_only;
  Json shown = Json::object();
  if (a.established_on) shown["established_on"] = FormatDate(*a.established_on);
  if (!a.registered_area_code.empty()) shown["registered_area_code"] = a.registered_area_code;
  if (!a.registered_address.empty()) shown["registered_address"] = a.registered_address;
  if (a.staff_count) shown["staff_count"] = *a.staff_count;
  if (a.net_assets) shown["net_assets_fen"] = *a.net_assets;
  if (a.annual_income) shown["annual_income_fen"] = *a.annual_income;
  if (a.evaluation_grade) shown["evaluation_grade"] = *a.evaluation_grade;
  if (a.grade_valid_until) shown["grade_valid_until"] = FormatDate(*a.grade_valid_until);
  Json j = {{"id", o.id},
            {"name", o.name},
            {"kind", RegistrationKindCode(o.kind)},
            {"registrar", std::move(reg)},
            {"licences", o.licences},
            {"service_scope",
             {{"sub_items", o.service_scope.sub_items}, {"towns", o.service_scope.towns}}},
            {"capability", std::move(cap)},
            {"credit", std::move(credit)},
            {"shown_only", std::move(shown)}};
  if (!o.uscc.empty()) j["uscc"] = o.uscc;
  if (!o.filing_no.empty()) j["filing_no"] = o.filing_no;
  if (!o.business_scope.empty()) j["business_scope"] = o.business_scope;
  return j;
}

Result<SocialOrganisation> OrganisationFromJson(const Json& j, const DomainContext* places) {
  SHEFU_RETURN_IF_ERROR(CheckKeys(j,
                                  "id,name,kind,registrar,uscc,filing_no,business_scope,licences,"
                                  "service_scope,capability,credit,shown_only"));
  SocialOrganisation o;
  SHEFU_ASSIGN_OR_RETURN(o.id, GetString(j, "id", 64, 1));
  SHEFU_ASSIGN_OR_RETURN(o.name, GetString(j, "name", 200, 1));
  std::string kind;
  SHEFU_ASSIGN_OR_RETURN(kind, GetString(j, "kind", 32));
  auto k = ParseRegistrationKind(kind);
  if (!k) return FieldError("kind", "不是有效的登记类型", "is not a registration kind");
  o.kind = *k;

  if (!j.contains("registrar")) return FieldError("registrar", "缺失", "is missing");
  const Json& r = j["registrar"];
  SHEFU_RETURN_IF_ERROR(CheckKeys(r, "level,district,town,name"));
  std::string level;
  SHEFU_ASSIGN_OR_RETURN(level, GetString(r, "level", 32));
  auto l = ParseRegistrarLevel(level);
  if (!l)
    return FieldError("registrar.level", "不是有效的登记机关级别", "is not a registrar level");
  o.registrar.level = *l;
  std::optional<std::string> s;
  SHEFU_ASSIGN_OR_RETURN(s, OptString(r, "district", 32));
  o.registrar.district = s.value_or("");
  SHEFU_ASSIGN_OR_RETURN(s, OptString(r, "town", 32));
  o.registrar.town = s.value_or("");
  SHEFU_ASSIGN_OR_RETURN(s, OptString(r, "name", 200));
  o.registrar.name = s.value_or("");

  SHEFU_ASSIGN_OR_RETURN(s, OptString(j, "uscc", 18));
  o.uscc = s.value_or("");
  SHEFU_ASSIGN_OR_RETURN(s, OptString(j, "filing_no", 64));
  o.filing_no = s.value_or("");
  SHEFU_ASSIGN_OR_RETURN(s, OptString(j, "business_scope", 2000));
  o.business_scope = s.value_or("");
  SHEFU_RETURN_IF_ERROR(StringList(j, "licences", 50, &o.licences));

  if (j.contains("service_scope")) {
    const Json& sc = j["service_scope"];
    SHEFU_RETURN_IF_ERROR(CheckKeys(sc, "sub_items,towns"));
    SHEFU_RETURN_IF_ERROR(StringList(sc, "sub_items", 200, &o.service_scope.sub_items));
    SHEFU_RETURN_IF_ERROR(StringList(sc, "towns", 200, &o.service_scope.towns));
  }
  if (j.contains("capability"))
    SHEFU_RETURN_IF_ERROR(ParseCapability(j["capability"], &o.capability));
  if (j.contains("credit")) {
    const Json& cr = j["credit"];
    if (!cr.is_array() || cr.size() > 100)
      return FieldError("credit", "必须是数组", "must be an array");
    for (const auto& jl : cr) {
      CreditListing listing;
      SHEFU_RETURN_IF_ERROR(ParseCredit(jl, &listing));
      o.credit.push_back(std::move(listing));
    }
  }
  if (j.contains("shown_only"))
    SHEFU_RETURN_IF_ERROR(ParseShownOnly(j["shown_only"], &o.shown_only));
  SHEFU_RETURN_IF_ERROR(ValidateOrganisation(o, places));
  return o;
}

}  // namespace shefu
