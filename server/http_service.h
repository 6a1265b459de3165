// The HTTP front of shefu-server: cpp-httplib configured deliberately, JSON in and out.
//
// Debian's cpp-httplib is a prebuilt library with its defaults frozen (see DESIGN.md pitfalls):
// Nagle on, 5 requests per keep-alive connection, 8 threads, a listen backlog of 5, and
// SO_REUSEPORT on. HttpService turns on TCP_NODELAY, sizes the thread pool and keep-alive,
// widens the backlog, sets socket options without SO_REUSEPORT, and refuses chunked and
// compressed request bodies before they are read (the library's length limit only checks
// Content-Length, and a gzip body would inflate without bound).
//
// Every reply is JSON. Errors are {code, message_zh, message_en, article?} with an HTTP status
// chosen from the code (HttpStatusFor). Every request gets an id (X-Request-Id) used in the
// audit trail, and one JSON line in the access log: time, user, device, route, status, ms, bytes
// — ids only, never bodies or query strings.
#pragma once

#include <atomic>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "server/accounts.h"
#include "shared/env.h"
#include "shared/json_util.h"
#include "shared/status.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace shefu::server {

struct HttpOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port (tests)
  std::string tls_cert, tls_key;
  bool insecure_http = false;  // allow plain HTTP on a non-loopback address
  size_t max_body_bytes = 8u << 20;
  int threads = 64;  // each keep-alive connection holds a thread
  int keep_alive_max_requests = 1000;
  std::string access_log_path;  // empty: no access log
};

// The parts of a request a handler may look at.
struct ApiRequest {
  std::string method;
  std::string path;
  std::vector<std::string> path_params;  // regex captures of the route pattern
  std::map<std::string, std::string> query;
  Json body;  // parsed JSON (null for GET and for Body::kRaw routes)
  std::string raw_body;
  std::optional<Caller> caller;  // set for authenticated routes
  std::string bearer_token;
  std::string request_id;
  std::string remote_addr;
  std::string accept_encoding;
};

// A query parameter's value, at most 64 bytes (empty when absent).
std::string QueryParam(const ApiRequest& req, const char* key);

struct ApiReply {
  int status = 200;
  Json body = Json::object();
  // When set, sent as-is with this content type instead of body (CSV, HTML, pre-encoded JSON).
  std::optional<std::string> raw;
  std::string content_type = "application/json; charset=utf-8";
  std::map<std::string, std::string> headers;
};

enum class Auth { kNone, kRequired };
// kJson: the body is parsed before the handler runs (ApiRequest::body). kRaw: only its media type
// is checked and the handler decodes ApiRequest::raw_body itself (the sync upload, whose decoder
// reads the bytes in one pass: sync/upload_decoder.h).
enum class Body { kJson, kRaw };
using ApiHandler = std::function<Result<ApiReply>(ApiRequest&)>;

// HTTP status for an error code (400 bad input, 401, 403, 404, 409, 413, 422 rule refusals,
// 429, 503 busy, 500 otherwise unexpected).
int HttpStatusFor(const Status& st);
Json ErrorJson(const Status& st);

// True for 127.0.0.0/8, ::1 and "localhost".
bool IsLoopbackHost(const std::string& host);
// "HOST:PORT" or "[v6]:PORT". Error: bad_listen.
Status ParseListen(const std::string& s, std::string* host, int* port);

class HttpService {
 public:
  HttpService(HttpOptions opt, Accounts* accounts, Clock& clock);
  ~HttpService();

  void Route(const std::string& method, const std::string& pattern, Auth auth, ApiHandler handler,
             Body body = Body::kJson);

  // Binds the listening socket. Refuses a non-loopback address without TLS unless
  // insecure_http. Errors: insecure_listen, tls_invalid, bind_failed.
  Status Bind();
  int port() const { return port_; }
  bool tls() const { return !opt_.tls_cert.empty(); }
  // Serves until Stop(); in-flight requests finish before it returns.
  Status Run();
  void Stop();

 private:
  void Handle(const std::string& route, Auth auth, Body body, const ApiHandler& h,
              const httplib::Request&, httplib::Response&);
  void WriteAccessLog(const httplib::Request&, const httplib::Response&);

  HttpOptions opt_;
  Accounts* accounts_;
  Clock& clock_;
  std::unique_ptr<httplib::Server> srv_;
  int port_ = 0;
  std::mutex log_mu_;
  FILE* access_log_ = nullptr;
};

}  // namespace shefu::server
