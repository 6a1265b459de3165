#include "sync/device_schema.h"

namespace shefu::sync {
namespace {

const Migration kDeviceSchema[] = {
    {1,
     "CREATE TABLE sync_state("
     " id INTEGER PRIMARY KEY CHECK (id = 1),"
     " client_id TEXT NOT NULL DEFAULT '',"
     " next_seq INTEGER NOT NULL DEFAULT 1,"
     " cursor TEXT NOT NULL DEFAULT '',"
     " epoch TEXT NOT NULL DEFAULT '',"
     " checkpoint INTEGER NOT NULL DEFAULT 0,"
     " last_sync_ms INTEGER,"
     " clock_offset_ms INTEGER NOT NULL DEFAULT 0,"
     " health TEXT NOT NULL DEFAULT 'ok',"
     " health_code TEXT NOT NULL DEFAULT '');"
     "INSERT INTO sync_state(id) VALUES(1);"
     "CREATE TABLE sync_replica("
     " entity TEXT NOT NULL, id TEXT NOT NULL, grp TEXT NOT NULL,"
     " value TEXT NOT NULL, hlc INTEGER NOT NULL, node TEXT NOT NULL, seq INTEGER NOT NULL,"
     " version INTEGER NOT NULL, flags INTEGER NOT NULL,"
     " PRIMARY KEY (entity, id, grp)) WITHOUT ROWID;"
     "CREATE TABLE sync_outbox("
     " client TEXT NOT NULL, seq INTEGER NOT NULL,"
     " local_id INTEGER NOT NULL UNIQUE,"  // stable across renumbering (re-enrolment)
     " entity TEXT NOT NULL, id TEXT NOT NULL, grp TEXT NOT NULL, value TEXT NOT NULL,"
     " hlc INTEGER NOT NULL, base INTEGER NOT NULL, created_ms INTEGER NOT NULL,"
     " acked_ms INTEGER, checkpoint INTEGER NOT NULL DEFAULT 0,"
     " outcome TEXT NOT NULL DEFAULT '', code TEXT NOT NULL DEFAULT '',"
     " detail TEXT NOT NULL DEFAULT '', msg_zh TEXT NOT NULL DEFAULT '',"
     " msg_en TEXT NOT NULL DEFAULT '',"
     " PRIMARY KEY (client, seq)) WITHOUT ROWID;"
     "CREATE INDEX sync_outbox_record ON sync_outbox(entity, id);"
     "CREATE INDEX sync_outbox_pending ON sync_outbox(client, seq) WHERE acked_ms IS NULL;"
     "CREATE TABLE sync_anon_open("
     " session TEXT NOT NULL, pos INTEGER NOT NULL, entity TEXT NOT NULL, value TEXT NOT NULL,"
     " PRIMARY KEY (session, pos)) WITHOUT ROWID;"
     "CREATE TABLE sync_anon_batch("
     " batch_id TEXT PRIMARY KEY, day TEXT NOT NULL, items TEXT NOT NULL,"
     " acked_ms INTEGER, accepted INTEGER, refused TEXT) WITHOUT ROWID;"},
};

}  // namespace

Status MigrateDeviceSchema(Db& db) {
  return Migrate(db, "sync_device", kDeviceSchema);
}

}  // namespace shefu::sync
