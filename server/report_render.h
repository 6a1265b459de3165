// The satisfaction reports (第二十六、二十七条: results are published and tied to payment): per
// project or per town, as CSV for Excel (UTF-8 with BOM, formula cells neutralised — shared/csv.h)
// and as a printable HTML page with inline SVG charts of the raw distribution and of the rate
// with its 95 % interval and the weighted index. Pure rendering of SurveyResults: no rule here.
#pragma once

#include <map>
#include <string>

#include "server/surveys.h"
#include "shared/divisions.h"

namespace shefu::server {

struct ReportNames {
  std::string heading;                             // "翠香街道" / the project title
  std::map<std::string, std::string> projects;     // id -> title
  std::map<std::string, std::string> communities;  // code -> name
  std::string generated_on;                        // YYYY-MM-DD
};

std::string SatisfactionCsv(const SurveyResults& r, const ReportNames& names);
std::string SatisfactionHtml(const SurveyResults& r, const ReportNames& names);

// Names for the report of `q` from the store and the divisions.
Result<ReportNames> LoadReportNames(sync::SyncServer& s, const Divisions& places,
                                    const SurveyResultsQuery& q, const SurveyResults& r,
                                    std::string generated_on);

}  // namespace shefu::server
