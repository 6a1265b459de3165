// Raw HTTP for hostile-input tests: bytes on a loopback socket, exactly as written, and the
// server's reply — for what a well-behaved client library would refuse to send.
#pragma once

#include <string>

namespace shefu::test {

struct RawReply {
  int status = 0;  // 0 when no status line came back
  std::string headers;
  std::string body;
};

// Sends `request` to 127.0.0.1:port, half-closes nothing, reads until the server closes or
// `timeout_ms` passes.
RawReply RawHttp(int port, const std::string& request, int timeout_ms = 5000);

}  // namespace shefu::test
