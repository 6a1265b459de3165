// shefu: the field client's command line (built on the C API in client/include/shefu/shefu.h).
#include <cstdio>
#include <cstring>

#include "shared/version.h"

int main(int argc, char** argv) {
  if (argc > 1 && std::strcmp(argv[1], "--version") == 0) {
    std::printf("shefu %s\n", shefu::kProductVersion);
    return 0;
  }
  std::fprintf(stderr, "用法 / usage: shefu --version\n");
  return 2;
}
