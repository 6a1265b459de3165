// Test rig for the sync engine: a server and devices on real SQLite files in a TempDir, joined by
// LoopbackTransports, with a fake clock and seeded randomness. Used by every tests/sync suite
// (and the simulation builds its own, bigger one on the same pieces).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "shared/db.h"
#include "shared/entity_types.h"
#include "shared/env.h"
#include "sync/device_store.h"
#include "sync/session.h"
#include "sync/sync_server.h"
#include "sync/transport.h"
#include "tests/support/test_util.h"

namespace shefu::sync::test {

// District D1 > town T1 > communities C1, C2; town T2 > community C3. With `knows_c9`, also C9
// in T2 — the devices' reference data knows it, the server's does not (a validation refusal).
class TestPlaces final : public DomainContext {
 public:
  explicit TestPlaces(bool knows_c9 = false) : knows_c9_(knows_c9) {}
  bool ResolvePlace(std::string_view code, Place* out) const override {
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

 private:
  bool knows_c9_;
};

inline Principal WorkerOf(std::string client, std::string community = "C1") {
  Principal p;
  p.client_id = std::move(client);
  p.user_id = 7;
  p.role = Role::kCommunityWorker;
  p.scope.district = "D1";
  p.scope.town = community == "C3" ? "T2" : "T1";
  p.scope.community = std::move(community);
  return p;
}
inline Principal TownStaffOf(std::string client, std::string town = "T1") {
  Principal p;
  p.client_id = std::move(client);
  p.user_id = 3;
  p.role = Role::kTownStaff;
  p.scope.district = "D1";
  p.scope.town = std::move(town);
  return p;
}
inline Principal KioskOf(std::string client, std::string community = "C1") {
  Principal p = WorkerOf(std::move(client), std::move(community));
  p.role = Role::kKiosk;
  p.user_id = 9;
  return p;
}

// Values of the need groups.
inline Json NeedPlace(const std::string& community = "C1", const std::string& building = "3") {
  return Json{{"community", community}, {"building", building}};
}
inline Json NeedCategory(const std::string& sub = "basic.elderly_care") {
  return Json{{"category", sub.substr(0, sub.find('.'))}, {"sub_item", sub}};
}
inline Json NeedText(const std::string& t) {
  return Json{{"text", t}};
}
inline Json NeedPeople(int n) {
  return Json{{"count", n}};
}
inline std::vector<GroupWrite> NewNeed(const std::string& community = "C1",
                                       const std::string& text = "楼道灯坏了") {
  return {{"place", NeedPlace(community)},
          {"category", NeedCategory()},
          {"description", NeedText(text)},
          {"people", NeedPeople(1)}};
}
inline Json Vote(const std::string& ballot, const std::string& voter, const std::string& choice,
                 const std::string& community = "C1") {
  return Json{{"ballot", ballot}, {"community", community}, {"voter", voter}, {"choice", choice}};
}
inline Json Visit(const std::string& room, const std::string& outcome = "visited",
                  const std::string& community = "C1") {
  return Json{{"community", community},
              {"building", "3"},
              {"room", room},
              {"date", "2026-03-01"},
              {"outcome", outcome}};
}
inline Json Support(const std::string& need, int delta, const std::string& community = "C1") {
  return Json{{"need", need}, {"community", community}, {"delta", delta}};
}
inline Json SecretChoice(const std::string& ballot, const std::string& choice,
                         const std::string& community = "C1") {
  return Json{{"ballot", ballot}, {"community", community}, {"choice", choice}};
}

class NoSleep final : public Sleeper {
 public:
  explicit NoSleep(FakeClock* clock = nullptr) : clock_(clock) {}
  void SleepMs(int64_t ms) override {
    slept_ms += ms;
    if (clock_) clock_->Advance(ms);
  }
  int64_t slept_ms = 0;

 private:
  FakeClock* clock_;
};

struct DeviceNode {
  std::string path;
  Principal principal;
  std::unique_ptr<SkewedClock> clock;
  std::unique_ptr<SeededRng> rng;
  std::unique_ptr<Db> db;
  std::unique_ptr<DeviceStore> store;
  std::unique_ptr<LoopbackTransport> transport;
  DeviceOptions options;
};

// A server and devices. Tests reach into the parts they need.
class Rig {
 public:
  explicit Rig(uint64_t seed = 1, ServerOptions server_opt = {})
      : rng_(seed),
        server_places(false),
        device_places(true),
        server_options(std::move(server_opt)) {
    OpenServer();
  }

  void OpenServer() {
    server.reset();
    server_db.reset();
    DbOptions o;
    o.synchronous_full = false;
    auto db = Db::Open(dir.file("server.db"), o);
    REQUIRE(db.ok());
    server_db = std::move(*db);
    auto s = SyncServer::Open(*server_db, clock, rng_, server_places, nullptr, server_options);
    REQUIRE(s.ok());
    server = std::move(*s);
  }

  DeviceNode& AddDevice(const Principal& p, int64_t skew_ms = 0) {
    auto d = std::make_unique<DeviceNode>();
    d->path = dir.file("device-" + p.client_id + "-" + std::to_string(devices.size()) + ".db");
    d->principal = p;
    d->clock = std::make_unique<SkewedClock>(clock, skew_ms);
    d->rng = std::make_unique<SeededRng>(rng_.Next64());
    DeviceNode* raw = d.get();
    d->transport =
        std::make_unique<LoopbackTransport>([this, raw](std::string_view route, Json body) {
          return server->Handle(route, raw->principal, std::move(body));
        });
    devices.push_back(std::move(d));
    OpenDevice(*raw);
    REQUIRE(raw->store->SetClientId(p.client_id).ok());
    return *raw;
  }

  void OpenDevice(DeviceNode& d) {
    d.store.reset();
    d.db.reset();
    DbOptions o;
    o.synchronous_full = false;
    auto db = Db::Open(d.path, o);
    REQUIRE(db.ok());
    d.db = std::move(*db);
    auto s = DeviceStore::Open(*d.db, *d.clock, *d.rng, device_places, d.options);
    REQUIRE(s.ok());
    d.store = std::move(*s);
  }

  SyncSummary Sync(DeviceNode& d, SessionOptions opt = {}) {
    NoSleep sleeper(&clock);
    SyncSession session(*d.store, *d.transport, *d.rng, sleeper, opt);
    return session.Run();
  }

  // Copies a database file as of now (a backup).
  std::string Backup(Db& db, const std::string& name) {
    std::string path = dir.file(name);
    auto st = db.Prepare("VACUUM INTO ?1");
    REQUIRE(st.ok());
    st->Bind(1, path);
    REQUIRE(st->Run().ok());
    return path;
  }
  // Replaces the server's database with `backup` and gives it a new epoch, as
  // `shefu-server restore` would.
  void RestoreServer(const std::string& backup) {
    server.reset();
    server_db.reset();
    CopyOver(backup, dir.file("server.db"));
    OpenServer();
    REQUIRE(server->SetNewEpoch().ok());
  }
  void RestoreDevice(DeviceNode& d, const std::string& backup) {
    d.store.reset();
    d.db.reset();
    CopyOver(backup, d.path);
    OpenDevice(d);
  }
  static void CopyOver(const std::string& from, const std::string& to) {
    for (const char* suffix : {"-wal", "-shm"}) std::remove((to + suffix).c_str());
    shefu::test::WriteFile(to, shefu::test::ReadFile(from));
  }

  shefu::test::TempDir dir;
  FakeClock clock;

 private:
  SeededRng rng_;

 public:
  TestPlaces server_places;
  TestPlaces device_places;
  ServerOptions server_options;
  std::unique_ptr<Db> server_db;
  std::unique_ptr<SyncServer> server;
  std::vector<std::unique_ptr<DeviceNode>> devices;
};

// The value of `group` of a record as a device shows it (null when absent).
inline Json DeviceValue(DeviceNode& d, const std::string& entity, const std::string& id,
                        const std::string& group) {
  auto v = d.store->Read(entity, id);
  REQUIRE(v.ok());
  if (!*v) return Json();
  const GroupView* g = (*v)->Find(group);
  return g ? g->value : Json();
}
inline Json ServerValue(SyncServer& s, const std::string& entity, const std::string& id,
                        const std::string& group) {
  auto v = s.ReadRecord(entity, id);
  REQUIRE(v.ok());
  if (!*v) return Json();
  const GroupView* g = (*v)->Find(group);
  return g ? g->value : Json();
}
inline std::vector<Conflict> Conflicts(SyncServer& s, ConflictQuery q = {}) {
  q.limit = 100000;
  auto c = s.ListConflicts(q);
  REQUIRE(c.ok());
  return *c;
}

}  // namespace shefu::sync::test

namespace shefu::sync::test {

// A change as a device would send it, for requests built by hand.
inline Change MakeChange(int64_t seq, const std::string& entity, const std::string& id,
                         const std::string& group, Json value, Hlc hlc, int64_t base = 0) {
  Change c;
  c.seq = seq;
  c.entity = entity;
  c.id = id;
  c.group = group;
  c.value_text = CanonicalJson(value);
  c.value = std::move(value);
  c.hlc = hlc;
  c.base = base;
  return c;
}
inline Json RawUpload(const std::string& client, std::vector<Change> changes,
                      const std::string& epoch = "") {
  UploadRequest r;
  r.client_id = client;
  r.epoch = epoch;
  r.first_seq = changes.front().seq;
  r.last_seq = changes.back().seq;
  r.changes = std::move(changes);
  return Encode(r);
}
inline Result<std::vector<RecordView>> AllRecords(SyncServer& s, const std::string& entity) {
  SyncServer::RecordQuery q;
  q.entity = entity;
  q.include_deleted = true;
  q.limit = 1000000;
  return s.ListRecords(q);
}
inline std::vector<Conflict> ConflictsWithRule(SyncServer& s, Rule rule) {
  ConflictQuery q;
  q.rule = rule;
  return Conflicts(s, q);
}

}  // namespace shefu::sync::test
