#include "shared/env.h"

#include <sys/random.h>

#include <chrono>
#include <cstring>
#include <stdexcept>

namespace shefu {

int64_t SystemClock::NowMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

SystemClock& SystemClock::Instance() {
  static SystemClock c;
  return c;
}

uint64_t Rng::Uniform(uint64_t n) {
  // Rejection sampling: no modulo bias.
  uint64_t limit = UINT64_MAX - UINT64_MAX % n;
  uint64_t v;
  do {
    v = Next64();
  } while (v >= limit);
  return v % n;
}

void Rng::Fill(void* buf, size_t len) {
  auto* p = static_cast<unsigned char*>(buf);
  while (len > 0) {
    uint64_t v = Next64();
    size_t n = len < 8 ? len : 8;
    std::memcpy(p, &v, n);
    p += n;
    len -= n;
  }
}

std::string Rng::Hex(size_t bytes) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  out.reserve(bytes * 2);
  for (size_t i = 0; i < bytes; ++i) {
    unsigned char b;
    Fill(&b, 1);
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 15]);
  }
  return out;
}

uint64_t SystemRng::Next64() {
  uint64_t v;
  size_t got = 0;
  while (got < sizeof v) {
    ssize_t n = getrandom(reinterpret_cast<char*>(&v) + got, sizeof v - got, 0);
    if (n < 0) continue;  // EINTR; getrandom does not fail otherwise once the pool is ready
    got += static_cast<size_t>(n);
  }
  return v;
}

SystemRng& SystemRng::Instance() {
  static SystemRng r;
  return r;
}

uint64_t SeededRng::Next64() {
  uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

}  // namespace shefu
