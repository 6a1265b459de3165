// The device store: writes and their outbox rows are atomic, reads overlay unconfirmed writes on
// the confirmed replica, pages commit with their cursor, identity and retention.
#include <set>

#include "tests/sync/sync_fixture.h"

using namespace shefu;
using namespace shefu::sync;
using namespace shefu::sync::test;

namespace {

// One exchange by hand, for tests that need a half sync.
template <typename Req>
Json Post(DeviceNode& d, std::string_view route, const Req& req) {
  auto r = d.transport->Post(route, Encode(req));
  REQUIRE(r.ok());
  REQUIRE(r->http_status == 200);
  return r->body;
}
void UploadOnly(DeviceNode& d) {
  auto batch = d.store->NextUploadBatch(1000);
  REQUIRE(batch.ok());
  REQUIRE(*batch);
  auto reply = DecodeUploadReply(Post(d, kRouteUpload, **batch));
  REQUIRE(reply.ok());
  REQUIRE(d.store->ApplyUploadReply(*reply).ok());
}
void DownloadOnly(DeviceNode& d) {
  for (;;) {
    auto page = DecodeDownloadReply(Post(d, kRouteDownload, d.store->NextDownload(100)));
    REQUIRE(page.ok());
    REQUIRE(d.store->ApplyDownloadPage(*page).ok());
    if (!page->has_more) break;
  }
}
int64_t ReplicaRows(DeviceNode& d) {
  return **d.db->QueryInt("SELECT count(*) FROM sync_replica");
}

}  // namespace

TEST_CASE("Device: a write and its outbox rows commit together — a crash leaves neither") {
  Rig rig;
  DeviceNode& a = rig.AddDevice(WorkerOf("dev-a"));
  bool crash = true;
  a.options.fault = [&crash](std::string_view point) {
    return point == "write:before_commit" && crash;
  };
  rig.OpenDevice(a);
  auto id = a.store->Create("need", NewNeed());
  CHECK(id.status().code() == "crashed");
  CHECK(a.store->OutboxEntries()->empty());
  CHECK(a.store->List("need")->empty());
  CHECK(a.store->next_seq() == 1);
  crash = false;
  rig.OpenDevice(a);  // the process comes back
  REQUIRE(a.store->Create("need", NewNeed()).ok());
  CHECK(a.store->OutboxEntries()->size() == 4);
  CHECK(a.store->next_seq() == 5);
}

TEST_CASE("Device: a page and its cursor commit together — a crash between them loses both") {
  Rig rig;
  DeviceNode& w = rig.AddDevice(WorkerOf("dev-w"));
  for (int i = 0; i < 5; ++i) REQUIRE(w.store->Create("need", NewNeed()).ok());
  REQUIRE(rig.Sync(w).final_state == SessionState::kDone);
  DeviceNode& r = rig.AddDevice(WorkerOf("dev-r"));
  int pages = 0;
  r.options.fault = [&pages](std::string_view point) {
    return point == "page:before_commit" && ++pages == 2;  // killed while applying page 2
  };
  rig.OpenDevice(r);
  SessionOptions so;
  so.page_limit = 7;
  SyncSummary s = rig.Sync(r, so);
  CHECK(s.final_state == SessionState::kFailed);
  CHECK(s.error.code() == "crashed");
  CHECK(ReplicaRows(r) == 7);  // page 1 only
  std::string cursor = r.store->cursor();
  rig.OpenDevice(r);
  CHECK(r.store->cursor() == cursor);
  CHECK(rig.Sync(r, so).final_state == SessionState::kDone);
  CHECK(ReplicaRows(r) == 20);
}

TEST_CASE("Device: a download never overwrites a pending local edit") {
  Rig rig;
  DeviceNode& a = rig.AddDevice(WorkerOf("dev-a"));
  DeviceNode& b = rig.AddDevice(WorkerOf("dev-b"));
  auto id = a.store->Create("need", NewNeed());
  REQUIRE(rig.Sync(a).final_state == SessionState::kDone);
  REQUIRE(rig.Sync(b).final_state == SessionState::kDone);
  REQUIRE(a.store->Write("need", *id, "people", NeedPeople(9)).ok());
  rig.clock.Advance(1000);
  REQUIRE(b.store->Write("need", *id, "people", NeedPeople(5)).ok());
  REQUIRE(rig.Sync(b).final_state == SessionState::kDone);
  DownloadOnly(a);
  auto v = a.store->Read("need", *id);
  REQUIRE(v.ok());
  CHECK((*v)->Find("people")->value["count"] == 9);
  CHECK((*v)->Find("people")->local);
  auto confirmed = a.db->Prepare("SELECT value FROM sync_replica WHERE id = ?1 AND grp = 'people'");
  confirmed->Bind(1, *id);
  REQUIRE(*confirmed->Step());
  CHECK(confirmed->Str(0) == R"({"count":5})");
  REQUIRE(rig.Sync(a).final_state == SessionState::kDone);
  CHECK(DeviceValue(a, "need", *id, "people")["count"] == 5);  // b's later edit stands
  CHECK(a.store->Conflicts()->size() == 1);
}

TEST_CASE("Device: an acknowledged edit keeps showing until the download passes its checkpoint") {
  Rig rig;
  DeviceNode& a = rig.AddDevice(WorkerOf("dev-a"));
  auto id = a.store->Create("need", NewNeed());
  REQUIRE(rig.Sync(a).final_state == SessionState::kDone);
  REQUIRE(a.store->Write("need", *id, "people", NeedPeople(3)).ok());
  UploadOnly(a);
  CHECK(*a.store->PendingCount() == 0);
  auto v = a.store->Read("need", *id);
  CHECK((*v)->Find("people")->value["count"] == 3);
  CHECK((*v)->Find("people")->local);
  DownloadOnly(a);
  v = a.store->Read("need", *id);
  CHECK((*v)->Find("people")->value["count"] == 3);
  CHECK_FALSE((*v)->Find("people")->local);
}

TEST_CASE("Device: creation checks groups and streams and ids before writing anything") {
  Rig rig;
  DeviceNode& a = rig.AddDevice(WorkerOf("dev-a"));
  CHECK(a.store->Create("need", {{"place", NeedPlace()}}).status().code() == "missing_group");
  CHECK(a.store->Create("widget", {{"record", Json::object()}}).status().code() ==
        "unknown_entity");
  CHECK(a.store->Create("secret_choice", {{"record", SecretChoice("b", "y")}}).status().code() ==
        "wrong_stream");
  CHECK(a.store->CreateWithId("need", "bad id!", NewNeed()).code() == "bad_id");
  auto twice = NewNeed();
  twice.push_back({"people", NeedPeople(2)});
  CHECK(a.store->Create("need", twice).status().code() == "duplicate_group");
  auto bad_value = NewNeed();
  bad_value[3].value = NeedPeople(0);
  CHECK(a.store->Create("need", bad_value).status().code() == "bad_field");
  REQUIRE(a.store->CreateWithId("need", "n-1", NewNeed()).ok());
  CHECK(a.store->CreateWithId("need", "n-1", NewNeed()).code() == "record_exists");
  CHECK(a.store->Write("need", "n-2", "people", NeedPeople(2)).code() == "record_not_found");
  CHECK(a.store->Write("need", "n-1", "colour", Json{{"x", 1}}).code() == "unknown_group");
  CHECK(a.store->Delete("visit", "n-1").code() == "not_deletable");
  CHECK(a.store->OutboxEntries()->size() == 4);
  // The scope group goes first whatever order the caller gives.
  auto reversed = NewNeed();
  std::reverse(reversed.begin(), reversed.end());
  REQUIRE(a.store->CreateWithId("need", "n-3", reversed).ok());
  auto batch = a.store->NextUploadBatch(100);
  CHECK((*batch)->changes[4].group == "place");
}

TEST_CASE("Device: writes made before enrolment are sent under the enrolled id") {
  Rig rig;
  DeviceNode& a = rig.AddDevice(WorkerOf("dev-a"));
  // A second store on a fresh file, never enrolled.
  shefu::test::TempDir dir;
  auto db = Db::Open(dir.file("fresh.db"));
  REQUIRE(db.ok());
  SkewedClock clock(rig.clock, 0);
  SeededRng rng(3);
  auto store = DeviceStore::Open(**db, clock, rng, rig.device_places);
  REQUIRE(store.ok());
  REQUIRE((*store)->Create("need", NewNeed()).ok());
  CHECK((*store)->NextUploadBatch(10).status().code() == "not_enrolled");
  REQUIRE((*store)->SetClientId("dev-z").ok());
  CHECK((*store)->SetClientId("dev-y").code() == "already_enrolled");
  auto batch = (*store)->NextUploadBatch(10);
  REQUIRE(batch.ok());
  CHECK((*batch)->client_id == "dev-z");
  CHECK((*batch)->first_seq == 1);
  (void)a;
}

TEST_CASE("Device: re-enrolment renumbers pending rows from 1 and keeps acknowledged ones") {
  Rig rig;
  DeviceNode& a = rig.AddDevice(WorkerOf("dev-a"));
  auto id = a.store->Create("need", NewNeed());
  REQUIRE(rig.Sync(a).final_state == SessionState::kDone);
  REQUIRE(a.store->Write("need", *id, "people", NeedPeople(2)).ok());
  REQUIRE(a.store->Write("need", *id, "people", NeedPeople(3)).ok());
  CHECK(a.store->Reenrol("dev-a").code() == "bad_client_id");
  REQUIRE(a.store->Reenrol("dev-a2").ok());
  CHECK(a.store->client_id() == "dev-a2");
  CHECK(a.store->next_seq() == 3);
  auto rows = a.store->OutboxEntries();
  std::set<std::string> ids;
  for (const auto& e : *rows)
    ids.insert(e.client + "/" + std::to_string(e.seq) + (e.pending() ? "p" : "a"));
  CHECK(ids == std::set<std::string>{"dev-a/1a", "dev-a/2a", "dev-a/3a", "dev-a/4a", "dev-a2/1p",
                                     "dev-a2/2p"});
  CHECK(DeviceValue(a, "need", *id, "people")["count"] == 3);
}

TEST_CASE("Device: acknowledged rows stay with their outcome for the retention period") {
  Rig rig;
  DeviceNode& a = rig.AddDevice(KioskOf("kiosk-a"));
  REQUIRE(a.store->Create("need", NewNeed()).ok());  // refused: a kiosk may not write needs
  REQUIRE(rig.Sync(a).final_state == SessionState::kDone);
  REQUIRE(a.store->Prune().ok());
  auto rows = a.store->OutboxEntries();
  REQUIRE(rows->size() == 4);
  CHECK(rows->back().outcome == "refused");
  CHECK(rows->back().code == "permission_reject");
  CHECK_FALSE(rows->back().message.zh.empty());
  rig.clock.Advance(89LL * 24 * 3600 * 1000);
  REQUIRE(a.store->Prune().ok());
  CHECK(a.store->OutboxEntries()->size() == 4);
  rig.clock.Advance(2LL * 24 * 3600 * 1000);
  REQUIRE(a.store->Prune().ok());
  CHECK(a.store->OutboxEntries()->empty());
}

TEST_CASE("Device: secret choices are shuffled — dated by the day and carry nothing else") {
  Rig rig;
  DeviceNode& k = rig.AddDevice(KioskOf("kiosk-1"));
  for (int i = 0; i < 20; ++i)
    REQUIRE(
        k.store->AnonAdd("ballot-b1", "secret_choice", SecretChoice("b1", "c" + std::to_string(i)))
            .ok());
  CHECK(*k.store->AnonClose("nothing-open") == 0);
  REQUIRE(*k.store->AnonClose("ballot-b1") == 20);
  auto batch = k.store->NextAnonBatch();
  REQUIRE(batch.ok());
  REQUIRE(*batch);
  CHECK((*batch)->batch_id.size() == 32);
  CHECK((*batch)->date == "2025-11-29");
  std::vector<std::string> order;
  for (const auto& it : (*batch)->items) order.push_back(it.value["choice"]);
  std::vector<std::string> inserted;
  for (int i = 0; i < 20; ++i) inserted.push_back("c" + std::to_string(i));
  CHECK(order != inserted);
  std::vector<std::string> sorted = order;
  std::sort(sorted.begin(), sorted.end());
  std::sort(inserted.begin(), inserted.end());
  CHECK(sorted == inserted);
  Json wire = Encode(**batch);
  CHECK(wire["items"][0].size() == 2);  // entity and value, nothing else
  CHECK_FALSE(wire.contains("client_id"));
  CHECK(**k.db->QueryInt("SELECT count(*) FROM sync_anon_open") == 0);
  CHECK(*k.store->PendingCount() == 0);  // never in the attributed outbox
}

TEST_CASE("Device: a counter delta counts once — whether pending and acknowledged or confirmed") {
  Rig rig;
  DeviceNode& a = rig.AddDevice(WorkerOf("dev-a"));
  REQUIRE(a.store->Create("need_support", {{"record", Support("n1", 1)}}).ok());
  CHECK(*a.store->CounterSum("need_support", "n1") == 1);
  UploadOnly(a);
  CHECK(*a.store->CounterSum("need_support", "n1") == 1);
  DownloadOnly(a);
  CHECK(*a.store->CounterSum("need_support", "n1") == 1);
  CHECK(a.store->CounterSum("need", "n1").status().code() == "not_a_counter");
}

TEST_CASE("Device: deleted records leave lists unless asked for") {
  Rig rig;
  DeviceNode& a = rig.AddDevice(WorkerOf("dev-a"));
  auto keep = a.store->Create("need", NewNeed());
  auto gone = a.store->Create("need", NewNeed());
  REQUIRE(a.store->Delete("need", *gone).ok());
  REQUIRE(a.store->Delete("need", *gone).ok());  // no-op
  CHECK(a.store->OutboxEntries()->size() == 9);
  CHECK(a.store->List("need")->size() == 1);
  CHECK(a.store->List("need", true)->size() == 2);
  REQUIRE(rig.Sync(a).final_state == SessionState::kDone);
  CHECK(a.store->List("need")->size() == 1);
  CHECK(a.store->List("need")->front().id == *keep);
}

TEST_CASE("Device: an edit over its own pending value does not claim to have seen what it hides") {
  Rig rig;
  DeviceNode& a = rig.AddDevice(WorkerOf("dev-a"));
  DeviceNode& b = rig.AddDevice(WorkerOf("dev-b"));
  auto id = a.store->Create("need", NewNeed());
  REQUIRE(rig.Sync(a).final_state == SessionState::kDone);
  REQUIRE(rig.Sync(b).final_state == SessionState::kDone);
  int64_t seen = (*a.store->Read("need", *id))->Find("description")->version;
  REQUIRE(a.store->Write("need", *id, "description", NeedText("a first")).ok());
  rig.clock.Advance(1000);
  REQUIRE(b.store->Write("need", *id, "description", NeedText("b's text")).ok());
  REQUIRE(rig.Sync(b).final_state == SessionState::kDone);
  DownloadOnly(a);  // b's value is now in a's replica, hidden under a's pending edit
  CHECK(DeviceValue(a, "need", *id, "description")["text"] == "a first");
  rig.clock.Advance(1000);
  REQUIRE(a.store->Write("need", *id, "description", NeedText("a second")).ok());
  auto batch = a.store->NextUploadBatch(10);
  REQUIRE((*batch)->changes.size() == 2);
  CHECK((*batch)->changes[1].base == seen);  // not the version of b's hidden value
  REQUIRE(rig.Sync(a).final_state == SessionState::kDone);
  CHECK(ServerValue(*rig.server, "need", *id, "description")["text"] == "a second");
  bool logged = false;
  for (const auto& c : ConflictsWithRule(*rig.server, Rule::kLwwConcurrent))
    logged = logged || c.loser.value == CanonicalJson(NeedText("b's text"));
  CHECK(logged);  // b's value was never seen on a: it is in the conflict log
}
