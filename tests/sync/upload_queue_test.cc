// Group commit (SyncServer::ApplyUploads, sync/upload_queue.h): several devices' uploads in one
// transaction give exactly the store that applying them one at a time gives; an upload refused
// before it writes, or failing after it wrote, fails alone; a reply means committed; and many
// threads submitting at once lose nothing and double nothing.
#include "sync/upload_queue.h"

#include <atomic>
#include <thread>

#include "tests/sync/sync_fixture.h"

using namespace shefu;
using namespace shefu::sync;
using namespace shefu::sync::test;

namespace {

// Device `client`'s upload of seqs first..first+n-1: one need (4 groups) per 4 seqs, plus votes.
DecodedUpload UploadOf(const std::string& client, int64_t first, int n) {
  DecodedUpload d;
  d.spoke = VersionPolicy{};
  UploadRequest& r = d.request;
  r.client_id = client;
  r.first_seq = first;
  r.last_seq = first + n - 1;
  for (int i = 0; i < n; ++i) {
    int64_t seq = first + i;
    Hlc h = Hlc::Make(1764374400000 + seq, 0);
    std::string need = client + "-n" + std::to_string(seq / 4);
    switch (seq % 4) {
      case 0:
        r.changes.push_back(MakeChange(seq, "need", need, "place", NeedPlace(), h));
        break;
      case 1:
        r.changes.push_back(MakeChange(seq, "need", need, "people", NeedPeople(i), h));
        break;
      case 2:  // every device votes as the same two voters: duplicates across devices
        r.changes.push_back(MakeChange(seq, "vote", client + "-v" + std::to_string(seq), "record",
                                       Vote("b1", "roll-" + std::to_string(seq % 8), "yes"), h));
        break;
      default:
        r.changes.push_back(MakeChange(seq, "visit", client + "-s" + std::to_string(seq), "record",
                                       Visit(std::to_string(seq)), h));
    }
  }
  return d;
}

// Everything the server stores about records and conflicts, in a stable order.
std::string Dump(Db& db) {
  std::string out;
  for (const char* sql :
       {"SELECT entity || '|' || id || '|' || grp || '|' || value || '|' || hlc || '|' || node "
        "|| '|' || seq || '|' || version || '|' || sseq || '|' || flags FROM sync_field "
        "ORDER BY entity, id, grp",
        "SELECT entity || '|' || record_id || '|' || grp || '|' || rule || '|' || loser_value "
        "FROM sync_conflict ORDER BY id",
        "SELECT client_id || '|' || last_seq FROM sync_client ORDER BY client_id",
        "SELECT client_id || '|' || first_seq || '|' || last_seq || '|' || results FROM sync_batch "
        "ORDER BY client_id, first_seq"}) {
    auto st = db.Prepare(sql);
    REQUIRE(st.ok());
    for (;;) {
      auto r = st->Step();
      REQUIRE(r.ok());
      if (!*r) break;
      out += st->Str(0) + "\n";
    }
  }
  return out;
}

std::string CodeOf(const Reply& r) {
  if (r.ok()) return "ok";
  return r.body["error"]["code"].get<std::string>();
}

}  // namespace

TEST_CASE("Group commit: a group of uploads stores exactly what one at a time stores") {
  Rig one, grouped;
  const std::vector<std::string> clients = {"dev-a", "dev-b", "dev-c"};
  std::vector<Principal> who;
  for (const auto& c : clients) who.push_back(WorkerOf(c));
  // Two rounds: each device's second upload follows its first (in the group and one at a time).
  std::vector<SyncServer::UploadJob> jobs;
  for (int round = 0; round < 2; ++round) {
    for (size_t i = 0; i < clients.size(); ++i) {
      DecodedUpload d = UploadOf(clients[i], 1 + round * 40, 40);
      SyncServer::UploadJob alone{&who[i], d, {}};
      one.server->ApplyUploads(std::span<SyncServer::UploadJob>(&alone, 1));
      REQUIRE(alone.reply.ok());
      jobs.push_back({&who[i], std::move(d), {}});
    }
  }
  grouped.server->ApplyUploads(jobs);
  for (const auto& j : jobs) CHECK(CodeOf(j.reply) == "ok");
  // Same rows, versions, feed positions, conflicts (duplicate voters), batches and progress.
  std::string a = Dump(*one.server_db), b = Dump(*grouped.server_db);
  CHECK(a.size() > 1000);
  CHECK(a == b);
  CHECK(Conflicts(*grouped.server).size() == Conflicts(*one.server).size());
  CHECK(!Conflicts(*grouped.server).empty());
}

TEST_CASE("Group commit: an upload refused before writing is answered and left out") {
  Rig rig;
  Principal a = WorkerOf("dev-a"), b = WorkerOf("dev-b"), c = WorkerOf("dev-c");
  std::vector<SyncServer::UploadJob> jobs;
  jobs.push_back({&a, UploadOf("dev-a", 1, 8), {}});
  jobs.push_back({&b, UploadOf("dev-b", 5, 8), {}});  // a gap: seqs 1..4 never arrived
  jobs.push_back({&c, UploadOf("dev-x", 1, 8), {}});  // another device's client id
  jobs.push_back({&a, UploadOf("dev-a", 9, 8), {}});  // follows its first upload in the group
  rig.server->ApplyUploads(jobs);
  CHECK(CodeOf(jobs[0].reply) == "ok");
  CHECK(CodeOf(jobs[1].reply) == "expected_seq");
  CHECK(jobs[1].reply.body["expected_seq"] == 1);
  CHECK(CodeOf(jobs[2].reply) == "client_mismatch");
  CHECK(CodeOf(jobs[3].reply) == "ok");
  CHECK(jobs[3].reply.body["acked_seq"] == 16);
  CHECK(rig.server->ExpectedSeq("dev-a").value() == 17);
  CHECK(rig.server->ExpectedSeq("dev-b").value() == 1);
  CHECK(ServerValue(*rig.server, "need", "dev-b-n2", "place").is_null());

  // A group in which every upload is refused changes nothing at all, not even the clock row.
  std::string before = Dump(*rig.server_db);
  std::vector<SyncServer::UploadJob> refused;
  refused.push_back({&b, UploadOf("dev-b", 9, 4), {}});
  refused.push_back({&c, UploadOf("dev-a", 17, 4), {}});
  rig.server->ApplyUploads(refused);
  CHECK(CodeOf(refused[0].reply) == "expected_seq");
  CHECK(CodeOf(refused[1].reply) == "client_mismatch");
  CHECK(Dump(*rig.server_db) == before);
}

TEST_CASE("Group commit: an upload failing after it wrote fails alone, the others commit") {
  ServerOptions opt;
  int refusals = 0;
  // The audit entry of dev-b's upload cannot be written (its hook fails inside the transaction).
  opt.before_commit = [&](Db&, const ServerOptions::CommitInfo& info) {
    if (info.principal && info.principal->client_id == "dev-b") {
      ++refusals;
      return Status::Error("storage_error", "审计写入失败", "audit write failed");
    }
    return Status::Ok();
  };
  Rig rig(1, opt);
  Principal a = WorkerOf("dev-a"), b = WorkerOf("dev-b"), c = WorkerOf("dev-c");
  std::vector<SyncServer::UploadJob> jobs;
  jobs.push_back({&a, UploadOf("dev-a", 1, 12), {}});
  jobs.push_back({&b, UploadOf("dev-b", 1, 12), {}});
  jobs.push_back({&c, UploadOf("dev-c", 1, 12), {}});
  rig.server->ApplyUploads(jobs);
  CHECK(CodeOf(jobs[0].reply) == "ok");
  CHECK(CodeOf(jobs[1].reply) == "internal");
  CHECK(jobs[1].reply.body["error"]["action"] == "retry");
  CHECK(CodeOf(jobs[2].reply) == "ok");
  CHECK(refusals == 2);  // in the group, then alone
  CHECK(ServerValue(*rig.server, "need", "dev-a-n1", "place") == NeedPlace());
  CHECK(ServerValue(*rig.server, "need", "dev-c-n1", "place") == NeedPlace());
  // Nothing of dev-b: no row, no progress, no batch.
  CHECK(ServerValue(*rig.server, "need", "dev-b-n1", "place").is_null());
  CHECK(rig.server->ExpectedSeq("dev-b").value() == 1);
  CHECK(Dump(*rig.server_db).find("dev-b") == std::string::npos);
}

TEST_CASE("Upload queue: threads submitting at once form groups, nothing lost or doubled") {
  Rig rig;
  const int kDevices = 6, kUploads = 5, kPerUpload = 20;
  std::atomic<bool> first_group{true};
  UploadQueue* q_ptr = nullptr;
  UploadQueue queue([&](std::span<SyncServer::UploadJob> jobs) {
    // The first leader holds its group until every other device has queued behind it, so the
    // second group is known to hold them all (no timing in this test).
    if (first_group.exchange(false)) {
      while (q_ptr->waiting() < static_cast<size_t>(kDevices)) std::this_thread::yield();
    }
    rig.server->ApplyUploads(jobs);
  });
  q_ptr = &queue;
  std::vector<Principal> who;
  for (int d = 0; d < kDevices; ++d) who.push_back(WorkerOf("dev-" + std::to_string(d)));
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int d = 0; d < kDevices; ++d) {
    threads.emplace_back([&, d] {
      for (int u = 0; u < kUploads; ++u) {
        DecodedUpload up =
            UploadOf(who[static_cast<size_t>(d)].client_id, 1 + u * kPerUpload, kPerUpload);
        Reply r = queue.Submit(who[static_cast<size_t>(d)], std::move(up));
        if (!r.ok() || r.body["acked_seq"] != (u + 1) * kPerUpload) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(failures == 0);
  UploadQueue::Stats s = queue.stats();
  CHECK(s.uploads == static_cast<size_t>(kDevices * kUploads));
  CHECK(s.groups < s.uploads);  // the first group's wait made the second hold the others
  for (int d = 0; d < kDevices; ++d) {
    const std::string c = "dev-" + std::to_string(d);
    CHECK(rig.server->ExpectedSeq(c).value() == kUploads * kPerUpload + 1);
    // Every need of every upload, once.
    for (int n = 1; n <= kUploads * kPerUpload / 4; ++n)
      CHECK(ServerValue(*rig.server, "need", c + "-n" + std::to_string(n), "place") == NeedPlace());
  }
  auto st = rig.server_db->Prepare("SELECT count(*), count(DISTINCT sseq) FROM sync_field");
  REQUIRE(st.ok());
  REQUIRE(*st->Step());
  CHECK(st->Int(0) == st->Int(1));
}

// ---- Durability after the writer (shared/wal_sync.h) ------------------------------------------

TEST_CASE(
    "Upload queue: with a flush after the writer, replies wait for it and the next group "
    "is applied meanwhile") {
  Rig rig;
  std::atomic<int> applied{0}, syncs{0};
  std::atomic<bool> in_slow_sync{false}, release{false}, first_slow{true};
  const std::thread::id main_thread = std::this_thread::get_id();
  std::thread::id z_thread;
  UploadQueue* q_ptr = nullptr;
  UploadQueue queue(
      [&](std::span<SyncServer::UploadJob> jobs) {
        // The first group (dev-z alone) is held until dev-a and dev-c have queued behind it,
        // so the second group holds both: a leader and a follower.
        if (applied == 0)
          while (q_ptr->waiting() < 3) std::this_thread::yield();
        rig.server->ApplyUploads(jobs);
        ++applied;
      },
      UploadQueue::Limits{},
      [&] {
        // The second group's flush is slow. Its leader (dev-a's or dev-c's thread) may flush
        // before dev-z's leader does, so it is told apart by thread, not by call order.
        ++syncs;
        if (std::this_thread::get_id() != z_thread && std::this_thread::get_id() != main_thread &&
            first_slow.exchange(false)) {
          in_slow_sync = true;
          while (!release) std::this_thread::yield();
        }
        return Status::Ok();
      });
  q_ptr = &queue;
  std::vector<Principal> who = {WorkerOf("dev-z"), WorkerOf("dev-a"), WorkerOf("dev-c"),
                                WorkerOf("dev-b")};
  std::vector<Reply> replies(3);
  std::atomic<int> done{0};
  std::vector<std::thread> threads;
  std::atomic<bool> z_known{false};
  threads.emplace_back([&] {
    z_thread = std::this_thread::get_id();
    z_known = true;
    replies[0] = queue.Submit(who[0], UploadOf("dev-z", 1, 8));
    ++done;
  });
  while (!z_known || queue.waiting() < 1) std::this_thread::yield();
  for (size_t i = 1; i <= 2; ++i) {
    threads.emplace_back([&, i] {
      replies[i] = queue.Submit(who[i], UploadOf(who[i].client_id, 1, 8));
      ++done;
    });
  }
  while (!in_slow_sync) std::this_thread::yield();
  threads[0].join();  // dev-z's group was flushed and answered
  // dev-a's and dev-c's uploads are committed but not flushed: neither is answered...
  CHECK(applied == 2);
  CHECK(rig.server->ExpectedSeq("dev-a").value() == 9);
  CHECK(rig.server->ExpectedSeq("dev-c").value() == 9);
  CHECK(done == 1);  // dev-z only
  // ...while the writer is free: dev-b's upload is applied, flushed and answered meanwhile.
  Reply rb = queue.Submit(who[3], UploadOf("dev-b", 1, 8));
  CHECK(CodeOf(rb) == "ok");
  CHECK(applied == 3);
  CHECK(done == 1);
  release = true;
  for (size_t i = 1; i < threads.size(); ++i) threads[i].join();
  for (const Reply& r : replies) {
    CHECK(CodeOf(r) == "ok");
    CHECK(r.body["acked_seq"] == 8);
  }
  CHECK(queue.stats().groups == 3);
  CHECK(queue.stats().uploads == 4);
}

TEST_CASE(
    "Upload queue: a failed flush acknowledges nothing of its group, the retry is answered "
    "from the stored batch") {
  Rig rig;
  std::atomic<int> syncs{0};
  UploadQueue queue([&](std::span<SyncServer::UploadJob> jobs) { rig.server->ApplyUploads(jobs); },
                    UploadQueue::Limits{},
                    [&]() -> Status {
                      if (syncs++ == 0)
                        return Status::Error("storage_error", "落盘失败", "flush failed");
                      return Status::Ok();
                    });
  Principal a = WorkerOf("dev-a");
  Reply r1 = queue.Submit(a, UploadOf("dev-a", 1, 8));
  CHECK(CodeOf(r1) == "internal");  // retryable: the device keeps its outbox and sends again
  CHECK(r1.http_status >= 500);
  const std::string before = Dump(*rig.server_db);
  Reply r2 = queue.Submit(a, UploadOf("dev-a", 1, 8));
  CHECK(CodeOf(r2) == "ok");
  CHECK(r2.body["acked_seq"] == 8);
  CHECK(Dump(*rig.server_db) == before);  // nothing doubled: the same rows, batch and progress
}

TEST_CASE(
    "Durability after the writer: uploads commit without a flush, downloads and replies "
    "wait for one, a failed flush is sticky") {
  std::atomic<int> flushes{0};
  std::atomic<bool> fail{false};
  auto wal = WalSync::Open("unused", 0, [&]() -> Status {
    ++flushes;
    return fail ? Status::Error("storage_error", "落盘失败", "flush failed") : Status::Ok();
  });
  ServerOptions opt;
  opt.wal_sync = wal.get();
  Rig rig(1, opt);
  Principal a = WorkerOf("dev-a");
  DeviceNode& reader = rig.AddDevice(WorkerOf("dev-r"));

  // The queue's path: ApplyUploads commits and flushes nothing; MakeDurable flushes once.
  SyncServer::UploadJob job{&a, UploadOf("dev-a", 1, 8), {}};
  rig.server->ApplyUploads(std::span<SyncServer::UploadJob>(&job, 1));
  REQUIRE(CodeOf(job.reply) == "ok");
  CHECK(flushes == 0);
  // A download of rows committed but not yet flushed flushes first.
  Reply page =
      rig.server->HandleDownload(reader.principal, Encode(reader.store->NextDownload(100)));
  REQUIRE(page.ok());
  CHECK(flushes == 1);
  CHECK(page.body["changes"].size() > 0);
  CHECK(wal->durable_mark() == page.body["checkpoint"].get<int64_t>());
  CHECK(rig.server->MakeDurable().ok());
  CHECK(flushes == 1);  // already durable: no second flush
  // One upload at a time (HandleUpload*): the reply waits for its flush.
  Reply r = rig.server->HandleUpload(a, Encode(UploadOf("dev-a", 9, 4).request));
  CHECK(CodeOf(r) == "ok");
  CHECK(flushes == 2);

  // A failed flush: the upload is committed but not acknowledged, the download serves nothing,
  // and nothing is acknowledged any more, even when a flush would now succeed (sticky).
  fail = true;
  Reply r2 = rig.server->HandleUpload(a, Encode(UploadOf("dev-a", 13, 4).request));
  CHECK(CodeOf(r2) == "internal");
  fail = false;
  Reply page2 =
      rig.server->HandleDownload(reader.principal, Encode(reader.store->NextDownload(100)));
  CHECK_FALSE(page2.ok());
  CHECK(CodeOf(page2) == "internal");
  CHECK_FALSE(rig.server->MakeDurable().ok());
  CHECK(flushes == 3);  // no flush after the failure

  // After a restart (a new WalSync; SQLite recovered what reached the disk), the device's retry
  // is answered from the stored batch, once.
  auto wal2 = WalSync::Open("unused", 0, [&] {
    ++flushes;
    return Status::Ok();
  });
  ServerOptions opt2;
  opt2.wal_sync = wal2.get();
  rig.server_options = opt2;
  rig.OpenServer();
  const std::string before = Dump(*rig.server_db);
  Reply retry = rig.server->HandleUpload(a, Encode(UploadOf("dev-a", 13, 4).request));
  CHECK(CodeOf(retry) == "ok");
  CHECK(retry.body["acked_seq"] == 16);
  CHECK(Dump(*rig.server_db) == before);
}

TEST_CASE(
    "Durability after the writer: the group's commit skips the flush, the connection keeps "
    "its own setting for everything else") {
  shefu::test::TempDir dir;
  auto db = Db::Open(dir.file("server.db"));  // synchronous=FULL, as the server opens it
  REQUIRE(db.ok());
  FakeClock clock(1764374400000);
  SeededRng rng(5);
  TestPlaces places;
  auto wal = WalSync::Open((*db)->path(), 0);
  ServerOptions opt;
  opt.wal_sync = wal.get();
  auto server = SyncServer::Open(**db, clock, rng, places, nullptr, opt);
  REQUIRE(server.ok());
  auto level = [&] {
    auto st = (*db)->Prepare("PRAGMA synchronous");
    REQUIRE(st.ok());
    REQUIRE(*st->Step());
    return st->Int(0);
  };
  CHECK(level() == 2);
  Principal a = WorkerOf("dev-a");
  Reply r = (*server)->HandleUpload(a, Encode(UploadOf("dev-a", 1, 8).request));
  CHECK(CodeOf(r) == "ok");
  CHECK(level() == 2);         // FULL again for staff writes, meetings, ...
  CHECK(wal->flushes() == 1);  // the real -wal file, flushed once for the reply
  CHECK(wal->durable_mark() > 0);
}
