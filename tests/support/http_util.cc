#include "tests/support/http_util.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>

namespace shefu::test {

RawReply RawHttp(int port, const std::string& request, int timeout_ms) {
  RawReply rep;
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return rep;
  }
  size_t sent = 0;
  while (sent < request.size()) {
    ssize_t n = send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may answer and close before reading everything
    sent += static_cast<size_t>(n);
  }
  std::string raw;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    if (left <= 0) break;
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left)) <= 0) break;
    char buf[8192];
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    raw.append(buf, static_cast<size_t>(n));
    // Stop once a full response with Content-Length has arrived.
    size_t hdr_end = raw.find("\r\n\r\n");
    if (hdr_end != std::string::npos) {
      size_t cl = raw.find("Content-Length: ");
      if (cl != std::string::npos && cl < hdr_end) {
        size_t len = std::stoul(raw.substr(cl + 16));
        if (raw.size() >= hdr_end + 4 + len) break;
      }
    }
  }
  close(fd);
  if (raw.rfind("HTTP/1.", 0) == 0 && raw.size() > 12) rep.status = std::stoi(raw.substr(9, 3));
  size_t hdr_end = raw.find("\r\n\r\n");
  if (hdr_end != std::string::npos) {
    rep.headers = raw.substr(0, hdr_end);
    rep.body = raw.substr(hdr_end + 4);
  }
  return rep;
}

}  // namespace shefu::test
