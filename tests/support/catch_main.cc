// The one Catch2 main shared by all suites (compiled once: Catch2 v2's header is heavy).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
