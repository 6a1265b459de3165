// Survey templates and responses to and from JSON. Shape errors are reported here with the
// offending question named; the semantic checks run in ValidateSurveyTemplate.
#include "shared/survey_template.h"

namespace shefu {
namespace {

Status BadTemplateJson(const std::string& where, const Status& s) {
  return Status::Error("bad_survey_template", "问卷模板错误（" + where + "）：" + s.zh(),
                       "invalid survey template (" + where + "): " + s.en());
}

Status ParseText(const Json& obj, const char* key, const std::string& where, Text* out) {
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_object())
    return BadTemplateJson(where, FieldError(key, "应为 {zh, en}", "must be {zh, en}"));
  Status keys = CheckKeys(*it, "zh,en");
  if (!keys.ok()) return BadTemplateJson(where + "." + key, keys);
  auto zh = GetString(*it, "zh", 2000);
  if (!zh.ok()) return BadTemplateJson(where + "." + key, zh.status());
  auto en = OptString(*it, "en", 2000);
  if (!en.ok()) return BadTemplateJson(where + "." + key, en.status());
  *out = {*zh, en->value_or("")};
  return Status::Ok();
}

Json TextJson(const Text& t) {
  return Json{{"zh", t.zh}, {"en", t.en}};
}

const char* AllowedKeys(QuestionType t) {
  switch (t) {
    case QuestionType::kSatisfaction5:
      return "id,type,text,required,show_if,allow_dont_know";
    case QuestionType::kSingleChoice:
      return "id,type,text,required,show_if,options";
    case QuestionType::kMultipleChoice:
      return "id,type,text,required,show_if,options,max_choices";
    case QuestionType::kNumber:
      return "id,type,text,required,show_if,min,max";
    case QuestionType::kText:
      return "id,type,text,required,show_if,max_length";
    case QuestionType::kYesNo:
      break;
  }
  return "id,type,text,required,show_if";
}

Status ParseShowIf(const Json& j, const std::string& where, ShowIf* out) {
  Status keys = CheckKeys(j, "question,any_of,min,max");
  if (!keys.ok()) return BadTemplateJson(where, keys);
  auto q = GetString(j, "question", 64, 1);
  if (!q.ok()) return BadTemplateJson(where, q.status());
  out->question = *q;
  if (auto it = j.find("any_of"); it != j.end()) {
    if (!it->is_array())
      return BadTemplateJson(where, FieldError("any_of", "应为数组", "must be an array"));
    for (const auto& c : *it) {
      if (!c.is_string())
        return BadTemplateJson(where, FieldError("any_of", "应为文字", "must be strings"));
      out->any_of.push_back(c.get<std::string>());
    }
  }
  auto mn = OptInt(j, "min");
  if (!mn.ok()) return BadTemplateJson(where, mn.status());
  auto mx = OptInt(j, "max");
  if (!mx.ok()) return BadTemplateJson(where, mx.status());
  out->min = *mn;
  out->max = *mx;
  return Status::Ok();
}

Status ParseQuestion(const Json& j, size_t index, Question* q) {
  std::string where = "questions[" + std::to_string(index) + "]";
  if (!j.is_object())
    return BadTemplateJson(where, FieldError("question", "应为对象", "must be an object"));
  auto id = GetString(j, "id", 64, 1);
  if (!id.ok()) return BadTemplateJson(where, id.status());
  q->id = *id;
  where = *id;
  auto type = GetString(j, "type", 32);
  if (!type.ok()) return BadTemplateJson(where, type.status());
  if (!ParseQuestionType(*type, &q->type))
    return BadTemplateJson(where,
                           FieldError("type", "未知题型：" + *type, "unknown type: " + *type));
  Status keys = CheckKeys(j, AllowedKeys(q->type));
  if (!keys.ok()) return BadTemplateJson(where, keys);
  SHEFU_RETURN_IF_ERROR(ParseText(j, "text", where, &q->text));
  auto req = OptBool(j, "required");
  if (!req.ok()) return BadTemplateJson(where, req.status());
  q->required = req->value_or(false);
  auto dk = OptBool(j, "allow_dont_know");
  if (!dk.ok()) return BadTemplateJson(where, dk.status());
  q->allow_dont_know = dk->value_or(true);
  if (auto it = j.find("options"); it != j.end()) {
    if (!it->is_array())
      return BadTemplateJson(where, FieldError("options", "应为数组", "must be an array"));
    if (it->size() > kMaxOptions)
      return BadTemplateJson(where, FieldError("options", "选项过多", "too many options"));
    for (size_t i = 0; i < it->size(); ++i) {
      const Json& o = (*it)[i];
      std::string ow = where + ".options[" + std::to_string(i) + "]";
      Status ok = CheckKeys(o, "code,label");
      if (!ok.ok()) return BadTemplateJson(ow, ok);
      ChoiceOption opt;
      auto code = GetString(o, "code", 64, 1);
      if (!code.ok()) return BadTemplateJson(ow, code.status());
      opt.code = *code;
      SHEFU_RETURN_IF_ERROR(ParseText(o, "label", ow, &opt.label));
      q->options.push_back(std::move(opt));
    }
  }
  auto mc = OptInt(j, "max_choices", 0, static_cast<int64_t>(kMaxOptions));
  if (!mc.ok()) return BadTemplateJson(where, mc.status());
  q->max_choices = static_cast<int>(mc->value_or(0));
  if (q->type == QuestionType::kNumber) {
    auto mn = GetInt(j, "min");
    if (!mn.ok()) return BadTemplateJson(where, mn.status());
    auto mx = GetInt(j, "max");
    if (!mx.ok()) return BadTemplateJson(where, mx.status());
    q->min = *mn;
    q->max = *mx;
  }
  if (q->type == QuestionType::kText) {
    auto ml = GetInt(j, "max_length", 1, kMaxTextLength);
    if (!ml.ok()) return BadTemplateJson(where, ml.status());
    q->max_length = static_cast<int>(*ml);
  }
  if (auto it = j.find("show_if"); it != j.end() && !it->is_null()) {
    ShowIf s;
    SHEFU_RETURN_IF_ERROR(ParseShowIf(*it, where + ".show_if", &s));
    q->show_if = std::move(s);
  }
  return Status::Ok();
}

}  // namespace

Result<SurveyTemplate> SurveyTemplateFromJson(const Json& j) {
  Status keys = CheckKeys(j, "format,id,version,title,anonymous,questions");
  if (!keys.ok()) return BadTemplateJson("root", keys);
  auto format = GetString(j, "format", 32);
  if (!format.ok() || *format != "shefu-survey/1")
    return BadTemplateJson("format",
                           FieldError("format", "应为 shefu-survey/1", "must be shefu-survey/1"));
  SurveyTemplate t;
  auto id = GetString(j, "id", 64, 1);
  if (!id.ok()) return BadTemplateJson("id", id.status());
  t.id = *id;
  auto version = GetInt(j, "version", 1, INT32_MAX);
  if (!version.ok()) return BadTemplateJson(t.id, version.status());
  t.version = *version;
  SHEFU_RETURN_IF_ERROR(ParseText(j, "title", t.id, &t.title));
  auto anon = OptBool(j, "anonymous");
  if (!anon.ok()) return BadTemplateJson(t.id, anon.status());
  t.anonymous = anon->value_or(false);
  auto qs = j.find("questions");
  if (qs == j.end() || !qs->is_array() || qs->size() > kMaxQuestions)
    return BadTemplateJson(t.id, FieldError("questions", "应为数组（至多 300 题）",
                                            "must be an array of at most 300 questions"));
  for (size_t i = 0; i < qs->size(); ++i) {
    Question q;
    SHEFU_RETURN_IF_ERROR(ParseQuestion((*qs)[i], i, &q));
    t.questions.push_back(std::move(q));
  }
  SHEFU_RETURN_IF_ERROR(ValidateSurveyTemplate(t));
  return t;
}

Result<SurveyTemplate> ParseSurveyTemplate(std::string_view json_text) {
  auto j = ParseJson(json_text);
  if (!j.ok()) return BadTemplateJson("json", j.status());
  return SurveyTemplateFromJson(*j);
}

Json SurveyTemplateToJson(const SurveyTemplate& t) {
  Json qs = Json::array();
  for (const auto& q : t.questions) {
    Json j = {{"id", q.id},
              {"type", QuestionTypeCode(q.type)},
              {"text", TextJson(q.text)},
              {"required", q.required}};
    switch (q.type) {
      case QuestionType::kSatisfaction5:
        j["allow_dont_know"] = q.allow_dont_know;
        break;
      case QuestionType::kMultipleChoice:
        j["max_choices"] = q.max_choices;
        [[fallthrough]];
      case QuestionType::kSingleChoice: {
        Json opts = Json::array();
        for (const auto& o : q.options)
          opts.push_back({{"code", o.code}, {"label", TextJson(o.label)}});
        j["options"] = std::move(opts);
        break;
      }
      case QuestionType::kNumber:
        j["min"] = q.min;
        j["max"] = q.max;
        break;
      case QuestionType::kText:
        j["max_length"] = q.max_length;
        break;
      case QuestionType::kYesNo:
        break;
    }
    if (q.show_if) {
      Json s = {{"question", q.show_if->question}};
      if (!q.show_if->any_of.empty()) s["any_of"] = q.show_if->any_of;
      if (q.show_if->min) s["min"] = *q.show_if->min;
      if (q.show_if->max) s["max"] = *q.show_if->max;
      j["show_if"] = std::move(s);
    }
    qs.push_back(std::move(j));
  }
  return Json{{"format", "shefu-survey/1"}, {"id", t.id},
              {"version", t.version},       {"title", TextJson(t.title)},
              {"anonymous", t.anonymous},   {"questions", std::move(qs)}};
}

Result<SurveyResponse> ParseSurveyResponse(std::string_view json_text) {
  auto j = ParseJson(json_text);
  if (!j.ok()) return j.status();
  SHEFU_RETURN_IF_ERROR(CheckKeys(*j, "template_id,template_version,answers"));
  SurveyResponse r;
  auto id = GetString(*j, "template_id", 64, 1);
  if (!id.ok()) return id.status();
  r.template_id = *id;
  auto v = GetInt(*j, "template_version", 1, INT32_MAX);
  if (!v.ok()) return v.status();
  r.template_version = *v;
  auto it = j->find("answers");
  if (it == j->end() || !it->is_object())
    return FieldError("answers", "应为对象", "must be an object");
  r.answers = *it;
  return r;
}

}  // namespace shefu
