// The device's sync tables (component "sync_device"):
//
//   sync_state       one row: client id, next outbox seq, download cursor + epoch + checkpoint,
//                    last sync time, clock offset to the server, health (ok / needs_reenrolment)
//   sync_replica     the server-confirmed state of the device's scope: one row per
//                    (entity, id, group), written only by downloads
//   sync_outbox      every local write, appended in the write's own transaction; acknowledged
//                    rows stay for the retention period (default 90 days) with their outcome
//   sync_anon_open   items of anonymous sessions still open, at random positions
//   sync_anon_batch  closed anonymous batches (shuffled items, random id, day), until acknowledged
#pragma once

#include "shared/db.h"

namespace shefu::sync {

Status MigrateDeviceSchema(Db& db);

}  // namespace shefu::sync
