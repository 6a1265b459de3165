#include "shared/db.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace shefu {
namespace {

Status StorageError(std::string_view what, int rc, const char* detail) {
  std::string d = detail ? detail : sqlite3_errstr(rc);
  if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
    return Status::Error("storage_busy", "数据库正忙（" + std::string(what) + "）：" + d,
                         "database busy (" + std::string(what) + "): " + d);
  }
  if (rc == SQLITE_CONSTRAINT || (rc & 0xff) == SQLITE_CONSTRAINT) {
    return Status::Error("storage_constraint", "数据约束冲突（" + std::string(what) + "）：" + d,
                         "constraint violated (" + std::string(what) + "): " + d);
  }
  return Status::Error("storage_error", "存储错误（" + std::string(what) + "）：" + d,
                       "storage error (" + std::string(what) + "): " + d);
}

// SQLite keeps allocation statistics by default, taking a process-wide mutex on every
// sqlite3_malloc and sqlite3_free. shefu reads none of them (no sqlite3_memory_used, no soft
// heap limit), and on the server the upload writer, the WAL checkpointer and the readers all
// allocate at once: the mutex is contended on the hottest path (bench/sync_bench, perf). It must
// be configured before SQLite initialises itself, so it is done once, before the first open.
void ConfigureSqliteOnce() {
  static const int once = [] {
    // SQLITE_MISUSE if something in the process already initialised SQLite: harmless, the
    // statistics then simply stay on.
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  }();
  (void)once;
}

}  // namespace

// ---- Stmt -----------------------------------------------------------------------------------

Stmt& Stmt::operator=(Stmt&& o) noexcept {
  if (this != &o) {
    if (s_) sqlite3_finalize(s_);
    db_ = o.db_;
    s_ = o.s_;
    bind_failed_ = o.bind_failed_;
    used_ = o.used_;
    o.s_ = nullptr;
  }
  return *this;
}

Stmt::~Stmt() {
  if (s_) sqlite3_finalize(s_);
}

Stmt& Stmt::Bind(int i, int64_t v) {
  used_ = true;
  if (sqlite3_bind_int64(s_, i, v) != SQLITE_OK) bind_failed_ = true;
  return *this;
}
Stmt& Stmt::Bind(int i, std::string_view v) {
  used_ = true;
  if (sqlite3_bind_text64(s_, i, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8) != SQLITE_OK)
    bind_failed_ = true;
  return *this;
}
Stmt& Stmt::BindView(int i, std::string_view v) {
  used_ = true;
  if (sqlite3_bind_text64(s_, i, v.data(), v.size(), SQLITE_STATIC, SQLITE_UTF8) != SQLITE_OK)
    bind_failed_ = true;
  return *this;
}
Stmt& Stmt::Bind(int i, double v) {
  used_ = true;
  if (sqlite3_bind_double(s_, i, v) != SQLITE_OK) bind_failed_ = true;
  return *this;
}
Stmt& Stmt::BindBlob(int i, const void* data, size_t len) {
  used_ = true;
  if (sqlite3_bind_blob64(s_, i, data, len, SQLITE_TRANSIENT) != SQLITE_OK) bind_failed_ = true;
  return *this;
}
Stmt& Stmt::BindNull(int i) {
  used_ = true;
  if (sqlite3_bind_null(s_, i) != SQLITE_OK) bind_failed_ = true;
  return *this;
}

Result<bool> Stmt::Step() {
  if (bind_failed_) {
    return Status::Error("storage_bind", "内部错误：参数绑定失败", "internal error: bind failed");
  }
  used_ = true;
  int rc = sqlite3_step(s_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Status st = StorageError(sqlite3_sql(s_) ? sqlite3_sql(s_) : "step", rc,
                           db_ ? sqlite3_errmsg(db_->raw()) : nullptr);
  sqlite3_reset(s_);
  return st;
}

Status Stmt::Run() {
  for (;;) {
    auto r = Step();
    if (!r.ok()) return r.status();
    if (!*r) return Status::Ok();
  }
}

void Stmt::Reset() {
  if (!used_) return;
  used_ = false;
  sqlite3_reset(s_);
  sqlite3_clear_bindings(s_);
  bind_failed_ = false;
}

std::string Stmt::Str(int col) const {
  const unsigned char* t = sqlite3_column_text(s_, col);
  if (!t) return {};
  return std::string(reinterpret_cast<const char*>(t),
                     static_cast<size_t>(sqlite3_column_bytes(s_, col)));
}

std::string Stmt::Blob(int col) const {
  const void* b = sqlite3_column_blob(s_, col);
  if (!b) return {};
  return std::string(static_cast<const char*>(b),
                     static_cast<size_t>(sqlite3_column_bytes(s_, col)));
}

// ---- Db -------------------------------------------------------------------------------------

Result<std::unique_ptr<Db>> Db::Open(const std::string& path, const DbOptions& opt) {
  // Create the file ourselves first so its mode is exactly opt.file_mode (personal data must
  // not be world-readable), whatever the process umask says.
  if (opt.create && !opt.read_only && path != ":memory:" && !path.empty()) {
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, opt.file_mode);
    if (fd < 0) {
      return Status::Error("storage_open", "无法打开数据文件：" + path,
                           "cannot open data file: " + path);
    }
    ::fchmod(fd, static_cast<mode_t>(opt.file_mode));
    ::close(fd);
  }
  ConfigureSqliteOnce();
  std::unique_ptr<Db> db(new Db());
  db->path_ = path;
  int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI;
  flags |= opt.read_only ? SQLITE_OPEN_READONLY
                         : (SQLITE_OPEN_READWRITE | (opt.create ? SQLITE_OPEN_CREATE : 0));
  int rc = sqlite3_open_v2(path.c_str(), &db->db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    Status st = StorageError("open " + path, rc, db->db_ ? sqlite3_errmsg(db->db_) : nullptr);
    return st;
  }
  sqlite3_extended_result_codes(db->db_, 1);
  sqlite3_busy_timeout(db->db_, opt.busy_timeout_ms);
  if (!opt.read_only) {
    if (path != ":memory:") SHEFU_RETURN_IF_ERROR(db->Exec("PRAGMA journal_mode=WAL"));
    SHEFU_RETURN_IF_ERROR(
        db->Exec(opt.synchronous_full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL"));
  }
  SHEFU_RETURN_IF_ERROR(db->Exec("PRAGMA foreign_keys=ON"));
  return db;
}

Db::~Db() {
  cache_.clear();  // finalize statements before closing
  if (db_) sqlite3_close_v2(db_);
}

Status Db::Exec(std::string_view sql) {
  std::string s(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    Status st = StorageError(s.substr(0, 60), rc, err);
    sqlite3_free(err);
    return st;
  }
  return Status::Ok();
}

Result<Stmt> Db::Prepare(std::string_view sql) {
  sqlite3_stmt* s = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &s, nullptr);
  if (rc != SQLITE_OK) return StorageError(sql.substr(0, 60), rc, sqlite3_errmsg(db_));
  return Stmt(this, s);
}

StmtRef Db::Cached(const char* sql) {
  if (auto hit = by_address_.find(sql); hit != by_address_.end()) {
    hit->second->Reset();
    return StmtRef(*hit->second);
  }
  auto it = cache_.find(std::string_view(sql));
  if (it == cache_.end()) {
    auto r = Prepare(sql);
    // A cached statement is a fixed string in the program: failing to prepare it is a
    // programming error (bad SQL or a missing migration), not a runtime condition.
    if (!r.ok()) {
      fprintf(stderr, "shefu: cannot prepare statement: %s\n%s\n", r.status().ToString().c_str(),
              sql);
      abort();
    }
    it = cache_.emplace(sql, std::move(r.value())).first;
  }
  by_address_.emplace(sql, &it->second);
  it->second.Reset();
  return StmtRef(it->second);
}

Status Db::LastError(std::string_view what) const {
  return StorageError(what, sqlite3_errcode(db_), sqlite3_errmsg(db_));
}

Result<std::optional<int64_t>> Db::QueryInt(std::string_view sql) {
  auto st = Prepare(sql);
  if (!st.ok()) return st.status();
  auto r = st->Step();
  if (!r.ok()) return r.status();
  if (!*r || st->IsNull(0)) return std::optional<int64_t>();
  return std::optional<int64_t>(st->Int(0));
}

// ---- Tx -------------------------------------------------------------------------------------

Tx::Tx(Db& db, Mode mode) : db_(db) {
  begin_ = db_.Exec(mode == Mode::kImmediate ? "BEGIN IMMEDIATE" : "BEGIN");
  open_ = begin_.ok();
}

Tx::~Tx() {
  if (open_) Rollback();
}

Status Tx::Commit() {
  if (!open_) {
    return begin_.ok() ? Status::Error("tx_closed", "内部错误：事务已结束",
                                       "internal error: transaction already ended")
                       : begin_;
  }
  Status st = db_.Exec("COMMIT");
  if (!st.ok()) {
    Rollback();
    return st;
  }
  open_ = false;
  return st;
}

void Tx::Rollback() {
  if (open_) {
    (void)db_.Exec("ROLLBACK");
    open_ = false;
  }
}

// ---- Migrations -----------------------------------------------------------------------------

namespace {
Status EnsureVersionTable(Db& db) {
  return db.Exec(
      "CREATE TABLE IF NOT EXISTS schema_version("
      " component TEXT PRIMARY KEY,"
      " version INTEGER NOT NULL,"
      " applied_at_ms INTEGER NOT NULL DEFAULT (CAST((julianday('now')-2440587.5)*86400000 AS "
      "INTEGER)))");
}
}  // namespace

Result<int> SchemaVersion(Db& db, std::string_view component) {
  SHEFU_RETURN_IF_ERROR(EnsureVersionTable(db));
  auto st = db.Prepare("SELECT version FROM schema_version WHERE component=?1");
  if (!st.ok()) return st.status();
  st->Bind(1, component);
  auto r = st->Step();
  if (!r.ok()) return r.status();
  return *r ? static_cast<int>(st->Int(0)) : 0;
}

Status Migrate(Db& db, std::string_view component, std::span<const Migration> steps) {
  auto cur = SchemaVersion(db, component);
  if (!cur.ok()) return cur.status();
  int latest = steps.empty() ? 0 : steps.back().version;
  if (*cur > latest) {
    return Status::Error(
        "schema_too_new",
        "数据文件（" + std::string(component) + "）的版本 " + std::to_string(*cur) +
            " 比本程序支持的 " + std::to_string(latest) + " 更新，请升级 shefu",
        "data file schema (" + std::string(component) + ") is version " + std::to_string(*cur) +
            ", newer than this program's " + std::to_string(latest) + "; upgrade shefu");
  }
  for (const Migration& m : steps) {
    if (m.version <= *cur) continue;
    Tx tx(db);
    SHEFU_RETURN_IF_ERROR(tx.status());
    SHEFU_RETURN_IF_ERROR(db.Exec(m.sql));
    auto up = db.Prepare(
        "INSERT INTO schema_version(component, version) VALUES(?1, ?2) "
        "ON CONFLICT(component) DO UPDATE SET version=excluded.version, "
        "applied_at_ms=CAST((julianday('now')-2440587.5)*86400000 AS INTEGER)");
    if (!up.ok()) return up.status();
    up->Bind(1, component).Bind(2, m.version);
    SHEFU_RETURN_IF_ERROR(up->Run());
    SHEFU_RETURN_IF_ERROR(tx.Commit());
  }
  return Status::Ok();
}

}  // namespace shefu
