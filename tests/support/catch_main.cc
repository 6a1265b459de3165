// The one Catch2 main shared by all suites (compiled once: Catch2 v2's header is heavy).
#define CATCH_CONFIG_RUNNER
#include <signal.h>

#include <catch2/catch.hpp>

int main(int argc, char** argv) {
  // Tests talk to servers that may close a connection mid-request (that is often the point of
  // the test): a write to a closed socket must be an error, not a dead test process.
  signal(SIGPIPE, SIG_IGN);
  return Catch::Session().run(argc, argv);
}
