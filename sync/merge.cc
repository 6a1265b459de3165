#include "sync/merge.h"

#include <set>

namespace shefu::sync {

int CompareLww(const Cell& a, const Cell& b) {
  if (a.hlc != b.hlc) return a.hlc < b.hlc ? -1 : 1;
  if (int c = a.node.compare(b.node); c != 0) return c < 0 ? -1 : 1;
  if (int c = a.value.compare(b.value); c != 0) return c < 0 ? -1 : 1;
  // Same stamp and node means the same write; seq only keeps the order total for any input.
  if (a.seq != b.seq) return a.seq < b.seq ? -1 : 1;
  return 0;
}

EffectiveStamp Effective(Hlc incoming, int64_t receiver_physical_ms, int64_t max_future_ms,
                         Hlc receive_stamp) {
  if (incoming.ms() - receiver_physical_ms > max_future_ms) return {receive_stamp, true};
  return {incoming, false};
}

EditDecision DecideEdit(const Cell* current, int64_t current_version, const Cell& incoming,
                        int64_t base) {
  EditDecision d;
  if (!current) {
    d.incoming_wins = true;
    return d;
  }
  d.concurrent = base < current_version && current->node != incoming.node;
  int cmp = CompareLww(incoming, *current);
  d.incoming_wins = cmp > 0;
  bool differ = incoming.value != current->value;
  // The incoming value is never dropped unlogged; the current one is superseded silently only
  // when the writer had seen it.
  d.log_loser = differ && (d.incoming_wins ? d.concurrent : cmp < 0);
  return d;
}

bool DeleteMissedEdit(int64_t group_version, std::string_view group_node, int64_t delete_base,
                      std::string_view deleter_node) {
  return group_version > delete_base && group_node != deleter_node;
}

bool IsDeletedValue(const Cell* c) {
  return c && c->value == "true";
}

AppendDecision DecideAppend(const Cell* existing, const Cell& incoming) {
  if (!existing) return AppendDecision::kInsert;
  bool earlier = CompareLww(incoming, *existing) < 0;
  if (existing->value == incoming.value)
    return earlier ? AppendDecision::kRestamp : AppendDecision::kReplay;
  return earlier ? AppendDecision::kReplaceExisting : AppendDecision::kKeepExisting;
}

bool CountsBefore(const Cell& a, std::string_view a_id, const Cell& b, std::string_view b_id) {
  if (a.hlc != b.hlc) return a.hlc < b.hlc;
  if (a.node != b.node) return a.node < b.node;
  return a_id < b_id;
}

std::optional<std::string> RecordKey(const EntityTypeSpec& type, const Json& value) {
  if (!value.is_object()) return std::nullopt;
  if (type.kind == MergeKind::kUniqueKey) {
    Json key = Json::array();
    for (std::string_view f : type.unique_key) {
      auto it = value.find(std::string(f));
      if (it == value.end() || !it->is_string()) return std::nullopt;
      key.push_back(*it);
    }
    return DumpJson(key);
  }
  if (type.kind == MergeKind::kCounter) {
    auto it = value.find(std::string(type.counter_target));
    if (it == value.end() || !it->is_string()) return std::nullopt;
    return it->get<std::string>();
  }
  return std::nullopt;
}

int64_t CounterDelta(const EntityTypeSpec& type, const Json& value) {
  if (!value.is_object()) return 0;
  auto it = value.find(std::string(type.counter_delta));
  if (it == value.end() || !it->is_number_integer()) return 0;
  return it->get<int64_t>();
}

namespace {
bool IsAppendLike(std::string_view entity) {
  const EntityTypeSpec* t = FindEntityType(entity);
  return t && t->kind != MergeKind::kEditable;
}
}  // namespace

void JoinCell(ReplicaState* s, const CellKey& key, const Cell& cell) {
  auto [it, inserted] = s->cells.emplace(key, cell);
  if (inserted) return;
  int cmp = CompareLww(cell, it->second);
  bool replace = IsAppendLike(key.entity) ? cmp < 0 : cmp > 0;
  if (replace) it->second = cell;
}

ReplicaState Join(const ReplicaState& a, const ReplicaState& b) {
  ReplicaState out = a;
  for (const auto& [k, c] : b.cells) JoinCell(&out, k, c);
  return out;
}

bool IsDeleted(const ReplicaState& s, std::string_view entity, std::string_view id) {
  auto it = s.cells.find(CellKey{std::string(entity), std::string(id), std::string(kDeletedGroup)});
  return it != s.cells.end() && IsDeletedValue(&it->second);
}

std::vector<std::string> CountedIds(const ReplicaState& s, std::string_view entity) {
  const EntityTypeSpec* t = FindEntityType(entity);
  if (!t || t->kind != MergeKind::kUniqueKey) return {};
  struct Best {
    const Cell* cell;
    std::string id;
  };
  std::map<std::string, Best> best;
  for (const auto& [k, c] : s.cells) {
    if (k.entity != entity || k.group != kRecordGroup) continue;
    auto v = ParseJson(c.value);
    if (!v.ok()) continue;
    auto key = RecordKey(*t, *v);
    if (!key) continue;
    auto it = best.find(*key);
    if (it == best.end() || CountsBefore(c, k.id, *it->second.cell, it->second.id))
      best[*key] = Best{&c, k.id};
  }
  std::vector<std::string> ids;
  for (const auto& [key, b] : best) ids.push_back(b.id);
  std::sort(ids.begin(), ids.end());
  return ids;
}

int64_t CounterSum(const ReplicaState& s, std::string_view entity, std::string_view target) {
  const EntityTypeSpec* t = FindEntityType(entity);
  if (!t || t->kind != MergeKind::kCounter) return 0;
  int64_t sum = 0;
  for (const auto& [k, c] : s.cells) {
    if (k.entity != entity || k.group != kRecordGroup) continue;
    auto v = ParseJson(c.value);
    if (!v.ok()) continue;
    auto key = RecordKey(*t, *v);
    if (key && *key == target) sum += CounterDelta(*t, *v);
  }
  return sum;
}

}  // namespace shefu::sync
