// The audit trail and the sync engine commit together: every upload has its audit entry in the
// same transaction, and a write that does not commit leaves no entry (and vice versa).
#include <catch2/catch.hpp>

#include "server/central_store.h"
#include "server/sync_service.h"
#include "shared/divisions.h"
#include "sync/device_store.h"
#include "sync/wire.h"
#include "tests/support/test_util.h"

using namespace shefu;
using namespace shefu::server;

namespace {

int64_t Count(CentralStore& store, const char* sql) {
  auto db = store.Reader();
  REQUIRE(db.ok());
  auto n = (*db)->QueryInt(sql);
  REQUIRE(n.ok());
  return n->value_or(0);
}

}  // namespace

TEST_CASE("Audit: each upload is audited inside its own transaction, ids and counts only") {
  test::TempDir dir;
  auto store = CentralStore::Open(dir.path());
  REQUIRE(store.ok());
  auto places = Divisions::LoadEmbedded();
  REQUIRE(places.ok());
  FakeClock clock;
  SeededRng rng(7);
  bool crash = false;
  sync::ServerOptions opt;
  opt.fault = [&](std::string_view point) { return crash && point == "upload:before_commit"; };
  auto svc = SyncService::Open(**store, clock, rng, *places, opt);
  REQUIRE(svc.ok());

  auto dev_db = Db::Open(dir.file("device.db"));
  REQUIRE(dev_db.ok());
  auto dev = sync::DeviceStore::Open(**dev_db, clock, rng, *places);
  REQUIRE(dev.ok());
  REQUIRE((*dev)->SetClientId("c_device1").ok());
  auto need = (*dev)->Create(
      "need", {{"place", Json{{"community", "440404100204"}, {"building", "3"}}},
               {"category", Json{{"category", "basic"}, {"sub_item", "basic.elderly_care"}}},
               {"description", Json{{"text", "独居老人需要助餐 王大爷 13812341234"}}},
               {"people", Json{{"count", 1}}}});
  REQUIRE(need.ok());
  auto batch = (*dev)->NextUploadBatch(100);
  REQUIRE(batch.ok());
  REQUIRE(batch->has_value());
  sync::Principal p;
  p.client_id = "c_device1";
  p.user_id = 42;
  p.role = Role::kCommunityWorker;
  p.scope = Scope{"440404", "440404100", "440404100204", ""};
  std::string body = DumpJson(sync::Encode(**batch, sync::VersionPolicy{}));

  const int64_t audit_before = Count(**store, "SELECT count(*) FROM audit");
  // A crash just before commit: neither the need nor an audit entry.
  crash = true;
  sync::Reply failed = (*svc)->Upload(p, body);
  CHECK(failed.http_status >= 500);
  CHECK(Count(**store, "SELECT count(*) FROM audit") == audit_before);
  CHECK(Count(**store, "SELECT count(*) FROM sync_field WHERE entity = 'need'") == 0);
  // The retry commits both.
  crash = false;
  sync::Reply ok = (*svc)->Upload(p, body);
  REQUIRE(ok.http_status == 200);
  CHECK(Count(**store, "SELECT count(*) FROM audit") == audit_before + 1);
  auto db = (*store)->Reader();
  auto st = (*db)->Prepare(
      "SELECT actor_user, actor_device, action, entity, record_id, detail FROM audit "
      "ORDER BY seq DESC LIMIT 1");
  REQUIRE(st.ok());
  REQUIRE(*st->Step());
  CHECK(st->Int(0) == 42);
  CHECK(st->Str(1) == "c_device1");
  CHECK(st->Str(2) == "sync.upload");
  CHECK(st->Str(3) == "need");
  CHECK(st->Str(4) == *need);
  // Ids and counts only: none of the need's text, nor the phone number in it.
  CHECK(st->Str(5).find("王") == std::string::npos);
  CHECK(st->Str(5).find("13812341234") == std::string::npos);
}
