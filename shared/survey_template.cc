// Template validation, skip logic and response validation. JSON (de)serialisation is in
// survey_template_json.cc.
#include <algorithm>
#include <set>

#include "shared/satisfaction.h"
#include "shared/survey_template.h"

namespace shefu {
namespace {

struct TypeInfo {
  QuestionType type;
  const char* code;
};
constexpr TypeInfo kTypes[] = {
    {QuestionType::kSatisfaction5, "satisfaction5"},
    {QuestionType::kSingleChoice, "single_choice"},
    {QuestionType::kMultipleChoice, "multiple_choice"},
    {QuestionType::kYesNo, "yes_no"},
    {QuestionType::kNumber, "number"},
    {QuestionType::kText, "text"},
};

Status BadTemplate(const std::string& where, const std::string& zh, const std::string& en) {
  return Status::Error("bad_survey_template", "问卷模板错误（" + where + "）：" + zh,
                       "invalid survey template (" + where + "): " + en);
}

Status BadResponse(const std::string& code, const std::string& q, const std::string& zh,
                   const std::string& en) {
  return Status::Error(code, "问卷答案错误（" + q + "）：" + zh,
                       "invalid survey response (" + q + "): " + en);
}

bool GoodId(std::string_view s) {
  return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

size_t CountCodePoints(std::string_view s) {
  return static_cast<size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// The codes a choice-like question's answer can match in show_if.
std::set<std::string> MatchableCodes(const Question& q) {
  std::set<std::string> codes;
  switch (q.type) {
    case QuestionType::kSatisfaction5:
      for (int i = 0; i < static_cast<int>(kSatisfactionLevels); ++i)
        codes.insert(SatisfactionCode(static_cast<Satisfaction>(i)));
      if (q.allow_dont_know) codes.insert(std::string(kDontKnow));
      break;
    case QuestionType::kSingleChoice:
    case QuestionType::kMultipleChoice:
      for (const auto& o : q.options) codes.insert(o.code);
      break;
    case QuestionType::kYesNo:
      codes = {"yes", "no"};
      break;
    case QuestionType::kNumber:
    case QuestionType::kText:
      break;
  }
  return codes;
}

Status CheckQuestion(const SurveyTemplate& t, size_t index, const std::set<std::string>& earlier) {
  const Question& q = t.questions[index];
  const std::string w = q.id.empty() ? "#" + std::to_string(index + 1) : q.id;
  if (!GoodId(q.id)) return BadTemplate(w, "题目编号格式错误", "malformed question id");
  if (q.text.zh.empty()) return BadTemplate(w, "题目文字为空", "empty question text");
  const bool choice =
      q.type == QuestionType::kSingleChoice || q.type == QuestionType::kMultipleChoice;
  if (choice) {
    if (q.options.empty() || q.options.size() > kMaxOptions)
      return BadTemplate(w, "选项数量应为 1 至 100", "a choice question needs 1 to 100 options");
    std::set<std::string> codes;
    for (const auto& o : q.options) {
      if (!GoodId(o.code)) return BadTemplate(w, "选项编号格式错误", "malformed option code");
      if (o.label.zh.empty()) return BadTemplate(w, "选项文字为空", "empty option label");
      if (!codes.insert(o.code).second)
        return BadTemplate(w, "选项编号重复：" + o.code, "duplicate option code: " + o.code);
    }
  } else if (!q.options.empty()) {
    return BadTemplate(w, "只有选择题可以设置选项", "only choice questions have options");
  }
  if (q.type == QuestionType::kMultipleChoice &&
      (q.max_choices < 0 || q.max_choices > static_cast<int>(q.options.size())))
    return BadTemplate(w, "最多可选数超出选项数", "max_choices exceeds the options");
  if (q.type == QuestionType::kNumber && q.min > q.max)
    return BadTemplate(w, "数值范围下限大于上限", "the number range is reversed");
  if (q.type == QuestionType::kText && (q.max_length < 1 || q.max_length > kMaxTextLength))
    return BadTemplate(w, "文字长度上限应为 1 至 10000", "max_length must be 1 to 10000");
  if (!q.show_if) return Status::Ok();

  const ShowIf& s = *q.show_if;
  if (!earlier.count(s.question))
    return BadTemplate(w, "显示条件须引用之前的题目：" + s.question,
                       "show_if must refer to an earlier question: " + s.question);
  const Question* src = t.Find(s.question);
  if (src->type == QuestionType::kText)
    return BadTemplate(w, "显示条件不能引用文字题", "show_if cannot test a text question");
  if (src->type == QuestionType::kNumber) {
    if (!s.any_of.empty() || !s.min || !s.max || *s.min > *s.max)
      return BadTemplate(w, "数值题条件须给出有效的 min 和 max",
                         "a condition on a number needs an ordered min and max");
    return Status::Ok();
  }
  if (s.any_of.empty() || s.min || s.max)
    return BadTemplate(w, "选择题条件须给出 any_of", "a condition on a choice needs any_of");
  std::set<std::string> codes = MatchableCodes(*src);
  for (const auto& c : s.any_of)
    if (!codes.count(c))
      return BadTemplate(w, "条件中的选项不存在：" + c,
                         "the condition names an unknown option: " + c);
  return Status::Ok();
}

Status CheckValue(const Question& q, const Json& v) {
  const std::string& id = q.id;
  auto bad = [&](const std::string& zh, const std::string& en) {
    return BadResponse("bad_answer", id, zh, en);
  };
  switch (q.type) {
    case QuestionType::kSatisfaction5: {
      Satisfaction s;
      if (!v.is_string()) return bad("应为满意度选项", "expected a satisfaction level");
      const std::string& c = v.get_ref<const std::string&>();
      if (ParseSatisfaction(c, &s) || (q.allow_dont_know && c == kDontKnow)) return Status::Ok();
      return bad("无效的满意度选项", "not a level of this scale");
    }
    case QuestionType::kSingleChoice:
      if (v.is_string() && MatchableCodes(q).count(v.get_ref<const std::string&>()))
        return Status::Ok();
      return bad("应为一个有效选项", "expected one of the options");
    case QuestionType::kMultipleChoice: {
      if (!v.is_array() || v.empty())
        return bad("应为非空的选项列表", "expected a list of options");
      std::set<std::string> seen, codes = MatchableCodes(q);
      for (const auto& e : v) {
        if (!e.is_string() || !codes.count(e.get_ref<const std::string&>()))
          return bad("包含无效选项", "contains an unknown option");
        if (!seen.insert(e.get<std::string>()).second) return bad("选项重复", "repeats an option");
      }
      if (q.max_choices > 0 && static_cast<int>(seen.size()) > q.max_choices)
        return bad("选择超过上限", "too many options chosen");
      return Status::Ok();
    }
    case QuestionType::kYesNo:
      return v.is_boolean() ? Status::Ok() : bad("应为是或否", "expected true or false");
    case QuestionType::kNumber: {
      if (!v.is_number_integer()) return bad("应为整数", "expected an integer");
      // Unsigned values beyond int64 are out of any range a template can set.
      if (v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX))
        return bad("超出范围", "out of range");
      int64_t n = v.get<int64_t>();
      if (n < q.min || n > q.max)
        return bad("应在 " + std::to_string(q.min) + " 至 " + std::to_string(q.max) + " 之间",
                   "must be between " + std::to_string(q.min) + " and " + std::to_string(q.max));
      return Status::Ok();
    }
    case QuestionType::kText: {
      if (!v.is_string()) return bad("应为文字", "expected text");
      const std::string& s = v.get_ref<const std::string&>();
      if (s.empty() || !IsValidUtf8(s)) return bad("文字为空或编码无效", "empty or invalid text");
      if (CountCodePoints(s) > static_cast<size_t>(q.max_length))
        return bad("超过 " + std::to_string(q.max_length) + " 字",
                   "longer than " + std::to_string(q.max_length) + " characters");
      return Status::Ok();
    }
  }
  return bad("未知题型", "unknown question type");
}

bool Answered(const Json& answers, const std::string& id) {
  auto it = answers.find(id);
  return it != answers.end() && !it->is_null();
}

}  // namespace

const char* QuestionTypeCode(QuestionType t) {
  for (const auto& i : kTypes)
    if (i.type == t) return i.code;
  return "text";
}

bool ParseQuestionType(std::string_view code, QuestionType* out) {
  for (const auto& i : kTypes) {
    if (code == i.code) {
      *out = i.type;
      return true;
    }
  }
  return false;
}

const Question* SurveyTemplate::Find(std::string_view question_id) const {
  for (const auto& q : questions)
    if (q.id == question_id) return &q;
  return nullptr;
}

Status ValidateSurveyTemplate(const SurveyTemplate& t) {
  if (!GoodId(t.id)) return BadTemplate("id", "模板编号格式错误", "malformed template id");
  if (t.version < 1) return BadTemplate(t.id, "版本号应至少为 1", "version must be at least 1");
  if (t.title.zh.empty()) return BadTemplate(t.id, "标题为空", "empty title");
  if (t.questions.empty() || t.questions.size() > kMaxQuestions)
    return BadTemplate(t.id, "题目数量应为 1 至 300", "a template needs 1 to 300 questions");
  std::set<std::string> earlier;
  for (size_t i = 0; i < t.questions.size(); ++i) {
    SHEFU_RETURN_IF_ERROR(CheckQuestion(t, i, earlier));
    if (!earlier.insert(t.questions[i].id).second)
      return BadTemplate(t.questions[i].id, "题目编号重复", "duplicate question id");
  }
  return Status::Ok();
}

namespace {

// Whether `q` is shown, given whether its source is shown. Only earlier questions can be
// sources, so one pass in question order decides every question (and a malformed template with
// a forward or self reference simply hides the question instead of recursing).
bool ConditionHolds(const SurveyTemplate& t, const Question& q, const Json& answers,
                    const std::vector<bool>& shown_so_far) {
  if (!q.show_if) return true;
  size_t src_index = t.questions.size();
  for (size_t i = 0; i < shown_so_far.size(); ++i)
    if (t.questions[i].id == q.show_if->question) src_index = i;
  if (src_index >= shown_so_far.size() || !shown_so_far[src_index]) return false;
  const Question& src = t.questions[src_index];
  if (!Answered(answers, src.id)) return false;
  const Json& v = answers.at(src.id);
  const auto& any = q.show_if->any_of;
  auto in = [&](const std::string& c) { return std::find(any.begin(), any.end(), c) != any.end(); };
  switch (src.type) {
    case QuestionType::kYesNo:
      return v.is_boolean() && in(v.get<bool>() ? "yes" : "no");
    case QuestionType::kNumber:
      return v.is_number_integer() && q.show_if->min && q.show_if->max &&
             v.get<int64_t>() >= *q.show_if->min && v.get<int64_t>() <= *q.show_if->max;
    case QuestionType::kMultipleChoice:
      if (!v.is_array()) return false;
      for (const auto& e : v)
        if (e.is_string() && in(e.get<std::string>())) return true;
      return false;
    case QuestionType::kText:
      return false;
    case QuestionType::kSatisfaction5:
    case QuestionType::kSingleChoice:
      break;
  }
  return v.is_string() && in(v.get<std::string>());
}

std::vector<bool> ShownFlags(const SurveyTemplate& t, const Json& answers) {
  std::vector<bool> shown;
  for (const auto& q : t.questions) shown.push_back(ConditionHolds(t, q, answers, shown));
  return shown;
}

}  // namespace

bool IsShown(const SurveyTemplate& t, const Question& q, const Json& answers) {
  std::vector<bool> shown = ShownFlags(t, answers);
  for (size_t i = 0; i < t.questions.size(); ++i)
    if (&t.questions[i] == &q || t.questions[i].id == q.id) return shown[i];
  return false;
}

Status ValidateResponse(const SurveyTemplate& t, const SurveyResponse& r) {
  if (r.template_id != t.id)
    return BadResponse("wrong_template", r.template_id, "答案不属于该问卷模板",
                       "the response belongs to another template");
  if (r.template_version != t.version)
    return BadResponse("template_version_mismatch", t.id,
                       "答案按第 " + std::to_string(r.template_version) + " 版填写，模板为第 " +
                           std::to_string(t.version) + " 版",
                       "answered against version " + std::to_string(r.template_version) +
                           ", template is version " + std::to_string(t.version));
  if (!r.answers.is_object())
    return BadResponse("bad_answer", t.id, "答案应为对象", "answers must be an object");
  for (const auto& [id, value] : r.answers.items())
    if (t.Find(id) == nullptr)
      return BadResponse("unknown_question", id, "模板中没有该题", "no such question");
  const std::vector<bool> shown_flags = ShownFlags(t, r.answers);
  for (size_t i = 0; i < t.questions.size(); ++i) {
    const Question& q = t.questions[i];
    const bool shown = shown_flags[i];
    const bool answered = Answered(r.answers, q.id);
    if (!shown && answered)
      return BadResponse("answer_to_hidden_question", q.id, "该题按跳题规则不应作答",
                         "the skip logic hides this question");
    if (shown && q.required && !answered)
      return BadResponse("required_missing", q.id, "必答题未作答",
                         "a required question is unanswered");
    if (answered) SHEFU_RETURN_IF_ERROR(CheckValue(q, r.answers.at(q.id)));
  }
  return Status::Ok();
}

}  // namespace shefu
