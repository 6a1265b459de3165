// The device's records, outbox and conflicts, in the client's own terms: the adapter between
// the client and the sync engine's DeviceStore (sync/device_store.h).
//
// The engine is still moving; this file, sync_runner.cc and curl_transport.cc (its Transport)
// are the only places in client/ that use it, so a change of its API lands there and nowhere
// else. Everything the client shows is
// read through this class: the server-confirmed replica overlaid with this device's own writes
// the server has not confirmed yet (the engine guarantees a download never overwrites them).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "shared/db.h"
#include "shared/entity_types.h"
#include "shared/env.h"
#include "shared/i18n.h"
#include "shared/json_util.h"

namespace shefu::sync {
class DeviceStore;
}

namespace shefu::client {

struct StoredGroup {
  Json value;
  bool unconfirmed = false;  // this device's write, not yet confirmed back by the server
  std::string node;          // who wrote the confirmed value (device id, "server", "" = me)
  int64_t stamp_ms = 0;      // when it was written (the stamp's wall-clock part)
};

struct StoredRecord {
  std::string entity, id;
  std::map<std::string, StoredGroup, std::less<>> groups;
  bool deleted = false;
  bool counted = true;
  const StoredGroup* Find(std::string_view g) const {
    auto it = groups.find(g);
    return it == groups.end() ? nullptr : &it->second;
  }
};

struct ConflictSideView {
  Json value;
  std::string node;
  int64_t stamp_ms = 0;
};

struct StoredConflict {
  int64_t id = 0;
  std::string entity, record_id, group;
  std::string rule;    // "lww_concurrent", "edit_vs_delete", "validation_reject", ...
  std::string detail;  // underlying check code for refusals
  Text message;
  std::optional<ConflictSideView> winner;
  ConflictSideView loser;
  int64_t detected_ms = 0;
  std::string status;  // "open", "accepted", "overridden"
};

struct OutboxRow {
  int64_t seq = 0;
  std::string entity, id, group;
  int64_t created_ms = 0;
  std::optional<int64_t> acked_ms;
  std::string outcome;  // "" pending; "applied", "conflict", "refused", "flagged"
  std::string code, detail;
  Text message;
  bool pending() const { return !acked_ms; }
};

enum class StoreHealth { kOk, kNeedsReenrolment };

class LocalStore {
 public:
  // Opens (and migrates) the engine's tables on `db`. References must outlive the store.
  static Result<std::unique_ptr<LocalStore>> Open(Db& db, Clock& clock, Rng& rng,
                                                  const DomainContext& ctx);
  ~LocalStore();

  const std::string& client_id() const;
  Status SetClientId(const std::string& id);
  Status Reenrol(const std::string& new_id);
  StoreHealth health() const;

  // groups: (group, value) in any order; the engine writes the scope group first.
  Result<std::string> Create(const std::string& entity,
                             std::vector<std::pair<std::string, Json>> groups);
  Status Write(const std::string& entity, const std::string& id, const std::string& group,
               Json value);
  Status Delete(const std::string& entity, const std::string& id);

  Result<std::optional<StoredRecord>> Read(const std::string& entity, const std::string& id);
  Result<std::vector<StoredRecord>> List(const std::string& entity, bool include_deleted);
  Result<int64_t> CounterSum(const std::string& entity, const std::string& target);

  Status AnonAdd(const std::string& session, const std::string& entity, Json value);
  Status AnonAddAll(const std::string& session, std::vector<std::pair<std::string, Json>> items);
  Result<int64_t> AnonClose(const std::string& session);
  // Anonymous items not yet acknowledged by the server (open and sealed batches).
  Result<int64_t> AnonUnsent();

  Result<std::vector<StoredConflict>> Conflicts(bool open_only);
  Result<std::vector<OutboxRow>> Outbox(size_t limit);
  Result<int64_t> PendingCount();
  // Ids of records of `entity` with outbox rows the server has not acknowledged.
  Result<std::vector<std::string>> UnsentIds(const std::string& entity);
  // Oldest creation time among unacknowledged outbox rows.
  Result<std::optional<int64_t>> OldestUnsentMs();

  sync::DeviceStore& engine() { return *store_; }

 private:
  LocalStore(Db& db, std::unique_ptr<sync::DeviceStore> s);
  Db& db_;
  std::unique_ptr<sync::DeviceStore> store_;
};

}  // namespace shefu::client
