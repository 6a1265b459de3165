// The simulation's world: the server, the devices, the fault switches, and the tap that records
// what the server applied (for the oracle). Internal to tests/sync/sim.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "shared/db.h"
#include "shared/entity_types.h"
#include "shared/env.h"
#include "sync/device_store.h"
#include "sync/session.h"
#include "sync/sync_server.h"
#include "sync/transport.h"
#include "tests/sync/sim/sim.h"

namespace shefu::sync::sim {

// D1 > T1 > C1, C2; D1 > T2 > C3. Devices also know C9 (in T2); the server does not.
class SimPlaces final : public DomainContext {
 public:
  explicit SimPlaces(bool knows_c9) : knows_c9_(knows_c9) {}
  bool ResolvePlace(std::string_view code, Place* out) const override;

 private:
  bool knows_c9_;
};

// Who wrote a value: (origin node, origin seq).
struct Identity {
  std::string node;
  int64_t seq = 0;
  auto operator<=>(const Identity&) const = default;
};

// One write the server applied (first time in the current timeline).
struct TapWrite {
  Identity id;
  Change change;
  Principal principal;
  int64_t server_now_ms = 0;
  bool refused = false;
  std::string rule;    // the refusal's rule code
  bool local = false;  // a staff write on the server
};
struct TapAnon {
  Principal principal;
  std::string batch_id;
  std::vector<AnonItem> items;
  std::set<int64_t> refused;
};
// What the server's current store has applied, in order. Restoring the server from a backup
// restores the timeline saved with it.
struct Timeline {
  std::vector<TapWrite> writes;
  std::set<Identity> applied;
  std::vector<TapAnon> anon;
  std::set<std::string> anon_ids;
};

// An acknowledged outbox row, from a device state (current, or discarded by a restore).
struct AckedRow {
  Identity id;
  int64_t local_id = 0;
  std::string entity, record, group, value, outcome;
  bool discarded = false;
};

// A device write and what its author saw in that group when writing it.
struct SimWrite {
  int64_t local_id = 0;
  std::optional<Identity> saw;       // a confirmed value
  std::optional<int64_t> saw_local;  // the device's own unconfirmed value (by local_id)
};

struct Device {
  int index = 0;
  Principal principal;
  std::string community;  // where it mostly writes
  std::string path;
  std::unique_ptr<SkewedClock> clock;
  std::unique_ptr<SeededRng> rng;
  std::unique_ptr<Db> db;
  std::unique_ptr<DeviceStore> store;
  std::unique_ptr<LoopbackTransport> transport;
  std::unique_ptr<SyncSession> session;
  std::string crash_point;
  bool crashed = false;
  std::vector<std::string> backups;
  int reenrolments = 0;
};

class World;

class SimSleeper final : public Sleeper {
 public:
  explicit SimSleeper(FakeClock& c) : clock_(c) {}
  void SleepMs(int64_t ms) override { clock_.Advance(std::min<int64_t>(ms, 2000)); }

 private:
  FakeClock& clock_;
};

class World {
 public:
  World(const SimOptions& opt, SimResult* result, std::string dir);
  ~World();
  void Run();

 private:
  // ---- server ----
  void OpenServer();
  void RestartServer();
  void BackupServer();
  void RestoreServer();
  Reply HandleRequest(Device& d, std::string_view route, Json body);
  void Tap(Device& d, std::string_view route, const Json& request, const Reply& reply,
           int64_t now_ms);
  void StaffWrite();
  void ResolveSomeConflict();
  void RecordServerWrites(const std::string& entity, const std::string& id,
                          const std::map<std::string, Identity>& before);
  // ---- devices ----
  void AddDevice(int index);
  void OpenDevice(Device& d);
  void RestartDevice(Device& d);
  void BackupDevice(Device& d);
  void RestoreDevice(Device& d);
  void Reenrol(Device& d);
  // Records the identities of the device's outbox rows (and, when its state is about to be
  // discarded, its acknowledged rows for the final check).
  void SnapshotIdentities(Device& d, bool acked_too);
  void DeviceWrite(Device& d);
  void SyncStep(Device& d);
  void AfterWrite(Device& d, const Status& st, int64_t first_seq, const std::string& group_seen,
                  std::optional<Identity> saw, std::optional<int64_t> saw_local);
  SessionOptions RandomSessionOptions();
  // ---- the run ----
  void RandomStep();
  void FinalSync();
  void Check();
  void CheckConvergence();
  void CheckOracle();
  void CheckAcked();
  void CheckAnonymous();

  int Pick(int n) { return static_cast<int>(rng_.Uniform(static_cast<uint64_t>(n))); }
  bool Chance(double p) { return static_cast<double>(rng_.Uniform(1000000)) < p * 1000000.0; }
  void Fail(std::string what);
  void Trace(const std::string& what);
  std::string NewClientId();

  SimOptions opt_;
  SimResult* result_;
  std::string dir_;
  SeededRng rng_;
  SeededRng fault_rng_;
  FakeClock clock_;
  SimSleeper sleeper_;
  SimPlaces server_places_{false};
  SimPlaces device_places_{true};
  SeededRng server_rng_;
  std::unique_ptr<Db> server_db_;
  std::unique_ptr<SyncServer> server_;
  std::string server_crash_point_;
  bool server_crash_after_reply_ = false;
  bool server_needs_restart_ = false;
  Timeline timeline_;
  std::set<Identity> ever_applied_;
  std::set<std::string> ever_anon_;
  std::vector<std::pair<std::string, Timeline>> server_backups_;
  std::vector<std::unique_ptr<Device>> devices_;
  std::vector<AckedRow> discarded_acked_;
  std::multimap<int64_t, Identity> local_ids_;  // local_id -> identities it had in any state
  std::vector<SimWrite> writes_;
  std::vector<std::pair<Identity, Identity>> staff_saw_;  // (staff write, the value it replaced)
  int next_client_ = 1;
  int next_file_ = 1;
  bool final_ = false;
};

}  // namespace shefu::sync::sim
