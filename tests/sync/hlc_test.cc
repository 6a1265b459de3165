// The hybrid logical clock: packing, monotonicity across wall-clock rollbacks and restarts, the
// receive rule, and the bound on stamps from the future.
#include "sync/hlc.h"
#include "sync/merge.h"
#include "tests/sync/sync_fixture.h"

using namespace shefu;
using namespace shefu::sync;
using namespace shefu::sync::test;

TEST_CASE("HLC: 48-bit milliseconds and a 16-bit counter — 16 hex digits on the wire") {
  Hlc h = Hlc::Make(1764374400123, 7);
  CHECK(h.ms() == 1764374400123);
  CHECK(h.counter() == 7);
  CHECK(h.ToHex().size() == 16);
  CHECK(Hlc::FromHex(h.ToHex()) == h);
  CHECK(Hlc::FromHex("019ACCE8CC0A0007").has_value());         // either case
  CHECK_FALSE(Hlc::FromHex("019acce8cc0a000").has_value());    // 15 digits
  CHECK_FALSE(Hlc::FromHex("019acce8cc0a00071").has_value());  // 17
  CHECK_FALSE(Hlc::FromHex("019acce8cc0a000g").has_value());
  CHECK_FALSE(Hlc::FromHex("8000000000000000").has_value());  // beyond kMaxMs: not an SQLite int
  CHECK(Hlc::Make(5, 0) < Hlc::Make(5, 1));
  CHECK(Hlc::Make(5, 0xFFFF) < Hlc::Make(6, 0));
  CHECK(Hlc::FromInt(h.AsInt()) == h);
}

TEST_CASE("HLC: stamps only grow — even when the wall clock stalls or goes back") {
  FakeClock wall;
  HybridClock clock(wall);
  Hlc a = clock.Now();
  Hlc b = clock.Now();  // same millisecond
  CHECK(b > a);
  CHECK(b.ms() == a.ms());
  wall.Advance(-3600 * 1000);  // the wall clock is set back an hour
  Hlc c = clock.Now();
  CHECK(c > b);
  wall.Advance(2 * 3600 * 1000);
  Hlc d = clock.Now();
  CHECK(d > c);
  CHECK(d.counter() == 0);
}

TEST_CASE("HLC: an exhausted counter moves to the next millisecond") {
  FakeClock wall;
  HybridClock clock(wall, Hlc::Make(wall.NowMs(), Hlc::kMaxCounter - 1));
  Hlc a = clock.Now();
  CHECK(a.counter() == Hlc::kMaxCounter);
  Hlc b = clock.Now();
  CHECK(b.ms() == a.ms() + 1);
  CHECK(b.counter() == 0);
}

TEST_CASE("HLC: the last stamp is persisted — so a restart with an earlier wall clock continues") {
  shefu::test::TempDir dir;
  FakeClock wall;
  Hlc issued;
  {
    auto db = Db::Open(dir.file("c.db"));
    REQUIRE(db.ok());
    REQUIRE(MigrateClockSchema(**db).ok());
    HybridClock clock(wall);
    for (int i = 0; i < 5; ++i) issued = clock.Now();
    REQUIRE(SaveHlc(**db, clock.last()).ok());
    REQUIRE(SaveHlc(**db, Hlc::Make(1, 0)).ok());  // never lowers the stored value
  }
  wall.Advance(-24LL * 3600 * 1000);
  auto db = Db::Open(dir.file("c.db"));
  REQUIRE(db.ok());
  auto last = LoadHlc(**db);
  REQUIRE(last.ok());
  CHECK(*last == issued);
  HybridClock clock(wall, *last);
  CHECK(clock.Now() > issued);
}

TEST_CASE("HLC: a device's stamps survive a restart with its wall clock set back") {
  Rig rig;
  DeviceNode& a = rig.AddDevice(WorkerOf("dev-a"));
  auto id = a.store->Create("need", NewNeed());
  REQUIRE(id.ok());
  auto before = a.store->OutboxEntries();
  REQUIRE(before.ok());
  Hlc newest = before->front().hlc;
  a.clock->set_offset(-6 * 3600 * 1000);
  rig.OpenDevice(a);
  REQUIRE(a.store->Write("need", *id, "people", NeedPeople(3)).ok());
  auto after = a.store->OutboxEntries();
  REQUIRE(after.ok());
  CHECK(after->front().hlc > newest);
}

TEST_CASE("HLC: the receive rule puts every later local stamp above a received one") {
  FakeClock wall;
  HybridClock clock(wall);
  Hlc remote = Hlc::Make(wall.NowMs() + 60000, 9);  // one minute ahead: within the bound
  ReceiveOutcome r = clock.Receive(remote);
  CHECK(r.merged);
  CHECK_FALSE(r.beyond_bound);
  CHECK(r.ahead_ms == 60000);
  CHECK(clock.Now() > remote);
  // Equal logical times take the larger counter.
  HybridClock c2(wall, Hlc::Make(wall.NowMs() + 5000, 3));
  c2.Receive(Hlc::Make(wall.NowMs() + 5000, 8));
  CHECK(c2.last() == Hlc::Make(wall.NowMs() + 5000, 9));
  // A stamp behind ours changes nothing but the counter.
  Hlc mine = c2.last();
  c2.Receive(Hlc::Make(wall.NowMs() - 100000, 0));
  CHECK(c2.last() == Hlc::Make(mine.ms(), mine.counter() + 1));
}

TEST_CASE("HLC: a stamp more than 5 minutes ahead is flagged and does not drag the clock") {
  FakeClock wall;
  HybridClock clock(wall);
  Hlc future = Hlc::Make(wall.NowMs() + 2LL * 24 * 3600 * 1000, 0);
  ReceiveOutcome r = clock.Receive(future);
  CHECK(r.beyond_bound);
  CHECK_FALSE(r.merged);
  CHECK(clock.Now() < future);
  CHECK(clock.BeyondBound(future));
  CHECK_FALSE(clock.BeyondBound(Hlc::Make(wall.NowMs() + 299000, 0)));
  // A device trusts its server: merged, but still flagged.
  ReceiveOutcome t = clock.Receive(future, /*trusted=*/true);
  CHECK(t.beyond_bound);
  CHECK(t.merged);
  CHECK(clock.Now() > future);
  // The merge's cap: a future stamp cannot win by it.
  Hlc receive = Hlc::Make(wall.NowMs(), 4);
  EffectiveStamp e = Effective(future, wall.NowMs(), 5 * 60 * 1000, receive);
  CHECK(e.capped);
  CHECK(e.hlc == receive);
  CHECK_FALSE(Effective(receive, wall.NowMs(), 5 * 60 * 1000, receive).capped);
}

TEST_CASE("HLC: a device whose clock is days behind catches up from the server's stamp") {
  Rig rig;
  DeviceNode& slow = rig.AddDevice(WorkerOf("dev-slow"), -3LL * 24 * 3600 * 1000);
  REQUIRE(slow.store->Create("need", NewNeed()).ok());
  REQUIRE(rig.Sync(slow).final_state == SessionState::kDone);
  CHECK(slow.store->clock().offset_ms() > 2LL * 24 * 3600 * 1000);
  CHECK(std::llabs(slow.store->clock().PhysicalMs() - rig.clock.NowMs()) < 60000);
  // The offset is kept across a restart.
  rig.OpenDevice(slow);
  CHECK(slow.store->clock().offset_ms() > 2LL * 24 * 3600 * 1000);
}
