// The fuzzed entry points, shared by the libFuzzer targets (tests/fuzz/fuzz_*.cc, built with
// -DSHEFU_FUZZ=ON and clang) and by tests/sync/fuzz_replay_test.cc, which replays every corpus
// file and every crash ever found in the ordinary CTest suite.
//
// Each function must never crash, throw, leak or trip a sanitizer, whatever the bytes; a
// violated property calls Violation() (abort), so libFuzzer reports it like a crash.
// Keep C++20 ranges out of here: clang 14 cannot compile libstdc++ 12's <ranges>.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "shared/db.h"
#include "shared/env.h"
#include "sync/conflict_log.h"
#include "sync/cursor.h"
#include "sync/gzip.h"
#include "sync/merge.h"
#include "sync/sync_server.h"
#include "sync/upload_decoder.h"
#include "sync/wire.h"

namespace shefu::sync::fuzz {

[[noreturn]] inline void Violation(const char* what) {
  fprintf(stderr, "fuzz property violated: %s\n", what);
  abort();
}

// The wire decoder: any bytes, as any message.
inline void FuzzWireDecode(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)Cursor::Decode(text);
  (void)Gunzip(text, 1 << 20);
  // The one-pass upload decoder decides exactly as the two-step path, whatever the bytes.
  auto body = DecodeUploadBody(text);
  auto msg = ParseMessage(text);
  {
    auto two = msg.ok() ? DecodeUploadRequest(Json(*msg)) : Result<UploadRequest>(msg.status());
    if (body.ok() != two.ok()) Violation("upload decoders disagree on success");
    if (!body.ok() && body.status().code() != two.status().code())
      Violation("upload decoders disagree on the error");
    if (body.ok()) {
      const UploadRequest &x = body->request, &y = *two;
      if (x.client_id != y.client_id || x.epoch != y.epoch || x.first_seq != y.first_seq ||
          x.last_seq != y.last_seq || x.changes.size() != y.changes.size())
        Violation("upload decoders disagree on the request");
      for (size_t i = 0; i < x.changes.size(); ++i) {
        const Change &c = x.changes[i], &d = y.changes[i];
        if (c.entity != d.entity || c.id != d.id || c.group != d.group || c.seq != d.seq ||
            c.hlc != d.hlc || c.base != d.base || c.value_text != d.value_text ||
            c.value != d.value)
          Violation("upload decoders disagree on a change");
      }
    }
  }
  if (!msg.ok()) return;
  (void)DecodeUploadRequest(Json(*msg));
  (void)DecodeUploadReply(*msg);
  (void)DecodeDownloadRequest(*msg);
  (void)DecodeDownloadReply(Json(*msg));
  (void)DecodeAnonUploadRequest(Json(*msg));
  (void)DecodeAnonUploadReply(*msg);
  (void)DecodeErrorReply(*msg);
  (void)ConflictFromJson(*msg);
  // What decodes must encode and decode to the same thing.
  auto up = DecodeUploadRequest(Json(*msg));
  if (up.ok()) {
    auto again = DecodeUploadRequest(Encode(*up));
    if (!again.ok() || again->changes.size() != up->changes.size())
      Violation("upload request does not round-trip");
    for (size_t i = 0; i < up->changes.size(); ++i)
      if (again->changes[i].value_text != up->changes[i].value_text ||
          again->changes[i].hlc != up->changes[i].hlc)
        Violation("change does not round-trip");
  }
}

// A small reader of fuzz bytes.
class Bytes {
 public:
  Bytes(const uint8_t* d, size_t n) : d_(d), n_(n) {}
  uint8_t Next() { return i_ < n_ ? d_[i_++] : 0; }
  bool empty() const { return i_ >= n_; }
  std::string_view Rest() {
    auto s = std::string_view(reinterpret_cast<const char*>(d_ + i_), n_ - i_);
    i_ = n_;
    return s;
  }

 private:
  const uint8_t* d_;
  size_t n_, i_ = 0;
};

inline Cell FuzzCell(Bytes& b) {
  static const char* kNodes[] = {"a", "b", "c", "server"};
  static const char* kValues[] = {"true", "false", "{\"count\":1}", "{\"count\":2}", "{}"};
  Cell c;
  c.hlc = Hlc::Make(1000 + (b.Next() & 7), b.Next() & 3);
  c.node = kNodes[b.Next() & 3];
  c.value = kValues[b.Next() % 5];
  c.seq = b.Next() & 7;
  return c;
}

// The merge entry point: the pure merge's properties on cells drawn from the bytes, then the
// server's upload handler (the path every write takes) on the bytes as a request.
class MergeHarness {
 public:
  MergeHarness() { Reset(); }
  void Reset() {
    server_.reset();
    db_.reset();
    auto db = Db::Open(":memory:");
    if (!db.ok()) Violation("cannot open :memory:");
    db_ = std::move(*db);
    auto s = SyncServer::Open(*db_, clock_, rng_, places_);
    if (!s.ok()) Violation("cannot open the server");
    server_ = std::move(*s);
    runs_ = 0;
  }

  void Run(const uint8_t* data, size_t size) {
    if (++runs_ > 2000) Reset();  // keep the store small
    Bytes b(data, size);
    // Pure merge properties.
    const char* entity = (b.Next() & 1) ? "need" : "visit";
    Cell x = FuzzCell(b), y = FuzzCell(b), z = FuzzCell(b);
    CellKey k{entity, "r", (entity[0] == 'n') ? "people" : "record"};
    if (CompareLww(x, y) != -CompareLww(y, x)) Violation("LWW order not antisymmetric");
    ReplicaState s1, s2;
    JoinCell(&s1, k, x);
    JoinCell(&s1, k, y);
    JoinCell(&s1, k, z);
    JoinCell(&s2, k, z);
    JoinCell(&s2, k, x);
    JoinCell(&s2, k, y);
    JoinCell(&s2, k, y);
    if (!(s1 == s2)) Violation("join depends on order");
    EditDecision d = DecideEdit(&x, b.Next() & 7, y, b.Next() & 7);
    if (d.incoming_wins != (CompareLww(y, x) > 0)) Violation("edit decision is not LWW");
    if (!d.incoming_wins && x.value != y.value && !d.log_loser) Violation("a loser was dropped");
    // The server's upload path on the rest, as JSON.
    std::string_view rest = b.Rest();
    auto msg = ParseMessage(rest);
    Principal p;
    p.client_id = "fz";
    p.role = (size & 1) ? Role::kCommunityWorker : Role::kKiosk;
    p.scope.district = "D1";
    p.scope.town = "T1";
    p.scope.community = "C1";
    if (!msg.ok()) return;
    Reply r = server_->HandleUpload(p, Json(*msg));
    if (r.http_status != 200 && r.http_status < 400) Violation("odd status");
    (void)server_->HandleAnonUpload(p, Json(*msg));
    Reply d2 = server_->HandleDownload(
        p, Json{{"protocol", 1}, {"schema", 1}, {"cursor", ""}, {"limit", 50}});
    if (!d2.ok()) Violation("download failed after an upload");
  }

 private:
  class Places final : public DomainContext {
   public:
    bool ResolvePlace(std::string_view code, Place* out) const override {
      if (code == "C1")
        *out = {"D1", "T1", "C1"};
      else if (code == "C2")
        *out = {"D1", "T1", "C2"};
      else
        return false;
      return true;
    }
  };
  FakeClock clock_;
  SeededRng rng_{1};
  Places places_;
  std::unique_ptr<Db> db_;
  std::unique_ptr<SyncServer> server_;
  int runs_ = 0;
};

inline void FuzzMerge(const uint8_t* data, size_t size) {
  static MergeHarness* harness = new MergeHarness();  // lives for the process
  harness->Run(data, size);
}

}  // namespace shefu::sync::fuzz
