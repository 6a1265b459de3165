#include "shared/civil_time.h"

#include <cstdio>

namespace shefu {

// Howard Hinnant's days_from_civil / civil_from_days (public domain algorithms).
int64_t DaysFromCivil(const Date& d) {
  int64_t y = d.year - (d.month <= 2 ? 1 : 0);
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t mp = (d.month + 9) % 12;
  const int64_t doy = (153 * mp + 2) / 5 + d.day - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

Date CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = yoe + era * 400;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  return Date{static_cast<int>(y + (m <= 2 ? 1 : 0)), static_cast<int>(m), static_cast<int>(d)};
}

bool IsLeapYear(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int DaysInMonth(int y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2 && IsLeapYear(y)) return 29;
  return kDays[m - 1];
}

bool IsValidDate(const Date& d) {
  return d.year >= 1900 && d.year <= 9999 && d.month >= 1 && d.month <= 12 && d.day >= 1 &&
         d.day <= DaysInMonth(d.year, d.month);
}

int IsoWeekday(const Date& d) {
  int64_t z = DaysFromCivil(d);     // 1970-01-01 was a Thursday (4)
  int64_t w = (z % 7 + 7 + 3) % 7;  // 0 = Monday
  return static_cast<int>(w) + 1;
}

Date AddDays(const Date& d, int64_t n) {
  return CivilFromDays(DaysFromCivil(d) + n);
}

Date AddMonths(const Date& d, int months) {
  int64_t idx = static_cast<int64_t>(d.year) * 12 + (d.month - 1) + months;
  int y = static_cast<int>(idx / 12);
  int m = static_cast<int>(idx % 12) + 1;
  int day = d.day > DaysInMonth(y, m) ? DaysInMonth(y, m) : d.day;
  return Date{y, m, day};
}

int TermMonths(const Date& start, const Date& end_inclusive) {
  // Count whole months m such that AddMonths(start, m) - 1 day <= end; a partial month counts
  // as a month (a 12-month-and-1-day contract is over 12 months).
  Date end_next = AddDays(end_inclusive, 1);
  int months = (end_next.year - start.year) * 12 + (end_next.month - start.month);
  if (AddMonths(start, months) < end_next) ++months;
  while (months > 0 && AddMonths(start, months - 1) >= end_next) --months;
  return months;
}

int Quarter(const Date& d) {
  return (d.month - 1) / 3 + 1;
}

int64_t DaysBetween(const Date& a, const Date& b) {
  return DaysFromCivil(b) - DaysFromCivil(a);
}

Date ShanghaiDate(int64_t utc_ms) {
  int64_t local = utc_ms + kShanghaiOffsetMs;
  int64_t days = local >= 0 ? local / kDayMs : (local - kDayMs + 1) / kDayMs;
  return CivilFromDays(days);
}

int64_t ShanghaiMidnightUtcMs(const Date& d) {
  return DaysFromCivil(d) * kDayMs - kShanghaiOffsetMs;
}

std::string FormatDate(const Date& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  return buf;
}

Result<Date> ParseDate(std::string_view s) {
  auto bad = [&] {
    return Status::Error("bad_date", "日期格式应为 YYYY-MM-DD：" + std::string(s.substr(0, 40)),
                         "date must be YYYY-MM-DD: " + std::string(s.substr(0, 40)));
  };
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return bad();
  auto num = [&](size_t pos, size_t len, int* out) {
    int v = 0;
    for (size_t i = pos; i < pos + len; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
  };
  Date d;
  if (!num(0, 4, &d.year) || !num(5, 2, &d.month) || !num(8, 2, &d.day)) return bad();
  if (!IsValidDate(d)) return bad();
  return d;
}

std::string FormatLocalMinute(int64_t utc_ms) {
  int64_t local = utc_ms + kShanghaiOffsetMs;
  Date d = ShanghaiDate(utc_ms);
  int64_t ms_of_day = local - DaysFromCivil(d) * kDayMs;
  int minutes = static_cast<int>(ms_of_day / 60000);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d", d.year, d.month, d.day, minutes / 60,
                minutes % 60);
  return buf;
}

std::string FormatShortLocalDate(int64_t utc_ms, Lang lang) {
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  Date d = ShanghaiDate(utc_ms);
  if (lang == Lang::kEn) return std::string(kMonths[d.month - 1]) + " " + std::to_string(d.day);
  return std::to_string(d.month) + "月" + std::to_string(d.day) + "日";
}

std::string FormatUtcIso(int64_t utc_ms) {
  int64_t days = utc_ms >= 0 ? utc_ms / kDayMs : (utc_ms - kDayMs + 1) / kDayMs;
  Date d = CivilFromDays(days);
  int64_t rem = utc_ms - days * kDayMs;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", d.year, d.month, d.day,
                static_cast<int>(rem / 3600000), static_cast<int>(rem / 60000 % 60),
                static_cast<int>(rem / 1000 % 60), static_cast<int>(rem % 1000));
  return buf;
}

Result<int64_t> ParseUtcIso(std::string_view s) {
  auto bad = [&] {
    return Status::Error("bad_time", "时间格式应为 UTC ISO-8601（如 2026-11-29T09:58:47Z）",
                         "time must be UTC ISO-8601 (e.g. 2026-11-29T09:58:47Z)");
  };
  if (s.size() < 20 || s[10] != 'T' || s.back() != 'Z') return bad();
  auto date = ParseDate(s.substr(0, 10));
  if (!date.ok()) return bad();
  auto two = [&](size_t pos, int* out) {
    if (s[pos] < '0' || s[pos] > '9' || s[pos + 1] < '0' || s[pos + 1] > '9') return false;
    *out = (s[pos] - '0') * 10 + (s[pos + 1] - '0');
    return true;
  };
  int hh, mm, ss;
  if (!two(11, &hh) || s[13] != ':' || !two(14, &mm) || s[16] != ':' || !two(17, &ss)) return bad();
  if (hh > 23 || mm > 59 || ss > 59) return bad();
  int ms = 0;
  size_t pos = 19;
  if (s[pos] == '.') {
    int digits = 0;
    ++pos;
    while (pos < s.size() - 1 && s[pos] >= '0' && s[pos] <= '9' && digits < 3) {
      ms = ms * 10 + (s[pos] - '0');
      ++pos;
      ++digits;
    }
    if (digits == 0) return bad();
    while (digits < 3) {
      ms *= 10;
      ++digits;
    }
  }
  if (pos != s.size() - 1) return bad();
  return DaysFromCivil(*date) * kDayMs + ((hh * 60 + mm) * 60 + ss) * 1000LL + ms;
}

}  // namespace shefu
