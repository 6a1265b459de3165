#include "server/password.h"

#include "shared/crypto.h"

namespace shefu::server {

std::string HashPassword(std::string_view password, int iterations) {
  std::string salt = crypto::RandomBytes(16);
  std::string hash = crypto::Pbkdf2Sha256(password, salt, iterations);
  return "pbkdf2-sha256$" + std::to_string(iterations) + "$" + crypto::ToHex(salt) + "$" +
         crypto::ToHex(hash);
}

bool VerifyPassword(std::string_view password, std::string_view stored) {
  const std::string_view prefix = "pbkdf2-sha256$";
  if (stored.substr(0, prefix.size()) != prefix) return false;
  std::string_view rest = stored.substr(prefix.size());
  size_t a = rest.find('$');
  if (a == std::string_view::npos) return false;
  size_t b = rest.find('$', a + 1);
  if (b == std::string_view::npos) return false;
  int iterations = 0;
  for (char c : rest.substr(0, a)) {
    if (c < '0' || c > '9' || iterations > 100000000) return false;
    iterations = iterations * 10 + (c - '0');
  }
  if (iterations < 1) return false;
  std::string salt, expected;
  if (!crypto::FromHex(rest.substr(a + 1, b - a - 1), &salt) ||
      !crypto::FromHex(rest.substr(b + 1), &expected) || expected.empty())
    return false;
  std::string got = crypto::Pbkdf2Sha256(password, salt, iterations, expected.size());
  return crypto::ConstantTimeEqual(got, expected);
}

Status CheckPasswordStrength(std::string_view password) {
  bool all_same = !password.empty();
  for (char c : password)
    if (c != password[0]) all_same = false;
  if (password.size() < 10 || all_same) {
    return Status::Error("weak_password", "密码至少10个字符，且不能全部相同",
                         "password must have at least 10 characters, not all the same");
  }
  return Status::Ok();
}

}  // namespace shefu::server
