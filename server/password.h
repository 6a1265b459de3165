// Password hashing: PBKDF2-HMAC-SHA256 with a per-user 16-byte salt.
// Stored form: "pbkdf2-sha256$ITERATIONS$SALT_HEX$HASH_HEX" — self-describing, so the iteration
// count can be raised later and old hashes still verify.
#pragma once

#include <string>
#include <string_view>

#include "shared/status.h"

namespace shefu::server {

// OWASP's 2023 figure for PBKDF2-HMAC-SHA256. Never lower.
inline constexpr int kPbkdf2Iterations = 210000;

std::string HashPassword(std::string_view password, int iterations = kPbkdf2Iterations);
bool VerifyPassword(std::string_view password, std::string_view stored);
// At least 10 characters (UTF-8 bytes), not all the same character. Error: weak_password.
Status CheckPasswordStrength(std::string_view password);

}  // namespace shefu::server
