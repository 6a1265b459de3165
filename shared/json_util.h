// Checked access to JSON from outside the process (wire messages, data files, CLI input).
//
// nlohmann/json is permissive where shefu must not be: get<int64_t>() silently truncates 1.5,
// dump() throws on invalid UTF-8, and operator[] on a missing key inserts null. These helpers
// check type, range and length and say what was wrong, in both languages, naming the field.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "shared/status.h"

namespace shefu {

using Json = nlohmann::json;

bool IsValidUtf8(std::string_view s);

// Parses text as JSON; never throws. Rejects invalid UTF-8 and nesting deeper than max_depth.
Result<Json> ParseJson(std::string_view text, int max_depth = 32);
// dump() that never throws (invalid UTF-8 is replaced, which can only happen for data that
// bypassed validation).
std::string DumpJson(const Json& j);
// Appends s as a JSON string literal, byte for byte as DumpJson writes a string holding s: for
// writers of hot, fixed-shape documents that skip building a Json. s must be valid UTF-8
// (DumpJson would replace invalid bytes; check IsValidUtf8 first and fall back to it).
void AppendJsonString(std::string* out, std::string_view s);

Status FieldError(std::string_view field, std::string_view zh_what, std::string_view en_what);

// Required fields: missing -> error. Opt*: missing or null -> nullopt.
Result<std::string> GetString(const Json& obj, std::string_view key, size_t max_bytes = 4096,
                              size_t min_bytes = 0);
Result<std::optional<std::string>> OptString(const Json& obj, std::string_view key,
                                             size_t max_bytes = 4096);
Result<int64_t> GetInt(const Json& obj, std::string_view key, int64_t min = INT64_MIN,
                       int64_t max = INT64_MAX);
Result<std::optional<int64_t>> OptInt(const Json& obj, std::string_view key,
                                      int64_t min = INT64_MIN, int64_t max = INT64_MAX);
Result<bool> GetBool(const Json& obj, std::string_view key);
Result<std::optional<bool>> OptBool(const Json& obj, std::string_view key);
// Checks that obj is an object and has no keys outside `allowed` (comma-separated list).
Status CheckKeys(const Json& obj, std::string_view allowed);

}  // namespace shefu
