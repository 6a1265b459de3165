// 服务对象满意度 (第二十六条: satisfaction is an important acceptance indicator): the five-point
// scale, 满意率, the weighted index, and their aggregation — ONE function set, used on the device
// for a provisional figure while surveys come in and on the server for the final one, so both
// print the same digits.
//
// Scale (stable codes; weights are per-contract settings, defaults from practice, to verify
// against the evaluator's scoring sheet):
//   very_satisfied 非常满意 100 · satisfied 满意 80 · neutral 一般 60 · dissatisfied 不满意 30 ·
//   very_dissatisfied 非常不满意 0
// "Valid" = answered on the scale. 不清楚 (dont_know) and skipped are recorded but not valid.
// The raw distribution is always kept and shown.
//
// Representation: every rate is an exact Ratio (decisions compare fractions) plus a display
// value in tenths of a percent (per mille), rounded half up in integers. 30 非常满意 + 40 满意 of
// 90 valid = 70/90 = 7/9 -> 778 -> "77.8%". The weighted index is a Ratio on the 0..100 scale
// plus tenths of a point ("73.3").
//
// 95 % Wilson score interval for 满意率, with z = 1.96:
//   (x + z²/2 ∓ z·√(x(n−x)/n + z²/4)) / (n + z²)
// computed EXACTLY in 128-bit integers (z = 196/100; each bound is found by comparing squares,
// no floating point), the lower bound rounded down and the upper bound rounded up to tenths of a
// percent, so the printed interval always contains the true one and is identical on every
// machine. 81 of 263 -> [25.5%, 36.7%].
//
// Small samples: below config.min_n valid answers the rate, index and interval are suppressed
// (not computed); the distribution, n and response rate are still shown.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/i18n.h"
#include "shared/ratio.h"
#include "shared/status.h"

namespace shefu {

inline constexpr const char* kArt26 = "第二十六条";

enum class Satisfaction { kVerySatisfied, kSatisfied, kNeutral, kDissatisfied, kVeryDissatisfied };
inline constexpr size_t kSatisfactionLevels = 5;

const char* SatisfactionCode(Satisfaction s);
bool ParseSatisfaction(std::string_view code, Satisfaction* out);
Text SatisfactionName(Satisfaction s);
// Answer codes that are recorded but not valid.
inline constexpr std::string_view kDontKnow = "dont_know";  // 不清楚
inline constexpr std::string_view kSkipped = "skipped";     // not answered

struct SatisfactionConfig {
  // Points per level, very_satisfied first: 0..100 and non-increasing.
  std::array<int64_t, kSatisfactionLevels> weights = {100, 80, 60, 30, 0};
  int64_t min_n = 30;  // below this many valid answers, rates are suppressed
};
// Error code: bad_satisfaction_config.
Status ValidateSatisfactionConfig(const SatisfactionConfig& c);

struct Distribution {
  std::array<int64_t, kSatisfactionLevels> counts{};  // very_satisfied first
  int64_t dont_know = 0;
  int64_t skipped = 0;
  int64_t valid() const;
  int64_t satisfied() const { return counts[0] + counts[1]; }  // 非常满意 + 满意
  Distribution& operator+=(const Distribution& o);
};

// Records one answer: a level code, "dont_know", or "skipped" / "" for no answer.
// Error code: bad_satisfaction_answer.
Status AddAnswer(Distribution* d, std::string_view code);

// Per mille, lower rounded down, upper rounded up. n > 0, 0 <= successes <= n, n <= 10^7.
struct WilsonInterval {
  int64_t low_permille = 0;
  int64_t high_permille = 0;
};
WilsonInterval Wilson95(int64_t successes, int64_t n);

struct SatisfactionReport {
  Distribution distribution;
  int64_t n = 0;                       // valid answers
  int64_t respondents = 0;             // people interviewed (answered the survey)
  int64_t frame_size = 0;              // people in the sample frame
  std::optional<Ratio> response_rate;  // respondents / frame_size
  int64_t response_rate_permille = 0;
  bool suppressed = false;    // n < min_n
  std::optional<Ratio> rate;  // 满意率; nullopt when suppressed or n = 0
  int64_t rate_permille = 0;
  std::optional<WilsonInterval> rate_interval;
  std::optional<Ratio> index;  // weighted index, 0..100
  int64_t index_tenths = 0;
};

// Errors: bad_satisfaction_config, bad_counts (negative counts, answers > respondents, or
// respondents > frame_size when a frame is given, or n > 10^7).
Result<SatisfactionReport> SummariseSatisfaction(const Distribution& d, int64_t respondents,
                                                 int64_t frame_size,
                                                 const SatisfactionConfig& config);

// Results of one project in one community (or of one survey round there).
struct SatisfactionCell {
  std::string project;
  std::string community;
  Distribution distribution;
  int64_t respondents = 0;
  int64_t frame_size = 0;
};

// Pooled, not averaged: a community's figure sums the answers of its projects, the overall
// figure sums everything, so a community with 300 answers weighs ten times one with 30. Frames
// are per project and add up (a resident served by two projects is in two frames); when a cell
// has no frame (frame_size 0) the pooled response rate is unknown.
struct SatisfactionRollup {
  std::map<std::string, SatisfactionReport> by_project;
  std::map<std::string, SatisfactionReport> by_community;
  SatisfactionReport overall;
};
// Errors as SummariseSatisfaction, plus duplicate_cell (a project and community twice).
Result<SatisfactionRollup> AggregateSatisfaction(const std::vector<SatisfactionCell>& cells,
                                                 const SatisfactionConfig& config);

}  // namespace shefu
