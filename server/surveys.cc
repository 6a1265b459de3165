#include "server/surveys.h"

#include <set>

#include "server/projects.h"
#include "shared/crypto.h"
#include "shared/survey_records.h"

namespace shefu::server {
namespace {

const Json& Record(const sync::RecordView& v) {
  static const Json empty = Json::object();
  const sync::GroupView* g = v.Find(kRecordGroup);
  return g && g->value.is_object() ? g->value : empty;
}

Result<SurveyInfo> InfoOf(const sync::RecordView& v) {
  SurveyInfo s;
  s.id = v.id;
  s.place = v.place;
  s.value = Record(v);
  auto t = SurveyRecordTemplate(s.value);
  if (!t.ok())
    return Status::Error("bad_record", "问卷记录无法读取：" + t.status().zh(),
                         "unreadable survey record: " + t.status().en());
  s.tmpl = std::move(*t);
  s.project = JStr(s.value, "project");
  s.index_question = JStr(s.value, "index_question");
  s.min_n = JInt(s.value, "min_n", 30);
  s.published_on = JStr(s.value, "published_on");
  return s;
}

// Counts of one (project, community) cell before they are summarised.
struct Cell {
  Distribution d;
  int64_t interviews = 0;  // counted answers
  int64_t frame_size = 0;
  int64_t contacted = 0;
  void Add(const Cell& o) {
    d += o.d;
    interviews += o.interviews;
    frame_size += o.frame_size;
    contacted += o.contacted;
  }
};

}  // namespace

Result<SurveyInfo> LoadSurvey(sync::SyncServer& s, std::string_view id) {
  auto v = s.ReadRecord("survey", id);
  if (!v.ok()) return v.status();
  if (!*v) return Status::Error("not_found", "问卷不存在", "no such survey");
  return InfoOf(**v);
}

Result<std::vector<SurveyInfo>> LoadSurveys(sync::SyncServer& s, std::string_view project) {
  sync::SyncServer::RecordQuery q;
  q.entity = "survey";
  auto all = ListAll(s, q);
  if (!all.ok()) return all.status();
  std::vector<SurveyInfo> out;
  for (const auto& v : *all) {
    if (!project.empty() && JStr(Record(v), "project") != project) continue;
    auto info = InfoOf(v);
    if (!info.ok()) return info.status();
    out.push_back(std::move(*info));
  }
  return out;  // ids are UUIDv7: creation order
}

Result<std::vector<sync::RecordView>> LoadFrames(sync::SyncServer& s, std::string_view survey) {
  sync::SyncServer::RecordQuery q;
  q.entity = "survey_frame";
  auto all = ListAll(s, q);
  if (!all.ok()) return all.status();
  std::vector<sync::RecordView> out;
  for (auto& v : *all)
    if (JStr(Record(v), "survey") == survey) out.push_back(std::move(v));
  return out;
}

std::string RespondentToken(const ServerKeys& keys, std::string_view survey, std::string_view ref) {
  std::string msg = "shefu-survey-respondent/1";
  msg.push_back('\0');
  msg.append(survey);
  msg.push_back('\0');
  msg.append(ref);
  return crypto::ToHex(crypto::HmacSha256(keys.id_hmac_key, msg)).substr(0, 32);
}

Result<SurveyResults> ComputeSurveyResults(sync::SyncServer& s, const SurveyResultsQuery& q) {
  auto surveys = LoadSurveys(s, q.project);
  if (!surveys.ok()) return surveys.status();
  SurveyResults out;
  std::map<std::pair<std::string, std::string>, Cell> cells;
  int64_t last_min_n = 0;
  for (const SurveyInfo& sv : *surveys) {
    if (!q.town.empty() && sv.place.town != q.town) continue;
    if (q.scope && !ScopeVisible(*q.scope, sv.place)) continue;
    last_min_n = sv.min_n;
    SurveyReview rv;
    rv.survey = sv.id;
    rv.project = sv.project;
    rv.template_id = sv.tmpl.id;
    rv.version = sv.tmpl.version;

    // The frame: token -> (community, label).
    auto frames = LoadFrames(s, sv.id);
    if (!frames.ok()) return frames.status();
    std::map<std::string, std::pair<std::string, std::string>> frame;
    for (const auto& f : *frames) {
      const Json& v = Record(f);
      const std::string community = JStr(v, "community");
      for (const Json& e : v.value("entries", Json::array())) {
        frame[JStr(e, "token")] = {community, JStr(e, "label")};
        ++cells[{sv.project, community}].frame_size;
        ++rv.frame_size;
      }
    }
    const bool has_frame = !frame.empty();

    auto contacts = s.AnonymousItems("survey_contact", "survey", sv.id);
    if (!contacts.ok()) return contacts.status();
    std::map<std::string, int64_t> times;
    for (const Json& c : *contacts) ++times[JStr(c, "token")];
    for (const auto& [token, n] : times) {
      auto it = frame.find(token);
      if (it == frame.end()) {
        rv.unknown_tokens += n;
        continue;
      }
      ++rv.contacted;
      ++cells[{sv.project, it->second.first}].contacted;
      if (n > 1) {
        rv.duplicates.push_back({it->second.first, it->second.second, n});
        rv.excess += n - 1;
      }
    }

    auto answers = s.AnonymousItems("survey_answer", "survey", sv.id);
    if (!answers.ok()) return answers.status();
    for (const Json& a : *answers) {
      ++rv.answers;
      for (const Json& f : a.value("flags", Json::array()))
        if (f.is_string()) ++rv.flags[f.get<std::string>()];
      SurveyResponse r;
      r.template_id = JStr(a, "template_id");
      r.template_version = JInt(a, "template_version");
      r.answers = a.value("answers", Json::object());
      Cell probe;
      if (!ValidateResponse(sv.tmpl, r).ok() ||
          !TallyIndexAnswer(r.answers, sv.index_question, &probe.d).ok()) {
        ++rv.invalid;
        continue;
      }
      if (has_frame && !a.value("in_frame", false)) {
        ++rv.non_frame;
        continue;
      }
      Cell& c = cells[{sv.project, JStr(a, "community")}];
      c.d += probe.d;
      ++c.interviews;
    }
    out.surveys.push_back(std::move(rv));
  }

  out.config.min_n = q.min_n.value_or(last_min_n > 0 ? last_min_n : 30);
  SHEFU_RETURN_IF_ERROR(ValidateSatisfactionConfig(out.config));
  std::map<std::string, Cell> projects, communities;
  Cell all;
  for (const auto& [key, c] : cells) {
    projects[key.first].Add(c);
    communities[key.second].Add(c);
    all.Add(c);
    auto r = SummariseSurveyCell(c.d, c.interviews, c.contacted, c.frame_size, out.config);
    if (!r.ok()) return r.status();
    out.cells[key] = std::move(*r);
  }
  for (const auto& [k, c] : projects) {
    auto r = SummariseSurveyCell(c.d, c.interviews, c.contacted, c.frame_size, out.config);
    if (!r.ok()) return r.status();
    out.by_project[k] = std::move(*r);
  }
  for (const auto& [k, c] : communities) {
    auto r = SummariseSurveyCell(c.d, c.interviews, c.contacted, c.frame_size, out.config);
    if (!r.ok()) return r.status();
    out.by_community[k] = std::move(*r);
  }
  auto r = SummariseSurveyCell(all.d, all.interviews, all.contacted, all.frame_size, out.config);
  if (!r.ok()) return r.status();
  out.overall = std::move(*r);
  return out;
}

Json SurveyResultsJson(const SurveyResults& r) {
  Json j = {{"min_n", r.config.min_n}, {"overall", SatisfactionReportToJson(r.overall)}};
  j["by_project"] = Json::object();
  for (const auto& [k, v] : r.by_project) j["by_project"][k] = SatisfactionReportToJson(v);
  j["by_community"] = Json::object();
  for (const auto& [k, v] : r.by_community) j["by_community"][k] = SatisfactionReportToJson(v);
  j["cells"] = Json::array();
  for (const auto& [k, v] : r.cells) {
    Json c = SatisfactionReportToJson(v);
    c["project"] = k.first;
    c["community"] = k.second;
    j["cells"].push_back(std::move(c));
  }
  j["surveys"] = Json::array();
  for (const auto& s : r.surveys) {
    Json d = Json::array();
    for (const auto& x : s.duplicates)
      d.push_back({{"community", x.community}, {"label", x.label}, {"times", x.times}});
    Json flags = Json::object();
    for (const auto& [k, v] : s.flags) flags[k] = v;
    j["surveys"].push_back({{"survey", s.survey},
                            {"project", s.project},
                            {"template_id", s.template_id},
                            {"version", s.version},
                            {"answers", s.answers},
                            {"invalid", s.invalid},
                            {"non_frame", s.non_frame},
                            {"frame_size", s.frame_size},
                            {"contacted", s.contacted},
                            {"unknown_tokens", s.unknown_tokens},
                            {"duplicates", std::move(d)},
                            {"excess", s.excess},
                            {"paradata_flags", std::move(flags)}});
  }
  return j;
}

Json SurveyInfoJson(const SurveyInfo& s) {
  return {{"id", s.id},
          {"project", s.project},
          {"template_id", s.tmpl.id},
          {"version", s.tmpl.version},
          {"title", {{"zh", s.tmpl.title.zh}, {"en", s.tmpl.title.en}}},
          {"index_question", s.index_question},
          {"min_n", s.min_n},
          {"published_on", s.published_on},
          {"template", SurveyTemplateToJson(s.tmpl)}};
}

}  // namespace shefu::server
