// People and devices the server knows, and how a request proves who it is.
//
//   - Users have one role and a scope (roles.h). Passwords: PBKDF2 (password.h).
//   - Staff log in with a password and get a session token; devices enrol with a one-time code
//     and get a device token. Tokens are 256-bit random, stored only as SHA-256 hashes,
//     revocable and expiring.
//   - Failed logins and enrolment attempts are rate-limited per user and per address.
// All writes go through the store's single writer and are audited in the same transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "server/central_store.h"
#include "shared/entity_types.h"
#include "shared/env.h"
#include "shared/roles.h"

namespace shefu::server {

struct User {
  int64_t id = 0;
  std::string login;
  std::string display_name;
  Role role = Role::kCommunityWorker;
  Scope scope;
  bool disabled = false;
  int64_t created_ms = 0;
};

// Who is calling: a user, through a staff session (client_id empty) or an enrolled device.
struct Caller {
  User user;
  std::string client_id;
  bool is_device() const { return !client_id.empty(); }
};

struct NewUser {
  std::string login;         // 3..32 chars [a-z0-9_.-]
  std::string display_name;  // 1..64 bytes
  Role role = Role::kCommunityWorker;
  std::string place;  // community / town / district code, as the role needs
  std::string org;    // social organisation id (social_org role)
  std::string password;
};

struct Limits {
  int64_t session_ttl_ms = 12LL * 3600 * 1000;             // staff session: one working day
  int64_t device_token_ttl_ms = 180LL * 24 * 3600 * 1000;  // re-enrol twice a year
  int64_t enrol_code_ttl_ms = 15LL * 60 * 1000;            // one-time code: 15 minutes
  int max_failures_per_user = 5;                           // per window
  int max_failures_per_address = 20;
  int64_t failure_window_ms = 15LL * 60 * 1000;
};

class Accounts {
 public:
  Accounts(CentralStore& store, const DomainContext& places, Clock& clock, Limits limits = {})
      : store_(store), places_(places), clock_(clock), limits_(limits) {}

  // Validates login, role/place consistency (a community worker needs a community, ...) and
  // password strength. Errors: bad_login, login_taken, scope_required, unknown_place,
  // weak_password.
  Result<User> AddUser(const NewUser& u, int64_t actor_user = 0);
  Result<std::vector<User>> ListUsers();
  Result<User> FindUser(const std::string& login);
  Status DisableUser(const std::string& login, int64_t actor_user = 0);

  // Staff login. Errors: rate_limited (too many failures for this user or address),
  // bad_credentials (wrong login or password — deliberately the same message), user_disabled.
  Result<std::string> Login(const std::string& login, const std::string& password,
                            const std::string& address);
  Status Logout(const std::string& token);

  // Resolves a bearer token (device or session). Errors: unauthenticated (unknown, expired,
  // revoked), user_disabled, device_revoked.
  Result<Caller> Authenticate(const std::string& token);

  // ---- Devices ----
  struct EnrolCode {
    std::string code;  // "K7QM-2XPA-9RTD": 60 random bits, Crockford base32
    int64_t expires_ms = 0;
  };
  // Issues a one-time enrolment code for `login`'s new device.
  Result<EnrolCode> IssueEnrolCode(const std::string& login, const std::string& label,
                                   int64_t actor_user = 0);
  struct Enrolment {
    std::string client_id;
    std::string token;
    int64_t expires_ms = 0;
    User user;
  };
  // Exchanges a code for a device token. Errors: rate_limited, enrol_code_invalid,
  // enrol_code_used, enrol_code_expired, user_disabled.
  Result<Enrolment> ClaimEnrolCode(const std::string& code, const std::string& address);
  struct DeviceInfo {
    std::string client_id, label, login;
    int64_t created_ms = 0, expires_ms = 0;
    std::optional<int64_t> revoked_ms, last_seen_ms;
  };
  Result<std::vector<DeviceInfo>> ListDevices();
  Status RevokeDevice(const std::string& client_id, int64_t actor_user = 0);

  const Limits& limits() const { return limits_; }

 private:
  Status CheckRate(Db& db, const std::string& key, int max, int64_t now);
  Status RecordFailure(const std::string& key, int64_t now);
  Result<User> ReadUser(Db& db, const char* where_sql, const std::string& arg);

  CentralStore& store_;
  const DomainContext& places_;
  Clock& clock_;
  Limits limits_;
};

// Canonical form of a user-typed enrolment code (upper case, dashes and spaces removed,
// Crockford's O->0, I/L->1).
std::string NormaliseEnrolCode(const std::string& code);

}  // namespace shefu::server
