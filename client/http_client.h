// HTTP(S) to the township server over libcurl: one easy handle, reused for every request of a
// session (so keep-alive and TLS sessions are reused), JSON in and out.
//
// Transport policy, in one place:
//   - gzip accepted (CURLOPT_ACCEPT_ENCODING ""); request bodies are sent uncompressed (the
//     server refuses compressed bodies: they could inflate without bound);
//   - connect and total timeouts;
//   - with a pin ("sha256//BASE64", from the enrolment QR code) the server's public key must be
//     exactly the pinned one: CURLOPT_PINNEDPUBLICKEY, and the usual CA check is off because the
//     pin is the stronger anchor and town servers often have self-signed certificates;
//     without a pin, https uses the system's CAs and host-name checks;
//   - no retries here: the sync engine decides what to retry (never a 4xx).
// Failures are Statuses with these codes: network_error (no reply: retryable), tls_pin_mismatch
// and tls_untrusted (never retried), bad_url.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "shared/json_util.h"
#include "shared/status.h"

namespace shefu::client {

struct HttpOptions {
  std::string base_url;  // "https://host:port"
  std::string token;     // bearer token; "" for none
  std::string pin;       // "" for none
  int64_t connect_timeout_ms = 10000;
  int64_t total_timeout_ms = 120000;
};

struct HttpReply {
  int status = 0;
  Json body;  // the parsed JSON reply; a non-JSON reply becomes {"_raw": "<first bytes>"}
};

class HttpClient {
 public:
  explicit HttpClient(HttpOptions opt);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // `path` starts with "/" ("/v1/enrol"). A failed Result means no HTTP reply arrived.
  Result<HttpReply> Post(std::string_view path, const Json& body);
  Result<HttpReply> Get(std::string_view path);
  void set_token(std::string token) { opt_.token = std::move(token); }

 private:
  Result<HttpReply> Do(bool post, std::string_view path, const std::string* body);
  HttpOptions opt_;
  void* curl_ = nullptr;  // CURL*
};

// The server's error body {code, message_zh, message_en} (or the sync protocol's {"error":
// {code, zh, en}}) as a Status; a generic http_error when the body says nothing.
Status ErrorFromReply(const HttpReply& r);

// Checks an http:// or https:// URL and drops a trailing slash. Error bad_url.
Result<std::string> NormaliseServerUrl(std::string_view url);
// Checks a pin's form: "sha256//" + base64 of 32 bytes. Error bad_pin.
Status CheckPin(std::string_view pin);

}  // namespace shefu::client
