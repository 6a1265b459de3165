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
  struct Limits {
    size_t max_uploads = 32;     // per group
    size_t max_changes = 32000;  // per group (a group of one may hold a full batch)
  };
  explicit UploadQueue(ApplyFn apply) : UploadQueue(std::move(apply), Limits{}) {}
  UploadQueue(ApplyFn apply, Limits limits) : apply_(std::move(apply)), limits_(limits) {}

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
  const Limits limits_;
  std::mutex mu_;
  std::deque<Waiter*> queue_;  // front: the current leader (or the next one)
  Stats stats_;
};

}  // namespace shefu::sync
