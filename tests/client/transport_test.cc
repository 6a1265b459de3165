// The libcurl transport's contract with the sync engine (sync/transport.h), against a tiny
// canned-reply HTTP server on 127.0.0.1: what is retryable, what is a typed error, what is sent.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <deque>
#include <mutex>
#include <thread>

#include "client/curl_transport.h"
#include "shared/env.h"
#include "sync/gzip.h"

using namespace shefu;
using namespace shefu::client;

namespace {

struct Canned {
  int status;
  std::string body;
  bool gzip = false;
};

// Answers each connection with the next canned reply (then closes it) and keeps the requests.
class CannedServer {
 public:
  explicit CannedServer(std::deque<Canned> replies) : replies_(std::move(replies)) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    socklen_t len = sizeof a;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    REQUIRE(listen(fd_, 8) == 0);
    thread_ = std::thread([this] { Serve(); });
  }
  ~CannedServer() {
    shutdown(fd_, SHUT_RDWR);
    close(fd_);
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::vector<std::string> requests() {
    std::lock_guard<std::mutex> l(mu_);
    return requests_;
  }

 private:
  void Serve() {
    for (;;) {
      int c = accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      std::string req;
      char buf[4096];
      size_t need = std::string::npos;
      while (need == std::string::npos || req.size() < need) {
        ssize_t n = read(c, buf, sizeof buf);
        if (n <= 0) break;
        req.append(buf, static_cast<size_t>(n));
        size_t end = req.find("\r\n\r\n");
        if (end != std::string::npos && need == std::string::npos) {
          size_t cl = req.find("Content-Length: ");
          size_t body = cl == std::string::npos ? 0 : std::stoul(req.substr(cl + 16));
          need = end + 4 + body;
        }
      }
      Canned r{500, "{}"};
      {
        std::lock_guard<std::mutex> l(mu_);
        requests_.push_back(req);
        if (!replies_.empty()) {
          r = replies_.front();
          replies_.pop_front();
        }
      }
      std::string body = r.gzip ? sync::Gzip(r.body).value() : r.body;
      std::string out = "HTTP/1.1 " + std::to_string(r.status) +
                        " X\r\nContent-Type: "
                        "application/json\r\nConnection: close\r\nContent-Length: " +
                        std::to_string(body.size()) + "\r\n" +
                        (r.gzip ? "Content-Encoding: gzip\r\n" : "") + "\r\n" + body;
      ssize_t w = write(c, out.data(), out.size());
      (void)w;
      close(c);
    }
  }

  int fd_ = -1;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::deque<Canned> replies_;
  std::vector<std::string> requests_;
};

}  // namespace

TEST_CASE("The libcurl transport: 5xx retryable and HTTP-layer errors typed for the engine") {
  CannedServer srv({
      {503, R"({"code":"storage_busy","message_zh":"忙","message_en":"busy"})"},
      {401, R"({"code":"device_revoked","message_zh":"此设备已被注销","message_en":"revoked"})"},
      {409, R"({"protocol":1,"schema":1,"error":{"code":"expected_seq","zh":"z","en":"e",)"
            R"("action":"retry"},"expected_seq":5})"},
      {200, R"({"protocol":1,"schema":1,"acked_seq":3,"server_hlc":"0193a5c2e2100000"})", true},
  });
  HttpClient http(HttpOptions{srv.url(), std::string(64, 'a'), ""});
  CurlTransport t(http, SystemClock::Instance());
  Json body = {{"protocol", 1}, {"x", "数据"}};

  auto busy = t.Post("sync/upload", body);
  REQUIRE(busy.ok());
  CHECK(busy->http_status == 503);
  CHECK(sync::IsRetryableStatus(busy->http_status));

  auto revoked = t.Post("sync/upload", body);
  REQUIRE(revoked.ok());
  CHECK(revoked->http_status == 401);
  CHECK(revoked->body["error"]["code"] == "device_revoked");
  CHECK(revoked->body["error"]["action"] == "reject");
  CHECK(revoked->body["error"]["zh"] == "此设备已被注销");

  auto gap = t.Post("sync/upload", body);
  REQUIRE(gap.ok());
  CHECK(gap->body["expected_seq"] == 5);
  CHECK(gap->body["error"]["action"] == "retry");

  auto ok = t.Post("sync/download", body);  // a gzip reply is inflated
  REQUIRE(ok.ok());
  CHECK(ok->http_status == 200);
  CHECK(ok->body["acked_seq"] == 3);
  CHECK(t.clock_offset_ms().has_value());

  auto reqs = srv.requests();
  REQUIRE(reqs.size() == 4);
  CHECK(reqs[0].rfind("POST /v1/sync/upload HTTP/1.1", 0) == 0);
  CHECK(reqs[3].rfind("POST /v1/sync/download HTTP/1.1", 0) == 0);
  CHECK(reqs[0].find("Authorization: Bearer " + std::string(64, 'a')) != std::string::npos);
  CHECK(reqs[0].find("Content-Type: application/json") != std::string::npos);
  CHECK(reqs[0].find("Accept-Encoding:") != std::string::npos);
  CHECK(reqs[0].find("\"x\":\"数据\"") != std::string::npos);
}

TEST_CASE("The libcurl transport: no listener is a retryable failure and a bad pin a refusal") {
  int port = 0;
  {
    CannedServer gone({});
    port = std::stoi(gone.url().substr(gone.url().rfind(':') + 1));
  }
  HttpClient http(HttpOptions{"http://127.0.0.1:" + std::to_string(port), "", ""});
  CurlTransport t(http, SystemClock::Instance());
  auto r = t.Post("sync/upload", Json::object());
  REQUIRE(!r.ok());
  CHECK(r.status().code() == "network_error");

  CHECK(CheckPin("sha256//" + std::string(43, 'A') + "=").ok());
  CHECK(CheckPin("sha256//abc").code() == "bad_pin");
  CHECK(CheckPin("md5//AAAA").code() == "bad_pin");
  CHECK(NormaliseServerUrl("https://h:8443/").value() == "https://h:8443");
  CHECK(NormaliseServerUrl("ftp://h").status().code() == "bad_url");
  CHECK(NormaliseServerUrl("http://h/x?y").status().code() == "bad_url");
}
