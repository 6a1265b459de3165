#include "server/accounts.h"

#include "server/audit_trail.h"
#include "server/password.h"
#include "shared/crypto.h"

namespace shefu::server {
namespace {

Status Unauthenticated() {
  return Status::Error("unauthenticated", "未登录或凭证已失效，请重新登录或重新注册设备",
                       "not authenticated, or the credential expired; log in or re-enrol");
}

Status CheckLogin(const std::string& login) {
  bool ok = login.size() >= 3 && login.size() <= 32;
  for (char c : login)
    ok = ok &&
         ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-');
  if (!ok) {
    return Status::Error("bad_login", "登录名须为3–32个小写字母、数字或 _ . -",
                         "login must be 3 to 32 of a-z, 0-9, _ . -");
  }
  return Status::Ok();
}

const char kCrockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

std::string NewEnrolCode() {
  std::string raw = crypto::RandomBytes(8);
  uint64_t v = 0;
  for (unsigned char c : raw) v = (v << 8) | c;
  std::string out;
  for (int i = 0; i < 12; ++i) {
    if (i > 0 && i % 4 == 0) out += '-';
    out += kCrockford[v & 31];
    v >>= 5;
  }
  return out;
}

}  // namespace

std::string NormaliseEnrolCode(const std::string& code) {
  std::string out;
  for (char c : code) {
    if (c == '-' || c == ' ') continue;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c == 'O') c = '0';
    if (c == 'I' || c == 'L') c = '1';
    out += c;
  }
  return out;
}

Result<User> Accounts::ReadUser(Db& db, const char* where_sql, const std::string& arg) {
  std::string sql =
      std::string("SELECT id, login, display_name, role, district, town, community, org, ") +
      "disabled_ms, created_ms FROM user WHERE " + where_sql;
  auto st = db.Prepare(sql);
  if (!st.ok()) return st.status();
  st->Bind(1, arg);
  auto r = st->Step();
  if (!r.ok()) return r.status();
  if (!*r) {
    return Status::Error("unknown_user", "用户不存在：" + arg.substr(0, 40),
                         "no such user: " + arg.substr(0, 40));
  }
  User u;
  u.id = st->Int(0);
  u.login = st->Str(1);
  u.display_name = st->Str(2);
  u.role = ParseRole(st->Str(3)).value_or(Role::kKiosk);
  u.scope = Scope{st->Str(4), st->Str(5), st->Str(6), st->Str(7)};
  u.disabled = !st->IsNull(8);
  u.created_ms = st->Int(9);
  return u;
}

Result<User> Accounts::AddUser(const NewUser& nu, int64_t actor_user) {
  SHEFU_RETURN_IF_ERROR(CheckLogin(nu.login));
  if (nu.display_name.empty() || nu.display_name.size() > 64 || !IsValidUtf8(nu.display_name)) {
    return Status::Error("bad_name", "姓名须为1–64字节的文字",
                         "display name must be 1 to 64 bytes");
  }
  SHEFU_RETURN_IF_ERROR(CheckPasswordStrength(nu.password));
  // The place code decides the scope; which level is required depends on the role.
  Scope scope;
  auto need_place = [&](const char* level_zh, const char* level_en,
                        std::string Place::*level) -> Status {
    Place p;
    if (nu.place.empty()) {
      return Status::Error("scope_required",
                           std::string(RoleName(nu.role).zh) + "须指定所属" + level_zh + "代码",
                           std::string(RoleName(nu.role).en) + " needs a " + level_en + " code");
    }
    if (!places_.ResolvePlace(nu.place, &p) || (p.*level).empty()) {
      return Status::Error("unknown_place", "地区代码不存在或级别不符：" + nu.place.substr(0, 40),
                           "unknown place code or wrong level: " + nu.place.substr(0, 40));
    }
    scope.district = p.district;
    if (level != &Place::district) scope.town = p.town;
    if (level == &Place::community) scope.community = p.community;
    return Status::Ok();
  };
  switch (nu.role) {
    case Role::kCityAdmin:
      break;
    case Role::kDistrictAdmin:
      SHEFU_RETURN_IF_ERROR(need_place("区", "district", &Place::district));
      break;
    case Role::kTownStaff:
    case Role::kEvaluator:
      SHEFU_RETURN_IF_ERROR(need_place("镇（街道）", "town", &Place::town));
      break;
    case Role::kCommunityWorker:
    case Role::kKiosk:
      SHEFU_RETURN_IF_ERROR(need_place("社区/村", "community", &Place::community));
      break;
    case Role::kSocialOrgMember:
      if (nu.org.empty() || nu.org.size() > 64) {
        return Status::Error("scope_required", "社会组织成员须指定所属社会组织",
                             "a social-organisation member needs an organisation id");
      }
      scope.org = nu.org;
      break;
    case Role::kExpert:
      break;
  }
  std::string hash = HashPassword(nu.password);  // slow: outside the write lock
  int64_t now = clock_.NowMs();
  return store_.WithWriter([&](Db& db) -> Result<User> {
    Tx tx(db);
    SHEFU_RETURN_IF_ERROR(tx.status());
    auto exists = db.Cached("SELECT 1 FROM user WHERE login = ?1");
    exists.Bind(1, nu.login);
    auto r = exists.Step();
    if (!r.ok()) return r.status();
    if (*r) {
      return Status::Error("login_taken", "登录名已被使用：" + nu.login,
                           "login already taken: " + nu.login);
    }
    SHEFU_RETURN_IF_ERROR(
        db.Cached("INSERT INTO user(login, display_name, role, district, town, community, org, "
                  "password_hash, created_ms) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
            .Bind(1, nu.login)
            .Bind(2, nu.display_name)
            .Bind(3, RoleCode(nu.role))
            .Bind(4, scope.district)
            .Bind(5, scope.town)
            .Bind(6, scope.community)
            .Bind(7, scope.org)
            .Bind(8, hash)
            .Bind(9, now)
            .Run());
    User u;
    u.id = db.LastInsertRowid();
    u.login = nu.login;
    u.display_name = nu.display_name;
    u.role = nu.role;
    u.scope = scope;
    u.created_ms = now;
    AuditEntry a;
    a.actor_user = actor_user;
    a.action = "user.add";
    a.entity = "user";
    a.record_id = std::to_string(u.id);
    a.detail = {{"role", RoleCode(nu.role)}};
    SHEFU_RETURN_IF_ERROR(AppendAudit(db, now, a));
    SHEFU_RETURN_IF_ERROR(tx.Commit());
    return u;
  });
}

Result<std::vector<User>> Accounts::ListUsers() {
  auto db = store_.Reader();
  if (!db.ok()) return db.status();
  auto st = (*db)->Prepare("SELECT login FROM user ORDER BY id");
  if (!st.ok()) return st.status();
  std::vector<std::string> logins;
  for (;;) {
    auto r = st->Step();
    if (!r.ok()) return r.status();
    if (!*r) break;
    logins.push_back(st->Str(0));
  }
  std::vector<User> out;
  for (const auto& l : logins) {
    auto u = ReadUser(**db, "login = ?1", l);
    if (!u.ok()) return u.status();
    out.push_back(std::move(u.value()));
  }
  return out;
}

Result<User> Accounts::FindUser(const std::string& login) {
  auto db = store_.Reader();
  if (!db.ok()) return db.status();
  return ReadUser(**db, "login = ?1", login);
}

Status Accounts::DisableUser(const std::string& login, int64_t actor_user) {
  int64_t now = clock_.NowMs();
  return store_.WithWriter([&](Db& db) -> Status {
    Tx tx(db);
    SHEFU_RETURN_IF_ERROR(tx.status());
    auto u = ReadUser(db, "login = ?1", login);
    if (!u.ok()) return u.status();
    SHEFU_RETURN_IF_ERROR(
        db.Cached("UPDATE user SET disabled_ms = ?2 WHERE id = ?1 AND disabled_ms IS NULL")
            .Bind(1, u->id)
            .Bind(2, now)
            .Run());
    // Disabling a user ends their sessions at once; their devices stop authenticating too
    // (Authenticate checks the user).
    SHEFU_RETURN_IF_ERROR(
        db.Cached("UPDATE session SET revoked_ms = ?2 WHERE user_id = ?1 AND revoked_ms IS NULL")
            .Bind(1, u->id)
            .Bind(2, now)
            .Run());
    AuditEntry a;
    a.actor_user = actor_user;
    a.action = "user.disable";
    a.entity = "user";
    a.record_id = std::to_string(u->id);
    SHEFU_RETURN_IF_ERROR(AppendAudit(db, now, a));
    return tx.Commit();
  });
}

Status Accounts::CheckRate(Db& db, const std::string& key, int max, int64_t now) {
  auto st = db.Cached("SELECT window_start_ms, count FROM login_failure WHERE key = ?1");
  st.Bind(1, key);
  auto r = st.Step();
  if (!r.ok()) return r.status();
  if (*r && now - st->Int(0) < limits_.failure_window_ms && st->Int(1) >= max) {
    int64_t wait_min = (st->Int(0) + limits_.failure_window_ms - now) / 60000 + 1;
    return Status::Error(
        "rate_limited", "失败次数过多，请 " + std::to_string(wait_min) + " 分钟后再试",
        "too many failed attempts; try again in " + std::to_string(wait_min) + " minutes");
  }
  return Status::Ok();
}

Status Accounts::RecordFailure(const std::string& key, int64_t now) {
  return store_.WithWriter([&](Db& db) -> Status {
    return db
        .Cached(
            "INSERT INTO login_failure(key, window_start_ms, count) VALUES(?1, ?2, 1) "
            "ON CONFLICT(key) DO UPDATE SET "
            " count = CASE WHEN ?2 - window_start_ms >= ?3 THEN 1 ELSE count + 1 END,"
            " window_start_ms = CASE WHEN ?2 - window_start_ms >= ?3 THEN ?2 "
            "                   ELSE window_start_ms END")
        .Bind(1, key)
        .Bind(2, now)
        .Bind(3, limits_.failure_window_ms)
        .Run();
  });
}

Result<std::string> Accounts::Login(const std::string& login, const std::string& password,
                                    const std::string& address) {
  int64_t now = clock_.NowMs();
  const std::string user_key = "user:" + login.substr(0, 64);
  const std::string addr_key = "addr:" + address.substr(0, 64);
  auto db = store_.Reader();
  if (!db.ok()) return db.status();
  SHEFU_RETURN_IF_ERROR(CheckRate(**db, user_key, limits_.max_failures_per_user, now));
  SHEFU_RETURN_IF_ERROR(CheckRate(**db, addr_key, limits_.max_failures_per_address, now));
  auto hash_st = (*db)->Cached("SELECT id, password_hash, disabled_ms FROM user WHERE login = ?1");
  hash_st.Bind(1, login);
  auto r = hash_st.Step();
  if (!r.ok()) return r.status();
  bool found = *r;
  int64_t user_id = found ? hash_st->Int(0) : 0;
  std::string stored = found ? hash_st->Str(1) : "";
  bool disabled = found && !hash_st->IsNull(2);
  hash_st->Reset();
  // Verify even for unknown users (against a dummy hash) so timing does not reveal logins.
  static const std::string kDummy = HashPassword("dummy-password-for-timing");
  bool ok = VerifyPassword(password, found ? stored : kDummy) && found;
  if (!ok) {
    SHEFU_RETURN_IF_ERROR(RecordFailure(user_key, now));
    SHEFU_RETURN_IF_ERROR(RecordFailure(addr_key, now));
    return Status::Error("bad_credentials", "登录名或密码错误", "wrong login or password");
  }
  if (disabled) return Status::Error("user_disabled", "该用户已停用", "this user is disabled");
  std::string token = crypto::ToHex(crypto::RandomBytes(32));
  Status st = store_.WithWriter([&](Db& w) -> Status {
    Tx tx(w);
    SHEFU_RETURN_IF_ERROR(tx.status());
    SHEFU_RETURN_IF_ERROR(
        w.Cached("INSERT INTO session(token_hash, user_id, created_ms, expires_ms) "
                 "VALUES(?1, ?2, ?3, ?4)")
            .Bind(1, crypto::Sha256Hex(token))
            .Bind(2, user_id)
            .Bind(3, now)
            .Bind(4, now + limits_.session_ttl_ms)
            .Run());
    SHEFU_RETURN_IF_ERROR(
        w.Cached("DELETE FROM login_failure WHERE key = ?1").Bind(1, user_key).Run());
    AuditEntry a;
    a.actor_user = user_id;
    a.action = "session.login";
    SHEFU_RETURN_IF_ERROR(AppendAudit(w, now, a));
    return tx.Commit();
  });
  if (!st.ok()) return st;
  return token;
}

Status Accounts::Logout(const std::string& token) {
  int64_t now = clock_.NowMs();
  return store_.WithWriter([&](Db& db) -> Status {
    return db.Cached("UPDATE session SET revoked_ms = ?2 WHERE token_hash = ?1")
        .Bind(1, crypto::Sha256Hex(token))
        .Bind(2, now)
        .Run();
  });
}

Result<Caller> Accounts::Authenticate(const std::string& token) {
  if (token.size() != 64) return Unauthenticated();
  int64_t now = clock_.NowMs();
  std::string h = crypto::Sha256Hex(token);
  auto db = store_.Reader();
  if (!db.ok()) return db.status();
  Caller c;
  int64_t user_id = 0;
  {
    auto dev = (*db)->Cached(
        "SELECT client_id, user_id, expires_ms, revoked_ms FROM device WHERE token_hash = ?1");
    dev.Bind(1, h);
    auto r = dev.Step();
    if (!r.ok()) return r.status();
    if (*r) {
      if (!dev->IsNull(3)) {
        return Status::Error(
            "device_revoked",
            "此设备已被注销，无法同步；未上传的记录仍保留在设备上，可导出交镇街补录",
            "this device was revoked and cannot sync; its unsent records stay on "
            "it and can be exported for the town to re-enter");
      }
      if (dev->Int(2) <= now) return Unauthenticated();
      c.client_id = dev->Str(0);
      user_id = dev->Int(1);
    }
  }
  if (user_id == 0) {
    auto ses =
        (*db)->Cached("SELECT user_id, expires_ms, revoked_ms FROM session WHERE token_hash = ?1");
    ses.Bind(1, h);
    auto r = ses.Step();
    if (!r.ok()) return r.status();
    if (!*r || !ses->IsNull(2) || ses->Int(1) <= now) return Unauthenticated();
    user_id = ses->Int(0);
  }
  auto u = ReadUser(**db, "id = ?1", std::to_string(user_id));
  if (!u.ok()) return Unauthenticated();
  if (u->disabled) return Status::Error("user_disabled", "该用户已停用", "this user is disabled");
  c.user = std::move(u.value());
  return c;
}

Result<Accounts::EnrolCode> Accounts::IssueEnrolCode(const std::string& login,
                                                     const std::string& label, int64_t actor_user) {
  if (label.empty() || label.size() > 64 || !IsValidUtf8(label)) {
    return Status::Error("bad_label", "设备名称须为1–64字节", "device label must be 1 to 64 bytes");
  }
  int64_t now = clock_.NowMs();
  EnrolCode code{NewEnrolCode(), now + limits_.enrol_code_ttl_ms};
  Status st = store_.WithWriter([&](Db& db) -> Status {
    Tx tx(db);
    SHEFU_RETURN_IF_ERROR(tx.status());
    auto u = ReadUser(db, "login = ?1", login);
    if (!u.ok()) return u.status();
    if (u->disabled) return Status::Error("user_disabled", "该用户已停用", "this user is disabled");
    SHEFU_RETURN_IF_ERROR(
        db.Cached("INSERT INTO enrol_code(code_hash, user_id, label, created_ms, expires_ms) "
                  "VALUES(?1, ?2, ?3, ?4, ?5)")
            .Bind(1, crypto::Sha256Hex(NormaliseEnrolCode(code.code)))
            .Bind(2, u->id)
            .Bind(3, label)
            .Bind(4, now)
            .Bind(5, code.expires_ms)
            .Run());
    AuditEntry a;
    a.actor_user = actor_user;
    a.action = "device.enrol_code";
    a.entity = "user";
    a.record_id = std::to_string(u->id);
    SHEFU_RETURN_IF_ERROR(AppendAudit(db, now, a));
    return tx.Commit();
  });
  if (!st.ok()) return st;
  return code;
}

Result<Accounts::Enrolment> Accounts::ClaimEnrolCode(const std::string& code,
                                                     const std::string& address) {
  int64_t now = clock_.NowMs();
  const std::string addr_key = "enrol:" + address.substr(0, 64);
  {
    auto db = store_.Reader();
    if (!db.ok()) return db.status();
    SHEFU_RETURN_IF_ERROR(CheckRate(**db, addr_key, limits_.max_failures_per_address, now));
  }
  std::string h = crypto::Sha256Hex(NormaliseEnrolCode(code));
  Enrolment e;
  e.client_id = "c_" + crypto::ToHex(crypto::RandomBytes(8));
  e.token = crypto::ToHex(crypto::RandomBytes(32));
  e.expires_ms = now + limits_.device_token_ttl_ms;
  bool failed_attempt = false;
  Status st = store_.WithWriter([&](Db& db) -> Status {
    Tx tx(db);
    SHEFU_RETURN_IF_ERROR(tx.status());
    auto c = db.Cached(
        "SELECT user_id, label, expires_ms, used_ms FROM enrol_code WHERE code_hash = ?1");
    c.Bind(1, h);
    auto r = c.Step();
    if (!r.ok()) return r.status();
    if (!*r) {
      failed_attempt = true;
      return Status::Error("enrol_code_invalid", "注册码无效，请核对或向镇街工作人员重新申请",
                           "invalid enrolment code; check it or ask town staff for a new one");
    }
    int64_t user_id = c->Int(0);
    std::string label = c->Str(1);
    if (!c->IsNull(3)) {
      failed_attempt = true;
      return Status::Error("enrol_code_used", "注册码已被使用过，每个注册码只能用一次",
                           "this enrolment code was already used; each code works once");
    }
    if (c->Int(2) <= now) {
      failed_attempt = true;
      return Status::Error("enrol_code_expired", "注册码已过期，请向镇街工作人员重新申请",
                           "this enrolment code has expired; ask town staff for a new one");
    }
    c->Reset();
    auto u = ReadUser(db, "id = ?1", std::to_string(user_id));
    if (!u.ok()) return u.status();
    if (u->disabled) return Status::Error("user_disabled", "该用户已停用", "this user is disabled");
    e.user = u.value();
    SHEFU_RETURN_IF_ERROR(
        db.Cached("UPDATE enrol_code SET used_ms = ?2, client_id = ?3 WHERE code_hash = ?1")
            .Bind(1, h)
            .Bind(2, now)
            .Bind(3, e.client_id)
            .Run());
    SHEFU_RETURN_IF_ERROR(
        db.Cached("INSERT INTO device(client_id, user_id, label, token_hash, created_ms, "
                  "expires_ms) VALUES(?1, ?2, ?3, ?4, ?5, ?6)")
            .Bind(1, e.client_id)
            .Bind(2, user_id)
            .Bind(3, label)
            .Bind(4, crypto::Sha256Hex(e.token))
            .Bind(5, now)
            .Bind(6, e.expires_ms)
            .Run());
    AuditEntry a;
    a.actor_user = user_id;
    a.actor_device = e.client_id;
    a.action = "device.enrol";
    a.entity = "device";
    a.record_id = e.client_id;
    SHEFU_RETURN_IF_ERROR(AppendAudit(db, now, a));
    return tx.Commit();
  });
  if (!st.ok()) {
    if (failed_attempt) SHEFU_RETURN_IF_ERROR(RecordFailure(addr_key, now));
    return st;
  }
  return e;
}

Result<std::vector<Accounts::DeviceInfo>> Accounts::ListDevices() {
  auto db = store_.Reader();
  if (!db.ok()) return db.status();
  auto st = (*db)->Prepare(
      "SELECT d.client_id, d.label, u.login, d.created_ms, d.expires_ms, d.revoked_ms, "
      "d.last_seen_ms FROM device d JOIN user u ON u.id = d.user_id ORDER BY d.created_ms");
  if (!st.ok()) return st.status();
  std::vector<DeviceInfo> out;
  for (;;) {
    auto r = st->Step();
    if (!r.ok()) return r.status();
    if (!*r) break;
    out.push_back(
        {st->Str(0), st->Str(1), st->Str(2), st->Int(3), st->Int(4), st->OptInt(5), st->OptInt(6)});
  }
  return out;
}

Status Accounts::RevokeDevice(const std::string& client_id, int64_t actor_user) {
  int64_t now = clock_.NowMs();
  return store_.WithWriter([&](Db& db) -> Status {
    Tx tx(db);
    SHEFU_RETURN_IF_ERROR(tx.status());
    SHEFU_RETURN_IF_ERROR(
        db.Cached("UPDATE device SET revoked_ms = ?2 WHERE client_id = ?1 AND revoked_ms IS NULL")
            .Bind(1, client_id)
            .Bind(2, now)
            .Run());
    if (db.Changes() == 0) {
      auto e = db.Cached("SELECT 1 FROM device WHERE client_id = ?1");
      e.Bind(1, client_id);
      auto r = e.Step();
      if (!r.ok()) return r.status();
      if (!*r) {
        return Status::Error("unknown_device", "设备不存在：" + client_id.substr(0, 40),
                             "no such device: " + client_id.substr(0, 40));
      }
    }
    AuditEntry a;
    a.actor_user = actor_user;
    a.action = "device.revoke";
    a.entity = "device";
    a.record_id = client_id;
    SHEFU_RETURN_IF_ERROR(AppendAudit(db, now, a));
    return tx.Commit();
  });
}

}  // namespace shefu::server
