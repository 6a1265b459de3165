// A profile's configuration, kept inside the profile database itself (migration component
// "client", table client_config), so a profile is one file that is created 0600 and removed in
// one step. The device token is a secret: it is read only by the code that talks to the server
// and is never printed, logged or returned through the C API.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "shared/db.h"
#include "shared/json_util.h"
#include "shared/roles.h"

namespace shefu::client {

struct ProfileUser {
  std::string login, name, role;
  Scope scope;
};

struct ProfileConfig {
  std::string server_url;  // "https://host:port" (no trailing slash)
  std::string pin;         // "sha256//BASE64" or "" (then the system CAs decide)
  std::string client_id;   // "" until enrolled
  std::string token;       // device bearer token (secret)
  std::string token_expires;
  std::string seal_key;  // PEM public key for sealing ID numbers
  ProfileUser user;
  int64_t enrolled_ms = 0;
  std::optional<int64_t> revoked_ms;  // when the server first said device_revoked
  std::optional<int64_t> last_sync_ms;
  std::string last_sync_result;  // "ok", "rejected", "failed", ...
  std::optional<int64_t> clock_offset_ms;
  // Device id -> person name, from /v1/directory at the last sync (plain-language conflicts).
  Json directory = Json::object();
  std::string server_name;  // what to call staff writes ("镇街工作人员")

  bool enrolled() const { return !client_id.empty() && !token.empty(); }
};

Status MigrateClientSchema(Db& db);
Result<ProfileConfig> LoadProfileConfig(Db& db);
// Writes every field in one transaction (the caller may already hold one: then it joins it).
Status SaveProfileConfig(Db& db, const ProfileConfig& c);

}  // namespace shefu::client
