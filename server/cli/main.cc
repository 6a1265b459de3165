// shefu-server: the township server's command line.
#include <cstdio>
#include <cstring>

#include "shared/version.h"

int main(int argc, char** argv) {
  if (argc > 1 && std::strcmp(argv[1], "--version") == 0) {
    std::printf("shefu-server %s\n", shefu::kProductVersion);
    return 0;
  }
  std::fprintf(stderr, "用法 / usage: shefu-server --version\n");
  return 2;
}
