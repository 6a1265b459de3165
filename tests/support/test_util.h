// Helpers shared by the test suites: temporary directories, seeds, running the real binaries.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace shefu::test {

// A fresh directory under $TMPDIR (or /tmp), removed with its contents when destroyed.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// The seed for randomised tests: $SHEFU_SEED if set, else Catch2's --rng-seed, else time.
// Always printed (Catch2 INFO/WARN) by the caller so a failure reproduces from its number.
uint64_t TestSeed();

// Path of a built binary (e.g. "shefu-server") in the build tree.
std::string BinaryPath(const std::string& name);
// Path of a file in the source tree.
std::string SourcePath(const std::string& rel);

std::string ReadFile(const std::string& path);
void WriteFile(const std::string& path, const std::string& content);

}  // namespace shefu::test
