// Versioned survey templates (问卷模板) and the validation of a response against one.
//
// A template is data a town or evaluator writes once and publishes; every response records the
// template id AND version it was answered against, so a later edit never reinterprets old
// answers. A published version is immutable: change = new version.
//
// Question types and their answer values (JSON):
//   satisfaction5    "very_satisfied" … "very_dissatisfied", or "dont_know" when allowed
//   single_choice    one option code
//   multiple_choice  a non-empty array of distinct option codes, at most max_choices (0 = any)
//   yes_no           true / false
//   number           an integer within [min, max]
//   text             a non-empty UTF-8 string of at most max_length characters
// A missing or null answer is "not answered".
//
// Skip logic: a question with show_if is shown only when an EARLIER question's answer matches
// (any_of codes for choice-like questions, "yes"/"no" for yes_no, a [min, max] range for numbers).
// A hidden question must not be answered and is never required. Pointing only backwards keeps
// the order of questions an order of evaluation: no cycles, one pass.
//
// JSON format ("shefu-survey/1"):
//   {"format": "shefu-survey/1", "id": "sat-elders", "version": 3,
//    "title": {"zh": "…", "en": "…"}, "anonymous": false,
//    "questions": [
//      {"id": "q1", "type": "satisfaction5", "text": {"zh": "…", "en": "…"}, "required": true,
//       "allow_dont_know": true},
//      {"id": "q2", "type": "single_choice", "text": {…}, "required": true,
//       "options": [{"code": "a", "label": {"zh": "…", "en": "…"}}, …]},
//      {"id": "q3", "type": "text", "text": {…}, "max_length": 200,
//       "show_if": {"question": "q1", "any_of": ["dissatisfied", "very_dissatisfied"]}},
//      {"id": "q4", "type": "number", "text": {…}, "min": 0, "max": 120,
//       "show_if": {"question": "q2", "any_of": ["a"]}}]}
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/i18n.h"
#include "shared/json_util.h"
#include "shared/status.h"

namespace shefu {

enum class QuestionType { kSatisfaction5, kSingleChoice, kMultipleChoice, kYesNo, kNumber, kText };
const char* QuestionTypeCode(QuestionType t);
bool ParseQuestionType(std::string_view code, QuestionType* out);

struct ChoiceOption {
  std::string code;
  Text label;
};

struct ShowIf {
  std::string question;             // an earlier question
  std::vector<std::string> any_of;  // choice-like sources
  std::optional<int64_t> min, max;  // number sources (both)
};

struct Question {
  std::string id;
  QuestionType type = QuestionType::kText;
  Text text;
  bool required = false;
  bool allow_dont_know = true;        // satisfaction5: offer 不清楚
  std::vector<ChoiceOption> options;  // single_choice, multiple_choice
  int max_choices = 0;                // multiple_choice: 0 = no limit
  int64_t min = 0, max = 0;           // number
  int max_length = 0;                 // text, in characters (code points)
  std::optional<ShowIf> show_if;
};

struct SurveyTemplate {
  std::string id;
  int64_t version = 1;
  Text title;
  bool anonymous = false;  // answers travel in the anonymous stream (docs/voting.md)
  std::vector<Question> questions;

  const Question* Find(std::string_view question_id) const;
};

// Limits that keep a template and its responses small enough for a field device.
inline constexpr size_t kMaxQuestions = 300;
inline constexpr size_t kMaxOptions = 100;
inline constexpr int kMaxTextLength = 10000;

// Semantic checks: ids well-formed ([a-z0-9_-], 1..64) and unique, version >= 1, zh texts
// present, options non-empty and unique for choice questions and absent otherwise, number
// ranges ordered, text lengths 1..kMaxTextLength, skip targets exist, point backwards, are not
// text questions, and name codes or ranges that exist. Error code: bad_survey_template, naming
// the question.
Status ValidateSurveyTemplate(const SurveyTemplate& t);

// JSON (de)serialisation; Parse validates fully (unknown keys refused). Never throws.
Result<SurveyTemplate> ParseSurveyTemplate(std::string_view json_text);
Result<SurveyTemplate> SurveyTemplateFromJson(const Json& j);
Json SurveyTemplateToJson(const SurveyTemplate& t);

struct SurveyResponse {
  std::string template_id;
  int64_t template_version = 0;
  Json answers = Json::object();  // question id -> value
};
// {"template_id": "…", "template_version": 3, "answers": {…}}
Result<SurveyResponse> ParseSurveyResponse(std::string_view json_text);

// Whether question `q` is shown given the answers so far.
bool IsShown(const SurveyTemplate& t, const Question& q, const Json& answers);

// Validates a response: template id and version match (wrong_template,
// template_version_mismatch), every answered id exists (unknown_question), hidden questions are
// unanswered (answer_to_hidden_question), shown required questions are answered
// (required_missing), and each value has the question's type and range (bad_answer). The
// message names the question.
Status ValidateResponse(const SurveyTemplate& t, const SurveyResponse& r);

}  // namespace shefu
