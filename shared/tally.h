// The result record of one vote (表决结果记录): counts, the rule checks with their inequalities,
// and the verdict — as data, and rendered as text for the printed and published record.
//
// The record carries what officials already file for 四议两公开: 应到 / 实到 / 比例, ballots issued
// and returned, valid / blank / invalid, per-option counts, the quorum and decision checks spelled
// out, and any irregularity.
//
// Verdict, in order of precedence:
//   no_quorum       the meeting was not quorate: nothing was decided
//   void            paper ballot box with more ballots returned than voters: the whole vote is
//                   invalid (省村民委员会选举办法, 参照)
//   undetermined    offline devices, secret ballot, extra ballots that could change the outcome
//                   (secret_margin.h): the vote must be held again
//   runoff          choose_k with a tie across the cut-off: a runoff among the tied options
//   adopted         the motion passed / at least one project selected
//   rejected        the motion failed / no project reached the minimum
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "shared/ballot.h"
#include "shared/findings.h"
#include "shared/meeting_rules.h"
#include "shared/ratio.h"
#include "shared/secret_margin.h"

namespace shefu {

enum class BallotMode {
  kPaperBox,  // one ballot box, counted by hand: more ballots than voters voids the vote
  kDevices,   // one or more offline tablets merged later: the margin test applies to secret votes
};

struct TallyInput {
  std::string title;  // the motion or the question
  const MeetingKindRules* rules = nullptr;
  Attendance attendance;        // for the quorum
  int64_t present_at_vote = 0;  // 实到 when the poll closed: the decision base
  BallotSpec spec;
  BallotMode mode = BallotMode::kPaperBox;
  // Distinct voters who received a ballot (paper: signatures for ballots issued; devices:
  // distinct roll entries checked in for this poll). Open-ballot device votes must already be
  // resolved to one per voter (open_votes.h).
  int64_t voters = 0;
  int64_t duplicate_checkins = 0;  // devices: check-ins beyond the first per voter
  std::vector<CastBallot> ballots;
};

enum class TallyVerdict { kNoQuorum, kVoid, kUndetermined, kRunoff, kAdopted, kRejected };
const char* TallyVerdictCode(TallyVerdict v);
Text TallyVerdictName(TallyVerdict v);

struct OptionResult {
  std::string option;
  Text label;
  int64_t votes = 0;
  OptionStatus status = OptionStatus::kNotSelected;
  std::optional<CheckLine> decision;  // for the motion option and every choose_k option
};

struct TallyRecord {
  std::string title;
  MeetingKind kind = MeetingKind::kVillagersMeeting;
  BallotKind ballot_kind = BallotKind::kAdoptReject;
  bool secret = false;
  BallotMode mode = BallotMode::kPaperBox;
  QuorumBase roll_base = QuorumBase::kMembers;  // which headcount 应到/实到 show
  Headcount roll;                               // 应到 / 实到
  std::optional<Ratio> attendance;              // 实到 / 应到, exact
  int64_t attendance_permille = 0;              // the same, tenths of a percent, half up
  int64_t present_at_vote = 0;
  int64_t voters = 0;
  BallotCount count;
  QuorumCheck quorum;
  std::vector<OptionResult> options;
  int64_t excess = 0;
  std::optional<MarginResult> margin;  // devices + secret with excess > 0
  TallyVerdict verdict = TallyVerdict::kRejected;
  Findings findings;  // warnings: disclosed irregularities
};

// Errors: bad_ballot_spec, bad_headcount, quorum_base_missing, open_ballots_exceed_voters (device
// open ballots not yet resolved to one per voter), missing_rules.
Result<TallyRecord> TallyVote(const TallyInput& in);

// The printable record, in zh or en. Deterministic: the same record prints the same text.
std::string RenderTallyRecord(const TallyRecord& r, Lang lang);

}  // namespace shefu
