// The guided survey form on a terminal (shefu survey take without --answers): the household
// from the sample, then one question at a time in the order the library gives
// (shefu_survey_next follows the template's skip logic), numbered choices, required questions
// asked again, a summary to confirm. The interview's start and end are measured here, so the
// library's paradata flags see real timings. Validation stays in the library (shefu_survey_take).
#include <chrono>
#include <iostream>

#include "client/cli/cli.h"

namespace shefu::cli {
namespace {

struct SurveyCancelled {};

std::string AskAnswer(const std::string& prompt) {
  std::cout << prompt << L("：", ": ") << std::flush;
  std::string line;
  if (!std::getline(std::cin, line)) throw SurveyCancelled{};
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
  size_t b = line.find_first_not_of(' ');
  line = b == std::string::npos ? "" : line.substr(b);
  if (line == "q" || line == "Q") throw SurveyCancelled{};
  return line;
}

bool ParseIndex(const std::string& a, size_t n, size_t* out) {
  char* end = nullptr;
  long v = std::strtol(a.c_str(), &end, 10);
  if (a.empty() || !end || *end != '\0' || v < 1 || static_cast<size_t>(v) > n) return false;
  *out = static_cast<size_t>(v - 1);
  return true;
}

std::string TextOf(const Json& t) {
  if (CurrentLang() == Lang::kEn && t.contains("en") && !Str(t, "en").empty()) return Str(t, "en");
  return Str(t, "zh");
}

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Choices shown for a question: (code or value, label).
std::vector<std::pair<Json, std::string>> Choices(const Json& q) {
  std::vector<std::pair<Json, std::string>> out;
  const std::string type = Str(q, "type");
  if (type == "satisfaction5") {
    const char* codes[] = {"very_satisfied", "satisfied", "neutral", "dissatisfied",
                           "very_dissatisfied"};
    const char* zh[] = {"非常满意", "满意", "一般", "不满意", "非常不满意"};
    const char* en[] = {"very satisfied", "satisfied", "neutral", "dissatisfied",
                        "very dissatisfied"};
    for (int i = 0; i < 5; ++i) out.emplace_back(codes[i], L(zh[i], en[i]));
    if (q.value("allow_dont_know", true)) out.emplace_back("dont_know", L("不清楚", "don't know"));
  } else if (type == "yes_no") {
    out.emplace_back(true, L("是", "yes"));
    out.emplace_back(false, L("否", "no"));
  } else if (q.contains("options")) {
    for (const Json& o : q["options"]) out.emplace_back(Str(o, "code"), TextOf(o["label"]));
  }
  return out;
}

// One answer, or null when skipped.
Json AskQuestion(const Json& q) {
  const std::string type = Str(q, "type");
  const bool required = q.value("required", false);
  std::cout << "\n" << TextOf(q["text"]) << (required ? " *" : "") << "\n";
  auto choices = Choices(q);
  for (size_t i = 0; i < choices.size(); ++i)
    std::cout << "  " << i + 1 << ". " << choices[i].second << "\n";
  for (;;) {
    std::string hint = type == "multiple_choice" ? L("  编号（可多个，用空格分隔）",
                                                     "  numbers (several, space-separated)")
                       : !choices.empty()        ? L("  编号", "  number")
                       : type == "number"        ? L("  数字", "  a number")
                                                 : L("  回答", "  answer");
    if (!required) hint += L("（回车跳过）", " (Enter skips)");
    std::string a = AskAnswer(hint);
    if (a.empty()) {
      if (!required) return Json();
      std::cout << L("  ✗ 此题必答\n", "  ✗ this question must be answered\n");
      continue;
    }
    if (type == "multiple_choice") {
      Json picked = Json::array();
      bool ok = true;
      for (size_t at = 0; at < a.size();) {
        size_t next = a.find_first_of(" ,，", at);
        std::string part = a.substr(at, next == std::string::npos ? std::string::npos : next - at);
        at = next == std::string::npos ? a.size() : next + 1;
        if (part.empty()) continue;
        size_t k = 0;
        ok = ok && ParseIndex(part, choices.size(), &k);
        if (ok) picked.push_back(choices[k].first);
      }
      if (ok && !picked.empty()) return picked;
    } else if (!choices.empty()) {
      size_t k = 0;
      if (ParseIndex(a, choices.size(), &k)) return choices[k].first;
    } else if (type == "number") {
      char* end = nullptr;
      long long v = std::strtoll(a.c_str(), &end, 10);
      if (end && *end == '\0') return static_cast<int64_t>(v);
    } else {
      return a;
    }
    std::cout << L("  ✗ 无法识别，请重新输入\n", "  ✗ not understood, try again\n");
  }
}

}  // namespace

bool FillSurveyInteractively(shefu_client* c, const std::string& survey, Json* answers, Json* opt) {
  char* out = nullptr;
  if (shefu_survey_get(c, survey.c_str(), &out) != SHEFU_OK) return false;
  Json s = TakeJson(out);
  try {
    std::cout << TextOf(s["template"]["title"]) << L("（输入 q 取消）\n", " (q cancels)\n");
    if (!s["frame"].empty() && !opt->contains("entry") && !opt->contains("non_frame")) {
      std::cout << L("受访户（抽样名单）：\n", "household (from the sample):\n");
      const Json& f = s["frame"];
      for (size_t i = 0; i < f.size(); ++i)
        std::cout << "  " << i + 1 << ". " << Str(f[i], "label") << "\n";
      std::cout << "  " << f.size() + 1 << ". " << L("名单外受访者", "someone outside the sample")
                << "\n";
      for (;;) {
        size_t k = 0;
        if (ParseIndex(AskAnswer(L("  编号", "  number")), f.size() + 1, &k)) {
          if (k == f.size())
            (*opt)["non_frame"] = true;
          else
            (*opt)["entry"] = Str(f[k], "entry");
          break;
        }
        std::cout << L("  ✗ 请输入列表中的编号\n", "  ✗ enter a number from the list\n");
      }
    }
    const int64_t started = NowMs();
    std::string after;
    for (;;) {
      std::string ans = DumpJson(*answers);
      if (shefu_survey_next(c, survey.c_str(), ans.c_str(), after.c_str(), &out) != SHEFU_OK)
        return false;
      Json next = TakeJson(out);
      if (next.value("done", true)) break;
      const Json& q = next["question"];
      Json a = AskQuestion(q);
      if (!a.is_null()) (*answers)[Str(q, "id")] = a;
      after = Str(q, "id");
    }
    std::cout << "\n" << DumpJson(*answers) << "\n";
    std::string ok = AskAnswer(L("保存这份答卷？(y/n)", "save this interview? (y/n)"));
    if (ok != "y" && ok != "Y" && ok != "是") return false;
    (*opt)["started_ms"] = started;
    (*opt)["ended_ms"] = NowMs();
    return true;
  } catch (const SurveyCancelled&) {
    return false;
  }
}

}  // namespace shefu::cli
