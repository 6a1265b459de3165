// The shortest end-to-end path: a device creates a need offline, syncs, a second device sees it.
#include "tests/sync/sync_fixture.h"

using namespace shefu;
using namespace shefu::sync;
using namespace shefu::sync::test;

TEST_CASE("Sync: a need written offline on one device reaches the server and another device") {
  Rig rig;
  DeviceNode& a = rig.AddDevice(WorkerOf("dev-a"));
  DeviceNode& b = rig.AddDevice(WorkerOf("dev-b"));
  auto id = a.store->Create("need", NewNeed());
  REQUIRE(id.ok());
  CHECK(DeviceValue(a, "need", *id, "description")["text"] == "楼道灯坏了");
  SyncSummary sa = rig.Sync(a);
  INFO(sa.error.ToString());
  CHECK(sa.final_state == SessionState::kDone);
  CHECK(sa.uploaded == 4);
  CHECK(ServerValue(*rig.server, "need", *id, "people")["count"] == 1);
  SyncSummary sb = rig.Sync(b);
  CHECK(sb.final_state == SessionState::kDone);
  CHECK(DeviceValue(b, "need", *id, "description")["text"] == "楼道灯坏了");
  auto v = b.store->Read("need", *id);
  REQUIRE(v.ok());
  REQUIRE(*v);
  CHECK_FALSE((*v)->Find("place")->local);
}
