// Ballots: what is voted on, which ballots are valid, how votes are counted and who wins.
//
// Three kinds:
//   adopt_reject     a proposal: 赞成 (adopt) / 反对 (reject)
//   yes_no_abstain   a motion: 赞成 / 反对 / 弃权
//   choose_k         choose at most k of n projects (approval voting)
// For the first two the motion passes when its "adopt"/"yes" votes meet the decision rule against
// those PRESENT (meeting_rules.h); every other ballot — reject, abstain, blank, invalid, not
// returned — counts against it.
//
// Validity (provincial election rules, the closest statutory model): a ballot marking more than
// allowed is invalid ("over_filled"), as is an illegible one or one naming an unknown option; a
// blank ballot is valid paper but chooses nothing, and is counted as blank.
//
// Who wins a choose_k vote (DecideContest): options that meet the per-option minimum, ranked by
// votes. The top k are selected; when the k-th place is tied, the tied options are kTied and
// nobody among them is selected — a runoff among them is needed. A vote is never decided by an
// id or by list order.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "shared/i18n.h"
#include "shared/legal_threshold.h"
#include "shared/status.h"

namespace shefu {

inline constexpr const char* kBallotRulesSource = "省村民委员会选举办法（参照）";

enum class BallotKind { kAdoptReject, kYesNoAbstain, kChooseK };
const char* BallotKindCode(BallotKind k);  // "adopt_reject" | "yes_no_abstain" | "choose_k"
bool ParseBallotKind(std::string_view code, BallotKind* out);

struct BallotSpec {
  BallotKind kind = BallotKind::kAdoptReject;
  // adopt_reject: {"adopt", "reject"}; yes_no_abstain: {"yes", "no", "abstain"};
  // choose_k: the project ids.
  std::vector<std::string> options;
  std::vector<Text> labels;  // display names, parallel to options
  int max_choices = 1;       // k for choose_k; 1 otherwise
  bool secret = false;       // 无记名投票: participation and choice are stored apart
  // choose_k: a project must also reach the decision rule (过半数 of those present) to be
  // selected; false = the top k with at least one vote.
  bool each_choice_needs_majority = true;
};

BallotSpec AdoptRejectBallot(bool secret);
BallotSpec YesNoAbstainBallot(bool secret);
BallotSpec ChooseKBallot(std::vector<std::string> projects, std::vector<Text> labels, int k,
                         bool secret);
// Options non-empty, unique and non-empty ids, labels parallel, 1 <= max_choices <= options,
// fixed option sets for the two motion kinds. Error code: bad_ballot_spec.
Status ValidateBallotSpec(const BallotSpec& spec);
// Index of the option that carries a motion ("adopt" / "yes"); -1 for choose_k.
int MotionOption(const BallotSpec& spec);

// One returned ballot: the option ids marked on it.
struct CastBallot {
  std::vector<std::string> marks;
  bool illegible = false;  // paper: the counters could not read it
};

enum class BallotValidity { kValid, kBlank, kInvalid };
struct BallotClass {
  BallotValidity validity = BallotValidity::kValid;
  std::string reason;  // invalid: "over_filled" | "unknown_option" | "duplicate_mark" | "illegible"
};
BallotClass ClassifyBallot(const BallotSpec& spec, const CastBallot& ballot);

// Valid, non-blank ballots with the same marks, as sorted option indices.
struct BallotGroup {
  std::vector<int> options;
  int64_t count = 0;
};

struct BallotCount {
  int64_t returned = 0, valid = 0, blank = 0, invalid = 0;  // valid excludes blank
  std::map<std::string, int64_t> invalid_reasons;
  std::vector<int64_t> votes;       // per option
  std::vector<BallotGroup> groups;  // sorted by options
};
BallotCount CountBallots(const BallotSpec& spec, const std::vector<CastBallot>& ballots);

// What is being decided: which options compete for how many seats, and the fewest votes an option
// needs. A motion is a contest of its "adopt"/"yes" option for one seat.
struct Contest {
  std::vector<int> options;
  int seats = 1;
  int64_t min_votes = 1;  // never below 1: an option nobody chose is never selected
};
Contest ContestFor(const BallotSpec& spec, const Threshold& decision, int64_t present);

enum class OptionStatus { kSelected, kTied, kNotSelected };
const char* OptionStatusCode(OptionStatus s);  // "selected" | "tied" | "not_selected"
// Status per option index (options outside the contest are kNotSelected). Among the contest
// options with votes >= min_votes, an option is
//   selected      when at most `seats` of them (itself included) have at least its votes;
//   tied          when fewer than `seats` have strictly more, but more than `seats` have at least
//                 as many (a tie across the cut-off: runoff);
//   not selected  otherwise, and always below min_votes.
std::vector<OptionStatus> DecideContest(const Contest& contest, const std::vector<int64_t>& votes);

}  // namespace shefu
