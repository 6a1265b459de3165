// 第二十八条: demonstration projects (示范项目) chosen by 购买主体推荐 (nomination), 群众投票
// (public vote) and 专家评审 (expert review), combined with weights published before the round
// opens.
//
// Public vote: approval voting, at most k projects per ballot, one ballot per resident (ballots
// must already be resolved to one per voter, open_votes.h). Over-filled ballots, unknown projects
// and repeated marks make a ballot invalid; blank ballots are valid participation.
//
// Expert review: each expert scores a project 0–100 with one decimal (tenths, 0..1000). An expert
// related to a project's provider or purchaser is recused from that project: their score for it
// is not counted, and the recusal is listed on the result.
//
// Combination, exact (no floating point, no intermediate rounding):
//   public_i    = 1000 × votes_i / B          B = valid ballots (blank included), per mille
//   expert_i    = Σ scores_i / n_i            tenths of a point, n_i = counted experts
//   composite_i = (w_pub × public_i + w_exp × expert_i) / 1000     weights in per mille, sum 1000
// composite_i is kept as an exact fraction on the 0..1000 scale; the display is rounded half up
// to one decimal ("86.4").
//
// Ranking, deterministic: composite (higher first), then expert mean, then public votes, then
// project id. When only the project id separates two projects, both are flagged
// tie_broken_by_id so the publication says so (the id is an arbitrary order, not merit).
//
// Weights: the weights in force are the last ones published at or before the round opened. Any
// publication after opening that differs refuses the combination (weights_changed_after_opening):
// weights are part of the rules of the round, fixed before anyone votes.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "shared/i18n.h"
#include "shared/ratio.h"
#include "shared/status.h"

namespace shefu {

inline constexpr const char* kArt28 = "第二十八条";

struct DemoWeights {
  int64_t public_vote_permille = 500;
  int64_t expert_permille = 500;
  bool operator==(const DemoWeights&) const = default;
};
struct PublishedWeights {
  DemoWeights weights;
  int64_t published_at_ms = 0;
};

struct DemoRound {
  std::string id;
  int64_t opened_at_ms = 0;  // public voting opened
  int max_choices = 1;       // k
  std::vector<PublishedWeights> weight_history;
};

struct Nomination {
  std::string project;
  Text name;
  std::string provider_org;  // the social organisation delivering it
  std::string purchaser;     // the town that bought it
};

struct PublicBallot {
  std::string voter;  // roll entry id
  std::vector<std::string> projects;
};

struct Expert {
  std::string id;
  // Organisations and purchasers the expert is related to (employment, membership, legal
  // representative, sponsor, close relatives' roles): taken as facts.
  std::set<std::string> related_parties;
};

struct ExpertScore {
  std::string expert;
  std::string project;
  int64_t tenths = 0;  // 0..1000
};

// OK when the expert may score the project; expert_conflict_of_interest otherwise.
Status MayScore(const Expert& expert, const Nomination& project);

struct DemoEntry {
  std::string project;
  Text name;
  int64_t votes = 0;
  int64_t public_permille = 0;  // display, half up
  int64_t experts_counted = 0;
  int64_t expert_sum_tenths = 0;
  int64_t expert_mean_tenths = 0;  // display, half up
  Ratio composite;                 // exact, on the 0..1000 scale
  int64_t composite_tenths = 0;    // display, half up
  int rank = 0;                    // 1-based
  bool tie_broken_by_id = false;
};

struct DemoResult {
  DemoWeights weights;
  int64_t valid_ballots = 0;  // B (blank included)
  int64_t blank_ballots = 0;
  int64_t invalid_ballots = 0;
  std::vector<DemoEntry> ranking;
  std::vector<ExpertScore> recused;  // scores not counted because of a conflict of interest
};

// Errors (article 第二十八条 where the rule is the policy's): bad_weights, weights_not_published,
// weights_changed_after_opening, duplicate_nomination, duplicate_public_ballot, unknown_expert,
// unknown_project, duplicate_expert_score, bad_score, no_expert_scores, too_many.
Result<DemoResult> RankDemonstrationProjects(const DemoRound& round,
                                             const std::vector<Nomination>& nominations,
                                             const std::vector<PublicBallot>& ballots,
                                             const std::vector<Expert>& experts,
                                             const std::vector<ExpertScore>& scores);

}  // namespace shefu
