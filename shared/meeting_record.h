// A community meeting as the records carry it (issue 6, docs/voting.md §4): the meeting and its
// ballots, the frozen voter roll package, and the device events of the meeting (check-in,
// check-out, ballot issued, close). The server writes the meeting and the roll (server-only
// groups of the `meeting` entity); devices download them by ordinary sync and write
// `meeting_event`, `vote` and `secret_choice` records. This file parses and validates those
// shapes; the rules themselves stay in meeting_rules.h, proxies.h, ballot.h, tally.h.
//
//   meeting.meeting  {"community","kind","title","date","policy_version",
//                     "ballots":[{"id","title","kind","secret","options"?,"labels"?,
//                                 "max_choices"?,"each_choice_needs_majority"?,"proposal"?}]}
//   meeting.roll     {"version","hash","frozen_at","listing_deadline_ms",
//                     "entries":[{"id","no","name","household","group","adult","rep"}],
//                     "proxies":[{"principal","proxy","written","close_relative","listed_at_ms"}]}
// Roll entries carry a random id and a MASKED name, never an ID number. The hash covers the
// entries, the proxies and the rules' policy version: every device event names the roll version
// it was made under, and the server flags events made under another one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/ballot.h"
#include "shared/civil_time.h"
#include "shared/entity_types.h"
#include "shared/json_util.h"
#include "shared/meeting_rules.h"
#include "shared/proxies.h"
#include "shared/status.h"

namespace shefu {

struct MeetingBallot {
  std::string id;     // short id within the meeting: "b1"
  std::string title;  // the motion or the question
  BallotSpec spec;
  std::string proposal;  // the project whose proposal this ballot adopts or rejects (optional)
};

struct MeetingSpec {
  std::string id;  // the meeting record id
  std::string community;
  MeetingKind kind = MeetingKind::kVillagersMeeting;
  std::string title;
  Date date;
  std::string policy_version;
  std::vector<MeetingBallot> ballots;
  const MeetingBallot* FindBallot(std::string_view id) const;
};

// The ballot key the vote and secret_choice records carry: "<meeting id>.<ballot id>".
std::string BallotKey(std::string_view meeting_id, std::string_view ballot_id);

// Parses the `meeting` group. Errors: bad_field naming the field, bad_ballot_spec,
// unknown_meeting_kind.
Result<MeetingSpec> ParseMeetingSpec(std::string_view meeting_id, const Json& group);
Json MeetingSpecJson(const MeetingSpec& m);

struct RollEntry {
  std::string id;    // random roll entry id ("r" + 12 hex digits)
  int64_t no = 0;    // its line on the printed sign-in sheet (1..N)
  std::string name;  // masked (张*明)
  std::string household;
  std::string group;  // 村民小组 / 居民小组
  bool adult = true;
  bool rep = false;  // a representative (代表会议 member)
};

struct RollPackage {
  int64_t version = 0;
  std::string hash;  // sha256 hex over the canonical entries, proxies and policy version
  std::string frozen_at;
  int64_t listing_deadline_ms = 0;
  std::vector<RollEntry> entries;
  std::vector<ProxyGrant> proxies;
  const RollEntry* Find(std::string_view entry_id) const;
  // An entry by id, or by its sheet number given as digits ("17").
  const RollEntry* Lookup(std::string_view id_or_no) const;
};

Result<RollPackage> ParseRoll(const Json& group);
// Without "hash": RollHash fills it.
Json RollJson(const RollPackage& r);
std::string RollHash(const RollPackage& r, std::string_view policy_version);

// A proxy-list / roll problem set from ValidateProxyList plus roll shape checks (entry ids
// unique, names masked, no ID-number-like text). Every problem is an error.
Findings ValidateRoll(const RollPackage& r, const ProxyPolicy& policy);

// One event of a device's meeting log (entity meeting_event).
enum class MeetingEventKind { kOpen, kCheckIn, kCheckOut, kIssue, kClose };
const char* MeetingEventKindCode(MeetingEventKind k);  // open check_in check_out issue close
bool ParseMeetingEventKind(std::string_view s, MeetingEventKind* out);

struct MeetingEvent {
  std::string id;
  std::string device;  // origin node (client id)
  int64_t hlc = 0;     // the device's stamp
  MeetingEventKind kind = MeetingEventKind::kCheckIn;
  std::string meeting;
  std::string ballot;  // short ballot id (open, issue, close)
  std::string entry;   // roll entry (check_in, check_out, issue)
  std::string assisted_by;
  std::string proxy;  // issue: the proxy who took the principal's ballot
  int64_t roll_version = 0;
};

// Validates a meeting_event record value (the entity table's validator calls it).
Status ValidateMeetingEventValue(const Json& v);
// The event from a stored record value with its origin and stamp.
Result<MeetingEvent> MeetingEventFromJson(const Json& v, std::string id, std::string device,
                                          int64_t hlc);

}  // namespace shefu

namespace shefu {

// ---- Entity-table validators (shared/entity_types.cc) ----
// meeting: place {code: community}, meeting (ParseMeetingSpec), roll (ParseRoll + ValidateRoll
// shape checks), overrides {items: [...]}, final {<ballot id>: {...}}.
Status ValidateMeetingGroup(const DomainContext& ctx, std::string_view group, const Json& v);
// demo_round: place {code: town or district}; every other group an object (the staff route
// validates their content before writing).
Status ValidateDemoRoundGroup(const DomainContext& ctx, std::string_view group, const Json& v);
// meeting_event: ValidateMeetingEventValue plus a known community.
Status ValidateMeetingEvent(const DomainContext& ctx, std::string_view group, const Json& v);

}  // namespace shefu
