// The environment a component runs in: time and randomness, injected so that tests are
// deterministic (LevelDB's Env, Realm's injected clocks). Production code takes a Clock& / Rng&
// and never calls time() or rand() itself.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>

namespace shefu {

// Wall-clock time as UTC milliseconds since the Unix epoch. Storage is always UTC; display
// converts to Asia/Shanghai (see civil_time.h).
class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t NowMs() = 0;
};

class SystemClock final : public Clock {
 public:
  int64_t NowMs() override;
  static SystemClock& Instance();
};

// A clock tests move by hand. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t start_ms = 1764374400000 /* 2025-11-29T00:00Z */) : now_(start_ms) {}
  int64_t NowMs() override {
    std::lock_guard<std::mutex> l(mu_);
    return now_;
  }
  void Set(int64_t ms) {
    std::lock_guard<std::mutex> l(mu_);
    now_ = ms;
  }
  void Advance(int64_t ms) {
    std::lock_guard<std::mutex> l(mu_);
    now_ += ms;
  }

 private:
  std::mutex mu_;
  int64_t now_;
};

// A clock that is another clock plus a fixed offset (a device whose wall clock is wrong).
class SkewedClock final : public Clock {
 public:
  SkewedClock(Clock& base, int64_t offset_ms) : base_(base), offset_(offset_ms) {}
  int64_t NowMs() override { return base_.NowMs() + offset_; }
  void set_offset(int64_t ms) { offset_ = ms; }

 private:
  Clock& base_;
  int64_t offset_;
};

class Rng {
 public:
  virtual ~Rng() = default;
  virtual uint64_t Next64() = 0;
  // Uniform in [0, n); n > 0.
  uint64_t Uniform(uint64_t n);
  void Fill(void* buf, size_t len);
  // Lower-case hex of `bytes` random bytes.
  std::string Hex(size_t bytes);
};

// Cryptographically secure (getrandom(2)). Use for tokens, ids, salts.
class SystemRng final : public Rng {
 public:
  uint64_t Next64() override;
  static SystemRng& Instance();
};

// Deterministic (splitmix64), for tests and simulations. Never for secrets.
class SeededRng final : public Rng {
 public:
  explicit SeededRng(uint64_t seed) : state_(seed) {}
  uint64_t Next64() override;

 private:
  uint64_t state_;
};

}  // namespace shefu
