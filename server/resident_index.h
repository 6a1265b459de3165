// Duplicate detection for resident ID numbers without storing them (个人信息保护法 第6、51条).
//
// A device never keeps a full ID number: it stores the masked form and the number sealed to the
// server's public key (contact.id_sealed, shared/crypto.h Seal). After a write commits, the
// server unseals each new or changed sealed number in memory, keeps only its keyed hash
// (ServerKeys::IdNumberKey: HMAC with a key that never leaves DATA/keys/), and forgets the
// number. Two needs with the same hash are the same resident. A device cannot compute the hash
// (no key on a stolen tablet to brute-force the 10^8 numbers with).
#pragma once

#include <string>
#include <vector>

#include "server/server_keys.h"
#include "shared/db.h"
#include "sync/sync_server.h"

namespace shefu::server {

// Re-derives the index rows of the given needs inside the caller's transaction on `db` (the
// store's writer). A need without a sealed number loses its row. A value that does not unseal
// (a wrong key, a corrupt value) is skipped: the need stays, unindexed, and is reported.
struct IndexOutcome {
  int indexed = 0, removed = 0, unreadable = 0;
};
Result<IndexOutcome> IndexResidentIds(Db& db, sync::SyncServer& s, const ServerKeys& keys,
                                      const std::vector<std::string>& need_ids, int64_t now_ms);
// Every need with a sealed number but no index row (after a restore, a key change, a crash
// between commit and indexing).
Result<std::vector<std::string>> UnindexedNeeds(sync::SyncServer& s, Db& db);

// Groups of needs (ids) that share a resident, largest first.
Result<std::vector<std::vector<std::string>>> DuplicateResidents(Db& db);

}  // namespace shefu::server
