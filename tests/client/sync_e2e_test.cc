// The real `shefu` binary against a real shefu-server on 127.0.0.1: offline capture, exactly-once
// delivery, and a server killed in the middle of an upload.
#include <signal.h>

#include <set>

#include "shefu/shefu.h"
#include "tests/client/client_fixture.h"

using namespace shefu;
using namespace shefu::test;

namespace {

// Creates `n` needs through the C API (the same library the binary uses), fast enough for
// thousands: the profile is opened once.
void CaptureNeeds(const std::string& device, int n, const std::string& prefix) {
  shefu_client* c = nullptr;
  REQUIRE(shefu_open(device.c_str(), nullptr, 0, &c) == SHEFU_OK);
  for (int i = 0; i < n; ++i) {
    Json form = {{"sub_item", "basic.elderly_care"},
                 {"description", prefix + std::to_string(i)},
                 {"people", 1 + i % 7},
                 {"building", std::to_string(1 + i % 30)},
                 {"room", std::to_string(100 + i)}};
    char* id = nullptr;
    int rc = shefu_need_create(c, DumpJson(form).c_str(), &id);
    INFO(shefu_last_error(c));
    REQUIRE(rc == SHEFU_OK);
    shefu_free(id);
  }
  shefu_close(c);
}

int64_t CountLines(const std::string& text, const std::string& needle) {
  int64_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("Needs captured with the server down reach it exactly once after it starts") {
  TownServer town;
  town.AddWorker("wang", "王社工");
  TempDir device;
  EnrolDevice(town, device.path(), "wang");  // the server is down again afterwards

  for (int i = 0; i < 5; ++i) {
    auto r = Shefu(device.path(), {"need", "add", "--sub-item", "basic.elderly_care",
                                   "--description", "offline need " + std::to_string(i), "--people",
                                   std::to_string(i + 1), "--phone", "13812341234"});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
  }
  // Everything except sync works offline.
  Json st = ShefuJson(device.path(), {"status", "--json"});
  CHECK(st["pending_changes"].get<int64_t>() >= 5 * 4);
  CHECK(st["unsent_records"] == 5);
  CHECK(st["oldest_unsent_age_s"].is_number());
  Json list = ShefuJson(device.path(), {"need", "list", "--json"});
  REQUIRE(list.size() == 5);
  CHECK(list[0]["phone_masked"] == "138****1234");
  CHECK(list[0].contains("phone") == false);
  auto table = Shefu(device.path(), {"need", "list"});
  CHECK(table.out.find("13812341234") == std::string::npos);  // masked in listings

  // Server down: a clear error, a non-zero exit, nothing lost.
  auto down = Shefu(device.path(), {"sync", "--retries", "2"});
  CHECK(down.exit_code == 1);
  CHECK(down.err.find("cannot reach the server") != std::string::npos);
  CHECK(down.err.find("kept on this device") != std::string::npos);
  CHECK(ShefuJson(device.path(), {"status", "--json"})["unsent_records"] == 5);

  town.Start();
  REQUIRE(Shefu(device.path(), {"config", "set-url", town.url()}).exit_code == 0);
  auto up = Shefu(device.path(), {"sync"});
  INFO(up.out << up.err);
  REQUIRE(up.exit_code == 0);
  CHECK(up.out.find("rejected 0") != std::string::npos);
  // A second sync sends nothing again.
  Json again = ShefuJson(device.path(), {"sync", "--json"});
  CHECK(again["result"] == "ok");
  CHECK(again["uploaded"] == 0);
  st = ShefuJson(device.path(), {"status", "--json"});
  CHECK(st["pending_changes"] == 0);
  CHECK(st["last_sync"].is_string());
  CHECK(st["clock_offset_ms"].is_number());

  town.Stop();
  CHECK(town.QueryInt("SELECT count(*) FROM sync_field WHERE entity = 'need' AND grp = 'place'") ==
        5);
  auto texts = town.QueryStrings(
      "SELECT value FROM sync_field WHERE entity = 'need' AND grp = 'description' ORDER BY value");
  REQUIRE(texts.size() == 5);
  for (int i = 0; i < 5; ++i)
    CHECK(texts[static_cast<size_t>(i)] == "{\"text\":\"offline need " + std::to_string(i) + "\"}");
}

TEST_CASE("A server killed in the middle of an upload loses and doubles nothing") {
  TownServer town;
  town.AddWorker("wang", "王社工");
  TempDir device;
  EnrolDevice(town, device.path(), "wang");
  const int kNeeds = 2000;
  CaptureNeeds(device.path(), kNeeds, "need #");
  const int64_t pending = ShefuJson(device.path(), {"status", "--json"})["pending_changes"];
  REQUIRE(pending >= kNeeds * 4);

  town.Start();
  REQUIRE(Shefu(device.path(), {"config", "set-url", town.url()}).exit_code == 0);
  const std::string log_path = town.data() + "/logs/access.log";
  // Small batches so the upload takes many round trips; few retries so the interrupted sync
  // gives up soon after the server is gone.
  Process sync({BinaryPath("shefu"), "--data", device.path(), "--lang", "en", "sync", "--batch",
                "25", "--retries", "2"});
  // Kill after a seeded number of acknowledged batches (the seed is printed on failure).
  const uint64_t seed = TestSeed();
  const int64_t kill_after = 3 + static_cast<int64_t>(seed % 40);
  INFO("seed " << seed << ", kill after " << kill_after << " acknowledged batches");
  int64_t acked = 0;
  for (int i = 0; i < 30000 && acked < kill_after; ++i) {
    std::string log = ReadFile(log_path);
    acked = CountLines(log, "\"route\":\"/v1/sync/upload\",\"status\":200");
    if (acked < kill_after) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  REQUIRE(acked >= kill_after);
  town.Stop(SIGKILL);
  int code = sync.Wait(120000);
  INFO(sync.Output());
  CHECK(code == 1);  // it could not finish: a clear error, not a hang
  CHECK(sync.Output().find("cannot reach the server") != std::string::npos);
  // The kill really was mid-upload: some changes went, some are still waiting.
  Json mid = ShefuJson(device.path(), {"status", "--json"});
  INFO("pending after the kill: " << mid["pending_changes"]);
  REQUIRE(mid["pending_changes"].get<int64_t>() > 0);
  REQUIRE(mid["pending_changes"].get<int64_t>() < pending);

  town.Start();  // a new port
  REQUIRE(Shefu(device.path(), {"sync", "--server", town.url(), "--json"}).exit_code == 0);
  CHECK(ShefuJson(device.path(), {"status", "--json"})["pending_changes"] == 0);
  CHECK(ShefuJson(device.path(), {"need", "list", "--json"}).size() == kNeeds);
  town.Stop();

  CHECK(town.QueryInt("SELECT count(*) FROM sync_field WHERE entity = 'need' AND grp = 'place'") ==
        kNeeds);
  auto texts = town.QueryStrings(
      "SELECT value FROM sync_field WHERE entity = 'need' AND grp = 'description'");
  std::set<std::string> distinct(texts.begin(), texts.end());
  CHECK(texts.size() == static_cast<size_t>(kNeeds));
  CHECK(distinct.size() == static_cast<size_t>(kNeeds));
  for (int i = 0; i < kNeeds; ++i)
    REQUIRE(distinct.count("{\"text\":\"need #" + std::to_string(i) + "\"}") == 1);
  // The server applied exactly the device's outbox, each seq once.
  CHECK(town.QueryInt("SELECT last_seq FROM sync_client") == pending);
}
