#include "shared/wal_sync.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace shefu {

std::unique_ptr<WalSync> WalSync::Open(const std::string& db_path, int64_t durable_mark,
                                       FlushFn flush) {
  return std::unique_ptr<WalSync>(new WalSync(db_path + "-wal", durable_mark, std::move(flush)));
}

WalSync::WalSync(std::string wal_path, int64_t durable_mark, FlushFn flush)
    : wal_path_(std::move(wal_path)),
      flush_(std::move(flush)),
      durable_(durable_mark),
      requested_(durable_mark) {}

WalSync::~WalSync() {
  if (fd_ >= 0) ::close(fd_);
}

Status WalSync::FlushFile() {
  if (fd_ < 0) {
    // fdatasync flushes the file's pages whichever descriptor wrote them. SQLite keeps the -wal
    // file while any connection is open (the writer's is, for the server's life), so this
    // descriptor names the file SQLite writes.
    fd_ = ::open(wal_path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) {
      return Status::Error(
          "storage_error", "无法打开预写日志：" + wal_path_,
          "cannot open the write-ahead log: " + wal_path_ + ": " + std::strerror(errno));
    }
    // The file's name must survive a power cut too: SQLite syncs the directory after creating
    // the -wal file only on its own first flush, which commits without one may never make.
    const size_t slash = wal_path_.rfind('/');
    const std::string dir = slash == std::string::npos ? "." : wal_path_.substr(0, slash + 1);
    const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    const bool dir_synced = dfd >= 0 && ::fsync(dfd) == 0;
    const int err = errno;
    if (dfd >= 0) ::close(dfd);
    if (!dir_synced) {
      ::close(fd_);
      fd_ = -1;
      return Status::Error("storage_error", "无法落盘目录：" + dir,
                           "cannot flush the directory " + dir + ": " + std::strerror(err));
    }
  }
  if (::fdatasync(fd_) != 0) {
    return Status::Error(
        "storage_error", "预写日志落盘失败：" + std::string(std::strerror(errno)),
        "flushing the write-ahead log failed: " + std::string(std::strerror(errno)));
  }
  return Status::Ok();
}

Status WalSync::SyncUpTo(int64_t mark) {
  std::unique_lock<std::mutex> lock(mu_);
  if (mark > requested_) requested_ = mark;
  for (;;) {
    if (!failed_.ok()) return failed_;
    if (durable_ >= mark) return Status::Ok();
    if (!flushing_) break;
    cv_.wait(lock);  // a flush is running; it may have started before this commit
  }
  // This thread flushes for everyone who has asked so far: their commits returned before they
  // asked, so their frames are in the file before the flush below starts.
  flushing_ = true;
  const int64_t target = requested_;
  lock.unlock();
  Status st = flush_ ? flush_() : FlushFile();
  lock.lock();
  flushing_ = false;
  ++flushes_;
  if (st.ok()) {
    if (target > durable_) durable_ = target;
  } else {
    failed_ = st;
  }
  cv_.notify_all();
  return st;  // ok: target >= mark, so durable_ >= mark
}

int64_t WalSync::durable_mark() const {
  std::lock_guard<std::mutex> lock(mu_);
  return durable_;
}

int64_t WalSync::flushes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return flushes_;
}

CommitsWithoutFlush::CommitsWithoutFlush(Db& db, bool on) : db_(db) {
  if (!on) return;
  int64_t level = -1;
  {
    auto st = db_.Cached("PRAGMA synchronous");
    auto r = st.Step();
    if (r.ok() && *r) level = st->Int(0);
  }
  if (level < 2) return;  // no flush per commit anyway (NORMAL, OFF)
  restore_ = level == 2 ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=EXTRA";
  if (!db_.Exec("PRAGMA synchronous=NORMAL").ok()) restore_ = nullptr;
}

CommitsWithoutFlush::~CommitsWithoutFlush() {
  if (restore_) (void)db_.Exec(restore_);
}

}  // namespace shefu
