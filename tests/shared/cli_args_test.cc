#include <catch2/catch.hpp>

#include "shared/cli_args.h"

using namespace shefu;

TEST_CASE("Command line: values, booleans, positionals and typo detection") {
  Args a({"need", "add", "--community", "C1", "--people=3", "--json", "extra"});
  CHECK(a.Value("community") == std::optional<std::string>("C1"));
  CHECK(a.Value("people") == std::optional<std::string>("3"));
  CHECK(a.Flag("json"));
  CHECK_FALSE(a.Flag("force"));
  CHECK(a.positional() == std::vector<std::string>{"need", "add", "extra"});
  CHECK(a.Finish().ok());

  Args typo({"wipe", "--forse"});
  typo.Flag("force");
  CHECK(typo.Finish().code() == "unknown_flag");

  Args missing({"enrol", "--data"});
  (void)missing.Value("data");
  CHECK(missing.Finish().code() == "missing_value");

  Args sep({"--", "--not-a-flag"});
  CHECK(sep.positional() == std::vector<std::string>{"--not-a-flag"});
  CHECK(sep.Finish().ok());
}
