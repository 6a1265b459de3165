// The background WAL checkpointer (shared/wal_checkpointer.h): past its threshold the thread,
// not the committing one, copies the WAL into the database file; past the hard limit (the
// thread behind) the committing thread does it itself; nothing written is lost either way.
#include "shared/wal_checkpointer.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "tests/support/test_util.h"

using namespace shefu;

namespace {

int64_t FileSize(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? static_cast<int64_t>(st.st_size) : -1;
}

// n transactions of 10 rows of ~1 KB each: about 3 WAL pages per transaction.
void Commit(Db& db, int n, int* next) {
  for (int t = 0; t < n; ++t) {
    Tx tx(db);
    REQUIRE(tx.status().ok());
    auto st = db.Prepare("INSERT INTO t(id, v) VALUES(?1, ?2)");
    REQUIRE(st.ok());
    for (int i = 0; i < 10; ++i) {
      st->Bind(1, (*next)++).Bind(2, std::string(1000, 'x'));
      REQUIRE(st->Run().ok());
      st->Reset();
    }
    REQUIRE(tx.Commit().ok());
  }
}

template <class F>
bool Within(std::chrono::seconds limit, F&& done) {
  auto until = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

}  // namespace

TEST_CASE("WAL checkpointer: the thread copies the WAL, the committing thread does not") {
  test::TempDir dir;
  const std::string path = dir.file("store.db");
  auto db = Db::Open(path);
  REQUIRE(db.ok());
  REQUIRE((*db)->Exec("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)").ok());
  const int64_t empty = FileSize(path);
  auto c = WalCheckpointer::Start(**db, {/*pages=*/50, /*hard_limit_pages=*/100000});
  REQUIRE(c.ok());
  int next = 0;
  Commit(**db, 60, &next);  // ~180 pages
  REQUIRE(Within(std::chrono::seconds(20), [&] { return (*c)->stats().background > 0; }));
  CHECK((*c)->stats().inline_runs == 0);
  // Pages reached the database file.
  REQUIRE(Within(std::chrono::seconds(20), [&] { return FileSize(path) > empty + 50 * 4096; }));
  c->reset();
  // Every row is there, read from a new connection.
  auto again = Db::Open(path);
  REQUIRE(again.ok());
  auto n = (*again)->QueryInt("SELECT count(*) FROM t");
  REQUIRE(n.ok());
  CHECK(**n == next);
}

TEST_CASE("WAL checkpointer: a thread that falls behind leaves the WAL bounded all the same") {
  test::TempDir dir;
  const std::string path = dir.file("store.db");
  auto db = Db::Open(path);
  REQUIRE(db.ok());
  REQUIRE((*db)->Exec("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)").ok());
  auto c = WalCheckpointer::Start(**db, {/*pages=*/20, /*hard_limit_pages=*/60});
  REQUIRE(c.ok());
  (*c)->PauseForTest(true);
  int next = 0;
  Commit(**db, 60, &next);
  CHECK((*c)->stats().background == 0);
  CHECK((*c)->stats().inline_runs > 0);  // the committing thread checkpointed past 60 pages
  (*c)->PauseForTest(false);
  REQUIRE(Within(std::chrono::seconds(20), [&] { return (*c)->stats().background > 0; }));
  c->reset();
  auto n = (*db)->QueryInt("SELECT count(*) FROM t");
  REQUIRE(n.ok());
  CHECK(**n == next);
}

TEST_CASE("WAL checkpointer: an in-memory database is refused with a reason") {
  auto db = Db::Open(":memory:");
  REQUIRE(db.ok());
  auto c = WalCheckpointer::Start(**db, {});
  REQUIRE_FALSE(c.ok());
  CHECK(c.status().code() == "storage_checkpoint");
}
