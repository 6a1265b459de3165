// libFuzzer target: the merge entry point — pure merge properties and the server's upload path
// (tests/fuzz/fuzz_entries.h).
#include "tests/fuzz/fuzz_entries.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  shefu::sync::fuzz::FuzzMerge(data, size);
  return 0;
}
