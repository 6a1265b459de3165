// Group commit for uploads: many threads, one writer, one transaction per group.
//
// Why: an upload's cost on the server is not only its rows. Every transaction ends with a
// COMMIT that writes each page it touched to the WAL and flushes it (synchronous=FULL); a raw
// SQLite upsert loop committing every 1,000 rows runs at about 60 % of the same loop in one
// transaction (bench/sync_bench). When devices sync at once — after a meeting, at the start of a
// working day — their uploads can share that COMMIT.
//
// How (LevelDB's write path, DBImpl::Write and its writers_ deque): each caller decodes its
// upload on its own thread (the costly, stateless part: upload_decoder.h) and Submit()s it. The
// caller at the front of the queue becomes the leader: it takes the uploads queued behind it, up
// to the limits below, applies them together through `apply` (SyncServer::ApplyUploads: one
// savepoint per upload, one COMMIT), and hands every follower its reply. Callers that arrive
// meanwhile queue for the next group. A lone caller is a group of one: no waiting, no timer.
//
// Durable after the writer (optional `sync`, shared/wal_sync.h): when the group's COMMIT does not
// flush the WAL itself (synchronous=NORMAL), the leader hands the writer to the next group
// first and then calls `sync`, which returns once the group's commit is flushed; the group's
// replies go out after it. The next group is applied while this one's flush runs. A failed
// flush turns every reply of the group into `internal` (the devices retry; the retry is answered
// from the stored batch once the server can flush again).
//
// Guarantees: a reply is returned only after the group's COMMIT (acknowledged = durable); an
// upload that fails inside a group fails alone; uploads of one client keep their order (a
// client's uploads are taken in queue order, and each sees the ones before it in the same
// transaction).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <span>

#include "sync/sync_server.h"

namespace shefu::sync {

class UploadQueue {
 public:
  // Applies a group (called by one leader at a time, never concurrently).
  using ApplyFn = std::function<void(std::span<SyncServer::UploadJob>)>;
  // Makes the group's commit durable (see above); called by the group's leader, not under the
  // writer, possibly by several leaders at once.
  using SyncFn = std::function<Status()>;
  struct Limits {
    size_t max_uploads = 32;     // per group
    size_t max_changes = 32000;  // per group (a group of one may hold a full batch)
  };
  explicit UploadQueue(ApplyFn apply) : UploadQueue(std::move(apply), Limits{}) {}
  UploadQueue(ApplyFn apply, Limits limits, SyncFn sync = nullptr)
      : apply_(std::move(apply)), sync_(std::move(sync)), limits_(limits) {}

  // Blocks until the upload's group has committed (or failed); returns its reply.
  Reply Submit(const Principal& p, DecodedUpload upload);

  // Groups applied and uploads in them so far (for tests and the benchmark).
  struct Stats {
    size_t groups = 0, uploads = 0;
  };
  Stats stats();
  // Uploads queued now, the one being applied included (for tests).
  size_t waiting();

 private:
  struct Waiter {
    SyncServer::UploadJob job;
    bool done = false;
    std::condition_variable cv;
  };

  ApplyFn apply_;
  SyncFn sync_;
  const Limits limits_;
  std::mutex mu_;
  // Front: the current leader (or the next one). A group leaves the queue when it is applied; its
  // waiters are done when it is durable.
  std::deque<Waiter*> queue_;
  Stats stats_;
};

}  // namespace shefu::sync
