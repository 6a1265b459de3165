// gzip for sync bodies. Inflating is bounded: a small gzip body can expand without limit
// ("zip bomb"), so the caller states the most it accepts (DESIGN.md pitfalls).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "shared/status.h"

namespace shefu::sync {

// gzip format (RFC 1952). Level 1 is much faster than 6 for a little size (bench/).
Result<std::string> Gzip(std::string_view data, int level = 6);
// Errors: bad_gzip (not gzip / corrupt / truncated), body_too_large (more than max_bytes).
Result<std::string> Gunzip(std::string_view gz, size_t max_bytes);

}  // namespace shefu::sync
