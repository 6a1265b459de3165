// Client: satisfaction surveys on the device (第二十六条; docs/client.md "Surveys",
// docs/voting.md §2.1).
//
// The published template versions (entity "survey") and this community's respondent frame
// ("survey_frame") arrive by sync. An interview is validated against the template version with
// survey_template.h's ValidateResponse, then goes into the survey's anonymous batch (session
// "survey:<id>") as two separate items: the answers (no respondent, no token, no time) and, for
// a frame respondent, the contact (the frame entry's keyed token only). The batch is shuffled
// and sealed with the day when the worker closes the sitting.
//
// Paradata: the device keeps the (start, end) of its recent interviews in a local table
// (survey_paradata) that holds nothing else — no survey, no answer, no respondent — and is
// never synced; paradata.h's FlagInterviews turns them into flags carried on the answer
// ("too_short", "burst") for review. The provisional index is computed with the same shared
// functions as the server's final one, over this device's own answers.
#include <set>

#include "client/client.h"
#include "client/need_form.h"
#include "shared/civil_time.h"
#include "shared/paradata.h"
#include "shared/survey_records.h"

namespace shefu::client {
namespace {

constexpr int64_t kParadataKeepMs = 24LL * 3600 * 1000;

std::string Session(const std::string& survey) {
  return "survey:" + survey;
}

const Json& RecordValue(const StoredRecord& r) {
  static const Json empty = Json::object();
  const StoredGroup* g = r.Find(kRecordGroup);
  return g && g->value.is_object() ? g->value : empty;
}

std::string StrField(const Json& j, const char* k) {
  auto it = j.find(k);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

Result<Json> Client::SurveyFrameEntries(const std::string& survey) {
  auto frames = store_->List("survey_frame", false);
  if (!frames.ok()) return frames.status();
  Json out = Json::array();
  for (const StoredRecord& f : *frames) {
    const Json& v = RecordValue(f);
    if (StrField(v, "survey") != survey || StrField(v, "community") != OwnCommunity()) continue;
    for (const Json& e : v.value("entries", Json::array())) out.push_back(e);
  }
  return out;
}

// This device's own items of `survey` still held locally: open and sealed (kept after upload
// for the retention period).
Result<std::vector<std::pair<std::string, Json>>> Client::SurveyLocalItems(
    const std::string& survey) {
  std::vector<std::pair<std::string, Json>> out;
  auto add = [&](const std::string& entity, const std::string& text) -> Status {
    auto v = ParseJson(text, 64);
    if (!v.ok()) return v.status();
    if (StrField(*v, "survey") == survey) out.emplace_back(entity, std::move(*v));
    return Status::Ok();
  };
  {
    auto st = db_->Cached("SELECT entity, value FROM sync_anon_open WHERE session = ?1");
    st->Bind(1, Session(survey));
    for (;;) {
      auto r = st->Step();
      if (!r.ok()) return r.status();
      if (!*r) break;
      SHEFU_RETURN_IF_ERROR(add(st->Str(0), st->Str(1)));
    }
  }
  auto st = db_->Cached("SELECT items FROM sync_anon_batch");
  for (;;) {
    auto r = st->Step();
    if (!r.ok()) return r.status();
    if (!*r) break;
    auto items = ParseJson(st->Str(0), 64);
    if (!items.ok() || !items->is_array()) continue;
    for (const Json& it : *items)
      if (it.is_object() && it.contains("value") &&
          StrField(it, "entity").rfind("survey_", 0) == 0 &&
          StrField(it["value"], "survey") == survey)
        out.emplace_back(StrField(it, "entity"), it["value"]);
  }
  return out;
}

Result<Json> Client::SurveyProvisional(const std::string& survey, const SurveyTemplate& t,
                                       const std::string& index_question, int64_t min_n) {
  auto items = SurveyLocalItems(survey);
  if (!items.ok()) return items.status();
  auto frame = SurveyFrameEntries(survey);
  if (!frame.ok()) return frame.status();
  Distribution d;
  int64_t interviews = 0;
  std::set<std::string> tokens;
  for (const auto& [entity, v] : *items) {
    if (entity == "survey_contact") {
      tokens.insert(StrField(v, "token"));
      continue;
    }
    SurveyResponse r{StrField(v, "template_id"), v.value("template_version", int64_t{0}),
                     v.value("answers", Json::object())};
    if (!ValidateResponse(t, r).ok()) continue;
    if (!frame->empty() && !v.value("in_frame", false)) continue;
    if (TallyIndexAnswer(r.answers, index_question, &d).ok()) ++interviews;
  }
  SatisfactionConfig cfg;
  cfg.min_n = min_n;
  auto rep = SummariseSurveyCell(d, interviews, static_cast<int64_t>(tokens.size()),
                                 static_cast<int64_t>(frame->size()), cfg);
  if (!rep.ok()) return rep.status();
  Json j = SatisfactionReportToJson(*rep);
  j["provisional"] = true;
  return j;
}

Result<Json> Client::SurveyList() {
  SHEFU_RETURN_IF_ERROR(Usable());
  auto list = store_->List("survey", false);
  if (!list.ok()) return list.status();
  Json out = Json::array();
  for (const StoredRecord& rec : *list) {
    const Json& v = RecordValue(rec);
    auto t = SurveyRecordTemplate(v);
    if (!t.ok()) continue;
    auto frame = SurveyFrameEntries(rec.id);
    if (!frame.ok()) return frame.status();
    auto prov = SurveyProvisional(rec.id, *t, StrField(v, "index_question"), v.value("min_n", 30));
    if (!prov.ok()) return prov.status();
    int64_t open = 0;
    {
      auto st = db_->Cached("SELECT count(*) FROM sync_anon_open WHERE session = ?1");
      st->Bind(1, Session(rec.id));
      auto r = st->Step();
      if (!r.ok()) return r.status();
      if (*r) open = st->Int(0);
    }
    out.push_back(
        {{"id", rec.id},
         {"short_id", ShortId(rec.id)},
         {"project", StrField(v, "project")},
         {"template_id", t->id},
         {"version", t->version},
         {"title", lang_ == Lang::kEn && !t->title.en.empty() ? t->title.en : t->title.zh},
         {"published_on", StrField(v, "published_on")},
         {"frame_size", frame->size()},
         {"open_unsealed", open},
         {"provisional", std::move(*prov)}});
  }
  return out;
}

Result<Json> Client::SurveyGet(const std::string& id_or_short) {
  auto id = ResolveId("survey", id_or_short);
  if (!id.ok()) return id.status();
  auto rec = store_->Read("survey", *id);
  if (!rec.ok()) return rec.status();
  if (!*rec) return Status::Error("not_found", "找不到问卷", "no such survey");
  const Json& v = RecordValue(**rec);
  auto frame = SurveyFrameEntries(*id);
  if (!frame.ok()) return frame.status();
  // The worker sees whom to visit, never the tokens.
  Json entries = Json::array();
  for (const Json& e : *frame)
    entries.push_back({{"entry", StrField(e, "entry")}, {"label", StrField(e, "label")}});
  return Json{{"id", *id},
              {"short_id", ShortId(*id)},
              {"project", StrField(v, "project")},
              {"index_question", StrField(v, "index_question")},
              {"min_n", v.value("min_n", 30)},
              {"published_on", StrField(v, "published_on")},
              {"template", v["template"]},
              {"frame", std::move(entries)}};
}

Result<Json> Client::SurveyTake(const std::string& id_or_short, const Json& answers,
                                const Json& options) {
  SHEFU_RETURN_IF_ERROR(RequireEnrolled());
  if (!answers.is_object())
    return Status::Error("bad_form", "答案必须是 JSON 对象 {\"题号\": 答案}",
                         "answers must be a JSON object {\"question\": answer}");
  if (!options.is_object())
    return Status::Error("bad_form", "选项必须是 JSON 对象", "options must be a JSON object");
  SHEFU_RETURN_IF_ERROR(CheckKeys(options, "entry,non_frame,started_ms,ended_ms,duration_s"));
  auto id = ResolveId("survey", id_or_short);
  if (!id.ok()) return id.status();
  auto rec = store_->Read("survey", *id);
  if (!rec.ok()) return rec.status();
  if (!*rec) return Status::Error("not_found", "找不到问卷", "no such survey");
  const Json& v = RecordValue(**rec);
  auto t = SurveyRecordTemplate(v);
  if (!t.ok()) return t.status();
  // The answers against the version they are made with (survey_template.h).
  SurveyResponse resp{t->id, t->version, answers};
  SHEFU_RETURN_IF_ERROR(ValidateResponse(*t, resp));

  // The respondent: a frame entry (its token goes in a separate contact item) or, only when
  // asked for, someone outside the frame (recorded, not counted in the rate).
  auto frame = SurveyFrameEntries(*id);
  if (!frame.ok()) return frame.status();
  auto entry = OptString(options, "entry", 64);
  if (!entry.ok()) return entry.status();
  auto non_frame = OptBool(options, "non_frame");
  if (!non_frame.ok()) return non_frame.status();
  std::string token;
  if (entry->has_value()) {
    std::vector<const Json*> hits;
    for (const Json& e : *frame) {
      const std::string eid = StrField(e, "entry");
      if (eid == **entry) {
        hits = {&e};
        break;
      }
      if ((*entry)->size() >= 4 && eid.rfind(**entry, 0) == 0) hits.push_back(&e);
    }
    if (hits.size() != 1)
      return Status::Error("unknown_frame_entry", "抽样名单中没有（唯一的）这一户：" + **entry,
                           "no (unique) such entry in the sample frame: " + **entry);
    token = StrField(*hits[0], "token");
  } else if (!frame->empty() && !non_frame->value_or(false)) {
    return Status::Error(
        "frame_entry_required",
        "此问卷有抽样名单：请指明受访户（--entry），或注明名单外受访（--non-frame）",
        "this survey has a sample frame: name the entry (--entry) or mark the "
        "respondent as outside the frame (--non-frame)");
  }

  // The same household already interviewed on this tablet: said at once (the server flags it
  // across tablets). Kept — which answer is right is for review, not for the device.
  Json warnings = Json::array();
  if (!token.empty()) {
    auto mine = SurveyLocalItems(*id);
    if (!mine.ok()) return mine.status();
    for (const auto& [entity, item] : *mine)
      if (entity == "survey_contact" && StrField(item, "token") == token) {
        warnings.push_back("already_interviewed_here");
        break;
      }
  }

  // Paradata: this interview's timing against the device's recent ones.
  const int64_t now = SystemClock::Instance().NowMs();
  auto started = OptInt(options, "started_ms", 0, INT64_MAX / 2);
  auto ended = OptInt(options, "ended_ms", 0, INT64_MAX / 2);
  auto dur = OptInt(options, "duration_s", 0, 24 * 3600);
  if (!started.ok()) return started.status();
  if (!ended.ok()) return ended.status();
  if (!dur.ok()) return dur.status();
  int64_t end_ms = ended->value_or(now);
  int64_t start_ms = started->value_or(dur->has_value() ? end_ms - **dur * 1000 : end_ms);
  if (started->has_value() && dur->has_value() && !ended->has_value())
    end_ms = start_ms + **dur * 1000;
  SHEFU_RETURN_IF_ERROR(
      db_->Exec("CREATE TABLE IF NOT EXISTS survey_paradata(start_ms INTEGER NOT NULL, "
                "end_ms INTEGER NOT NULL)"));
  {
    auto del = db_->Cached("DELETE FROM survey_paradata WHERE start_ms < ?1");
    del->Bind(1, std::min(start_ms, now) - kParadataKeepMs);
    SHEFU_RETURN_IF_ERROR(del->Run());
  }
  std::vector<InterviewTiming> timings;
  {
    auto st = db_->Cached("SELECT start_ms, end_ms FROM survey_paradata");
    for (;;) {
      auto r = st->Step();
      if (!r.ok()) return r.status();
      if (!*r) break;
      timings.push_back({"p" + std::to_string(timings.size()), "self", st->Int(0), st->Int(1)});
    }
  }
  timings.push_back({"this", "self", start_ms, end_ms});
  Json flags = Json::array();
  for (const ParadataFlag& f : FlagInterviews(timings, ParadataConfig{}))
    if (f.interview_id == "this") flags.push_back(f.code);

  Json answer = {{"survey", *id},        {"community", OwnCommunity()},
                 {"template_id", t->id}, {"template_version", t->version},
                 {"answers", answers},   {"in_frame", !token.empty()}};
  if (!flags.empty()) answer["flags"] = flags;
  // The answer and the contact go in together or not at all, as separate items.
  std::vector<std::pair<std::string, Json>> items = {{"survey_answer", std::move(answer)}};
  if (!token.empty())
    items.emplace_back("survey_contact",
                       Json{{"survey", *id}, {"community", OwnCommunity()}, {"token", token}});
  SHEFU_RETURN_IF_ERROR(store_->AnonAddAll(Session(*id), std::move(items)));
  {
    auto ins = db_->Cached("INSERT INTO survey_paradata(start_ms, end_ms) VALUES(?1, ?2)");
    ins->Bind(1, start_ms).Bind(2, end_ms);
    SHEFU_RETURN_IF_ERROR(ins->Run());
  }
  auto prov = SurveyProvisional(*id, *t, StrField(v, "index_question"), v.value("min_n", 30));
  if (!prov.ok()) return prov.status();
  return Json{{"survey", *id},
              {"flags", flags},
              {"warnings", warnings},
              {"in_frame", !token.empty()},
              {"provisional", std::move(*prov)}};
}

Result<int64_t> Client::SurveyClose(const std::string& id_or_short) {
  SHEFU_RETURN_IF_ERROR(RequireEnrolled());
  auto id = ResolveId("survey", id_or_short);
  if (!id.ok()) return id.status();
  int64_t interviews = 0;
  {
    auto st = db_->Cached(
        "SELECT count(*) FROM sync_anon_open WHERE session = ?1 AND entity = 'survey_answer'");
    st->Bind(1, Session(*id));
    auto r = st->Step();
    if (!r.ok()) return r.status();
    if (*r) interviews = st->Int(0);
  }
  auto sealed = store_->AnonClose(Session(*id));
  if (!sealed.ok()) return sealed.status();
  return interviews;
}

Result<Json> Client::SurveyNext(const std::string& id_or_short, const Json& answers,
                                const std::string& after) {
  if (!answers.is_object())
    return Status::Error("bad_form", "答案必须是 JSON 对象", "answers must be a JSON object");
  auto id = ResolveId("survey", id_or_short);
  if (!id.ok()) return id.status();
  auto rec = store_->Read("survey", *id);
  if (!rec.ok()) return rec.status();
  if (!*rec) return Status::Error("not_found", "找不到问卷", "no such survey");
  auto t = SurveyRecordTemplate(RecordValue(**rec));
  if (!t.ok()) return t.status();
  bool past = after.empty();
  for (const Question& q : t->questions) {
    if (!past) {
      past = q.id == after;
      continue;
    }
    if (!IsShown(*t, q, answers)) continue;
    Json all = SurveyTemplateToJson(*t);
    for (const Json& qj : all["questions"])
      if (qj.value("id", "") == q.id) return Json{{"done", false}, {"question", qj}};
  }
  return Json{{"done", true}};
}

}  // namespace shefu::client
