// Money is integer fen (分). Never floating point: 0.1 + 0.2 yuan must be exactly 30 fen.
//
// Amounts cross the user boundary as yuan strings ("12345.67") and are stored and computed as
// Fen. Percentages of money (the 40 % advance cap, 第二十三条) are compared by cross
// multiplication in 128-bit integers, so no rounding decides a legal boundary.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "shared/status.h"

namespace shefu {

using Fen = int64_t;

// The largest amount shefu accepts: 100 billion yuan. Far above any town budget; keeps every
// product of two amounts inside 128 bits and every sum of a million amounts inside 64 bits.
inline constexpr Fen kMaxFen = 100'000'000'000LL * 100;

// "12345", "12345.6", "12345.67" (yuan) -> fen. Rejects negatives, more than two decimals,
// separators, signs and anything above kMaxFen.
Result<Fen> ParseYuan(std::string_view s);
// 1234567 -> "12345.67"
std::string FormatYuan(Fen fen);
// 1234567 -> "12,345.67元" / "¥12,345.67" for display.
std::string DisplayYuan(Fen fen, Lang lang);

// part / whole <= pct / 100, exactly.
inline bool AtMostPercent(Fen part, Fen whole, int64_t pct) {
  return static_cast<__int128>(part) * 100 <= static_cast<__int128>(whole) * pct;
}
// floor(amount * num / den); den > 0.
inline Fen MulDivFloor(Fen amount, int64_t num, int64_t den) {
  __int128 p = static_cast<__int128>(amount) * num;
  __int128 q = p / den;
  if ((p % den != 0) && ((p < 0) != (den < 0))) --q;
  return static_cast<Fen>(q);
}

}  // namespace shefu
