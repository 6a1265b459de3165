// 公示 (public notice) periods and what a notice may show.
//
// Counting follows 民法典:
//   第二百零一条  a period in days starts counting on the day AFTER the notice is published;
//   第二百零三条  when the last day is a statutory holiday (法定休假日: weekends and public
//                 holidays), the period ends on the first day after the holiday; the last day
//                 runs until 24:00.
// So a 7-day notice published on Friday 2026-09-25 counts 09-26 … 10-02; 10-02 falls in the
// National Day holiday, so the period ends on the first working day after it.
//
// The calendar is injected: an IsWorkingDayFn (the holiday calendar of shared/work_calendar.h,
// which ships per-year holiday and make-up-workday data, plugs in here; WeekendsOnly is the
// fallback for a year without data), or a whole PeriodEndFn. The length is the policy's
// parameter (default 7 days, from the PolicyBook), passed in, never a constant here.
//
// What is published is de-identified (政务公开 去标识化; PIPL 第二十六、五十五条): names are
// masked with MaskName (张三明 -> 张*明).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/civil_time.h"
#include "shared/i18n.h"
#include "shared/status.h"

namespace shefu {

inline constexpr const char* kCivilCodePeriods = "民法典 第二百零一条至第二百零三条";

// True when `d` is a working day (not a weekend or statutory holiday, or a make-up workday).
using IsWorkingDayFn = std::function<bool(const Date&)>;
// The last day of a period of `days` starting from the event on `start`.
using PeriodEndFn = std::function<Result<Date>(const Date& start, int days)>;

// Mondays to Fridays. The fallback when no holiday calendar exists for the year (warn the user:
// it ignores public holidays and 调休).
bool WeekendsOnly(const Date& d);

enum class DayUnit {
  kCalendarDays,  // "7日": every day counts; only the last day is moved off a holiday
  kWorkingDays,   // "7个工作日": only working days count
};

// The period end per 第二百零一、二百零三条 with `is_working_day` as the calendar. days >= 1.
// Error no_working_day when the calendar has no working day within a year of where it looks
// (a broken calendar must not hang the caller).
Result<Date> CivilCodePeriodEnd(const Date& start, int days, DayUnit unit,
                                const IsWorkingDayFn& is_working_day);
// The same, as a PeriodEndFn.
PeriodEndFn CivilCodePeriod(DayUnit unit, IsWorkingDayFn is_working_day);

struct NoticePeriod {
  Date published_on;  // the event day (not counted)
  Date first_day;     // published_on + 1
  Date last_day;      // inclusive, until 24:00
  int days = 0;       // the length asked for
};

// Starts a notice of `days` (1..365) published on `published_on`. Errors: bad_notice_days, and
// whatever the period function reports.
Result<NoticePeriod> StartNotice(const Date& published_on, int days, const PeriodEndFn& period_end);

enum class NoticeState { kNotStarted, kRunning, kEnded };
// kRunning from published_on through last_day (inclusive); kEnded from the day after.
NoticeState NoticeStateOn(const NoticePeriod& p, const Date& today);

// A person's name as a notice may show it: 张三明 -> 张*明.
std::string NoticeName(std::string_view full_name);

// 委托人和受委托人名单 (the proxy list that must be published before the vote), masked.
struct NamedProxy {
  std::string principal_name;
  std::string proxy_name;
};
std::string RenderProxyListNotice(const std::vector<NamedProxy>& proxies, Lang lang);

}  // namespace shefu
