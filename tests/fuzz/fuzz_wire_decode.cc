// libFuzzer target: the sync wire decoder (tests/fuzz/fuzz_entries.h).
#include "tests/fuzz/fuzz_entries.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  shefu::sync::fuzz::FuzzWireDecode(data, size);
  return 0;
}
