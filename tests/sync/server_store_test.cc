// The server store's row writes (sync/server_store.h): PutCell upserts, InsertCell stores a
// record's first row, UpdateCell overwrites a row the applier has read. The three must leave the
// same row for the same cell — the feed (ordered by sseq) and the key index (rkey) included —
// because the applier picks among them by what it knows, not by what the row should become.
#include <catch2/catch.hpp>

#include "shared/db.h"
#include "shared/env.h"
#include "sync/server_store.h"
#include "tests/support/test_util.h"

using namespace shefu;
using namespace shefu::sync;

namespace {

StoredCell CellOf(std::string value, int64_t sseq, std::optional<std::string> rkey = {}) {
  StoredCell c;
  c.cell = Cell{std::move(value), Hlc::Make(1000 + sseq, 0), "dev-" + std::to_string(sseq), sseq};
  c.version = sseq;
  c.sseq = sseq;
  c.rkey = std::move(rkey);
  return c;
}

// Every column of the row, as text, so two stores can be compared whole.
std::string RowText(Db& db, const char* id, const char* group) {
  auto st = db.Prepare(
      "SELECT value || '|' || hlc || '|' || node || '|' || seq || '|' || version || '|' || sseq ||"
      " '|' || district || '|' || town || '|' || community || '|' || coalesce(rkey, 'NULL') ||"
      " '|' || flags FROM sync_field WHERE entity = 'vote' AND id = ?1 AND grp = ?2");
  REQUIRE(st.ok());
  st->Bind(1, id).Bind(2, group);
  auto r = st->Step();
  REQUIRE(r.ok());
  return *r ? st->Str(0) : std::string("(none)");
}

int64_t Count(Db& db, const char* sql) {
  auto st = db.Prepare(sql);
  REQUIRE(st.ok());
  auto r = st->Step();
  REQUIRE(r.ok());
  REQUIRE(*r);
  return st->Int(0);
}

}  // namespace

TEST_CASE("Server store: UpdateCell writes the row PutCell would, and nothing when there is none") {
  shefu::test::TempDir dir;
  SeededRng rng(3);
  auto a = Db::Open(dir.file("update.db"));
  auto b = Db::Open(dir.file("upsert.db"));
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  REQUIRE(ServerStore::Migrate(**a, rng).ok());
  REQUIRE(ServerStore::Migrate(**b, rng).ok());
  ServerStore by_update(**a), by_upsert(**b);
  const Place place{"D1", "T1", "C1"};

  // No such row: nothing written, and the caller is told so (it then upserts).
  auto missing = by_update.UpdateCell("vote", "v1", "record", CellOf("{}", 1));
  REQUIRE(missing.ok());
  CHECK_FALSE(*missing);
  CHECK(Count(**a, "SELECT count(*) FROM sync_field") == 0);

  // The same first row in both stores, then the same new cell written two ways.
  for (ServerStore* s : {&by_update, &by_upsert}) {
    auto first =
        s->InsertCell("vote", "v1", "record", CellOf(R"({"choice":"yes"})", 1, "k1"), place);
    REQUIRE(first.ok());
    REQUIRE(*first);
  }
  StoredCell next = CellOf(R"({"choice":"no"})", 7, "k2");
  next.flags = 1;
  auto updated = by_update.UpdateCell("vote", "v1", "record", next);
  REQUIRE(updated.ok());
  CHECK(*updated);
  REQUIRE(by_upsert.PutCell("vote", "v1", "record", next, place).ok());

  CHECK(RowText(**a, "v1", "record") == RowText(**b, "v1", "record"));
  CHECK(RowText(**a, "v1", "record") == std::string(R"({"choice":"no"}|)") +
                                            std::to_string(Hlc::Make(1007, 0).AsInt()) +
                                            "|dev-7|7|7|7|D1|T1|C1|k2|1");
  // The feed holds the row at its new position only; the key index finds it by its new key.
  for (Db* db : {a->get(), b->get()}) {
    CHECK(Count(*db, "SELECT count(*) FROM sync_field WHERE sseq = 1") == 0);
    CHECK(Count(*db, "SELECT count(*) FROM sync_field WHERE sseq = 7") == 1);
    CHECK(Count(*db,
                "SELECT count(*) FROM sync_field INDEXED BY sync_field_rkey"
                " WHERE entity = 'vote' AND rkey = 'k2'") == 1);
    CHECK(Count(*db,
                "SELECT count(*) FROM sync_field INDEXED BY sync_field_rkey"
                " WHERE entity = 'vote' AND rkey = 'k1'") == 0);
    auto check = db->Prepare("PRAGMA integrity_check");
    REQUIRE(check.ok());
    REQUIRE(*check->Step());
    CHECK(check->Str(0) == "ok");
  }
  auto keyed = by_update.RecordsForKey("vote", "k2");
  REQUIRE(keyed.ok());
  REQUIRE(keyed->size() == 1);
  CHECK((*keyed)[0].first == "v1");
  CHECK((*keyed)[0].second.flags == 1);
}
