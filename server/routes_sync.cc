// POST /v1/sync/upload, /v1/sync/download, /v1/sync/anon; GET /v1/sync/status.
// The protocol is the sync engine's (docs/protocol.md): this file only authenticates, checks that
// the caller is an enrolled device, and hands the parsed body to the engine.
#include "server/routes.h"
#include "server/sync_service.h"
#include "shared/civil_time.h"
#include "shared/version.h"
#include "sync/wire.h"

namespace shefu::server {
namespace {

// The protocol's error object ({"error": {code, zh, en, action}}) stays as the engine wrote it;
// the API's common error fields are added beside it, so every 4xx of the server reads the same.
Result<ApiReply> FromSync(const sync::Reply& r) {
  ApiReply out;
  out.status = r.http_status;
  out.body = r.body;
  if (out.body.is_object() && out.body.contains("error") && out.body["error"].is_object()) {
    const Json& e = out.body["error"];
    out.body["code"] = e.value("code", "internal");
    out.body["message_zh"] = e.value("zh", "");
    out.body["message_en"] = e.value("en", "");
  }
  return out;
}

Status DeviceOnly(const ApiRequest& req) {
  if (!req.caller->is_device()) {
    return Status::Error("forbidden", "同步接口只供已注册的设备使用",
                         "the sync endpoints are for enrolled devices only");
  }
  return Status::Ok();
}

}  // namespace

void RegisterSyncRoutes(HttpService& http, ServerApp& app, SyncService& sync) {
  (void)app;
  // The upload's body is decoded by the engine in one pass (no document of it is built first).
  http.Route(
      "POST", "/v1/sync/upload", Auth::kRequired,
      [&sync](ApiRequest& req) -> Result<ApiReply> {
        SHEFU_RETURN_IF_ERROR(DeviceOnly(req));
        return FromSync(sync.Upload(PrincipalOf(*req.caller), req.raw_body));
      },
      Body::kRaw);
  http.Route("POST", "/v1/sync/download", Auth::kRequired,
             [&sync](ApiRequest& req) -> Result<ApiReply> {
               SHEFU_RETURN_IF_ERROR(DeviceOnly(req));
               return FromSync(sync.Download(PrincipalOf(*req.caller), std::move(req.body)));
             });
  http.Route("POST", "/v1/sync/anon", Auth::kRequired,
             [&sync](ApiRequest& req) -> Result<ApiReply> {
               SHEFU_RETURN_IF_ERROR(DeviceOnly(req));
               return FromSync(sync.Anon(PrincipalOf(*req.caller), std::move(req.body)));
             });
  http.Route("GET", "/v1/sync/status", Auth::kRequired,
             [&sync](ApiRequest& req) -> Result<ApiReply> {
               SHEFU_RETURN_IF_ERROR(DeviceOnly(req));
               auto r = sync.Reader();
               if (!r.ok()) return r.status();
               auto epoch = (*r)->Epoch();
               if (!epoch.ok()) return epoch.status();
               auto expected = (*r)->ExpectedSeq(req.caller->client_id);
               if (!expected.ok()) return expected.status();
               ApiReply out;
               out.body = {{"protocol", kProtocolVersion},
                           {"epoch", *epoch},
                           {"expected_seq", *expected},
                           {"server_time", FormatUtcIso(SystemClock::Instance().NowMs())}};
               return out;
             });
}

}  // namespace shefu::server
