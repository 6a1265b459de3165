// The server's data directory: DATA/shefu.db (the central store), DATA/keys/ (secrets, 0600),
// DATA/server.json (optional config), DATA/logs/access.log, and two lock files.
//
// Locks (flock), so that two servers never share one store — cpp-httplib's SO_REUSEPORT default
// would otherwise let a second server bind the same port silently and both would write the file —
// while staff can still add users and enrol devices beside a running server:
//   kServe      `serve`: exclusive on .serve.lock, shared on .maintenance.lock
//   kMaintain   `user`, `device`, `audit`: shared on .maintenance.lock (SQLite serialises writes)
//   kExclusive  `init`, `restore`: exclusive on both — nothing else may touch the store
#pragma once

#include <string>

#include "shared/status.h"

namespace shefu::server {

class DataDirLock {
 public:
  enum class Mode { kServe, kMaintain, kExclusive };
  // Creates DIR (0700) if needed and takes the locks of `mode`, without waiting. Errors:
  // data_dir_locked (naming the holder's pid when known), data_dir_error.
  static Result<DataDirLock> Acquire(const std::string& dir, Mode mode = Mode::kServe);
  DataDirLock(DataDirLock&& o) noexcept : serve_fd_(o.serve_fd_), maint_fd_(o.maint_fd_) {
    o.serve_fd_ = o.maint_fd_ = -1;
  }
  DataDirLock(const DataDirLock&) = delete;
  DataDirLock& operator=(const DataDirLock&) = delete;
  ~DataDirLock();

 private:
  DataDirLock() = default;
  int serve_fd_ = -1;
  int maint_fd_ = -1;
};

}  // namespace shefu::server
