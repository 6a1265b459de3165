// Ballots, proxies and the result record: validity, counting, quorum and decision checks, the
// "more ballots than voters" rule, and the printed record in both languages.
#include <catch2/catch.hpp>

#include "shared/proxies.h"
#include "shared/tally.h"

using namespace shefu;

namespace {

const MeetingRules& TallyRules() {
  static const MeetingRuleBook book = *MeetingRuleBook::LoadEmbedded();
  return *book.ForPolicyVersion("zhuhai-2021");
}

std::vector<CastBallot> MarkedBallots(const std::string& mark, int n) {
  std::vector<CastBallot> v;
  for (int i = 0; i < n; ++i) v.push_back(CastBallot{{mark}});
  return v;
}

void Add(std::vector<CastBallot>* to, std::vector<CastBallot> more) {
  to->insert(to->end(), more.begin(), more.end());
}

TallyInput VillagersMotion(int64_t roll, int64_t present) {
  TallyInput in;
  in.title = "社区长者饭堂项目";
  in.rules = TallyRules().Find(MeetingKind::kVillagersMeeting);
  in.attendance.adults = Headcount{roll, present};
  in.present_at_vote = present;
  in.voters = present;
  in.spec = YesNoAbstainBallot(/*secret=*/true);
  return in;
}

}  // namespace

TEST_CASE("Ballot validity: over-filled ballots are invalid — blank ballots are counted") {
  BallotSpec spec = ChooseKBallot({"p1", "p2", "p3", "p4"},
                                  {{"一", "1"}, {"二", "2"}, {"三", "3"}, {"四", "4"}}, 2, true);
  REQUIRE(ValidateBallotSpec(spec).ok());
  CHECK(ClassifyBallot(spec, {{"p1", "p2"}}).validity == BallotValidity::kValid);
  CHECK(ClassifyBallot(spec, {{"p1"}}).validity == BallotValidity::kValid);
  CHECK(ClassifyBallot(spec, {{"p1", "p2", "p3"}}).reason == "over_filled");
  CHECK(ClassifyBallot(spec, {{}}).validity == BallotValidity::kBlank);
  CHECK(ClassifyBallot(spec, {{"p9"}}).reason == "unknown_option");
  CHECK(ClassifyBallot(spec, {{"p1", "p1"}}).reason == "duplicate_mark");
  CHECK(ClassifyBallot(spec, {{"p1"}, true}).reason == "illegible");
  BallotSpec motion = YesNoAbstainBallot(false);
  CHECK(ClassifyBallot(motion, {{"yes", "no"}}).reason == "over_filled");
  CHECK(ClassifyBallot(motion, {{"abstain"}}).validity == BallotValidity::kValid);

  std::vector<CastBallot> b = {
      {{"p1", "p2"}}, {{"p1"}}, {{}}, {{"p1", "p2", "p3"}}, {{"p2", "p1"}}};
  BallotCount c = CountBallots(spec, b);
  CHECK(c.returned == 5);
  CHECK(c.valid == 3);
  CHECK(c.blank == 1);
  CHECK(c.invalid == 1);
  CHECK(c.invalid_reasons["over_filled"] == 1);
  CHECK(c.votes == std::vector<int64_t>{3, 2, 0, 0});
  REQUIRE(c.groups.size() == 2);
  CHECK(c.groups[0].options == std::vector<int>{0});
  CHECK(c.groups[1].options == std::vector<int>{0, 1});
  CHECK(c.groups[1].count == 2);  // {p1,p2} and {p2,p1} are the same choice
}

TEST_CASE("Ballot specs: fixed option sets and k within range") {
  CHECK(ValidateBallotSpec(AdoptRejectBallot(false)).ok());
  CHECK(ValidateBallotSpec(YesNoAbstainBallot(true)).ok());
  BallotSpec bad = ChooseKBallot({"p1", "p2"}, {{"一", "1"}, {"二", "2"}}, 3, false);
  CHECK(ValidateBallotSpec(bad).code() == "bad_ballot_spec");
  bad = ChooseKBallot({"p1", "p1"}, {{"一", "1"}, {"二", "2"}}, 1, false);
  CHECK(ValidateBallotSpec(bad).code() == "bad_ballot_spec");
  bad = ChooseKBallot({"p1"}, {}, 1, false);
  CHECK_FALSE(ValidateBallotSpec(bad).ok());
  BallotSpec tampered = YesNoAbstainBallot(false);
  tampered.options[2] = "maybe";
  CHECK_FALSE(ValidateBallotSpec(tampered).ok());
  BallotKind k;
  CHECK(ParseBallotKind("choose_k", &k));
  CHECK(k == BallotKind::kChooseK);
}

TEST_CASE(
    "Choose-k: the top k that reach the minimum are selected — a tie at the cut-off is a runoff") {
  Contest c{{0, 1, 2, 3}, 2, 1};
  using S = OptionStatus;
  CHECK(DecideContest(c, {5, 4, 3, 0}) ==
        std::vector<S>{S::kSelected, S::kSelected, S::kNotSelected, S::kNotSelected});
  CHECK(DecideContest(c, {5, 4, 4, 0}) ==
        std::vector<S>{S::kSelected, S::kTied, S::kTied, S::kNotSelected});
  CHECK(DecideContest(c, {4, 4, 4, 1}) ==
        std::vector<S>{S::kTied, S::kTied, S::kTied, S::kNotSelected});
  CHECK(DecideContest(c, {4, 4, 1, 1}) ==
        std::vector<S>{S::kSelected, S::kSelected, S::kNotSelected, S::kNotSelected});
  // Fewer options reach the minimum than there are seats: all of them are selected.
  Contest strict{{0, 1, 2, 3}, 2, 4};
  CHECK(DecideContest(strict, {5, 3, 3, 0}) ==
        std::vector<S>{S::kSelected, S::kNotSelected, S::kNotSelected, S::kNotSelected});
  // Nobody chose an option: it is never selected, even with seats to spare.
  Contest wide{{0, 1}, 2, 1};
  CHECK(DecideContest(wide, {0, 0}) == std::vector<S>{S::kNotSelected, S::kNotSelected});
}

TEST_CASE("Vote record: 20 yes of 31 present passes — with the inequalities spelled out") {
  TallyInput in = VillagersMotion(60, 31);
  Add(&in.ballots, MarkedBallots("yes", 20));
  Add(&in.ballots, MarkedBallots("no", 8));
  Add(&in.ballots, MarkedBallots("abstain", 1));
  in.ballots.push_back({{}});
  in.ballots.push_back({{"yes", "no"}});
  auto r = TallyVote(in);
  REQUIRE(r.ok());
  CHECK(r->verdict == TallyVerdict::kAdopted);
  CHECK(r->quorum.met);
  CHECK(r->roll.expected == 60);
  CHECK(r->attendance == Ratio{31, 60});
  CHECK(r->attendance_permille == 517);
  CHECK(r->count.valid == 29);
  CHECK(r->count.blank == 1);
  CHECK(r->count.invalid == 1);
  REQUIRE(r->options[0].decision);
  CHECK(r->options[0].decision->inequality.zh == "赞成 20 × 2 > 实到 31 ✓");
  std::string zh = RenderTallyRecord(*r, Lang::kZh);
  CHECK_THAT(zh, Catch::Contains("应到 60 人，实到 31 人，比例 51.7% (31/60)"));
  CHECK_THAT(zh, Catch::Contains("实到 31 × 2 > 应到 60 ✓"));
  CHECK_THAT(zh, Catch::Contains("有效 29 张，空白 1 张，无效 1 张（多选 1）"));
  CHECK_THAT(zh, Catch::Contains("结论：通过"));
  std::string en = RenderTallyRecord(*r, Lang::kEn);
  CHECK_THAT(en, Catch::Contains("present 31 × 2 > roll 60 ✓"));
  CHECK_THAT(en, Catch::Contains("yes 20 × 2 > present 31 ✓"));
  CHECK_THAT(en, Catch::Contains("Result: adopted"));
  CHECK(RenderTallyRecord(*r, Lang::kZh) == zh);  // deterministic
}

TEST_CASE("村民委员会组织法 第二十二条: abstentions and blank ballots count against the motion") {
  TallyInput in = VillagersMotion(60, 31);
  Add(&in.ballots,
      MarkedBallots("yes", 15));  // 15 yes, 10 no, 6 abstain: more yes than no, still fails
  Add(&in.ballots, MarkedBallots("no", 10));
  Add(&in.ballots, MarkedBallots("abstain", 6));
  auto r = TallyVote(in);
  REQUIRE(r.ok());
  CHECK(r->verdict == TallyVerdict::kRejected);
  CHECK(r->options[0].decision->inequality.zh == "赞成 15 × 2 > 实到 31 ✗");
}

TEST_CASE("Vote record: a meeting without quorum decides nothing") {
  TallyInput in = VillagersMotion(60, 30);
  Add(&in.ballots, MarkedBallots("yes", 30));
  auto r = TallyVote(in);
  REQUIRE(r.ok());
  CHECK(r->verdict == TallyVerdict::kNoQuorum);
  CHECK_THAT(RenderTallyRecord(*r, Lang::kZh), Catch::Contains("未达到法定人数"));
  // The same meeting is quorate through ⅔ of households.
  in.attendance.households = Headcount{30, 20};
  CHECK(TallyVote(in)->verdict == TallyVerdict::kAdopted);
}

TEST_CASE("Paper ballots: ballots returned > voters makes the whole paper vote invalid") {
  TallyInput in = VillagersMotion(60, 40);
  in.voters = 40;
  Add(&in.ballots, MarkedBallots("yes", 30));
  Add(&in.ballots, MarkedBallots("no", 10));
  CHECK(TallyVote(in)->verdict == TallyVerdict::kAdopted);  // equal: valid
  in.ballots.push_back({{"no"}});                           // one more than voters
  auto r = TallyVote(in);
  REQUIRE(r.ok());
  CHECK(r->verdict == TallyVerdict::kVoid);
  CHECK(r->findings.Has("ballots_exceed_voters"));
  CHECK_THAT(RenderTallyRecord(*r, Lang::kEn), Catch::Contains("the vote is void"));
  // Fewer ballots than voters is fine: the missing ones count against.
  in.ballots.resize(35);
  CHECK(TallyVote(in)->verdict == TallyVerdict::kAdopted);
}

TEST_CASE("Offline devices: a secret vote with an excess that cannot matter stands — disclosed") {
  TallyInput in = VillagersMotion(60, 40);
  in.mode = BallotMode::kDevices;
  in.voters = 40;
  in.duplicate_checkins = 1;
  Add(&in.ballots, MarkedBallots("yes", 30));
  Add(&in.ballots, MarkedBallots("no", 11));  // 41 ballots for 40 voters
  auto r = TallyVote(in);
  REQUIRE(r.ok());
  CHECK(r->excess == 1);
  CHECK(r->verdict == TallyVerdict::kAdopted);
  CHECK(r->findings.Has("secret_ballot_excess_disclosed"));
  CHECK_THAT(RenderTallyRecord(*r, Lang::kZh), Catch::Contains("多出选票：1"));
}

TEST_CASE("Offline devices: a secret vote whose excess could flip the result is undetermined") {
  TallyInput in = VillagersMotion(60, 40);
  in.mode = BallotMode::kDevices;
  in.voters = 40;
  Add(&in.ballots, MarkedBallots("yes", 21));  // 21 is the minimum for 过半数 of 40
  Add(&in.ballots, MarkedBallots("no", 20));   // 41 ballots: one is extra, and it may be a yes
  auto r = TallyVote(in);
  REQUIRE(r.ok());
  CHECK(r->verdict == TallyVerdict::kUndetermined);
  REQUIRE(r->margin);
  CHECK(r->margin->reason == "can_fall_below_minimum");
  CHECK_THAT(RenderTallyRecord(*r, Lang::kEn), Catch::Contains("must be held again"));
}

TEST_CASE("Offline devices: open ballots must be resolved to one per voter before the tally") {
  TallyInput in = VillagersMotion(60, 40);
  in.spec = YesNoAbstainBallot(false);
  in.mode = BallotMode::kDevices;
  in.voters = 2;
  in.present_at_vote = 40;
  Add(&in.ballots, MarkedBallots("yes", 3));
  CHECK(TallyVote(in).status().code() == "open_ballots_exceed_voters");
}

TEST_CASE("Vote record: inconsistent inputs are refused") {
  TallyInput in = VillagersMotion(60, 40);
  in.voters = 41;
  CHECK(TallyVote(in).status().code() == "bad_headcount");
  in = VillagersMotion(60, 40);
  in.rules = nullptr;
  CHECK(TallyVote(in).status().code() == "missing_rules");
  in = VillagersMotion(60, 40);
  in.spec.max_choices = 2;
  CHECK(TallyVote(in).status().code() == "bad_ballot_spec");
}

TEST_CASE(
    "Choose-k vote record: projects need 过半数 of those present and a clear place in the top k") {
  TallyInput in;
  in.title = "2026年度社区服务项目";
  in.rules = TallyRules().Find(MeetingKind::kResidentRepsMeeting);
  in.attendance.members = Headcount{30, 21};
  in.present_at_vote = 21;
  in.voters = 21;
  in.spec = ChooseKBallot({"p1", "p2", "p3", "p4"},
                          {{"长者饭堂", "elders' canteen"},
                           {"四点半课堂", "after-school club"},
                           {"垃圾分类", "waste sorting"},
                           {"法律咨询", "legal advice"}},
                          2, false);
  for (int i = 0; i < 14; ++i) in.ballots.push_back({{"p1", "p2"}});
  for (int i = 0; i < 5; ++i) in.ballots.push_back({{"p1", "p3"}});
  in.ballots.push_back({{"p3", "p4"}});
  in.ballots.push_back({{"p4"}});
  auto r = TallyVote(in);
  REQUIRE(r.ok());
  CHECK(r->verdict == TallyVerdict::kAdopted);
  CHECK(r->options[0].status == OptionStatus::kSelected);  // 19 of 21
  CHECK(r->options[1].status == OptionStatus::kSelected);  // 14 × 2 > 21
  CHECK(r->options[2].status == OptionStatus::kNotSelected);
  CHECK(r->options[1].decision->inequality.zh == "四点半课堂 14 × 2 > 实到 21 ✓");
  std::string zh = RenderTallyRecord(*r, Lang::kZh);
  CHECK_THAT(zh, Catch::Contains("长者饭堂 19 票，入选"));
  CHECK_THAT(zh, Catch::Contains("垃圾分类 6 票，未入选"));

  // A tie at the cut-off among projects that reach the minimum is a runoff.
  in.ballots.clear();
  for (int i = 0; i < 10; ++i) in.ballots.push_back({{"p1", "p2"}});
  for (int i = 0; i < 10; ++i) in.ballots.push_back({{"p1", "p3"}});
  in.ballots.push_back({{"p2", "p3"}});  // p1 20, p2 11, p3 11 (11 × 2 > 21): tied for seat 2
  r = TallyVote(in);
  REQUIRE(r.ok());
  CHECK(r->options[0].status == OptionStatus::kSelected);
  CHECK(r->options[1].status == OptionStatus::kTied);
  CHECK(r->options[2].status == OptionStatus::kTied);
  CHECK(r->verdict == TallyVerdict::kRunoff);
}

TEST_CASE("Proxies: listed in advance — written — on the roll and capped per proxy") {
  std::set<std::string> roll = {"a", "b", "c", "d", "e", "f"};
  ProxyPolicy policy{2, false};
  std::vector<ProxyGrant> ok = {
      {"a", "d", true, false, 100}, {"b", "d", true, false, 100}, {"c", "e", true, false, 100}};
  CHECK(ValidateProxyList(ok, roll, policy, 100).ok());

  auto with = [&](ProxyGrant g) {
    auto v = ok;
    v.push_back(g);
    return ValidateProxyList(v, roll, policy, 100);
  };
  CHECK(with({"f", "d", true, false, 100}).Has("proxy_over_cap"));  // d would carry 3 > 2
  CHECK(with({"f", "x", true, false, 100}).Has("proxy_not_on_roll"));
  CHECK(with({"x", "f", true, false, 100}).Has("proxy_principal_not_on_roll"));
  CHECK(with({"f", "f", true, false, 100}).Has("proxy_self"));
  CHECK(with({"a", "f", true, false, 100}).Has("proxy_principal_twice"));
  CHECK(with({"f", "a", true, false, 100}).Has("proxy_chain"));
  CHECK(with({"f", "e", false, false, 100}).Has("proxy_not_written"));
  CHECK(with({"f", "e", true, false, 101}).Has("proxy_listed_late"));
  CHECK_FALSE(ValidateProxyList(ok, roll, {1, false}, 100).ok());  // cap 1: d carries 2
  CHECK(ValidateProxyList(ok, roll, {4, false}, 100).Has("proxy_cap_out_of_range"));
  CHECK(ValidateProxyList(ok, roll, {3, true}, 100).Has("proxy_not_close_relative"));
  auto f = with({"f", "d", true, false, 100});
  CHECK(f.FirstError().article() == kProxyRulesSource);
  // The principal who turns up in person votes in person: the proxy is void.
  auto active = ActiveProxies(ok, {"a"});
  REQUIRE(active.size() == 2);
  CHECK(active[0].principal == "b");
}
