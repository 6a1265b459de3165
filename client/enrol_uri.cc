#include "client/enrol_uri.h"

namespace shefu::client {
namespace {

constexpr std::string_view kScheme = "shefu-enrol:";

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Status BadUri(const std::string& zh, const std::string& en) {
  return Status::Error("bad_enrol_uri", "注册二维码内容无效：" + zh,
                       "invalid enrolment QR payload: " + en);
}

}  // namespace

bool IsEnrolUri(std::string_view s) {
  return s.rfind(kScheme, 0) == 0;
}

Result<std::string> PercentDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    int hi = i + 1 < s.size() ? HexValue(s[i + 1]) : -1;
    int lo = i + 2 < s.size() ? HexValue(s[i + 2]) : -1;
    if (hi < 0 || lo < 0) return BadUri("转义符无效", "bad escape");
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

Result<EnrolTarget> ParseEnrolUri(std::string_view uri) {
  if (!IsEnrolUri(uri)) return BadUri("应以 shefu-enrol: 开头", "must start with shefu-enrol:");
  std::string_view rest = uri.substr(kScheme.size());
  if (!rest.empty() && rest[0] == '?') rest.remove_prefix(1);
  EnrolTarget t;
  while (!rest.empty()) {
    size_t amp = rest.find('&');
    std::string_view part = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    size_t eq = part.find('=');
    if (eq == std::string_view::npos) continue;
    std::string_view key = part.substr(0, eq);
    auto value = PercentDecode(part.substr(eq + 1));
    if (!value.ok()) return value.status();
    if (key == "url")
      t.url = *value;
    else if (key == "code")
      t.code = *value;
    else if (key == "pin")
      t.pin = *value;
  }
  if (t.url.empty()) return BadUri("缺少服务器地址（url）", "the server address (url) is missing");
  if (t.code.empty()) return BadUri("缺少注册码（code）", "the enrolment code is missing");
  return t;
}

}  // namespace shefu::client
