// The server's data directory: DATA/shefu.db (the central store), DATA/server.json (optional
// config), DATA/logs/access.log, DATA/.lock.
//
// The directory is locked (flock) for as long as a server or a maintenance command uses it, so
// two servers never share one store — cpp-httplib's SO_REUSEPORT default would otherwise let a
// second server bind the same port silently and both would write the same file.
#pragma once

#include <string>

#include "shared/status.h"

namespace shefu::server {

class DataDirLock {
 public:
  // Creates DIR (0700) if needed and takes an exclusive lock. Error: data_dir_locked (with the
  // holder's pid), data_dir_error.
  static Result<DataDirLock> Acquire(const std::string& dir);
  DataDirLock(DataDirLock&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  DataDirLock(const DataDirLock&) = delete;
  DataDirLock& operator=(const DataDirLock&) = delete;
  ~DataDirLock();

 private:
  explicit DataDirLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace shefu::server
