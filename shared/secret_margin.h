// The secret-ballot margin test: when a result stands although some ballots are known to be extra.
//
// With several offline devices a voter can be checked in on two of them and cast two secret
// ballots. The duplicate check-in is visible (participation is attributable), but which ballot is
// the extra one is not, by design: secret choices carry no voter (docs/voting.md). So the extra
// ballots cannot be removed. Instead:
//
//   excess = ballots returned − distinct voters
//
// and the result STANDS (with the irregularity disclosed on the record) only if removing ANY
// ballots, up to `excess` of them, could not change the outcome; otherwise it is UNDETERMINED and
// the vote must be held again. This is the statutory "more ballots than voters voids the vote"
// (paper ballot boxes) relaxed to "... unless it provably cannot matter".
//
// "The outcome" is the status of every contest option (selected / tied / not selected, see
// ballot.h): for a motion whether it passed; for choose-k the selected set and any tie at the
// cut-off. Removing ballots only lowers counts, and an outcome depends only on (a) which options
// reach the minimum and (b) the order between options of adjacent status classes, so the test is
// exact and polynomial (SecretBallotMargin):
//   1. a selected or tied option can be pushed below the minimum: votes − min + 1 <= excess;
//   2. two tied options can be split: some ballot marks one but not the other (excess >= 1);
//   3. an option can be caught by one of the next class down (selected → tied, or selected →
//      not selected when nothing is tied, tied → not selected): the gap <= min(excess, number of
//      ballots that mark the upper option but not the lower one).
// Any of these is reachable ⇔ some removal changes the outcome. Tests check it against a
// brute-force enumeration of removals.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "shared/ballot.h"
#include "shared/i18n.h"

namespace shefu {

// The ballots that may be extra. `ballots` − `distinct_voters` is the brief's definition; when a
// device allows a check-in without a returned ballot, a duplicate check-in can hide behind a
// missing ballot, so the number of duplicate check-ins is also an upper bound to respect.
// Returns max(0, ballots − distinct_voters, duplicate_checkins).
int64_t SecretBallotExcess(int64_t ballots, int64_t distinct_voters, int64_t duplicate_checkins);

struct MarginResult {
  int64_t excess = 0;
  bool stands = true;
  // Empty when it stands; else "can_fall_below_minimum" | "tie_can_split" | "gap_can_close".
  std::string reason;
  Text explanation;  // names the option(s) and the numbers
};

// `votes` and `groups` come from CountBallots over the valid ballots; `labels` name the options
// in the explanation (parallel to votes).
MarginResult SecretBallotMargin(const Contest& contest, const std::vector<int64_t>& votes,
                                const std::vector<BallotGroup>& groups,
                                const std::vector<Text>& labels, int64_t excess);

}  // namespace shefu
