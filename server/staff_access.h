// Role checks for the staff API (HTTP routes other than sync). The sync engine checks device
// writes itself (entity table + scope); these say which roles may use which staff function,
// and where.
#pragma once

#include <initializer_list>

#include "server/accounts.h"
#include "shared/status.h"

namespace shefu::server {

Status Forbidden(const Text& what);
// The caller's role is one of `roles`. Error: forbidden.
Status RequireRole(const Caller& c, std::initializer_list<Role> roles);
// Staff sessions only (not a device token). Error: forbidden.
Status RequireStaffSession(const Caller& c);
// Town staff in a staff session. Error: forbidden.
Status RequireTownSession(const Caller& c);

}  // namespace shefu::server
