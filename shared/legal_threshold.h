// Legal fractions in integers: "过半数", "三分之二以上" and their kin (民法典 第一千二百五十九条).
//
// 第一千二百五十九条: "以上、以下、以内、届满" include the number itself; "不满、超过、以外"
// exclude it; "过半数" is read as "超过半数" (strictly more than half). So every statutory fraction
// is a Threshold (num/den, inclusive or exclusive) and is checked by cross multiplication:
//
//   三分之二以上   {2, 3, kInclusive}  count × 3 ≥ base × 2
//   过半数         {1, 2, kExclusive}  count × 2 > base        (2 of 4 is NOT 过半数)
//   半数以上       {1, 2, kInclusive}  count × 2 ≥ base        (2 of 4 is 半数以上)
//
// Never a floating percentage: 66.67 % of 60 is not a number of people. The printed record
// spells the inequality out ("实到 31 × 2 > 应到 60 ✓") so anyone can redo it by hand.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "shared/i18n.h"
#include "shared/status.h"

namespace shefu {

inline constexpr const char* kCivilCodeArt1259 = "民法典 第一千二百五十九条";

enum class Bound {
  kInclusive,  // 以上 / 届满: the number itself counts
  kExclusive,  // 过半数 / 超过: strictly more
};

// Wire codes "inclusive" / "exclusive".
const char* BoundCode(Bound b);
bool ParseBound(std::string_view s, Bound* out);

struct Threshold {
  int64_t num = 1;
  int64_t den = 2;
  Bound bound = Bound::kExclusive;
  bool operator==(const Threshold&) const = default;
};

inline constexpr Threshold kMoreThanHalf{1, 2, Bound::kExclusive};     // 过半数
inline constexpr Threshold kTwoThirdsOrMore{2, 3, Bound::kInclusive};  // 三分之二以上

// 1 <= num <= den <= 100. Error code: bad_threshold.
Status ValidateThreshold(const Threshold& t);

// count meets the threshold against base (count, base >= 0). Exact (128-bit products).
bool Meets(const Threshold& t, int64_t count, int64_t base);
// The smallest count that meets the threshold against base: 过半数 of 60 -> 31, ⅔以上 of 60 -> 40,
// 过半数 of 0 -> 1, ⅔以上 of 0 -> 0.
int64_t MinimumToMeet(const Threshold& t, int64_t base);

// "过半数" / "more than half", "三分之二以上" / "two thirds or more", "半数以上" / "half or more",
// otherwise "超过五分之三" / "more than 3/5", "四分之三以上" / "3/4 or more".
Text ThresholdName(const Threshold& t);

// One checked inequality, ready for a printed record.
struct CheckLine {
  std::string code;  // what was checked: "quorum_adults", "decision", ...
  Text rule;  // "法定人数：过半数的18周岁以上村民" / "quorum: more than half of adult villagers"
  Text inequality;  // "实到 31 × 2 > 应到 60 ✓" / "present 31 × 2 > roll 60 ✓"
  int64_t count = 0;
  int64_t base = 0;
  Threshold threshold;
  bool holds = false;
  std::string source;  // the statute or setting the rule comes from
};

// Spells out count × den (> | ≥) base × num with ✓ or ✗; "× 1" is left out.
//   RenderInequality({"实到","present"}, 31, {"应到","roll"}, 60, kMoreThanHalf)
//     -> {"实到 31 × 2 > 应到 60 ✓", "present 31 × 2 > roll 60 ✓"}
Text RenderInequality(const Text& count_label, int64_t count, const Text& base_label, int64_t base,
                      const Threshold& t);

}  // namespace shefu
