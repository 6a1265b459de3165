// Properties of the pure merge (sync/merge.h) over random inputs: the join is commutative,
// associative and idempotent; every order of applying writes gives the same state; the LWW order
// is total; no decision drops a value unlogged; and the server's incremental apply agrees with the
// pure join. Deterministic from the printed seed (SHEFU_SEED=<n> to reproduce).
#include <algorithm>
#include <random>

#include "sync/merge.h"
#include "tests/sync/sync_fixture.h"

using namespace shefu;
using namespace shefu::sync;
using namespace shefu::sync::test;

namespace {

struct Gen {
  explicit Gen(uint64_t seed) : rng(seed) {}
  SeededRng rng;
  int Pick(int n) { return static_cast<int>(rng.Uniform(static_cast<uint64_t>(n))); }

  // Small pools so that ids, stamps, nodes and keys collide often.
  std::pair<CellKey, Cell> RandomWrite() {
    static const char* kEntities[] = {"need", "visit", "vote", "need_support"};
    static const char* kNodes[] = {"dev-a", "dev-b", "dev-c", "server"};
    CellKey k;
    k.entity = kEntities[Pick(4)];
    k.id = "r" + std::to_string(Pick(4));
    Cell c;
    c.hlc = Hlc::Make(1764374400000 + Pick(5), static_cast<uint32_t>(Pick(3)));
    c.node = kNodes[Pick(4)];
    c.seq = Pick(100);
    if (k.entity == "need") {
      static const char* kGroups[] = {"people", "description", "_deleted"};
      k.group = kGroups[Pick(3)];
      c.value = k.group == "_deleted" ? (Pick(2) ? "true" : "false")
                                      : "{\"v\":" + std::to_string(Pick(4)) + "}";
    } else {
      k.group = "record";
      Json v;
      if (k.entity == "vote")
        v = Vote("b" + std::to_string(Pick(2)), "v" + std::to_string(Pick(3)),
                 Pick(2) ? "yes" : "no");
      else if (k.entity == "visit")
        v = Visit(std::to_string(100 + Pick(3)));
      else
        v = Support("n" + std::to_string(Pick(2)), Pick(2) ? 1 : -1);
      c.value = CanonicalJson(v);
    }
    return {k, c};
  }
  ReplicaState RandomState(int max_writes) {
    ReplicaState s;
    int n = Pick(max_writes + 1);
    for (int i = 0; i < n; ++i) {
      auto [k, c] = RandomWrite();
      JoinCell(&s, k, c);
    }
    return s;
  }
};

int Iterations() {
  return 2000;
}

}  // namespace

TEST_CASE("Merge property: the join is commutative — associative and idempotent") {
  uint64_t seed = shefu::test::TestSeed();
  WARN("seed " << seed);
  Gen g(seed);
  for (int i = 0; i < Iterations(); ++i) {
    ReplicaState a = g.RandomState(12), b = g.RandomState(12), c = g.RandomState(12);
    INFO("iteration " << i);
    REQUIRE(Join(a, b) == Join(b, a));
    REQUIRE(Join(a, Join(b, c)) == Join(Join(a, b), c));
    REQUIRE(Join(a, a) == a);
    REQUIRE(Join(Join(a, b), b) == Join(a, b));
  }
}

TEST_CASE("Merge property: any arrival order of writes gives the same state and derived views") {
  uint64_t seed = shefu::test::TestSeed();
  WARN("seed " << seed);
  Gen g(seed);
  std::mt19937_64 shuffle(seed);
  for (int i = 0; i < Iterations() / 4; ++i) {
    std::vector<std::pair<CellKey, Cell>> writes;
    for (int n = g.Pick(30); n > 0; --n) writes.push_back(g.RandomWrite());
    ReplicaState first;
    for (const auto& [k, c] : writes) JoinCell(&first, k, c);
    for (int p = 0; p < 4; ++p) {
      std::shuffle(writes.begin(), writes.end(), shuffle);
      ReplicaState s;
      for (const auto& [k, c] : writes) JoinCell(&s, k, c);
      // Duplicates change nothing either.
      for (size_t d = 0; d < writes.size() / 3; ++d)
        JoinCell(&s, writes[d].first, writes[d].second);
      INFO("iteration " << i << " permutation " << p);
      REQUIRE(s == first);
      REQUIRE(CountedIds(s, "vote") == CountedIds(first, "vote"));
      REQUIRE(CounterSum(s, "need_support", "n0") == CounterSum(first, "need_support", "n0"));
      REQUIRE(IsDeleted(s, "need", "r0") == IsDeleted(first, "need", "r0"));
    }
  }
}

TEST_CASE("Merge property: the LWW order and the counting order are total") {
  uint64_t seed = shefu::test::TestSeed();
  WARN("seed " << seed);
  Gen g(seed);
  for (int i = 0; i < Iterations(); ++i) {
    Cell a = g.RandomWrite().second, b = g.RandomWrite().second, c = g.RandomWrite().second;
    INFO("iteration " << i);
    REQUIRE(CompareLww(a, b) == -CompareLww(b, a));
    REQUIRE((CompareLww(a, b) == 0) == (a == b));
    if (CompareLww(a, b) < 0 && CompareLww(b, c) < 0) REQUIRE(CompareLww(a, c) < 0);
    std::string ia = "i" + std::to_string(g.Pick(3)), ib = "i" + std::to_string(g.Pick(3));
    bool ab = CountsBefore(a, ia, b, ib), ba = CountsBefore(b, ib, a, ia);
    bool same = a.hlc == b.hlc && a.node == b.node && ia == ib;
    REQUIRE((ab || ba || same));
    REQUIRE_FALSE((ab && ba));
  }
}

TEST_CASE("Merge property: an edit decision never drops a different value unlogged") {
  uint64_t seed = shefu::test::TestSeed();
  WARN("seed " << seed);
  Gen g(seed);
  for (int i = 0; i < Iterations(); ++i) {
    Cell cur = g.RandomWrite().second, in = g.RandomWrite().second;
    int64_t version = g.Pick(10), base = g.Pick(12);
    EditDecision d = DecideEdit(&cur, version, in, base);
    INFO("iteration " << i);
    REQUIRE(d.incoming_wins == (CompareLww(in, cur) > 0));  // the value is LWW alone
    if (in.value == cur.value) {
      REQUIRE_FALSE(d.log_loser);
    } else if (!d.incoming_wins) {
      REQUIRE(d.log_loser);  // the incoming value is never lost silently
    } else {
      bool saw = base >= version || cur.node == in.node;
      REQUIRE(d.log_loser == !saw);  // the current one only when the writer had not seen it
    }
  }
}

TEST_CASE("Merge property: the server's incremental apply equals the pure join — in any order") {
  uint64_t seed = shefu::test::TestSeed();
  WARN("seed " << seed);
  Gen g(seed);
  std::mt19937_64 shuffle(seed);
  for (int round = 0; round < 6; ++round) {
    // Writes from three clients, within the clock bound; need records exist beforehand.
    std::vector<std::pair<std::string, Change>> writes;  // (client, change)
    std::vector<std::string> clients = {"dev-a", "dev-b", "dev-c"};
    std::vector<int64_t> next_seq(3, 1);
    int64_t base_ms = 1764374400000 + 1000;
    for (int n = 0; n < 40; ++n) {
      int who = g.Pick(3);
      auto [k, c] = g.RandomWrite();
      if (k.entity == "need") k.group = "people";
      if (k.entity == "need") c.value = "{\"count\":" + std::to_string(1 + g.Pick(4)) + "}";
      auto v = ParseJson(c.value);
      REQUIRE(v.ok());
      Hlc stamp = Hlc::Make(base_ms + g.Pick(50), static_cast<uint32_t>(n));
      writes.emplace_back(clients[static_cast<size_t>(who)],
                          MakeChange(0, k.entity, k.id, k.group, *v, stamp, g.Pick(3)));
    }
    std::vector<ReplicaState> results;
    for (int order = 0; order < 2; ++order) {
      Rig rig(seed + static_cast<uint64_t>(round));
      // Records under the generator's ids: create them through uploads from a setup client.
      std::vector<Change> setup;
      for (int r = 0; r < 4; ++r)
        setup.push_back(MakeChange(r + 1, "need", "r" + std::to_string(r), "place", NeedPlace("C1"),
                                   Hlc::Make(base_ms - 500, static_cast<uint32_t>(r))));
      REQUIRE(rig.server->HandleUpload(WorkerOf("setup"), RawUpload("setup", setup)).ok());
      std::vector<std::pair<std::string, Change>> order_writes = writes;
      if (order == 1) std::shuffle(order_writes.begin(), order_writes.end(), shuffle);
      std::map<std::string, int64_t> seqs;
      for (auto& [client, change] : order_writes) {
        Change c = change;
        c.seq = ++seqs[client];
        Principal p = KioskOf(client);
        if (c.entity != "vote") p.role = Role::kCommunityWorker;
        auto reply = rig.server->HandleUpload(p, RawUpload(client, {c}));
        REQUIRE(reply.ok());
      }
      ReplicaState s;
      for (const char* entity : {"need", "visit", "vote", "need_support"}) {
        auto recs = AllRecords(*rig.server, entity);
        REQUIRE(recs.ok());
        for (const auto& r : *recs)
          for (const auto& [grp, gv] : r.groups)
            s.cells[CellKey{entity, r.id, grp}] = Cell{CanonicalJson(gv.value), gv.hlc, gv.node, 0};
      }
      results.push_back(s);
      // The counted votes agree with the pure model.
      ReplicaState pure;
      for (const auto& [client, change] : writes)
        JoinCell(&pure, CellKey{change.entity, change.id, change.group},
                 Cell{change.value_text, change.hlc, client, 0});
      for (int r = 0; r < 4; ++r)
        JoinCell(&pure, CellKey{"need", "r" + std::to_string(r), "place"},
                 Cell{CanonicalJson(NeedPlace("C1")),
                      Hlc::Make(base_ms - 500, static_cast<uint32_t>(r)), "setup", 0});
      INFO("round " << round << " order " << order);
      for (const auto& [k, c] : pure.cells) {
        auto it = s.cells.find(k);
        INFO(k.entity << "/" << k.id << "/" << k.group << " pure " << c.value << " " << c.node
                      << " " << c.hlc.ToHex() << " server "
                      << (it == s.cells.end() ? "missing"
                                              : it->second.value + " " + it->second.node + " " +
                                                    it->second.hlc.ToHex()));
        CHECK((it != s.cells.end() && it->second == c));
      }
      REQUIRE(s.cells.size() == pure.cells.size());
      for (const char* ballot : {"b0", "b1"}) {
        auto counted = rig.server->CountedRecords("vote", "ballot", ballot);
        REQUIRE(counted.ok());
        std::vector<std::string> ids;
        for (const auto& r : *counted) ids.push_back(r.id);
        std::vector<std::string> expect;
        for (const auto& id : CountedIds(pure, "vote")) {
          auto cell = pure.cells.find(CellKey{"vote", id, "record"});
          if (ParseJson(cell->second.value)->at("ballot") == ballot) expect.push_back(id);
        }
        REQUIRE(ids == expect);
      }
      REQUIRE(*rig.server->CounterSum("need_support", "n0") ==
              CounterSum(pure, "need_support", "n0"));
    }
    REQUIRE(results[0] == results[1]);
  }
}
