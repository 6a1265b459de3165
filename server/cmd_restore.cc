// shefu-server restore FILE: put a backup back in place.
//
// The restored store gets a NEW EPOCH, so every device notices on its next sync: it re-sends
// from the restored store's expected_seq out of its retained outbox (acknowledged rows are kept
// 90 days for exactly this) and re-bootstraps its replica (docs/protocol.md). Accounts are not
// synced data: users, devices and sessions created after the backup are carried over from the
// store being replaced (when it is readable), so devices enrolled since the backup can still
// authenticate and re-send what the backup lacks.
#include <sqlite3.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "server/audit_trail.h"
#include "server/central_store.h"
#include "server/cli_util.h"
#include "server/commands.h"
#include "server/data_dir.h"
#include "server/server_app.h"
#include "shared/divisions.h"
#include "shared/env.h"
#include "sync/sync_server.h"

namespace shefu::server {

Status BackupStore(const std::string& db_path, const std::string& dest);  // cmd_backup.cc

namespace {

// Copies the account tables from `old_path` into `db` (rows the backup lacks or that changed).
Status CarryOverAccounts(Db& db, const std::string& old_path) {
  if (::access(old_path.c_str(), R_OK) != 0) return Status::Ok();
  auto attach = db.Prepare("ATTACH DATABASE ?1 AS old");
  if (!attach.ok()) return attach.status();
  attach->Bind(1, old_path);
  if (!attach->Run().ok()) return Status::Ok();  // unreadable: nothing to carry over
  Status st = [&]() -> Status {
    Tx tx(db);
    SHEFU_RETURN_IF_ERROR(tx.status());
    // Replacing a user row briefly orphans its devices; check foreign keys at commit.
    SHEFU_RETURN_IF_ERROR(db.Exec("PRAGMA defer_foreign_keys = ON"));
    for (const char* table : {"user", "device", "enrol_code", "session"}) {
      SHEFU_RETURN_IF_ERROR(db.Exec(std::string("INSERT OR REPLACE INTO main.") + table +
                                    " SELECT * FROM old." + table));
    }
    return tx.Commit();
  }();
  (void)db.Exec("DETACH DATABASE old");
  return st;
}

}  // namespace

int CmdRestore(Args& a, std::ostream& out, std::ostream& err) {
  if (a.help()) {
    out << Tr(
        {"用法：shefu-server restore --data 目录 备份文件\n"
         "须先停止服务。恢复后的数据库获得新的纪元（epoch）；设备下次同步时会补传服务器缺少的记录，"
         "并重新下载。\n",
         "usage: shefu-server restore --data DIR FILE\n"
         "Stop the server first. The restored store gets a new epoch; on their next sync\n"
         "devices re-send what it lacks and download their data again.\n"});
    return 0;
  }
  auto data = a.Value("data");
  if (auto st = a.Finish(); !st.ok()) return PrintError(err, st);
  std::string file = a.Positional(0);
  if (!data || file.empty()) {
    return PrintError(err, Status::Error("usage", "用法：shefu-server restore --data 目录 备份文件",
                                         "usage: shefu-server restore --data DIR FILE"));
  }
  auto lock = DataDirLock::Acquire(
      *data, DataDirLock::Mode::kExclusive);  // fails while a server runs on DIR
  if (!lock.ok()) return PrintError(err, lock.status());

  // The backup must be a shefu store: open it and check its schema before touching anything.
  {
    DbOptions ro;
    ro.create = false;
    ro.read_only = true;
    auto b = Db::Open(file, ro);
    if (!b.ok()) return PrintError(err, b.status());
    auto v = (*b)->QueryInt("SELECT version FROM schema_version WHERE component = 'server'");
    auto ref = (*b)->QueryInt("SELECT count(*) FROM reference_data");
    if (!v.ok() || !v->has_value() || !ref.ok() || ref->value_or(0) == 0) {
      return PrintError(err, Status::Error("bad_backup", "不是 shefu 备份文件：" + file,
                                           "not a shefu backup: " + file));
    }
  }
  const std::string db_path = CentralStore::DbPath(*data);
  const std::string staging = db_path + ".restoring";
  std::remove(staging.c_str());
  // Copy through SQLite's backup API (a consistent copy even of a WAL-mode file).
  if (Status st = BackupStore(file, staging); !st.ok()) return PrintError(err, st);
  {
    auto db = Db::Open(staging);
    if (!db.ok()) return PrintError(err, db.status());
    if (Status st = CarryOverAccounts(**db, db_path); !st.ok()) return PrintError(err, st);
  }
  for (const char* suffix : {"-wal", "-shm"}) std::remove((db_path + suffix).c_str());
  if (std::rename(staging.c_str(), db_path.c_str()) != 0) {
    return PrintError(
        err, Status::Error("io_error", "无法替换数据库文件", "cannot replace the store file"));
  }
  for (const char* suffix : {"-wal", "-shm"}) std::remove((staging + suffix).c_str());

  auto store = CentralStore::Open(*data);
  if (!store.ok()) return PrintError(err, store.status());
  auto text = (*store)->WithWriter([](Db& db) { return LoadReference(db, kDivisionsRef); });
  if (!text.ok() || !text->has_value()) {
    return PrintError(
        err, Status::Error("bad_backup", "备份缺少参考数据", "the backup lacks reference data"));
  }
  auto places = Divisions::Parse(**text);
  if (!places.ok()) return PrintError(err, places.status());
  auto epoch = (*store)->WithWriter([&](Db& db) -> Result<std::string> {
    auto s = sync::SyncServer::Open(db, SystemClock::Instance(), SystemRng::Instance(), *places);
    if (!s.ok()) return s.status();
    auto e = (*s)->SetNewEpoch();
    if (!e.ok()) return e.status();
    Tx tx(db);
    SHEFU_RETURN_IF_ERROR(tx.status());
    AuditEntry entry;
    entry.action = "store.restore";
    entry.detail = {{"epoch", *e}};
    SHEFU_RETURN_IF_ERROR(AppendAudit(db, SystemClock::Instance().NowMs(), entry));
    SHEFU_RETURN_IF_ERROR(tx.Commit());
    return e;
  });
  if (!epoch.ok()) return PrintError(err, epoch.status());
  out << Tr({"已从 " + file + " 恢复；新的纪元：" + *epoch + "。设备下次同步时将补传缺失的记录。\n",
             "Restored from " + file + "; new epoch " + *epoch +
                 ". Devices will re-send what is missing on their next sync.\n"});
  return 0;
}

}  // namespace shefu::server
