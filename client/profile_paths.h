// Where a device keeps its profiles, and the lock that keeps one process per profile.
//
//   DATA/profiles/<name>.db     the profile: records, outbox, configuration (0600)
//   DATA/profiles/<name>.lock   held (flock) by the process that has the profile open
// DATA is --data, else $XDG_DATA_HOME/shefu, else $HOME/.local/share/shefu; directories are
// created 0700 because the files hold residents' needs and the device token.
//
// Why a lock: the sync engine keeps its sequence counters in memory between transactions, so
// two processes writing one profile at once could hand out the same outbox seq twice. A running
// `shefu sync` therefore makes `shefu need add` wait its turn (SHEFU_E_BUSY), instead of
// corrupting the outbox.
#pragma once

#include <string>
#include <vector>

#include "shared/status.h"

namespace shefu::client {

// DATA as described above. Error no_data_dir when neither XDG_DATA_HOME nor HOME is set.
Result<std::string> ResolveDataDir(const std::string& flag);
// Creates DATA and DATA/profiles (0700) if missing.
Status EnsureProfileDir(const std::string& data_dir);

// 1-64 characters of [A-Za-z0-9_-]. Error bad_profile_name.
Status CheckProfileName(const std::string& name);
std::string ProfileDbPath(const std::string& data_dir, const std::string& name);
bool ProfileExists(const std::string& data_dir, const std::string& name);
// Names of the profiles in DATA, sorted.
std::vector<std::string> ListProfileNames(const std::string& data_dir);

// An exclusive, non-blocking flock on DATA/profiles/<name>.lock, released on destruction.
class ProfileLock {
 public:
  // Error profile_busy when another process holds it.
  static Result<ProfileLock> Acquire(const std::string& data_dir, const std::string& name);
  ProfileLock(ProfileLock&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  ProfileLock& operator=(ProfileLock&& o) noexcept;
  ProfileLock(const ProfileLock&) = delete;
  ProfileLock& operator=(const ProfileLock&) = delete;
  ~ProfileLock();

 private:
  explicit ProfileLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

// Removes the profile's database, its WAL/SHM files and the lock file.
Status RemoveProfileFiles(const std::string& data_dir, const std::string& name);

}  // namespace shefu::client
