#include "shared/work_calendar.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "shared/json_util.h"

namespace shefu::embedded {
extern const unsigned char holidays_cn[];
extern const unsigned long holidays_cn_size;
}  // namespace shefu::embedded

namespace shefu {

namespace {

constexpr int kMaxRangeDays = 10;  // the longest official break so far is 9 days (2026 春节)

bool IsWeekend(const Date& d) {
  return IsoWeekday(d) >= 6;
}

Status HolidayDataError(const std::string& where, const std::string& zh, const std::string& en) {
  return Status::Error("bad_holiday_data", "节假日数据有误（" + where + "）：" + zh,
                       "holiday data is invalid (" + where + "): " + en);
}

Status HolidayDataError(const std::string& where, const Status& inner) {
  return HolidayDataError(where, inner.zh(), inner.en());
}

Result<Date> GetHolidayDate(const Json& obj, std::string_view key) {
  auto s = GetString(obj, key, 10);
  if (!s.ok()) return s.status();
  auto d = ParseDate(*s);
  if (!d.ok()) return FieldError(key, "不是有效日期（YYYY-MM-DD）", "is not a date (YYYY-MM-DD)");
  return *d;
}

// A notice for year Y may start in late December of Y-1 (2023's 元旦 began 2022-12-31) and
// never reaches far into Y+1.
bool NearYear(const Date& d, int year) {
  return (d.year == year) || (d.year == year - 1 && d.month == 12) ||
         (d.year == year + 1 && d.month == 1);
}

}  // namespace

Result<WorkCalendar> WorkCalendar::FromJsonText(std::string_view text) {
  auto parsed = ParseJson(text);
  if (!parsed.ok()) return HolidayDataError("file", parsed.status());
  const Json& j = *parsed;
  Status keys = CheckKeys(j, "format,timezone,note,years");
  if (!keys.ok()) return HolidayDataError("file", keys);
  auto format = GetInt(j, "format", 1, 1);
  if (!format.ok()) return HolidayDataError("file", format.status());
  auto tz = GetString(j, "timezone", 64);
  if (!tz.ok() || *tz != "Asia/Shanghai")
    return HolidayDataError("file", "timezone 必须是 Asia/Shanghai",
                            "timezone must be Asia/Shanghai");
  if (!j.contains("years") || !j["years"].is_array() || j["years"].size() > 200)
    return HolidayDataError("file", "years 必须是数组（最多200年）",
                            "years must be an array (max 200)");

  WorkCalendar cal;
  for (size_t i = 0; i < j["years"].size(); ++i) {
    const Json& y = j["years"][i];
    std::string where = "years[" + std::to_string(i) + "]";
    Status k = CheckKeys(y, "year,statutory_days,source,remark,holidays,workdays");
    if (!k.ok()) return HolidayDataError(where, k);
    HolidayNotice n;
    auto year = GetInt(y, "year", 1949, 9999);
    if (!year.ok()) return HolidayDataError(where, year.status());
    n.year = static_cast<int>(*year);
    where = std::to_string(n.year);
    if (cal.HasYear(n.year)) return HolidayDataError(where, "年份重复", "year listed twice");
    auto stat = GetInt(y, "statutory_days", 0, 30);
    if (!stat.ok()) return HolidayDataError(where, stat.status());
    n.statutory_days = static_cast<int>(*stat);
    if (!y.contains("source") || !y["source"].is_object())
      return HolidayDataError(where, "缺少 source（通知出处）", "source (the notice) is missing");
    const Json& src = y["source"];
    Status sk = CheckKeys(src, "title,doc_no,issued_on");
    if (!sk.ok()) return HolidayDataError(where, sk);
    auto title = GetString(src, "title", 256, 1);
    if (!title.ok()) return HolidayDataError(where, title.status());
    n.title = *title;
    auto doc = OptString(src, "doc_no", 128);
    if (!doc.ok()) return HolidayDataError(where, doc.status());
    n.doc_no = doc->value_or("");
    auto issued = GetHolidayDate(src, "issued_on");
    if (!issued.ok()) return HolidayDataError(where, issued.status());
    n.issued_on = *issued;
    auto remark = OptString(y, "remark", 1024);
    if (!remark.ok()) return HolidayDataError(where, remark.status());

    if (!y.contains("holidays") || !y["holidays"].is_array() || y["holidays"].size() > 20)
      return HolidayDataError(where, "holidays 必须是数组（最多20段）",
                              "holidays must be an array (max 20 ranges)");
    if (!y.contains("workdays") || !y["workdays"].is_array() || y["workdays"].size() > 20)
      return HolidayDataError(where, "workdays 必须是数组（最多20天）",
                              "workdays must be an array (max 20 days)");
    int weekday_rest = 0;
    for (const Json& h : y["holidays"]) {
      Status hk = CheckKeys(h, "name,en,from,to");
      if (!hk.ok()) return HolidayDataError(where, hk);
      auto name = GetString(h, "name", 64, 1);
      if (!name.ok()) return HolidayDataError(where, name.status());
      auto en = GetString(h, "en", 64, 1);
      if (!en.ok()) return HolidayDataError(where, en.status());
      auto from = GetHolidayDate(h, "from");
      if (!from.ok()) return HolidayDataError(where, from.status());
      auto to = GetHolidayDate(h, "to");
      if (!to.ok()) return HolidayDataError(where, to.status());
      int64_t len = DaysBetween(*from, *to) + 1;
      if (len < 1 || len > kMaxRangeDays || !NearYear(*from, n.year) || !NearYear(*to, n.year))
        return HolidayDataError(where, *name + " 的日期范围不合理", "implausible range for " + *en);
      for (Date d = *from; d <= *to; d = AddDays(d, 1)) {
        if (!cal.overrides_.emplace(DaysFromCivil(d), DayKind::kHoliday).second)
          return HolidayDataError(where, FormatDate(d) + " 重复列出",
                                  FormatDate(d) + " listed twice");
        if (!IsWeekend(d)) ++weekday_rest;
      }
    }
    int makeup = 0;
    for (const Json& w : y["workdays"]) {
      if (!w.is_string())
        return HolidayDataError(where, "workdays 须为日期字符串", "workdays are dates");
      auto d = ParseDate(w.get<std::string>());
      if (!d.ok() || !NearYear(*d, n.year))
        return HolidayDataError(where, "调休上班日无效", "invalid make-up workday");
      // A make-up workday on a weekday would change nothing: it is a typo.
      if (!IsWeekend(*d))
        return HolidayDataError(where, FormatDate(*d) + " 不是周末，不能作为调休上班日",
                                FormatDate(*d) +
                                    " is not a weekend day, so it cannot be a make-up "
                                    "workday");
      if (!cal.overrides_.emplace(DaysFromCivil(*d), DayKind::kMakeupWorkday).second)
        return HolidayDataError(where, FormatDate(*d) + " 重复列出",
                                FormatDate(*d) + " listed twice");
      ++makeup;
    }
    // Each statutory holiday is one weekday off; one falling on a weekend is given back on a
    // weekday (补休); bridging days are paid back by make-up workdays. So the net number of
    // weekdays off is the statutory count.
    if (weekday_rest - makeup != n.statutory_days)
      return HolidayDataError(where,
                              "工作日休息 " + std::to_string(weekday_rest) + " 天减调休上班 " +
                                  std::to_string(makeup) + " 天，不等于法定节假日 " +
                                  std::to_string(n.statutory_days) + " 天",
                              std::to_string(weekday_rest) + " weekday rest days minus " +
                                  std::to_string(makeup) + " make-up workdays is not the " +
                                  std::to_string(n.statutory_days) + " statutory holidays");
    cal.notices_.emplace(n.year, std::move(n));
  }
  return cal;
}

Result<WorkCalendar> WorkCalendar::LoadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return Status::Error("holiday_file_unreadable", "无法读取节假日文件：" + path,
                         "cannot read the holiday file: " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return FromJsonText(ss.str());
}

Result<WorkCalendar> WorkCalendar::LoadEmbedded() {
  return FromJsonText(std::string_view(reinterpret_cast<const char*>(embedded::holidays_cn),
                                       embedded::holidays_cn_size));
}

const WorkCalendar& WorkCalendar::Embedded() {
  static const WorkCalendar cal = [] {
    auto r = LoadEmbedded();
    if (!r.ok()) {
      std::fprintf(stderr, "shefu: embedded holiday calendar invalid: %s\n",
                   r.status().ToString().c_str());
      std::abort();
    }
    return std::move(*r);
  }();
  return cal;
}

const HolidayNotice* WorkCalendar::Notice(int year) const {
  auto it = notices_.find(year);
  return it == notices_.end() ? nullptr : &it->second;
}

void WorkCalendar::NoteYear(int year, Findings* warnings) const {
  if (!warnings || HasYear(year)) return;
  Text t{std::to_string(year) + "年的法定节假日安排未载入，已按仅周末休息计算，结果可能不准确",
         "no official holiday calendar is loaded for " + std::to_string(year) +
             "; counted weekends only, so the result may be wrong"};
  for (const auto& f : warnings->all())
    if (f.code == "holiday_calendar_missing" && f.text.en == t.en) return;
  warnings->Warn("holiday_calendar_missing", std::move(t));
}

DayKind WorkCalendar::Kind(const Date& d, Findings* warnings) const {
  NoteYear(d.year, warnings);
  auto it = overrides_.find(DaysFromCivil(d));
  if (it != overrides_.end()) return it->second;
  return IsWeekend(d) ? DayKind::kWeekend : DayKind::kWorkday;
}

bool WorkCalendar::IsWorkingDay(const Date& d, Findings* warnings) const {
  DayKind k = Kind(d, warnings);
  return k == DayKind::kWorkday || k == DayKind::kMakeupWorkday;
}

Date WorkCalendar::NextWorkingDay(const Date& d, Findings* warnings) const {
  // Validation bounds a run of rest days (ranges <= 10 days, plus a weekend), so this ends.
  Date x = AddDays(d, 1);
  while (!IsWorkingDay(x, warnings)) x = AddDays(x, 1);
  return x;
}

Date WorkCalendar::AddWorkingDays(const Date& start, int n, Findings* warnings) const {
  Date x = start;
  for (int i = 0; i < n; ++i) x = NextWorkingDay(x, warnings);
  return x;
}

Date WorkCalendar::PeriodEnd(const Date& start, int days, Findings* warnings) const {
  // 第二百零一条: the start day is not counted, so a period of N days ends N days later.
  Date last = AddDays(start, days > 0 ? days : 0);
  // 第二百零三条: a last day that is a rest day moves to the next working day.
  if (!IsWorkingDay(last, warnings)) last = NextWorkingDay(last, warnings);
  return last;
}

int64_t PeriodDeadlineUtcMs(const Date& last_day) {
  return ShanghaiMidnightUtcMs(AddDays(last_day, 1));
}

}  // namespace shefu
