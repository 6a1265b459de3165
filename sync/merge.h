// The pure merge: how concurrent writes of one record combine (docs/merge-rules.md).
//
// No storage, no clock, no I/O: the server's upload path, the device, the simulation's oracle and
// the property tests all call these functions, so every replica decides alike.
//
// The VALUE of every field group is a join semilattice, so merging is commutative, associative
// and idempotent and all replicas converge whatever order writes arrive in:
//   - editable groups (and "_deleted"): last writer wins by (effective stamp, node, value) — a
//     total order, so there are no ties;
//   - append-only records (and the single group of unique-key and counter records): insert once by
//     id; if two different contents ever meet under one id, the EARLIEST by the same order stays;
//   - unique-key: every record is kept; per key exactly one counts, the earliest (stamp, node, id);
//   - counters: the sum of the deltas of the distinct delta records.
// Base versions never decide a value; they only decide whether the losing value is LOGGED
// (DecideEdit). A delete is the group "_deleted" and wins over edits by hiding the record, not by
// erasing them (their values stay in their groups; an explicit restore shows the latest ones).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/entity_types.h"
#include "sync/hlc.h"

namespace shefu::sync {

// One value of one field group as a replica holds it.
struct Cell {
  std::string value;  // canonical JSON text
  Hlc hlc;            // effective stamp
  std::string node;   // origin node: client id, or the server's node id
  int64_t seq = 0;    // the origin's sequence number of the write
  bool operator==(const Cell&) const = default;
};

// The total last-writer-wins order: stamp, then node, then value bytes (then seq, which only
// matters for inputs no real node produces). <0, 0, >0.
int CompareLww(const Cell& a, const Cell& b);

// ---- Clock skew ------------------------------------------------------------------------------

struct EffectiveStamp {
  Hlc hlc;
  bool capped = false;
};
// The stamp a receiver merges `incoming` with. A stamp more than `max_future_ms` ahead of the
// receiver's physical time cannot win by it: it is replaced by `receive_stamp` (the receiver's
// own fresh HLC stamp) and flagged; the original is kept in the conflict log (clock_skew).
EffectiveStamp Effective(Hlc incoming, int64_t receiver_physical_ms, int64_t max_future_ms,
                         Hlc receive_stamp);

// ---- Editable groups -------------------------------------------------------------------------

struct EditDecision {
  bool incoming_wins = false;  // the incoming write becomes the group's value
  bool concurrent = false;     // the writer had not seen the current value
  // A value is lost from view and must go to the conflict log: the current one (when the
  // incoming wins a concurrent edit) or the incoming one (whenever it loses). Never set when the
  // two values are equal — nothing is lost then.
  bool log_loser = false;
};
// `current` is the group's stored value (nullptr: none) and `current_version` the server_seq at
// which it last changed; `base` is the version the writer had seen. Concurrent = the writer had
// not seen the current value: base < current_version and the current value is not the writer's
// own earlier write. The value is decided by CompareLww alone.
EditDecision DecideEdit(const Cell* current, int64_t current_version, const Cell& incoming,
                        int64_t base);

// Delete vs edit: a delete based on `delete_base` did not see the edit now held by a group whose
// value changed at `group_version` by `group_node` — that edit is logged as edit_vs_delete.
bool DeleteMissedEdit(int64_t group_version, std::string_view group_node, int64_t delete_base,
                      std::string_view deleter_node);
// True when a "_deleted" cell says the record is deleted.
bool IsDeletedValue(const Cell* deleted_cell);

// ---- Append-only, unique-key, counter records -------------------------------------------------

enum class AppendDecision {
  kInsert,           // no record under this id yet
  kReplay,           // the same content again (not earlier): nothing to do
  kRestamp,          // the same content with an earlier stamp: adopt the stamp, nothing logged
  kKeepExisting,     // different content, the stored one is earlier: incoming logged
  kReplaceExisting,  // different content, the incoming is earlier: stored one logged, replaced
};
AppendDecision DecideAppend(const Cell* existing, const Cell& incoming);

// Of two records with the same unique key, true when `a` counts before `b`: earliest stamp, then
// node, then id.
bool CountsBefore(const Cell& a, std::string_view a_id, const Cell& b, std::string_view b_id);

// The unique key of a unique-key record ("[ballot,voter]" as JSON text) or the target of a
// counter delta; nullopt when the value lacks the fields (validation refuses those first).
std::optional<std::string> RecordKey(const EntityTypeSpec& type, const Json& value);
// The delta of a counter record (0 when absent).
int64_t CounterDelta(const EntityTypeSpec& type, const Json& value);

// ---- State-based merge (property tests, the oracle) ------------------------------------------

struct CellKey {
  std::string entity, id, group;
  auto operator<=>(const CellKey&) const = default;
};

// A replica's state as a map of cells; its merge is the semilattice join described above.
struct ReplicaState {
  std::map<CellKey, Cell> cells;
  bool operator==(const ReplicaState&) const = default;
};

// Adds one write (join with a singleton state).
void JoinCell(ReplicaState* s, const CellKey& key, const Cell& cell);
ReplicaState Join(const ReplicaState& a, const ReplicaState& b);

// Derived views of a state.
bool IsDeleted(const ReplicaState& s, std::string_view entity, std::string_view id);
// Ids of the records of unique-key `entity` that count (one per key).
std::vector<std::string> CountedIds(const ReplicaState& s, std::string_view entity);
int64_t CounterSum(const ReplicaState& s, std::string_view entity, std::string_view target);

}  // namespace shefu::sync
