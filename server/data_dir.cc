#include "server/data_dir.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace shefu::server {

Result<DataDirLock> DataDirLock::Acquire(const std::string& dir) {
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return Status::Error(
        "data_dir_error", "无法创建数据目录：" + dir + "（" + std::strerror(errno) + "）",
        "cannot create data directory: " + dir + " (" + std::strerror(errno) + ")");
  }
  ::mkdir((dir + "/logs").c_str(), 0700);
  std::string path = dir + "/.lock";
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Status::Error("data_dir_error", "无法打开锁文件：" + path,
                         "cannot open lock file: " + path);
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    char buf[32] = {0};
    ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
    std::string pid = n > 0 ? std::string(buf, static_cast<size_t>(n)) : "?";
    while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
    ::close(fd);
    return Status::Error(
        "data_dir_locked", "数据目录 " + dir + " 正被另一个 shefu-server 使用（进程 " + pid + "）",
        "data directory " + dir + " is in use by another shefu-server (pid " + pid + ")");
  }
  std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) == 0) (void)!::pwrite(fd, pid.data(), pid.size(), 0);
  return DataDirLock(fd);
}

DataDirLock::~DataDirLock() {
  if (fd_ >= 0) {
    ::flock(fd_, LOCK_UN);
    ::close(fd_);
  }
}

}  // namespace shefu::server
