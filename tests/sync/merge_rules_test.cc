// One test per row of docs/merge-rules.md, end to end: devices write through DeviceStore, sync
// through the real server handlers, and every replica is checked afterwards.
#include "sync/merge.h"
#include "tests/sync/sync_fixture.h"

using namespace shefu;
using namespace shefu::sync;
using namespace shefu::sync::test;

namespace {

// Two community workers of C1 who both have need `id` (created by a, synced everywhere).
struct TwoDevices {
  Rig rig;
  DeviceNode& a;
  DeviceNode& b;
  std::string id;
  explicit TwoDevices(int64_t b_skew_ms = 0, Principal pa = WorkerOf("dev-a"),
                      Principal pb = WorkerOf("dev-b"))
      : a(rig.AddDevice(pa)), b(rig.AddDevice(pb, b_skew_ms)) {
    auto created = a.store->Create("need", NewNeed());
    REQUIRE(created.ok());
    id = *created;
    REQUIRE(rig.Sync(a).final_state == SessionState::kDone);
    REQUIRE(rig.Sync(b).final_state == SessionState::kDone);
    rig.clock.Advance(1000);
  }
  void SyncAll() {
    for (int round = 0; round < 2; ++round) {
      REQUIRE(rig.Sync(a).final_state == SessionState::kDone);
      REQUIRE(rig.Sync(b).final_state == SessionState::kDone);
    }
  }
  Json People(DeviceNode& d) { return DeviceValue(d, "need", id, "people")["count"]; }
  Json ServerPeople() { return ServerValue(*rig.server, "need", id, "people")["count"]; }
  bool Deleted(DeviceNode& d) {
    auto v = d.store->Read("need", id);
    REQUIRE(v.ok());
    REQUIRE(*v);
    return (*v)->deleted;
  }
  bool ServerDeleted() {
    auto v = rig.server->ReadRecord("need", id);
    REQUIRE(v.ok());
    REQUIRE(*v);
    return (*v)->deleted;
  }
};

}  // namespace

TEST_CASE("R1: a sequential edit replaces the value and logs nothing") {
  TwoDevices t;
  REQUIRE(t.b.store->Write("need", t.id, "people", NeedPeople(5)).ok());
  REQUIRE(t.rig.Sync(t.b).final_state == SessionState::kDone);
  REQUIRE(t.rig.Sync(t.a).final_state == SessionState::kDone);  // a sees 5
  t.rig.clock.Advance(1000);
  REQUIRE(t.a.store->Write("need", t.id, "people", NeedPeople(6)).ok());
  t.SyncAll();
  CHECK(t.ServerPeople() == 6);
  CHECK(t.People(t.a) == 6);
  CHECK(t.People(t.b) == 6);
  CHECK(Conflicts(*t.rig.server).empty());
}

TEST_CASE("R2: concurrent edits — the higher stamp wins everywhere and the loser is logged") {
  TwoDevices t;
  REQUIRE(t.a.store->Write("need", t.id, "people", NeedPeople(2)).ok());
  t.rig.clock.Advance(1000);
  REQUIRE(t.b.store->Write("need", t.id, "people", NeedPeople(3)).ok());
  SyncSummary loser_summary;
  SECTION("the winner arrives last") {
    REQUIRE(t.rig.Sync(t.a).final_state == SessionState::kDone);
    REQUIRE(t.rig.Sync(t.b).final_state == SessionState::kDone);
  }
  SECTION("the winner arrives first") {
    REQUIRE(t.rig.Sync(t.b).final_state == SessionState::kDone);
    loser_summary = t.rig.Sync(t.a);
    CHECK(loser_summary.conflicts == 1);
  }
  t.SyncAll();
  CHECK(t.ServerPeople() == 3);
  CHECK(t.People(t.a) == 3);
  CHECK(t.People(t.b) == 3);
  auto log = ConflictsWithRule(*t.rig.server, Rule::kLwwConcurrent);
  REQUIRE(log.size() == 1);
  CHECK(log[0].group == "people");
  CHECK(log[0].loser.value == R"({"count":2})");
  CHECK(log[0].loser.node == "dev-a");
  REQUIRE(log[0].winner);
  CHECK(log[0].winner->node == "dev-b");
  // Devices see the conflict about their record.
  auto seen = t.a.store->Conflicts();
  REQUIRE(seen.ok());
  REQUIRE(seen->size() == 1);
  CHECK((*seen)[0].rule == Rule::kLwwConcurrent);
}

TEST_CASE("R3: concurrent edits with equal values log nothing") {
  TwoDevices t;
  REQUIRE(t.a.store->Write("need", t.id, "people", NeedPeople(4)).ok());
  t.rig.clock.Advance(1000);
  REQUIRE(t.b.store->Write("need", t.id, "people", NeedPeople(4)).ok());
  t.SyncAll();
  CHECK(t.ServerPeople() == 4);
  CHECK(Conflicts(*t.rig.server).empty());
}

TEST_CASE("R4: a device's own edits in sequence — the last stands and nothing is logged") {
  TwoDevices t;
  REQUIRE(t.a.store->Write("need", t.id, "people", NeedPeople(2)).ok());
  REQUIRE(t.a.store->Write("need", t.id, "people", NeedPeople(3)).ok());
  CHECK(t.People(t.a) == 3);
  t.SyncAll();
  CHECK(t.ServerPeople() == 3);
  CHECK(t.People(t.b) == 3);
  CHECK(Conflicts(*t.rig.server).empty());
}

TEST_CASE("R5: equal stamps — the node id decides and then the value") {
  Rig rig;
  DeviceNode& a = rig.AddDevice(WorkerOf("dev-a"));
  auto id = a.store->Create("need", NewNeed());
  REQUIRE(id.ok());
  REQUIRE(rig.Sync(a).final_state == SessionState::kDone);
  Hlc same = Hlc::Make(rig.clock.NowMs() + 10, 0);
  auto ra = rig.server->HandleUpload(
      WorkerOf("dev-z"),
      RawUpload("dev-z", {MakeChange(1, "need", *id, "people", NeedPeople(7), same)}));
  auto rb = rig.server->HandleUpload(
      WorkerOf("dev-m"),
      RawUpload("dev-m", {MakeChange(1, "need", *id, "people", NeedPeople(8), same)}));
  REQUIRE(ra.ok());
  REQUIRE(rb.ok());
  CHECK(ServerValue(*rig.server, "need", *id, "people")["count"] == 7);  // "dev-z" > "dev-m"
  // The pure order is total: same stamp and node fall back to the value bytes.
  Cell x{R"({"count":1})", same, "n", 1}, y{R"({"count":2})", same, "n", 2};
  CHECK(CompareLww(x, y) < 0);
  CHECK(CompareLww(y, x) > 0);
  CHECK(CompareLww(x, x) == 0);
}

TEST_CASE("R6: a stamp far in the future is capped — flagged and and cannot win by it") {
  TwoDevices t(/*b_skew_ms=*/0);
  // a's wall clock runs a day ahead.
  t.a.clock->set_offset(24LL * 3600 * 1000);
  REQUIRE(t.a.store->Write("need", t.id, "people", NeedPeople(2)).ok());
  SyncSummary s = t.rig.Sync(t.a);
  CHECK(s.flagged == 1);
  auto skew = ConflictsWithRule(*t.rig.server, Rule::kClockSkew);
  REQUIRE(skew.size() == 1);
  REQUIRE(skew[0].winner);
  CHECK(skew[0].loser.hlc > skew[0].winner->hlc);  // original kept, effective is the server's
  CHECK(skew[0].winner->hlc.ms() <= t.rig.clock.NowMs());
  // b, on time, edits a second later — after a's "future" write — and wins.
  REQUIRE(t.rig.Sync(t.b).final_state == SessionState::kDone);
  t.rig.clock.Advance(1000);
  REQUIRE(t.b.store->Write("need", t.id, "people", NeedPeople(3)).ok());
  t.SyncAll();
  CHECK(t.ServerPeople() == 3);
  CHECK(t.People(t.a) == 3);
  CHECK(ConflictsWithRule(*t.rig.server, Rule::kLwwConcurrent).empty());
}

TEST_CASE("R7: delete wins over a concurrent edit — the edit is kept in its field and logged") {
  TwoDevices t;
  SECTION("the edit lands on a deleted record") {
    REQUIRE(t.a.store->Delete("need", t.id).ok());
    REQUIRE(t.rig.Sync(t.a).final_state == SessionState::kDone);
    t.rig.clock.Advance(1000);
    REQUIRE(t.b.store->Write("need", t.id, "people", NeedPeople(9)).ok());
    SyncSummary s = t.rig.Sync(t.b);
    CHECK(s.conflicts == 1);
  }
  SECTION("the delete had not seen the edit") {
    REQUIRE(t.b.store->Write("need", t.id, "people", NeedPeople(9)).ok());
    REQUIRE(t.rig.Sync(t.b).final_state == SessionState::kDone);
    t.rig.clock.Advance(1000);
    REQUIRE(t.a.store->Delete("need", t.id).ok());
  }
  t.SyncAll();
  CHECK(t.ServerDeleted());
  CHECK(t.Deleted(t.a));
  CHECK(t.Deleted(t.b));
  CHECK(t.ServerPeople() == 9);  // applied to the field
  auto log = ConflictsWithRule(*t.rig.server, Rule::kEditVsDelete);
  REQUIRE(log.size() == 1);
  CHECK(log[0].group == "people");
  CHECK(log[0].loser.value == R"({"count":9})");
  CHECK(log[0].loser.node == "dev-b");
}

TEST_CASE("R8: delete × delete leaves one tombstone and logs nothing") {
  TwoDevices t;
  REQUIRE(t.a.store->Delete("need", t.id).ok());
  t.rig.clock.Advance(1000);
  REQUIRE(t.b.store->Delete("need", t.id).ok());
  t.SyncAll();
  CHECK(t.ServerDeleted());
  CHECK(t.Deleted(t.b));
  CHECK(Conflicts(*t.rig.server).empty());
}

TEST_CASE("R9: delete × restore is last-writer-wins on _deleted — the loser logged") {
  TwoDevices t;
  REQUIRE(t.a.store->Delete("need", t.id).ok());
  t.SyncAll();
  // b restores and deletes again; a only restores — concurrently.
  REQUIRE(t.b.store->Restore("need", t.id).ok());
  REQUIRE(t.b.store->Delete("need", t.id).ok());
  bool restore_later = false;
  SECTION("the restore is later") {
    restore_later = true;
    t.rig.clock.Advance(1000);
    REQUIRE(t.a.store->Restore("need", t.id).ok());
  }
  SECTION("the delete is later") {
    REQUIRE(t.a.store->Restore("need", t.id).ok());
    t.rig.clock.Advance(1000);
    REQUIRE(t.b.store->Restore("need", t.id).ok());
    REQUIRE(t.b.store->Delete("need", t.id).ok());
  }
  t.SyncAll();
  CHECK(t.ServerDeleted() == !restore_later);
  CHECK(t.Deleted(t.a) == !restore_later);
  CHECK(t.Deleted(t.b) == !restore_later);
  auto log = ConflictsWithRule(*t.rig.server, Rule::kLwwConcurrent);
  REQUIRE(log.size() == 1);
  CHECK(log[0].group == "_deleted");
  CHECK(log[0].loser.value == (restore_later ? "true" : "false"));
}

TEST_CASE("R10: a restore brings the record back with its latest values") {
  TwoDevices t;
  REQUIRE(t.a.store->Delete("need", t.id).ok());
  REQUIRE(t.rig.Sync(t.a).final_state == SessionState::kDone);
  t.rig.clock.Advance(1000);
  REQUIRE(t.b.store->Write("need", t.id, "people", NeedPeople(9)).ok());
  t.SyncAll();
  CHECK(t.Deleted(t.a));
  REQUIRE(t.a.store->Write("need", t.id, "people", NeedPeople(1)).code() == "record_deleted");
  REQUIRE(t.a.store->Restore("need", t.id).ok());
  t.SyncAll();
  CHECK_FALSE(t.ServerDeleted());
  CHECK_FALSE(t.Deleted(t.b));
  CHECK(t.People(t.b) == 9);
  CHECK(ConflictsWithRule(*t.rig.server, Rule::kLwwConcurrent).empty());
}

TEST_CASE("R11: create × create with one id merges per group — a different place is refused") {
  Rig rig;
  DeviceNode& a = rig.AddDevice(WorkerOf("dev-a"));
  DeviceNode& b = rig.AddDevice(WorkerOf("dev-b"));
  const std::string id = "0190aaaa-0000-7000-8000-000000000001";
  auto first = NewNeed("C1", "A 的描述");
  REQUIRE(a.store->CreateWithId("need", id, first).ok());
  rig.clock.Advance(1000);
  auto second = NewNeed("C1", "B 的描述");
  bool same_place = true;
  SECTION("same place") {}
  SECTION("another place") {
    same_place = false;
    second[0].value = NeedPlace("C1", "9");
  }
  REQUIRE(b.store->CreateWithId("need", id, second).ok());
  REQUIRE(rig.Sync(a).final_state == SessionState::kDone);
  SyncSummary sb = rig.Sync(b);
  REQUIRE(sb.final_state == SessionState::kDone);
  REQUIRE(rig.Sync(a).final_state == SessionState::kDone);
  CHECK(ServerValue(*rig.server, "need", id, "description")["text"] == "B 的描述");
  CHECK(DeviceValue(a, "need", id, "description")["text"] == "B 的描述");
  CHECK(ConflictsWithRule(*rig.server, Rule::kLwwConcurrent).size() == 1);  // description
  CHECK(ServerValue(*rig.server, "need", id, "place")["building"] == "3");
  CHECK(DeviceValue(b, "need", id, "place")["building"] == "3");
  if (same_place) {
    CHECK(ConflictsWithRule(*rig.server, Rule::kValidationReject).empty());
  } else {
    auto refused = ConflictsWithRule(*rig.server, Rule::kValidationReject);
    REQUIRE(refused.size() == 1);
    CHECK(refused[0].detail == "immutable_group");
    REQUIRE(sb.rejected.size() == 1);
    CHECK(sb.rejected[0].group == "place");
  }
}

TEST_CASE("R12: an immutable group cannot be edited — on the device or on the server") {
  TwoDevices t;
  Status st = t.a.store->Write("need", t.id, "place", NeedPlace("C1", "5"));
  CHECK(st.code() == "immutable_group");
  auto reply = t.rig.server->HandleUpload(
      WorkerOf("dev-x"),
      RawUpload("dev-x", {MakeChange(1, "need", t.id, "place", NeedPlace("C1", "5"),
                                     Hlc::Make(t.rig.clock.NowMs(), 0), 1)}));
  REQUIRE(reply.ok());
  auto up = DecodeUploadReply(reply.body);
  REQUIRE(up.ok());
  REQUIRE(up->results.size() == 1);
  CHECK(up->results[0].outcome == Outcome::kRefused);
  CHECK(up->results[0].detail == "immutable_group");
  CHECK(ServerValue(*t.rig.server, "need", t.id, "place")["building"] == "3");
}

TEST_CASE("R13: a deleted record cannot be edited on the device until restored") {
  TwoDevices t;
  REQUIRE(t.a.store->Delete("need", t.id).ok());
  CHECK(t.a.store->Write("need", t.id, "people", NeedPeople(2)).code() == "record_deleted");
  REQUIRE(t.a.store->Restore("need", t.id).ok());
  CHECK(t.a.store->Write("need", t.id, "people", NeedPeople(2)).ok());
}

TEST_CASE("R14: an append-only record replayed under its id changes nothing") {
  Rig rig;
  DeviceNode& a = rig.AddDevice(WorkerOf("dev-a"));
  DeviceNode& b = rig.AddDevice(WorkerOf("dev-b"));
  const std::string id = "0190aaaa-0000-7000-8000-0000000000v1";
  REQUIRE(a.store->CreateWithId("visit", id, {{"record", Visit("101")}}).ok());
  REQUIRE(b.store->CreateWithId("visit", id, {{"record", Visit("101")}}).ok());
  REQUIRE(rig.Sync(a).final_state == SessionState::kDone);
  REQUIRE(rig.Sync(b).final_state == SessionState::kDone);
  CHECK(Conflicts(*rig.server).empty());
  CHECK(a.store->Write("visit", id, "record", Visit("102")).code() == "record_exists");
  auto all = AllRecords(*rig.server, "visit");
  REQUIRE(all.ok());
  CHECK(all->size() == 1);
}

TEST_CASE("R15: two contents under one append-only id — the earliest stays and one is logged") {
  Rig rig;
  DeviceNode& a = rig.AddDevice(WorkerOf("dev-a"));
  DeviceNode& b = rig.AddDevice(WorkerOf("dev-b"), /*skew=*/-10000);  // b's clock 10 s behind
  const std::string id = "0190aaaa-0000-7000-8000-0000000000v2";
  REQUIRE(a.store->CreateWithId("visit", id, {{"record", Visit("101")}}).ok());
  REQUIRE(b.store->CreateWithId("visit", id, {{"record", Visit("102")}}).ok());  // earlier stamp
  SECTION("earliest arrives last") {
    REQUIRE(rig.Sync(a).final_state == SessionState::kDone);
    REQUIRE(rig.Sync(b).final_state == SessionState::kDone);
  }
  SECTION("earliest arrives first") {
    REQUIRE(rig.Sync(b).final_state == SessionState::kDone);
    CHECK(rig.Sync(a).conflicts == 1);
  }
  REQUIRE(rig.Sync(a).final_state == SessionState::kDone);
  CHECK(ServerValue(*rig.server, "visit", id, "record")["room"] == "102");
  CHECK(DeviceValue(a, "visit", id, "record")["room"] == "102");
  auto log = ConflictsWithRule(*rig.server, Rule::kAppendOnlyRewrite);
  REQUIRE(log.size() == 1);
  CHECK(log[0].loser.node == "dev-a");
}

TEST_CASE("R16: two votes of one voter — both kept and only the earliest counts") {
  Rig rig;
  DeviceNode& a = rig.AddDevice(KioskOf("kiosk-a"));
  DeviceNode& b = rig.AddDevice(KioskOf("kiosk-b"));
  auto va = a.store->Create("vote", {{"record", Vote("b1", "roll-7", "yes")}});
  REQUIRE(va.ok());
  rig.clock.Advance(1000);
  auto vb = b.store->Create("vote", {{"record", Vote("b1", "roll-7", "no")}});
  REQUIRE(vb.ok());
  SECTION("earliest arrives first") {
    REQUIRE(rig.Sync(a).final_state == SessionState::kDone);
    auto max_sseq = [&] {
      auto st = rig.server_db->Prepare("SELECT max(sseq) FROM sync_field");
      REQUIRE(st.ok());
      REQUIRE(*st->Step());
      return st->Int(0);
    };
    const int64_t before = max_sseq();
    CHECK(rig.Sync(b).conflicts == 1);
    // The late duplicate is stored not counted at once: two feed rows (the vote and its
    // conflict), not a counted row re-emitted as not counted a moment later.
    CHECK(max_sseq() - before == 2);
  }
  SECTION("earliest arrives last") {
    REQUIRE(rig.Sync(b).final_state == SessionState::kDone);
    REQUIRE(rig.Sync(a).final_state == SessionState::kDone);
  }
  REQUIRE(rig.Sync(a).final_state == SessionState::kDone);
  REQUIRE(rig.Sync(b).final_state == SessionState::kDone);
  auto counted = rig.server->CountedRecords("vote", "ballot", "b1");
  REQUIRE(counted.ok());
  REQUIRE(counted->size() == 1);
  CHECK((*counted)[0].id == *va);
  auto all = AllRecords(*rig.server, "vote");
  REQUIRE(all.ok());
  CHECK(all->size() == 2);
  for (DeviceNode* d : {&a, &b}) {
    auto rec = d->store->Read("vote", *vb);
    REQUIRE(rec.ok());
    REQUIRE(*rec);
    CHECK_FALSE((*rec)->counted);
    auto first = d->store->Read("vote", *va);
    REQUIRE(first.ok());
    CHECK((*first)->counted);
  }
  auto log = ConflictsWithRule(*rig.server, Rule::kDuplicateKey);
  REQUIRE(log.size() == 1);
  CHECK(log[0].record_id == *vb);
}

TEST_CASE("R17: votes of different voters all count") {
  Rig rig;
  DeviceNode& a = rig.AddDevice(KioskOf("kiosk-a"));
  for (const char* voter : {"roll-1", "roll-2", "roll-3"})
    REQUIRE(a.store->Create("vote", {{"record", Vote("b1", voter, "yes")}}).ok());
  REQUIRE(a.store->Create("vote", {{"record", Vote("b2", "roll-1", "no")}}).ok());
  REQUIRE(rig.Sync(a).final_state == SessionState::kDone);
  auto counted = rig.server->CountedRecords("vote", "ballot", "b1");
  REQUIRE(counted.ok());
  CHECK(counted->size() == 3);
  CHECK(Conflicts(*rig.server).empty());
}

TEST_CASE("R18: counter deltas from several devices add up — replays count once") {
  Rig rig;
  DeviceNode& a = rig.AddDevice(WorkerOf("dev-a"));
  DeviceNode& b = rig.AddDevice(WorkerOf("dev-b"));
  DeviceNode& c = rig.AddDevice(WorkerOf("dev-c"));
  SeededRng fault_rng(5);
  b.transport->set_faults({0, 0, /*duplicate=*/1.0, /*hold=*/1.0, 0}, &fault_rng);
  const std::string need = "0190aaaa-0000-7000-8000-00000000need";
  REQUIRE(a.store->Create("need_support", {{"record", Support(need, 1)}}).ok());
  REQUIRE(b.store->Create("need_support", {{"record", Support(need, 1)}}).ok());
  REQUIRE(b.store->Create("need_support", {{"record", Support(need, 1)}}).ok());
  REQUIRE(c.store->Create("need_support", {{"record", Support(need, -1)}}).ok());
  CHECK(*b.store->CounterSum("need_support", need) == 2);
  for (DeviceNode* d : {&a, &b, &c}) REQUIRE(rig.Sync(*d).final_state == SessionState::kDone);
  b.transport->DeliverHeld(100);  // late duplicates
  for (DeviceNode* d : {&a, &b, &c}) REQUIRE(rig.Sync(*d).final_state == SessionState::kDone);
  CHECK(*rig.server->CounterSum("need_support", need) == 2);
  CHECK(*a.store->CounterSum("need_support", need) == 2);
  CHECK(*c.store->CounterSum("need_support", need) == 2);
}

TEST_CASE("R19: a value the server's checks refuse is logged in full — the seq is consumed") {
  Rig rig;
  DeviceNode& a = rig.AddDevice(TownStaffOf("dev-a", "T2"));
  auto id = a.store->Create("need", NewNeed("C9"));  // the device knows C9, the server does not
  REQUIRE(id.ok());
  SyncSummary s = rig.Sync(a);
  CHECK(s.final_state == SessionState::kDone);
  REQUIRE(s.rejected.size() == 4);  // place refused; the other groups have no record
  CHECK(s.rejected[0].code == "validation_reject");
  CHECK(s.rejected[0].detail == "unknown_community");
  CHECK(s.rejected[1].detail == "record_not_found");
  auto log = ConflictsWithRule(*rig.server, Rule::kValidationReject);
  REQUIRE(log.size() == 4);
  CHECK(log[0].loser.value == CanonicalJson(NeedPlace("C9")));
  CHECK(*a.store->PendingCount() == 0);
  auto view = a.store->Read("need", *id);
  REQUIRE(view.ok());
  CHECK_FALSE(*view);  // the refused create no longer shows
  auto outbox = a.store->OutboxEntries();
  REQUIRE(outbox.ok());
  for (const auto& e : *outbox) CHECK(e.outcome == "refused");
  CHECK(*rig.server->ExpectedSeq("dev-a") == 5);
}

TEST_CASE("R20: a role that may not write the type is refused (permission_reject)") {
  Rig rig;
  DeviceNode& k = rig.AddDevice(KioskOf("kiosk-1"));
  REQUIRE(k.store->Create("need", NewNeed()).ok());
  SyncSummary s = rig.Sync(k);
  REQUIRE(s.rejected.size() == 4);
  CHECK(s.rejected[0].code == "permission_reject");
  CHECK(ConflictsWithRule(*rig.server, Rule::kPermissionReject).size() == 1);
}

TEST_CASE("R21: a record outside the writer's scope is refused (scope_reject)") {
  Rig rig;
  DeviceNode& a = rig.AddDevice(WorkerOf("dev-a", "C1"));
  REQUIRE(a.store->Create("need", NewNeed("C3")).ok());
  SyncSummary s = rig.Sync(a);
  REQUIRE_FALSE(s.rejected.empty());
  CHECK(s.rejected[0].code == "scope_reject");
  // An edit of a record of another community, sent by hand.
  auto other = rig.server->CreateRecord(TownStaffOf("", "T1"), "need",
                                        {{"place", NeedPlace("C2")},
                                         {"category", NeedCategory()},
                                         {"description", NeedText("x")},
                                         {"people", NeedPeople(1)}});
  REQUIRE(other.ok());
  auto reply = rig.server->HandleUpload(
      a.principal, RawUpload("dev-a", {MakeChange(5, "need", *other, "people", NeedPeople(3),
                                                  Hlc::Make(rig.clock.NowMs(), 0), 0)}));
  REQUIRE(reply.ok());
  auto up = DecodeUploadReply(reply.body);
  REQUIRE(up.ok());
  REQUIRE(up->results.size() == 1);
  CHECK(up->results[0].code == "scope_reject");
  CHECK(ServerValue(*rig.server, "need", *other, "people")["count"] == 1);
}

TEST_CASE("R22: a refused edit is compensated — the device shows the authoritative value again") {
  Rig rig;
  DeviceNode& staff = rig.AddDevice(WorkerOf("dev-w"));
  DeviceNode& kiosk = rig.AddDevice(KioskOf("kiosk-1"));
  auto id = staff.store->Create("need", NewNeed("C1", "原始描述"));
  REQUIRE(id.ok());
  REQUIRE(rig.Sync(staff).final_state == SessionState::kDone);
  REQUIRE(rig.Sync(kiosk).final_state == SessionState::kDone);
  auto before = rig.server->ReadRecord("need", *id);
  REQUIRE(kiosk.store->Write("need", *id, "description", NeedText("乱改")).ok());
  CHECK(DeviceValue(kiosk, "need", *id, "description")["text"] == "乱改");
  SyncSummary s = rig.Sync(kiosk);
  REQUIRE(s.rejected.size() == 1);
  CHECK(s.rejected[0].code == "permission_reject");
  CHECK(s.downloaded >= 1);  // the re-emitted authoritative row (and the conflict row)
  CHECK(DeviceValue(kiosk, "need", *id, "description")["text"] == "原始描述");
  auto after = rig.server->ReadRecord("need", *id);
  CHECK((*after)->Find("description")->version == (*before)->Find("description")->version);
}

TEST_CASE("R23: edits of a record whose create was refused are refused as record_not_found") {
  Rig rig;
  DeviceNode& a = rig.AddDevice(TownStaffOf("dev-a", "T2"));
  auto id = a.store->Create("need", NewNeed("C9"));
  REQUIRE(id.ok());
  REQUIRE(a.store->Write("need", *id, "people", NeedPeople(4)).ok());
  SyncSummary s = rig.Sync(a);
  REQUIRE(s.rejected.size() == 5);
  CHECK(s.rejected.back().group == "people");
  CHECK(s.rejected.back().detail == "record_not_found");
}

TEST_CASE("R24: anonymous batches are stored once — without device and seq or time") {
  Rig rig;
  DeviceNode& k = rig.AddDevice(KioskOf("kiosk-1"));
  SeededRng fault_rng(3);
  k.transport->set_faults({0, /*drop_reply=*/0.5, /*duplicate=*/0.5, 0, 0}, &fault_rng);
  for (const char* c : {"yes", "no", "yes"})
    REQUIRE(k.store->AnonAdd("ballot-b1", "secret_choice", SecretChoice("b1", c)).ok());
  CHECK(k.store->AnonAdd("ballot-b1", "vote", Vote("b1", "v", "yes")).code() == "wrong_stream");
  CHECK(k.store->Create("secret_choice", {{"record", SecretChoice("b1", "yes")}}).status().code() ==
        "wrong_stream");
  REQUIRE(*k.store->AnonClose("ballot-b1") == 3);
  // An item the server refuses: a community it does not know.
  REQUIRE(k.store->AnonAdd("ballot-b2", "secret_choice", SecretChoice("b2", "yes", "C9")).ok());
  REQUIRE(*k.store->AnonClose("ballot-b2") == 1);
  SyncSummary s = rig.Sync(k);
  CHECK(s.final_state == SessionState::kDone);
  for (int i = 0; i < 3; ++i) REQUIRE(rig.Sync(k).final_state == SessionState::kDone);
  auto items = rig.server->AnonymousItems("secret_choice", "ballot", "b1");
  REQUIRE(items.ok());
  CHECK(items->size() == 3);
  auto refused = ConflictsWithRule(*rig.server, Rule::kValidationReject);
  REQUIRE(refused.size() == 1);
  CHECK(refused[0].loser.node == "anonymous");
  CHECK(refused[0].loser.seq == 0);
  CHECK(refused[0].detected_ms % 86400000 == 0);
  // Nothing in the anonymous tables can name a device.
  auto cols =
      rig.server_db->Prepare("SELECT group_concat(name) FROM pragma_table_info('sync_anon_item')");
  REQUIRE(cols.ok());
  REQUIRE(*cols->Step());
  CHECK(cols->Str(0) == "id,entity,value,day,district,town,community");
}

TEST_CASE("R25: resolving a conflict is an ordinary write that reaches every device") {
  TwoDevices t;
  REQUIRE(t.a.store->Write("need", t.id, "people", NeedPeople(2)).ok());
  t.rig.clock.Advance(1000);
  REQUIRE(t.b.store->Write("need", t.id, "people", NeedPeople(3)).ok());
  t.SyncAll();
  auto log = ConflictsWithRule(*t.rig.server, Rule::kLwwConcurrent);
  REQUIRE(log.size() == 1);
  Principal reviewer = TownStaffOf("", "T1");
  reviewer.user_id = 42;
  SECTION("accept") {
    REQUIRE(
        t.rig.server->Resolve(reviewer, log[0].id, {SyncServer::ResolutionKind::kAccept, {}}).ok());
    auto c = t.rig.server->GetConflict(log[0].id);
    CHECK((*c)->status == ConflictStatus::kAccepted);
    CHECK((*c)->resolver == "42");
    CHECK(t.ServerPeople() == 3);
  }
  SECTION("take the losing value") {
    REQUIRE(t.rig.server->Resolve(reviewer, log[0].id, {SyncServer::ResolutionKind::kTakeLoser, {}})
                .ok());
    auto c = t.rig.server->GetConflict(log[0].id);
    CHECK((*c)->status == ConflictStatus::kOverridden);
    CHECK((*c)->resolution_sseq.has_value());
    t.SyncAll();
    CHECK(t.ServerPeople() == 2);
    CHECK(t.People(t.a) == 2);
    CHECK(t.People(t.b) == 2);
    auto open = t.a.store->Conflicts(/*open_only=*/true);
    CHECK(open->empty());
  }
  SECTION("enter a value") {
    REQUIRE(
        t.rig.server
            ->Resolve(reviewer, log[0].id, {SyncServer::ResolutionKind::kEnterValue, NeedPeople(5)})
            .ok());
    t.SyncAll();
    CHECK(t.People(t.b) == 5);
  }
  CHECK(t.rig.server->Resolve(reviewer, log[0].id, {}).code() == "conflict_closed");
}

TEST_CASE("R25: append-like conflicts can be accepted but not overridden") {
  Rig rig;
  DeviceNode& a = rig.AddDevice(KioskOf("kiosk-a"));
  REQUIRE(a.store->Create("vote", {{"record", Vote("b1", "roll-7", "yes")}}).ok());
  REQUIRE(a.store->Create("vote", {{"record", Vote("b1", "roll-7", "no")}}).ok());
  REQUIRE(rig.Sync(a).final_state == SessionState::kDone);
  auto log = ConflictsWithRule(*rig.server, Rule::kDuplicateKey);
  REQUIRE(log.size() == 1);
  CHECK(
      rig.server->Resolve(TownStaffOf(""), log[0].id, {SyncServer::ResolutionKind::kTakeLoser, {}})
          .code() == "not_overridable");
  CHECK(rig.server->Resolve(TownStaffOf(""), log[0].id, {}).ok());
}
