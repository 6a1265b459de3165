#include "sync/upload_queue.h"

#include <vector>

namespace shefu::sync {
namespace {

// Nothing of the group is acknowledged; the devices retry.
Reply InternalReply(const Status& why = Status::Ok()) {
  return Reply{FindError(kInternal)->http_status,
               Encode(ToErrorReply(ProtocolError(kInternal, why.zh(), why.en())))};
}

}  // namespace

Reply UploadQueue::Submit(const Principal& p, DecodedUpload upload) {
  Waiter me;
  me.job.principal = &p;
  me.job.decoded = std::move(upload);
  std::unique_lock<std::mutex> lock(mu_);
  queue_.push_back(&me);
  // A waiter whose group has left the queue (applied, being flushed) waits for done.
  while (!me.done && (queue_.empty() || queue_.front() != &me)) me.cv.wait(lock);
  if (me.done) return std::move(me.job.reply);

  // The leader: take the front of the queue (itself first), within the limits.
  std::vector<Waiter*> group;
  size_t changes = 0;
  for (Waiter* w : queue_) {
    size_t n = w->job.decoded.request.changes.size();
    if (!group.empty() &&
        (group.size() >= limits_.max_uploads || changes + n > limits_.max_changes))
      break;
    group.push_back(w);
    changes += n;
  }
  lock.unlock();

  // The jobs are applied as one contiguous span, then their replies go back to their waiters.
  std::vector<SyncServer::UploadJob> jobs;
  jobs.reserve(group.size());
  for (Waiter* w : group) jobs.push_back(std::move(w->job));
  try {
    apply_(std::span<SyncServer::UploadJob>(jobs));
  } catch (...) {  // out of memory: nothing of the group is acknowledged; the devices retry
    for (auto& j : jobs) j.reply = InternalReply();
  }
  // Each job goes back whole, so its decoded changes are freed by the thread that allocated them:
  // freeing another thread's memory here would take that thread's malloc arena lock on the one
  // thread every upload waits for.
  for (size_t i = 0; i < group.size(); ++i) group[i]->job = std::move(jobs[i]);

  lock.lock();
  ++stats_.groups;
  stats_.uploads += group.size();
  // The group is the front of the queue, in order: nobody else takes from it meanwhile.
  for (size_t i = 0; i < group.size(); ++i) queue_.pop_front();
  if (!queue_.empty()) queue_.front()->cv.notify_one();  // the next leader starts now
  if (sync_) {
    lock.unlock();
    Status synced = sync_();
    if (!synced.ok()) {  // not known durable: nothing of the group is acknowledged
      for (Waiter* w : group)
        if (w->job.reply.ok()) w->job.reply = InternalReply(synced);
    }
    lock.lock();
  }
  for (Waiter* w : group) {
    w->done = true;
    if (w != &me) w->cv.notify_one();
  }
  return std::move(me.job.reply);
}

UploadQueue::Stats UploadQueue::stats() {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

size_t UploadQueue::waiting() {
  std::lock_guard<std::mutex> lock(mu_);
  return queue_.size();
}

}  // namespace shefu::sync
