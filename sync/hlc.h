// Hybrid logical clock (Kulkarni et al., "Logical Physical Clocks", OPODIS 2014).
//
// A stamp is 48 bits of wall-clock milliseconds and a 16-bit counter packed in 64 bits, so
// stamps compare as integers. The node id (client id, or the server's node id) is kept beside a
// stamp, never inside it, and breaks ties (see merge.h).
//
// The clock
//   - never goes backwards: the last stamp is persisted (table sync_hlc), and a wall clock that
//     jumps back after a restart or a manual change only makes the counter advance;
//   - applies the receive rule to every remote stamp, so a write made after seeing a value always
//     carries a higher stamp than that value;
//   - refuses to be dragged into the future: a stamp more than `max_future_ms` (default 5 min)
//     ahead of this node's physical time is flagged and, unless it comes from a trusted authority
//     (a device trusts its server), does not move the clock. The server caps such stamps before
//     merging them (merge.h, EffectiveStamp), so a wrong tablet clock cannot win conflicts.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "shared/db.h"
#include "shared/env.h"

namespace shefu::sync {

class Hlc {
 public:
  static constexpr int kCounterBits = 16;
  static constexpr uint32_t kMaxCounter = 0xFFFF;
  // Stamps stay below 2^63 so they fit SQLite's signed INTEGER: wall ms < 2^47 (year 6429).
  static constexpr int64_t kMaxMs = (int64_t{1} << 47) - 1;

  constexpr Hlc() = default;
  static constexpr Hlc FromPacked(uint64_t packed) { return Hlc(packed); }
  // `ms` is clamped to [0, kMaxMs], `counter` to 16 bits.
  static constexpr Hlc Make(int64_t ms, uint32_t counter) {
    if (ms < 0) ms = 0;
    if (ms > kMaxMs) ms = kMaxMs;
    return Hlc((static_cast<uint64_t>(ms) << kCounterBits) | (counter & kMaxCounter));
  }

  constexpr int64_t ms() const { return static_cast<int64_t>(packed_ >> kCounterBits); }
  constexpr uint32_t counter() const { return static_cast<uint32_t>(packed_ & kMaxCounter); }
  constexpr uint64_t packed() const { return packed_; }
  // As stored in SQLite (always non-negative, see kMaxMs).
  constexpr int64_t AsInt() const { return static_cast<int64_t>(packed_); }
  static constexpr Hlc FromInt(int64_t v) { return Hlc(static_cast<uint64_t>(v)); }
  constexpr bool IsZero() const { return packed_ == 0; }

  // 16 lower-case hex digits, the wire form.
  std::string ToHex() const;
  // Exactly 16 hex digits (either case) whose ms part is <= kMaxMs; nullopt otherwise.
  static std::optional<Hlc> FromHex(std::string_view hex);

  constexpr auto operator<=>(const Hlc&) const = default;

 private:
  constexpr explicit Hlc(uint64_t p) : packed_(p) {}
  uint64_t packed_ = 0;
};

struct ClockOptions {
  // A remote stamp further ahead of our physical time than this is "from the future".
  int64_t max_future_ms = 5 * 60 * 1000;
};

// What Receive() did with a remote stamp.
struct ReceiveOutcome {
  bool beyond_bound = false;  // remote was more than max_future_ms ahead of physical time
  bool merged = false;        // the clock took the remote stamp into account
  int64_t ahead_ms = 0;       // remote.ms - physical ms (negative: remote is behind)
};

// Not thread-safe; each store owns one and uses it under its own transaction discipline.
class HybridClock {
 public:
  explicit HybridClock(Clock& wall, Hlc last = {}, ClockOptions opt = {})
      : wall_(wall), last_(last), opt_(opt) {}

  // A local event (a write, a reply): a stamp strictly greater than every stamp issued or
  // received so far.
  Hlc Now();
  // The receive rule. An untrusted remote stamp beyond the bound is flagged and ignored; a trusted
  // one (the server's, seen by a device) is merged anyway and flagged.
  ReceiveOutcome Receive(Hlc remote, bool trusted = false);
  // True when `remote` is more than max_future_ms ahead of this node's physical time.
  bool BeyondBound(Hlc remote) const;

  // The last stamp issued or merged (what must be persisted).
  Hlc last() const { return last_; }
  // Physical time: the wall clock plus a correction (see set_offset_ms).
  int64_t PhysicalMs() const;
  // A device whose wall clock is known to be wrong by more than the bound corrects its physical
  // time by the offset the server reported. Never makes the clock go back (stamps stay monotone).
  void set_offset_ms(int64_t ms) { offset_ms_ = ms; }
  int64_t offset_ms() const { return offset_ms_; }
  const ClockOptions& options() const { return opt_; }

 private:
  Clock& wall_;
  Hlc last_;
  ClockOptions opt_;
  int64_t offset_ms_ = 0;
};

// Persistence: one row per database (component "sync_clock", table sync_hlc). Save inside the
// caller's transaction, together with the rows carrying the stamps.
Status MigrateClockSchema(Db& db);
Result<Hlc> LoadHlc(Db& db);
Status SaveHlc(Db& db, Hlc last);

}  // namespace shefu::sync
