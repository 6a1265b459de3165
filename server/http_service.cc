#include "server/http_service.h"

#include <httplib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <chrono>
#include <cstring>

#include "server/request_context.h"
#include "shared/civil_time.h"
#include "shared/crypto.h"

namespace shefu::server {

std::string QueryParam(const ApiRequest& req, const char* key) {
  auto it = req.query.find(key);
  return it == req.query.end() ? std::string() : it->second.substr(0, 64);
}
namespace {

// Per-request facts for the access log, filled on the thread that serves the request
// (cpp-httplib runs pre-routing, the handler and the logger on the same worker thread).
struct RequestTrace {
  std::chrono::steady_clock::time_point start;
  std::string route = "-";
  int64_t user = 0;
  std::string device;
  std::string request_id;
};
thread_local RequestTrace t_trace;

// Exposes the protected listening socket so the backlog can be widened after bind
// (the library listens with a compiled-in backlog of 5).
class TunedServer : public httplib::Server {
 public:
  void WidenBacklog(int n) { ::listen(svr_sock_, n); }
};
class TunedSslServer : public httplib::SSLServer {
 public:
  using httplib::SSLServer::SSLServer;
  void WidenBacklog(int n) { ::listen(svr_sock_, n); }
};

void SetJson(httplib::Response& res, int status, const Json& body) {
  res.status = status;
  res.set_content(DumpJson(body), "application/json; charset=utf-8");
}

void SetError(httplib::Response& res, const Status& st) {
  SetJson(res, HttpStatusFor(st), ErrorJson(st));
}

}  // namespace

int HttpStatusFor(const Status& st) {
  static const std::map<std::string, int> kStatus = {
      {"bad_json", 400},
      {"bad_field", 400},
      {"bad_request", 400},
      {"bad_date", 400},
      {"bad_amount", 400},
      {"bad_time", 400},
      {"protocol_unsupported", 400},
      {"unauthenticated", 401},
      {"bad_credentials", 401},
      {"device_revoked", 401},
      {"user_disabled", 403},
      {"forbidden", 403},
      {"scope_forbidden", 403},
      {"role_not_allowed", 403},
      {"catalogue_forbidden", 403},
      {"client_mismatch", 403},
      {"not_found", 404},
      {"unknown_user", 404},
      {"unknown_device", 404},
      {"unknown_record", 404},
      {"unknown_route", 404},
      {"method_not_allowed", 405},
      {"login_taken", 409},
      {"seq_reuse", 409},
      {"illegal_transition", 409},
      {"not_editable", 409},
      {"enrol_code_used", 409},
      {"already_exists", 409},
      {"length_required", 411},
      {"payload_too_large", 413},
      {"unsupported_media", 415},
      {"enrol_code_invalid", 400},
      {"enrol_code_expired", 410},
      {"rate_limited", 429},
      {"storage_busy", 503},
      {"storage_error", 500},
      {"internal", 500},
  };
  auto it = kStatus.find(st.code());
  if (it != kStatus.end()) return it->second;
  // Everything else is a well-formed request refused by a rule (an article, a guard).
  return 422;
}

Json ErrorJson(const Status& st) {
  Json j = {{"code", st.code()},
            {"message_zh", st.message(Lang::kZh)},
            {"message_en", st.message(Lang::kEn)}};
  if (!st.article().empty()) j["article"] = st.article();
  return j;
}

bool IsLoopbackHost(const std::string& host) {
  if (host == "localhost" || host == "::1" || host == "[::1]") return true;
  return host.rfind("127.", 0) == 0;
}

Status ParseListen(const std::string& s, std::string* host, int* port) {
  auto bad = [&] {
    return Status::Error("bad_listen", "监听地址应为 主机:端口（如 127.0.0.1:8080）",
                         "listen address must be HOST:PORT (e.g. 127.0.0.1:8080)");
  };
  size_t colon = s.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 >= s.size()) return bad();
  std::string h = s.substr(0, colon);
  if (h.size() > 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  int p = 0;
  for (char c : s.substr(colon + 1)) {
    if (c < '0' || c > '9') return bad();
    p = p * 10 + (c - '0');
    if (p > 65535) return bad();
  }
  *host = h;
  *port = p;
  return Status::Ok();
}

HttpService::HttpService(HttpOptions opt, Accounts* accounts, Clock& clock)
    : opt_(std::move(opt)), accounts_(accounts), clock_(clock) {
  if (!opt_.tls_cert.empty()) {
    srv_ = std::make_unique<TunedSslServer>(opt_.tls_cert.c_str(), opt_.tls_key.c_str());
  } else {
    srv_ = std::make_unique<TunedServer>();
  }
  if (!opt_.access_log_path.empty()) access_log_ = std::fopen(opt_.access_log_path.c_str(), "a");

  const int threads = opt_.threads;
  srv_->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  srv_->set_tcp_nodelay(true);
  srv_->set_keep_alive_max_count(static_cast<size_t>(opt_.keep_alive_max_requests));
  srv_->set_keep_alive_timeout(10);
  srv_->set_read_timeout(30);
  srv_->set_write_timeout(30);
  srv_->set_payload_max_length(opt_.max_body_bytes);
  // Our own socket options: SO_REUSEADDR for quick restarts, never SO_REUSEPORT (with it a
  // second server could bind the same port silently).
  srv_->set_socket_options([](int sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });

  const size_t max_body = opt_.max_body_bytes;
  srv_->set_pre_routing_handler([this, max_body](const httplib::Request& req,
                                                 httplib::Response& res) {
    t_trace = RequestTrace{};
    t_trace.start = std::chrono::steady_clock::now();
    t_trace.request_id = crypto::ToHex(crypto::RandomBytes(8));
    res.set_header("X-Request-Id", t_trace.request_id);
    (void)this;
    // Refuse bodies whose size the library cannot bound before reading them.
    if (req.has_header("Transfer-Encoding")) {
      SetError(res, Status::Error("length_required", "请求体必须带 Content-Length，不接受分块传输",
                                  "request bodies need Content-Length; chunked is refused"));
      return httplib::Server::HandlerResponse::Handled;
    }
    if (req.has_header("Content-Encoding")) {
      SetError(res, Status::Error("unsupported_media", "不接受压缩的请求体",
                                  "compressed request bodies are refused"));
      return httplib::Server::HandlerResponse::Handled;
    }
    if (req.has_header("Content-Length")) {
      std::string cl = req.get_header_value("Content-Length");
      bool digits = !cl.empty() && cl.size() < 19;
      for (char c : cl) digits = digits && c >= '0' && c <= '9';
      if (!digits || std::stoull(cl) > max_body) {
        SetError(res, Status::Error(
                          "payload_too_large",
                          "请求体过大（上限 " + std::to_string(max_body) + " 字节）",
                          "request body too large (limit " + std::to_string(max_body) + " bytes)"));
        return httplib::Server::HandlerResponse::Handled;
      }
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  srv_->set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return;
    if (res.status == 404) {
      SetError(res, Status::Error("unknown_route", "没有这个接口", "no such endpoint"));
    } else if (res.status == 405) {
      SetError(res, Status::Error("method_not_allowed", "不支持此方法", "method not allowed"));
    } else if (res.status == 413) {
      SetError(res, Status::Error("payload_too_large", "请求体过大", "request body too large"));
    } else if (res.status >= 400) {
      // cpp-httplib answers 400 itself for a POST or PUT without Content-Length (curl -X POST
      // with no --data): say what a valid request needs.
      SetError(res, Status::Error(
                        "bad_request",
                        "请求无效：POST/PUT 需要 Content-Length 和 JSON 请求体（无内容时发送 {}）",
                        "bad request: POST and PUT need Content-Length and a JSON body "
                        "(send {} when there is nothing to say)"));
    }
  });
  srv_->set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
        SetError(res, Status::Error("internal", "服务器内部错误，未保存任何数据",
                                    "internal server error; nothing was stored"));
      });
  srv_->set_logger([this](const httplib::Request& req, const httplib::Response& res) {
    WriteAccessLog(req, res);
  });
}

HttpService::~HttpService() {
  if (access_log_) std::fclose(access_log_);
}

void HttpService::WriteAccessLog(const httplib::Request& req, const httplib::Response& res) {
  if (!access_log_) return;
  double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t_trace.start)
          .count();
  Json line = {{"time", FormatUtcIso(clock_.NowMs())},
               {"request_id", t_trace.request_id},
               {"method", req.method},
               {"route", t_trace.route},
               {"status", res.status},
               {"ms", static_cast<int64_t>(ms * 10) / 10.0},
               {"bytes_in", req.body.size()},
               {"bytes_out", res.body.size()}};
  if (t_trace.user) line["user"] = t_trace.user;
  if (!t_trace.device.empty()) line["device"] = t_trace.device;
  std::string s = DumpJson(line);
  std::lock_guard<std::mutex> l(log_mu_);
  std::fprintf(access_log_, "%s\n", s.c_str());
  std::fflush(access_log_);
}

namespace {
void Send(httplib::Response& res, const ApiReply& reply) {
  for (const auto& [k, v] : reply.headers) res.set_header(k, v);
  res.status = reply.status;
  if (reply.raw) {
    res.set_content(*reply.raw, reply.content_type);
  } else {
    res.set_content(DumpJson(reply.body), reply.content_type);
  }
}
}  // namespace

void HttpService::Route(const std::string& method, const std::string& pattern, Auth auth,
                        ApiHandler handler, Body body) {
  auto fn = [this, pattern, auth, body, handler](const httplib::Request& req,
                                                 httplib::Response& res) {
    Handle(pattern, auth, body, handler, req, res);
  };
  if (method == "GET")
    srv_->Get(pattern, fn);
  else if (method == "POST")
    srv_->Post(pattern, fn);
  else if (method == "PUT")
    srv_->Put(pattern, fn);
  else if (method == "DELETE")
    srv_->Delete(pattern, fn);
}

void HttpService::Handle(const std::string& route, Auth auth, Body body, const ApiHandler& handler,
                         const httplib::Request& req, httplib::Response& res) {
  t_trace.route = route;
  ApiRequest ar;
  ar.method = req.method;
  ar.path = req.path;
  for (size_t i = 1; i < req.matches.size(); ++i) ar.path_params.push_back(req.matches[i]);
  for (const auto& [k, v] : req.params) ar.query[k] = v;
  ar.request_id = t_trace.request_id;
  CurrentRequest().request_id = ar.request_id;
  ar.remote_addr = req.remote_addr;
  ar.accept_encoding = req.get_header_value("Accept-Encoding");
  // Authentication before the body is even parsed: an unauthenticated request learns nothing.
  std::string authz = req.get_header_value("Authorization");
  if (authz.rfind("Bearer ", 0) == 0) ar.bearer_token = authz.substr(7);
  if (auth == Auth::kRequired) {
    if (ar.bearer_token.empty()) {
      SetError(res, Status::Error("unauthenticated", "缺少身份凭证（Authorization: Bearer）",
                                  "missing credentials (Authorization: Bearer)"));
      return;
    }
    auto caller = accounts_->Authenticate(ar.bearer_token);
    if (!caller.ok()) {
      SetError(res, caller.status());
      return;
    }
    ar.caller = std::move(caller.value());
    t_trace.user = ar.caller->user.id;
    t_trace.device = ar.caller->client_id;
  }
  if (req.method == "POST" || req.method == "PUT") {
    std::string ct = req.get_header_value("Content-Type");
    if (ct.rfind("application/json", 0) != 0) {
      SetError(res, Status::Error("unsupported_media", "请求体必须是 application/json",
                                  "request body must be application/json"));
      return;
    }
    if (body == Body::kRaw) {
      ar.raw_body = req.body;
      Result<ApiReply> reply = handler(ar);
      if (!reply.ok()) return SetError(res, reply.status());
      return Send(res, *reply);
    }
    auto j = ParseJson(req.body);
    if (!j.ok()) {
      SetError(res, j.status());
      return;
    }
    if (!j->is_object()) {
      SetError(res, Status::Error("bad_json", "请求体必须是 JSON 对象",
                                  "request body must be a JSON object"));
      return;
    }
    ar.body = std::move(j.value());
    ar.raw_body = req.body;
  }
  Result<ApiReply> reply = handler(ar);
  if (!reply.ok()) {
    SetError(res, reply.status());
    return;
  }
  Send(res, *reply);
}

Status HttpService::Bind() {
  if (!IsLoopbackHost(opt_.host) && opt_.tls_cert.empty() && !opt_.insecure_http) {
    return Status::Error("insecure_listen",
                         "拒绝在非本机地址 " + opt_.host +
                             " 上使用明文 HTTP：请提供 --tls-cert 和 --tls-key，"
                             "或明确加上 --insecure-http",
                         "refusing plain HTTP on non-loopback address " + opt_.host +
                             ": give --tls-cert and --tls-key, or say --insecure-http explicitly");
  }
  if (!srv_->is_valid()) {
    return Status::Error("tls_invalid", "TLS 证书或私钥无法加载",
                         "the TLS certificate or key could not be loaded");
  }
  if (opt_.port == 0) {
    port_ = srv_->bind_to_any_port(opt_.host);
    if (port_ <= 0) port_ = 0;
  } else {
    port_ = srv_->bind_to_port(opt_.host, opt_.port) ? opt_.port : 0;
  }
  if (port_ == 0) {
    return Status::Error(
        "bind_failed",
        "无法监听 " + opt_.host + ":" + std::to_string(opt_.port) + "（端口被占用或地址无效）",
        "cannot listen on " + opt_.host + ":" + std::to_string(opt_.port) +
            " (port in use or bad address)");
  }
  if (auto* t = dynamic_cast<TunedSslServer*>(srv_.get()))
    t->WidenBacklog(512);
  else if (auto* p = dynamic_cast<TunedServer*>(srv_.get()))
    p->WidenBacklog(512);
  return Status::Ok();
}

Status HttpService::Run() {
  if (!srv_->listen_after_bind()) {
    return Status::Error("serve_failed", "服务异常停止", "the server stopped unexpectedly");
  }
  return Status::Ok();
}

void HttpService::Stop() {
  srv_->stop();
}

}  // namespace shefu::server
