// The survey module's synced records (shared/survey_records.h): how each one is declared in the
// entity table, what an anonymous answer may carry (and what it may not), the index tally and
// the survey cell's report with a frame and a respondent interviewed twice.
#include <catch2/catch.hpp>

#include "shared/survey_records.h"
#include "tests/support/fake_places.h"

using namespace shefu;

namespace {

const char* kRecordsTemplate = R"({"format": "shefu-survey/1", "id": "sat", "version": 1,
  "title": {"zh": "满意度", "en": "satisfaction"}, "anonymous": true,
  "questions": [
    {"id": "q1", "type": "satisfaction5", "text": {"zh": "总体满意吗？"}, "required": true},
    {"id": "q2", "type": "text", "text": {"zh": "建议"}, "max_length": 100}]})";

Json Answer() {
  return {{"survey", "s-1"},
          {"community", "C1"},
          {"template_id", "sat"},
          {"template_version", 1},
          {"answers", {{"q1", "satisfied"}}},
          {"in_frame", true}};
}

}  // namespace

TEST_CASE("Survey records: declared in the entity table with their merge kind and stream") {
  const EntityTypeSpec* s = FindEntityType("survey");
  REQUIRE(s);
  CHECK(s->kind == MergeKind::kAppendOnly);  // a published version never changes
  CHECK(s->stream == Stream::kAttributed);
  REQUIRE(s->FindGroup(kRecordGroup));
  CHECK(s->FindGroup(kRecordGroup)->server_only);
  CHECK(s->device_writers.empty());
  const EntityTypeSpec* f = FindEntityType("survey_frame");
  REQUIRE(f);
  CHECK(f->kind == MergeKind::kAppendOnly);
  CHECK(f->FindGroup(kRecordGroup)->server_only);
  CHECK(f->scope_field == "community");  // each community's devices get their own sample
  for (const char* anon : {"survey_answer", "survey_contact"}) {
    const EntityTypeSpec* a = FindEntityType(anon);
    REQUIRE(a);
    CHECK(a->kind == MergeKind::kAppendOnly);
    CHECK(a->stream == Stream::kAnonymous);
    CHECK(a->deletes == DeleteRule::kNotDeletable);
    CHECK(a->AllowsWriter(Role::kCommunityWorker));
  }
}

TEST_CASE("Anonymity: an answer record has no field that could identify a respondent") {
  test::FakePlaces ctx;
  const EntityTypeSpec& t = *FindEntityType("survey_answer");
  CHECK(ValidateGroupWrite(ctx, t, kRecordGroup, Answer()).ok());
  // Anything that would link an answer to a person, a device or a moment is refused.
  for (const char* k : {"token", "entry", "respondent", "resident", "device", "client_id", "time",
                        "created_at", "seq", "voter", "name", "phone", "id_number", "address"}) {
    Json a = Answer();
    a[k] = "x";
    Status st = ValidateGroupWrite(ctx, t, kRecordGroup, a);
    INFO(k);
    CHECK_FALSE(st.ok());
  }
  Json bad = Answer();
  bad["flags"] = {"too_short", "gps_far"};
  CHECK_FALSE(ValidateGroupWrite(ctx, t, kRecordGroup, bad).ok());
  bad = Answer();
  bad["community"] = "nowhere";
  CHECK(ValidateGroupWrite(ctx, t, kRecordGroup, bad).code() == "unknown_community");

  // A contact carries the token and nothing of the answers.
  const EntityTypeSpec& c = *FindEntityType("survey_contact");
  Json contact = {{"survey", "s-1"}, {"community", "C1"}, {"token", std::string(32, 'a')}};
  CHECK(ValidateGroupWrite(ctx, c, kRecordGroup, contact).ok());
  contact["answers"] = Json::object();
  CHECK_FALSE(ValidateGroupWrite(ctx, c, kRecordGroup, contact).ok());
  contact.erase("answers");
  contact["token"] = "short";
  CHECK_FALSE(ValidateGroupWrite(ctx, c, kRecordGroup, contact).ok());
}

TEST_CASE("Survey record: the template is checked and the index question must be satisfaction5") {
  test::FakePlaces ctx;
  const EntityTypeSpec& t = *FindEntityType("survey");
  Json v = {{"project", "p-1"},       {"place", "T1"}, {"template", *ParseJson(kRecordsTemplate)},
            {"index_question", "q1"}, {"min_n", 30},   {"published_on", "2026-03-01"}};
  CHECK(ValidateGroupWrite(ctx, t, kRecordGroup, v).ok());
  auto tmpl = SurveyRecordTemplate(v);
  REQUIRE(tmpl.ok());
  CHECK(tmpl->version == 1);
  v["index_question"] = "q2";
  CHECK(ValidateGroupWrite(ctx, t, kRecordGroup, v).code() == "bad_index_question");
  v["index_question"] = "q1";
  v["template"]["questions"][0]["type"] = "bogus";
  CHECK_FALSE(ValidateGroupWrite(ctx, t, kRecordGroup, v).ok());
}

TEST_CASE("Index tally: a level, 不清楚 and a skipped question are counted apart") {
  Distribution d;
  REQUIRE(TallyIndexAnswer({{"q1", "very_satisfied"}}, "q1", &d).ok());
  REQUIRE(TallyIndexAnswer({{"q1", "dont_know"}}, "q1", &d).ok());
  REQUIRE(TallyIndexAnswer({{"q2", "x"}}, "q1", &d).ok());
  REQUIRE(TallyIndexAnswer({{"q1", nullptr}}, "q1", &d).ok());
  CHECK(d.counts[0] == 1);
  CHECK(d.dont_know == 1);
  CHECK(d.skipped == 2);
  CHECK(d.valid() == 1);
  CHECK_FALSE(TallyIndexAnswer({{"q1", "happy"}}, "q1", &d).ok());
  CHECK_FALSE(TallyIndexAnswer({{"q1", 3}}, "q1", &d).ok());
}

TEST_CASE("Survey cell: 41 answers from 40 frame entries, one interviewed twice") {
  // 40 households drawn, all 40 reached, one of them twice: 41 answers that cannot be told
  // apart, response rate 40/40.
  Distribution d;
  d.counts = {16, 15, 6, 3, 1};
  auto r = SummariseSurveyCell(d, 41, 40, 40, SatisfactionConfig{});
  REQUIRE(r.ok());
  CHECK(r->n == 41);
  CHECK(r->respondents == 41);
  CHECK(r->frame_size == 40);
  CHECK(r->response_rate_permille == 1000);
  CHECK(r->rate_permille == 756);  // 31/41 = 75.6 %
  REQUIRE(r->index);
  CHECK(r->index_tenths == 793);  // (1600 + 1200 + 360 + 90 + 0) / 41 = 79.27 -> 79.3
  Json j = SatisfactionReportToJson(*r);
  CHECK(j["rate"] == "75.6%");
  CHECK(j["response_rate"] == "100.0%");
  CHECK(j["distribution"]["very_satisfied"] == 16);
  // Below min_n: distribution and response rate shown, rates suppressed.
  SatisfactionConfig strict;
  strict.min_n = 50;
  auto s = SummariseSurveyCell(d, 41, 40, 40, strict);
  REQUIRE(s.ok());
  CHECK(s->suppressed);
  CHECK_FALSE(s->rate);
  Json sj = SatisfactionReportToJson(*s);
  CHECK_FALSE(sj.contains("rate"));
  CHECK(sj["response_rate"] == "100.0%");
}
