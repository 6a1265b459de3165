#include "shared/uscc.h"

#include <cctype>

namespace shefu {
namespace {

constexpr int kWeights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

int Value(char c) {
  size_t pos = kUsccCharset.find(c);
  return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

// Shows at most 18 bytes of what was given, and only if it is printable ASCII.
std::string Shown(std::string_view s) {
  std::string out;
  for (char c : s.substr(0, 18)) out += (c >= 0x21 && c <= 0x7e) ? c : '?';
  return out;
}

Status BadUscc(std::string_view uscc, const std::string& zh, const std::string& en) {
  return Status::Error("bad_uscc", "统一社会信用代码“" + Shown(uscc) + "”无效：" + zh,
                       "unified social credit code '" + Shown(uscc) + "' is invalid: " + en);
}

}  // namespace

std::optional<char> UsccCheckChar(std::string_view first17) {
  if (first17.size() != 17) return std::nullopt;
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) {
    int v = Value(first17[i]);
    if (v < 0) return std::nullopt;
    sum += v * kWeights[i];
  }
  int c = 31 - sum % 31;
  return kUsccCharset[c == 31 ? 0 : static_cast<size_t>(c)];
}

std::string NormaliseUscc(std::string_view input) {
  std::string out;
  for (char c : input) {
    if (c == ' ' || c == '\t') continue;
    out += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  }
  return out;
}

Status CheckUscc(std::string_view uscc) {
  if (uscc.size() != 18) return BadUscc(uscc, "应为18位", "it must have 18 characters");
  for (size_t i = 0; i < 18; ++i) {
    if (Value(uscc[i]) < 0)
      return BadUscc(uscc, "第" + std::to_string(i + 1) + "位不是允许的字符（不含 I、O、S、V、Z）",
                     "character " + std::to_string(i + 1) +
                         " is not allowed (digits and A-Z without I, O, S, V, Z)");
  }
  for (size_t i = 2; i < 8; ++i)
    if (!std::isdigit(static_cast<unsigned char>(uscc[i])))
      return BadUscc(uscc, "第3至8位应为行政区划代码（数字）",
                     "characters 3 to 8 must be the registrar's area code (digits)");
  if (*UsccCheckChar(uscc.substr(0, 17)) != uscc[17])
    return BadUscc(uscc, "校验码不符", "the check character does not match");
  return Status::Ok();
}

Status CheckCivilAffairsUscc(std::string_view uscc) {
  SHEFU_RETURN_IF_ERROR(CheckUscc(uscc));
  if (uscc[0] != '5' || (uscc[1] != '1' && uscc[1] != '2' && uscc[1] != '3' && uscc[1] != '9'))
    return Status::Error("uscc_not_civil_affairs",
                         "统一社会信用代码“" + Shown(uscc) +
                             "”不是民政部门登记的社会组织代码（应以51、52、53或59开头）",
                         "unified social credit code '" + Shown(uscc) +
                             "' is not a civil-affairs registration (it must start 51, 52, 53 or "
                             "59)",
                         "第三条");
  return Status::Ok();
}

}  // namespace shefu
