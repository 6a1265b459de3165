// The download cursor: an opaque token the server hands out and takes back (Chromium's progress
// marker). Inside: the store epoch, the feed position and a hash of the scope it was made for.
// Devices never parse it; the server refuses one of another epoch or scope with reset_required.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "shared/roles.h"
#include "shared/status.h"

namespace shefu::sync {

struct Cursor {
  std::string epoch;     // 16 hex digits
  int64_t position = 0;  // server_seq reached
  std::string scope;     // ScopeHash of the principal it was issued to

  // "c1.<epoch>.<position>.<scope>"
  std::string Encode() const;
  // "" decodes to the empty cursor (position 0, no epoch). Errors: bad_request.
  static Result<Cursor> Decode(std::string_view token);
  bool empty() const { return epoch.empty(); }
};

// 16 hex digits identifying a scope (district, town, community, org).
std::string ScopeHash(const Scope& scope);

}  // namespace shefu::sync
