#include "client/profile_paths.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>

namespace shefu::client {
namespace {

Status MakeDir(const std::string& path) {
  if (::mkdir(path.c_str(), 0700) == 0 || errno == EEXIST) return Status::Ok();
  return Status::Error("storage_error", "无法创建数据目录：" + path,
                       "cannot create the data directory: " + path);
}

}  // namespace

Result<std::string> ResolveDataDir(const std::string& flag) {
  if (!flag.empty()) return flag;
  if (const char* x = std::getenv("XDG_DATA_HOME"); x && *x == '/')
    return std::string(x) + "/shefu";
  if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.local/share/shefu";
  return Status::Error("no_data_dir", "找不到数据目录：请用 --data 指定，或设置 HOME",
                       "no data directory: give --data or set HOME");
}

Status EnsureProfileDir(const std::string& data_dir) {
  // Parents of a default location (~/.local/share) may be missing on a fresh device.
  std::string path;
  size_t pos = 0;
  while ((pos = data_dir.find('/', pos + 1)) != std::string::npos) {
    path = data_dir.substr(0, pos);
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) SHEFU_RETURN_IF_ERROR(MakeDir(path));
  }
  SHEFU_RETURN_IF_ERROR(MakeDir(data_dir));
  return MakeDir(data_dir + "/profiles");
}

Status CheckProfileName(const std::string& name) {
  bool ok =
      !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
               ch == '_' || ch == '-';
      });
  if (ok) return Status::Ok();
  return Status::Error("bad_profile_name", "配置名只能由字母、数字、- 和 _ 组成（最多 64 个）",
                       "a profile name is 1-64 letters, digits, - or _");
}

std::string ProfileDbPath(const std::string& data_dir, const std::string& name) {
  return data_dir + "/profiles/" + name + ".db";
}

bool ProfileExists(const std::string& data_dir, const std::string& name) {
  struct stat st {};
  return ::stat(ProfileDbPath(data_dir, name).c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::vector<std::string> ListProfileNames(const std::string& data_dir) {
  std::vector<std::string> out;
  DIR* d = ::opendir((data_dir + "/profiles").c_str());
  if (!d) return out;
  while (struct dirent* e = ::readdir(d)) {
    std::string n = e->d_name;
    if (n.size() > 3 && n.compare(n.size() - 3, 3, ".db") == 0) {
      std::string name = n.substr(0, n.size() - 3);
      if (CheckProfileName(name).ok()) out.push_back(name);
    }
  }
  ::closedir(d);
  std::sort(out.begin(), out.end());
  return out;
}

Result<ProfileLock> ProfileLock::Acquire(const std::string& data_dir, const std::string& name) {
  std::string path = data_dir + "/profiles/" + name + ".lock";
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    return Status::Error("storage_error", "无法打开锁文件：" + path,
                         "cannot open the lock file: " + path);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return Status::Error("profile_busy",
                         "此配置正被另一个 shefu 进程使用（可能正在同步），请稍后再试",
                         "this profile is in use by another shefu process (perhaps a sync); "
                         "try again shortly");
  }
  return ProfileLock(fd);
}

ProfileLock& ProfileLock::operator=(ProfileLock&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = o.fd_;
    o.fd_ = -1;
  }
  return *this;
}

ProfileLock::~ProfileLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the descriptor releases the flock
}

Status RemoveProfileFiles(const std::string& data_dir, const std::string& name) {
  std::string db = ProfileDbPath(data_dir, name);
  for (const std::string& p : {db + "-wal", db + "-shm", db + "-journal", db}) {
    if (::unlink(p.c_str()) != 0 && errno != ENOENT)
      return Status::Error("storage_error", "无法删除文件：" + p, "cannot remove " + p);
  }
  ::unlink((data_dir + "/profiles/" + name + ".lock").c_str());
  return Status::Ok();
}

}  // namespace shefu::client
