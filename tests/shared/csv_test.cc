#include <catch2/catch.hpp>

#include "shared/csv.h"

using namespace shefu;

TEST_CASE("CSV: BOM for Excel, quoting, and formula injection neutralised") {
  CsvWriter w;
  w.Row({"社区", "说明"});
  w.Row({"=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "a,b", "say \"hi\"", "plain"});
  const std::string& s = w.str();
  CHECK(s.rfind("\xEF\xBB\xBF社区,说明\r\n", 0) == 0);
  CHECK(s.find("\"'=HYPERLINK(\"\"http://x\"\")\"") != std::string::npos);
  CHECK(s.find(",'+1,'-2,'@SUM(A1),\"a,b\",\"say \"\"hi\"\"\",plain\r\n") != std::string::npos);
}
