// Civil dates and times. Storage is UTC milliseconds; legal dates are days in Asia/Shanghai.
//
// China has one time zone, UTC+8, without daylight saving since 1991, so Asia/Shanghai is a
// fixed offset here (g++ 12 has no <chrono> time zones, and none are needed). Legal periods —
// Q1 for catalogues (第七条), 公示 periods, contract months (第二十二条), year end (第二十三条) —
// are counted in these local days.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "shared/status.h"

namespace shefu {

inline constexpr int64_t kShanghaiOffsetMs = 8LL * 3600 * 1000;
inline constexpr int64_t kDayMs = 24LL * 3600 * 1000;

struct Date {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
  auto operator<=>(const Date&) const = default;
};

// Days since 1970-01-01 (proleptic Gregorian); negative before.
int64_t DaysFromCivil(const Date& d);
Date CivilFromDays(int64_t days);
bool IsLeapYear(int year);
int DaysInMonth(int year, int month);
bool IsValidDate(const Date& d);

// ISO weekday: 1 = Monday ... 7 = Sunday.
int IsoWeekday(const Date& d);
Date AddDays(const Date& d, int64_t n);
// Adds calendar months. When the target month has no such day, the period ends on the last day
// of that month (民法典 第二百零二条: "没有对应日的，月末日为期间的最后一日").
Date AddMonths(const Date& d, int months);
// Whole months from `from` to `to` counted as contract terms are: 2024-01-01 .. 2026-12-31 is
// 36 months (the end day is included).
int TermMonths(const Date& start, const Date& end_inclusive);
int Quarter(const Date& d);                         // 1..4
int64_t DaysBetween(const Date& a, const Date& b);  // b - a

// The Shanghai calendar day that contains the UTC instant `utc_ms`.
Date ShanghaiDate(int64_t utc_ms);
// UTC ms of 00:00 Shanghai time on `d`.
int64_t ShanghaiMidnightUtcMs(const Date& d);

std::string FormatDate(const Date& d);  // 2026-11-29
// Accepts YYYY-MM-DD only; range-checked.
Result<Date> ParseDate(std::string_view s);
// "2026-11-29 17:58" in Shanghai local time (for display).
std::string FormatLocalMinute(int64_t utc_ms);
// "5月3日" / "May 3" style short local date for plain-language messages.
std::string FormatShortLocalDate(int64_t utc_ms, Lang lang);
// "2026-11-29T09:58:47.123Z" (for storage and logs).
std::string FormatUtcIso(int64_t utc_ms);
Result<int64_t> ParseUtcIso(std::string_view s);

}  // namespace shefu
