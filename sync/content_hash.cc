#include "sync/content_hash.h"

namespace shefu::sync {

ContentHash& ContentHash::Add(std::string_view s) {
  for (unsigned char c : s) {
    h_ ^= c;
    h_ *= 1099511628211ULL;
  }
  h_ ^= 0xFF;  // separator (0xFF never occurs in UTF-8)
  h_ *= 1099511628211ULL;
  return *this;
}

ContentHash& ContentHash::Add(int64_t v) {
  for (int i = 0; i < 8; ++i) {
    h_ ^= static_cast<unsigned char>(static_cast<uint64_t>(v) >> (8 * i));
    h_ *= 1099511628211ULL;
  }
  return *this;
}

std::string Hex64(uint64_t v) {
  static const char* kDigits = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i) {
    out[static_cast<size_t>(i)] = kDigits[v & 15];
    v >>= 4;
  }
  return out;
}

}  // namespace shefu::sync
