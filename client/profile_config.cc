#include "client/profile_config.h"

#include <cstdlib>
#include <map>

namespace shefu::client {
namespace {

const Migration kClientSchema[] = {
    {1,
     "CREATE TABLE client_config("
     " key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"},
};

Json UserJson(const ProfileUser& u) {
  return {{"login", u.login},
          {"name", u.name},
          {"role", u.role},
          {"scope",
           {{"district", u.scope.district},
            {"town", u.scope.town},
            {"community", u.scope.community},
            {"org", u.scope.org}}}};
}

ProfileUser UserFromJson(const Json& j) {
  ProfileUser u;
  if (!j.is_object()) return u;
  auto str = [](const Json& o, const char* k) {
    auto it = o.find(k);
    return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  u.login = str(j, "login");
  u.name = str(j, "name");
  u.role = str(j, "role");
  if (auto s = j.find("scope"); s != j.end() && s->is_object()) {
    u.scope.district = str(*s, "district");
    u.scope.town = str(*s, "town");
    u.scope.community = str(*s, "community");
    u.scope.org = str(*s, "org");
  }
  return u;
}

std::optional<int64_t> OptNumber(const std::map<std::string, std::string>& kv, const char* key) {
  auto it = kv.find(key);
  if (it == kv.end() || it->second.empty()) return std::nullopt;
  char* end = nullptr;
  long long v = std::strtoll(it->second.c_str(), &end, 10);
  if (end == nullptr || *end != '\0') return std::nullopt;
  return static_cast<int64_t>(v);
}

}  // namespace

Status MigrateClientSchema(Db& db) {
  return Migrate(db, "client", kClientSchema);
}

Result<ProfileConfig> LoadProfileConfig(Db& db) {
  std::map<std::string, std::string> kv;
  {
    auto st = db.Cached("SELECT key, value FROM client_config");
    for (;;) {
      auto r = st.Step();
      if (!r.ok()) return r.status();
      if (!*r) break;
      kv[st->Str(0)] = st->Str(1);
    }
  }
  auto get = [&](const char* k) {
    auto it = kv.find(k);
    return it == kv.end() ? std::string() : it->second;
  };
  ProfileConfig c;
  c.server_url = get("server_url");
  c.pin = get("pin");
  c.client_id = get("client_id");
  c.token = get("token");
  c.token_expires = get("token_expires");
  c.seal_key = get("seal_key");
  if (auto u = ParseJson(get("user")); u.ok()) c.user = UserFromJson(*u);
  c.enrolled_ms = OptNumber(kv, "enrolled_ms").value_or(0);
  c.revoked_ms = OptNumber(kv, "revoked_ms");
  c.last_sync_ms = OptNumber(kv, "last_sync_ms");
  c.last_sync_result = get("last_sync_result");
  c.clock_offset_ms = OptNumber(kv, "clock_offset_ms");
  if (auto d = ParseJson(get("directory")); d.ok() && d->is_object()) c.directory = *d;
  c.server_name = get("server_name");
  return c;
}

Status SaveProfileConfig(Db& db, const ProfileConfig& c) {
  auto opt = [](const std::optional<int64_t>& v) { return v ? std::to_string(*v) : std::string(); };
  const std::pair<const char*, std::string> rows[] = {
      {"server_url", c.server_url},
      {"pin", c.pin},
      {"client_id", c.client_id},
      {"token", c.token},
      {"token_expires", c.token_expires},
      {"seal_key", c.seal_key},
      {"user", DumpJson(UserJson(c.user))},
      {"enrolled_ms", std::to_string(c.enrolled_ms)},
      {"revoked_ms", opt(c.revoked_ms)},
      {"last_sync_ms", opt(c.last_sync_ms)},
      {"last_sync_result", c.last_sync_result},
      {"clock_offset_ms", opt(c.clock_offset_ms)},
      {"directory", DumpJson(c.directory)},
      {"server_name", c.server_name},
  };
  std::optional<Tx> tx;
  if (!db.InTransaction()) {
    tx.emplace(db);
    SHEFU_RETURN_IF_ERROR(tx->status());
  }
  for (const auto& [k, v] : rows) {
    SHEFU_RETURN_IF_ERROR(db.Cached("INSERT INTO client_config(key, value) VALUES(?1, ?2) "
                                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value")
                              .Bind(1, k)
                              .Bind(2, v)
                              .Run());
  }
  return tx ? tx->Commit() : Status::Ok();
}

}  // namespace shefu::client
