// WalSync (shared/wal_sync.h): a mark already durable needs no flush; a caller whose commit came
// after a running flush began waits for the next one; flushes never overlap and serve everyone
// who asked before they began; a failure is sticky; the default flush is fdatasync of the real
// -wal file.
#include "shared/wal_sync.h"

#include <atomic>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "shared/db.h"
#include "tests/support/test_util.h"

using namespace shefu;

TEST_CASE("WAL sync: a durable mark needs no flush, a later commit waits for the next flush") {
  std::atomic<int> flushes{0};
  std::atomic<bool> in_flush{false}, release{false};
  auto sync = WalSync::Open("unused", 10, [&] {
    if (++flushes == 1) {
      in_flush = true;
      while (!release) std::this_thread::yield();
    }
    return Status::Ok();
  });
  CHECK(sync->SyncUpTo(5).ok());
  CHECK(sync->SyncUpTo(10).ok());
  CHECK(flushes == 0);

  Status first, second;
  std::thread a([&] { first = sync->SyncUpTo(20); });
  while (!in_flush) std::this_thread::yield();
  // The flush for 20 is running; a commit reaching 21 came after it began.
  std::thread b([&] { second = sync->SyncUpTo(21); });
  release = true;
  a.join();
  b.join();
  CHECK(first.ok());
  CHECK(second.ok());
  CHECK(flushes == 2);  // 20's flush could not cover 21: a second one did
  CHECK(sync->durable_mark() == 21);
  CHECK(sync->flushes() == 2);
}

TEST_CASE("WAL sync: many committers — flushes never overlap, every mark ends durable") {
  std::atomic<int> in_flight{0}, overlaps{0}, flushes{0};
  auto sync = WalSync::Open("unused", 0, [&] {
    if (++in_flight > 1) ++overlaps;
    ++flushes;
    std::this_thread::yield();
    --in_flight;
    return Status::Ok();
  });
  const int kThreads = 8, kCalls = 200;
  std::atomic<int64_t> next_mark{0};
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kCalls; ++i) {
        const int64_t mark = ++next_mark;  // "my commit reached this position"
        if (!sync->SyncUpTo(mark).ok() || sync->durable_mark() < mark) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(failures == 0);
  CHECK(overlaps == 0);
  CHECK(sync->durable_mark() == kThreads * kCalls);
  CHECK(flushes <= kThreads * kCalls);
  CHECK(flushes > 0);
}

TEST_CASE("WAL sync: a failed flush is sticky — nothing is acknowledged until a restart") {
  std::atomic<int> calls{0};
  auto sync = WalSync::Open("unused", 0, [&]() -> Status {
    if (++calls == 2) return Status::Error("storage_error", "落盘失败", "flush failed");
    return Status::Ok();
  });
  CHECK(sync->SyncUpTo(1).ok());
  Status failed = sync->SyncUpTo(2);
  CHECK(failed.code() == "storage_error");
  CHECK(failed.en() == "flush failed");
  // A flush would succeed now; it is not tried: after fsync fails, a later success proves
  // nothing about the pages the failed one had.
  CHECK(sync->SyncUpTo(3).code() == "storage_error");
  CHECK(sync->SyncUpTo(1).code() == "storage_error");  // even marks flushed before the failure
  CHECK(calls == 2);
  CHECK(sync->durable_mark() == 1);
}

TEST_CASE("WAL sync: the default flush is fdatasync of the store's -wal file") {
  shefu::test::TempDir dir;
  const std::string path = dir.file("store.db");
  auto db = Db::Open(path);
  REQUIRE(db.ok());
  REQUIRE((*db)->Exec("CREATE TABLE t(x); INSERT INTO t VALUES(1)").ok());
  auto sync = WalSync::Open(path, 0);
  CHECK(sync->SyncUpTo(1).ok());
  CHECK(sync->flushes() == 1);
  CHECK(sync->SyncUpTo(1).ok());
  CHECK(sync->flushes() == 1);
  // No -wal file (not a WAL store, or the path is wrong): nothing can be made durable.
  auto none = WalSync::Open(dir.file("missing.db"), 0);
  Status st = none->SyncUpTo(1);
  CHECK(st.code() == "storage_error");
  CHECK(st.zh().find("预写日志") != std::string::npos);
  CHECK(st.en().find("missing.db-wal") != std::string::npos);
}

TEST_CASE("WAL sync: commits without a flush only while asked, then the connection's own setting") {
  shefu::test::TempDir dir;
  auto level = [](Db& db) {
    auto st = db.Prepare("PRAGMA synchronous");
    REQUIRE(st.ok());
    REQUIRE(*st->Step());
    return st->Int(0);
  };
  auto full = Db::Open(dir.file("full.db"));  // FULL: the server's setting
  REQUIRE(full.ok());
  {
    CommitsWithoutFlush deferred(**full, true);
    CHECK(level(**full) == 1);  // NORMAL: the WAL is written, not flushed
  }
  CHECK(level(**full) == 2);
  {
    CommitsWithoutFlush off(**full, false);
    CHECK(level(**full) == 2);
  }
  DbOptions o;
  o.synchronous_full = false;
  auto normal = Db::Open(dir.file("normal.db"), o);
  REQUIRE(normal.ok());
  {
    CommitsWithoutFlush deferred(**normal, true);
    CHECK(level(**normal) == 1);
  }
  CHECK(level(**normal) == 1);  // left as it was, not raised to FULL
}
