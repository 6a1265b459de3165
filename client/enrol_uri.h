// The enrolment QR code's payload, as `shefu-server device enrol` prints it:
//   shefu-enrol:?url=<percent-escaped URL>&code=XXXX-XXXX-XXXX[&pin=<percent-escaped pin>]
// The URL says where the server is, the one-time code claims the device token, and the pin
// (sha256// of the server certificate's public key) is what the device will trust from then on.
#pragma once

#include <string>
#include <string_view>

#include "shared/status.h"

namespace shefu::client {

struct EnrolTarget {
  std::string url;
  std::string code;
  std::string pin;  // "" when none
};

bool IsEnrolUri(std::string_view s);
// Error bad_enrol_uri naming what is missing or malformed. Unknown parameters are ignored (a
// newer server may add some).
Result<EnrolTarget> ParseEnrolUri(std::string_view uri);
// Decodes %XX escapes ('+' stays '+': pins are base64). Error on a malformed escape.
Result<std::string> PercentDecode(std::string_view s);

}  // namespace shefu::client
