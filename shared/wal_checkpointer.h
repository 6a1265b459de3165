// Copies a WAL database's committed pages back into the database file on a thread of its own.
//
// Why: SQLite's automatic checkpoint runs inside the COMMIT that takes the WAL past its limit,
// on the committing thread. On the server that thread is the single writer every upload waits
// for, and a checkpoint of 10,000 pages (40 MB) there adds its whole cost to one group of
// uploads — ~5 % of the writer's time in bench/sync_bench, all of it in a few commits.
//
// How: Start() replaces the writer connection's automatic checkpoint with a WAL hook. After a
// commit leaves `pages` or more in the WAL the hook only wakes this object's thread, which runs
// a PASSIVE checkpoint on a connection of its own: PASSIVE never waits for the writer or for
// readers, so the writer keeps committing while frames are copied. If the thread falls behind
// and the WAL reaches `hard_limit_pages`, the committing thread checkpoints itself, as SQLite
// would have: the WAL's size stays bounded whatever the load.
//
// Durability is unchanged: a checkpoint only copies frames that are already durable in the WAL.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "shared/db.h"
#include "shared/status.h"

namespace shefu {

class WalCheckpointer {
 public:
  struct Options {
    int pages = 10000;             // wake the thread once the WAL holds this many pages
    int hard_limit_pages = 40000;  // the committing thread checkpoints itself from here on
  };
  struct Stats {
    int64_t background = 0;   // checkpoints run by the thread
    int64_t inline_runs = 0;  // checkpoints run by a committing thread (past the hard limit)
  };

  // `db` must be a file database in WAL mode, and outlive the checkpointer. Opens the
  // checkpointer's own connection to db.path() and starts its thread.
  static Result<std::unique_ptr<WalCheckpointer>> Start(Db& db, Options opt);
  // Restores SQLite's automatic checkpoint on `db` (at `pages`) and stops the thread; a
  // checkpoint in progress completes first.
  ~WalCheckpointer();
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  Stats stats() const;

  // For tests: while paused the thread runs no checkpoint (requests wait), as if it had fallen
  // behind.
  void PauseForTest(bool paused);

 private:
  WalCheckpointer(Db& db, std::unique_ptr<Db> own, Options opt);
  static int OnCommit(void* self, sqlite3* db, const char* name, int pages);
  void Loop();

  Db& db_;
  std::unique_ptr<Db> own_;  // the thread's connection
  const Options opt_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool wanted_ = false, stop_ = false, paused_ = false;
  std::atomic<int64_t> background_{0}, inline_{0};
  std::thread thread_;  // last: started once everything above exists
};

}  // namespace shefu
