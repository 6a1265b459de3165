// Open (named) ballots recorded on several offline devices: one vote per voter, late votes out.
//
// A named vote is a record {ballot, voter, choice, stamp, device, after_close}. When devices merge
// (at the meeting, or later at the server) the same voter may appear twice — checked in on two
// tablets. The rule, deterministic on every replica:
//   - a vote recorded after its device's close event is invalid (late), whatever it says;
//   - of the remaining votes of one voter on one ballot, the one with the EARLIER stamp counts
//     (stamp = hybrid-logical-clock ms, then device id, then record id as tie-breaks);
//   - the pair (or more) goes to a review list for the chair and scrutineers, with the paper
//     sign-in sheet as evidence; nothing is silently dropped;
//   - the chair may override and count another of the voter's votes, giving a reason; the
//     override is part of the record.
// This is the vote×vote row of docs/merge-rules.md (unique key (ballot, voter), earliest stamp
// counts) plus the human step the statute needs. Secret ballots never come here: they carry no
// voter (secret_margin.h).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "shared/ballot.h"
#include "shared/status.h"

namespace shefu {

struct VoteStamp {
  int64_t hlc = 0;     // hybrid logical clock, ms
  std::string device;  // tie-break when two stamps are equal
  auto operator<=>(const VoteStamp&) const = default;
};

struct VoteRecord {
  std::string id;      // record id (UUIDv7), unique
  std::string ballot;  // poll id
  std::string voter;   // roll entry id
  CastBallot choice;   // the marks, as on a ballot
  VoteStamp stamp;
  std::string device;        // the device that recorded it
  bool after_close = false;  // recorded after that device's close event
};

// Sets after_close on every record whose stamp is later than its device's close event
// (`close_hlc_by_device`: device id -> hlc of its POLL_CLOSE). A device's own clock is monotonic,
// so comparing its stamps with its own close is sound even if its wall clock is wrong.
void MarkLateVotes(std::vector<VoteRecord>* records,
                   const std::map<std::string, int64_t>& close_hlc_by_device);

struct ChairOverride {
  std::string ballot;
  std::string voter;
  std::string count_record_id;  // the vote to count instead
  std::string reason;           // required
  std::string chair;            // who decided (roll entry or user id)
};

struct DuplicateReview {
  std::string ballot;
  std::string voter;
  std::string counted_id;              // the vote that counts (earliest, or the override)
  std::vector<std::string> other_ids;  // the voter's other in-time votes, earliest first
  bool overridden = false;
  std::string reason;  // the override's reason
  std::string chair;
};

struct OpenVoteResolution {
  std::vector<VoteRecord> counted;      // one per (ballot, voter), sorted by (ballot, voter)
  std::vector<VoteRecord> not_counted;  // in-time duplicates that lost
  std::vector<VoteRecord> late;         // after close: invalid
  std::vector<DuplicateReview> review;  // sorted by (ballot, voter)
};

// Errors: duplicate_record_id (same id, different content; identical replays collapse),
// override_not_duplicate (no duplicate for that ballot and voter), override_unknown_record (the
// record is not one of that voter's in-time votes), override_reason_required, override_twice.
Result<OpenVoteResolution> ResolveOpenVotes(const std::vector<VoteRecord>& records,
                                            const std::vector<ChairOverride>& overrides);

// The counted votes of one ballot as ballots for TallyVote.
std::vector<CastBallot> CountedBallots(const OpenVoteResolution& r, const std::string& ballot);

}  // namespace shefu
