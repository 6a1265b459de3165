// The simulation's end-of-run checks and RunSimulation itself.
#include <stdlib.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "sync/merge.h"
#include "tests/sync/sim/sim_world.h"

namespace shefu::sync::sim {
namespace {

constexpr int64_t kBoundMs = 5 * 60 * 1000;

std::vector<std::string> Rows(Db& db, const std::string& sql, const Scope* scope = nullptr) {
  std::vector<std::string> out;
  auto st = db.Prepare(sql);
  if (!st.ok()) return {"<" + st.status().ToString() + ">"};
  if (scope) st->Bind(1, scope->district).Bind(2, scope->town).Bind(3, scope->community);
  for (;;) {
    auto r = st->Step();
    if (!r.ok()) return {"<" + r.status().ToString() + ">"};
    if (!*r) break;
    std::string row;
    int n = sqlite3_column_count(st->raw());
    for (int i = 0; i < n; ++i) {
      if (i) row += " | ";
      row += st->Str(i);
    }
    out.push_back(std::move(row));
  }
  return out;
}

std::string FirstDifference(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  size_t i = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
  std::string x = i < a.size() ? a[i] : "<end>", y = i < b.size() ? b[i] : "<end>";
  return "row " + std::to_string(i) + ": [" + x + "] vs [" + y + "] (" + std::to_string(a.size()) +
         " vs " + std::to_string(b.size()) + " rows)";
}

}  // namespace

void World::Check() {
  CheckConvergence();
  CheckOracle();
  CheckAcked();
  CheckAnonymous();
  auto all = server_->ListConflicts(
      ConflictQuery{std::nullopt, "", "", std::nullopt, "", std::nullopt, 0, 1000000});
  if (all.ok()) result_->stats.conflicts = static_cast<int>(all->size());
}

void World::CheckConvergence() {
  static const char* kDeviceRows =
      "SELECT entity, id, grp, value, hlc, node, seq, version, flags FROM sync_replica "
      "ORDER BY entity, id, grp";
  static const char* kServerRows =
      "SELECT entity, id, grp, value, hlc, node, seq, version, flags FROM sync_field "
      "WHERE (?1 = '' OR district = '' OR district = ?1) AND (?2 = '' OR town = '' OR town = ?2)"
      " AND (?3 = '' OR community = '' OR community = ?3) ORDER BY entity, id, grp";
  for (auto& d : devices_) {
    std::string who = "device " + std::to_string(d->index) + " (" + d->principal.client_id + ")";
    if (d->store->health() != DeviceHealth::kOk) Fail(who + " still needs re-enrolment");
    auto pending = d->store->PendingCount();
    if (!pending.ok() || *pending != 0) Fail(who + " has unsent outbox rows");
    auto unconfirmed = Rows(*d->db,
                            "SELECT seq FROM sync_outbox WHERE acked_ms IS NULL OR checkpoint > "
                            "(SELECT checkpoint FROM sync_state)");
    if (!unconfirmed.empty()) Fail(who + " still overlays unconfirmed writes");
    auto mine = Rows(*d->db, kDeviceRows);
    auto theirs = Rows(*server_db_, kServerRows, &d->principal.scope);
    if (mine != theirs)
      Fail(who + " replica differs from the server: " + FirstDifference(mine, theirs));
    // The clock never fell behind a stamp it issued (across restarts, rollbacks, restores),
    // and no stamp was issued twice.
    auto behind =
        Rows(*d->db, "SELECT count(*) FROM sync_outbox WHERE hlc > (SELECT last FROM sync_hlc)");
    if (behind != std::vector<std::string>{"0"}) Fail(who + " has stamps ahead of its clock");
    auto dup = Rows(*d->db, "SELECT hlc FROM sync_outbox GROUP BY hlc HAVING count(*) > 1");
    if (!dup.empty()) Fail(who + " issued one stamp twice");
  }
}

void World::CheckOracle() {
  // Effective stamps of capped writes, from the server's clock_skew entries.
  std::map<Identity, Hlc> capped_to;
  ConflictQuery q;
  q.rule = Rule::kClockSkew;
  q.limit = 1000000;
  auto skew = server_->ListConflicts(q);
  if (!skew.ok()) return Fail(skew.status().ToString());
  for (const Conflict& c : *skew)
    if (c.winner) capped_to[Identity{c.loser.node, c.loser.seq}] = c.winner->hlc;

  ReplicaState state;
  std::map<std::pair<std::string, std::string>, Place> records;
  for (const TapWrite& w : timeline_.writes) {
    const Change& c = w.change;
    CellKey key{c.entity, c.id, c.group};
    if (w.local) {
      JoinCell(&state, key, Cell{c.value_text, c.hlc, w.id.node, w.id.seq});
      continue;
    }
    // The refusal rules, checked naively in the order docs/merge-rules.md gives.
    std::string expect;
    const EntityTypeSpec* type = FindEntityType(c.entity);
    auto rec = records.find({c.entity, c.id});
    Place place;
    if (!type || !ValidateGroupWrite(server_places_, *type, c.group, c.value).ok()) {
      expect = "validation_reject";
    } else if (rec == records.end()) {
      auto it = c.value.is_object() ? c.value.find(std::string(type->scope_field)) : c.value.end();
      if (c.group != type->scope_group || !c.value.is_object() || it == c.value.end() ||
          !server_places_.ResolvePlace(it->get<std::string>(), &place))
        expect = "validation_reject";
    } else {
      place = rec->second;
    }
    if (expect.empty() && !type->AllowsWriter(w.principal.role)) expect = "permission_reject";
    if (expect.empty() && !ScopeContains(w.principal.scope, place)) expect = "scope_reject";
    if (expect.empty() && rec != records.end() && type->kind == MergeKind::kEditable) {
      const FieldGroupSpec* spec = type->FindGroup(c.group);
      auto cur = state.cells.find(key);
      if (spec && spec->immutable && cur != state.cells.end() && cur->second.value != c.value_text)
        expect = "validation_reject";
    }
    std::string got = w.refused ? w.rule : "";
    if (expect != got) {
      Fail("oracle: write " + w.id.node + "/" + std::to_string(w.id.seq) + " (" + c.entity + " " +
           c.id + " " + c.group + ") expected [" + expect + "] server said [" + got + "]");
    }
    if (w.refused) {
      ++result_->stats.refusals;
      continue;
    }
    if (rec == records.end()) records[{c.entity, c.id}] = place;
    bool capped = c.hlc.ms() - w.server_now_ms > kBoundMs;
    auto cap = capped_to.find(w.id);
    if (capped != (cap != capped_to.end()))
      Fail("oracle: write " + w.id.node + "/" + std::to_string(w.id.seq) +
           (capped ? " should have been capped" : " was capped but is not from the future"));
    Hlc eff = cap != capped_to.end() ? cap->second : c.hlc;
    JoinCell(&state, key, Cell{c.value_text, eff, w.id.node, w.id.seq});
  }
  std::vector<std::string> expect;
  for (const auto& [k, c] : state.cells) {
    expect.push_back(k.entity + " | " + k.id + " | " + k.group + " | " + c.value + " | " +
                     std::to_string(c.hlc.AsInt()) + " | " + c.node + " | " +
                     std::to_string(c.seq));
  }
  auto got = Rows(*server_db_,
                  "SELECT entity, id, grp, value, hlc, node, seq FROM sync_field "
                  "WHERE entity != '_conflict' ORDER BY entity, id, grp");
  if (got != expect) Fail("oracle: server state differs: " + FirstDifference(got, expect));
  auto counted = Rows(*server_db_,
                      "SELECT id FROM sync_field WHERE entity = 'vote' AND grp = 'record'"
                      " AND (flags & 1) = 0 ORDER BY id");
  if (counted != CountedIds(state, "vote"))
    Fail("oracle: counted votes differ: " + FirstDifference(counted, CountedIds(state, "vote")));
  std::set<std::string> targets;
  for (const auto& [k, c] : state.cells) {
    if (k.entity != "need_support") continue;
    auto v = ParseJson(c.value);
    if (v.ok()) targets.insert(v->value("need", ""));
  }
  for (const auto& t : targets) {
    auto sum = server_->CounterSum("need_support", t);
    if (!sum.ok() || *sum != CounterSum(state, "need_support", t))
      Fail("oracle: counter of " + t + " differs");
  }
}

void World::CheckAcked() {
  std::vector<AckedRow> rows = discarded_acked_;
  for (auto& d : devices_) {
    auto st = d->db->Prepare(
        "SELECT client, seq, local_id, entity, id, grp, value, outcome, acked_ms FROM sync_outbox");
    if (!st.ok()) return Fail(st.status().ToString());
    for (;;) {
      auto r = st->Step();
      if (!r.ok() || !*r) break;
      Identity id{st->Str(0), st->Int(1)};
      local_ids_.emplace(st->Int(2), id);
      if (st->IsNull(8)) continue;
      rows.push_back(AckedRow{id, st->Int(2), st->Str(3), st->Str(4), st->Str(5), st->Str(6),
                              st->Str(7), false});
    }
  }
  std::set<Identity> accepted;
  for (const TapWrite& w : timeline_.writes)
    if (!w.refused) accepted.insert(w.id);
  // Values some accepted write's author had seen when writing over them.
  std::set<Identity> seen;
  for (const SimWrite& w : writes_) {
    bool ok = false;
    auto [b, e] = local_ids_.equal_range(w.local_id);
    for (auto it = b; it != e; ++it) ok = ok || accepted.count(it->second);
    if (!ok) continue;
    if (w.saw) seen.insert(*w.saw);
    if (w.saw_local) {
      auto [sb, se] = local_ids_.equal_range(*w.saw_local);
      for (auto it = sb; it != se; ++it) seen.insert(it->second);
    }
  }
  for (const auto& [staff, prev] : staff_saw_)
    if (accepted.count(staff)) seen.insert(prev);
  // A node's own earlier write of a group is superseded by its later one (merge-rules.md R4).
  {
    std::map<std::string, std::vector<Identity>> by_key_node;  // key + node -> accepted writes
    for (const TapWrite& w : timeline_.writes) {
      if (w.refused) continue;
      by_key_node[w.change.entity + "/" + w.change.id + "/" + w.change.group + "/" + w.id.node]
          .push_back(w.id);
    }
    for (auto& [k, ids] : by_key_node) {
      int64_t last = 0;
      for (const auto& id : ids) last = std::max(last, id.seq);
      for (const auto& id : ids)
        if (id.seq < last) seen.insert(id);
    }
  }

  std::map<std::string, std::string> current;
  for (const auto& r :
       Rows(*server_db_, "SELECT entity || '/' || id || '/' || grp, value FROM sync_field")) {
    size_t bar = r.find(" | ");
    current[r.substr(0, bar)] = r.substr(bar + 3);
  }
  std::set<Identity> logged, refused;
  ConflictQuery q;
  q.limit = 1000000;
  auto log = server_->ListConflicts(q);
  if (!log.ok()) return Fail(log.status().ToString());
  for (const Conflict& c : *log) {
    Identity id{c.loser.node, c.loser.seq};
    if (RuleOutcome(c.rule) == Outcome::kRefused) refused.insert(id);
    if (c.rule != Rule::kClockSkew) logged.insert(id);
  }
  // A value is accounted for when some accepted write of it is live, logged or knowingly
  // superseded: a write replaced by an identical value shares that value's fate.
  std::set<std::string> accounted;  // "entity/id/group\nvalue"
  for (const TapWrite& w : timeline_.writes) {
    if (w.refused || !(logged.count(w.id) || seen.count(w.id))) continue;
    accounted.insert(w.change.entity + "/" + w.change.id + "/" + w.change.group + "\n" +
                     w.change.value_text);
  }
  std::map<Identity, const TapWrite*> by_id;
  for (const TapWrite& w : timeline_.writes) by_id[w.id] = &w;
  for (const AckedRow& r : rows) {
    ++result_->stats.acked_checked;
    std::string what = r.id.node + "/" + std::to_string(r.id.seq) + " " + r.entity + " " +
                       r.record + " " + r.group + " = " + r.value;
    if (!ever_applied_.count(r.id)) {
      Fail("acknowledged but never applied: " + what);
      continue;
    }
    auto found = by_id.find(r.id);
    const TapWrite* applied = found == by_id.end() ? nullptr : found->second;
    bool same = applied && applied->change.entity == r.entity && applied->change.id == r.record &&
                applied->change.group == r.group && applied->change.value_text == r.value;
    if (!same) {
      if (r.discarded) {
        ++result_->stats.double_failure_skipped;  // lost with both the server and the device
        continue;
      }
      Fail("acknowledged write missing after a server restore: " + what);
      continue;
    }
    if (r.outcome == "refused") {
      if (!refused.count(r.id))
        Fail("refused write not in the conflict log: " + what + " (the server's answer: " +
             (applied->refused ? applied->rule : std::string("applied")) + ")");
      continue;
    }
    auto cur = current.find(r.entity + "/" + r.record + "/" + r.group);
    if (cur != current.end() && cur->second == r.value) continue;  // live
    if (logged.count(r.id)) continue;
    if (seen.count(r.id) ||
        accounted.count(r.entity + "/" + r.record + "/" + r.group + "\n" + r.value)) {
      ++result_->stats.superseded;
      continue;
    }
    std::string history;
    for (const TapWrite& w : timeline_.writes) {
      if (w.id == r.id && (w.change.entity != r.entity || w.change.id != r.record))
        history += "\n      !! the server applied " + w.id.node + "/" + std::to_string(w.id.seq) +
                   " as " + w.change.entity + " " + w.change.id + " " + w.change.group + "=" +
                   w.change.value_text;
      if (w.change.entity != r.entity || w.change.id != r.record) continue;
      history += "\n      " + w.id.node + "/" + std::to_string(w.id.seq) + " " + w.change.group +
                 "=" + w.change.value_text + " hlc " + w.change.hlc.ToHex() + " base " +
                 std::to_string(w.change.base) + (w.refused ? " REFUSED " + w.rule : "") +
                 (w.local ? " (staff)" : "");
    }
    for (const Conflict& c : *log)
      if (c.entity == r.entity && c.record_id == r.record)
        history += "\n      conflict " + std::string(RuleCode(c.rule)) + " " + c.group + " loser " +
                   c.loser.node + "/" + std::to_string(c.loser.seq) + " " + c.loser.value;
    Fail("acknowledged write neither live nor logged nor knowingly superseded: " + what + history);
  }
}

void World::CheckAnonymous() {
  std::vector<std::string> expect;
  for (const TapAnon& a : timeline_.anon) {
    for (size_t i = 0; i < a.items.size(); ++i) {
      const AnonItem& it = a.items[i];
      const EntityTypeSpec* type = FindEntityType(it.entity);
      Place place;
      bool should_refuse =
          !type || !ValidateGroupWrite(server_places_, *type, kRecordGroup, it.value).ok() ||
          !server_places_.ResolvePlace(it.value.value("community", ""), &place) ||
          !type->AllowsWriter(a.principal.role) || !ScopeContains(a.principal.scope, place);
      bool refused = a.refused.count(static_cast<int64_t>(i)) > 0;
      if (should_refuse != refused)
        Fail("oracle: anonymous item " + CanonicalJson(it.value) +
             (refused ? " refused" : " accepted"));
      if (!refused) expect.push_back(it.entity + " | " + CanonicalJson(it.value));
    }
  }
  std::sort(expect.begin(), expect.end());
  auto got = Rows(*server_db_, "SELECT entity, value FROM sync_anon_item ORDER BY entity, value");
  if (got != expect) Fail("anonymous items differ: " + FirstDifference(got, expect));
  for (auto& d : devices_) {
    auto open = Rows(*d->db, "SELECT batch_id FROM sync_anon_batch WHERE acked_ms IS NULL");
    if (!open.empty()) Fail("device " + std::to_string(d->index) + " has unsent secret ballots");
    for (const auto& id : Rows(*d->db, "SELECT batch_id FROM sync_anon_batch"))
      if (!ever_anon_.count(id)) Fail("an acknowledged anonymous batch the server never took");
  }
}

std::string SimResult::Summary() const {
  std::ostringstream o;
  o << "seed " << seed << ": " << (ok() ? "ok" : "FAILED") << " — " << stats.devices << " devices, "
    << stats.writes << " writes, " << stats.sync_steps << " sync steps, " << stats.conflicts
    << " conflicts, " << stats.refusals << " refusals, " << stats.crashes << " crashes, "
    << stats.device_restarts << "/" << stats.server_restarts << " device/server restarts, "
    << stats.server_restores << " server restores, " << stats.device_restores
    << " device restores, " << stats.reenrolments << " re-enrolments, " << stats.acked_checked
    << " acknowledged writes checked (" << stats.superseded << " knowingly superseded)";
  for (const auto& f : failures) o << "\n  - " << f;
  return o.str();
}

SimResult RunSimulation(const SimOptions& opt) {
  SimResult result;
  result.seed = opt.seed;
  std::string base;
  if (const char* e = getenv("SHEFU_SIM_DIR")) base = e;
  if (base.empty() && std::filesystem::is_directory("/dev/shm")) base = "/dev/shm";
  if (base.empty()) base = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
  std::string tmpl = base + "/shefu-sim-XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  if (!mkdtemp(buf.data())) {
    result.failures.push_back("cannot create a directory under " + base);
    return result;
  }
  std::string dir = buf.data();
  try {
    World world(opt, &result, dir);
    world.Run();
  } catch (const std::exception& e) {
    result.failures.push_back(std::string("exception: ") + e.what());
  }
  std::error_code ec;
  if (!getenv("SHEFU_KEEP_TMP")) std::filesystem::remove_all(dir, ec);
  return result;
}

}  // namespace shefu::sync::sim
