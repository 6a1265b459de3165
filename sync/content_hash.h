// 64-bit FNV-1a content hashes: the per-seq hash that tells a retried upload (same content) from
// a reused seq (different content), and the scope hash inside a cursor. Not a security measure:
// a device can only confuse itself with a collision.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace shefu::sync {

class ContentHash {
 public:
  // Adds a field; fields are separated so ("ab","c") and ("a","bc") differ.
  ContentHash& Add(std::string_view s);
  ContentHash& Add(int64_t v);
  uint64_t value() const { return h_; }

 private:
  uint64_t h_ = 14695981039346656037ULL;
};

std::string Hex64(uint64_t v);

}  // namespace shefu::sync
