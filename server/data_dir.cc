#include "server/data_dir.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace shefu::server {
namespace {

std::string HolderPid(int fd) {
  char buf[32] = {0};
  ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
  std::string pid = n > 0 ? std::string(buf, static_cast<size_t>(n)) : "?";
  while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
  return pid.empty() ? "?" : pid;
}

Status Locked(const std::string& dir, const std::string& pid, bool by_server) {
  if (by_server) {
    return Status::Error(
        "data_dir_locked", "数据目录 " + dir + " 正被另一个 shefu-server 使用（进程 " + pid + "）",
        "data directory " + dir + " is in use by another shefu-server (pid " + pid + ")");
  }
  return Status::Error("data_dir_locked",
                       "数据目录 " + dir + " 正在被使用（服务或维护命令，进程 " + pid +
                           "）；请先停止服务再执行此操作",
                       "data directory " + dir +
                           " is in use (a server or a maintenance command, "
                           "pid " +
                           pid + "); stop the server first");
}

Result<int> OpenLockFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Status::Error("data_dir_error", "无法打开锁文件：" + path,
                         "cannot open lock file: " + path);
  }
  return fd;
}

void WritePid(int fd) {
  std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) == 0) (void)!::pwrite(fd, pid.data(), pid.size(), 0);
}

}  // namespace

Result<DataDirLock> DataDirLock::Acquire(const std::string& dir, Mode mode) {
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return Status::Error(
        "data_dir_error", "无法创建数据目录：" + dir + "（" + std::strerror(errno) + "）",
        "cannot create data directory: " + dir + " (" + std::strerror(errno) + ")");
  }
  ::mkdir((dir + "/logs").c_str(), 0700);
  DataDirLock lock;
  auto maint = OpenLockFile(dir + "/.maintenance.lock");
  if (!maint.ok()) return maint.status();
  lock.maint_fd_ = *maint;
  int maint_op = mode == Mode::kExclusive ? LOCK_EX : LOCK_SH;
  if (mode == Mode::kServe || mode == Mode::kExclusive) {
    auto serve = OpenLockFile(dir + "/.serve.lock");
    if (!serve.ok()) return serve.status();
    lock.serve_fd_ = *serve;
    if (::flock(lock.serve_fd_, LOCK_EX | LOCK_NB) != 0)
      return Locked(dir, HolderPid(lock.serve_fd_), true);
  }
  if (::flock(lock.maint_fd_, maint_op | LOCK_NB) != 0) {
    return Locked(dir, lock.serve_fd_ >= 0 ? HolderPid(lock.serve_fd_) : "?",
                  mode != Mode::kExclusive);
  }
  if (lock.serve_fd_ >= 0) WritePid(lock.serve_fd_);
  return lock;
}

DataDirLock::~DataDirLock() {
  for (int fd : {serve_fd_, maint_fd_}) {
    if (fd >= 0) {
      ::flock(fd, LOCK_UN);
      ::close(fd);
    }
  }
}

}  // namespace shefu::server
