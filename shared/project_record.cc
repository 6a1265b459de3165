// Validators of the project's field groups (shape, ranges, codes). Whether a project may move on
// is the lifecycle's business (lifecycle.h); these only keep malformed values out of the store.
#include "shared/project_record.h"

#include "shared/civil_time.h"
#include "shared/grade.h"
#include "shared/prohibited.h"
#include "shared/service_catalogue.h"

namespace shefu {
namespace {

Status UnknownGroup(std::string_view what_zh, std::string_view what_en, std::string_view group) {
  std::string g(group.substr(0, 40));
  return Status::Error("unknown_group", std::string(what_zh) + "没有字段组“" + g + "”",
                       "a " + std::string(what_en) + " has no field group '" + g + "'");
}

Status CheckStrings(const Json& v, std::initializer_list<std::pair<const char*, size_t>> fields) {
  for (auto [key, max] : fields) {
    auto s = OptString(v, key, max);
    if (!s.ok()) return s.status();
  }
  return Status::Ok();
}

Status CheckBools(const Json& v, std::initializer_list<const char*> fields) {
  for (const char* key : fields) {
    auto b = OptBool(v, key);
    if (!b.ok()) return b.status();
  }
  return Status::Ok();
}

Status CheckDates(const Json& v, std::initializer_list<const char*> fields) {
  for (const char* key : fields) {
    auto d = OptDate(v, key);
    if (!d.ok()) return d.status();
  }
  return Status::Ok();
}

Status CheckProjectPlace(const DomainContext& ctx, const Json& v) {
  SHEFU_RETURN_IF_ERROR(CheckKeys(v, "code"));
  auto code = GetString(v, "code", 32, 1);
  if (!code.ok()) return code.status();
  Place p;
  if (!ctx.ResolvePlace(*code, &p) || p.town.empty()) {
    return Status::Error("unknown_place", "项目所在地须为镇（街道）或社区/村代码：" + *code,
                         "a project lies in a town or a community; unknown code: " + *code,
                         "第二条");
  }
  return Status::Ok();
}

Status CheckEvidence(const DomainContext& ctx, const Json& v) {
  SHEFU_RETURN_IF_ERROR(CheckKeys(v,
                                  "planning_basis,deliberation_minutes,vote_ballot,vote_passed,"
                                  "library_consent,community_selection"));
  SHEFU_RETURN_IF_ERROR(CheckStrings(
      v, {{"planning_basis", 2000}, {"deliberation_minutes", 2000}, {"vote_ballot", 64}}));
  SHEFU_RETURN_IF_ERROR(CheckBools(v, {"vote_passed", "library_consent"}));
  auto sel = OptString(v, "community_selection", 32);
  if (!sel.ok()) return sel.status();
  if (sel->has_value() && !(*sel)->empty()) {
    Place p;
    if (!ctx.ResolvePlace(**sel, &p) || p.community.empty())
      return Status::Error("unknown_community", "社区/村代码不存在：" + **sel,
                           "unknown community code: " + **sel, "第十九条");
  }
  return Status::Ok();
}

Status CheckIndicators(const Json& v) {
  SHEFU_RETURN_IF_ERROR(CheckKeys(v, "items"));
  if (!v.contains("items") || !v["items"].is_array() || v["items"].size() > 50)
    return FieldError("items", "必须是不超过50项的数组", "must be an array of at most 50 items");
  for (const auto& item : v["items"]) {
    SHEFU_RETURN_IF_ERROR(CheckKeys(item, "name,target"));
    for (const char* k : {"name", "target"}) {
      auto s = GetString(item, k, 600, 1);
      if (!s.ok()) return s.status();
    }
  }
  return Status::Ok();
}

Status CheckProhibitedGroup(const Json& v) {
  SHEFU_RETURN_IF_ERROR(CheckKeys(v, "declared,attested"));
  if (!v.contains("declared") || !v["declared"].is_array() || v["declared"].size() > 6)
    return FieldError("declared", "必须是不超过6项的数组", "must be an array of at most 6 codes");
  for (const auto& c : v["declared"]) {
    if (!c.is_string() || !FindProhibitedItem(c.get<std::string>()))
      return Status::Error("unknown_prohibited_item", "未知的禁止项目类别",
                           "unknown prohibited kind", "第十一条");
  }
  auto a = GetBool(v, "attested");
  return a.ok() ? Status::Ok() : a.status();
}

Status CheckLifecycle(const Json& v) {
  SHEFU_RETURN_IF_ERROR(
      CheckKeys(v, "state,event,by,role,at,reason,policy_version,assumed_extended"));
  auto state = GetString(v, "state", 32, 1);
  if (!state.ok()) return state.status();
  if (!ParseState(*state)) return FieldError("state", "不是项目状态", "is not a project state");
  auto event = OptString(v, "event", 32);
  if (!event.ok()) return event.status();
  if (event->has_value() && **event != "create" && !ParseEvent(**event))
    return FieldError("event", "不是项目事件", "is not a project event");
  auto by = OptInt(v, "by", 0);
  if (!by.ok()) return by.status();
  auto role = OptString(v, "role", 32);
  if (!role.ok()) return role.status();
  if (role->has_value() && !ParseRole(**role))
    return FieldError("role", "不是角色代码", "is not a role code");
  SHEFU_RETURN_IF_ERROR(CheckStrings(v, {{"at", 40}, {"reason", 2000}, {"policy_version", 64}}));
  return CheckBools(v, {"assumed_extended"});
}

Status CheckReview(const Json& v) {
  SHEFU_RETURN_IF_ERROR(CheckKeys(v, "decision,reason,by,on"));
  auto d = GetString(v, "decision", 16, 1);
  if (!d.ok()) return d.status();
  if (*d != "approve" && *d != "return" && *d != "reject")
    return FieldError("decision", "取值无效（approve/return/reject）",
                      "must be approve, return or reject");
  SHEFU_RETURN_IF_ERROR(CheckStrings(v, {{"reason", 2000}}));
  auto by = OptInt(v, "by", 0);
  if (!by.ok()) return by.status();
  return CheckDates(v, {"on"});
}

Status CheckProcurement(const Json& v) {
  SHEFU_RETURN_IF_ERROR(
      CheckKeys(v, "method,award_notice_ref,award_notice_on,provider_org,provider_name"));
  auto m = OptString(v, "method", 32);
  if (!m.ok()) return m.status();
  // Known codes only; an unlawful one (询价) may be on record, the guard refuses it.
  if (m->has_value()) {
    Status st = CheckProcurementMethod(**m);
    if (st.code() == "unknown_procurement_method") return st;
  }
  SHEFU_RETURN_IF_ERROR(
      CheckStrings(v, {{"award_notice_ref", 200}, {"provider_org", 64}, {"provider_name", 200}}));
  return CheckDates(v, {"award_notice_on"});
}

Status CheckEvaluation(const Json& v) {
  SHEFU_RETURN_IF_ERROR(
      CheckKeys(v,
                "recorded,score_tenths,grade,passed,survey_done,two_committee_opinion,"
                "resident_rep_opinion,result_notice_on,years_evaluated,"
                "next_year_budget_confirmed,evaluator,opinions,scorecard,satisfaction"));
  // The evaluation module's details (server/routes_evaluation.cc builds them from
  // evaluation.h's rules; stored for the record and for 公示).
  for (const char* k : {"evaluator", "scorecard", "satisfaction"})
    if (v.contains(k) && !v[k].is_object()) return FieldError(k, "必须是对象", "must be an object");
  if (v.contains("opinions") && (!v["opinions"].is_array() || v["opinions"].size() > 200))
    return FieldError("opinions", "必须是数组", "must be an array");
  SHEFU_RETURN_IF_ERROR(CheckBools(v, {"recorded", "passed", "survey_done", "two_committee_opinion",
                                       "resident_rep_opinion", "next_year_budget_confirmed"}));
  auto score = OptInt(v, "score_tenths", 0, 1000);
  if (!score.ok()) return score.status();
  auto grade = OptString(v, "grade", 16);
  if (!grade.ok()) return grade.status();
  if (grade->has_value()) {
    bool known = false;
    for (Grade g : {Grade::kExcellent, Grade::kGood, Grade::kFair, Grade::kPoor})
      known = known || **grade == GradeCode(g);
    if (!known) return FieldError("grade", "不是等次代码", "is not a grade code");
  }
  auto recorded = OptBool(v, "recorded");
  if (recorded->value_or(false) && (!score->has_value() || !grade->has_value()))
    return FieldError("recorded", "已记录的评价须有得分和等次",
                      "a recorded evaluation needs a score and a grade");
  auto years = OptInt(v, "years_evaluated", 0, 10);
  if (!years.ok()) return years.status();
  return CheckDates(v, {"result_notice_on"});
}

}  // namespace

bool IsProposerGroup(std::string_view group) {
  for (auto g : kProposerGroups)
    if (g == group) return true;
  return false;
}

std::optional<ProjectOrigin> ParseOrigin(std::string_view code) {
  for (ProjectOrigin o : {ProjectOrigin::kTownPlanned, ProjectOrigin::kCommunityDeliberated,
                          ProjectOrigin::kSoDesigned})
    if (code == OriginCode(o)) return o;
  return std::nullopt;
}

Text OriginName(ProjectOrigin o) {
  switch (o) {
    case ProjectOrigin::kTownPlanned:
      return {"镇（街道）统筹规划", "town-planned"};
    case ProjectOrigin::kCommunityDeliberated:
      return {"城乡社区议事协商", "community-deliberated"};
    case ProjectOrigin::kSoDesigned:
      break;
  }
  return {"社会组织设计", "designed by a social organisation"};
}

Result<std::optional<Date>> OptDate(const Json& obj, std::string_view key) {
  auto s = OptString(obj, key, 10);
  if (!s.ok()) return s.status();
  if (!s->has_value()) return std::optional<Date>();
  auto d = ParseDate(**s);
  if (!d.ok()) return FieldError(key, "须为日期 YYYY-MM-DD", "must be a date YYYY-MM-DD");
  return std::optional<Date>(*d);
}

Result<ProposalValue> ProposalFromJson(const Json& v) {
  SHEFU_RETURN_IF_ERROR(CheckKeys(v,
                                  "title,description,origin,category,sub_item,other_reason,year,"
                                  "beneficiaries,fee_mode,designer_org"));
  ProposalValue p;
  auto title = GetString(v, "title", 600, 1);
  if (!title.ok()) return title.status();
  p.title = *title;
  auto desc = OptString(v, "description", 6000);
  if (!desc.ok()) return desc.status();
  p.description = desc->value_or("");
  auto origin = GetString(v, "origin", 32, 1);
  if (!origin.ok()) return origin.status();
  auto o = ParseOrigin(*origin);
  if (!o)
    return Status::Error(
        "unknown_origin", "项目产生方式无效（town_planned/community_deliberated/so_designed）",
        "origin must be town_planned, community_deliberated or so_designed", "第十九条");
  p.origin = *o;
  auto cat = GetString(v, "category", 64, 1);
  if (!cat.ok()) return cat.status();
  auto sub = GetString(v, "sub_item", 96, 1);
  if (!sub.ok()) return sub.status();
  auto reason = OptString(v, "other_reason", 600);
  if (!reason.ok()) return reason.status();
  SHEFU_RETURN_IF_ERROR(CheckServiceItem(*cat, *sub, reason->value_or("")));
  p.category = *cat;
  p.sub_item = *sub;
  p.other_reason = reason->value_or("");
  auto year = GetInt(v, "year", 2000, 2100);
  if (!year.ok()) return year.status();
  p.year = static_cast<int>(*year);
  auto ben = OptInt(v, "beneficiaries", 0, 10'000'000);
  if (!ben.ok()) return ben.status();
  auto fee = OptString(v, "fee_mode", 16);
  if (!fee.ok()) return fee.status();
  if (fee->has_value() && **fee != "free" && **fee != "low_fee")
    return FieldError("fee_mode", "取值无效（free/low_fee）", "must be free or low_fee");
  auto org = OptString(v, "designer_org", 64);
  if (!org.ok()) return org.status();
  p.designer_org = org->value_or("");
  if (p.origin == ProjectOrigin::kSoDesigned && p.designer_org.empty())
    return FieldError("designer_org", "社会组织设计的项目须写明设计的社会组织",
                      "an SO-designed project names the designing organisation");
  return p;
}

Result<FundingValue> FundingFromJson(const Json& v) {
  SHEFU_RETURN_IF_ERROR(CheckKeys(v, "budget_fen,lines"));
  FundingValue f;
  auto budget = GetInt(v, "budget_fen", 0, kMaxFen);
  if (!budget.ok()) return budget.status();
  f.budget = *budget;
  if (!v.contains("lines")) return FieldError("lines", "缺失", "is missing");
  auto lines = FundingLinesFromJson(v["lines"]);
  if (!lines.ok()) return lines.status();
  f.lines = std::move(*lines);
  return f;
}

Status ValidateProjectGroup(const DomainContext& ctx, std::string_view group, const Json& v) {
  if (group == "place") return CheckProjectPlace(ctx, v);
  if (group == "proposal") {
    auto p = ProposalFromJson(v);
    return p.ok() ? Status::Ok() : p.status();
  }
  if (group == "funding") {
    auto f = FundingFromJson(v);
    return f.ok() ? Status::Ok() : f.status();
  }
  if (group == "evidence") return CheckEvidence(ctx, v);
  if (group == "indicators") return CheckIndicators(v);
  if (group == "prohibited") return CheckProhibitedGroup(v);
  if (group == "lifecycle") return CheckLifecycle(v);
  if (group == "review") return CheckReview(v);
  if (group == "procurement") return CheckProcurement(v);
  if (group == "contract") {
    auto c = ContractFromJson(v);
    return c.ok() ? Status::Ok() : c.status();
  }
  if (group == "evaluation") return CheckEvaluation(v);
  return UnknownGroup("项目", "project", group);
}

}  // namespace shefu
