// Working days and 公示 periods (民法典 第二百零一至二百零三条) on the State Council calendars.
#include <catch2/catch.hpp>

#include "shared/work_calendar.h"
#include "tests/support/test_util.h"

using namespace shefu;

namespace {

const WorkCalendar& Cal() {
  return WorkCalendar::Embedded();
}

// A one-year calendar file with the given holiday ranges and make-up workdays.
std::string YearJson(int statutory, const std::string& holidays, const std::string& workdays) {
  return R"({"format": 1, "timezone": "Asia/Shanghai", "years": [{"year": 2021,
    "statutory_days": )" +
         std::to_string(statutory) + R"(, "source": {"title": "t", "doc_no": null,
    "issued_on": "2020-11-25"}, "holidays": [)" +
         holidays + R"(], "workdays": [)" + workdays + "]}]}";
}

}  // namespace

TEST_CASE("Holiday data: 2021–2026 are loaded, each with its State Council notice") {
  for (int y = 2021; y <= 2026; ++y) {
    INFO(y);
    REQUIRE(Cal().HasYear(y));
    const HolidayNotice* n = Cal().Notice(y);
    REQUIRE(n);
    CHECK(n->title == "国务院办公厅关于" + std::to_string(y) + "年部分节假日安排的通知");
    CHECK(n->statutory_days == (y >= 2025 ? 13 : 11));
  }
  CHECK(Cal().Notice(2025)->doc_no == "国办发明电〔2024〕12号");
  CHECK_FALSE(Cal().HasYear(2027));
}

TEST_CASE("Holiday data: working days per year are weekdays minus the statutory holidays") {
  for (int y = 2021; y <= 2026; ++y) {
    int weekdays = 0, working = 0;
    for (Date d{y, 1, 1}; d.year == y; d = AddDays(d, 1)) {
      if (IsoWeekday(d) <= 5) ++weekdays;
      if (Cal().IsWorkingDay(d)) ++working;
    }
    INFO(y);
    CHECK(working == weekdays - Cal().Notice(y)->statutory_days);
  }
}

TEST_CASE("Working days: holidays are rest days and 调休 weekends are working days") {
  CHECK_FALSE(Cal().IsWorkingDay(Date{2026, 10, 1}));  // 国庆节
  CHECK_FALSE(Cal().IsWorkingDay(Date{2026, 10, 7}));  // a Wednesday inside the break
  CHECK(Cal().Kind(Date{2026, 10, 7}) == DayKind::kHoliday);
  CHECK(Cal().IsWorkingDay(Date{2026, 10, 10}));  // Saturday, 调休上班
  CHECK(Cal().Kind(Date{2026, 10, 10}) == DayKind::kMakeupWorkday);
  CHECK(Cal().IsWorkingDay(Date{2026, 9, 20}));         // Sunday, 调休上班
  CHECK_FALSE(Cal().IsWorkingDay(Date{2026, 2, 16}));   // 除夕 2026
  CHECK(Cal().IsWorkingDay(Date{2024, 2, 9}));          // 除夕 2024 was a working day
  CHECK_FALSE(Cal().IsWorkingDay(Date{2025, 1, 28}));   // 除夕 is a holiday from 2025
  CHECK(Cal().IsWorkingDay(Date{2023, 6, 25}));         // Sunday after 端午 2023
  CHECK_FALSE(Cal().IsWorkingDay(Date{2022, 12, 31}));  // in 2023's notice, a Saturday
  CHECK(Cal().Kind(Date{2026, 11, 28}) == DayKind::kWeekend);
  CHECK(Cal().Kind(Date{2026, 11, 27}) == DayKind::kWorkday);
}

TEST_CASE("Working days: NextWorkingDay and AddWorkingDays skip the National Day break") {
  CHECK(Cal().NextWorkingDay(Date{2026, 9, 30}) == Date{2026, 10, 8});
  CHECK(Cal().NextWorkingDay(Date{2026, 10, 9}) == Date{2026, 10, 10});  // 调休 Saturday
  // Oct 8 (1), Oct 9 (2), Oct 10 调休 (3), Oct 12 (4), Oct 13 (5).
  CHECK(Cal().AddWorkingDays(Date{2026, 9, 30}, 5) == Date{2026, 10, 13});
  CHECK(Cal().AddWorkingDays(Date{2026, 9, 30}, 0) == Date{2026, 9, 30});
  CHECK(Cal().AddWorkingDays(Date{2026, 11, 27}, 1) == Date{2026, 11, 30});
}

TEST_CASE("民法典第二百零一条: the start day of a 公示 is not counted") {
  // Published on Monday 2026-11-02: seven days are Nov 3..Nov 9, ending Monday Nov 9.
  CHECK(Cal().PeriodEnd(Date{2026, 11, 2}, 7) == Date{2026, 11, 9});
}

TEST_CASE(
    "民法典第二百零三条: a 7-day 公示 ending inside National Day ends on the next working day") {
  // 2026-09-28 + 7 = 2026-10-05, inside the 10-01..10-07 break -> Thursday 10-08.
  CHECK(Cal().PeriodEnd(Date{2026, 9, 28}, 7) == Date{2026, 10, 8});
  // 2025: 09-26 + 7 = 10-03; the merged 国庆/中秋 break runs to 10-08 -> 10-09.
  CHECK(Cal().PeriodEnd(Date{2025, 9, 26}, 7) == Date{2025, 10, 9});
  // Without the calendar the same period would wrongly end on Monday 10-05.
  WorkCalendar weekends_only;
  CHECK(weekends_only.PeriodEnd(Date{2026, 9, 28}, 7) == Date{2026, 10, 5});
}

TEST_CASE("民法典第二百零三条: a 公示 ending on a 调休 weekend workday is not extended") {
  // 2026-10-03 + 7 = Saturday 10-10, a make-up workday: the period ends that day.
  CHECK(Cal().PeriodEnd(Date{2026, 10, 3}, 7) == Date{2026, 10, 10});
  // 2026-02-07 + 7 = Saturday 02-14, a make-up workday before 春节.
  CHECK(Cal().PeriodEnd(Date{2026, 2, 7}, 7) == Date{2026, 2, 14});
  // An ordinary Saturday is a rest day: 2026-11-21 + 7 = Saturday 11-28 -> Monday 11-30.
  CHECK(Cal().PeriodEnd(Date{2026, 11, 21}, 7) == Date{2026, 11, 30});
}

TEST_CASE("民法典第二百零三条: the period ends at 24:00 Shanghai time of its last day") {
  // 24:00 on 2026-10-08 in Shanghai is 16:00 UTC that day.
  CHECK(PeriodDeadlineUtcMs(Date{2026, 10, 8}) == *ParseUtcIso("2026-10-08T16:00:00Z"));
}

TEST_CASE("Working days: a year without data falls back to weekends with a visible warning") {
  Findings w;
  // 2027-10-01 is a Friday: without the 2027 notice it counts as a working day — with a warning.
  CHECK(Cal().IsWorkingDay(Date{2027, 10, 1}, &w));
  REQUIRE(w.Has("holiday_calendar_missing"));
  CHECK(w.ok());  // a warning, not an error
  CHECK(w.all()[0].text.zh.find("2027") != std::string::npos);
  // One warning per missing year, however many days were looked at.
  Cal().AddWorkingDays(Date{2027, 1, 1}, 30, &w);
  CHECK(w.all().size() == 1);
  Cal().PeriodEnd(Date{2027, 12, 30}, 7, &w);  // spans 2027 and 2028
  CHECK(w.all().size() == 2);
  Findings none;
  Cal().PeriodEnd(Date{2026, 9, 28}, 7, &none);
  CHECK(none.empty());
}

TEST_CASE("Holiday data: a mistyped date or an impossible make-up day is refused") {
  // 2021 元旦 1-1..1-3 holds one weekday (Friday): statutory 1 matches.
  const char* ny = R"({"name": "元旦", "en": "NY", "from": "2021-01-01", "to": "2021-01-03"})";
  REQUIRE(WorkCalendar::FromJsonText(YearJson(1, ny, "")).ok());
  // The count check catches a date typed one day off.
  auto off = WorkCalendar::FromJsonText(
      YearJson(1, R"({"name": "元旦", "en": "NY", "from": "2021-01-01", "to": "2021-01-04"})", ""));
  REQUIRE_FALSE(off.ok());
  CHECK(off.status().code() == "bad_holiday_data");
  // A make-up workday must be a weekend day.
  CHECK_FALSE(WorkCalendar::FromJsonText(YearJson(0, ny, R"("2021-01-05")")).ok());
  // A day cannot be both a holiday and a workday.
  CHECK_FALSE(WorkCalendar::FromJsonText(YearJson(1, ny, R"("2021-01-02")")).ok());
  // Ranges are short and near their year.
  CHECK_FALSE(
      WorkCalendar::FromJsonText(YearJson(1, R"({"name": "x", "en": "x", "from": "2021-01-01",
                                  "to": "2021-03-01"})",
                                          ""))
          .ok());
  CHECK_FALSE(WorkCalendar::FromJsonText("{").ok());
  CHECK_FALSE(WorkCalendar::LoadFile("/nonexistent/holidays.json").ok());
  test::TempDir dir;
  test::WriteFile(dir.file("h.json"), YearJson(1, ny, ""));
  auto loaded = WorkCalendar::LoadFile(dir.file("h.json"));
  REQUIRE(loaded.ok());
  CHECK_FALSE(loaded->IsWorkingDay(Date{2021, 1, 1}));
}
