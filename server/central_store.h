// The township's central store: one SQLite file in the data directory, opened with one writer
// connection and one reader connection per thread.
//
// Why one writer: SQLite allows one writer at a time. Funnelling every write through a single
// connection under a mutex means many devices pushing at once queue in the process instead of
// failing with "database is locked"; WAL lets every reader see a consistent snapshot without
// waiting for the writer. Each write is one transaction, committed before it is acknowledged.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "shared/db.h"
#include "shared/status.h"

namespace shefu::server {

class CentralStore {
 public:
  // Opens (creating if needed) DATA_DIR/shefu.db and applies the server's migrations.
  static Result<std::unique_ptr<CentralStore>> Open(const std::string& data_dir);
  static std::string DbPath(const std::string& data_dir) { return data_dir + "/shefu.db"; }

  // Runs f(db) with the single writer connection under the write lock. f opens its own Tx.
  template <typename F>
  auto WithWriter(F&& f) -> decltype(f(std::declval<Db&>())) {
    std::lock_guard<std::mutex> lock(write_mu_);
    return f(*writer_);
  }
  // The calling thread's read connection (opened on first use, kept for the store's life).
  Result<Db*> Reader();

  const std::string& data_dir() const { return data_dir_; }
  const std::string& db_path() const { return db_path_; }

 private:
  CentralStore() = default;
  std::string data_dir_, db_path_;
  std::mutex write_mu_;
  std::unique_ptr<Db> writer_;
  std::mutex readers_mu_;
  std::map<std::thread::id, std::unique_ptr<Db>> readers_;
};

// The server component's schema (users, devices, enrolment codes, sessions, login failures,
// audit trail). The sync engine keeps its own component in the same file.
Status MigrateServerSchema(Db& db);

}  // namespace shefu::server
