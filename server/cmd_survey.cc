// shefu-server satisfaction: the satisfaction index (第二十六条) per project, community and
// overall, from the store — as text, JSON, or the CSV / printable HTML report. Runs beside a
// serving server (read only), like export. The numbers are the ones GET /v1/satisfaction gives:
// both call ComputeSurveyResults.
#include <fstream>
#include <iostream>

#include "server/central_store.h"
#include "server/cli_util.h"
#include "server/commands.h"
#include "server/report_render.h"
#include "server/server_app.h"
#include "server/surveys.h"
#include "shared/civil_time.h"
#include "shared/survey_records.h"

namespace shefu::server {

int CmdSatisfaction(Args& a, std::ostream& out, std::ostream& err) {
  if (a.help()) {
    out << Tr(
        {"用法：shefu-server satisfaction --data 目录 [--project 项目 | --town 镇街]\n"
         "        [--min-n N] [--format text|json|csv|html] [--out 文件]\n"
         "满意度指数：按项目、社区和总体列出有效样本、应答率、满意率及 95% "
         "区间、加权指数和答案分布；\n"
         "有效样本少于 N（默认取问卷设置）时不计算比率。csv 为 UTF-8 带 BOM，html 可直接打印。\n",
         "usage: shefu-server satisfaction --data DIR [--project ID | --town CODE]\n"
         "        [--min-n N] [--format text|json|csv|html] [--out FILE]\n"
         "The satisfaction index per project, community and overall: n, response rate,\n"
         "rate with its 95% interval, weighted index and the raw distribution; rates are\n"
         "suppressed below N valid answers (default: the survey's setting). csv is UTF-8\n"
         "with BOM; html is a printable page with charts.\n"});
    return 0;
  }
  auto data = a.Value("data");
  auto project = a.Value("project");
  auto town = a.Value("town");
  auto min_n = a.Value("min-n");
  std::string format = a.ValueOr("format", "text");
  auto out_path = a.Value("out");
  if (auto st = a.Finish(); !st.ok()) return PrintError(err, st);
  if (!data)
    return PrintError(err, Status::Error("usage", "缺少 --data 目录", "missing --data DIR"));
  if (format != "text" && format != "json" && format != "csv" && format != "html")
    return PrintError(err, Status::Error("usage", "--format 只能是 text、json、csv 或 html",
                                         "--format is text, json, csv or html"));
  SurveyResultsQuery q;
  q.project = project.value_or("");
  q.town = town.value_or("");
  if (min_n) {
    try {
      q.min_n = std::stoll(*min_n);
    } catch (...) {
      return PrintError(err, Status::Error("usage", "--min-n 必须是整数", "--min-n is a number"));
    }
  }
  DbOptions opt;
  opt.create = false;
  auto db = Db::Open(CentralStore::DbPath(*data), opt);
  if (!db.ok()) return PrintError(err, db.status());
  auto text = LoadReference(**db, kDivisionsRef);
  if (!text.ok() || !text->has_value())
    return PrintError(err, Status::Error("not_initialised", "数据目录尚未初始化",
                                         "the data directory is not initialised"));
  auto places = Divisions::Parse(**text);
  if (!places.ok()) return PrintError(err, places.status());
  auto s = sync::SyncServer::Open(**db, SystemClock::Instance(), SystemRng::Instance(), *places);
  if (!s.ok()) return PrintError(err, s.status());
  auto res = ComputeSurveyResults(**s, q);
  if (!res.ok()) return PrintError(err, res.status());
  auto names = LoadReportNames(**s, *places, q, *res,
                               FormatDate(ShanghaiDate(SystemClock::Instance().NowMs())));
  if (!names.ok()) return PrintError(err, names.status());

  std::string body;
  if (format == "json") {
    body = DumpJson(SurveyResultsJson(*res)) + "\n";
  } else if (format == "csv") {
    body = SatisfactionCsv(*res, *names);
  } else if (format == "html") {
    body = SatisfactionHtml(*res, *names);
  } else {
    auto line = [&](const std::string& what, const SatisfactionReport& r) {
      std::string l = what + "  n=" + std::to_string(r.n);
      if (r.response_rate)
        l += Tr({"  应答率 ", "  response "}) + FormatPermilleAsPercent(r.response_rate_permille);
      if (r.rate && r.rate_interval)
        l += Tr({"  满意率 ", "  rate "}) + FormatPermilleAsPercent(r.rate_permille) + " [" +
             FormatPermilleAsPercent(r.rate_interval->low_permille) + ", " +
             FormatPermilleAsPercent(r.rate_interval->high_permille) + "]";
      if (r.index) l += Tr({"  指数 ", "  index "}) + FormatTenths(r.index_tenths);
      if (r.suppressed) l += Tr({"  （样本不足，不计算）", "  (suppressed: n < min_n)"});
      return l + "\n";
    };
    body += line(Tr({"总体", "overall"}) + " " + names->heading, res->overall);
    for (const auto& [k, v] : res->by_project)
      body += line(Tr({"项目 ", "project "}) + k + " " + names->projects[k], v);
    for (const auto& [k, v] : res->by_community)
      body += line(Tr({"社区 ", "community "}) + k + " " + names->communities[k], v);
    for (const auto& sv : res->surveys) {
      body += Tr({"问卷 ", "survey "}) + sv.survey + " v" + std::to_string(sv.version) + ": " +
              std::to_string(sv.answers) + Tr({" 份答卷", " answers"});
      for (const auto& d : sv.duplicates)
        body +=
            Tr({"；重复受访 ", "; surveyed twice: "}) + d.label + " ×" + std::to_string(d.times);
      body += "\n";
    }
  }
  if (out_path) {
    std::ofstream f(*out_path, std::ios::binary | std::ios::trunc);
    f << body;
    if (!f)
      return PrintError(
          err, Status::Error("io_error", "无法写入 " + *out_path, "cannot write " + *out_path));
    out << Tr({"已写入 " + *out_path + "\n", "Written to " + *out_path + "\n"});
  } else {
    out << body;
  }
  return 0;
}

}  // namespace shefu::server
