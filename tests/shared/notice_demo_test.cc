// 公示 periods (民法典 第二百零一至二百零三条) with an injected calendar, masked publication, and
// the demonstration-project ranking of 第二十八条.
#include <set>

#include <catch2/catch.hpp>

#include "shared/demonstration.h"
#include "shared/public_notice.h"

using namespace shefu;

namespace {

// A small fake calendar for the tests (not official data): National Day 2026-10-01..07 off,
// Sunday 09-27 and Saturday 10-10 are make-up workdays (调休).
bool FakeCalendar(const Date& d) {
  if (d >= Date{2026, 10, 1} && d <= Date{2026, 10, 7}) return false;
  if (d == Date{2026, 9, 27} || d == Date{2026, 10, 10}) return true;
  return IsoWeekday(d) <= 5;
}

}  // namespace

TEST_CASE("民法典 第二百零一条: the publication day is not counted") {
  auto p = StartNotice(Date{2026, 11, 3}, 7, CivilCodePeriod(DayUnit::kCalendarDays, FakeCalendar));
  REQUIRE(p.ok());
  CHECK(p->first_day == Date{2026, 11, 4});
  CHECK(p->last_day == Date{2026, 11, 10});  // a Tuesday: nothing to move
  CHECK(NoticeStateOn(*p, Date{2026, 11, 2}) == NoticeState::kNotStarted);
  CHECK(NoticeStateOn(*p, Date{2026, 11, 3}) == NoticeState::kRunning);
  CHECK(NoticeStateOn(*p, Date{2026, 11, 10}) == NoticeState::kRunning);  // until 24:00
  CHECK(NoticeStateOn(*p, Date{2026, 11, 11}) == NoticeState::kEnded);
}

TEST_CASE("民法典 第二百零三条: a 公示 day count across a holiday ends after the holiday") {
  // Published Friday 09-25, 7 days: 09-26 … 10-02, and 10-02 is inside the National Day holiday,
  // so the period ends on the first working day after it, Thursday 10-08.
  auto p = StartNotice(Date{2026, 9, 25}, 7, CivilCodePeriod(DayUnit::kCalendarDays, FakeCalendar));
  REQUIRE(p.ok());
  CHECK(p->last_day == Date{2026, 10, 8});
  CHECK(NoticeStateOn(*p, Date{2026, 10, 8}) == NoticeState::kRunning);
  CHECK(NoticeStateOn(*p, Date{2026, 10, 9}) == NoticeState::kEnded);
  // With weekends only (no calendar for the year), the same notice would wrongly end 10-02.
  auto naive =
      StartNotice(Date{2026, 9, 25}, 7, CivilCodePeriod(DayUnit::kCalendarDays, WeekendsOnly));
  CHECK(naive->last_day == Date{2026, 10, 2});
  // Ending on a weekend moves to Monday.
  auto weekend =
      StartNotice(Date{2026, 11, 2}, 5, CivilCodePeriod(DayUnit::kCalendarDays, WeekendsOnly));
  CHECK(weekend->last_day == Date{2026, 11, 9});
}

TEST_CASE("民法典 第二百零一条: working-day notices skip holidays and count make-up workdays") {
  // Published Monday 09-28: 09-29, 09-30, [holiday], 10-08, 10-09, 10-10 (调休 Saturday), 10-12,
  // 10-13.
  auto p = StartNotice(Date{2026, 9, 28}, 7, CivilCodePeriod(DayUnit::kWorkingDays, FakeCalendar));
  REQUIRE(p.ok());
  CHECK(p->last_day == Date{2026, 10, 13});
  // A make-up Sunday counts as a working day.
  auto q = StartNotice(Date{2026, 9, 26}, 1, CivilCodePeriod(DayUnit::kWorkingDays, FakeCalendar));
  CHECK(q->last_day == Date{2026, 9, 27});
}

TEST_CASE("公示: the length is a parameter and the period function is injected") {
  CHECK(StartNotice(Date{2026, 1, 5}, 0, CivilCodePeriod(DayUnit::kCalendarDays, WeekendsOnly))
            .status()
            .code() == "bad_notice_days");
  PeriodEndFn broken = [](const Date&, int) -> Result<Date> {
    return Status::Error("no_calendar", "无日历", "no calendar");
  };
  CHECK(StartNotice(Date{2026, 1, 5}, 7, broken).status().code() == "no_calendar");
  auto never = [](const Date&) { return false; };
  CHECK(StartNotice(Date{2026, 1, 5}, 7, CivilCodePeriod(DayUnit::kWorkingDays, never))
            .status()
            .code() == "no_working_day");
  CHECK(StartNotice(Date{2026, 1, 5}, 7, CivilCodePeriod(DayUnit::kCalendarDays, never))
            .status()
            .code() == "no_working_day");
  PeriodEndFn backwards = [](const Date& d, int) -> Result<Date> { return d; };
  CHECK(StartNotice(Date{2026, 1, 5}, 7, backwards).status().code() == "bad_notice_period");
}

TEST_CASE("公示: published names are masked") {
  CHECK(NoticeName("张三明") == "张*明");
  CHECK(NoticeName("欧阳娜娜") == "欧**娜");
  std::string list = RenderProxyListNotice({{"张三明", "李四"}}, Lang::kZh);
  CHECK(list == "委托投票名单（委托人 → 受委托人）\n张*明 → 李*\n");
  CHECK(list.find("三") == std::string::npos);
}

namespace {

DemoRound Round() {
  DemoRound r;
  r.id = "demo-2026";
  r.opened_at_ms = 10'000;
  r.max_choices = 2;
  r.weight_history = {{{400, 600}, 5'000}};
  return r;
}

std::vector<Nomination> Noms() {
  return {{"A", {"长者饭堂", "elders' canteen"}, "org-A", "town-1"},
          {"B", {"四点半课堂", "after-school"}, "org-B", "town-1"},
          {"C", {"邻里互助", "neighbours"}, "org-C", "town-2"}};
}

std::vector<PublicBallot> PublicBallots() {
  std::vector<PublicBallot> v;
  for (int i = 0; i < 6; ++i) v.push_back({"r" + std::to_string(i), {"A", "B"}});
  v.push_back({"r6", {"C"}});
  v.push_back({"r7", {"C"}});
  v.push_back({"r8", {}});               // blank: valid participation
  v.push_back({"r9", {"A", "B", "C"}});  // over-filled: invalid
  return v;
}

std::vector<Expert> Experts() {
  return {{"e1", {"org-A"}}, {"e2", {}}, {"e3", {}}};
}

std::vector<ExpertScore> Scores() {
  return {{"e1", "A", 950}, {"e1", "B", 800}, {"e1", "C", 900}, {"e2", "A", 850}, {"e2", "B", 800},
          {"e2", "C", 900}, {"e3", "A", 870}, {"e3", "B", 820}, {"e3", "C", 880}};
}

}  // namespace

TEST_CASE("第二十八条: public votes and expert scores combine exactly — with recusal") {
  auto r = RankDemonstrationProjects(Round(), Noms(), PublicBallots(), Experts(), Scores());
  REQUIRE(r.ok());
  CHECK(r->valid_ballots == 9);
  CHECK(r->blank_ballots == 1);
  CHECK(r->invalid_ballots == 1);
  REQUIRE(r->recused.size() == 1);  // e1 is related to org-A, A's provider
  CHECK(r->recused[0].project == "A");
  REQUIRE(r->ranking.size() == 3);
  const DemoEntry& a = r->ranking[0];
  CHECK(a.project == "A");
  CHECK(a.votes == 6);
  CHECK(a.public_permille == 667);
  CHECK(a.experts_counted == 2);
  CHECK(a.expert_mean_tenths == 860);
  // (400 × 1000 × 6 × 2 + 600 × 1720 × 9) / (1000 × 9 × 2) = 14 088 000 / 18 000 = 782.67
  CHECK(a.composite == Ratio{2348, 3});
  CHECK(a.composite_tenths == 783);
  CHECK(r->ranking[1].project == "B");
  CHECK(r->ranking[1].composite_tenths == 751);
  CHECK(r->ranking[2].project == "C");
  CHECK(r->ranking[2].composite_tenths == 625);
  CHECK_FALSE(a.tie_broken_by_id);
  // Without the recusal e1's 95 would have counted for A.
  CHECK(MayScore(Experts()[0], Noms()[0]).code() == "expert_conflict_of_interest");
  CHECK(MayScore(Experts()[0], Noms()[1]).ok());
  Expert town_related{"e4", {"town-2"}};
  CHECK_FALSE(MayScore(town_related, Noms()[2]).ok());  // related to the purchaser
}

TEST_CASE("第二十八条: weights must be published before the round opens and not changed after") {
  DemoRound r = Round();
  r.weight_history.push_back({{500, 500}, 20'000});
  auto res = RankDemonstrationProjects(r, Noms(), PublicBallots(), Experts(), Scores());
  CHECK(res.status().code() == "weights_changed_after_opening");
  CHECK(res.status().article() == "第二十八条");
  // Re-publishing the same weights after opening changes nothing.
  r = Round();
  r.weight_history.push_back({{400, 600}, 20'000});
  CHECK(RankDemonstrationProjects(r, Noms(), PublicBallots(), Experts(), Scores()).ok());
  // An earlier draft replaced before opening is fine: the last one before opening is in force.
  r = Round();
  r.weight_history.insert(r.weight_history.begin(), {{700, 300}, 1'000});
  CHECK(RankDemonstrationProjects(r, Noms(), PublicBallots(), Experts(), Scores())->weights ==
        DemoWeights{400, 600});
  r = Round();
  r.weight_history = {{{400, 600}, 10'001}};
  CHECK(
      RankDemonstrationProjects(r, Noms(), PublicBallots(), Experts(), Scores()).status().code() ==
      "weights_not_published");
  r = Round();
  r.weight_history = {{{400, 599}, 5'000}};
  CHECK(
      RankDemonstrationProjects(r, Noms(), PublicBallots(), Experts(), Scores()).status().code() ==
      "bad_weights");
}

TEST_CASE("第二十八条: a full tie is ordered by project id and flagged") {
  std::vector<Nomination> noms = {{"Z", {"乙", "Z"}, "o1", "t"}, {"Y", {"甲", "Y"}, "o2", "t"}};
  std::vector<PublicBallot> ballots = {{"r1", {"Z", "Y"}}};
  std::vector<ExpertScore> scores = {{"e2", "Z", 800}, {"e2", "Y", 800}};
  auto r = RankDemonstrationProjects(Round(), noms, ballots, Experts(), scores);
  REQUIRE(r.ok());
  CHECK(r->ranking[0].project == "Y");
  CHECK(r->ranking[0].tie_broken_by_id);
  CHECK(r->ranking[1].tie_broken_by_id);
  // Equal composite, better expert mean wins before votes or ids.
  DemoRound pub_only = Round();
  pub_only.weight_history = {{{1000, 0}, 0}};
  scores = {{"e2", "Z", 900}, {"e2", "Y", 800}};
  r = RankDemonstrationProjects(pub_only, noms, ballots, Experts(), scores);
  CHECK(r->ranking[0].project == "Z");
  CHECK_FALSE(r->ranking[0].tie_broken_by_id);
}

TEST_CASE("第二十八条: one ballot per resident — known experts — one score each") {
  auto ballots = PublicBallots();
  ballots.push_back({"r1", {"C"}});
  CHECK(RankDemonstrationProjects(Round(), Noms(), ballots, Experts(), Scores()).status().code() ==
        "duplicate_public_ballot");
  auto scores = Scores();
  scores.push_back({"e2", "A", 700});
  CHECK(RankDemonstrationProjects(Round(), Noms(), PublicBallots(), Experts(), scores)
            .status()
            .code() == "duplicate_expert_score");
  scores = Scores();
  scores.push_back({"e9", "A", 700});
  CHECK(RankDemonstrationProjects(Round(), Noms(), PublicBallots(), Experts(), scores)
            .status()
            .code() == "unknown_expert");
  scores = Scores();
  scores[3].tenths = 1001;
  CHECK(RankDemonstrationProjects(Round(), Noms(), PublicBallots(), Experts(), scores)
            .status()
            .code() == "bad_score");
  // If every expert who scored A is recused, A cannot be ranked.
  scores = {{"e1", "A", 950}, {"e2", "B", 800}, {"e2", "C", 900}};
  CHECK(RankDemonstrationProjects(Round(), Noms(), PublicBallots(), Experts(), scores)
            .status()
            .code() == "no_expert_scores");
  auto noms = Noms();
  noms.push_back(noms[0]);
  CHECK(RankDemonstrationProjects(Round(), noms, PublicBallots(), Experts(), Scores())
            .status()
            .code() == "duplicate_nomination");
}
