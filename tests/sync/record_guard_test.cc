// The entity table's state-dependent guard, enforced by the engine on both sides: a device cannot
// do through sync what the staff API refuses (a project's proposal is frozen once submitted).
#include <catch2/catch.hpp>

#include "tests/sync/sync_fixture.h"

using namespace shefu;
using namespace shefu::sync;
using namespace shefu::sync::test;

namespace {
Json Proposal(const std::string& title, const std::string& origin = "community_deliberated") {
  return {{"title", title},
          {"origin", origin},
          {"category", "basic"},
          {"sub_item", "basic.elderly_care"},
          {"year", 2026}};
}
}  // namespace

TEST_CASE("Record guard: a device edits a proposal only while it is a draft or returned") {
  Rig rig;
  DeviceNode& dev = rig.AddDevice(WorkerOf("dev-a"));
  auto id = dev.store->Create(
      "project", {{"place", Json{{"code", "C1"}}}, {"proposal", Proposal("长者饭堂")}});
  REQUIRE(id.ok());
  REQUIRE(rig.Sync(dev).rejected.empty());
  // The town starts the review: the lifecycle group is the server's.
  auto w = rig.server->LocalWrite(TownStaffOf(""),
                                  {{"project",
                                    *id,
                                    "lifecycle",
                                    Json{{"state", "under_review"}, {"event", "start_review"}},
                                    {}}});
  REQUIRE(w.ok());
  REQUIRE(rig.Sync(dev).final_state == SessionState::kDone);
  // Locally refused at once ...
  Status local = dev.store->Write("project", *id, "proposal", Proposal("改过的标题"));
  CHECK(local.code() == "not_editable");
  CHECK(local.article() == "第二十条");
  // A device that claims a town-planned project is refused on the device and on the server.
  Status planned = dev.store
                       ->Create("project", {{"place", Json{{"code", "C1"}}},
                                            {"proposal", Proposal("镇街统筹", "town_planned")}})
                       .status();
  CHECK(planned.code() == "origin_not_from_device");
}

TEST_CASE("Record guard: the server refuses a device edit that the device did not see was frozen") {
  Rig rig;
  DeviceNode& a = rig.AddDevice(WorkerOf("dev-a"));
  DeviceNode& b = rig.AddDevice(WorkerOf("dev-b"));
  auto id = a.store->Create("project",
                            {{"place", Json{{"code", "C1"}}}, {"proposal", Proposal("长者饭堂")}});
  REQUIRE(id.ok());
  rig.Sync(a);
  rig.Sync(b);  // b has the draft
  REQUIRE(rig.server
              ->LocalWrite(TownStaffOf(""),
                           {{"project", *id, "lifecycle", Json{{"state", "submitted"}}, {}}})
              .ok());
  // b edits offline, still seeing a draft.
  REQUIRE(b.store->Write("project", *id, "proposal", Proposal("离线修改")).ok());
  SyncSummary s = rig.Sync(b);
  REQUIRE(s.rejected.size() == 1);
  CHECK(s.rejected[0].detail == "not_editable");
  // Nothing lost: the refused value is in the conflict log; the record keeps the submitted text.
  CHECK(ServerValue(*rig.server, "project", *id, "proposal")["title"] == "长者饭堂");
  ConflictQuery q;
  q.record_id = *id;
  auto log = rig.server->ListConflicts(q);
  REQUIRE(log.ok());
  REQUIRE(log->size() == 1);
  CHECK(log->at(0).rule == Rule::kValidationReject);
  CHECK(log->at(0).loser.value.find("离线修改") != std::string::npos);
  CHECK(DeviceValue(b, "project", *id, "proposal")["title"] == "长者饭堂");
}

TEST_CASE(
    "Record guard: a draft edited on the platform and offline on a device keeps both values") {
  Rig rig;
  DeviceNode& a = rig.AddDevice(WorkerOf("dev-a"));
  auto id = a.store->Create("project",
                            {{"place", Json{{"code", "C1"}}}, {"proposal", Proposal("长者饭堂")}});
  REQUIRE(id.ok());
  rig.Sync(a);
  // The town corrects the draft's title on the platform; the device, offline, edits it too.
  REQUIRE(
      rig.server
          ->LocalWrite(TownStaffOf(""), {{"project", *id, "proposal", Proposal("长者食堂"), {}}})
          .ok());
  rig.clock.Advance(60'000);
  REQUIRE(a.store->Write("project", *id, "proposal", Proposal("长者助餐点")).ok());
  SyncSummary s = rig.Sync(a);
  CHECK(s.rejected.empty());
  // The later write stands; the one it overwrote without having seen it is in the log.
  CHECK(ServerValue(*rig.server, "project", *id, "proposal")["title"] == "长者助餐点");
  ConflictQuery q;
  q.record_id = *id;
  std::vector<Conflict> log = Conflicts(*rig.server, q);
  REQUIRE(log.size() == 1);
  CHECK(log[0].rule == Rule::kLwwConcurrent);
  CHECK(log[0].loser.value.find("长者食堂") != std::string::npos);
  CHECK(DeviceValue(a, "project", *id, "proposal")["title"] == "长者助餐点");
}
