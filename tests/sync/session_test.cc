// The device session as a state machine: its transitions, backoff, retries and limits.
#include "tests/sync/sync_fixture.h"

using namespace shefu;
using namespace shefu::sync;
using namespace shefu::sync::test;

namespace {

class RecordingSleeper final : public Sleeper {
 public:
  void SleepMs(int64_t ms) override { delays.push_back(ms); }
  std::vector<int64_t> delays;
};

}  // namespace

TEST_CASE(
    "Session: a plain sync walks start then upload then upload_anon then download then done") {
  Rig rig;
  DeviceNode& a = rig.AddDevice(WorkerOf("dev-a"));
  REQUIRE(a.store->Create("need", NewNeed()).ok());
  NoSleep sleep;
  SessionOptions so;
  so.upload_batch = 3;
  SyncSession s(*a.store, *a.transport, *a.rng, sleep, so);
  std::vector<std::string> path;
  s.set_progress([&](const Progress& p) {
    path.push_back(std::string(SessionStateName(p.from)) + ">" + SessionStateName(p.to));
  });
  SyncSummary sum = s.Run();
  CHECK(sum.final_state == SessionState::kDone);
  CHECK(path == std::vector<std::string>{"start>upload", "upload>upload", "upload>upload",
                                         "upload>upload_anon", "upload_anon>download",
                                         "download>done"});
  CHECK(sum.uploaded == 4);
  CHECK(sum.downloaded == 4);
  CHECK_FALSE(s.Step());
  CHECK(IsFinal(s.state()));
}

TEST_CASE("Session: retries back off exponentially with jitter — then give up") {
  Rig rig;
  DeviceNode& a = rig.AddDevice(WorkerOf("dev-a"));
  REQUIRE(a.store->Create("need", NewNeed()).ok());
  a.transport->set_partitioned(true);
  RecordingSleeper sleep;
  SessionOptions so;
  so.max_attempts = 8;
  so.backoff_base_ms = 500;
  so.backoff_max_ms = 10000;
  SyncSession s(*a.store, *a.transport, *a.rng, sleep, so);
  SyncSummary sum = s.Run();
  CHECK(sum.final_state == SessionState::kFailed);
  CHECK(sum.error.code() == "transport_error");
  REQUIRE(sleep.delays.size() == 7);
  for (size_t i = 0; i < sleep.delays.size(); ++i) {
    int64_t cap = std::min<int64_t>(500LL << i, 10000);
    INFO("attempt " << i + 1 << " slept " << sleep.delays[i]);
    CHECK(sleep.delays[i] >= cap / 2);
    CHECK(sleep.delays[i] <= cap);
  }
  CHECK(*a.store->PendingCount() == 4);
}

TEST_CASE("Session: the attempt count starts again after every successful exchange") {
  Rig rig;
  DeviceNode& a = rig.AddDevice(WorkerOf("dev-a"));
  for (int i = 0; i < 10; ++i)
    REQUIRE(a.store->Create("visit", {{"record", Visit(std::to_string(i))}}).ok());
  int calls = 0;
  LoopbackTransport flaky([&](std::string_view route, Json body) {
    if (++calls % 2 == 1) return Reply{503, Encode(ToErrorReply(ProtocolError(kServerBusy)))};
    return rig.server->Handle(route, a.principal, std::move(body));
  });
  NoSleep sleep;
  SessionOptions so;
  so.upload_batch = 1;
  so.max_attempts = 2;  // one failure per exchange is always survivable
  SyncSession s(*a.store, flaky, *a.rng, sleep, so);
  CHECK(s.Run().final_state == SessionState::kDone);
  CHECK(AllRecords(*rig.server, "visit")->size() == 10);
}

TEST_CASE("Session: a server that keeps asking the impossible stops at the transition limit") {
  Rig rig;
  DeviceNode& a = rig.AddDevice(WorkerOf("dev-a"));
  REQUIRE(a.store->Create("need", NewNeed()).ok());
  LoopbackTransport stubborn([](std::string_view, Json) {
    return Reply{409, Encode(ToErrorReply(ProtocolError(kExpectedSeq), 1))};
  });
  NoSleep sleep;
  SessionOptions so;
  so.max_transitions = 50;
  SyncSession s(*a.store, stubborn, *a.rng, sleep, so);
  SyncSummary sum = s.Run();
  CHECK(sum.final_state == SessionState::kFailed);
  CHECK(sum.error.code() == "sync_loop");
  CHECK(sum.transitions == 51);  // 50, then the move to failed
}

TEST_CASE("Session: a device that must re-enrol does not upload") {
  Rig rig;
  DeviceNode& a = rig.AddDevice(WorkerOf("dev-a"));
  REQUIRE(a.store->Create("need", NewNeed()).ok());
  REQUIRE(a.store->MarkNeedsReenrolment("seq_reuse").ok());
  SyncSummary s = rig.Sync(a);
  CHECK(s.final_state == SessionState::kNeedsReenrolment);
  CHECK(*rig.server->ExpectedSeq("dev-a") == 1);
}
