// The conflict log's feed row (sync/conflict_log.h): ConflictFeedText writes the row's value
// directly, and must be byte for byte DumpJson(ConflictToJson(c)) — devices and the staff API
// read these rows, and a row written differently by the two writers would change the feed's
// bytes between a conflict logged by an upload and the same conflict re-emitted on resolution.
// Random conflicts from a printed seed (SHEFU_SEED=<n> to reproduce).
#include <catch2/catch.hpp>

#include "shared/db.h"
#include "shared/env.h"
#include "shared/json_util.h"
#include "sync/conflict_log.h"
#include "sync/server_store.h"
#include "tests/support/test_util.h"

using namespace shefu;
using namespace shefu::sync;

namespace {

struct ConflictGen {
  explicit ConflictGen(uint64_t seed) : rng(seed) {}
  SeededRng rng;
  size_t Pick(size_t n) { return static_cast<size_t>(rng.Uniform(n)); }

  std::string Text() {
    static const char* kPieces[] = {"",     "a",    "需求", "社区", "\"",    "\\", "\n",   "\t",
                                    "\x01", "\x7f", "/",    "😀",    "dev-1", " ",  "\xff", "{"};
    std::string s;
    for (size_t n = Pick(5); n > 0; --n) {
      const char* p = kPieces[Pick(std::size(kPieces))];
      if (std::string_view(p) == "\xff" && Pick(4) != 0) continue;  // invalid UTF-8, sometimes
      s += p;
    }
    return s;
  }
  std::string Value() {
    static const char* kValues[] = {R"({"text":"ab"})",
                                    R"({"a":[1,-2,true,null],"b":{"c":"社区\n"}})",
                                    "null",
                                    "42",
                                    R"("quoted")",
                                    "1.5",
                                    "18446744073709551615",
                                    "not json",
                                    "",
                                    R"({"b":1,"a":2})",  // not canonical: re-dumped sorted
                                    "[ 1 , 2 ]"};
    return Pick(4) == 0 ? Text() : kValues[Pick(std::size(kValues))];
  }
  ConflictSide Side() {
    return ConflictSide{Value(), Hlc::Make(1764374400000 + Pick(1000000), Pick(70000) & 0xffff),
                        Text(), static_cast<int64_t>(Pick(100000))};
  }
  Conflict Random() {
    Conflict c;
    c.id = static_cast<int64_t>(Pick(1000000));
    c.entity = Pick(2) ? "need" : Text();
    c.record_id = Text();
    c.group = Text();
    c.rule = Pick(2) ? Rule::kLwwConcurrent : Rule::kDuplicateKey;
    c.detail = Text();
    c.message = {Text(), Text()};
    if (Pick(3) != 0) c.winner = Side();
    c.loser = Side();
    c.detected_ms = static_cast<int64_t>(Pick(1u << 30)) * 1000;
    c.status = Pick(2) ? ConflictStatus::kOpen : ConflictStatus::kOverridden;
    c.resolver = Text();
    if (Pick(2)) c.resolved_ms = static_cast<int64_t>(Pick(1u << 30));
    c.resolution = Text();
    return c;
  }
};

}  // namespace

TEST_CASE("Conflict log: the feed row written directly is the document's dump, byte for byte") {
  uint64_t seed = shefu::test::TestSeed();
  WARN("seed " << seed);
  ConflictGen g(seed);
  int fallback = 0;
  for (int i = 0; i < 3000; ++i) {
    Conflict c = g.Random();
    const std::string want = DumpJson(ConflictToJson(c));
    const std::string got = ConflictFeedText(c);
    INFO("conflict " << i << ": " << want);
    REQUIRE(got == want);
    // Where every text was valid UTF-8 (the direct writer's case) the row is JSON whose texts
    // are the conflict's own; otherwise both writers replaced the bad bytes the same way.
    auto j = ParseJson(got);
    REQUIRE(j.ok());
    if (got.find("\xEF\xBF\xBD") != std::string::npos) {  // U+FFFD: a replaced byte
      ++fallback;
      continue;
    }
    CHECK((*j)["detail"] == c.detail);
    CHECK((*j)["loser"]["node"] == c.loser.node);
    CHECK((*j)["winner"].is_null() == !c.winner.has_value());
  }
  // Both kinds were exercised.
  CHECK(fallback > 0);
  CHECK(fallback < 3000);
}

TEST_CASE("Conflict log: the store keeps no index on the log that no query reads") {
  shefu::test::TempDir dir;
  auto db = Db::Open(dir.file("server.db"));
  REQUIRE(db.ok());
  SeededRng rng(7);
  auto indexes = [&] {
    auto st = (*db)->Prepare(
        "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'sync_conflict'"
        " AND sql IS NOT NULL");
    REQUIRE(st.ok());
    REQUIRE(*st->Step());
    return st->Int(0);
  };
  REQUIRE(ServerStore::Migrate(**db, rng).ok());
  CHECK(indexes() == 0);
  // A store made by an earlier version (schema 1, with the three indexes) loses them, and
  // keeps its conflicts.
  REQUIRE((*db)
              ->Exec("CREATE INDEX sync_conflict_record ON sync_conflict(entity, record_id);"
                     "CREATE INDEX sync_conflict_loser ON sync_conflict(loser_node, loser_seq);"
                     "CREATE INDEX sync_conflict_status ON sync_conflict(status, id);"
                     "INSERT INTO sync_conflict(entity, record_id, grp, rule, detail, message_zh,"
                     " message_en, loser_value, loser_hlc, loser_node, loser_seq, detected_ms,"
                     " district, town, community) VALUES('need', 'n1', 'people', 'lww_concurrent',"
                     " '', '', '', '{}', 1, 'dev-1', 3, 5, 'D1', 'T1', 'C1');"
                     "UPDATE schema_version SET version = 1 WHERE component = 'sync_server'")
              .ok());
  REQUIRE(indexes() == 3);
  REQUIRE(ServerStore::Migrate(**db, rng).ok());
  CHECK(indexes() == 0);
  auto st = (*db)->Prepare("SELECT count(*) FROM sync_conflict WHERE record_id = 'n1'");
  REQUIRE(st.ok());
  REQUIRE(*st->Step());
  CHECK(st->Int(0) == 1);
}
