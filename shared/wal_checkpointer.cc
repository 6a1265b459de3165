#include "shared/wal_checkpointer.h"

namespace shefu {

Result<std::unique_ptr<WalCheckpointer>> WalCheckpointer::Start(Db& db, Options opt) {
  if (db.path().empty() || db.path() == ":memory:")
    return Status::Error("storage_checkpoint", "内存数据库无需检查点",
                         "an in-memory database has no WAL to checkpoint");
  DbOptions o;
  o.create = false;
  auto own = Db::Open(db.path(), o);
  if (!own.ok()) return own.status();
  std::unique_ptr<WalCheckpointer> c(new WalCheckpointer(db, std::move(*own), opt));
  // Replaces the automatic checkpoint (SQLite implements it with this same hook).
  sqlite3_wal_hook(db.raw(), &WalCheckpointer::OnCommit, c.get());
  return c;
}

WalCheckpointer::WalCheckpointer(Db& db, std::unique_ptr<Db> own, Options opt)
    : db_(db), own_(std::move(own)), opt_(opt), thread_([this] { Loop(); }) {}

WalCheckpointer::~WalCheckpointer() {
  sqlite3_wal_autocheckpoint(db_.raw(), opt_.pages);  // removes our hook
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_one();
  thread_.join();
}

int WalCheckpointer::OnCommit(void* self, sqlite3* db, const char* name, int pages) {
  auto* c = static_cast<WalCheckpointer*>(self);
  if (pages >= c->opt_.hard_limit_pages) {
    // The thread is behind: do what SQLite's own hook does, here and now.
    sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    ++c->inline_;
  } else if (pages >= c->opt_.pages) {
    {
      std::lock_guard<std::mutex> lock(c->mu_);
      c->wanted_ = true;
    }
    c->cv_.notify_one();
  }
  return SQLITE_OK;  // a checkpoint failing is not the commit failing
}

void WalCheckpointer::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    cv_.wait(lock, [&] { return stop_ || (wanted_ && !paused_); });
    if (stop_) return;
    wanted_ = false;
    lock.unlock();
    // Errors (SQLITE_BUSY from a concurrent RESTART elsewhere, I/O) leave the frames in the WAL
    // for the next checkpoint; nothing is lost.
    sqlite3_wal_checkpoint_v2(own_->raw(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    ++background_;
    lock.lock();
  }
}

WalCheckpointer::Stats WalCheckpointer::stats() const {
  return Stats{background_.load(), inline_.load()};
}

void WalCheckpointer::PauseForTest(bool paused) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    paused_ = paused;
  }
  cv_.notify_one();
}

}  // namespace shefu
