// Meeting law in integers: 民法典 第一千二百五十九条 arithmetic, quorum and decision rules as data,
// the live "cannot pass any more" warning.
#include <catch2/catch.hpp>

#include "shared/meeting_rules.h"
#include "shared/ratio.h"

using namespace shefu;

namespace {

const MeetingRules& LoadedRules() {
  static const MeetingRuleBook book = *MeetingRuleBook::LoadEmbedded();
  return *book.ForPolicyVersion("zhuhai-2021");
}

const MeetingKindRules& Kind(MeetingKind k) {
  return *LoadedRules().Find(k);
}

}  // namespace

TEST_CASE("民法典 第一千二百五十九条: 2 of 4 is not 过半数") {
  CHECK_FALSE(Meets(kMoreThanHalf, 2, 4));
  CHECK(Meets(kMoreThanHalf, 3, 4));
  CHECK(Meets(Threshold{1, 2, Bound::kInclusive}, 2, 4));  // 半数以上 includes the half
  CHECK(MinimumToMeet(kMoreThanHalf, 4) == 3);
  CHECK(MinimumToMeet(kMoreThanHalf, 5) == 3);
  CHECK(MinimumToMeet(kMoreThanHalf, 60) == 31);
  CHECK(MinimumToMeet(kMoreThanHalf, 0) == 1);
}

TEST_CASE("民法典 第一千二百五十九条: exactly ⅔ is ⅔以上") {
  CHECK(Meets(kTwoThirdsOrMore, 40, 60));
  CHECK_FALSE(Meets(kTwoThirdsOrMore, 39, 60));
  CHECK(Meets(kTwoThirdsOrMore, 2, 3));
  CHECK_FALSE(Meets(kTwoThirdsOrMore, 6, 10));  // 60 % < ⅔
  CHECK(Meets(kTwoThirdsOrMore, 7, 10));
  CHECK(MinimumToMeet(kTwoThirdsOrMore, 60) == 40);
  CHECK(MinimumToMeet(kTwoThirdsOrMore, 61) == 41);  // 40.67 -> 41
  CHECK(MinimumToMeet(kTwoThirdsOrMore, 0) == 0);
  // "超过三分之二" would exclude the exact value.
  CHECK_FALSE(Meets(Threshold{2, 3, Bound::kExclusive}, 40, 60));
}

TEST_CASE("民法典 第一千二百五十九条: MinimumToMeet agrees with Meets for every base") {
  for (Threshold t : {kMoreThanHalf, kTwoThirdsOrMore, Threshold{1, 2, Bound::kInclusive},
                      Threshold{3, 4, Bound::kExclusive}, Threshold{4, 5, Bound::kInclusive}}) {
    for (int64_t base = 0; base <= 200; ++base) {
      int64_t m = MinimumToMeet(t, base);
      INFO(t.num << "/" << t.den << " base " << base);
      CHECK(Meets(t, m, base));
      if (m > 0) CHECK_FALSE(Meets(t, m - 1, base));
    }
  }
  // Large numbers do not overflow.
  CHECK(Meets(kTwoThirdsOrMore, 6'000'000'000'000'000'000LL, 9'000'000'000'000'000'000LL));
}

TEST_CASE("民法典 第一千二百五十九条: fractions are named as the statute names them") {
  CHECK(ThresholdName(kMoreThanHalf).zh == "过半数");
  CHECK(ThresholdName(kTwoThirdsOrMore).zh == "三分之二以上");
  CHECK(ThresholdName(kTwoThirdsOrMore).en == "two thirds or more");
  CHECK(ThresholdName(Threshold{1, 2, Bound::kInclusive}).zh == "半数以上");
  CHECK(ThresholdName(Threshold{3, 5, Bound::kExclusive}).zh == "超过五分之三");
  CHECK(ThresholdName(Threshold{3, 4, Bound::kInclusive}).en == "3/4 or more");
  CHECK_FALSE(ValidateThreshold(Threshold{3, 2, Bound::kInclusive}).ok());
  CHECK_FALSE(ValidateThreshold(Threshold{0, 2, Bound::kInclusive}).ok());
  CHECK(ValidateThreshold(Threshold{3, 2, Bound::kInclusive}).code() == "bad_threshold");
}

TEST_CASE("Printed record: the inequality is spelled out for the record") {
  Text t = RenderInequality({"实到", "present"}, 31, {"应到", "roll"}, 60, kMoreThanHalf);
  CHECK(t.zh == "实到 31 × 2 > 应到 60 ✓");
  CHECK(t.en == "present 31 × 2 > roll 60 ✓");
  Text f = RenderInequality({"实到", "present"}, 30, {"应到", "roll"}, 60, kMoreThanHalf);
  CHECK(f.zh == "实到 30 × 2 > 应到 60 ✗");
  Text g = RenderInequality({"实到", "present"}, 40, {"应到", "roll"}, 60, kTwoThirdsOrMore);
  CHECK(g.zh == "实到 40 × 3 ≥ 应到 60 × 2 ✓");
}

TEST_CASE("Ratios: one decimal computed in integers — half up") {
  CHECK(PermilleHalfUp(*MakeRatio(70, 90)) == 778);
  CHECK(FormatPermilleAsPercent(778) == "77.8%");
  CHECK(PermilleHalfUp(*MakeRatio(31, 60)) == 517);
  CHECK(PermilleHalfUp(*MakeRatio(2, 3)) == 667);
  CHECK(PermilleHalfUp(*MakeRatio(1, 2000)) == 1);  // 0.05 % rounds up to 0.1 %
  CHECK(PermilleHalfUp(*MakeRatio(1, 2001)) == 0);
  CHECK(*MakeRatio(40, 60) == Ratio{2, 3});
  CHECK_FALSE(MakeRatio(1, 0).has_value());
  CHECK(FormatTenths(5) == "0.5");
  CHECK(FormatTenths(1000) == "100.0");
  CHECK(FormatTenths(-15) == "-1.5");
}

TEST_CASE("Meeting kinds have stable codes and names in both languages") {
  CHECK(AllMeetingKinds().size() == 5);
  for (MeetingKind k : AllMeetingKinds()) {
    MeetingKind back;
    REQUIRE(ParseMeetingKind(MeetingKindCode(k), &back));
    CHECK(back == k);
    CHECK_FALSE(MeetingKindName(k).zh.empty());
    CHECK_FALSE(MeetingKindName(k).en.empty());
  }
  CHECK(std::string(MeetingKindCode(MeetingKind::kVillagerRepsMeeting)) == "villager_reps_meeting");
  CHECK(MeetingKindName(MeetingKind::kTwoCommitteesMeeting).zh == "两委会议");
  MeetingKind k;
  CHECK_FALSE(ParseMeetingKind("party_meeting", &k));
}

TEST_CASE(
    "村民委员会组织法 第二十二条: a villagers' meeting needs 过半数 of adults or ⅔ of households") {
  const auto& r = Kind(MeetingKind::kVillagersMeeting);
  Attendance a;
  a.adults = Headcount{60, 30};      // exactly half: not 过半数
  a.households = Headcount{30, 19};  // 19 × 3 = 57 < 60
  auto q = CheckQuorum(r, a);
  REQUIRE(q.ok());
  CHECK_FALSE(q->met);
  REQUIRE(q->lines.size() == 2);
  CHECK(q->lines[0].inequality.zh == "实到 30 × 2 > 应到 60 ✗");
  CHECK(q->lines[1].inequality.zh == "到会户 19 × 3 ≥ 总户数 30 × 2 ✗");
  CHECK(q->lines[0].source == "村民委员会组织法 第二十二条");

  a.households = Headcount{30, 20};  // exactly ⅔ of households: quorate
  q = CheckQuorum(r, a);
  CHECK(q->met);
  a.households.reset();
  a.adults = Headcount{60, 31};
  q = CheckQuorum(r, a);
  CHECK(q->met);
  CHECK(q->lines[0].inequality.en == "present 31 × 2 > roll 60 ✓");
  CHECK(q->lines[0].rule.zh == "法定人数：过半数的18周岁以上村民到会");
}

TEST_CASE("村民委员会组织法 第二十六条: a representatives' meeting needs ⅔以上 of members") {
  const auto& r = Kind(MeetingKind::kVillagerRepsMeeting);
  Attendance a;
  a.members = Headcount{30, 20};
  CHECK(CheckQuorum(r, a)->met);
  a.members = Headcount{30, 19};
  CHECK_FALSE(CheckQuorum(r, a)->met);
}

TEST_CASE("城市居民委员会组织法 第十条: a residents' meeting needs 过半数 of its eligible body") {
  const auto& r = Kind(MeetingKind::kResidentsMeeting);
  Attendance a;
  a.eligible = Headcount{4, 2};
  CHECK_FALSE(CheckQuorum(r, a)->met);
  a.eligible = Headcount{4, 3};
  CHECK(CheckQuorum(r, a)->met);
}

TEST_CASE("Meeting rules: 居民代表会议 and 两委会议 defaults are configurable — not statutory") {
  const auto& reps = Kind(MeetingKind::kResidentRepsMeeting);
  CHECK(reps.quorum_any_of[0].threshold == kTwoThirdsOrMore);
  CHECK_FALSE(reps.quorum_any_of[0].statutory);
  const auto& two = Kind(MeetingKind::kTwoCommitteesMeeting);
  CHECK(two.quorum_any_of[0].threshold == kMoreThanHalf);
  Attendance a;
  a.members = Headcount{9, 5};
  CHECK(CheckQuorum(two, a)->met);
  a.members = Headcount{8, 4};
  CHECK_FALSE(CheckQuorum(two, a)->met);
}

TEST_CASE("Meeting rules: missing or inconsistent attendance is refused") {
  const auto& r = Kind(MeetingKind::kVillagerRepsMeeting);
  Attendance a;
  a.adults = Headcount{60, 40};  // not the base a representatives' meeting counts
  CHECK(CheckQuorum(r, a).status().code() == "quorum_base_missing");
  a.members = Headcount{30, 31};
  CHECK(CheckQuorum(r, a).status().code() == "bad_headcount");
  CHECK(CheckDecision(r, 32, 31).status().code() == "bad_headcount");
}

TEST_CASE("村民委员会组织法 第二十二条: the decision counts those present — not votes cast") {
  const auto& r = Kind(MeetingKind::kVillagersMeeting);
  // 31 present, 15 yes, 14 no, 2 abstain: 15 > 14 among votes cast, but 15 × 2 = 30 < 31.
  auto d = CheckDecision(r, 15, 31);
  REQUIRE(d.ok());
  CHECK_FALSE(d->holds);
  CHECK(d->inequality.zh == "赞成 15 × 2 > 实到 31 ✗");
  d = CheckDecision(r, 16, 31);
  CHECK(d->holds);
  CHECK(d->inequality.en == "yes 16 × 2 > present 31 ✓");
  CHECK(CheckDecision(r, 2, 4)->holds == false);  // 2 of 4 is not 过半数
}

TEST_CASE("村民委员会组织法 第二十二条: warning when a motion cannot pass any more") {
  // 31 present, 10 yes so far, 5 have not voted: 15 < 16 needed even if all 5 say yes.
  auto o = LiveMotionOutlook(kMoreThanHalf, 31, 10, 5);
  REQUIRE(o.ok());
  CHECK(o->outlook == MotionOutlook::kCannotPass);
  CHECK(o->yes_needed == 16);
  CHECK(o->findings.Has("motion_cannot_pass"));
  CHECK(o->findings.ok());  // a warning, not an error
  o = LiveMotionOutlook(kMoreThanHalf, 31, 10, 6);
  CHECK(o->outlook == MotionOutlook::kOpen);
  CHECK(o->more_yes_needed == 6);
  CHECK(o->findings.empty());
  o = LiveMotionOutlook(kMoreThanHalf, 31, 16, 0);
  CHECK(o->outlook == MotionOutlook::kAlreadyPassed);
  CHECK(o->more_yes_needed == 0);
  // Before anyone votes, the chair can announce the number needed.
  CHECK(LiveMotionOutlook(kMoreThanHalf, 4, 0, 4)->yes_needed == 3);
  CHECK(LiveMotionOutlook(kMoreThanHalf, 31, 20, 12).status().code() == "bad_headcount");
}

TEST_CASE("Meeting rules data: the embedded book loads and resolves by version and date") {
  auto book = MeetingRuleBook::LoadEmbedded();
  REQUIRE(book.ok());
  CHECK(book->ForPolicyVersion("zhuhai-2021") != nullptr);
  CHECK(book->ForPolicyVersion("nope") == nullptr);
  CHECK(book->InForceOn(Date{2021, 3, 31}) == nullptr);
  CHECK(book->InForceOn(Date{2025, 1, 1})->policy_version == "zhuhai-2021");
  CHECK(LoadedRules().proxy.cap_per_proxy == 3);
  for (MeetingKind k : AllMeetingKinds()) CHECK(LoadedRules().Find(k) != nullptr);
}

namespace {

std::string MinimalBook(const std::string& villagers_quorum, const std::string& proxy_cap = "3",
                        const std::string& extra_kind = "") {
  auto kind = [](const std::string& code, const std::string& base) {
    return R"({"kind":")" + code + R"(","quorum_any_of":[{"base":")" + base +
           R"(","num":1,"den":2,"bound":"exclusive","statutory":false,"source":"s"}],)" +
           R"("decision":{"num":1,"den":2,"bound":"exclusive","source":"s"}})";
  };
  return R"({"format":"shefu-meeting-rules/1","versions":[{"policy_version":"v1",)"
         R"("effective_from":"2021-04-01","proxy":{"cap_per_proxy":)" +
         proxy_cap + R"(,"close_relatives_only":false},"kinds":[)" +
         R"({"kind":"villagers_meeting","quorum_any_of":[)" + villagers_quorum +
         R"(],"decision":{"num":1,"den":2,"bound":"exclusive","source":"s"}},)" +
         kind("villager_reps_meeting", "members") + "," + kind("residents_meeting", "eligible") +
         "," + kind("resident_reps_meeting", "members") + "," +
         kind("two_committees_meeting", "members") + extra_kind + "]}]}";
}

const char* kAdults =
    R"({"base":"adults","num":1,"den":2,"bound":"exclusive","statutory":true,"source":"s"})";

}  // namespace

TEST_CASE("Meeting rules data: bad data is refused with the entry named") {
  REQUIRE(MeetingRuleBook::Parse(MinimalBook(kAdults)).ok());
  struct Case {
    std::string json, fragment;
  };
  std::vector<Case> cases = {
      {MinimalBook(
           R"({"base":"members","num":1,"den":2,"bound":"exclusive","statutory":true,"source":"s"})"),
       "villagers_meeting cannot count its quorum in members"},
      {MinimalBook(
           R"({"base":"adults","num":3,"den":2,"bound":"exclusive","statutory":true,"source":"s"})"),
       "numerator"},
      {MinimalBook(
           R"({"base":"adults","num":1,"den":2,"bound":"above","statutory":true,"source":"s"})"),
       "bound"},
      {MinimalBook(kAdults, "4"), "cap_per_proxy"},
      {MinimalBook(kAdults, "0"), "cap_per_proxy"},
      {MinimalBook(""), "quorum_any_of"},
      {MinimalBook(
           kAdults, "3",
           R"(,{"kind":"two_committees_meeting","quorum_any_of":[)" + std::string(kAdults) + "]}"),
       "two_committees_meeting"},
      {R"({"format":"x","versions":[]})", "format"},
      {"{", "json"},
  };
  for (const auto& c : cases) {
    auto b = MeetingRuleBook::Parse(c.json);
    INFO(c.json);
    REQUIRE_FALSE(b.ok());
    CHECK(b.status().code() == "bad_meeting_rules");
    CHECK_THAT(b.status().en(), Catch::Contains(c.fragment));
  }
  // A kind missing entirely.
  std::string missing = MinimalBook(kAdults);
  auto pos = missing.find(R"(,{"kind":"two_committees_meeting")");
  missing = missing.substr(0, pos) + "]}]}";
  CHECK_THAT(MeetingRuleBook::Parse(missing).status().en(),
             Catch::Contains("meeting kind missing: two_committees_meeting"));
}
