#include "shared/ratio.h"

#include <numeric>

namespace shefu {

std::optional<Ratio> MakeRatio(int64_t num, int64_t den) {
  if (den <= 0 || num < 0) return std::nullopt;
  int64_t g = std::gcd(num, den);
  if (g == 0) g = 1;
  return Ratio{num / g, den / g};
}

int64_t DivRoundHalfUp(__int128 num, __int128 den) {
  // (2·num + den) / (2·den) is floor(num/den + 1/2) for num >= 0, den > 0.
  return static_cast<int64_t>((2 * num + den) / (2 * den));
}

int64_t PermilleHalfUp(const Ratio& r) {
  return DivRoundHalfUp(static_cast<__int128>(r.num) * 1000, r.den);
}

std::string FormatTenths(int64_t tenths) {
  bool neg = tenths < 0;
  // Built from the unsigned magnitude so INT64_MIN does not overflow.
  uint64_t mag = neg ? 0 - static_cast<uint64_t>(tenths) : static_cast<uint64_t>(tenths);
  std::string s = std::to_string(mag / 10) + "." + std::to_string(mag % 10);
  return neg ? "-" + s : s;
}

std::string FormatPermilleAsPercent(int64_t permille) {
  return FormatTenths(permille) + "%";
}

std::string FormatRatio(const Ratio& r) {
  return std::to_string(r.num) + "/" + std::to_string(r.den);
}

}  // namespace shefu
