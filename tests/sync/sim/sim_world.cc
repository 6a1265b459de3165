#include "tests/sync/sim/sim_world.h"

#include <cstdio>
#include <fstream>
#include <sstream>

namespace shefu::sync::sim {
namespace {

constexpr int64_t kDay = 24LL * 3600 * 1000;

void CopyFile(const std::string& from, const std::string& to) {
  for (const char* suffix : {"-wal", "-shm"}) std::remove((to + suffix).c_str());
  std::ifstream in(from, std::ios::binary);
  std::ofstream out(to, std::ios::binary | std::ios::trunc);
  out << in.rdbuf();
}

Status VacuumInto(Db& db, const std::string& path) {
  auto st = db.Prepare("VACUUM INTO ?1");
  if (!st.ok()) return st.status();
  st->Bind(1, path);
  return st->Run();
}

const char* kSubItems[] = {"basic.elderly_care", "basic.health", "safety.mediation",
                           "party.hardship_aid"};
const char* kLevels[] = {"low", "normal", "high", "urgent"};
const char* kStates[] = {"open", "linked", "withdrawn", "closed"};

}  // namespace

bool SimPlaces::ResolvePlace(std::string_view code, Place* out) const {
  if (code == "D1")
    *out = {"D1", "", ""};
  else if (code == "T1")
    *out = {"D1", "T1", ""};
  else if (code == "T2")
    *out = {"D1", "T2", ""};
  else if (code == "C1")
    *out = {"D1", "T1", "C1"};
  else if (code == "C2")
    *out = {"D1", "T1", "C2"};
  else if (code == "C3")
    *out = {"D1", "T2", "C3"};
  else if (code == "C9" && knows_c9_)
    *out = {"D1", "T2", "C9"};
  else
    return false;
  return true;
}

World::World(const SimOptions& opt, SimResult* result, std::string dir)
    : opt_(opt),
      result_(result),
      dir_(std::move(dir)),
      rng_(opt.seed * 0x9E3779B97F4A7C15ULL + 1),
      fault_rng_(opt.seed ^ 0xFA017),
      clock_(1764374400000 + static_cast<int64_t>(opt.seed % 1000) * 1000),
      sleeper_(clock_),
      server_rng_(opt.seed ^ 0x5E4E4) {}

World::~World() {
  for (auto& d : devices_) {
    d->session.reset();
    d->store.reset();
    d->db.reset();
  }
  server_.reset();
  server_db_.reset();
}

void World::Fail(std::string what) {
  if (result_->failures.size() < 20) result_->failures.push_back(std::move(what));
}

void World::Trace(const std::string& what) {
  if (opt_.trace)
    fprintf(stderr, "[sim %llu t=%lld] %s\n", static_cast<unsigned long long>(opt_.seed),
            static_cast<long long>(clock_.NowMs()), what.c_str());
}

std::string World::NewClientId() {
  return "dev" + std::to_string(next_client_++);
}

// ---- server ----------------------------------------------------------------------------------

void World::OpenServer() {
  DbOptions o;
  o.synchronous_full = false;
  auto db = Db::Open(dir_ + "/server.db", o);
  if (!db.ok()) return Fail("open server db: " + db.status().ToString());
  server_db_ = std::move(*db);
  ServerOptions so;
  so.fault = [this](std::string_view point) {
    if (!server_crash_point_.empty() && point == server_crash_point_) {
      server_crash_point_.clear();
      server_needs_restart_ = true;
      return true;
    }
    return false;
  };
  auto s = SyncServer::Open(*server_db_, clock_, server_rng_, server_places_, nullptr, so);
  if (!s.ok()) return Fail("open server: " + s.status().ToString());
  server_ = std::move(*s);
}

void World::RestartServer() {
  Trace("server restart");
  ++result_->stats.server_restarts;
  server_.reset();
  server_db_.reset();
  server_needs_restart_ = false;
  OpenServer();
}

void World::BackupServer() {
  std::string path = dir_ + "/server-backup-" + std::to_string(next_file_++) + ".db";
  Status st = VacuumInto(*server_db_, path);
  if (!st.ok()) return Fail("server backup: " + st.ToString());
  Trace("server backup " + path);
  server_backups_.emplace_back(path, timeline_);
}

void World::RestoreServer() {
  if (server_backups_.empty()) return;
  const auto& [path, saved] =
      server_backups_[static_cast<size_t>(Pick(static_cast<int>(server_backups_.size())))];
  Trace("server restore from " + path);
  ++result_->stats.server_restores;
  server_.reset();
  server_db_.reset();
  CopyFile(path, dir_ + "/server.db");
  timeline_ = saved;
  OpenServer();
  auto epoch = server_->SetNewEpoch();
  if (!epoch.ok()) Fail("new epoch: " + epoch.status().ToString());
}

Reply World::HandleRequest(Device& d, std::string_view route, Json body) {
  if (!server_ || server_needs_restart_) RestartServer();
  Json copy = route == kRouteDownload ? Json() : body;
  int64_t now = clock_.NowMs();
  Reply r = server_->Handle(route, d.principal, std::move(body));
  if (opt_.trace) {
    std::string what = "device " + std::to_string(d.index) + " " + std::string(route) + " -> " +
                       std::to_string(r.http_status);
    if (route == kRouteUpload)
      what += " seqs " + std::to_string(copy.value("first_seq", 0)) + ".." +
              std::to_string(copy.value("last_seq", 0)) + " epoch '" + copy.value("epoch", "") +
              "'";
    if (!r.ok()) what += " " + r.body["error"].value("code", "");
    Trace(what);
  }
  if (r.ok()) Tap(d, route, copy, r, now);
  if (server_needs_restart_) {
    Trace("server crashed before commit");
    ++result_->stats.crashes;
    RestartServer();
  }
  if (server_crash_after_reply_ && r.ok() && route != kRouteDownload) {
    // Killed between "merge" (committed) and "reply": the device never hears back.
    Trace("server crashed after commit, before its reply");
    server_crash_after_reply_ = false;
    ++result_->stats.crashes;
    RestartServer();
    Reply lost;
    lost.http_status = 503;
    lost.body = Encode(ToErrorReply(ProtocolError(kServerBusy)));
    return lost;
  }
  return r;
}

void World::Tap(Device& d, std::string_view route, const Json& request, const Reply& reply,
                int64_t now_ms) {
  if (route == kRouteUpload) {
    auto req = DecodeUploadRequest(Json(request));
    auto rep = DecodeUploadReply(reply.body);
    if (!req.ok() || !rep.ok()) return Fail("tap: cannot decode an accepted upload");
    for (const Change& c : req->changes) {
      if (c.seq > rep->acked_seq) break;
      Identity id{req->client_id, c.seq};
      if (timeline_.applied.count(id)) continue;
      TapWrite w;
      w.id = id;
      w.change = c;
      w.principal = d.principal;
      w.server_now_ms = now_ms;
      for (const auto& r : rep->results) {
        if (r.seq == c.seq && r.outcome == Outcome::kRefused) {
          w.refused = true;
          w.rule = r.code;
        }
      }
      timeline_.applied.insert(id);
      ever_applied_.insert(id);
      timeline_.writes.push_back(std::move(w));
    }
  } else if (route == kRouteAnon) {
    auto req = DecodeAnonUploadRequest(Json(request));
    auto rep = DecodeAnonUploadReply(reply.body);
    if (!req.ok() || !rep.ok()) return Fail("tap: cannot decode an accepted anonymous batch");
    if (timeline_.anon_ids.count(req->batch_id)) return;
    TapAnon a;
    a.principal = d.principal;
    a.batch_id = req->batch_id;
    a.items = req->items;
    for (const auto& r : rep->refused) a.refused.insert(r.seq);
    timeline_.anon_ids.insert(a.batch_id);
    ever_anon_.insert(a.batch_id);
    timeline_.anon.push_back(std::move(a));
  }
}

void World::RecordServerWrites(const std::string& entity, const std::string& id,
                               const std::map<std::string, Identity>& before) {
  auto rec = server_->ReadRecord(entity, id);
  if (!rec.ok() || !*rec) return;
  for (const auto& [group, g] : (*rec)->groups) {
    Identity who{g.node, g.seq};
    if (g.node != server_->options().node_id || timeline_.applied.count(who)) continue;
    TapWrite w;
    w.id = who;
    w.change.entity = entity;
    w.change.id = id;
    w.change.group = group;
    w.change.value = g.value;
    w.change.value_text = CanonicalJson(g.value);
    w.change.hlc = g.hlc;
    w.local = true;
    timeline_.applied.insert(who);
    ever_applied_.insert(who);
    timeline_.writes.push_back(std::move(w));
    auto it = before.find(group);
    if (it != before.end()) staff_saw_.emplace_back(who, it->second);
  }
}

void World::StaffWrite() {
  if (!server_ || server_needs_restart_) RestartServer();
  SyncServer::RecordQuery q;
  q.entity = "need";
  q.limit = 50;
  auto recs = server_->ListRecords(q);
  if (!recs.ok() || recs->empty()) return;
  const RecordView& r = (*recs)[static_cast<size_t>(Pick(static_cast<int>(recs->size())))];
  std::map<std::string, Identity> before;
  for (const auto& [g, v] : r.groups) before[g] = Identity{v.node, v.seq};
  Principal staff;
  staff.role = Role::kCityAdmin;
  staff.user_id = 1;
  std::vector<SyncServer::LocalChange> changes;
  changes.push_back({"need", r.id, "description",
                     Json{{"text", "staff note " + std::to_string(Pick(1000))}}, std::nullopt});
  auto out = server_->LocalWrite(staff, std::move(changes));
  Trace("staff write on " + r.id + (out.ok() ? "" : " refused: " + out.status().code()));
  if (out.ok()) RecordServerWrites("need", r.id, before);
}

void World::ResolveSomeConflict() {
  if (!server_ || server_needs_restart_) RestartServer();
  ConflictQuery q;
  q.status = ConflictStatus::kOpen;
  q.limit = 200;
  auto list = server_->ListConflicts(q);
  if (!list.ok() || list->empty()) return;
  const Conflict& c = (*list)[static_cast<size_t>(Pick(static_cast<int>(list->size())))];
  std::map<std::string, Identity> before;
  if (auto rec = server_->ReadRecord(c.entity, c.record_id); rec.ok() && *rec)
    for (const auto& [g, v] : (*rec)->groups) before[g] = Identity{v.node, v.seq};
  Principal staff;
  staff.role = Role::kCityAdmin;
  staff.user_id = 2;
  SyncServer::Resolution res;
  res.kind =
      Chance(0.5) ? SyncServer::ResolutionKind::kTakeLoser : SyncServer::ResolutionKind::kAccept;
  Status st = server_->Resolve(staff, c.id, res);
  Trace("resolve conflict " + std::to_string(c.id) + " " + RuleCode(c.rule) + ": " +
        (st.ok() ? "ok" : st.code()));
  if (st.ok() && res.kind == SyncServer::ResolutionKind::kTakeLoser)
    RecordServerWrites(c.entity, c.record_id, before);
}

// ---- devices ---------------------------------------------------------------------------------

void World::AddDevice(int index) {
  auto d = std::make_unique<Device>();
  d->index = index;
  int kind = Pick(6);
  std::string client = NewClientId();
  Principal& p = d->principal;
  p.client_id = client;
  p.user_id = 100 + index;
  p.scope.district = "D1";
  switch (kind) {
    case 0:
    case 1:
      p.role = Role::kCommunityWorker;
      p.scope.town = "T1";
      p.scope.community = "C1";
      break;
    case 2:
      p.role = Role::kCommunityWorker;
      p.scope.town = "T1";
      p.scope.community = "C2";
      break;
    case 3:
      p.role = Role::kCommunityWorker;
      p.scope.town = "T2";
      p.scope.community = "C3";
      break;
    case 4:
      p.role = Role::kTownStaff;
      p.scope.town = "T1";
      break;
    default:
      p.role = Role::kKiosk;
      p.scope.town = "T1";
      p.scope.community = "C1";
      break;
  }
  d->community =
      p.scope.community.empty() ? (p.scope.town == "T1" ? "C2" : "C3") : p.scope.community;
  d->path = dir_ + "/device-" + std::to_string(index) + ".db";
  d->clock = std::make_unique<SkewedClock>(clock_, 0);
  d->rng = std::make_unique<SeededRng>(rng_.Next64());
  Device* raw = d.get();
  d->transport =
      std::make_unique<LoopbackTransport>([this, raw](std::string_view route, Json body) {
        return HandleRequest(*raw, route, std::move(body));
      });
  devices_.push_back(std::move(d));
  OpenDevice(*raw);
  if (raw->store) {
    Status st = raw->store->SetClientId(client);
    if (!st.ok()) Fail("enrol: " + st.ToString());
  }
  Trace("device " + std::to_string(index) + " " + client + " role " + RoleCode(p.role) + " " +
        p.scope.town + "/" + p.scope.community);
}

void World::OpenDevice(Device& d) {
  DbOptions o;
  o.synchronous_full = false;
  auto db = Db::Open(d.path, o);
  if (!db.ok()) return Fail("open device db: " + db.status().ToString());
  d.db = std::move(*db);
  DeviceOptions opt;
  Device* raw = &d;
  opt.fault = [raw](std::string_view point) {
    if (!raw->crash_point.empty() && point == raw->crash_point) {
      raw->crash_point.clear();
      raw->crashed = true;
      return true;
    }
    return false;
  };
  auto s = DeviceStore::Open(*d.db, *d.clock, *d.rng, device_places_, opt);
  if (!s.ok()) return Fail("open device: " + s.status().ToString());
  d.store = std::move(*s);
}

void World::RestartDevice(Device& d) {
  Trace("device " + std::to_string(d.index) + " restart");
  ++result_->stats.device_restarts;
  d.session.reset();
  d.store.reset();
  d.db.reset();
  d.crashed = false;
  OpenDevice(d);
}

void World::BackupDevice(Device& d) {
  std::string path = dir_ + "/device-" + std::to_string(d.index) + "-backup-" +
                     std::to_string(next_file_++) + ".db";
  Trace("device " + std::to_string(d.index) + " backup " + path);
  Status st = VacuumInto(*d.db, path);
  if (!st.ok()) return Fail("device backup: " + st.ToString());
  d.backups.push_back(path);
}

void World::SnapshotIdentities(Device& d, bool acked_too) {
  auto st = d.db->Prepare(
      "SELECT client, seq, local_id, entity, id, grp, value, outcome, acked_ms FROM sync_outbox");
  if (!st.ok()) return Fail("snapshot: " + st.status().ToString());
  for (;;) {
    auto r = st->Step();
    if (!r.ok() || !*r) break;
    Identity id{st->Str(0), st->Int(1)};
    local_ids_.emplace(st->Int(2), id);
    if (!acked_too || st->IsNull(8)) continue;
    AckedRow a{id, st->Int(2), st->Str(3), st->Str(4), st->Str(5), st->Str(6), st->Str(7), true};
    discarded_acked_.push_back(std::move(a));
  }
}

void World::RestoreDevice(Device& d) {
  if (d.backups.empty()) return;
  const std::string& path =
      d.backups[static_cast<size_t>(Pick(static_cast<int>(d.backups.size())))];
  Trace("device " + std::to_string(d.index) + " restored from " + path);
  ++result_->stats.device_restores;
  SnapshotIdentities(d, /*acked_too=*/true);
  d.session.reset();
  d.store.reset();
  d.db.reset();
  CopyFile(path, d.path);
  OpenDevice(d);
  // The restored database brings back the identity (and credentials) it was enrolled with.
  if (d.store) d.principal.client_id = d.store->client_id();
}

void World::Reenrol(Device& d) {
  std::string client = NewClientId();
  Trace("device " + std::to_string(d.index) + " re-enrols as " + client + " (" +
        d.store->health_code() + ")");
  ++result_->stats.reenrolments;
  // Its rows keep their local ids; remember the identities they had before renumbering.
  SnapshotIdentities(d, /*acked_too=*/false);
  Status st = d.store->Reenrol(client);
  if (!st.ok()) return Fail("reenrol: " + st.ToString());
  d.principal.client_id = client;
  d.session.reset();
}

SessionOptions World::RandomSessionOptions() {
  SessionOptions o;
  o.upload_batch = static_cast<size_t>(1 + Pick(40));
  o.page_limit = 1 + Pick(30);
  o.max_attempts = final_ ? 50 : 3 + Pick(3);
  o.backoff_base_ms = 10;
  o.backoff_max_ms = 1000;
  return o;
}

void World::AfterWrite(Device& d, const Status& st, int64_t first_seq,
                       const std::string& group_seen, std::optional<Identity> saw,
                       std::optional<int64_t> saw_local) {
  if (!st.ok()) {
    if (d.crashed) {
      ++result_->stats.crashes;
      RestartDevice(d);
    }
    return;
  }
  auto q = d.db->Prepare("SELECT local_id, grp FROM sync_outbox WHERE client = ?1 AND seq >= ?2");
  if (!q.ok()) return Fail(q.status().ToString());
  q->Bind(1, d.store->client_id()).Bind(2, first_seq);
  for (;;) {
    auto r = q->Step();
    if (!r.ok() || !*r) break;
    SimWrite w;
    w.local_id = q->Int(0);
    if (q->Str(1) == group_seen) {
      w.saw = saw;
      w.saw_local = saw_local;
    }
    writes_.push_back(w);
    ++result_->stats.writes;
  }
}

void World::DeviceWrite(Device& d) {
  DeviceStore& s = *d.store;
  const Role role = d.principal.role;
  const int64_t first_seq = s.next_seq();
  auto community = [&]() -> std::string {
    if (Chance(0.04)) return "C9";                                          // the server refuses
    if (Chance(0.04)) return d.principal.scope.town == "T2" ? "C1" : "C3";  // out of scope
    if (d.principal.scope.community.empty() && d.principal.scope.town == "T1")
      return Chance(0.5) ? "C1" : "C2";
    return d.community;
  };
  int what = Pick(100);
  if (role == Role::kKiosk) what = what < 55 ? 70 : what < 80 ? 90 : what < 92 ? 95 : 0;
  std::string seen_group;
  std::optional<Identity> saw;
  std::optional<int64_t> saw_local;
  Status st;
  auto see = [&](const std::string& entity, const std::string& id, const std::string& group) {
    seen_group = group;
    auto v = s.Read(entity, id);
    if (!v.ok() || !*v) return;
    const GroupView* g = (*v)->Find(group);
    if (!g) return;
    if (!g->local) {
      saw = Identity{g->node, g->seq};
      return;
    }
    auto q = d.db->Prepare(
        "SELECT local_id FROM sync_outbox WHERE entity = ?1 AND id = ?2 AND grp = ?3 AND hlc = ?4");
    if (!q.ok()) return;
    q->Bind(1, entity).Bind(2, id).Bind(3, group).Bind(4, g->hlc.AsInt());
    auto r = q->Step();
    if (r.ok() && *r) saw_local = q->Int(0);
  };
  if (what < 20) {  // create a need (sometimes under an id another device may use too)
    std::vector<GroupWrite> g = {
        {"place", Json{{"community", community()}, {"building", std::to_string(1 + Pick(9))}}},
        {"category", Json{{"category", "basic"}, {"sub_item", "basic.elderly_care"}}},
        {"description", Json{{"text", "need " + std::to_string(Pick(100000))}}},
        {"people", Json{{"count", 1 + Pick(20)}}}};
    if (Chance(0.1)) {
      std::string id = "need-shared-" + std::to_string(Pick(3));
      st = s.CreateWithId("need", id, g);
    } else {
      st = s.Create("need", g).status();
    }
  } else if (what < 55) {  // edit / delete / restore a need this device sees
    auto list = s.List("need", /*include_deleted=*/true);
    if (!list.ok() || list->empty()) return;
    const RecordView& r = (*list)[static_cast<size_t>(Pick(static_cast<int>(list->size())))];
    if (what < 45 && !r.deleted) {
      static const char* kGroups[] = {"category", "description", "people", "urgency", "status"};
      std::string group = kGroups[Pick(5)];
      Json v;
      if (group == "category") {
        std::string sub = kSubItems[Pick(4)];
        v = Json{{"category", sub.substr(0, sub.find('.'))}, {"sub_item", sub}};
      } else if (group == "description") {
        v = Json{{"text", "edit " + std::to_string(Pick(1000))}};
      } else if (group == "people") {
        v = Json{{"count", 1 + Pick(50)}};
      } else if (group == "urgency") {
        v = Json{{"level", kLevels[Pick(4)]}};
      } else {
        v = Json{{"state", kStates[Pick(4)]}};
      }
      see("need", r.id, group);
      st = s.Write("need", r.id, group, v);
    } else {
      see("need", r.id, std::string(kDeletedGroup));
      st = r.deleted ? s.Restore("need", r.id) : s.Delete("need", r.id);
    }
  } else if (what < 65) {  // a visit, sometimes under a shared id
    Json v{{"community", community()},
           {"room", std::to_string(100 + Pick(5))},
           {"date", "2026-03-0" + std::to_string(1 + Pick(9))},
           {"outcome", "visited"}};
    if (Chance(0.2))
      st = s.CreateWithId("visit", "visit-" + std::to_string(Pick(3)), {{"record", v}});
    else
      st = s.Create("visit", {{"record", v}}).status();
  } else if (what < 80) {  // an open-ballot vote: few ballots and voters, so duplicates happen
    Json v{{"ballot", "b" + std::to_string(Pick(2))},
           {"community", community()},
           {"voter", "roll-" + std::to_string(Pick(4))},
           {"choice", Chance(0.5) ? "yes" : "no"}};
    st = s.Create("vote", {{"record", v}}).status();
  } else if (what < 90) {  // "me too" on a need
    auto list = s.List("need");
    std::string target = list.ok() && !list->empty()
                             ? (*list)[static_cast<size_t>(Pick(static_cast<int>(list->size())))].id
                             : "need-shared-0";
    Json v{{"need", target}, {"community", community()}, {"delta", Chance(0.8) ? 1 : -1}};
    st = s.Create("need_support", {{"record", v}}).status();
  } else if (what < 96) {  // a secret choice
    std::string session = "ballot-s" + std::to_string(Pick(2));
    std::string c = Chance(0.05) ? "C9" : d.community;
    st = s.AnonAdd(
        session, "secret_choice",
        Json{{"ballot", session}, {"community", c}, {"choice", Chance(0.5) ? "yes" : "no"}});
    if (st.ok()) ++result_->stats.anon_items;
    Trace("device " + std::to_string(d.index) + " secret choice in " + session);
    return;
  } else {  // close a secret ballot
    auto n = s.AnonClose("ballot-s" + std::to_string(Pick(2)));
    Trace("device " + std::to_string(d.index) +
          " closes a ballot: " + (n.ok() ? std::to_string(*n) : n.status().code()) + " items");
    return;
  }
  Trace("device " + std::to_string(d.index) + " write (" + std::to_string(what) +
        "): " + (st.ok() ? "ok" : st.code()));
  AfterWrite(d, st, first_seq, seen_group, saw, saw_local);
}

void World::SyncStep(Device& d) {
  if (!d.session || IsFinal(d.session->state())) {
    d.session = std::make_unique<SyncSession>(*d.store, *d.transport, *d.rng, sleeper_,
                                              RandomSessionOptions());
    ++result_->stats.sessions;
  }
  int steps = 1 + Pick(6);
  for (int i = 0; i < steps; ++i) {
    ++result_->stats.sync_steps;
    if (!d.session->Step()) break;
  }
  SessionState s = d.session->state();
  if (!IsFinal(s)) return;
  Trace("device " + std::to_string(d.index) + " session " + SessionStateName(s) +
        (d.session->summary().error.ok() ? "" : " " + d.session->summary().error.code()));
  if (d.crashed) {
    ++result_->stats.crashes;
    RestartDevice(d);
  } else if (s == SessionState::kNeedsReenrolment) {
    Reenrol(d);
  }
}

// ---- the run ---------------------------------------------------------------------------------

void World::RandomStep() {
  Device& d = *devices_[static_cast<size_t>(Pick(static_cast<int>(devices_.size())))];
  int r = Pick(1000);
  if (r < 380) return DeviceWrite(d);
  if (r < 700) return SyncStep(d);
  if (r < 760) {
    clock_.Advance(1 + static_cast<int64_t>(rng_.Uniform(Chance(0.2) ? 3600000 : 60000)));
    return;
  }
  if (r < 790) {
    d.transport->set_partitioned(!d.transport->partitioned());
    Trace("device " + std::to_string(d.index) +
          (d.transport->partitioned() ? " partitioned" : " healed"));
    return;
  }
  if (r < 820) {
    LoopbackTransport::Faults f;
    if (Chance(0.7)) {
      f.drop_request = Pick(20) / 100.0;
      f.drop_reply = Pick(20) / 100.0;
      f.duplicate = Pick(20) / 100.0;
      f.hold = Pick(20) / 100.0;
      f.server_error = Pick(10) / 100.0;
    }
    d.transport->set_faults(f, &fault_rng_);
    return;
  }
  if (r < 840) {
    result_->stats.held_delivered += static_cast<int>(d.transport->DeliverHeld(1 + Pick(3)));
    return;
  }
  if (r < 855) {  // the device's wall clock jumps by up to ± 3 days (or back to right)
    int64_t off = Chance(0.3) ? 0 : static_cast<int64_t>(rng_.Uniform(6 * kDay)) - 3 * kDay;
    d.clock->set_offset(off);
    Trace("device " + std::to_string(d.index) + " clock offset " + std::to_string(off / 60000) +
          " min");
    return;
  }
  if (r < 870) return RestartDevice(d);
  if (r < 890) {  // arm a device crash point
    static const char* kPoints[] = {"page:before_commit", "ack:before_commit",
                                    "write:before_commit"};
    d.crash_point = kPoints[Pick(3)];
    return;
  }
  if (r < 900) {
    server_crash_point_ = Chance(0.5) ? "upload:before_commit" : "anon:before_commit";
    return;
  }
  if (r < 910) {
    server_crash_after_reply_ = true;
    return;
  }
  if (r < 920) return RestartServer();
  if (r < 935) return BackupServer();
  if (r < 942) {
    if (result_->stats.server_restores < 2) RestoreServer();
    return;
  }
  if (r < 957) return BackupDevice(d);
  if (r < 964) {
    if (result_->stats.device_restores < 3) RestoreDevice(d);
    return;
  }
  if (r < 985) return StaffWrite();
  ResolveSomeConflict();
}

void World::FinalSync() {
  final_ = true;
  Trace("---- final sync ----");
  server_crash_point_.clear();
  server_crash_after_reply_ = false;
  if (server_needs_restart_) RestartServer();
  for (auto& d : devices_) {
    d->crash_point.clear();
    d->transport->set_partitioned(false);
    result_->stats.held_delivered += static_cast<int>(d->transport->DeliverHeld(1000));
    d->transport->set_faults({}, nullptr);
    d->session.reset();
    for (const char* session : {"ballot-s0", "ballot-s1"}) (void)d->store->AnonClose(session);
  }
  for (int round = 0; round < 30; ++round) {
    bool quiet = true;
    for (auto& d : devices_) {
      for (int attempt = 0; attempt < 4; ++attempt) {
        SyncSession session(*d->store, *d->transport, *d->rng, sleeper_, RandomSessionOptions());
        SyncSummary s = session.Run();
        if (s.uploaded > 0 || s.anon_batches > 0 || s.resets > 0) quiet = false;
        if (s.final_state == SessionState::kDone) break;
        if (s.final_state == SessionState::kNeedsReenrolment) {
          Reenrol(*d);
          quiet = false;
          continue;
        }
        Fail("final sync of device " + std::to_string(d->index) + " ended " +
             SessionStateName(s.final_state) + ": " + s.error.ToString());
        return;
      }
    }
    if (quiet) return;
  }
  Fail("final sync did not settle in 30 rounds");
}

void World::Run() {
  OpenServer();
  int n = opt_.min_devices + Pick(opt_.max_devices - opt_.min_devices + 1);
  result_->stats.devices = n;
  for (int i = 0; i < n; ++i) AddDevice(i);
  if (!result_->failures.empty()) return;
  for (int step = 0; step < opt_.steps && result_->failures.empty(); ++step) RandomStep();
  if (!result_->failures.empty()) return;
  FinalSync();
  if (!result_->failures.empty()) return;
  Check();
}

}  // namespace shefu::sync::sim
