// Replays every seed-corpus file and every crash libFuzzer ever found (tests/fuzz/) through the
// fuzzed entry points, in the ordinary suite: a fixed crash stays fixed.
#include <filesystem>

#include <catch2/catch.hpp>

#include "tests/fuzz/fuzz_entries.h"
#include "tests/support/test_util.h"

namespace {

int Replay(const std::string& dir, void (*entry)(const uint8_t*, size_t)) {
  int n = 0;
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return 0;
  for (const auto& f : std::filesystem::directory_iterator(dir)) {
    if (!f.is_regular_file() || f.path().filename().string()[0] == '.') continue;
    std::string bytes = shefu::test::ReadFile(f.path().string());
    INFO(f.path().string());
    entry(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
    ++n;
  }
  return n;
}

}  // namespace

TEST_CASE("Fuzz corpus: the wire decoder takes every seed and past crash without failing") {
  using shefu::sync::fuzz::FuzzWireDecode;
  int n = Replay(shefu::test::SourcePath("tests/fuzz/corpus/fuzz_wire_decode"), FuzzWireDecode);
  n += Replay(shefu::test::SourcePath("tests/fuzz/crashes/fuzz_wire_decode"), FuzzWireDecode);
  CHECK(n >= 9);
}

TEST_CASE("Fuzz corpus: the merge entry point takes every seed and past crash without failing") {
  using shefu::sync::fuzz::FuzzMerge;
  int n = Replay(shefu::test::SourcePath("tests/fuzz/corpus/fuzz_merge"), FuzzMerge);
  n += Replay(shefu::test::SourcePath("tests/fuzz/crashes/fuzz_merge"), FuzzMerge);
  CHECK(n >= 4);
}
