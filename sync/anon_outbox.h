// The device side of the anonymous stream (DESIGN.md item 7; docs/protocol.md §4).
//
// A secret-ballot choice or an anonymous survey answer is added to the open batch of its session
// (a ballot, a survey sitting) at a random position, so not even the table's order remembers who
// came after whom. When the session closes, the batch is shuffled again and sealed with a random
// 128-bit id and the day — nothing finer. Sealed batches wait for upload; an acknowledged batch
// is kept for the retention period (a restored server can take it again: batch ids are
// idempotent).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/db.h"
#include "shared/env.h"
#include "sync/wire.h"

namespace shefu::sync {

class AnonOutbox {
 public:
  AnonOutbox(Db& db, Rng& rng) : db_(db), rng_(rng) {}

  Status Add(std::string_view session, std::string_view entity, const std::string& value_text);
  // Seals the session's items into a batch dated `day` (YYYY-MM-DD). Returns the item count
  // (0: nothing to seal, no batch made).
  Result<int64_t> Close(std::string_view session, std::string_view day);
  // A sealed, unacknowledged batch, if any.
  Result<std::optional<AnonUploadRequest>> Next();
  Status Ack(const AnonUploadReply& reply, int64_t now_ms);
  // After a server restore: every retained batch goes again (the server ignores known ids).
  Status UnackAll();
  Status Prune(int64_t before_ms);
  Result<int64_t> OpenItemCount(std::string_view session);

 private:
  Db& db_;
  Rng& rng_;
};

}  // namespace shefu::sync
