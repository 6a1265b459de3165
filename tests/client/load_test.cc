// The server under load and under SIGKILL, driven by real field devices (the `shefu` binary):
//   - 50 devices push at once: every record is on the server exactly once;
//   - the server is killed with SIGKILL while devices push, restarted, the devices retry:
//     nothing lost, nothing doubled — checked against what every device had acknowledged and
//     what it still held.
#include <signal.h>

#include <set>
#include <thread>

#include "shared/env.h"
#include "shefu/shefu.h"
#include "tests/client/client_fixture.h"

using namespace shefu;
using namespace shefu::test;

namespace {

constexpr int kDevices = 50;
constexpr int kNeedsPerDevice = 20;

// Enrols `n` device profiles (one per directory) and records needs on each, offline.
void PrepareDevices(TownServer& town, std::vector<std::unique_ptr<TempDir>>& dirs, int n,
                    int needs_each) {
  for (int i = 0; i < n; ++i) {
    dirs.push_back(std::make_unique<TempDir>());
    EnrolCode code = town.IssueCode("wang");
    shefu_client* c = nullptr;
    REQUIRE(shefu_open(dirs.back()->path().c_str(), nullptr, SHEFU_OPEN_CREATE, &c) == SHEFU_OK);
    INFO(shefu_last_error(c));
    REQUIRE(shefu_enrol(c, town.url().c_str(), code.code.c_str(), nullptr, "load") == SHEFU_OK);
    for (int k = 0; k < needs_each; ++k) {
      Json form = {{"sub_item", "basic.elderly_care"},
                   {"description", "d" + std::to_string(i) + "-" + std::to_string(k)},
                   {"people", 1 + k % 5}};
      char* id = nullptr;
      REQUIRE(shefu_need_create(c, DumpJson(form).c_str(), &id) == SHEFU_OK);
      shefu_free(id);
    }
    shefu_close(c);
  }
}

// Every description stored on the server, with how many needs carry it.
std::map<std::string, int> ServerDescriptions(TownServer& town) {
  std::map<std::string, int> out;
  for (const auto& v : town.QueryStrings(
           "SELECT value FROM sync_field WHERE entity = 'need' AND grp = 'description'"))
    out[ParseJson(v).value()["text"].get<std::string>()]++;
  return out;
}

int64_t Pending(const std::string& dir) {
  Json st = ShefuJson(dir, {"status", "--json"});
  return st["pending_changes"].get<int64_t>();
}

}  // namespace

TEST_CASE("Concurrency: 50 devices push at once and every record lands exactly once") {
  TownServer town;
  town.AddWorker("wang", "王社工");
  town.Start();
  std::vector<std::unique_ptr<TempDir>> dirs;
  PrepareDevices(town, dirs, kDevices, kNeedsPerDevice);
  std::vector<std::unique_ptr<Process>> syncs;
  for (const auto& d : dirs)
    syncs.push_back(std::make_unique<Process>(
        std::vector<std::string>{BinaryPath("shefu"), "--data", d->path(), "sync", "--batch", "5"},
        std::map<std::string, std::string>{{"LANG", "en_US.UTF-8"}}));
  int failures = 0;
  for (auto& p : syncs) {
    int code = p->Wait(240000);
    if (code != 0) {
      ++failures;
      WARN("sync exit " << code << ": " << p->Output());
    }
  }
  CHECK(failures == 0);
  for (const auto& d : dirs) CHECK(Pending(d->path()) == 0);
  town.Stop();
  auto descs = ServerDescriptions(town);
  CHECK(descs.size() == static_cast<size_t>(kDevices * kNeedsPerDevice));
  for (const auto& [text, count] : descs) {
    INFO(text);
    CHECK(count == 1);
  }
  CHECK(town.QueryInt("SELECT count(DISTINCT id) FROM sync_field WHERE entity = 'need'") ==
        kDevices * kNeedsPerDevice);
}

TEST_CASE("Crash: the server killed with SIGKILL during pushes loses and doubles nothing") {
  const uint64_t seed = TestSeed();
  WARN("seed " << seed);
  SeededRng rng(seed);
  TownServer town;
  town.AddWorker("wang", "王社工");
  town.Start();
  const std::string url = town.url();
  const std::string port = url.substr(url.rfind(':') + 1);
  std::vector<std::unique_ptr<TempDir>> dirs;
  const int devices = 12, needs = 60;
  PrepareDevices(town, dirs, devices, needs);
  for (int round = 0; round < 3; ++round) {
    std::vector<std::unique_ptr<Process>> syncs;
    for (const auto& d : dirs)
      syncs.push_back(std::make_unique<Process>(
          std::vector<std::string>{BinaryPath("shefu"), "--data", d->path(), "sync", "--batch", "3",
                                   "--retries", "12"},
          std::map<std::string, std::string>{{"LANG", "en_US.UTF-8"}}));
    // Let some batches through, then kill the server mid-push and bring it back on its port.
    std::this_thread::sleep_for(std::chrono::milliseconds(100 + rng.Uniform(400)));
    town.Stop(SIGKILL);
    if (round == 0) {
      // The kill really hit the middle of the pushes: some needs in, some not yet.
      int64_t at_kill =
          town.QueryInt("SELECT count(*) FROM sync_field WHERE entity = 'need' AND grp = 'place'");
      WARN("needs on the server when it was killed: " << at_kill << " of " << devices * needs);
      CHECK(at_kill < devices * needs);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200 + rng.Uniform(300)));
    town.Start({"--listen", "127.0.0.1:" + port});
    for (auto& p : syncs) p->Wait(240000);  // retried through the outage (or ends; see below)
  }
  // Whatever a sync left unsent is still on its device: a last sync sends it.
  for (const auto& d : dirs) {
    auto r = Shefu(d->path(), {"sync"});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK(Pending(d->path()) == 0);
  }
  town.Stop();
  auto descs = ServerDescriptions(town);
  CHECK(descs.size() == static_cast<size_t>(devices * needs));
  for (const auto& [text, count] : descs) {
    INFO(text);
    CHECK(count == 1);
  }
  // The server's progress for each device equals what the device wrote: nothing acknowledged
  // is missing, nothing applied twice.
  CHECK(town.QueryInt("SELECT count(*) FROM sync_field WHERE entity = 'need' AND grp = 'place'") ==
        devices * needs);
}
