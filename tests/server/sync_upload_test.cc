// POST /v1/sync/upload on the real server: devices uploading at the same time (their uploads
// share transactions through the upload queue) all get their acknowledgements, in order, with
// nothing lost and nothing doubled; a malformed body is refused by the engine's decoder with
// the protocol's error and changes nothing.
#include <thread>

#include "tests/server/staff_fixture.h"

using namespace shefu;
using namespace shefu::test;

namespace {

Json UploadVisit(const std::string& id, int room) {
  return RecordChange("visit", id,
                      {{"community", kCommunity},
                       {"building", "3"},
                       {"room", std::to_string(room)},
                       {"date", "2026-03-01"},
                       {"outcome", "visited"}});
}

}  // namespace

TEST_CASE("Sync upload over HTTP: devices at once are all acknowledged, in order, once each") {
  StaffServer s;
  const int kUploads = 12, kPerUpload = 25;
  // Bodies are built first (the fixture is not thread-safe); each device then sends its own in
  // order on its own connection while the other device does the same.
  std::map<std::string, std::vector<std::string>> bodies;
  for (const std::string dev : {"cw_dev", "kiosk_dev"}) {
    for (int u = 0; u < kUploads; ++u) {
      std::vector<Json> changes;
      for (int i = 0; i < kPerUpload; ++i)
        changes.push_back(UploadVisit(dev + "-" + std::to_string(u) + "-" + std::to_string(i), i));
      bodies[dev].push_back(DumpJson(s.UploadBody(dev, std::move(changes))));
    }
  }
  std::map<std::string, std::vector<int64_t>> acked;
  std::map<std::string, int> failures;
  std::vector<std::thread> threads;
  for (const std::string dev : {"cw_dev", "kiosk_dev"}) {
    acked[dev];
    failures[dev] = 0;
  }
  for (const std::string dev : {"cw_dev", "kiosk_dev"}) {
    threads.emplace_back([&, dev] {
      httplib::Client cli("127.0.0.1", s.port());
      cli.set_read_timeout(60);
      httplib::Headers h = {{"Authorization", "Bearer " + s.token(dev)}};
      for (const std::string& body : bodies[dev]) {
        auto r = cli.Post("/v1/sync/upload", h, body, "application/json");
        if (!r || r->status != 200) {
          ++failures[dev];
          continue;
        }
        acked[dev].push_back(Json::parse(r->body)["acked_seq"].get<int64_t>());
      }
    });
  }
  for (auto& t : threads) t.join();
  for (const std::string dev : {"cw_dev", "kiosk_dev"}) {
    INFO(dev);
    CHECK(failures[dev] == 0);
    REQUIRE(acked[dev].size() == static_cast<size_t>(kUploads));
    for (int u = 0; u < kUploads; ++u) CHECK(acked[dev][u] == (u + 1) * kPerUpload);
    Json status = s.Ok(dev, "GET", "/v1/sync/status");
    CHECK(status["expected_seq"] == kUploads * kPerUpload + 1);
  }
  // Every visit of the community worker's device is stored once (the kiosk may not record
  // visits: its writes are refused per record, and acknowledged all the same).
  Db* db = nullptr;
  auto opened = Db::Open(s.data_dir() + "/shefu.db");
  REQUIRE(opened.ok());
  db = opened->get();
  auto st = db->Prepare(
      "SELECT count(*), count(DISTINCT id) FROM sync_field WHERE entity = 'visit' AND id LIKE "
      "'cw_dev-%'");
  REQUIRE(st.ok());
  REQUIRE(*st->Step());
  CHECK(st->Int(0) == kUploads * kPerUpload);
  CHECK(st->Int(1) == kUploads * kPerUpload);
}

TEST_CASE("Sync upload over HTTP: a malformed body gets the protocol's error and changes nothing") {
  StaffServer s;
  httplib::Client cli("127.0.0.1", s.port());
  httplib::Headers h = {{"Authorization", "Bearer " + s.token("cw_dev")}};
  for (const char* body : {"{\"protocol\": 1, \"schema\":", "[]", "\"x\"", ""}) {
    INFO(body);
    auto r = cli.Post("/v1/sync/upload", h, body, "application/json");
    REQUIRE(r);
    CHECK(r->status == 400);
    Json j = Json::parse(r->body);
    CHECK(j["error"]["code"] == "bad_request");
    CHECK(j["error"]["action"] == "reject");
    CHECK(j["code"] == "bad_request");
  }
  Json status = s.Ok("cw_dev", "GET", "/v1/sync/status");
  CHECK(status["expected_seq"] == 1);
}
