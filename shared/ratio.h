// Exact ratios and their one-decimal display, in integers.
//
// Rates that decide something (a quorum, 满意率 against a contract threshold, an evaluation
// grade) are compared as exact fractions by cross multiplication, never as rounded decimals: a
// rounded "50.0%" can hide 0.49996. The one-decimal display ("77.8%", "76.5") is computed from the
// fraction with round-half-up in integers, so device and server print the same digits.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace shefu {

// num / den, reduced by their gcd; den > 0, num >= 0.
struct Ratio {
  int64_t num = 0;
  int64_t den = 1;
  bool operator==(const Ratio&) const = default;
};

// nullopt when den <= 0 or num < 0 (an undefined rate, e.g. no valid answers).
std::optional<Ratio> MakeRatio(int64_t num, int64_t den);

// round(num * scale / den) with halves rounded up; num >= 0, den > 0, scale >= 0. 128-bit
// intermediate, so any int64 inputs with scale <= 10^6 are exact.
int64_t DivRoundHalfUp(__int128 num, __int128 den);
// The ratio in tenths of a percent (per-mille), half up: 70/90 -> 778.
int64_t PermilleHalfUp(const Ratio& r);

// 778 -> "77.8"; 1000 -> "100.0"; 5 -> "0.5". Negative values keep their sign.
std::string FormatTenths(int64_t tenths);
// 778 -> "77.8%".
std::string FormatPermilleAsPercent(int64_t permille);
// a / b as "2/3" (the exact fraction for a printed record).
std::string FormatRatio(const Ratio& r);

}  // namespace shefu
