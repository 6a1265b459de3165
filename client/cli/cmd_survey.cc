// shefu survey list|show|take|close: satisfaction surveys on the device (docs/client.md
// "Surveys"). Built only on the C API; every rule (validation, paradata, the index) is the
// library's.
#include <iostream>

#include "client/cli/cli.h"

namespace shefu::cli {
namespace {

int Usage(bool help) {
  std::cout << L(
      "用法：shefu survey list [--json]\n"
      "      shefu survey show 问卷 [--json]\n"
      "      shefu survey take 问卷 [--answers JSON] [--entry 受访户 | --non-frame]\n"
      "                        [--duration-s 秒] [--started-ms 毫秒] [--json]\n"
      "      shefu survey close 问卷     封存本次答卷批次（打乱顺序，只记日期），等待同步\n",
      "usage: shefu survey list [--json]\n"
      "       shefu survey show SURVEY [--json]\n"
      "       shefu survey take SURVEY [--answers JSON] [--entry ENTRY | --non-frame]\n"
      "                         [--duration-s S] [--started-ms MS] [--json]\n"
      "       shefu survey close SURVEY   seal the sitting's answers (shuffled, dated by the day\n"
      "                                   only) for the next sync\n");
  return help ? 0 : kExitUsage;
}

std::string ReportText(const Json& r) {
  std::string n = std::to_string(r.value("n", 0));
  if (r.value("suppressed", false) || !r.contains("rate"))
    return L("有效样本 ", "valid n ") + n + L("（样本不足，暂不计算）", " (too few, suppressed)");
  return L("满意率 ", "satisfied ") + Str(r, "rate") + " " + Str(r["interval"], "text") +
         L("，指数 ", ", index ") + Str(r, "index") + L("，有效样本 ", ", n ") + n;
}

}  // namespace

int CmdSurvey(Ctx& ctx) {
  Args& a = *ctx.args;
  std::string sub = a.Positional(1);
  std::string id = a.Positional(2);
  bool json = a.Flag("json");
  auto answers = a.Value("answers");
  auto entry = a.Value("entry");
  bool non_frame = a.Flag("non-frame");
  auto duration = a.Value("duration-s");
  auto started = a.Value("started-ms");
  if (a.help()) return Usage(true);
  if (sub != "list" && sub != "show" && sub != "take" && sub != "close") return Usage(false);
  if (sub != "list" && id.empty()) return Usage(false);
  if (int rc = CheckArgs(ctx); rc >= 0) return rc;
  int exit_code = 0;
  ClientPtr c = OpenClient(ctx, false, &exit_code);
  if (!c) return exit_code;

  if (sub == "list") {
    char* out = nullptr;
    int rc = shefu_survey_list(c.get(), &out);
    if (rc != SHEFU_OK) return ApiError(c.get(), rc);
    Json list = TakeJson(out);
    if (json) {
      std::cout << DumpJson(list) << "\n";
      return 0;
    }
    std::vector<std::vector<std::string>> rows = {{L("编号", "id"), L("问卷", "survey"),
                                                   L("版本", "version"), L("抽样", "frame"),
                                                   L("本机初步结果", "provisional (this device)")}};
    for (const Json& s : list)
      rows.push_back({Str(s, "short_id"), Clip(Str(s, "title"), 30),
                      std::to_string(s.value("version", 0)),
                      std::to_string(s.value("frame_size", 0)), ReportText(s["provisional"])});
    PrintTable(rows);
    return 0;
  }
  if (sub == "show") {
    char* out = nullptr;
    int rc = shefu_survey_get(c.get(), id.c_str(), &out);
    if (rc != SHEFU_OK) return ApiError(c.get(), rc);
    Json s = TakeJson(out);
    if (json) {
      std::cout << DumpJson(s) << "\n";
      return 0;
    }
    const Json& t = s["template"];
    std::cout << Str(t["title"], ctx.lang == "en" && t["title"].contains("en") ? "en" : "zh")
              << "  (" << Str(t, "id") << " v" << t.value("version", 0) << ")\n";
    for (const Json& q : t["questions"]) {
      std::cout << "  " << Str(q, "id") << " [" << Str(q, "type") << "]"
                << (q.value("required", false) ? " *" : "") << " " << Str(q["text"], "zh");
      if (q.contains("options")) {
        std::cout << "  (";
        for (const Json& o : q["options"]) std::cout << " " << Str(o, "code");
        std::cout << " )";
      }
      std::cout << "\n";
    }
    if (!s["frame"].empty()) {
      std::cout << L("抽样名单：\n", "sample frame:\n");
      for (const Json& e : s["frame"])
        std::cout << "  " << Str(e, "entry") << "  " << Str(e, "label") << "\n";
    }
    return 0;
  }
  if (sub == "close") {
    int64_t n = 0;
    int rc = shefu_survey_close(c.get(), id.c_str(), &n);
    if (rc != SHEFU_OK) return ApiError(c.get(), rc);
    if (json) {
      std::cout << DumpJson(Json{{"sealed", n}}) << "\n";
    } else {
      std::cout << L("已封存 ", "sealed ") << n
                << L(" 份答卷，下次同步时上传\n", " interviews for the next sync\n");
    }
    if (n > 0 && n < 5)
      std::cerr << L(
          "提示：本批少于 5 份答卷，日期和社区可能让人推断出是谁回答的；"
          "尽量在访问多户后再封存。\n",
          "note: fewer than 5 interviews in this batch; its day and community could "
          "narrow down who answered. Close after several interviews.\n");
    return 0;
  }
  // take
  if (!answers && !ctx.stdin_tty)
    return UsageError(
        {"需要 --answers JSON（或在终端上逐题回答）",
         "--answers JSON is required (or answer question by question on a terminal)"});
  Json opt = Json::object();
  if (entry) opt["entry"] = *entry;
  if (non_frame) opt["non_frame"] = true;
  for (auto [val, key] : {std::pair{&duration, "duration_s"}, std::pair{&started, "started_ms"}}) {
    if (!*val) continue;
    try {
      opt[key] = std::stoll(**val);
    } catch (...) {
      return UsageError({std::string("--") + key + " 必须是整数",
                         std::string("--") + key + " must be an integer"});
    }
  }
  std::string answers_text = answers.value_or("");
  if (!answers) {
    Json guided = Json::object();
    if (!FillSurveyInteractively(c.get(), id, &guided, &opt)) {
      if (*shefu_last_error(c.get())) return ApiError(c.get(), SHEFU_E_INVALID);
      std::cout << L("已取消，未保存。\n", "Cancelled; nothing saved.\n");
      return kExitError;
    }
    answers_text = DumpJson(guided);
  }
  std::string opt_text = DumpJson(opt);
  char* out = nullptr;
  int rc = shefu_survey_take(c.get(), id.c_str(), answers_text.c_str(), opt_text.c_str(), &out);
  if (rc != SHEFU_OK) return ApiError(c.get(), rc);
  Json r = TakeJson(out);
  if (json) {
    std::cout << DumpJson(r) << "\n";
    return 0;
  }
  std::cout << L("已记录（匿名）。", "Recorded (anonymously). ");
  for (const Json& w : r["warnings"])
    if (w == "already_interviewed_here")
      std::cout << L("注意：本机已访问过这一户，已标记复核。",
                     "note: this household was already interviewed on this device; flagged. ");
  if (!r["flags"].empty()) {
    std::cout << L("需复核：", "for review: ");
    for (const Json& f : r["flags"]) std::cout << f.get<std::string>() << " ";
  }
  std::cout << "\n" << ReportText(r["provisional"]) << "\n";
  return 0;
}

}  // namespace shefu::cli
