#include "shared/masking.h"

#include <vector>

#include "shared/civil_time.h"

namespace shefu {
namespace {
std::vector<std::string> SplitCodePoints(std::string_view s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
    if (i + len > s.size()) len = s.size() - i;
    out.emplace_back(s.substr(i, len));
    i += len;
  }
  return out;
}
}  // namespace

std::string MaskIdNumber(std::string_view id) {
  if (id.size() <= 8) return std::string(id.size(), '*');
  return std::string(id.substr(0, 4)) + std::string(id.size() - 8, '*') +
         std::string(id.substr(id.size() - 4));
}

std::string MaskPhone(std::string_view phone) {
  if (phone.size() >= 11) {
    return std::string(phone.substr(0, 3)) + std::string(phone.size() - 7, '*') +
           std::string(phone.substr(phone.size() - 4));
  }
  if (phone.size() <= 2) return std::string(phone.size(), '*');
  return std::string(phone.size() - 2, '*') + std::string(phone.substr(phone.size() - 2));
}

std::string MaskName(std::string_view name) {
  auto cps = SplitCodePoints(name);
  if (cps.empty()) return {};
  if (cps.size() == 1) return "*";
  if (cps.size() == 2) return cps[0] + "*";
  std::string out = cps[0];
  for (size_t i = 1; i + 1 < cps.size(); ++i) out += "*";
  return out + cps.back();
}

Status CheckIdNumber(std::string_view id) {
  auto bad = [] {
    return Status::Error("bad_id_number", "身份证号码无效（应为18位，校验位正确）",
                         "invalid resident ID number (18 characters with a valid check character)");
  };
  if (id.size() != 18) return bad();
  static const int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static const char kCheck[11] = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};
  int sum = 0;
  for (int i = 0; i < 17; ++i) {
    if (id[static_cast<size_t>(i)] < '0' || id[static_cast<size_t>(i)] > '9') return bad();
    sum += (id[static_cast<size_t>(i)] - '0') * kWeights[i];
  }
  char last = id[17] == 'x' ? 'X' : id[17];
  if (kCheck[sum % 11] != last) return bad();
  auto birth = ParseDate(std::string(id.substr(6, 4)) + "-" + std::string(id.substr(10, 2)) + "-" +
                         std::string(id.substr(12, 2)));
  if (!birth.ok()) return bad();
  return Status::Ok();
}

bool IsMaskedIdNumber(std::string_view s) {
  if (s.size() != 18) return false;
  for (size_t i = 4; i < 14; ++i)
    if (s[i] != '*') return false;
  return true;
}

Status CheckPhone(std::string_view phone) {
  size_t start = (!phone.empty() && phone[0] == '+') ? 1 : 0;
  size_t digits = phone.size() - start;
  bool ok = digits >= 7 && digits <= 15;
  for (size_t i = start; ok && i < phone.size(); ++i) ok = phone[i] >= '0' && phone[i] <= '9';
  if (!ok) {
    return Status::Error("bad_phone", "电话号码无效（7–15位数字）",
                         "invalid phone number (7 to 15 digits)");
  }
  return Status::Ok();
}

}  // namespace shefu
