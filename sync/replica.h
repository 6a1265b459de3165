// The device's replica (table sync_replica): the server-confirmed state of the device's scope,
// one row per (entity, id, group). Written only by downloads (and emptied by a reset); local
// writes never touch it — they live in the outbox until the server's decision comes back.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "shared/db.h"
#include "sync/wire.h"

namespace shefu::sync {

struct ReplicaCell {
  std::string value;  // canonical JSON text
  Hlc hlc;
  std::string node;
  int64_t seq = 0, version = 0, flags = 0;
};

class Replica {
 public:
  explicit Replica(Db& db) : db_(db) {}
  Status Upsert(const FeedRow& row);
  Result<std::map<std::string, ReplicaCell, std::less<>>> Load(std::string_view entity,
                                                               std::string_view id);
  Result<std::vector<std::string>> Ids(std::string_view entity);
  Status Clear();

 private:
  Db& db_;
};

}  // namespace shefu::sync
