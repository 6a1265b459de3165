// The meeting records (shared/meeting_record.h) and the assembly of one ballot's tally from the
// devices' records (shared/meeting_tally.h): presence, late votes by each device's own close,
// duplicates to the review list, proxies, and the secret-ballot excess.
#include <catch2/catch.hpp>

#include "shared/meeting_tally.h"

using namespace shefu;

namespace {

const MeetingKindRules& KindRules(MeetingKind k) {
  static const MeetingRuleBook book = *MeetingRuleBook::LoadEmbedded();
  return *book.ForPolicyVersion("zhuhai-2021")->Find(k);
}

RollPackage Roll(int n) {
  RollPackage r;
  r.version = 1;
  for (int i = 1; i <= n; ++i)
    r.entries.push_back({"e" + std::to_string(i), i, "张*" + std::to_string(i),
                         "h" + std::to_string(i), "", true, true});
  return r;
}

MeetingSpec Spec(bool secret) {
  Json m = {{"community", "440404100204"},
            {"kind", "two_committees_meeting"},
            {"title", "两委会议"},
            {"date", "2026-05-10"},
            {"policy_version", "zhuhai-2021"},
            {"ballots",
             {{{"id", "b1"}, {"title", "动议"}, {"kind", "adopt_reject"}, {"secret", secret}}}}};
  return *ParseMeetingSpec("m1", m);
}

MeetingEvent Ev(const std::string& id, const std::string& dev, int64_t hlc, MeetingEventKind k,
                const std::string& entry, const std::string& proxy = "") {
  MeetingEvent e;
  e.id = id;
  e.device = dev;
  e.hlc = hlc;
  e.kind = k;
  e.meeting = "m1";
  e.ballot = "b1";
  e.entry = entry;
  e.proxy = proxy;
  e.roll_version = 1;
  return e;
}

VoteRecord TallyVote(const std::string& id, const std::string& dev, int64_t hlc,
                     const std::string& voter, const std::string& choice) {
  VoteRecord v;
  v.id = id;
  v.ballot = "m1.b1";
  v.voter = voter;
  v.choice.marks = {choice};
  v.stamp = {hlc, dev};
  v.device = dev;
  return v;
}

int64_t Votes(const BallotTally& t, const std::string& option) {
  for (const auto& o : t.record.options)
    if (o.option == option) return o.votes;
  return -1;
}

bool Has(const BallotTally& t, const std::string& code) {
  for (const auto& i : t.irregularities)
    if (i.code == code) return true;
  return false;
}

}  // namespace

TEST_CASE("Meeting spec and roll: parsed, validated, no ID numbers, proxies under the cap") {
  Json bad = MeetingSpecJson(Spec(false));
  bad["kind"] = "tea_party";
  CHECK(ParseMeetingSpec("m", bad).status().code() == "unknown_meeting_kind");
  Json twice = MeetingSpecJson(Spec(false));
  twice["ballots"].push_back(twice["ballots"][0]);
  CHECK(!ParseMeetingSpec("m", twice).ok());
  Json ck = MeetingSpecJson(Spec(true));
  ck["ballots"][0] = {{"id", "b2"},
                      {"title", "选项目"},
                      {"kind", "choose_k"},
                      {"options", {"p1", "p2", "p3"}},
                      {"max_choices", 2}};
  auto spec = ParseMeetingSpec("m", ck);
  REQUIRE(spec.ok());
  CHECK(spec->ballots[0].spec.max_choices == 2);
  CHECK(ParseMeetingSpec("m", MeetingSpecJson(*spec))->ballots[0].spec.options.size() == 3);

  RollPackage r = Roll(6);
  auto parsed = ParseRoll(RollJson(r));
  REQUIRE(parsed.ok());
  CHECK(parsed->Lookup("3")->id == "e3");
  CHECK(parsed->Lookup("e5")->no == 5);
  CHECK(RollHash(r, "v1") != RollHash(r, "v2"));
  ProxyPolicy cap3;
  CHECK(ValidateRoll(r, cap3).ok());
  r.entries[0].name = "张三 440402199001011762";
  CHECK(ValidateRoll(r, cap3).Has("roll_contains_id_number"));
  r = Roll(6);
  for (int i = 1; i <= 4; ++i) r.proxies.push_back({"e" + std::to_string(i), "e6", true, false, 0});
  CHECK(ValidateRoll(r, cap3).Has("proxy_over_cap"));
}

TEST_CASE("Open ballot: duplicates by the earlier stamp, late by the device's own close") {
  MeetingSpec m = Spec(false);
  RollPackage roll = Roll(4);
  BallotInputs in;
  in.events = {Ev("c1", "A", 1, MeetingEventKind::kCheckIn, "e1"),
               Ev("c2", "A", 2, MeetingEventKind::kCheckIn, "e2"),
               Ev("c3", "A", 3, MeetingEventKind::kCheckIn, "e3"),
               Ev("c9", "B", 4, MeetingEventKind::kCheckIn, "e1"),
               Ev("x1", "A", 15, MeetingEventKind::kClose, ""),
               // A check-in after A's close does not count.
               Ev("c4", "A", 16, MeetingEventKind::kCheckIn, "e4")};
  in.votes = {TallyVote("v1", "A", 10, "e1", "adopt"), TallyVote("v2", "A", 11, "e2", "adopt"),
              TallyVote("v3", "A", 12, "e3", "reject"), TallyVote("v9", "B", 20, "e1", "reject"),
              // After A's close by A's own clock, even though B's later stamp is in time.
              TallyVote("v4", "A", 16, "e4", "adopt")};
  auto t =
      TallyMeetingBallot(m, roll, KindRules(MeetingKind::kTwoCommitteesMeeting), m.ballots[0], in);
  REQUIRE(t.ok());
  CHECK(t->record.present_at_vote == 3);
  CHECK(t->record.voters == 3);
  CHECK(Votes(*t, "adopt") == 2);
  CHECK(Votes(*t, "reject") == 1);
  CHECK(t->record.verdict == TallyVerdict::kAdopted);  // 2 × 2 > 3
  CHECK(t->late == 1);
  CHECK(Has(*t, "late_vote"));
  REQUIRE(t->review.size() == 1);
  CHECK(t->review[0].counted_id == "v1");

  // The chair counts the other one: 1 adopt of 3 present fails.
  in.overrides = {{"m1.b1", "e1", "v9", "当场更正", "chair"}};
  t = TallyMeetingBallot(m, roll, KindRules(MeetingKind::kTwoCommitteesMeeting), m.ballots[0], in);
  REQUIRE(t.ok());
  CHECK(Votes(*t, "adopt") == 1);
  CHECK(t->record.verdict == TallyVerdict::kRejected);
}

TEST_CASE("Open ballot: a listed proxy votes for an absent principal, never for a present one") {
  MeetingSpec m = Spec(false);
  RollPackage roll = Roll(4);
  roll.proxies = {{"e4", "e3", true, false, 0}};
  BallotInputs in;
  in.events = {Ev("c1", "A", 1, MeetingEventKind::kCheckIn, "e1"),
               Ev("c3", "A", 3, MeetingEventKind::kCheckIn, "e3")};
  in.votes = {TallyVote("v1", "A", 10, "e1", "adopt"), TallyVote("v3", "A", 12, "e3", "adopt"),
              TallyVote("v4", "A", 13, "e4", "adopt"), TallyVote("v5", "A", 14, "e2", "adopt")};
  in.vote_proxy = {{"v4", "e3"}, {"v5", "e1"}};  // e1 for e2 was never listed
  auto t =
      TallyMeetingBallot(m, roll, KindRules(MeetingKind::kTwoCommitteesMeeting), m.ballots[0], in);
  REQUIRE(t.ok());
  CHECK(t->record.present_at_vote == 3);  // e1, e3 in person, e4 through e3
  CHECK(Votes(*t, "adopt") == 3);
  CHECK(Has(*t, "proxy_not_listed"));

  // e4 turns up in person: the proxy is void.
  in.events.push_back(Ev("c4", "A", 5, MeetingEventKind::kCheckIn, "e4"));
  t = TallyMeetingBallot(m, roll, KindRules(MeetingKind::kTwoCommitteesMeeting), m.ballots[0], in);
  REQUIRE(t.ok());
  CHECK(Has(*t, "proxy_not_active"));
  CHECK(Votes(*t, "adopt") == 2);
}

TEST_CASE("Secret ballot: a voter on two devices is an excess, and the margin decides") {
  MeetingSpec m = Spec(true);
  RollPackage roll = Roll(4);
  BallotInputs in;
  in.events = {Ev("i1", "A", 1, MeetingEventKind::kIssue, "e1"),
               Ev("i2", "A", 2, MeetingEventKind::kIssue, "e2"),
               Ev("i3", "A", 3, MeetingEventKind::kIssue, "e3"),
               Ev("i9", "B", 4, MeetingEventKind::kIssue, "e1")};
  auto cast = [](std::vector<std::string> choices) {
    std::vector<CastBallot> out;
    for (auto& c : choices) out.push_back({{c}, false});
    return out;
  };
  in.secret = cast({"adopt", "adopt", "adopt", "reject"});
  const auto& rules = KindRules(MeetingKind::kTwoCommitteesMeeting);
  auto t = TallyMeetingBallot(m, roll, rules, m.ballots[0], in);
  REQUIRE(t.ok());
  CHECK(t->record.voters == 3);
  CHECK(t->record.excess == 1);
  CHECK(t->record.verdict == TallyVerdict::kAdopted);  // 3 adopt, 2 needed: one extra cannot matter
  CHECK(t->record.findings.Has("secret_ballot_excess_disclosed"));
  CHECK(Has(*t, "duplicate_issue"));

  in.secret = cast({"adopt", "adopt", "reject", "reject"});
  t = TallyMeetingBallot(m, roll, rules, m.ballots[0], in);
  REQUIRE(t.ok());
  CHECK(t->record.verdict == TallyVerdict::kUndetermined);  // the extra ballot may be an adopt

  // A ballot handed out after the device's close is late and not participation.
  in.events.push_back(Ev("x1", "A", 10, MeetingEventKind::kClose, ""));
  in.events.push_back(Ev("i4", "A", 11, MeetingEventKind::kIssue, "e4"));
  t = TallyMeetingBallot(m, roll, rules, m.ballots[0], in);
  REQUIRE(t.ok());
  CHECK(t->late == 1);
  CHECK(t->record.voters == 3);
}

TEST_CASE("Live state: quorum now and the cannot-pass warning for open ballots") {
  MeetingSpec m = Spec(false);
  RollPackage roll = Roll(4);
  BallotInputs in;
  in.events = {Ev("c1", "A", 1, MeetingEventKind::kCheckIn, "e1"),
               Ev("c2", "A", 2, MeetingEventKind::kCheckIn, "e2"),
               Ev("c3", "A", 3, MeetingEventKind::kCheckIn, "e3")};
  in.votes = {TallyVote("v1", "A", 10, "e1", "reject"), TallyVote("v2", "A", 11, "e2", "reject")};
  auto s = LiveMeetingState(m, roll, KindRules(MeetingKind::kTwoCommitteesMeeting), &m.ballots[0],
                            in, "A");
  REQUIRE(s.ok());
  CHECK(s->present == 3);
  CHECK(s->quorum.met);  // 3 × 2 > 4
  REQUIRE(s->outlook);
  CHECK(s->outlook->yes_needed == 2);
  CHECK(s->outlook->outlook == MotionOutlook::kCannotPass);
  CHECK(s->outlook->findings.Has("motion_cannot_pass"));
  // Someone leaves before the vote: 2 × 2 > 4 fails.
  in.events.push_back(Ev("o3", "A", 4, MeetingEventKind::kCheckOut, "e3"));
  in.votes.clear();
  s = LiveMeetingState(m, roll, KindRules(MeetingKind::kTwoCommitteesMeeting), &m.ballots[0], in,
                       "A");
  REQUIRE(s.ok());
  CHECK(!s->quorum.met);
}

TEST_CASE("Late means after the device's own close in its log, even when the server re-stamped") {
  // Device A's clock ran ahead: the server capped the stamps of its later writes, so its close
  // carries a lower stamp than a vote A recorded before it. A's log order decides.
  MeetingSpec m = Spec(false);
  RollPackage roll = Roll(4);
  BallotInputs in;
  in.events = {Ev("c1", "A", 1, MeetingEventKind::kCheckIn, "e1"),
               Ev("c2", "A", 2, MeetingEventKind::kCheckIn, "e2"),
               Ev("x1", "A", 50, MeetingEventKind::kClose, "")};
  in.votes = {TallyVote("v1", "A", 100, "e1", "adopt"), TallyVote("v2", "A", 60, "e2", "adopt")};
  in.log_seq = {{"c1", 1}, {"c2", 2}, {"v1", 3}, {"x1", 4}, {"v2", 5}};
  auto t =
      TallyMeetingBallot(m, roll, KindRules(MeetingKind::kTwoCommitteesMeeting), m.ballots[0], in);
  REQUIRE(t.ok());
  CHECK(t->late == 1);
  REQUIRE(t->counted_ids.size() == 1);
  CHECK(t->counted_ids[0] == "v1");
}
