// The sync engine's Transport over HTTP: POST <server>/v1/<route> with the device token.
//
// The engine's contract (sync/transport.h): a failed Result is "no reply" and is retried; a
// Response carries the HTTP status, 5xx/429 are retried, other 4xx are typed errors. Two things
// are adapted here so the engine sees only that contract:
//   - errors from the server's HTTP layer ({code, message_zh, message_en}: unauthenticated,
//     device_revoked, ...) are rewrapped as protocol error replies {"error":{code, zh, en,
//     action}} so they reach the caller with their code and both messages;
//   - a TLS refusal (pin mismatch, untrusted certificate) and a bad URL are not "no reply": they
//     would fail the same way on every retry, so they come back as a non-retryable error
//     reply (HTTP 495 / 400) instead of a failed Result.
// It also notes the server's clock as seen in replies (server_hlc), for `shefu status`.
#pragma once

#include <optional>

#include "client/http_client.h"
#include "sync/transport.h"

namespace shefu::client {

class CurlTransport final : public sync::Transport {
 public:
  CurlTransport(HttpClient& http, Clock& clock) : http_(http), clock_(clock) {}
  Result<sync::Response> Post(std::string_view route, const Json& body) override;

  // Server clock minus device clock at the last reply that carried a stamp.
  std::optional<int64_t> clock_offset_ms() const { return clock_offset_ms_; }
  // The last transport-level failure (for messages when retries run out).
  const Status& last_failure() const { return last_failure_; }

 private:
  HttpClient& http_;
  Clock& clock_;
  std::optional<int64_t> clock_offset_ms_;
  Status last_failure_;
};

}  // namespace shefu::client
