// Community meetings on the server (issue 6, docs/voting.md §4): creating a meeting, preparing
// its frozen roll package, gathering what the devices uploaded and tallying each ballot with the
// shared rules (shared/meeting_tally.h), the chair's overrides, and the final result: written
// into the meeting record (so devices see it), recorded as the proposal's vote evidence
// (第十九条(二)) and opened for 公示 (public_notice.h). Used by the staff routes
// (routes_meetings.cc) and the `shefu-server meeting` command alike.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/env.h"
#include "shared/meeting_tally.h"
#include "sync/sync_server.h"

namespace shefu::server {

struct Meeting {
  sync::RecordView view;
  MeetingSpec spec;
  std::optional<RollPackage> roll;
  Json overrides = Json::array();  // overrides.items
  Json final = Json::object();     // final group: {<ballot id>: {...}}
};

// not_found when there is no such meeting.
Result<Meeting> LoadMeeting(sync::SyncServer& s, std::string_view id);
// The meeting rules its policy version names (missing_rules when the book lacks it).
Result<const MeetingKindRules*> MeetingRulesFor(const MeetingSpec& m, ProxyPolicy* proxy = nullptr);

// Creates a meeting from the staff API body {community, kind, title, date, policy_version?,
// ballots}. policy_version defaults to the meeting-rules version in force on the meeting date.
Result<std::string> CreateMeeting(sync::SyncServer& s, const sync::Principal& p, Json body);

// One line of a roll as town staff prepare it (CSV or JSON). `ref` is the staff's own line
// reference (the register number); it is used to name proxies and is NOT stored.
struct RollRow {
  std::string ref, name, household, group;
  bool adult = true, rep = false;
  std::string proxy_ref;  // this person entrusts their vote to the row with this ref
  bool proxy_written = false, close_relative = false;
};
// CSV with a header row naming the columns ref,name,household,group,adult,rep,proxy_ref,
// proxy_written,close_relative (only ref and name are required; yes/no/1/0/true/false/是/否).
// A column that looks like an ID number (id, id_number, 身份证) is refused: the roll carries none.
Result<std::vector<RollRow>> RollRowsFromCsv(std::string_view text);
Result<std::vector<RollRow>> RollRowsFromJson(const Json& rows);

// Freezes a new roll version for the meeting: masked names, random entry ids, proxies validated
// against the policy's cap and listed now (before the meeting). Refused once devices have
// recorded events under the current roll (roll_in_use).
Result<RollPackage> PrepareRoll(sync::SyncServer& s, const sync::Principal& p, const Meeting& m,
                                const std::vector<RollRow>& rows, Rng& rng, int64_t now_ms);

// Every ballot's tally over what the devices uploaded.
Result<std::vector<BallotTally>> TallyMeeting(sync::SyncServer& s, const Meeting& m);
Result<BallotTally> TallyBallot(sync::SyncServer& s, const Meeting& m, const MeetingBallot& b);

// An open ballot's votes that count, one per voter (late ones out, the chair's overrides in).
Result<std::vector<VoteRecord>> CountedVotes(sync::SyncServer& s, const Meeting& m,
                                             const MeetingBallot& b);

// The chair counts another of a voter's votes (open ballots), with a reason. Errors from
// ResolveOpenVotes (override_not_duplicate, override_unknown_record, ...), unknown_ballot.
Status AddOverride(sync::SyncServer& s, const sync::Principal& p, const Meeting& m,
                   const std::string& ballot, const std::string& voter,
                   const std::string& record_id, const std::string& reason,
                   const std::string& chair, int64_t now_ms);

// Records the final result of a ballot: the meeting's final group, the linked proposal's vote
// evidence (vote_ballot, vote_passed), and the 公示 period of `notice_days` from `today`.
// Returns the final entry as written.
Result<Json> FinalizeBallot(sync::SyncServer& s, const sync::Principal& p, const Meeting& m,
                            const MeetingBallot& b, const Date& today, int notice_days,
                            const std::string& by, int64_t now_ms);

// For the lifecycle's 第十九条(二) evidence: whether the ballot "<meeting id>.<ballot id>" of a
// meeting held with shefu passed — false until its result is final; nullopt when `key` names no
// such meeting (a vote recorded on paper, described by the proposer).
std::optional<bool> MeetingBallotPassed(sync::SyncServer& s, std::string_view key);

// The meeting as the API returns it (the roll's entries only when `with_roll`).
Json MeetingJson(const Meeting& m, bool with_roll);

}  // namespace shefu::server
