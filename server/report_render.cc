#include "server/report_render.h"

#include "server/projects.h"
#include "shared/csv.h"
#include "shared/ratio.h"

namespace shefu::server {
namespace {

const char* kLevelZh[] = {"非常满意", "满意", "一般", "不满意", "非常不满意"};

std::string Opt(bool has, const std::string& v) {
  return has ? v : "";
}

std::vector<std::string> ReportCells(const std::string& level, const std::string& code,
                                     const std::string& name, const SatisfactionReport& r) {
  std::vector<std::string> row = {
      level,
      code,
      name,
      std::to_string(r.n),
      std::to_string(r.respondents),
      std::to_string(r.frame_size),
      Opt(r.response_rate.has_value(), FormatPermilleAsPercent(r.response_rate_permille)),
      Opt(r.rate.has_value(), FormatPermilleAsPercent(r.rate_permille)),
      Opt(r.rate_interval.has_value(),
          r.rate_interval ? FormatPermilleAsPercent(r.rate_interval->low_permille) : ""),
      Opt(r.rate_interval.has_value(),
          r.rate_interval ? FormatPermilleAsPercent(r.rate_interval->high_permille) : ""),
      Opt(r.index.has_value(), FormatTenths(r.index_tenths)),
      r.suppressed ? "是 yes" : ""};
  for (int64_t c : r.distribution.counts) row.push_back(std::to_string(c));
  row.push_back(std::to_string(r.distribution.dont_know));
  row.push_back(std::to_string(r.distribution.skipped));
  return row;
}

std::string Name(const std::map<std::string, std::string>& m, const std::string& k) {
  auto it = m.find(k);
  return it == m.end() ? "" : it->second;
}

std::string Esc(const std::string& s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '&':
        o += "&amp;";
        break;
      case '<':
        o += "&lt;";
        break;
      case '>':
        o += "&gt;";
        break;
      case '"':
        o += "&quot;";
        break;
      case '\'':
        o += "&#39;";
        break;
      default:
        o += c;
    }
  }
  return o;
}

// Bar chart of the raw distribution (the five levels, 不清楚, skipped): always shown, even
// when the rates are suppressed.
std::string DistributionSvg(const SatisfactionReport& r) {
  std::vector<std::pair<std::string, int64_t>> bars;
  for (size_t i = 0; i < kSatisfactionLevels; ++i)
    bars.emplace_back(kLevelZh[i], r.distribution.counts[i]);
  bars.emplace_back("不清楚", r.distribution.dont_know);
  bars.emplace_back("未答", r.distribution.skipped);
  int64_t max = 1;
  for (const auto& b : bars) max = std::max(max, b.second);
  const int w = 420, h = 180, bw = 48, gap = 12, base = 140, top = 20;
  std::string s = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"" +
                  std::to_string(w) + "\" height=\"" + std::to_string(h) +
                  "\" aria-label=\"答案分布 distribution\">";
  int x = 10;
  for (const auto& [label, n] : bars) {
    int bh = static_cast<int>(n * (base - top) / max);
    s += "<rect x=\"" + std::to_string(x) + "\" y=\"" + std::to_string(base - bh) + "\" width=\"" +
         std::to_string(bw) + "\" height=\"" + std::to_string(bh) + "\" fill=\"#4a78b0\"/>";
    s += "<text x=\"" + std::to_string(x + bw / 2) + "\" y=\"" + std::to_string(base - bh - 4) +
         "\" font-size=\"11\" text-anchor=\"middle\">" + std::to_string(n) + "</text>";
    s += "<text x=\"" + std::to_string(x + bw / 2) + "\" y=\"" + std::to_string(base + 16) +
         "\" font-size=\"11\" text-anchor=\"middle\">" + Esc(label) + "</text>";
    x += bw + gap;
  }
  return s + "</svg>";
}

// 0..100 axis: the 满意率 with its 95 % Wilson interval as a whisker, the weighted index as a
// diamond. Coordinates in per mille of the axis, so the drawing is exact to 0.1 point.
std::string IndexSvg(const SatisfactionReport& r) {
  const int w = 420, left = 20, span = 380;
  auto X = [&](int64_t permille) { return std::to_string(left + permille * span / 1000); };
  std::string s = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"" +
                  std::to_string(w) +
                  "\" height=\"90\" aria-label=\"满意率与指数 rate and index\">";
  s += "<line x1=\"" + X(0) + "\" y1=\"60\" x2=\"" + X(1000) + "\" y2=\"60\" stroke=\"#333\"/>";
  for (int t = 0; t <= 1000; t += 200)
    s += "<text x=\"" + X(t) + "\" y=\"78\" font-size=\"10\" text-anchor=\"middle\">" +
         std::to_string(t / 10) + "</text>";
  if (r.rate && r.rate_interval) {
    s += "<line x1=\"" + X(r.rate_interval->low_permille) + "\" y1=\"30\" x2=\"" +
         X(r.rate_interval->high_permille) + "\" y2=\"30\" stroke=\"#b04a4a\" stroke-width=\"3\"/>";
    s += "<circle cx=\"" + X(r.rate_permille) + "\" cy=\"30\" r=\"5\" fill=\"#b04a4a\"/>";
    s += "<text x=\"" + X(r.rate_permille) +
         "\" y=\"18\" font-size=\"11\" text-anchor=\"middle\">满意率 " +
         FormatPermilleAsPercent(r.rate_permille) + " [" +
         FormatPermilleAsPercent(r.rate_interval->low_permille) + ", " +
         FormatPermilleAsPercent(r.rate_interval->high_permille) + "]</text>";
  }
  if (r.index) {
    const std::string cx = X(r.index_tenths);
    s += "<path d=\"M" + cx + " 52 l6 8 l-6 8 l-6 -8 z\" fill=\"#2f7d3a\"/>";
    s += "<text x=\"" + cx + "\" y=\"48\" font-size=\"11\" text-anchor=\"middle\">指数 " +
         FormatTenths(r.index_tenths) + "</text>";
  }
  if (!r.rate)
    s += "<text x=\"" + X(500) + "\" y=\"30\" font-size=\"12\" text-anchor=\"middle\">样本不足 " +
         std::to_string(r.n) + "，不计算满意率 (suppressed)</text>";
  return s + "</svg>";
}

std::string ReportTable(const std::vector<std::vector<std::string>>& rows) {
  std::string s = "<table>";
  bool head = true;
  for (const auto& row : rows) {
    s += "<tr>";
    for (const auto& c : row) s += (head ? "<th>" : "<td>") + Esc(c) + (head ? "</th>" : "</td>");
    s += "</tr>";
    head = false;
  }
  return s + "</table>";
}

const std::vector<std::string> kHeader = {
    "层级 level", "代码 code",           "名称 name",        "有效样本 n",  "答卷 answers",
    "抽样 frame", "应答率 response",     "满意率 rate",      "95%下限 low", "95%上限 high",
    "指数 index", "样本不足 suppressed", "非常满意",         "满意",        "一般",
    "不满意",     "非常不满意",          "不清楚 dont_know", "未答 skipped"};

std::vector<std::vector<std::string>> Rows(const SurveyResults& r, const ReportNames& names) {
  std::vector<std::vector<std::string>> rows = {kHeader};
  rows.push_back(ReportCells("总体 overall", "", names.heading, r.overall));
  for (const auto& [k, v] : r.by_project)
    rows.push_back(ReportCells("项目 project", k, Name(names.projects, k), v));
  for (const auto& [k, v] : r.by_community)
    rows.push_back(ReportCells("社区 community", k, Name(names.communities, k), v));
  return rows;
}

std::vector<std::vector<std::string>> ReviewRows(const SurveyResults& r) {
  std::vector<std::vector<std::string>> rows = {
      {"问卷 survey", "项目 project", "模板 template", "版本 version", "答卷 answers",
       "无效 invalid", "名单外 non-frame", "抽样 frame", "已访 contacted", "重复受访 duplicates",
       "无法剔除 excess", "过短 too_short", "集中 burst"}};
  for (const auto& s : r.surveys) {
    std::string dups;
    for (const auto& d : s.duplicates)
      dups += (dups.empty() ? "" : "; ") + d.label + " ×" + std::to_string(d.times);
    auto flag = [&](const char* k) {
      auto it = s.flags.find(k);
      return std::to_string(it == s.flags.end() ? 0 : it->second);
    };
    rows.push_back({s.survey, s.project, s.template_id, std::to_string(s.version),
                    std::to_string(s.answers), std::to_string(s.invalid),
                    std::to_string(s.non_frame), std::to_string(s.frame_size),
                    std::to_string(s.contacted), dups, std::to_string(s.excess), flag("too_short"),
                    flag("burst")});
  }
  return rows;
}

}  // namespace

std::string SatisfactionCsv(const SurveyResults& r, const ReportNames& names) {
  CsvWriter csv;
  csv.Row({"服务对象满意度报告 satisfaction report", names.heading, names.generated_on,
           "最小样本 min_n " + std::to_string(r.config.min_n)});
  for (const auto& row : Rows(r, names)) csv.Row(row);
  csv.Row({});
  for (const auto& row : ReviewRows(r)) csv.Row(row);
  return csv.str();
}

std::string SatisfactionHtml(const SurveyResults& r, const ReportNames& names) {
  std::string h =
      "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta "
      "charset=\"utf-8\"><title>服务对象满意度报告 " +
      Esc(names.heading) +
      "</title><style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;"
      "font-size:12px}td,th{border:1px solid #999;padding:2px 6px}h2{margin-top:1.5em}"
      "@media print{h2{page-break-before:auto}}</style></head><body>\n";
  h += "<h1>服务对象满意度报告 · " + Esc(names.heading) + "</h1>\n";
  h += "<p>生成日期 " + Esc(names.generated_on) + "。满意率 =（非常满意 + 满意）/ 有效答卷；" +
       "指数 = Σ(100/80/60/30/0 × 人数) / 有效答卷；95% Wilson 区间；有效样本少于 " +
       std::to_string(r.config.min_n) +
       " 时不计算比率，只列分布（第二十六条）。不清楚与未答不计入有效答卷。</p>\n";
  h += "<h2>总体 overall</h2>\n" + IndexSvg(r.overall) + "\n" + DistributionSvg(r.overall) + "\n";
  for (const auto& [k, v] : r.by_project) {
    h += "<h2>项目 " + Esc(Name(names.projects, k)) + " <small>" + Esc(k) + "</small></h2>\n";
    h += IndexSvg(v) + "\n" + DistributionSvg(v) + "\n";
  }
  h += "<h2>明细 details</h2>\n" + ReportTable(Rows(r, names)) + "\n";
  h += "<h2>复核 review</h2>\n<p>同一受访户被访问多次时，其答卷无法与人对应（匿名），"
       "因此无法剔除，只能标注（excess）。</p>\n" +
       ReportTable(ReviewRows(r)) + "\n";
  return h + "</body></html>\n";
}

Result<ReportNames> LoadReportNames(sync::SyncServer& s, const Divisions& places,
                                    const SurveyResultsQuery& q, const SurveyResults& r,
                                    std::string generated_on) {
  ReportNames n;
  n.generated_on = std::move(generated_on);
  for (const auto& [k, v] : r.by_project) {
    (void)v;
    auto p = LoadProject(s, k);
    if (p.ok()) n.projects[k] = p->proposal.title;
  }
  for (const auto& [k, v] : r.by_community) {
    (void)v;
    if (const Community* c = places.FindCommunity(k)) n.communities[k] = c->name;
  }
  if (!q.project.empty()) {
    n.heading = n.projects.count(q.project) ? n.projects[q.project] : q.project;
  } else if (!q.town.empty()) {
    const Town* t = places.FindTown(q.town);
    n.heading = t ? t->name : q.town;
  } else {
    n.heading = "全部 all";
  }
  return n;
}

}  // namespace shefu::server
