// A thin, safe layer over SQLite used by every store in shefu.
//
// Rules this layer makes easy to keep and hard to break:
//   - SQL runs only through prepared statements with bound parameters (no string building).
//   - Every write happens inside a Tx; a Tx that is not committed rolls back when destroyed.
//   - Databases open in WAL mode with foreign keys on and a busy timeout, so readers do not
//     block the writer and a short lock wait is not an error.
//   - The schema is a numbered list of migrations per component, applied at open, each in its
//     own transaction; a database from any earlier version upgrades in place.
// A Db is not thread-safe: give each thread its own Db (SQLite's rule).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "shared/status.h"

namespace shefu {

class Db;

// A prepared statement. Bind indices are 1-based (SQLite's convention).
class Stmt {
 public:
  Stmt() = default;
  Stmt(Db* db, sqlite3_stmt* s) : db_(db), s_(s) {}
  Stmt(Stmt&& o) noexcept : db_(o.db_), s_(o.s_), used_(o.used_) { o.s_ = nullptr; }
  Stmt& operator=(Stmt&& o) noexcept;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt();

  Stmt& Bind(int i, int64_t v);
  Stmt& Bind(int i, int v) { return Bind(i, static_cast<int64_t>(v)); }
  Stmt& Bind(int i, std::string_view v);
  Stmt& Bind(int i, const char* v) { return Bind(i, std::string_view(v)); }
  Stmt& Bind(int i, const std::string& v) { return Bind(i, std::string_view(v)); }
  // Binds text without copying it (SQLITE_STATIC): `v` must stay alive and unchanged until the
  // statement is reset. For a query stepped and reset inside the function that holds `v`
  // (a cached statement through StmtRef); everywhere else use Bind.
  Stmt& BindView(int i, std::string_view v);
  Stmt& Bind(int i, double v);
  Stmt& BindBlob(int i, const void* data, size_t len);
  Stmt& BindNull(int i);
  template <typename T>
  Stmt& Bind(int i, const std::optional<T>& v) {
    return v ? Bind(i, *v) : BindNull(i);
  }

  // Steps once. Returns true when a row is available, false when done.
  Result<bool> Step();
  // Steps to completion (for INSERT/UPDATE/DELETE).
  Status Run();
  // Resets and clears bindings so the statement can be reused (nothing to do when it has not been
  // bound or stepped since the last reset).
  void Reset();

  int64_t Int(int col) const { return sqlite3_column_int64(s_, col); }
  double Real(int col) const { return sqlite3_column_double(s_, col); }
  std::string Str(int col) const;
  std::string Blob(int col) const;
  bool IsNull(int col) const { return sqlite3_column_type(s_, col) == SQLITE_NULL; }
  std::optional<int64_t> OptInt(int col) const {
    return IsNull(col) ? std::nullopt : std::optional<int64_t>(Int(col));
  }
  std::optional<std::string> OptStr(int col) const {
    return IsNull(col) ? std::nullopt : std::optional<std::string>(Str(col));
  }
  sqlite3_stmt* raw() const { return s_; }
  bool valid() const { return s_ != nullptr; }

 private:
  Db* db_ = nullptr;
  sqlite3_stmt* s_ = nullptr;
  bool bind_failed_ = false;
  bool used_ = false;  // bound or stepped since the last Reset
};

// A borrowed cached statement. Resets the statement (ending any read it holds open) when it
// goes out of scope, so a half-stepped query never pins a WAL snapshot or a lock. Do not hold
// two StmtRefs to the same SQL at once: acquiring resets the statement.
class StmtRef {
 public:
  explicit StmtRef(Stmt& s) : s_(&s) {}
  StmtRef(StmtRef&& o) noexcept : s_(o.s_) { o.s_ = nullptr; }
  StmtRef(const StmtRef&) = delete;
  StmtRef& operator=(const StmtRef&) = delete;
  ~StmtRef() {
    if (s_) s_->Reset();
  }
  Stmt* operator->() const { return s_; }
  Stmt& operator*() const { return *s_; }
  template <typename... A>
  StmtRef& Bind(A&&... a) {
    s_->Bind(std::forward<A>(a)...);
    return *this;
  }
  StmtRef& BindView(int i, std::string_view v) {
    s_->BindView(i, v);
    return *this;
  }
  StmtRef& BindNull(int i) {
    s_->BindNull(i);
    return *this;
  }
  StmtRef& BindBlob(int i, const void* data, size_t len) {
    s_->BindBlob(i, data, len);
    return *this;
  }
  Result<bool> Step() { return s_->Step(); }
  Status Run() { return s_->Run(); }

 private:
  Stmt* s_;
};

struct DbOptions {
  bool create = true;
  bool read_only = false;
  // Permission bits for a newly created file (field devices: 0600 — personal data).
  int file_mode = 0600;
  // FULL: a committed transaction survives power loss (the server acknowledges only committed
  // writes). NORMAL is enough where the device can re-download.
  bool synchronous_full = true;
  int busy_timeout_ms = 10000;
};

class Db {
 public:
  static Result<std::unique_ptr<Db>> Open(const std::string& path, const DbOptions& opt = {});
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // Runs one or more statements without parameters (schema, pragmas). Never with user input.
  Status Exec(std::string_view sql);
  Result<Stmt> Prepare(std::string_view sql);
  // A statement kept for the life of the Db, reset and ready to bind. Hot paths use this.
  // `sql` must outlive the Db and never change (a string literal or a static string): it is
  // looked up by its address first.
  StmtRef Cached(const char* sql);

  int64_t LastInsertRowid() const { return sqlite3_last_insert_rowid(db_); }
  int Changes() const { return sqlite3_changes(db_); }
  bool InTransaction() const { return !sqlite3_get_autocommit(db_); }
  const std::string& path() const { return path_; }
  sqlite3* raw() { return db_; }

  // A Status for the connection's last error, with `what` saying what was being done.
  Status LastError(std::string_view what) const;

  // Convenience: the first column of the first row as an integer (or nullopt).
  Result<std::optional<int64_t>> QueryInt(std::string_view sql);

 private:
  Db() = default;
  sqlite3* db_ = nullptr;
  std::string path_;
  std::map<std::string, Stmt, std::less<>> cache_;
  // The same statements by the address of their SQL text: hot paths pass string literals, so a
  // pointer lookup finds them without comparing long SQL strings (which share long prefixes).
  std::unordered_map<const char*, Stmt*> by_address_;
};

// RAII transaction. BEGIN IMMEDIATE by default: the write lock is taken at the start, so a
// transaction never fails half-way with SQLITE_BUSY on upgrade from reader to writer.
class Tx {
 public:
  enum class Mode { kDeferred, kImmediate };
  explicit Tx(Db& db, Mode mode = Mode::kImmediate);
  ~Tx();
  Tx(const Tx&) = delete;
  Tx& operator=(const Tx&) = delete;
  const Status& status() const { return begin_; }
  Status Commit();
  void Rollback();

 private:
  Db& db_;
  Status begin_;
  bool open_ = false;
};

// One numbered schema step. Versions start at 1 and increase by one.
struct Migration {
  int version;
  const char* sql;
};

// Brings `component`'s schema to the last version in `steps`, one transaction per step.
// A database newer than this binary knows is refused (schema_too_new) rather than guessed at.
Status Migrate(Db& db, std::string_view component, std::span<const Migration> steps);
// 0 when the component has never been migrated.
Result<int> SchemaVersion(Db& db, std::string_view component);

}  // namespace shefu
