#include "sync/transport.h"

namespace shefu::sync {

bool IsRetryableStatus(int s) {
  return s >= 500 || s == 429;
}

Status TransportError(std::string_view what_en) {
  return Status::Error("transport_error", "网络不可用，稍后自动重试",
                       "network unavailable (" + std::string(what_en) + "); will retry");
}

bool LoopbackTransport::Roll(double p) {
  if (!rng_ || p <= 0) return false;
  return static_cast<double>(rng_->Uniform(1000000)) < p * 1000000.0;
}

Response LoopbackTransport::Deliver(std::string_view route, const std::string& text) {
  Response resp;
  auto parsed = ParseMessage(text);
  Reply reply;
  if (!parsed.ok()) {
    reply.http_status = 400;
    reply.body = Encode(ToErrorReply(parsed.status()));
  } else {
    reply = handler_(route, std::move(*parsed));
  }
  std::string out = DumpJson(reply.body);
  bytes_received_ += out.size();
  resp.http_status = reply.http_status;
  auto back = ParseMessage(out);
  resp.body = back.ok() ? std::move(*back) : Json();
  return resp;
}

size_t LoopbackTransport::DeliverHeld(size_t max) {
  size_t n = 0;
  while (n < max && !held_.empty()) {
    auto [route, text] = std::move(held_.front());
    held_.pop_front();
    (void)Deliver(route, text);
    ++n;
  }
  return n;
}

Result<Response> LoopbackTransport::Post(std::string_view route, const Json& body) {
  if (partitioned_) return TransportError("partitioned");
  std::string text = DumpJson(body);
  bytes_sent_ += text.size();
  if (Roll(faults_.hold)) held_.emplace_back(std::string(route), text);
  if (Roll(faults_.drop_request)) return TransportError("request dropped");
  if (Roll(faults_.server_error)) {
    Response r;
    r.http_status = 503;
    r.body = Encode(ToErrorReply(ProtocolError(kServerBusy)));
    return r;
  }
  if (Roll(faults_.duplicate)) (void)Deliver(route, text);
  Response r = Deliver(route, text);
  if (Roll(faults_.drop_reply)) return TransportError("reply dropped");
  return r;
}

}  // namespace shefu::sync
