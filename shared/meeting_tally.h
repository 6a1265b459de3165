// The tally of one meeting ballot from the records of every device: who was present at the
// vote, which votes count, and the result record. The SAME function gives the device's
// provisional tally (over what that device holds) and the server's final one (over what every
// device uploaded), so the two can only differ by the records they saw.
//
// It only assembles inputs for the rules that already exist:
//   - presence: the latest check-in / check-out per roll entry (events after the device's own
//     close are ignored), plus everyone who cast an in-time ballot, plus principals whose listed
//     proxy is present while they are not (proxies.h ActiveProxies);
//   - open ballots: MarkLateVotes against each device's own close event, ResolveOpenVotes with
//     the chair's overrides (earliest stamp counts, duplicates to the review list);
//   - secret ballots: participation is the `issue` events (distinct roll entries = voters, the
//     rest = duplicate check-ins), choices are the anonymous items; TallyVote applies the margin
//     test (secret_margin.h) and says `undetermined` when the excess could change the outcome;
//   - quorum and decision: TallyVote with the meeting kind's rules (meeting_rules.h).
// Everything irregular is listed (irregularities), never silently dropped.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "shared/meeting_record.h"
#include "shared/open_votes.h"
#include "shared/tally.h"

namespace shefu {

struct Irregularity {
  // duplicate_vote, late_vote, late_event, not_on_roll, proxy_not_listed, proxy_not_active,
  // duplicate_issue, stale_roll
  std::string code;
  Text text;
  std::string voter;                 // roll entry, when one is concerned
  std::vector<std::string> records;  // record ids concerned (never for secret choices)
};

struct BallotInputs {
  std::vector<MeetingEvent> events;  // the meeting's events (every ballot; filtered here)
  std::vector<VoteRecord> votes;     // open ballot: the vote records of this ballot
  std::map<std::string, std::string> vote_proxy;  // vote record id -> proxy roll entry
  std::vector<CastBallot> secret;                 // secret ballot: the choices of this ballot
  std::vector<ChairOverride> overrides;
  // Record id -> its position in its device's own log (the outbox seq the sync engine keeps as
  // the record's origin seq). When given, "after the device's close" compares these positions,
  // not stamps: the server re-stamps writes from a device whose clock runs too far ahead, but a
  // device's log order is what it is.
  std::map<std::string, int64_t> log_seq;
};

struct BallotTally {
  std::string ballot;  // short id
  TallyRecord record;
  std::vector<Irregularity> irregularities;
  std::vector<DuplicateReview> review;   // open ballots: the chair's review list
  std::vector<std::string> counted_ids;  // open ballots: the vote records that count
  std::vector<std::string> closed_devices;
  int64_t late = 0;
};

// A vote record value {ballot, voter, choice | marks, ...} as marks ("blank" = no mark).
CastBallot CastFromVoteValue(const Json& v);

// Errors: whatever ResolveOpenVotes and TallyVote report (override_*, bad_headcount, ...).
Result<BallotTally> TallyMeetingBallot(const MeetingSpec& meeting, const RollPackage& roll,
                                       const MeetingKindRules& rules, const MeetingBallot& ballot,
                                       const BallotInputs& in);

// Live at the meeting, on one device: attendance now, the quorum, and for a motion the outlook
// (yes needed; the "cannot pass" warning for open ballots, where the device sees the yes votes).
struct LiveState {
  Attendance attendance;
  int64_t present = 0;  // in person + represented by a present proxy
  int64_t cast = 0;     // ballots cast on this ballot
  QuorumCheck quorum;
  std::optional<LiveOutlook> outlook;
  bool closed_here = false;
};
Result<LiveState> LiveMeetingState(const MeetingSpec& meeting, const RollPackage& roll,
                                   const MeetingKindRules& rules, const MeetingBallot* ballot,
                                   const BallotInputs& in, const std::string& own_device);

// JSON for APIs: the record's numbers, checks and verdict, and the printable text in zh and en.
Json TallyRecordJson(const TallyRecord& r);
Json BallotTallyJson(const BallotTally& t);
Json LiveStateJson(const LiveState& s);

}  // namespace shefu
