#include "shared/legal_threshold.h"

namespace shefu {
namespace {

// 1..10 as Chinese numerals (fraction names above ten use Arabic digits).
std::string ZhNumber(int64_t n) {
  static const char* kDigits[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};
  if (n >= 0 && n <= 10) return kDigits[n];
  return std::to_string(n);
}

std::string ZhFraction(const Threshold& t) {
  if (t.num == 1 && t.den == 2) return "半数";
  return ZhNumber(t.den) + "分之" + ZhNumber(t.num);
}

std::string EnFraction(const Threshold& t) {
  if (t.num == 1 && t.den == 2) return "half";
  if (t.num == 2 && t.den == 3) return "two thirds";
  return std::to_string(t.num) + "/" + std::to_string(t.den);
}

std::string Term(int64_t value, int64_t factor) {
  std::string s = std::to_string(value);
  if (factor != 1) s += " × " + std::to_string(factor);
  return s;
}

}  // namespace

const char* BoundCode(Bound b) {
  return b == Bound::kInclusive ? "inclusive" : "exclusive";
}

bool ParseBound(std::string_view s, Bound* out) {
  if (s == "inclusive") {
    *out = Bound::kInclusive;
  } else if (s == "exclusive") {
    *out = Bound::kExclusive;
  } else {
    return false;
  }
  return true;
}

Status ValidateThreshold(const Threshold& t) {
  if (t.num < 1 || t.den < 1 || t.num > t.den || t.den > 100)
    return Status::Error("bad_threshold", "比例规则无效：应为 1 ≤ 分子 ≤ 分母 ≤ 100",
                         "invalid fraction rule: need 1 <= numerator <= denominator <= 100",
                         kCivilCodeArt1259);
  return Status::Ok();
}

bool Meets(const Threshold& t, int64_t count, int64_t base) {
  __int128 lhs = static_cast<__int128>(count) * t.den;
  __int128 rhs = static_cast<__int128>(base) * t.num;
  return t.bound == Bound::kInclusive ? lhs >= rhs : lhs > rhs;
}

int64_t MinimumToMeet(const Threshold& t, int64_t base) {
  __int128 prod = static_cast<__int128>(base) * t.num;
  __int128 floor_q = prod / t.den;
  if (t.bound == Bound::kExclusive) return static_cast<int64_t>(floor_q + 1);
  return static_cast<int64_t>(prod % t.den == 0 ? floor_q : floor_q + 1);
}

Text ThresholdName(const Threshold& t) {
  if (t.bound == Bound::kExclusive) {
    if (t.num == 1 && t.den == 2) return {"过半数", "more than half"};
    return {"超过" + ZhFraction(t), "more than " + EnFraction(t)};
  }
  return {ZhFraction(t) + "以上", EnFraction(t) + " or more"};
}

Text RenderInequality(const Text& count_label, int64_t count, const Text& base_label, int64_t base,
                      const Threshold& t) {
  const char* op = t.bound == Bound::kInclusive ? " ≥ " : " > ";
  const char* mark = Meets(t, count, base) ? " ✓" : " ✗";
  std::string lhs = Term(count, t.den), rhs = Term(base, t.num);
  return {count_label.zh + " " + lhs + op + base_label.zh + " " + rhs + mark,
          count_label.en + " " + lhs + op + base_label.en + " " + rhs + mark};
}

}  // namespace shefu
