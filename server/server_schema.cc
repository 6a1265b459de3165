// Numbered migrations of the "server" component. Append new steps; never edit a released one.
#include "server/central_store.h"

namespace shefu::server {
namespace {

const Migration kServerSchema[] = {
    {1, R"sql(
CREATE TABLE user(
  id INTEGER PRIMARY KEY,
  login TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  role TEXT NOT NULL,
  district TEXT NOT NULL DEFAULT '',
  town TEXT NOT NULL DEFAULT '',
  community TEXT NOT NULL DEFAULT '',
  org TEXT NOT NULL DEFAULT '',
  password_hash TEXT NOT NULL,
  disabled_ms INTEGER,
  created_ms INTEGER NOT NULL
);
-- A device (field tablet, kiosk) enrolled for a user. The token is stored only as a hash.
CREATE TABLE device(
  client_id TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES user(id),
  label TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_ms INTEGER NOT NULL,
  expires_ms INTEGER NOT NULL,
  revoked_ms INTEGER,
  last_seen_ms INTEGER
);
-- One-time enrolment codes (hash only), valid for a limited time.
CREATE TABLE enrol_code(
  code_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES user(id),
  label TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  expires_ms INTEGER NOT NULL,
  used_ms INTEGER,
  client_id TEXT
);
-- Staff sessions from POST /v1/login (token hash only).
CREATE TABLE session(
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES user(id),
  created_ms INTEGER NOT NULL,
  expires_ms INTEGER NOT NULL,
  revoked_ms INTEGER
);
-- Failed logins per key ("user:NAME" / "addr:IP") in a sliding window, for rate limiting.
CREATE TABLE login_failure(
  key TEXT PRIMARY KEY,
  window_start_ms INTEGER NOT NULL,
  count INTEGER NOT NULL
);
-- Hash-chained audit trail: ids and counts only, never personal data.
CREATE TABLE audit(
  seq INTEGER PRIMARY KEY,
  at_ms INTEGER NOT NULL,
  actor_user INTEGER,
  actor_device TEXT NOT NULL DEFAULT '',
  request_id TEXT NOT NULL DEFAULT '',
  action TEXT NOT NULL,
  entity TEXT NOT NULL DEFAULT '',
  record_id TEXT NOT NULL DEFAULT '',
  detail TEXT NOT NULL DEFAULT '{}',
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
-- The chain's head, updated in the same transaction as each append, so a truncated tail shows.
CREATE TABLE audit_head(
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL
);
-- Reference data (Zhuhai divisions, policy versions, holidays) copied in by `init`, so a store
-- is self-contained: the server resolves places from what was loaded, not from its binary.
CREATE TABLE reference_data(
  name TEXT PRIMARY KEY,
  sha256 TEXT NOT NULL,
  loaded_ms INTEGER NOT NULL,
  content TEXT NOT NULL
);
CREATE TABLE server_meta(
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
)sql"},
    {2, R"sql(
-- The keyed hash (HMAC with DATA/keys/id-hmac.key) of the resident ID number sealed on a need,
-- so two needs of the same resident can be found without storing the number anywhere. Derived
-- data: rebuilt from the sealed values whenever it is missing.
CREATE TABLE resident_id_key(
  entity TEXT NOT NULL,
  record_id TEXT NOT NULL,
  id_key TEXT NOT NULL,
  indexed_ms INTEGER NOT NULL,
  PRIMARY KEY(entity, record_id)
);
CREATE INDEX resident_id_key_by_key ON resident_id_key(id_key);
)sql"},
};

}  // namespace

Status MigrateServerSchema(Db& db) {
  return Migrate(db, "server", kServerSchema);
}

}  // namespace shefu::server
