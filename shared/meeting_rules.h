// Meeting law for community decisions (第十九条 "民主表决"), in integers.
//
// Who may decide what, and when a meeting and a decision are valid:
//
//   kind                     quorum (应到 = the base)                       decision
//   村民会议                  过半数 of villagers aged 18+  OR  ⅔以上 of households   过半数 of
//   those present 村民代表会议              ⅔以上 of its members                            过半数
//   of those present 居民会议                  过半数 of its eligible body (all adults, household
//   过半数 of those present
//                             representatives or group representatives)
//   居民代表会议              no statutory figure: default ⅔以上 of members          过半数 of
//   those present 两委会议                  no statutory figure: default 过半数 of members 过半数
//   of those present
//
// (村民委员会组织法 第二十二、二十六条; 城市居民委员会组织法 第十条.) The numbers are DATA per
// policy version (shared/data/meeting-rules.json, loaded into a MeetingRuleBook), not constants:
// a successor policy or a town's own rules may change the non-statutory ones.
//
// The decision base is those PRESENT, not the votes cast: an abstention, a blank ballot and a
// present person who does not vote all count against a motion. LiveMotionOutlook tells the chair
// when a motion can no longer pass for that reason.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/civil_time.h"
#include "shared/findings.h"
#include "shared/legal_threshold.h"
#include "shared/status.h"

namespace shefu {

enum class MeetingKind {
  kVillagersMeeting,      // 村民会议        "villagers_meeting"
  kVillagerRepsMeeting,   // 村民代表会议    "villager_reps_meeting"
  kResidentsMeeting,      // 居民会议        "residents_meeting"
  kResidentRepsMeeting,   // 居民代表会议    "resident_reps_meeting"
  kTwoCommitteesMeeting,  // 两委会议        "two_committees_meeting"
};

const std::vector<MeetingKind>& AllMeetingKinds();
const char* MeetingKindCode(MeetingKind k);
bool ParseMeetingKind(std::string_view code, MeetingKind* out);
Text MeetingKindName(MeetingKind k);

// What a quorum fraction is taken of.
enum class QuorumBase {
  kAdults,      // "adults": villagers aged 18+ (村民会议)
  kHouseholds,  // "households": households, one representative each (村民会议)
  kMembers,     // "members": the body's members (代表会议, 两委会议)
  kEligible,    // "eligible": the residents' meeting's eligible body, whichever mode it uses
};
const char* QuorumBaseCode(QuorumBase b);
bool ParseQuorumBase(std::string_view code, QuorumBase* out);
Text QuorumBaseName(QuorumBase b);

struct QuorumClause {
  QuorumBase base = QuorumBase::kMembers;
  Threshold threshold;
  bool statutory = false;  // fixed by law (true) or a configurable default (false)
  std::string source;      // "村民委员会组织法 第二十二条"
};

struct MeetingKindRules {
  MeetingKind kind = MeetingKind::kVillagersMeeting;
  // The meeting is quorate when ANY clause holds (村民会议: adults OR households).
  std::vector<QuorumClause> quorum_any_of;
  Threshold decision = kMoreThanHalf;  // against those present
  std::string decision_source;
};

// Proxy voting settings (see proxies.h).
struct ProxyPolicy {
  int cap_per_proxy = 3;  // principals one proxy may carry: 1..3 by province
  bool close_relatives_only = false;
};

// The meeting rules of one policy version.
struct MeetingRules {
  std::string policy_version;  // matches the PolicyBook version id
  Date effective_from;
  ProxyPolicy proxy;
  std::vector<MeetingKindRules> kinds;  // exactly one per MeetingKind

  const MeetingKindRules* Find(MeetingKind k) const;
};

class MeetingRuleBook {
 public:
  // Parses and validates the meeting-rules data (format of shared/data/meeting-rules.json):
  // every kind present once, fractions valid, bases allowed for the kind, proxy cap 1..3,
  // versions unique. Error code: bad_meeting_rules, naming the entry. Never throws.
  static Result<MeetingRuleBook> Parse(std::string_view json_text);
  // The data compiled into the binary (shefu::embedded::meeting_rules).
  static Result<MeetingRuleBook> LoadEmbedded();
  // The embedded book, parsed once per process (empty if it failed to parse, which the
  // meeting-rules tests rule out for the data shipped).
  static const MeetingRuleBook& Embedded();

  // The rules of a policy version (as named by the PolicyBook); null when unknown.
  const MeetingRules* ForPolicyVersion(std::string_view policy_version) const;
  // The version with the latest effective_from on or before `d`; null before the first.
  const MeetingRules* InForceOn(const Date& d) const;
  const std::vector<MeetingRules>& versions() const { return versions_; }

 private:
  std::vector<MeetingRules> versions_;  // sorted by effective_from
};

// 应到 / 实到 for one base.
struct Headcount {
  int64_t expected = 0;  // 应到
  int64_t present = 0;   // 实到
};

// The attendance snapshot a check runs on. Only the bases the meeting uses need be filled.
// Principals represented by a listed proxy count as present (their vote is cast).
struct Attendance {
  std::optional<Headcount> adults, households, members, eligible;
  const std::optional<Headcount>& For(QuorumBase b) const;
};

struct QuorumCheck {
  bool met = false;
  std::vector<CheckLine> lines;  // one per clause whose base was supplied
};

// Checks the quorum. Clauses whose base is not in `attendance` are skipped; if none remain the
// check fails with quorum_base_missing. bad_headcount when present > expected or a count < 0.
Result<QuorumCheck> CheckQuorum(const MeetingKindRules& rules, const Attendance& attendance);

// Checks a decision: votes_for against those present ("赞成 31 × 2 > 实到 60 ✓").
// `label` names the count ("赞成" by default; a project's name for choose-k ballots).
// bad_headcount when votes_for > present or a count < 0.
Result<CheckLine> CheckDecision(const MeetingKindRules& rules, int64_t votes_for, int64_t present,
                                const Text& label = {"赞成", "yes"});

// Live at the meeting: can the motion still pass?
enum class MotionOutlook {
  kAlreadyPassed,  // yes alone already meets the decision rule
  kOpen,           // passes only if enough of the uncast votes are yes
  kCannotPass,     // even if every uncast vote is yes it fails (abstentions count against)
};
struct LiveOutlook {
  MotionOutlook outlook = MotionOutlook::kOpen;
  int64_t yes_needed = 0;       // the smallest yes count that passes (announce it before voting)
  int64_t more_yes_needed = 0;  // of the uncast votes (0 when already passed)
  Findings findings;            // warning motion_cannot_pass when kCannotPass
};
// present: those present now; yes: yes votes cast; uncast: present who have not voted yet.
// Everyone else present has voted no, abstained or cast a blank or invalid ballot.
// bad_headcount when yes + uncast > present or a count < 0.
Result<LiveOutlook> LiveMotionOutlook(const Threshold& decision, int64_t present, int64_t yes,
                                      int64_t uncast);

}  // namespace shefu
