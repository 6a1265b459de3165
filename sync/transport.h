// How sync messages travel. The engine only needs "post this JSON to that route and give me the
// status and the JSON back"; the client implements it over libcurl (HTTPS, gzip, one reused
// handle), tests and the simulation use LoopbackTransport, which calls a handler in-process
// (normally SyncServer::Handle) and can inject faults.
//
// A failed Result means NO response arrived (connection refused, timeout, reply lost): the caller
// retries — every sync request is idempotent. A Response carries the HTTP status: 2xx success;
// 5xx and 429 are retried; other 4xx carry a typed error with its action (errors.h).
#pragma once

#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <utility>

#include "shared/env.h"
#include "shared/json_util.h"
#include "shared/status.h"
#include "sync/sync_server.h"

namespace shefu::sync {

struct Response {
  int http_status = 0;
  Json body;
};

class Transport {
 public:
  virtual ~Transport() = default;
  virtual Result<Response> Post(std::string_view route, const Json& body) = 0;
};

// True for statuses a client retries (5xx, 429).
bool IsRetryableStatus(int http_status);
// The error every transport failure is reported as (retryable).
Status TransportError(std::string_view what_en);

// An in-process transport. Messages cross as text (dump + parse), exactly as on the wire, so the
// decoders see what a real peer would send.
class LoopbackTransport final : public Transport {
 public:
  using Handler = std::function<Reply(std::string_view route, Json body)>;
  explicit LoopbackTransport(Handler handler) : handler_(std::move(handler)) {}

  // Probabilities in [0, 1] of each fault per request (drawn from `rng`).
  struct Faults {
    double drop_request = 0;  // the request never reaches the server
    double drop_reply = 0;    // the server handles it, the reply is lost
    double duplicate = 0;     // the server gets the request twice (first reply lost)
    double hold = 0;          // a copy is held back and delivered later (reordering, delay)
    double server_error = 0;  // a 503 instead of handling it
  };
  void set_faults(const Faults& f, Rng* rng) {
    faults_ = f;
    rng_ = rng;
  }
  // A partitioned transport fails every request without delivering it.
  void set_partitioned(bool p) { partitioned_ = p; }
  bool partitioned() const { return partitioned_; }
  // Delivers up to `max` held-back copies to the server now (their replies go nowhere).
  size_t DeliverHeld(size_t max);
  size_t held() const { return held_.size(); }
  void DropHeld() { held_.clear(); }

  Result<Response> Post(std::string_view route, const Json& body) override;

  // Bytes that crossed, both directions (for benchmarks).
  uint64_t bytes_sent() const { return bytes_sent_; }
  uint64_t bytes_received() const { return bytes_received_; }

 private:
  bool Roll(double p);
  Response Deliver(std::string_view route, const std::string& text);

  Handler handler_;
  Faults faults_;
  Rng* rng_ = nullptr;
  bool partitioned_ = false;
  std::deque<std::pair<std::string, std::string>> held_;
  uint64_t bytes_sent_ = 0, bytes_received_ = 0;
};

}  // namespace shefu::sync
