// Record ids: UUIDv7 (RFC 9562) made on the device, so records can be created offline without
// asking anyone and ids sort roughly by creation time. Clock and randomness are injected.
#pragma once

#include <string>
#include <string_view>

#include "shared/env.h"

namespace shefu::sync {

// "0193a5c2-e1f4-7abc-9def-0123456789ab": 48-bit Unix ms, version 7, 74 random bits.
std::string NewUuidV7(Clock& clock, Rng& rng);

// Ids accepted on the wire: 1..64 characters of [0-9A-Za-z._:-] (UUIDs and server-made ids).
bool IsValidRecordId(std::string_view id);
// Entity and group names: 1..64 characters of [a-z0-9_].
bool IsValidName(std::string_view name);

}  // namespace shefu::sync
