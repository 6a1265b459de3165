// Working days and legal periods in Asia/Shanghai days: 公示 periods, "N working days" deadlines.
//
// A working day is a weekday that is not an official rest day, or a make-up workday (调休上班,
// a Saturday or Sunday the State Council turns into a working day). The official days come per
// year from the State Council's holiday notice, shipped as data in shared/data/holidays-cn.json
// with the notice's title and number. A year without data is counted as weekends only — which
// is wrong around Spring Festival and National Day — so every function that touches such a year
// adds the warning holiday_calendar_missing to the caller's Findings; it never guesses silently.
//
// Periods follow 民法典 第二百零一至二百零三条:
//   - 第二百零一条: the day the period starts is not counted; counting starts the next day;
//   - 第二百零三条: if the last day is a statutory rest day (weekend or holiday), the period
//     ends on the day after the rest days end, i.e. the next working day; a make-up workday is
//     a working day and does not extend the period;
//   - 第二百零三条: the period ends at 24:00 of its last day (PeriodDeadlineUtcMs).
//
//   const WorkCalendar& cal = WorkCalendar::Embedded();
//   Findings w;
//   Date last = cal.PeriodEnd(Date{2026, 9, 28}, 7, &w);   // 公示 of 7 days -> 2026-10-08
//   if (!w.empty()) ShowWarnings(w);
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "shared/civil_time.h"
#include "shared/findings.h"
#include "shared/status.h"

namespace shefu {

enum class DayKind {
  kWorkday,        // Monday–Friday, not a holiday
  kWeekend,        // Saturday or Sunday, not a make-up workday
  kHoliday,        // an official rest day of the year's notice (weekend days inside it too)
  kMakeupWorkday,  // 调休上班: a weekend day worked in exchange for a holiday
};

// Where a year's data comes from.
struct HolidayNotice {
  int year = 0;
  std::string title;   // 国务院办公厅关于2026年部分节假日安排的通知
  std::string doc_no;  // 国办发明电〔2024〕12号; empty when not verified
  Date issued_on;
  int statutory_days = 0;  // statutory holidays that year (11 to 2024, 13 from 2025)
};

class WorkCalendar {
 public:
  // An empty calendar: every year falls back to weekends only, with warnings.
  WorkCalendar() = default;

  // Parses and validates the JSON format of shared/data/holidays-cn.json: each year once; each
  // holiday range within a month of its year and at most 10 days; make-up workdays fall on a
  // weekend; no day is both; and weekday rest days minus make-up workdays equal the year's
  // statutory_days (a mistyped date breaks this). Errors: bad_holiday_data.
  static Result<WorkCalendar> FromJsonText(std::string_view text);
  static Result<WorkCalendar> LoadFile(const std::string& path);
  static Result<WorkCalendar> LoadEmbedded();
  // The compiled-in calendar, parsed once. Its validity is a test of this module, so a broken
  // build aborts here rather than counting days wrongly.
  static const WorkCalendar& Embedded();

  bool HasYear(int year) const { return notices_.count(year) != 0; }
  const HolidayNotice* Notice(int year) const;

  // Every function below adds holiday_calendar_missing to *warnings (when given) once for each
  // year it had to look at without data.
  DayKind Kind(const Date& d, Findings* warnings = nullptr) const;
  bool IsWorkingDay(const Date& d, Findings* warnings = nullptr) const;
  // The first working day strictly after d.
  Date NextWorkingDay(const Date& d, Findings* warnings = nullptr) const;
  // The n-th working day after start (start itself not counted); n <= 0 returns start.
  Date AddWorkingDays(const Date& start, int n, Findings* warnings = nullptr) const;
  // The last day of a period of `days` calendar days starting on `start` (see the file
  // comment); days <= 0 is treated as 0, so the result is start or the next working day.
  Date PeriodEnd(const Date& start, int days, Findings* warnings = nullptr) const;

 private:
  void NoteYear(int year, Findings* warnings) const;

  std::map<int, HolidayNotice> notices_;
  std::map<int64_t, DayKind> overrides_;  // day number -> kHoliday | kMakeupWorkday
};

// The instant a period whose last day is `last_day` ends: 24:00 Shanghai time of that day,
// as UTC milliseconds (exclusive: an act at this instant or later is late).
int64_t PeriodDeadlineUtcMs(const Date& last_day);

}  // namespace shefu
