// Tests of the storage, time, money, JSON and language primitives everything else stands on.
#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "shared/civil_time.h"
#include "shared/db.h"
#include "shared/env.h"
#include "shared/i18n.h"
#include "shared/json_util.h"
#include "shared/money.h"
#include "tests/support/test_util.h"

using namespace shefu;

TEST_CASE("Money: yuan strings parse to exact integer fen") {
  CHECK(*ParseYuan("0.1") + *ParseYuan("0.2") == 30);
  CHECK(*ParseYuan("12345.67") == 1234567);
  CHECK(*ParseYuan("7") == 700);
  CHECK(*ParseYuan("7.5") == 750);
  for (const char* bad :
       {"", "-1", "1.234", "1.", ".5", "1,000", "1e3", "abc", "１２", "+5", "100000000000.01"}) {
    INFO(bad);
    CHECK_FALSE(ParseYuan(bad).ok());
    CHECK(ParseYuan(bad).status().code() == "bad_amount");
  }
  CHECK(FormatYuan(1234567) == "12345.67");
  CHECK(FormatYuan(5) == "0.05");
  CHECK(DisplayYuan(123456789, Lang::kZh) == "1,234,567.89元");
  CHECK(AtMostPercent(40, 100, 40));
  CHECK_FALSE(AtMostPercent(41, 100, 40));
  CHECK(MulDivFloor(999, 40, 100) == 399);
}

TEST_CASE("Civil time: Shanghai days, month arithmetic and ISO round trips") {
  // 2026-03-31T16:00Z is 2026-04-01 00:00 in Shanghai.
  int64_t ms = *ParseUtcIso("2026-03-31T16:00:00Z");
  CHECK(ShanghaiDate(ms) == Date{2026, 4, 1});
  CHECK(ShanghaiDate(ms - 1) == Date{2026, 3, 31});
  CHECK(FormatUtcIso(ms + 123) == "2026-03-31T16:00:00.123Z");
  CHECK(*ParseUtcIso("2026-03-31T16:00:00.123Z") == ms + 123);
  CHECK(ShanghaiMidnightUtcMs(Date{2026, 4, 1}) == ms);
  CHECK(FormatLocalMinute(ms) == "2026-04-01 00:00");
  CHECK(AddMonths(Date{2024, 1, 31}, 1) == Date{2024, 2, 29});
  CHECK(TermMonths(Date{2024, 1, 1}, Date{2026, 12, 31}) == 36);
  CHECK(TermMonths(Date{2024, 1, 1}, Date{2027, 1, 1}) == 37);
  CHECK(TermMonths(Date{2024, 1, 1}, Date{2024, 12, 31}) == 12);
  CHECK(TermMonths(Date{2024, 1, 1}, Date{2025, 1, 1}) == 13);
  CHECK(IsoWeekday(Date{2026, 11, 29}) == 7);  // a Sunday
  CHECK(Quarter(Date{2026, 3, 31}) == 1);
  CHECK(Quarter(Date{2026, 4, 1}) == 2);
  CHECK_FALSE(ParseDate("2026-02-29").ok());
  CHECK(ParseDate("2024-02-29").ok());
  CHECK_FALSE(ParseUtcIso("2026-13-01T00:00:00Z").ok());
}

TEST_CASE("JSON edge: integers are checked, not truncated, and bad UTF-8 is refused") {
  Json j = *ParseJson(R"({"n": 1.5, "m": 7, "s": "社区", "big": 18446744073709551615})");
  CHECK(GetInt(j, "n").status().code() == "bad_field");
  CHECK(*GetInt(j, "m") == 7);
  CHECK_FALSE(GetInt(j, "m", 0, 5).ok());
  CHECK_FALSE(GetInt(j, "big").ok());
  CHECK(*GetString(j, "s") == "社区");
  CHECK_FALSE(GetString(j, "missing").ok());
  CHECK_FALSE(ParseJson("{\"a\": \"\xff\"}").ok());
  CHECK_FALSE(ParseJson("{").ok());
  CHECK_FALSE(ParseJson(std::string(100, '[') + std::string(100, ']')).ok());
  CHECK(CheckKeys(j, "n,m,s,big").ok());
  CHECK_FALSE(CheckKeys(j, "n,m").ok());
  CHECK(IsValidUtf8("珠海"));
  CHECK_FALSE(IsValidUtf8("\xc0\xaf"));      // overlong '/'
  CHECK_FALSE(IsValidUtf8("\xed\xa0\x80"));  // surrogate
  // The eight-bytes-at-a-time ASCII path hands over to the full check at any position.
  for (size_t at = 0; at < 20; ++at) {
    std::string s(20, 'a');
    s[at] = '\xff';
    CHECK_FALSE(IsValidUtf8(s));
    s.replace(at, 1, "社");
    CHECK(IsValidUtf8(s));
  }
}

TEST_CASE("JSON edge: AppendJsonString writes a string exactly as DumpJson does") {
  // Every ASCII byte alone, then random strings of escapes, ASCII and Chinese. Seeded.
  for (int c = 0; c < 0x80; ++c) {
    std::string s(1, static_cast<char>(c)), out;
    AppendJsonString(&out, s);
    INFO("byte " << c);
    CHECK(out == DumpJson(Json(s)));
  }
  uint64_t seed = shefu::test::TestSeed();
  WARN("seed " << seed);
  SeededRng rng(seed);
  const char* pieces[] = {"\"",   "\\", "\b", "\f", "\n", "\r",   "\t",   "\x01", "\x1f",
                          "\x7f", "a",  "Z",  " ",  "/",  "社区", "珠海", "€",    "😀"};
  for (int i = 0; i < 2000; ++i) {
    std::string s, out = "x";
    for (uint64_t n = rng.Uniform(12); n > 0; --n) s += pieces[rng.Uniform(std::size(pieces))];
    AppendJsonString(&out, s);
    INFO(s);
    CHECK(out == "x" + DumpJson(Json(s)));
  }
}

TEST_CASE("JSON edge: nesting depth is counted outside strings only") {
  auto nest = [](int n) { return std::string(n, '[') + std::string(n, ']'); };
  CHECK(ParseJson(nest(32), 32).ok());
  auto deep = ParseJson(nest(33), 32);
  REQUIRE_FALSE(deep.ok());
  CHECK(deep.status().en() == "JSON nested too deeply");
  // Brackets (and escaped quotes) inside strings are text, not nesting.
  CHECK(ParseJson("[\"" + std::string(40, '[') + "\\\"{{{\"]", 2).ok());
  CHECK(ParseJson("{\"a\": [{\"b\": \"]]]]\"}]}", 3).ok());
  CHECK_FALSE(ParseJson("{\"a\": [{\"b\": [1]}]}", 3).ok());
  // Malformed stays malformed, whatever its brackets.
  CHECK(ParseJson("[[]", 32).status().en() == "malformed JSON");
}

TEST_CASE("Language follows --lang, then LANG, and defaults to Chinese") {
  Lang l;
  CHECK((ParseLang("en_US.UTF-8", &l) && l == Lang::kEn));
  CHECK((ParseLang("zh_CN.UTF-8", &l) && l == Lang::kZh));
  CHECK_FALSE(ParseLang("C.UTF-8", &l));
  setenv("LC_ALL", "", 1);
  setenv("LC_MESSAGES", "", 1);
  setenv("LANG", "C.UTF-8", 1);
  CHECK(LangFromEnvironment() == Lang::kZh);
  setenv("LANG", "en_GB.UTF-8", 1);
  CHECK(LangFromEnvironment() == Lang::kEn);
}

TEST_CASE("Storage: WAL, foreign keys, 0600 files, rollback unless committed") {
  test::TempDir dir;
  std::string path = dir.file("a.db");
  auto db = Db::Open(path);
  REQUIRE(db.ok());
  struct stat st;
  REQUIRE(stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  {
    auto mode = (*db)->Cached("PRAGMA journal_mode");
    REQUIRE(*mode.Step());
    CHECK(mode->Str(0) == "wal");
  }
  CHECK(*(*db)->QueryInt("PRAGMA foreign_keys") == 1);
  REQUIRE((*db)->Exec("CREATE TABLE t(x INTEGER)").ok());
  {
    Tx tx(**db);
    REQUIRE((*db)->Cached("INSERT INTO t(x) VALUES(?1)").Bind(1, 5).Run().ok());
  }  // not committed
  CHECK(*(*db)->QueryInt("SELECT count(*) FROM t") == 0);
  {
    Tx tx(**db);
    REQUIRE((*db)->Cached("INSERT INTO t(x) VALUES(?1)").Bind(1, 5).Run().ok());
    REQUIRE(tx.Commit().ok());
  }
  CHECK(*(*db)->QueryInt("SELECT count(*) FROM t") == 1);
  // Hostile text is data, never SQL.
  REQUIRE((*db)->Exec("CREATE TABLE s(v TEXT)").ok());
  REQUIRE((*db)->Cached("INSERT INTO s(v) VALUES(?1)").Bind(1, "x'); DROP TABLE s; --").Run().ok());
  CHECK(*(*db)->QueryInt("SELECT count(*) FROM s") == 1);
}

TEST_CASE("Storage: SQLite keeps no allocation statistics (no process-wide mutex per malloc)") {
  shefu::test::TempDir dir;
  auto db = Db::Open(dir.file("stats.db"));
  REQUIRE(db.ok());
  REQUIRE((*db)->Exec("CREATE TABLE t(x TEXT); INSERT INTO t VALUES(hex(randomblob(5000)))").ok());
  // With statistics on, this counts the bytes SQLite holds (its page cache, the schema, ...).
  CHECK(sqlite3_memory_used() == 0);
}

TEST_CASE("Storage: numbered migrations bring every earlier version to the latest") {
  static const Migration kSteps[] = {
      {1, "CREATE TABLE a(x INTEGER)"},
      {2, "ALTER TABLE a ADD COLUMN y TEXT"},
      {3, "CREATE INDEX a_y ON a(y)"},
  };
  test::TempDir dir;
  for (int start = 0; start <= 3; ++start) {
    INFO("from version " << start);
    std::string path = dir.file("m" + std::to_string(start) + ".db");
    auto db = Db::Open(path);
    REQUIRE(db.ok());
    REQUIRE(Migrate(**db, "test", std::span(kSteps, static_cast<size_t>(start))).ok());
    CHECK(*SchemaVersion(**db, "test") == start);
    REQUIRE(Migrate(**db, "test", kSteps).ok());
    CHECK(*SchemaVersion(**db, "test") == 3);
    CHECK((*db)->Exec("INSERT INTO a(x, y) VALUES(1, 'z')").ok());
  }
  auto db = Db::Open(dir.file("m3.db"));
  Status st = Migrate(**db, "test", std::span(kSteps, 2));
  CHECK(st.code() == "schema_too_new");
}

TEST_CASE("Randomness: seeded generators repeat, uniform stays in range") {
  SeededRng a(42), b(42);
  for (int i = 0; i < 100; ++i) CHECK(a.Next64() == b.Next64());
  for (int i = 0; i < 1000; ++i) CHECK(a.Uniform(7) < 7);
  CHECK(SystemRng::Instance().Hex(32).size() == 64);
}
