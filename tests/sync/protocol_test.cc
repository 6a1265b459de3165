// One test per error of docs/protocol.md §5 and per recovery of §6, through the real handlers
// and the real device session.
#include <set>

#include "sync/cursor.h"
#include "tests/sync/sync_fixture.h"

using namespace shefu;
using namespace shefu::sync;
using namespace shefu::sync::test;

namespace {

int64_t FeedRows(Db& db) {
  auto n = db.QueryInt("SELECT count(*) FROM sync_field");
  return n.ok() && *n ? **n : -1;
}

std::string ErrorCode(const Reply& r) {
  auto e = DecodeErrorReply(r.body);
  return e.ok() && *e ? (*e)->code : "";
}

// The latest value a device has had acknowledged for each group is on the server.
void CheckAckedOnServer(DeviceNode& d, SyncServer& server) {
  auto rows = d.store->OutboxEntries(100000);  // newest first
  REQUIRE(rows.ok());
  std::set<std::string> done;
  for (const auto& e : *rows) {
    if (e.pending() || e.outcome == "refused") continue;
    if (!done.insert(e.entity + "/" + e.id + "/" + e.group).second) continue;
    INFO(e.entity << " " << e.id << " " << e.group << " " << e.value);
    auto rec = server.ReadRecord(e.entity, e.id);
    REQUIRE(rec.ok());
    REQUIRE(*rec);
    const GroupView* g = (*rec)->Find(e.group);
    REQUIRE(g);
    // The value is there, or a later write (by stamp) replaced it.
    CHECK((CanonicalJson(g->value) == e.value || g->hlc > e.hlc));
  }
}

}  // namespace

TEST_CASE("bad_request: a malformed upload stores nothing and the session stops") {
  Rig rig;
  DeviceNode& a = rig.AddDevice(WorkerOf("dev-a"));
  Json bad =
      RawUpload("dev-a", {MakeChange(1, "need", "x", "place", NeedPlace(), Hlc::Make(1, 0))});
  bad["changes"][0]["hlc"] = "nope";
  Reply r = rig.server->HandleUpload(a.principal, bad);
  CHECK(r.http_status == 400);
  CHECK(ErrorCode(r) == "bad_request");
  CHECK(FeedRows(*rig.server_db) == 0);
  CHECK(*rig.server->ExpectedSeq("dev-a") == 1);
  CHECK(rig.server->Handle("sync/nothing", a.principal, Json::object()).http_status == 400);
  // A device that receives a 400 does not retry it.
  LoopbackTransport broken([](std::string_view, Json) {
    return Reply{400, Encode(ToErrorReply(ProtocolError(kBadRequest)))};
  });
  REQUIRE(a.store->Create("need", NewNeed()).ok());
  NoSleep sleep;
  SyncSession s(*a.store, broken, *a.rng, sleep);
  SyncSummary sum = s.Run();
  CHECK(sum.final_state == SessionState::kFailed);
  CHECK(sum.error.code() == "bad_request");
  CHECK(sleep.slept_ms == 0);
  CHECK(*a.store->PendingCount() == 4);
}

TEST_CASE("protocol_unsupported: N and N-1 pass and other versions ask for an upgrade") {
  ServerOptions opt;
  opt.versions = VersionPolicy{2, 2};
  Rig rig(1, opt);
  DeviceNode& old_device = rig.AddDevice(WorkerOf("dev-old"));  // speaks 1/1 = N-1
  REQUIRE(old_device.store->Create("need", NewNeed()).ok());
  CHECK(rig.Sync(old_device).final_state == SessionState::kDone);
  DeviceNode& future = rig.AddDevice(WorkerOf("dev-new"));
  REQUIRE(future.store->Create("need", NewNeed()).ok());
  SessionOptions so;
  so.versions = VersionPolicy{3, 3};
  SyncSummary s = rig.Sync(future, so);
  CHECK(s.final_state == SessionState::kUpgradeRequired);
  CHECK(s.error.code() == "protocol_unsupported");
  Reply r = rig.server->HandleDownload(
      future.principal, Json{{"protocol", 0}, {"schema", 2}, {"cursor", ""}, {"limit", 5}});
  CHECK(r.http_status == 426);
  CHECK(ErrorCode(r) == "protocol_unsupported");
}

TEST_CASE("unauthenticated: the device stops and keeps everything") {
  Rig rig;
  DeviceNode& a = rig.AddDevice(WorkerOf("dev-a"));
  REQUIRE(a.store->Create("need", NewNeed()).ok());
  LoopbackTransport gate([](std::string_view, Json) {
    return Reply{401, Encode(ToErrorReply(ProtocolError(kUnauthenticated)))};
  });
  NoSleep sleep;
  SyncSession s(*a.store, gate, *a.rng, sleep);
  SyncSummary sum = s.Run();
  CHECK(sum.final_state == SessionState::kFailed);
  CHECK(sum.error.code() == "unauthenticated");
  CHECK(*a.store->PendingCount() == 4);
}

TEST_CASE("client_mismatch: a device cannot upload under another client id") {
  Rig rig;
  DeviceNode& a = rig.AddDevice(WorkerOf("dev-a"));
  REQUIRE(a.store->Create("need", NewNeed()).ok());
  a.principal.client_id = "dev-b";  // the token belongs to another device
  SyncSummary s = rig.Sync(a);
  CHECK(s.final_state == SessionState::kFailed);
  CHECK(s.error.code() == "client_mismatch");
  CHECK(FeedRows(*rig.server_db) == 0);
  Principal server_name = WorkerOf("server");
  Reply r = rig.server->HandleUpload(
      server_name,
      RawUpload("server", {MakeChange(1, "need", "x", "place", NeedPlace(), Hlc::Make(1, 0))}));
  CHECK(ErrorCode(r) == "client_mismatch");  // the server's own node name is reserved
}

TEST_CASE("batch_too_large: more than 1000 changes is refused with 413") {
  Rig rig;
  std::vector<Change> changes;
  for (int i = 1; i <= 1001; ++i)
    changes.push_back(
        MakeChange(i, "visit", "v" + std::to_string(i), "record", Visit("1"), Hlc::Make(1, 0)));
  Reply r = rig.server->HandleUpload(WorkerOf("dev-a"), RawUpload("dev-a", changes));
  CHECK(r.http_status == 413);
  CHECK(ErrorCode(r) == "batch_too_large");
  CHECK(FeedRows(*rig.server_db) == 0);
}

TEST_CASE("expected_seq: after a gap the device resends from its retained outbox") {
  Rig rig;
  DeviceNode& a = rig.AddDevice(WorkerOf("dev-a"));
  std::string empty = rig.Backup(*rig.server_db, "empty.db");
  auto id = a.store->Create("need", NewNeed());
  REQUIRE(id.ok());
  REQUIRE(rig.Sync(a).final_state == SessionState::kDone);
  // The server loses its progress without a new epoch (restored by hand, skipping SetNewEpoch).
  rig.server.reset();
  rig.server_db.reset();
  Rig::CopyOver(empty, rig.dir.file("server.db"));
  rig.OpenServer();
  REQUIRE(a.store->Write("need", *id, "people", NeedPeople(8)).ok());
  Reply gap = rig.server->HandleUpload(
      a.principal, RawUpload("dev-a", {MakeChange(5, "need", *id, "people", NeedPeople(8),
                                                  Hlc::Make(rig.clock.NowMs(), 0))}));
  CHECK(gap.http_status == 409);
  CHECK(ErrorCode(gap) == "expected_seq");
  CHECK((*DecodeErrorReply(gap.body))->expected_seq == 1);
  SyncSummary s = rig.Sync(a);
  CHECK(s.final_state == SessionState::kDone);
  CHECK(s.uploaded == 5);
  CHECK(ServerValue(*rig.server, "need", *id, "people")["count"] == 8);
  CheckAckedOnServer(a, *rig.server);
}

TEST_CASE(
    "seq_reuse: a device restored from an old backup re-enrols and nothing acknowledged is lost") {
  Rig rig;
  DeviceNode& a = rig.AddDevice(WorkerOf("dev-a"));
  auto id = a.store->Create("need", NewNeed());
  REQUIRE(id.ok());
  REQUIRE(rig.Sync(a).final_state == SessionState::kDone);
  std::string backup = rig.Backup(*a.db, "device-old.db");
  REQUIRE(a.store->Write("need", *id, "people", NeedPeople(2)).ok());
  auto visit = a.store->Create("visit", {{"record", Visit("301")}});
  REQUIRE(visit.ok());
  REQUIRE(rig.Sync(a).final_state == SessionState::kDone);  // seqs 5, 6 acknowledged
  rig.RestoreDevice(a, backup);
  CHECK(a.store->next_seq() == 5);
  REQUIRE(a.store->Write("need", *id, "description", NeedText("restored device writes")).ok());
  SyncSummary s = rig.Sync(a);
  CHECK(s.final_state == SessionState::kNeedsReenrolment);
  CHECK(s.error.code() == "seq_reuse");
  CHECK(a.store->health() == DeviceHealth::kNeedsReenrolment);
  CHECK(a.store->Write("need", *id, "urgency", Json{{"level", "high"}}).ok());  // writes still work
  // The client layer enrols the device again.
  REQUIRE(a.store->Reenrol("dev-a2").ok());
  a.principal.client_id = "dev-a2";
  CHECK(a.store->next_seq() == 3);
  SyncSummary again = rig.Sync(a);
  CHECK(again.final_state == SessionState::kDone);
  CHECK(ServerValue(*rig.server, "need", *id, "people")["count"] == 2);  // acknowledged before
  CHECK(ServerValue(*rig.server, "visit", *visit, "record")["room"] == "301");
  CHECK(ServerValue(*rig.server, "need", *id, "description")["text"] == "restored device writes");
  CHECK(ServerValue(*rig.server, "need", *id, "urgency")["level"] == "high");
  CHECK(DeviceValue(a, "visit", *visit, "record")["room"] == "301");  // back on the device too
}

TEST_CASE(
    "reset_required: a server restored from an old backup gets back everything acknowledged") {
  Rig rig;
  DeviceNode& a = rig.AddDevice(WorkerOf("dev-a"));
  DeviceNode& b = rig.AddDevice(WorkerOf("dev-b"));
  auto id = a.store->Create("need", NewNeed());
  REQUIRE(id.ok());
  REQUIRE(rig.Sync(a).final_state == SessionState::kDone);
  REQUIRE(rig.Sync(b).final_state == SessionState::kDone);
  std::string backup = rig.Backup(*rig.server_db, "server-old.db");
  REQUIRE(a.store->Write("need", *id, "people", NeedPeople(6)).ok());
  REQUIRE(a.store->Create("need_support", {{"record", Support(*id, 1)}}).ok());
  REQUIRE(b.store->Write("need", *id, "description", NeedText("b 的修改")).ok());
  REQUIRE(b.store->AnonAdd("s1", "secret_choice", SecretChoice("b9", "yes")).ok());
  REQUIRE(*b.store->AnonClose("s1") == 1);
  REQUIRE(rig.Sync(a).final_state == SessionState::kDone);
  REQUIRE(rig.Sync(b).final_state == SessionState::kDone);
  std::string old_epoch = *rig.server->Epoch();
  rig.RestoreServer(backup);
  CHECK(*rig.server->Epoch() != old_epoch);
  CHECK(ServerValue(*rig.server, "need", *id, "people")["count"] == 1);  // lost by the restore
  // A download with the old cursor is told to reset, with the seq to resend from.
  Reply r = rig.server->HandleDownload(a.principal, Encode(a.store->NextDownload(10)));
  CHECK(ErrorCode(r) == "reset_required");
  CHECK((*DecodeErrorReply(r.body))->expected_seq == 5);
  // b has a pending edit during the reset: it is kept.
  REQUIRE(b.store->Write("need", *id, "urgency", Json{{"level", "urgent"}}).ok());
  SyncSummary sa = rig.Sync(a);
  CHECK(sa.final_state == SessionState::kDone);
  CHECK(sa.resets == 1);
  SyncSummary sb = rig.Sync(b);
  CHECK(sb.final_state == SessionState::kDone);
  REQUIRE(rig.Sync(a).final_state == SessionState::kDone);
  CHECK(ServerValue(*rig.server, "need", *id, "people")["count"] == 6);
  CHECK(ServerValue(*rig.server, "need", *id, "description")["text"] == "b 的修改");
  CHECK(ServerValue(*rig.server, "need", *id, "urgency")["level"] == "urgent");
  CHECK(*rig.server->CounterSum("need_support", *id) == 1);
  CHECK(rig.server->AnonymousItems("secret_choice", "ballot", "b9")->size() == 1);
  CHECK(DeviceValue(a, "need", *id, "description")["text"] == "b 的修改");
  CheckAckedOnServer(a, *rig.server);
  CheckAckedOnServer(b, *rig.server);
}

TEST_CASE("reset_required: a device whose scope changed re-bootstraps its replica") {
  Rig rig;
  DeviceNode& staff = rig.AddDevice(TownStaffOf("dev-t", "T1"));
  auto in_c1 = staff.store->Create("need", NewNeed("C1"));
  auto in_c2 = staff.store->Create("need", NewNeed("C2"));
  REQUIRE(rig.Sync(staff).final_state == SessionState::kDone);
  DeviceNode& w = rig.AddDevice(WorkerOf("dev-w", "C1"));
  REQUIRE(rig.Sync(w).final_state == SessionState::kDone);
  CHECK(DeviceValue(w, "need", *in_c1, "place")["community"] == "C1");
  CHECK(DeviceValue(w, "need", *in_c2, "place").is_null());
  w.principal = WorkerOf("dev-w", "C2");  // the worker moved to C2
  SyncSummary s = rig.Sync(w);
  CHECK(s.final_state == SessionState::kDone);
  CHECK(s.resets == 1);
  CHECK(DeviceValue(w, "need", *in_c1, "place").is_null());
  CHECK(DeviceValue(w, "need", *in_c2, "place")["community"] == "C2");
}

TEST_CASE(
    "server_busy and internal: a crash before commit stores nothing and the retry applies once") {
  int crashes = 0;
  ServerOptions opt;
  opt.fault = [&crashes](std::string_view point) {
    return point == "upload:before_commit" && crashes++ < 2;
  };
  Rig rig(1, opt);
  DeviceNode& a = rig.AddDevice(WorkerOf("dev-a"));
  auto need = "0190aaaa-0000-7000-8000-00000000need";
  REQUIRE(a.store->Create("need_support", {{"record", Support(need, 1)}}).ok());
  REQUIRE(a.store->Create("need", NewNeed()).ok());
  NoSleep sleep(&rig.clock);
  SyncSession session(*a.store, *a.transport, *a.rng, sleep);
  SyncSummary s = session.Run();
  CHECK(s.final_state == SessionState::kDone);
  CHECK(crashes == 3);
  CHECK(sleep.slept_ms > 0);  // it backed off
  CHECK(*rig.server->CounterSum("need_support", need) == 1);
  CHECK(Conflicts(*rig.server).empty());
  // Storage trouble maps to the retryable catalogue codes.
  LoopbackTransport busy([](std::string_view, Json) {
    return Reply{503, Encode(ToErrorReply(ProtocolError(kServerBusy)))};
  });
  REQUIRE(a.store->Create("need_support", {{"record", Support(need, 1)}}).ok());
  NoSleep sleep2;
  SessionOptions so;
  so.max_attempts = 4;
  SyncSession again(*a.store, busy, *a.rng, sleep2, so);
  SyncSummary s2 = again.Run();
  CHECK(s2.final_state == SessionState::kFailed);
  CHECK(*a.store->PendingCount() == 1);
}

TEST_CASE("Transport failures: dropped requests and replies are retried — nothing is doubled") {
  Rig rig(7);
  DeviceNode& a = rig.AddDevice(WorkerOf("dev-a"));
  SeededRng faults(11);
  a.transport->set_faults({0.3, 0.3, 0.2, 0.2, 0.1}, &faults);
  auto need = "0190aaaa-0000-7000-8000-00000000need";
  for (int i = 0; i < 30; ++i) {
    REQUIRE(a.store->Create("need_support", {{"record", Support(need, 1)}}).ok());
    REQUIRE(
        a.store->Create("vote", {{"record", Vote("b1", "roll-" + std::to_string(i), "yes")}}).ok());
  }
  SessionOptions so;
  so.max_attempts = 100;
  so.upload_batch = 7;
  so.page_limit = 9;
  SyncSummary s = rig.Sync(a, so);
  CHECK(s.final_state == SessionState::kDone);
  a.transport->DeliverHeld(1000);
  CHECK(*rig.server->CounterSum("need_support", need) == 30);
  CHECK(rig.server->CountedRecords("vote", "ballot", "b1")->size() == 30);
  CHECK(*a.store->CounterSum("need_support", need) == 30);
}

TEST_CASE(
    "Retries: a duplicate batch gets the stored answer and an overlap applies only what is new") {
  Rig rig;
  Principal p = KioskOf("kiosk-1");
  Hlc t = Hlc::Make(rig.clock.NowMs(), 0);
  auto c1 = MakeChange(1, "vote", "v1", "record", Vote("b1", "roll-1", "yes"), t);
  auto c2 = MakeChange(2, "vote", "v2", "record", Vote("b1", "roll-1", "no"), Hlc::Make(t.ms(), 1));
  auto c3 = MakeChange(3, "vote", "v3", "record", Vote("b1", "roll-2", "no"), Hlc::Make(t.ms(), 2));
  Reply first = rig.server->HandleUpload(p, RawUpload("kiosk-1", {c1, c2}));
  REQUIRE(first.ok());
  auto max_before = rig.server_db->QueryInt("SELECT max(sseq) FROM sync_field");
  Reply again = rig.server->HandleUpload(p, RawUpload("kiosk-1", {c1, c2}));
  REQUIRE(again.ok());
  CHECK((*DecodeUploadReply(again.body)).results.size() == 1);  // the duplicate_key, from storage
  CHECK(*rig.server_db->QueryInt("SELECT max(sseq) FROM sync_field") == *max_before);
  Reply overlap = rig.server->HandleUpload(p, RawUpload("kiosk-1", {c2, c3}));
  REQUIRE(overlap.ok());
  auto up = DecodeUploadReply(overlap.body);
  CHECK(up->acked_seq == 3);
  REQUIRE(up->results.size() == 1);
  CHECK(up->results[0].seq == 2);
  CHECK(AllRecords(*rig.server, "vote")->size() == 3);
  CHECK(ConflictsWithRule(*rig.server, Rule::kDuplicateKey).size() == 1);
  // The same seqs with other content: seq_reuse, nothing applied.
  auto other =
      MakeChange(2, "vote", "v9", "record", Vote("b1", "roll-9", "no"), Hlc::Make(t.ms(), 9));
  Reply reuse = rig.server->HandleUpload(p, RawUpload("kiosk-1", {other}));
  CHECK(reuse.http_status == 409);
  CHECK(ErrorCode(reuse) == "seq_reuse");
  CHECK(AllRecords(*rig.server, "vote")->size() == 3);
}

TEST_CASE(
    "outbox_pruned: rows past the retention period cannot be resent — the device must re-enrol") {
  Rig rig;
  DeviceNode& a = rig.AddDevice(WorkerOf("dev-a"));
  a.options.retention_ms = 3600 * 1000;
  rig.OpenDevice(a);
  std::string empty = rig.Backup(*rig.server_db, "empty.db");
  REQUIRE(a.store->Create("need", NewNeed()).ok());
  REQUIRE(rig.Sync(a).final_state == SessionState::kDone);
  rig.clock.Advance(2 * 3600 * 1000);
  REQUIRE(a.store->Prune().ok());
  CHECK(a.store->OutboxEntries()->empty());
  rig.RestoreServer(empty);
  REQUIRE(a.store->Create("visit", {{"record", Visit("1")}}).ok());
  SyncSummary s = rig.Sync(a);
  CHECK(s.final_state == SessionState::kNeedsReenrolment);
  CHECK(s.error.code() == "outbox_pruned");
  REQUIRE(a.store->Reenrol("dev-a2").ok());
  a.principal.client_id = "dev-a2";
  CHECK(rig.Sync(a).final_state == SessionState::kDone);
  CHECK(AllRecords(*rig.server, "visit")->size() == 1);
}

TEST_CASE("Docs: docs/protocol.md names every error and docs/merge-rules.md every rule") {
  std::string protocol = shefu::test::ReadFile(shefu::test::SourcePath("docs/protocol.md"));
  std::string rules = shefu::test::ReadFile(shefu::test::SourcePath("docs/merge-rules.md"));
  size_t n = 0;
  const ErrorSpec* all = ErrorCatalogue(&n);
  for (size_t i = 0; i < n; ++i) {
    INFO(all[i].code);
    std::string row = "| `" + std::string(all[i].code) + "` | " +
                      std::to_string(all[i].http_status) + " | " + ActionCode(all[i].action) + " |";
    CHECK(protocol.find(row) != std::string::npos);
  }
  for (Rule r : kAllRules) {
    INFO(RuleCode(r));
    CHECK(protocol.find(std::string("`") + RuleCode(r) + "`") != std::string::npos);
    CHECK(rules.find(RuleCode(r)) != std::string::npos);
  }
  // Every row R1..R25 of the merge rules has a test named after it.
  std::string tests =
      shefu::test::ReadFile(shefu::test::SourcePath("tests/sync/merge_rules_test.cc"));
  for (int i = 1; i <= 25; ++i) {
    std::string id = "R" + std::to_string(i);
    INFO(id);
    CHECK(rules.find("| " + id + " |") != std::string::npos);
    CHECK(tests.find("TEST_CASE(\"" + id + ":") != std::string::npos);
  }
}
