#include "client/curl_transport.h"

#include "shared/version.h"
#include "sync/hlc.h"
#include "sync/wire.h"

namespace shefu::client {
namespace {

Json ErrorEnvelope(const Status& st, const char* action) {
  return Json{
      {"protocol", kProtocolVersion},
      {"schema", sync::kSchemaVersion},
      {"error", {{"code", st.code()}, {"zh", st.zh()}, {"en", st.en()}, {"action", action}}}};
}

}  // namespace

Result<sync::Response> CurlTransport::Post(std::string_view route, const Json& body) {
  last_failure_ = Status::Ok();
  auto r = http_.Post("/v1/" + std::string(route), body);
  if (!r.ok()) {
    last_failure_ = r.status();
    const std::string& code = r.status().code();
    if (code == "tls_pin_mismatch" || code == "tls_untrusted")
      return sync::Response{495, ErrorEnvelope(r.status(), "reject")};
    if (code == "bad_url") return sync::Response{400, ErrorEnvelope(r.status(), "reject")};
    return r.status();  // no reply: the engine backs off and retries
  }
  sync::Response out;
  out.http_status = r->status;
  if (r->status >= 200 && r->status < 300) {
    if (auto it = r->body.find("server_hlc");
        r->body.is_object() && it != r->body.end() && it->is_string()) {
      if (auto h = sync::Hlc::FromHex(it->get<std::string>()))
        clock_offset_ms_ = h->ms() - clock_.NowMs();
    }
    out.body = std::move(r->body);
    return out;
  }
  if (sync::IsRetryableStatus(r->status)) {
    out.body = std::move(r->body);
    return out;
  }
  // A 4xx: keep a protocol error as it is, rewrap the HTTP layer's errors.
  if (r->body.is_object() && r->body.contains("error")) {
    out.body = std::move(r->body);
  } else {
    out.body = ErrorEnvelope(ErrorFromReply(*r), "reject");
  }
  return out;
}

}  // namespace shefu::client
