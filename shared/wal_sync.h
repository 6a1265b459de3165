// Makes committed WAL frames durable outside the writer's lock: the second half of a commit.
//
// Why: with synchronous=FULL SQLite flushes the WAL inside every COMMIT, while the writer holds
// the store; on the server that is the single upload writer every device waits for, and each
// group commit's flush (~1.6k pages in bench/sync_bench) leaves it idle. Measured: the same
// merge without a flush per commit runs ~15 % faster.
//
// How (group commit's other half, as databases with a log do it): the upload path commits with
// synchronous=NORMAL — frames are written and visible, not yet flushed — hands the writer to the
// next group at once, and then calls SyncUpTo(mark) with the feed position (server_seq) its
// commit reached. SyncUpTo returns once a flush (fdatasync of the -wal file) that started after
// that commit has completed; callers that arrive during a flush wait for the next one, which
// covers them all. Nothing is acknowledged before SyncUpTo returns ok.
//
// Readers: a committed frame is visible to other connections before it is flushed. A download
// must not serve a row that a power cut could still take back (its server_seq could then be
// reused for other content, behind the device's cursor), so the download handler calls
// SyncUpTo(high-water mark of its snapshot) before answering.
//
// Failure: a failed flush is sticky (as in LevelDB and PostgreSQL): after fsync fails, Linux
// may report the next one clean though the pages never reached the disk, so no later success
// proves anything. Every SyncUpTo fails from then on, and the server acknowledges nothing until
// it restarts (SQLite's recovery then keeps exactly what reached the disk).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "shared/db.h"
#include "shared/status.h"

namespace shefu {

class WalSync {
 public:
  // Flushes the WAL; the default opens `<db_path>-wal` (once, when it exists) and fdatasyncs it.
  // Tests inject their own.
  using FlushFn = std::function<Status()>;

  // `durable_mark`: what is known durable now (the store's high-water mark at open: SQLite
  // flushed everything it had written before the process started, or recovered what reached
  // the disk).
  static std::unique_ptr<WalSync> Open(const std::string& db_path, int64_t durable_mark,
                                       FlushFn flush = nullptr);
  ~WalSync();
  WalSync(const WalSync&) = delete;
  WalSync& operator=(const WalSync&) = delete;

  // Returns once every commit up to `mark` (whose COMMIT has returned before this call) is
  // durable, or the sticky error. Thread-safe; one flush at a time serves every waiter.
  Status SyncUpTo(int64_t mark);

  int64_t durable_mark() const;
  int64_t flushes() const;  // flushes run so far (tests, the benchmark)

 private:
  WalSync(std::string wal_path, int64_t durable_mark, FlushFn flush);
  Status FlushFile();

  const std::string wal_path_;
  FlushFn flush_;
  int fd_ = -1;  // the -wal file, opened on the first flush (only the flushing thread uses it)
  mutable std::mutex mu_;
  std::condition_variable cv_;
  int64_t durable_ = 0;    // every commit up to here is flushed
  int64_t requested_ = 0;  // the highest mark asked for
  bool flushing_ = false;
  int64_t flushes_ = 0;
  Status failed_;  // sticky
};

// While alive, `db`'s commits write the WAL without flushing it (synchronous=NORMAL), for the
// transactions whose flush a WalSync makes afterwards; then the connection's own setting (FULL
// on the server) is back for everything else. Nothing changes when `on` is false or the
// connection does not flush per commit anyway.
class CommitsWithoutFlush {
 public:
  CommitsWithoutFlush(Db& db, bool on);
  ~CommitsWithoutFlush();
  CommitsWithoutFlush(const CommitsWithoutFlush&) = delete;
  CommitsWithoutFlush& operator=(const CommitsWithoutFlush&) = delete;

 private:
  Db& db_;
  const char* restore_ = nullptr;
};

}  // namespace shefu
