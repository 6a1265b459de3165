// One opened data directory: the lock, the central store, the reference data loaded from it, and
// the account service. Every shefu-server command except `init` starts from ServerApp::Open.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "server/accounts.h"
#include "server/central_store.h"
#include "server/data_dir.h"
#include "server/server_keys.h"
#include "shared/divisions.h"
#include "shared/env.h"

namespace shefu::server {

inline constexpr const char* kDivisionsRef = "zhuhai-divisions";

class ServerApp {
 public:
  // Locks DATA_DIR, opens the store, loads reference data. Errors: not_initialised (run
  // `shefu-server init`), data_dir_locked, storage errors.
  static Result<std::unique_ptr<ServerApp>> Open(
      const std::string& data_dir, Clock& clock, Rng& rng,
      DataDirLock::Mode lock_mode = DataDirLock::Mode::kMaintain);

  CentralStore& store() { return *store_; }
  const Divisions& places() const { return *places_; }
  Accounts& accounts() { return *accounts_; }
  const ServerKeys& keys() const { return keys_; }
  Clock& clock() { return clock_; }
  Rng& rng() { return rng_; }
  const std::string& data_dir() const { return data_dir_; }

 private:
  ServerApp(DataDirLock lock, Clock& clock, Rng& rng)
      : lock_(std::move(lock)), clock_(clock), rng_(rng) {}
  DataDirLock lock_;
  Clock& clock_;
  Rng& rng_;
  std::string data_dir_;
  std::unique_ptr<CentralStore> store_;
  std::optional<Divisions> places_;
  std::unique_ptr<Accounts> accounts_;
  ServerKeys keys_;
};

// Reference data kept in the store (reference_data table).
Status SaveReference(Db& db, const std::string& name, const std::string& content, int64_t now_ms);
Result<std::optional<std::string>> LoadReference(Db& db, const std::string& name);

}  // namespace shefu::server
