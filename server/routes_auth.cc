#include "server/routes.h"
#include "shared/civil_time.h"
#include "shared/version.h"

namespace shefu::server {
namespace {

Json UserJson(const User& u) {
  return {{"login", u.login},
          {"name", u.display_name},
          {"role", RoleCode(u.role)},
          {"scope",
           {{"district", u.scope.district},
            {"town", u.scope.town},
            {"community", u.scope.community},
            {"org", u.scope.org}}}};
}

}  // namespace

void RegisterAuthRoutes(HttpService& http, ServerApp& app) {
  http.Route("GET", "/healthz", Auth::kNone, [](ApiRequest&) -> Result<ApiReply> {
    ApiReply r;
    r.body = {{"status", "ok"}, {"version", kProductVersion}, {"protocol", kProtocolVersion}};
    return r;
  });

  http.Route("POST", "/v1/enrol", Auth::kNone, [&app](ApiRequest& req) -> Result<ApiReply> {
    SHEFU_RETURN_IF_ERROR(CheckKeys(req.body, "protocol,code,device_label"));
    auto code = GetString(req.body, "code", 64, 1);
    if (!code.ok()) return code.status();
    auto e = app.accounts().ClaimEnrolCode(*code, req.remote_addr);
    if (!e.ok()) return e.status();
    ApiReply r;
    r.body = {{"client_id", e->client_id},
              {"token", e->token},
              {"expires", FormatUtcIso(e->expires_ms)},
              {"user", UserJson(e->user)},
              // Devices seal resident ID numbers to this key (PIPL: never in clear on a device).
              {"seal_key", app.keys().seal_public_pem}};
    return r;
  });

  http.Route("POST", "/v1/login", Auth::kNone, [&app](ApiRequest& req) -> Result<ApiReply> {
    SHEFU_RETURN_IF_ERROR(CheckKeys(req.body, "login,password"));
    auto login = GetString(req.body, "login", 64, 1);
    if (!login.ok()) return login.status();
    auto password = GetString(req.body, "password", 256, 1);
    if (!password.ok()) return password.status();
    auto token = app.accounts().Login(*login, *password, req.remote_addr);
    if (!token.ok()) return token.status();
    ApiReply r;
    r.body = {{"token", *token}};
    return r;
  });

  http.Route("POST", "/v1/logout", Auth::kRequired, [&app](ApiRequest& req) -> Result<ApiReply> {
    SHEFU_RETURN_IF_ERROR(app.accounts().Logout(req.bearer_token));
    return ApiReply{};
  });

  http.Route("GET", "/v1/keys/seal", Auth::kRequired, [&app](ApiRequest&) -> Result<ApiReply> {
    ApiReply r;
    r.body = {{"seal_key", app.keys().seal_public_pem}};
    return r;
  });

  http.Route("GET", "/v1/me", Auth::kRequired, [](ApiRequest& req) -> Result<ApiReply> {
    ApiReply r;
    r.body = UserJson(req.caller->user);
    if (req.caller->is_device()) r.body["client_id"] = req.caller->client_id;
    return r;
  });
}

}  // namespace shefu::server
