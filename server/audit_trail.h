// The audit trail: every change with actor, device, time and request id — ids and counts only,
// never personal data, so a resident's data can be erased without breaking the trail.
//
// Entries are hash-chained: hash = SHA-256(prev_hash | seq | at | actor | device | request |
// action | entity | record | detail). Editing or deleting an entry breaks every later link; the
// head (seq, hash) is kept in its own row, updated in the same transaction, so cutting off the
// tail shows too. `shefu-server audit verify` walks the chain.
// Secret-ballot choices and anonymous answers are audited only as counts (detail {"count": n}).
#pragma once

#include <cstdint>
#include <string>

#include "shared/db.h"
#include "shared/json_util.h"
#include "shared/status.h"

namespace shefu::server {

struct AuditEntry {
  int64_t actor_user = 0;    // 0 = the system / an unauthenticated attempt
  std::string actor_device;  // client id, empty for staff sessions and the CLI
  std::string request_id;
  std::string action;  // e.g. "user.add", "sync.upload", "project.approve"
  std::string entity;
  std::string record_id;
  Json detail = Json::object();  // ids and counts only
};

// Appends inside the caller's open transaction (so the entry commits with the change it records).
Status AppendAudit(Db& db, int64_t now_ms, const AuditEntry& e);

struct AuditReport {
  int64_t entries = 0;
  bool ok = true;
  int64_t first_bad_seq = 0;  // 0 when ok
  std::string problem_zh, problem_en;
};
Result<AuditReport> VerifyAudit(Db& db);

}  // namespace shefu::server
