// CSV exports for the township: the needs (or other records) on this device, e.g. the unsent
// ones of a revoked or broken device, to be re-entered. UTF-8 with BOM and CRLF so Excel shows
// Chinese correctly; cells starting with = + - @ are neutralised (shared/csv.h). ID numbers
// appear masked only (the device never has them in clear); phones masked unless asked for.
#pragma once

#include <string>
#include <vector>

#include "client/local_store.h"
#include "shared/json_util.h"

namespace shefu::client {

// `needs`: NeedToJson() objects (with "phone" when full_phone).
std::string NeedsCsv(const std::vector<Json>& needs, Lang lang, bool full_phone);
// Any entity: one row per record with its groups as JSON text.
std::string RecordsCsv(const std::vector<StoredRecord>& records,
                       const std::vector<std::string>& unsent_ids, Lang lang);

}  // namespace shefu::client
