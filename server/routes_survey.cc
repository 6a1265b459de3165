// Satisfaction surveys (第二十六、二十七条; docs/api.md "Surveys", docs/voting.md §2.1):
//   POST|GET /v1/projects/{id}/surveys   publish a template version / list the versions
//   GET  /v1/surveys/{sid}               one published version
//   POST /v1/surveys/{sid}/frame         draw the respondent sample (once per survey)
//   GET  /v1/satisfaction                the index per project, community and overall
//   GET  /v1/satisfaction/report.csv|.html  the printable reports (report_render.h)
// Templates and frames are server-only append-only records of the sync engine, so devices
// download them and a published version can never change. The answers come from devices
// through the anonymous stream; results are computed by surveys.h from the shared rules.
#include <algorithm>
#include <set>

#include "server/projects.h"
#include "server/report_render.h"
#include "server/routes.h"
#include "server/staff_access.h"
#include "server/staff_writes.h"
#include "server/surveys.h"
#include "server/sync_service.h"
#include "shared/survey_records.h"

namespace shefu::server {
namespace {

const std::string kSurvey = R"(/v1/surveys/([0-9A-Za-z._:-]{1,64}))";

Status Readers(const Caller& c) {
  SHEFU_RETURN_IF_ERROR(RequireRole(c, {Role::kCityAdmin, Role::kDistrictAdmin, Role::kTownStaff,
                                        Role::kCommunityWorker, Role::kEvaluator}));
  return RequireStaffSession(c);
}

// A survey is attached to a contracted project: from signing until the result is published.
Status SurveyableState(const Project& p) {
  switch (p.state) {
    case ProjectState::kContracted:
    case ProjectState::kInService:
    case ProjectState::kUnderEvaluation:
    case ProjectState::kRectifying:
      return Status::Ok();
    default:
      return Status::Error(
          "not_editable", "项目处于“" + StateName(p.state).zh + "”状态，不能发布满意度问卷",
          "cannot publish a survey while the project is " + StateName(p.state).en, kArt26);
  }
}

Result<SurveyResultsQuery> ResultsQuery(const ApiRequest& req) {
  SurveyResultsQuery q;
  q.project = QueryParam(req, "project");
  q.town = QueryParam(req, "town");
  q.scope = req.caller->user.scope;
  std::string m = QueryParam(req, "min_n");
  if (!m.empty()) {
    int64_t v = 0;
    for (char ch : m) {
      if (ch < '0' || ch > '9' || v > kMaxSurveyMinN)
        return FieldError("min_n", "必须是正整数", "must be a positive integer");
      v = v * 10 + (ch - '0');
    }
    if (v < 1 || v > kMaxSurveyMinN)
      return FieldError("min_n", "必须是 1–100000", "must be 1-100000");
    q.min_n = v;
  }
  return q;
}

// Evaluators read the survey results of the projects in their scope (issue 7) though they do
// not read the project itself; the other readers see what they see of projects.
bool ReaderSees(const Caller& c, const Project& p) {
  if (c.user.role == Role::kEvaluator) return ScopeVisible(c.user.scope, p.view.place);
  return ProjectVisibleTo(c, p);
}

Result<SurveyResults> Results(SyncService& sync, const ApiRequest& req) {
  auto q = ResultsQuery(req);
  if (!q.ok()) return q.status();
  auto r = sync.Reader();
  if (!r.ok()) return r.status();
  if (!q->project.empty()) {
    auto p = LoadProject(**r, q->project);
    if (!p.ok()) return p.status();
    if (!ReaderSees(*req.caller, *p))
      return Status::Error("not_found", "项目不存在", "no such project");
  }
  return ComputeSurveyResults(**r, *q);
}

}  // namespace

void RegisterSurveyRoutes(HttpService& http, ServerApp& app, SyncService& sync) {
  http.Route(
      "POST", std::string(kProjectPath) + "/surveys", Auth::kRequired,
      [&app, &sync](ApiRequest& req) -> Result<ApiReply> {
        const Caller& c = *req.caller;
        SHEFU_RETURN_IF_ERROR(RequireTownSession(c));
        SHEFU_RETURN_IF_ERROR(CheckKeys(req.body, "template,index_question,min_n"));
        if (!req.body.contains("template")) return FieldError("template", "缺失", "is missing");
        auto t = SurveyTemplateFromJson(req.body["template"]);
        if (!t.ok()) return t.status();
        auto iq = OptString(req.body, "index_question", 64);
        if (!iq.ok()) return iq.status();
        std::string index_question = iq->value_or("");
        if (index_question.empty())
          for (const Question& q : t->questions)
            if (q.type == QuestionType::kSatisfaction5) {
              index_question = q.id;
              break;
            }
        if (index_question.empty())
          return Status::Error("bad_index_question", "问卷必须有一道五级满意度题（第二十六条）",
                               "a survey needs a satisfaction5 question", kArt26);
        auto min_n = OptInt(req.body, "min_n", 1, kMaxSurveyMinN);
        if (!min_n.ok()) return min_n.status();
        const std::string id = req.path_params.at(0);
        const Date today = TodayShanghai(app);
        auto w = sync.WithWriter([&](sync::SyncServer& s) -> Result<SurveyInfo> {
          auto p = LoadProject(s, id);
          if (!p.ok()) return p.status();
          SHEFU_RETURN_IF_ERROR(RequireProjectInScope(c, *p));
          SHEFU_RETURN_IF_ERROR(SurveyableState(*p));
          // Immutable once published: a change is the next version, never a rewrite.
          auto earlier = LoadSurveys(s, id);
          if (!earlier.ok()) return earlier.status();
          int64_t latest = 0;
          for (const auto& e : *earlier)
            if (e.tmpl.id == t->id) latest = std::max(latest, e.tmpl.version);
          if (t->version != latest + 1)
            return Status::Error(
                "template_version_conflict",
                "问卷“" + t->id + "”已发布到第 " + std::to_string(latest) +
                    " 版；已发布的版本不能修改，修改请发布第 " + std::to_string(latest + 1) + " 版",
                "template '" + t->id + "' is published up to version " + std::to_string(latest) +
                    "; published versions are immutable, publish version " +
                    std::to_string(latest + 1));
          const std::string place =
              p->view.place.community.empty() ? p->view.place.town : p->view.place.community;
          Json value = {{"project", id},
                        {"place", place},
                        {"template", SurveyTemplateToJson(*t)},
                        {"index_question", index_question},
                        {"min_n", min_n->value_or(SatisfactionConfig{}.min_n)},
                        {"published_on", FormatDate(today)}};
          auto rid = s.CreateRecord(PrincipalOf(c), "survey", {{std::string(kRecordGroup), value}});
          if (!rid.ok()) return rid.status();
          return LoadSurvey(s, *rid);
        });
        if (!w.ok()) return w.status();
        SHEFU_RETURN_IF_ERROR(
            AuditStaffWrite(app, req, "survey.publish", "survey", w->id,
                            {{"project", id}, {"template_id", t->id}, {"version", t->version}}));
        ApiReply out;
        out.status = 201;
        out.body = {{"survey", SurveyInfoJson(*w)}};
        return out;
      });

  http.Route("GET", std::string(kProjectPath) + "/surveys", Auth::kRequired,
             [&sync](ApiRequest& req) -> Result<ApiReply> {
               SHEFU_RETURN_IF_ERROR(Readers(*req.caller));
               const std::string id = req.path_params.at(0);
               auto r = sync.Reader();
               if (!r.ok()) return r.status();
               auto p = LoadProject(**r, id);
               if (!p.ok()) return p.status();
               if (!ReaderSees(*req.caller, *p))
                 return Status::Error("not_found", "项目不存在", "no such project");
               auto list = LoadSurveys(**r, id);
               if (!list.ok()) return list.status();
               ApiReply out;
               out.body = {{"surveys", Json::array()}};
               for (const auto& s : *list) out.body["surveys"].push_back(SurveyInfoJson(s));
               return out;
             });

  http.Route("GET", kSurvey, Auth::kRequired, [&sync](ApiRequest& req) -> Result<ApiReply> {
    SHEFU_RETURN_IF_ERROR(Readers(*req.caller));
    auto r = sync.Reader();
    if (!r.ok()) return r.status();
    auto s = LoadSurvey(**r, req.path_params.at(0));
    if (!s.ok()) return s.status();
    if (!ScopeVisible(req.caller->user.scope, s->place))
      return Status::Error("not_found", "问卷不存在", "no such survey");
    ApiReply out;
    out.body = {{"survey", SurveyInfoJson(*s)}};
    return out;
  });

  // The respondent frame (docs/voting.md §2.1): the town gives the service recipients, the
  // server draws the sample with the system CSPRNG so workers cannot pick whom to ask.
  // A recipient's `ref` (e.g. a household number) is never stored: only its keyed token.
  http.Route("POST", kSurvey + "/frame", Auth::kRequired,
             [&app, &sync](ApiRequest& req) -> Result<ApiReply> {
               const Caller& c = *req.caller;
               SHEFU_RETURN_IF_ERROR(RequireTownSession(c));
               SHEFU_RETURN_IF_ERROR(CheckKeys(req.body, "recipients,sample_size"));
               const Json& list = req.body.value("recipients", Json());
               if (!list.is_array() || list.empty() || list.size() > 100000)
                 return FieldError("recipients", "必须是 1–100000 人的数组",
                                   "must be an array of 1-100000 recipients");
               auto size =
                   GetInt(req.body, "sample_size", 1, static_cast<int64_t>(kMaxFrameEntries));
               if (!size.ok()) return size.status();
               struct Recipient {
                 std::string ref, community, label;
               };
               std::vector<Recipient> recipients;
               std::set<std::string> refs;
               for (const Json& r : list) {
                 if (!r.is_object())
                   return FieldError("recipients", "每项必须是对象", "each must be an object");
                 SHEFU_RETURN_IF_ERROR(CheckKeys(r, "ref,community,label"));
                 auto ref = GetString(r, "ref", 128, 1);
                 if (!ref.ok()) return ref.status();
                 auto com = GetString(r, "community", 32, 1);
                 if (!com.ok()) return com.status();
                 auto label = GetString(r, "label", 256, 1);
                 if (!label.ok()) return label.status();
                 if (!refs.insert(*ref).second)
                   return FieldError("recipients", "服务对象重复：" + *ref,
                                     "duplicate recipient: " + *ref);
                 recipients.push_back({*ref, *com, *label});
               }
               const std::string sid = req.path_params.at(0);
               auto w = sync.WithWriter([&](sync::SyncServer& s) -> Result<Json> {
                 auto sv = LoadSurvey(s, sid);
                 if (!sv.ok()) return sv.status();
                 auto p = LoadProject(s, sv->project);
                 if (!p.ok()) return p.status();
                 SHEFU_RETURN_IF_ERROR(RequireProjectInScope(c, *p));
                 auto frames = LoadFrames(s, sid);
                 if (!frames.ok()) return frames.status();
                 if (!frames->empty())
                   return Status::Error("frame_exists", "此问卷的抽样名单已经抽取，不能重抽",
                                        "this survey's sample has been drawn already");
                 // Every recipient lives where the project serves.
                 for (const auto& r : recipients) {
                   const Community* com = app.places().FindCommunity(r.community);
                   const Place& pp = p->view.place;
                   if (!com || com->town != pp.town ||
                       (!pp.community.empty() && r.community != pp.community))
                     return Status::Error(
                         "unknown_community", "服务对象的社区不在项目服务范围内：" + r.community,
                         "a recipient's community is outside the project: " + r.community);
                 }
                 // Partial Fisher-Yates with the CSPRNG: the first `size` are the sample.
                 const size_t k = std::min(recipients.size(), static_cast<size_t>(*size));
                 for (size_t i = 0; i < k; ++i) {
                   size_t j = i + static_cast<size_t>(app.rng().Uniform(recipients.size() - i));
                   std::swap(recipients[i], recipients[j]);
                 }
                 std::map<std::string, Json> by_community;
                 for (size_t i = 0; i < k; ++i) {
                   const Recipient& r = recipients[i];
                   by_community[r.community].push_back(
                       {{"entry", app.rng().Hex(8)},
                        {"label", r.label},
                        {"token", RespondentToken(app.keys(), sid, r.ref)}});
                 }
                 Json counts = Json::object();
                 for (auto& [community, entries] : by_community) {
                   counts[community] = entries.size();
                   Json value = {{"survey", sid},
                                 {"project", sv->project},
                                 {"community", community},
                                 {"entries", std::move(entries)}};
                   auto rid = s.CreateRecord(PrincipalOf(c), "survey_frame",
                                             {{std::string(kRecordGroup), std::move(value)}});
                   if (!rid.ok()) return rid.status();
                 }
                 return Json{{"survey", sid},
                             {"recipients", recipients.size()},
                             {"sample_size", k},
                             {"by_community", counts}};
               });
               if (!w.ok()) return w.status();
               SHEFU_RETURN_IF_ERROR(AuditStaffWrite(app, req, "survey.frame", "survey", sid,
                                                     {{"sample_size", (*w)["sample_size"]}}));
               ApiReply out;
               out.status = 201;
               out.body = {{"frame", *w}};
               return out;
             });

  http.Route("GET", "/v1/satisfaction", Auth::kRequired,
             [&sync](ApiRequest& req) -> Result<ApiReply> {
               SHEFU_RETURN_IF_ERROR(Readers(*req.caller));
               auto res = Results(sync, req);
               if (!res.ok()) return res.status();
               ApiReply out;
               out.body = SurveyResultsJson(*res);
               return out;
             });

  for (const char* kind : {"csv", "html"}) {
    const bool csv = std::string(kind) == "csv";
    http.Route("GET", std::string("/v1/satisfaction/report\\.") + kind, Auth::kRequired,
               [&app, &sync, csv](ApiRequest& req) -> Result<ApiReply> {
                 SHEFU_RETURN_IF_ERROR(Readers(*req.caller));
                 auto q = ResultsQuery(req);
                 if (!q.ok()) return q.status();
                 auto res = Results(sync, req);
                 if (!res.ok()) return res.status();
                 auto r = sync.Reader();
                 if (!r.ok()) return r.status();
                 auto names =
                     LoadReportNames(**r, app.places(), *q, *res, FormatDate(TodayShanghai(app)));
                 if (!names.ok()) return names.status();
                 ApiReply out;
                 out.raw = csv ? SatisfactionCsv(*res, *names) : SatisfactionHtml(*res, *names);
                 out.content_type = csv ? "text/csv; charset=utf-8" : "text/html; charset=utf-8";
                 if (csv)
                   out.headers["Content-Disposition"] = "attachment; filename=\"satisfaction.csv\"";
                 return out;
               });
  }
}

}  // namespace shefu::server
