#include "sync/hlc.h"

#include <algorithm>

namespace shefu::sync {

std::string Hlc::ToHex() const {
  static const char* kDigits = "0123456789abcdef";
  std::string out(16, '0');
  uint64_t v = packed_;
  for (int i = 15; i >= 0; --i) {
    out[static_cast<size_t>(i)] = kDigits[v & 15];
    v >>= 4;
  }
  return out;
}

std::optional<Hlc> Hlc::FromHex(std::string_view hex) {
  if (hex.size() != 16) return std::nullopt;
  uint64_t v = 0;
  for (char c : hex) {
    int d;
    if (c >= '0' && c <= '9')
      d = c - '0';
    else if (c >= 'a' && c <= 'f')
      d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F')
      d = c - 'A' + 10;
    else
      return std::nullopt;
    v = (v << 4) | static_cast<uint64_t>(d);
  }
  Hlc h(v);
  if (h.ms() > kMaxMs) return std::nullopt;
  return h;
}

int64_t HybridClock::PhysicalMs() const {
  int64_t pt = wall_.NowMs() + offset_ms_;
  return std::clamp<int64_t>(pt, 0, Hlc::kMaxMs);
}

namespace {
// Advances (l, c) by one event at logical time l: the counter, or the next millisecond when the
// counter is exhausted (65536 events in one millisecond, or a wall clock stuck far behind).
Hlc Tick(int64_t l, uint32_t c) {
  if (c >= Hlc::kMaxCounter) return Hlc::Make(l + 1, 0);
  return Hlc::Make(l, c + 1);
}
}  // namespace

Hlc HybridClock::Now() {
  int64_t pt = PhysicalMs();
  if (pt > last_.ms()) {
    last_ = Hlc::Make(pt, 0);
  } else {
    last_ = Tick(last_.ms(), last_.counter());
  }
  return last_;
}

bool HybridClock::BeyondBound(Hlc remote) const {
  return remote.ms() - PhysicalMs() > opt_.max_future_ms;
}

ReceiveOutcome HybridClock::Receive(Hlc remote, bool trusted) {
  ReceiveOutcome out;
  int64_t pt = PhysicalMs();
  out.ahead_ms = remote.ms() - pt;
  out.beyond_bound = out.ahead_ms > opt_.max_future_ms;
  if (out.beyond_bound && !trusted) return out;
  out.merged = true;
  int64_t l = last_.ms(), lm = remote.ms();
  int64_t nl = std::max({l, lm, pt});
  uint32_t c;
  if (nl == l && nl == lm) {
    c = std::max(last_.counter(), remote.counter());
  } else if (nl == l) {
    c = last_.counter();
  } else if (nl == lm) {
    c = remote.counter();
  } else {
    last_ = Hlc::Make(nl, 0);
    return out;
  }
  last_ = Tick(nl, c);
  return out;
}

namespace {
const Migration kClockSchema[] = {
    {1,
     "CREATE TABLE sync_hlc("
     " id INTEGER PRIMARY KEY CHECK (id = 1),"
     " last INTEGER NOT NULL)"},
};
}  // namespace

Status MigrateClockSchema(Db& db) {
  return Migrate(db, "sync_clock", kClockSchema);
}

Result<Hlc> LoadHlc(Db& db) {
  auto st = db.Cached("SELECT last FROM sync_hlc WHERE id = 1");
  auto r = st.Step();
  if (!r.ok()) return r.status();
  if (!*r) return Hlc();
  int64_t v = st->Int(0);
  if (v < 0) v = 0;
  return Hlc::FromInt(v);
}

Status SaveHlc(Db& db, Hlc last) {
  auto st = db.Cached(
      "INSERT INTO sync_hlc(id, last) VALUES(1, ?1) "
      "ON CONFLICT(id) DO UPDATE SET last = max(last, excluded.last)");
  st.Bind(1, last.AsInt());
  return st.Run();
}

}  // namespace shefu::sync
