// Survey templates: JSON round trip, full validation, skip logic, response validation against
// the template version, and paradata flags.
#include <catch2/catch.hpp>

#include "shared/paradata.h"
#include "shared/survey_template.h"

using namespace shefu;

namespace {

const char* kSurveyTemplate = R"({
  "format": "shefu-survey/1", "id": "sat-elders", "version": 3,
  "title": {"zh": "长者饭堂服务满意度调查", "en": "Elders' canteen satisfaction"},
  "anonymous": true,
  "questions": [
    {"id": "q1", "type": "satisfaction5", "text": {"zh": "您对饭菜质量是否满意？", "en": "Food quality?"},
     "required": true},
    {"id": "q2", "type": "text", "text": {"zh": "请说明不满意的原因", "en": "Why not satisfied?"},
     "max_length": 10, "required": true,
     "show_if": {"question": "q1", "any_of": ["dissatisfied", "very_dissatisfied"]}},
    {"id": "q3", "type": "yes_no", "text": {"zh": "是否每周用餐？", "en": "Eat there weekly?"},
     "required": true},
    {"id": "q4", "type": "number", "text": {"zh": "每周用餐次数", "en": "Meals per week"},
     "min": 1, "max": 14, "required": true, "show_if": {"question": "q3", "any_of": ["yes"]}},
    {"id": "q5", "type": "multiple_choice", "text": {"zh": "希望增加的服务", "en": "Wanted services"},
     "max_choices": 2, "show_if": {"question": "q4", "min": 5, "max": 14},
     "options": [{"code": "delivery", "label": {"zh": "送餐", "en": "delivery"}},
                 {"code": "health", "label": {"zh": "健康讲座", "en": "health talks"}},
                 {"code": "music", "label": {"zh": "文娱", "en": "music"}}]},
    {"id": "q6", "type": "single_choice", "text": {"zh": "年龄段", "en": "Age group"},
     "options": [{"code": "60_69", "label": {"zh": "60-69岁", "en": "60-69"}},
                 {"code": "70_plus", "label": {"zh": "70岁以上", "en": "70+"}}]}
  ]})";

SurveyTemplate Tmpl() {
  auto t = ParseSurveyTemplate(kSurveyTemplate);
  REQUIRE(t.ok());
  return *t;
}

SurveyResponse Resp(Json answers, int64_t version = 3) {
  return SurveyResponse{"sat-elders", version, std::move(answers)};
}

std::string Mutate(const std::string& from, const std::string& to) {
  std::string s = kSurveyTemplate;
  auto pos = s.find(from);
  REQUIRE(pos != std::string::npos);
  return s.replace(pos, from.size(), to);
}

}  // namespace

TEST_CASE("Survey template: parses — validates and round-trips through JSON") {
  SurveyTemplate t = Tmpl();
  CHECK(t.version == 3);
  CHECK(t.anonymous);
  REQUIRE(t.questions.size() == 6);
  CHECK(t.questions[0].type == QuestionType::kSatisfaction5);
  CHECK(t.questions[0].allow_dont_know);
  CHECK(t.questions[4].max_choices == 2);
  CHECK(t.questions[4].show_if->min == 5);
  Json j = SurveyTemplateToJson(t);
  auto again = SurveyTemplateFromJson(j);
  REQUIRE(again.ok());
  CHECK(SurveyTemplateToJson(*again) == j);
}

TEST_CASE("Survey template: bad templates are refused with the question named") {
  struct Case {
    std::string from, to, fragment;
  };
  std::vector<Case> cases = {
      {R"("id": "q6")", R"("id": "q5")", "duplicate question id"},
      {R"("question": "q1")", R"("question": "q6")", "earlier question"},  // points forwards
      {R"("question": "q1")", R"("question": "q2")", "earlier question"},  // points at itself
      {R"("question": "q1")", R"("question": "zz")", "earlier question"},  // does not exist
      {R"("any_of": ["yes"])", R"("any_of": ["maybe"])", "unknown option"},
      {R"("any_of": ["dissatisfied", "very_dissatisfied"])", R"("any_of": [])", "any_of"},
      {R"("min": 1, "max": 14)", R"("min": 15, "max": 14)", "reversed"},
      {R"("max_length": 10)", R"("max_length": 0)", "max_length"},
      {R"("max_choices": 2)", R"("max_choices": 4)", "max_choices"},
      {R"({"code": "music", "label": {"zh": "文娱", "en": "music"}})",
       R"({"code": "health", "label": {"zh": "文娱", "en": "music"}})", "duplicate option code"},
      {R"("type": "yes_no", "text")", R"("type": "yes_no", "options": [], "text")",
       "not a known field"},
      {R"("type": "yes_no")", R"("type": "rating")", "unknown type"},
      {R"("id": "q6")", R"("id": "Q 6")", "malformed question id"},
      {R"("version": 3)", R"("version": 0)", "version"},
      {R"("text": {"zh": "年龄段", "en": "Age group"})", R"("text": {"zh": "", "en": "Age group"})",
       "empty question text"},
      {R"("show_if": {"question": "q4", "min": 5, "max": 14})",
       R"("show_if": {"question": "q2", "any_of": ["x"]})", "text question"},
  };
  for (const auto& c : cases) {
    auto t = ParseSurveyTemplate(Mutate(c.from, c.to));
    INFO(c.to);
    REQUIRE_FALSE(t.ok());
    CHECK(t.status().code() == "bad_survey_template");
    CHECK_THAT(t.status().en(), Catch::Contains(c.fragment));
  }
  std::string no_options =
      Mutate(R"("options": [{"code": "60_69", "label": {"zh": "60-69岁", "en": "60-69"}},
                 {"code": "70_plus", "label": {"zh": "70岁以上", "en": "70+"}}])",
             R"("options": [])");
  CHECK_THAT(ParseSurveyTemplate(no_options).status().en(),
             Catch::Contains("needs 1 to 100 options"));
}

TEST_CASE("Survey response: required answers are enforced under the skip logic") {
  SurveyTemplate t = Tmpl();
  // Satisfied, not a weekly diner: q2, q4, q5 hidden; q6 optional.
  CHECK(ValidateResponse(t, Resp({{"q1", "satisfied"}, {"q3", false}})).ok());
  // Dissatisfied: the reason becomes required.
  auto s = ValidateResponse(t, Resp({{"q1", "dissatisfied"}, {"q3", false}}));
  CHECK(s.code() == "required_missing");
  CHECK_THAT(s.en(), Catch::Contains("q2"));
  CHECK(ValidateResponse(t, Resp({{"q1", "dissatisfied"}, {"q2", "太咸"}, {"q3", false}})).ok());
  // Weekly diner: the count is required, and 5+ meals shows q5 (optional).
  CHECK(ValidateResponse(t, Resp({{"q1", "satisfied"}, {"q3", true}})).code() ==
        "required_missing");
  CHECK(ValidateResponse(t, Resp({{"q1", "satisfied"}, {"q3", true}, {"q4", 3}})).ok());
  CHECK(
      ValidateResponse(t, Resp({{"q1", "satisfied"}, {"q3", true}, {"q4", 3}, {"q5", {"health"}}}))
          .code() == "answer_to_hidden_question");
  CHECK(
      ValidateResponse(t, Resp({{"q1", "satisfied"}, {"q3", true}, {"q4", 7}, {"q5", {"health"}}}))
          .ok());
  // A hidden question must not be answered.
  CHECK(ValidateResponse(t, Resp({{"q1", "satisfied"}, {"q2", "x"}, {"q3", false}})).code() ==
        "answer_to_hidden_question");
  // A chain: q5 hangs on q4 which hangs on q3; with q3 = no, q5 is hidden whatever q4 says.
  CHECK(IsShown(t, t.questions[4], Json{{"q3", false}, {"q4", 7}}) == false);
  CHECK(IsShown(t, t.questions[4], Json{{"q3", true}, {"q4", 7}}) == true);
  // null is "not answered".
  CHECK(ValidateResponse(t, Resp({{"q1", "satisfied"}, {"q3", false}, {"q6", nullptr}})).ok());
}

TEST_CASE("Survey response: types and ranges are checked per question") {
  SurveyTemplate t = Tmpl();
  Json base = {{"q1", "satisfied"}, {"q3", true}, {"q4", 7}};
  auto with = [&](const char* q, Json v) {
    Json a = base;
    a[q] = std::move(v);
    return ValidateResponse(t, Resp(a)).code();
  };
  CHECK(with("q1", "dont_know").empty());
  CHECK(with("q1", "happy") == "bad_answer");
  CHECK(with("q1", 5) == "bad_answer");
  CHECK(with("q3", "yes") == "bad_answer");
  CHECK(with("q4", 15) == "bad_answer");
  CHECK(with("q4", 0) == "bad_answer");
  CHECK(with("q4", 2.5) == "bad_answer");
  CHECK(with("q5", Json::array({"delivery", "health", "music"})) == "bad_answer");  // > 2
  CHECK(with("q5", Json::array({"delivery", "delivery"})) == "bad_answer");
  CHECK(with("q5", Json::array()) == "bad_answer");
  CHECK(with("q5", Json::array({"nap"})) == "bad_answer");
  CHECK(with("q6", "80_plus") == "bad_answer");
  CHECK(with("q6", "70_plus").empty());
  CHECK(with("q9", 1) == "unknown_question");
  // Text: at most max_length characters (not bytes): 10 Chinese characters are 30 bytes.
  Json a = {{"q1", "very_dissatisfied"}, {"q3", false}};
  a["q2"] = "一二三四五六七八九十";
  CHECK(ValidateResponse(t, Resp(a)).ok());
  a["q2"] = "一二三四五六七八九十一";
  CHECK(ValidateResponse(t, Resp(a)).code() == "bad_answer");
  a["q2"] = "";
  CHECK(ValidateResponse(t, Resp(a)).code() == "bad_answer");
  // 不清楚 can be switched off per question.
  SurveyTemplate strict = t;
  strict.questions[0].allow_dont_know = false;
  CHECK(ValidateResponse(strict, Resp({{"q1", "dont_know"}, {"q3", false}})).code() ==
        "bad_answer");
}

TEST_CASE("Survey response: answers are recorded against the template version") {
  SurveyTemplate t = Tmpl();
  CHECK(ValidateResponse(t, Resp({{"q1", "satisfied"}, {"q3", false}}, 2)).code() ==
        "template_version_mismatch");
  SurveyResponse other = Resp({{"q1", "satisfied"}, {"q3", false}});
  other.template_id = "sat-other";
  CHECK(ValidateResponse(t, other).code() == "wrong_template");
  auto r = ParseSurveyResponse(
      R"({"template_id": "sat-elders", "template_version": 3, "answers": {"q1": "satisfied", "q3": false}})");
  REQUIRE(r.ok());
  CHECK(ValidateResponse(t, *r).ok());
  CHECK_FALSE(ParseSurveyResponse(R"({"template_id": "sat-elders", "answers": {}})").ok());
  CHECK_FALSE(
      ParseSurveyResponse(R"({"template_id": "x", "template_version": 1, "answers": [], "y": 1})")
          .ok());
}

TEST_CASE("Paradata: interviews shorter than the minimum are flagged") {
  ParadataConfig c;  // 120 s
  auto f = FlagInterviews({{"i1", "tab-1", 0, 119'999},
                           {"i2", "tab-1", 1'000'000, 1'120'000},
                           {"i3", "tab-1", 5'000'000, 4'000'000}},
                          c);
  REQUIRE(f.size() == 2);
  CHECK(f[0].interview_id == "i1");
  CHECK(f[0].code == "too_short");
  CHECK_THAT(f[0].text.zh, Catch::Contains("119 秒"));
  CHECK(f[1].interview_id == "i3");
  CHECK(f[1].code == "bad_timing");
}

TEST_CASE("Paradata: many interviews by one device within one minute are flagged") {
  ParadataConfig c;
  c.min_duration_ms = 0;
  // Three starts within 59 s on tab-1: a burst. Three within 60 s on tab-2: not.
  std::vector<InterviewTiming> v = {
      {"a1", "tab-1", 0, 300'000},      {"a2", "tab-1", 30'000, 300'000},
      {"a3", "tab-1", 59'999, 300'000}, {"a4", "tab-1", 400'000, 600'000},
      {"b1", "tab-2", 0, 300'000},      {"b2", "tab-2", 30'000, 300'000},
      {"b3", "tab-2", 60'000, 300'000}, {"c1", "tab-3", 0, 1},
  };
  auto f = FlagInterviews(v, c);
  REQUIRE(f.size() == 3);
  CHECK(f[0].interview_id == "a1");
  CHECK(f[2].interview_id == "a3");
  for (const auto& x : f) CHECK(x.code == "burst");
  // The same interviews on different devices are not a burst.
  v = {{"a1", "tab-1", 0, 1}, {"a2", "tab-2", 1, 2}, {"a3", "tab-3", 2, 3}};
  CHECK(FlagInterviews(v, c).empty());
  // Order of input does not matter.
  std::vector<InterviewTiming> w = {{"z", "d", 20'000, 0}, {"x", "d", 0, 0}, {"y", "d", 10'000, 0}};
  c.min_duration_ms = -1;
  auto g = FlagInterviews(w, c);
  CHECK(g.size() == 5);  // 2 bad_timing (y and z end before they start) + 3 burst
}
