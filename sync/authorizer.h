// Who is writing, and may they? The server layer authenticates a request and hands the engine a
// Principal; the engine asks an Authorizer about every record it applies. The default policy is
// the entity table's: the type's device_writers contain the role, and the record's place lies
// inside the principal's scope (ScopeContains, shared/entity_types.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "shared/entity_types.h"
#include "shared/roles.h"
#include "sync/rules.h"

namespace shefu::sync {

struct Principal {
  std::string client_id;  // the enrolled device ("" for a staff session)
  int64_t user_id = 0;
  Role role = Role::kCommunityWorker;
  Scope scope;
};

// The place a principal's scope names (its own level and below), for logging refusals of
// records whose place is unknown.
Place PlaceOfScope(const Scope& scope);

struct AuthVerdict {
  std::optional<Rule> refusal;  // kPermissionReject or kScopeReject; nullopt = allowed
  Text why;
  bool ok() const { return !refusal; }
};

class Authorizer {
 public:
  virtual ~Authorizer() = default;
  // May `p` write a record of `type` that lies at `place` (from a device)?
  virtual AuthVerdict CanWrite(const Principal& p, const EntityTypeSpec& type,
                               const Place& place) const = 0;
};

class DefaultAuthorizer final : public Authorizer {
 public:
  AuthVerdict CanWrite(const Principal& p, const EntityTypeSpec& type,
                       const Place& place) const override;
};

// The scope half of the default policy, used for staff writes (their role checks live in the
// server layer's staff API).
AuthVerdict CheckScope(const Principal& p, const EntityTypeSpec& type, const Place& place);

}  // namespace shefu::sync
