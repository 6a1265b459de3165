#include "shared/survey_records.h"

#include "shared/civil_time.h"

namespace shefu {
namespace {

Status RecordOnly(std::string_view group, const char* zh, const char* en) {
  if (group == kRecordGroup) return Status::Ok();
  return Status::Error("unknown_group", std::string(zh) + "只有 record 字段组",
                       std::string("a ") + en + " has only the 'record' group");
}

bool IsHexToken(const std::string& s) {
  if (s.size() != 32) return false;
  for (char ch : s)
    if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'))) return false;
  return true;
}

Status Token(const Json& v, std::string_view key) {
  auto t = GetString(v, key, 32, 32);
  if (!t.ok()) return t.status();
  if (!IsHexToken(*t)) return FieldError(key, "必须是 32 位十六进制", "must be 32 hex digits");
  return Status::Ok();
}

}  // namespace

Result<SurveyTemplate> SurveyRecordTemplate(const Json& v) {
  if (!v.is_object() || !v.contains("template"))
    return FieldError("template", "缺失", "is missing");
  auto t = SurveyTemplateFromJson(v["template"]);
  if (!t.ok()) return t.status();
  auto q = GetString(v, "index_question", 64, 1);
  if (!q.ok()) return q.status();
  const Question* iq = t->Find(*q);
  if (!iq || iq->type != QuestionType::kSatisfaction5)
    return Status::Error("bad_index_question", "满意度指数题“" + *q + "”必须是问卷中的五级满意度题",
                         "the index question '" + *q + "' must be a satisfaction5 question",
                         kArt26);
  return t;
}

Status ValidateSurveyGroup(const DomainContext& ctx, std::string_view group, const Json& v) {
  SHEFU_RETURN_IF_ERROR(RecordOnly(group, "问卷", "survey"));
  SHEFU_RETURN_IF_ERROR(CheckKeys(v, "project,place,template,index_question,min_n,published_on"));
  auto project = GetString(v, "project", 64, 1);
  if (!project.ok()) return project.status();
  auto place = GetString(v, "place", 32, 1);
  if (!place.ok()) return place.status();
  Place p;
  if (!ctx.ResolvePlace(*place, &p) || p.town.empty())
    return Status::Error("unknown_place", "问卷的所在地代码无效：" + *place,
                         "unknown place code of the survey: " + *place);
  auto min_n = GetInt(v, "min_n", 1, kMaxSurveyMinN);
  if (!min_n.ok()) return min_n.status();
  auto on = GetString(v, "published_on", 10, 10);
  if (!on.ok()) return on.status();
  if (!ParseDate(*on).ok()) return FieldError("published_on", "日期无效", "invalid date");
  auto t = SurveyRecordTemplate(v);
  return t.ok() ? Status::Ok() : t.status();
}

Status ValidateSurveyFrameGroup(const DomainContext& ctx, std::string_view group, const Json& v) {
  SHEFU_RETURN_IF_ERROR(RecordOnly(group, "抽样名单", "survey frame"));
  SHEFU_RETURN_IF_ERROR(CheckKeys(v, "survey,project,community,entries"));
  for (const char* k : {"survey", "project"}) {
    auto s = GetString(v, k, 64, 1);
    if (!s.ok()) return s.status();
  }
  SHEFU_RETURN_IF_ERROR(CheckCommunityField(ctx, v));
  if (!v.contains("entries") || !v["entries"].is_array() || v["entries"].empty() ||
      v["entries"].size() > kMaxFrameEntries)
    return FieldError("entries", "必须是 1–5000 条的数组", "must be an array of 1-5000 entries");
  for (const Json& e : v["entries"]) {
    if (!e.is_object()) return FieldError("entries", "每条必须是对象", "each must be an object");
    SHEFU_RETURN_IF_ERROR(CheckKeys(e, "entry,label,token"));
    auto id = GetString(e, "entry", 64, 1);
    if (!id.ok()) return id.status();
    auto label = GetString(e, "label", 256, 1);
    if (!label.ok()) return label.status();
    SHEFU_RETURN_IF_ERROR(Token(e, "token"));
  }
  return Status::Ok();
}

Status ValidateSurveyAnswerGroup(const DomainContext& ctx, std::string_view group, const Json& v) {
  SHEFU_RETURN_IF_ERROR(RecordOnly(group, "问卷答卷", "survey answer"));
  SHEFU_RETURN_IF_ERROR(
      CheckKeys(v, "survey,community,template_id,template_version,answers,flags,in_frame"));
  for (const char* k : {"survey", "template_id"}) {
    auto s = GetString(v, k, 64, 1);
    if (!s.ok()) return s.status();
  }
  SHEFU_RETURN_IF_ERROR(CheckCommunityField(ctx, v));
  auto ver = GetInt(v, "template_version", 1, 1'000'000);
  if (!ver.ok()) return ver.status();
  if (!v.contains("answers") || !v["answers"].is_object() || v["answers"].size() > kMaxQuestions)
    return FieldError("answers", "必须是 JSON 对象", "must be a JSON object");
  if (v.contains("flags")) {
    if (!v["flags"].is_array() || v["flags"].size() > 3)
      return FieldError("flags", "必须是数组", "must be an array");
    for (const Json& f : v["flags"])
      if (!f.is_string() || (f != "too_short" && f != "burst" && f != "bad_timing"))
        return FieldError("flags", "只能是 too_short、burst、bad_timing",
                          "only too_short, burst, bad_timing");
  }
  auto in = OptBool(v, "in_frame");
  return in.ok() ? Status::Ok() : in.status();
}

Status ValidateSurveyContactGroup(const DomainContext& ctx, std::string_view group, const Json& v) {
  SHEFU_RETURN_IF_ERROR(RecordOnly(group, "受访登记", "survey contact"));
  SHEFU_RETURN_IF_ERROR(CheckKeys(v, "survey,community,token"));
  auto s = GetString(v, "survey", 64, 1);
  if (!s.ok()) return s.status();
  SHEFU_RETURN_IF_ERROR(CheckCommunityField(ctx, v));
  return Token(v, "token");
}

Status TallyIndexAnswer(const Json& answers, std::string_view index_question, Distribution* d) {
  if (!answers.is_object()) return AddAnswer(d, kSkipped);
  auto it = answers.find(std::string(index_question));
  if (it == answers.end() || it->is_null()) return AddAnswer(d, kSkipped);
  if (!it->is_string())
    return Status::Error("bad_satisfaction_answer", "满意度答案必须是文字代码",
                         "a satisfaction answer must be a code");
  return AddAnswer(d, it->get_ref<const std::string&>());
}

Result<SatisfactionReport> SummariseSurveyCell(const Distribution& d, int64_t interviews,
                                               int64_t contacted, int64_t frame_size,
                                               const SatisfactionConfig& cfg) {
  auto r = SummariseSatisfaction(d, interviews, 0, cfg);
  if (!r.ok()) return r.status();
  if (frame_size > 0) {
    auto rr = SummariseSatisfaction(Distribution{}, contacted, frame_size, cfg);
    if (!rr.ok()) return rr.status();
    r->frame_size = rr->frame_size;
    r->response_rate = rr->response_rate;
    r->response_rate_permille = rr->response_rate_permille;
  }
  return r;
}

Json SatisfactionReportToJson(const SatisfactionReport& r) {
  Json dist = Json::object();
  for (size_t i = 0; i < kSatisfactionLevels; ++i)
    dist[SatisfactionCode(static_cast<Satisfaction>(i))] = r.distribution.counts[i];
  dist[std::string(kDontKnow)] = r.distribution.dont_know;
  dist[std::string(kSkipped)] = r.distribution.skipped;
  Json j = {{"n", r.n},
            {"respondents", r.respondents},
            {"frame_size", r.frame_size},
            {"distribution", std::move(dist)},
            {"suppressed", r.suppressed}};
  if (r.response_rate) {
    j["response_rate_permille"] = r.response_rate_permille;
    j["response_rate"] = FormatPermilleAsPercent(r.response_rate_permille);
  }
  if (r.rate) {
    j["rate_permille"] = r.rate_permille;
    j["rate"] = FormatPermilleAsPercent(r.rate_permille);
    j["rate_exact"] = FormatRatio(*r.rate);
  }
  if (r.rate_interval) {
    j["interval"] = {{"low_permille", r.rate_interval->low_permille},
                     {"high_permille", r.rate_interval->high_permille},
                     {"text", "[" + FormatPermilleAsPercent(r.rate_interval->low_permille) + ", " +
                                  FormatPermilleAsPercent(r.rate_interval->high_permille) + "]"}};
  }
  if (r.index) {
    j["index_tenths"] = r.index_tenths;
    j["index"] = FormatTenths(r.index_tenths);
  }
  return j;
}

}  // namespace shefu
