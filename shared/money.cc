#include "shared/money.h"

namespace shefu {

Result<Fen> ParseYuan(std::string_view s) {
  auto bad = [&] {
    std::string shown(s.substr(0, 30));
    return Status::Error(
        "bad_amount", "金额格式错误：“" + shown + "”（应为元，最多两位小数，如 12345.67）",
        "bad amount '" + shown + "' (yuan with at most two decimals, e.g. 12345.67)");
  };
  if (s.empty() || s.size() > 20) return bad();
  Fen yuan = 0;
  size_t i = 0;
  for (; i < s.size() && s[i] != '.'; ++i) {
    if (s[i] < '0' || s[i] > '9') return bad();
    yuan = yuan * 10 + (s[i] - '0');
    if (yuan > kMaxFen / 100) return bad();
  }
  if (i == 0) return bad();
  Fen fen = 0;
  if (i < s.size()) {
    size_t decimals = s.size() - i - 1;
    if (decimals == 0 || decimals > 2) return bad();
    for (size_t k = i + 1; k < s.size(); ++k) {
      if (s[k] < '0' || s[k] > '9') return bad();
      fen = fen * 10 + (s[k] - '0');
    }
    if (decimals == 1) fen *= 10;
  }
  Fen total = yuan * 100 + fen;
  if (total > kMaxFen) return bad();
  return total;
}

std::string FormatYuan(Fen fen) {
  bool neg = fen < 0;
  unsigned long long v =
      neg ? static_cast<unsigned long long>(-(fen + 1)) + 1 : static_cast<unsigned long long>(fen);
  std::string frac = std::to_string(v % 100);
  if (frac.size() < 2) frac = "0" + frac;
  return (neg ? "-" : "") + std::to_string(v / 100) + "." + frac;
}

std::string DisplayYuan(Fen fen, Lang lang) {
  std::string s = FormatYuan(fen);
  size_t dot = s.find('.');
  size_t start = s[0] == '-' ? 1 : 0;
  std::string grouped;
  int count = 0;
  for (size_t i = dot; i > start; --i) {
    if (count == 3) {
      grouped.insert(grouped.begin(), ',');
      count = 0;
    }
    grouped.insert(grouped.begin(), s[i - 1]);
    ++count;
  }
  std::string out = (start ? "-" : "") + grouped + s.substr(dot);
  return lang == Lang::kEn ? "CNY " + out : out + "元";
}

}  // namespace shefu
