#include "shared/public_notice.h"

#include "shared/masking.h"

namespace shefu {

bool WeekendsOnly(const Date& d) {
  return IsoWeekday(d) <= 5;
}

Result<Date> CivilCodePeriodEnd(const Date& start, int days, DayUnit unit,
                                const IsWorkingDayFn& is_working_day) {
  const auto no_working_day = [] {
    return Status::Error("no_working_day", "工作日历在一年内没有工作日",
                         "the working-day calendar has no working day within a year",
                         kCivilCodePeriods);
  };
  Date d = start;  // 第二百零一条: the start day itself is not counted
  if (unit == DayUnit::kCalendarDays) {
    d = AddDays(start, days);
  } else {
    int idle = 0;  // days scanned since the last working day
    for (int counted = 0; counted < days;) {
      d = AddDays(d, 1);
      if (is_working_day(d)) {
        ++counted;
        idle = 0;
      } else if (++idle > 366) {
        return no_working_day();
      }
    }
  }
  // 第二百零三条: a last day on a holiday moves to the first day after the holiday.
  for (int idle = 0; !is_working_day(d); ++idle) {
    if (idle > 366) return no_working_day();
    d = AddDays(d, 1);
  }
  return d;
}

PeriodEndFn CivilCodePeriod(DayUnit unit, IsWorkingDayFn is_working_day) {
  return [unit, cal = std::move(is_working_day)](const Date& start, int days) {
    return CivilCodePeriodEnd(start, days, unit, cal);
  };
}

Result<NoticePeriod> StartNotice(const Date& published_on, int days,
                                 const PeriodEndFn& period_end) {
  if (days < 1 || days > 365)
    return Status::Error("bad_notice_days", "公示期应为 1 至 365 日",
                         "a notice period must be 1 to 365 days", kCivilCodePeriods);
  auto end = period_end(published_on, days);
  if (!end.ok()) return end.status();
  NoticePeriod p;
  p.published_on = published_on;
  p.first_day = AddDays(published_on, 1);
  p.last_day = *end;
  p.days = days;
  if (p.last_day < p.first_day)
    return Status::Error("bad_notice_period", "公示期结束日早于开始日",
                         "the notice period ends before it starts", kCivilCodePeriods);
  return p;
}

NoticeState NoticeStateOn(const NoticePeriod& p, const Date& today) {
  if (today < p.published_on) return NoticeState::kNotStarted;
  if (today <= p.last_day) return NoticeState::kRunning;
  return NoticeState::kEnded;
}

std::string NoticeName(std::string_view full_name) {
  return MaskName(full_name);
}

std::string RenderProxyListNotice(const std::vector<NamedProxy>& proxies, Lang lang) {
  std::string out = lang == Lang::kZh ? "委托投票名单（委托人 → 受委托人）\n"
                                      : "Proxy list (principal → proxy)\n";
  for (const auto& p : proxies)
    out += NoticeName(p.principal_name) + " → " + NoticeName(p.proxy_name) + "\n";
  return out;
}

}  // namespace shefu
