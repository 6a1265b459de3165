// 绩效评价 (第二十六、二十七条; docs/api.md "Evaluation"): PUT /v1/projects/{id}/evaluation.
//
// The town records the evaluation of the current round; the rules are evaluation.h's:
//   - the scorecard (ValidateScorecard / ScoreEvaluation): weights in per mille, a satisfaction
//     indicator required — and its score is NOT typed: it comes from the project's survey
//     results (surveys.h, the same figures as GET /v1/satisfaction) through
//     SatisfactionIndicatorTenths (满意率 or the weighted index); a suppressed sample refuses;
//   - the evaluator: the town, or a third party independent of the provider
//     (CheckThirdPartyIndependence);
//   - the opinions of 两委 members and resident representatives (AddOpinion);
//   - acceptance (passed = true) only through Accept: survey, both opinions, score, independence
//     and a grade of at least 中 — otherwise refused with the missing piece and the article.
// The rectification loop and publication are lifecycle events (require_rectification,
// resubmit_evaluation, publish_result after result_notice_on). The grade is derived from the
// score by the policy's thresholds, never typed.
//
// Older bodies that attest survey_done / two_committee_opinion / resident_rep_opinion as
// booleans (a paper survey or opinions gathered outside shefu) are still accepted, but only
// when the project has no survey in shefu and no opinions are given: recorded facts win.
#include <set>

#include "server/projects.h"
#include "server/routes.h"
#include "server/staff_access.h"
#include "server/staff_writes.h"
#include "server/surveys.h"
#include "server/sync_service.h"
#include "shared/evaluation.h"
#include "shared/survey_records.h"

namespace shefu::server {
namespace {

Status EvaluableStateIn(const Project& p, std::initializer_list<ProjectState> states) {
  for (ProjectState s : states)
    if (p.state == s) return Status::Ok();
  return Status::Error(
      "not_editable", "项目处于“" + StateName(p.state).zh + "”状态，不能记录评价",
      "cannot record the evaluation while the project is " + StateName(p.state).en);
}

Result<std::set<std::string>> StringSet(const Json& v, const char* key) {
  std::set<std::string> out;
  if (!v.contains(key)) return out;
  if (!v[key].is_array() || v[key].size() > 20)
    return FieldError(key, "必须是数组", "must be an array");
  for (const Json& x : v[key]) {
    if (!x.is_string() || x.get<std::string>().empty() || x.get<std::string>().size() > 64)
      return FieldError(key, "每项必须是文字", "each must be a string");
    out.insert(x.get<std::string>());
  }
  return out;
}

Result<OrgFacts> Facts(const Json& v, const std::string& org_id) {
  OrgFacts f;
  f.org_id = org_id;
  auto lr = OptString(v, "legal_representative", 64);
  if (!lr.ok()) return lr.status();
  f.legal_representative = lr->value_or("");
  auto sp = StringSet(v, "sponsors");
  if (!sp.ok()) return sp.status();
  f.sponsors = std::move(*sp);
  return f;
}

struct Body {
  Evaluation e;
  bool has_evaluator = false;
  std::vector<Opinion> opinions;
  std::optional<Scorecard> card;
  std::vector<IndicatorScore> scores;
  SatisfactionBasis basis = SatisfactionBasis::kRate;
  Json evaluator_json, scorecard_json;
};

Result<Body> ParseBody(const Json& b) {
  Body out;
  if (b.contains("evaluator")) {
    const Json& ev = b["evaluator"];
    if (!ev.is_object()) return FieldError("evaluator", "必须是对象", "must be an object");
    SHEFU_RETURN_IF_ERROR(CheckKeys(ev,
                                    "type,org,name,legal_representative,sponsors,"
                                    "provider_legal_representative,provider_sponsors"));
    auto type = GetString(ev, "type", 16, 1);
    if (!type.ok()) return type.status();
    if (*type != "town" && *type != "third_party")
      return FieldError("evaluator.type", "只能是 town 或 third_party",
                        "must be town or third_party");
    out.e.evaluator_type = *type == "town" ? EvaluatorType::kTown : EvaluatorType::kThirdParty;
    auto org = OptString(ev, "org", 64);
    if (!org.ok()) return org.status();
    if (out.e.evaluator_type == EvaluatorType::kThirdParty && !org->has_value())
      return FieldError("evaluator.org", "第三方评价须写明机构", "a third party needs its org");
    auto facts = Facts(ev, org->value_or(""));
    if (!facts.ok()) return facts.status();
    out.e.evaluator = *facts;
    Json pf = Json::object();
    if (ev.contains("provider_legal_representative"))
      pf["legal_representative"] = ev["provider_legal_representative"];
    if (ev.contains("provider_sponsors")) pf["sponsors"] = ev["provider_sponsors"];
    auto prov = Facts(pf, "");
    if (!prov.ok()) return prov.status();
    out.e.provider = *prov;
    out.has_evaluator = true;
    out.evaluator_json = ev;
  }
  if (b.contains("opinions")) {
    const Json& ops = b["opinions"];
    if (!ops.is_array() || ops.size() > 200)
      return FieldError("opinions", "必须是数组", "must be an array");
    for (const Json& o : ops) {
      if (!o.is_object()) return FieldError("opinions", "每项必须是对象", "each must be an object");
      SHEFU_RETURN_IF_ERROR(CheckKeys(o, "role,author,text"));
      auto role = GetString(o, "role", 32, 1);
      if (!role.ok()) return role.status();
      Opinion op;
      if (*role == "two_committees")
        op.role = OpinionRole::kTwoCommittees;
      else if (*role == "resident_rep")
        op.role = OpinionRole::kResidentRep;
      else
        return FieldError("opinions.role", "只能是 two_committees 或 resident_rep",
                          "must be two_committees or resident_rep");
      auto author = GetString(o, "author", 64, 1);
      if (!author.ok()) return author.status();
      auto text = GetString(o, "text", 4000, 1);
      if (!text.ok()) return text.status();
      op.author = *author;
      op.text = *text;
      out.opinions.push_back(std::move(op));
    }
  }
  if (b.contains("scorecard")) {
    const Json& sc = b["scorecard"];
    if (!sc.is_object()) return FieldError("scorecard", "必须是对象", "must be an object");
    SHEFU_RETURN_IF_ERROR(CheckKeys(sc, "indicators,scores,satisfaction_basis"));
    auto basis = OptString(sc, "satisfaction_basis", 16);
    if (!basis.ok()) return basis.status();
    if (basis->value_or("rate") == "index")
      out.basis = SatisfactionBasis::kIndex;
    else if (basis->value_or("rate") != "rate")
      return FieldError("scorecard.satisfaction_basis", "只能是 rate 或 index",
                        "must be rate or index");
    Scorecard card;
    const Json& ind = sc.value("indicators", Json());
    if (!ind.is_array() || ind.empty() || ind.size() > 50)
      return FieldError("scorecard.indicators", "必须是 1–50 项的数组",
                        "must be an array of 1-50 indicators");
    for (const Json& i : ind) {
      if (!i.is_object())
        return FieldError("scorecard.indicators", "每项必须是对象", "each must be an object");
      SHEFU_RETURN_IF_ERROR(CheckKeys(i, "code,name,weight_permille,satisfaction"));
      Indicator x;
      auto code = GetString(i, "code", 64, 1);
      if (!code.ok()) return code.status();
      x.code = *code;
      auto name = OptString(i, "name", 200);
      if (!name.ok()) return name.status();
      x.name = {name->value_or(*code), name->value_or(*code)};
      auto w = GetInt(i, "weight_permille", 0, 1000);
      if (!w.ok()) return w.status();
      x.weight_permille = *w;
      auto sat = OptBool(i, "satisfaction");
      if (!sat.ok()) return sat.status();
      x.satisfaction = sat->value_or(false);
      card.indicators.push_back(std::move(x));
    }
    SHEFU_RETURN_IF_ERROR(ValidateScorecard(card));
    const Json& scores = sc.value("scores", Json::array());
    if (!scores.is_array() || scores.size() > 50)
      return FieldError("scorecard.scores", "必须是数组", "must be an array");
    for (const Json& s : scores) {
      if (!s.is_object())
        return FieldError("scorecard.scores", "每项必须是对象", "each must be an object");
      SHEFU_RETURN_IF_ERROR(CheckKeys(s, "code,tenths"));
      auto code = GetString(s, "code", 64, 1);
      if (!code.ok()) return code.status();
      auto t = GetInt(s, "tenths", 0, 1000);
      if (!t.ok()) return t.status();
      for (const Indicator& x : card.indicators)
        if (x.code == *code && x.satisfaction)
          return Status::Error("satisfaction_score_typed",
                               "满意度指标的得分来自问卷结果，不能手工填写",
                               "the satisfaction indicator is scored from the survey results, "
                               "not typed",
                               kArt26);
      out.scores.push_back({*code, *t});
    }
    out.card = std::move(card);
    out.scorecard_json = sc;
  }
  return out;
}

}  // namespace

void RegisterEvaluationRoute(HttpService& http, ServerApp& app, SyncService& sync) {
  http.Route(
      "PUT", std::string(kProjectPath) + "/evaluation", Auth::kRequired,
      [&app, &sync](ApiRequest& req) -> Result<ApiReply> {
        const Caller& c = *req.caller;
        SHEFU_RETURN_IF_ERROR(RequireRole(c, {Role::kTownStaff}));
        SHEFU_RETURN_IF_ERROR(RequireStaffSession(c));
        SHEFU_RETURN_IF_ERROR(CheckKeys(req.body,
                                        "score_tenths,passed,survey_done,two_committee_opinion,"
                                        "resident_rep_opinion,result_notice_on,"
                                        "next_year_budget_confirmed,evaluator,opinions,"
                                        "scorecard"));
        auto body = ParseBody(req.body);
        if (!body.ok()) return body.status();
        auto typed_score = OptInt(req.body, "score_tenths", 0, 1000);
        if (!typed_score.ok()) return typed_score.status();
        if (body->card && typed_score->has_value())
          return FieldError("score_tenths", "有评分表时总分由评分表计算，不能另填",
                            "with a scorecard the score is computed, not typed");
        Json value = Json::object();
        for (const char* k : {"passed", "survey_done", "two_committee_opinion",
                              "resident_rep_opinion", "next_year_budget_confirmed"}) {
          auto b = OptBool(req.body, k);
          if (!b.ok()) return b.status();
          value[k] = b->value_or(false);
        }
        const Date today = TodayShanghai(app);
        auto notice = OptDate(req.body, "result_notice_on");
        if (!notice.ok()) return notice.status();
        if (*notice) {
          if (**notice > today)
            return Status::Error("date_in_future", "result_notice_on 不能晚于今天",
                                 "result_notice_on cannot be later than today");
          value["result_notice_on"] = FormatDate(**notice);
        }
        auto policy = PolicyFor(today);
        if (!policy.ok()) return policy.status();
        const GradeThresholds thresholds = GradeThresholdsOf(policy->version.params);
        const std::string id = req.path_params.at(0);
        auto w = sync.WithWriter([&](sync::SyncServer& s) -> Result<Project> {
          auto p = LoadProject(s, id);
          if (!p.ok()) return p.status();
          SHEFU_RETURN_IF_ERROR(RequireProjectInScope(c, *p));
          SHEFU_RETURN_IF_ERROR(
              EvaluableStateIn(*p, {ProjectState::kUnderEvaluation, ProjectState::kRectifying,
                                    ProjectState::kEvaluated, ProjectState::kSettled}));
          Evaluation e = body->e;
          e.provider.org_id = p->provider_org;

          // 第二十六条: the satisfaction survey, from the project's results in shefu.
          SurveyResultsQuery q;
          q.project = id;
          auto res = ComputeSurveyResults(s, q);
          if (!res.ok()) return res.status();
          const bool has_surveys = !res->surveys.empty();
          auto rep = res->by_project.find(id);
          if (has_surveys) {
            const bool done =
                rep != res->by_project.end() && !rep->second.suppressed && rep->second.n > 0;
            value["survey_done"] = done;
            Json sat = SatisfactionReportToJson(
                rep != res->by_project.end() ? rep->second : SatisfactionReport{});
            sat["survey"] = res->surveys.back().survey;
            sat["min_n"] = res->config.min_n;
            value["satisfaction"] = std::move(sat);
            if (done)
              SHEFU_RETURN_IF_ERROR(AttachSatisfactionSurvey(&e, res->surveys.back().survey));
          } else if (JBool(value, "survey_done")) {
            SHEFU_RETURN_IF_ERROR(AttachSatisfactionSurvey(&e, "attested"));
          }

          // 第二十七条: the opinions (recorded ones win over attested booleans).
          if (!body->opinions.empty()) {
            bool two = false, rep_ = false;
            Json ops = Json::array();
            for (const Opinion& o : body->opinions) {
              SHEFU_RETURN_IF_ERROR(AddOpinion(&e, o));
              two = two || o.role == OpinionRole::kTwoCommittees;
              rep_ = rep_ || o.role == OpinionRole::kResidentRep;
              ops.push_back({{"role", o.role == OpinionRole::kTwoCommittees ? "two_committees"
                                                                            : "resident_rep"},
                             {"author", o.author},
                             {"text", o.text}});
            }
            value["two_committee_opinion"] = two;
            value["resident_rep_opinion"] = rep_;
            value["opinions"] = std::move(ops);
          } else {
            if (JBool(value, "two_committee_opinion"))
              SHEFU_RETURN_IF_ERROR(
                  AddOpinion(&e, {OpinionRole::kTwoCommittees, "attested", "attested"}));
            if (JBool(value, "resident_rep_opinion"))
              SHEFU_RETURN_IF_ERROR(
                  AddOpinion(&e, {OpinionRole::kResidentRep, "attested", "attested"}));
          }
          if (body->has_evaluator) {
            Json ev = {{"type", e.evaluator_type == EvaluatorType::kTown ? "town" : "third_party"}};
            if (!e.evaluator.org_id.empty()) ev["org"] = e.evaluator.org_id;
            if (body->evaluator_json.contains("name")) ev["name"] = body->evaluator_json["name"];
            value["evaluator"] = std::move(ev);
            if (e.evaluator_type == EvaluatorType::kThirdParty)
              SHEFU_RETURN_IF_ERROR(CheckThirdPartyIndependence(e.evaluator, e.provider));
          }

          // The score: from the scorecard (satisfaction fed from the survey) or typed.
          std::optional<ScoreResult> score;
          if (body->card) {
            if (rep == res->by_project.end())
              return Status::Error(
                  "satisfaction_survey_missing", "项目还没有满意度问卷结果，无法给满意度指标评分",
                  "the project has no survey results to score satisfaction", kArt26);
            auto sat = SatisfactionIndicatorTenths(rep->second, body->basis);
            if (!sat.ok()) return sat.status();
            std::vector<IndicatorScore> scores = body->scores;
            Json sj = body->scorecard_json;
            for (const Indicator& x : body->card->indicators)
              if (x.satisfaction) {
                scores.push_back({x.code, *sat});
                sj["scores"].push_back({{"code", x.code}, {"tenths", *sat}, {"from_survey", true}});
              }
            auto r = ScoreEvaluation(*body->card, scores, thresholds);
            if (!r.ok()) return r.status();
            score = *r;
            value["scorecard"] = std::move(sj);
          } else if (typed_score->has_value()) {
            score = ScoreResult{**typed_score, GradeFor(**typed_score, thresholds)};
          }
          value["recorded"] = score.has_value();
          if (score) {
            value["score_tenths"] = score->tenths;
            value["grade"] = GradeCode(score->grade);
            SHEFU_RETURN_IF_ERROR(RecordScore(&e, *score));
          }
          // Acceptance through the rule, never by a typed flag alone.
          if (JBool(value, "passed")) SHEFU_RETURN_IF_ERROR(Accept(&e, Grade::kFair));

          value["years_evaluated"] = JInt(p->Group("evaluation"), "years_evaluated");
          auto lw =
              s.LocalWrite(PrincipalOf(c), {{"project", id, "evaluation", value, std::nullopt}});
          if (!lw.ok()) return lw.status();
          return LoadProject(s, id);
        });
        if (!w.ok()) return w.status();
        SHEFU_RETURN_IF_ERROR(AuditStaffWrite(
            app, req, "project.evaluation", "project", id,
            {{"recorded", value.value("recorded", false)}, {"passed", value["passed"]}}));
        ApiReply out;
        out.body = {{"project", ProjectJson(*w, true)},
                    {"warnings", Json::array()},
                    {"policy", PolicyJson(*policy)}};
        return out;
      });
}

}  // namespace shefu::server
