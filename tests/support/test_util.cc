#include "tests/support/test_util.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace shefu::test {

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string tmpl = std::string(base && *base ? base : "/tmp") + "/shefu-test-XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  if (!mkdtemp(buf.data())) throw std::runtime_error("mkdtemp failed");
  path_ = buf.data();
}

TempDir::~TempDir() {
  std::error_code ec;
  if (!std::getenv("SHEFU_KEEP_TMP")) std::filesystem::remove_all(path_, ec);
}

uint64_t TestSeed() {
  if (const char* s = std::getenv("SHEFU_SEED")) return std::strtoull(s, nullptr, 10);
  uint64_t catch_seed = Catch::rngSeed();
  if (catch_seed != 0) return catch_seed;
  return static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count() &
                               0xffffffff);
}

std::string BinaryPath(const std::string& name) {
  for (const char* sub : {"/server/", "/client/", "/bench/", "/tests/", "/"}) {
    std::string p = std::string(SHEFU_BINARY_DIR) + sub + name;
    if (access(p.c_str(), X_OK) == 0) return p;
  }
  throw std::runtime_error("binary not built: " + name);
}

std::string SourcePath(const std::string& rel) {
  return std::string(SHEFU_SOURCE_DIR) + "/" + rel;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
}

}  // namespace shefu::test
