// shefu-server backup FILE: an online, consistent copy of the central store (SQLite's backup
// API copies a snapshot while the server keeps serving).
#include <sqlite3.h>

#include <iostream>

#include "server/central_store.h"
#include "server/cli_util.h"
#include "server/commands.h"

namespace shefu::server {

Status BackupStore(const std::string& db_path, const std::string& dest) {
  DbOptions ro;
  ro.create = false;
  auto src = Db::Open(db_path, ro);
  if (!src.ok()) return src.status();
  auto dst = Db::Open(dest);
  if (!dst.ok()) return dst.status();
  sqlite3_backup* b = sqlite3_backup_init((*dst)->raw(), "main", (*src)->raw(), "main");
  if (!b) return (*dst)->LastError("backup");
  int rc;
  // Copy in steps so the server's writer is never blocked for long; restart on a change.
  do {
    rc = sqlite3_backup_step(b, 256);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(20);
  } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE) return (*dst)->LastError("backup");
  return Status::Ok();
}

int CmdBackup(Args& a, std::ostream& out, std::ostream& err) {
  if (a.help()) {
    out << Tr(
        {"用法：shefu-server backup --data 目录 备份文件\n"
         "在线备份：服务运行时也可执行，得到一致的快照。\n",
         "usage: shefu-server backup --data DIR FILE\n"
         "Online: safe while the server runs; the copy is a consistent snapshot.\n"});
    return 0;
  }
  auto data = a.Value("data");
  if (auto st = a.Finish(); !st.ok()) return PrintError(err, st);
  std::string dest = a.Positional(0);
  if (!data || dest.empty()) {
    return PrintError(err, Status::Error("usage", "用法：shefu-server backup --data 目录 备份文件",
                                         "usage: shefu-server backup --data DIR FILE"));
  }
  // No data-directory lock: backup runs beside a serving server by design.
  Status st = BackupStore(CentralStore::DbPath(*data), dest);
  if (!st.ok()) return PrintError(err, st);
  out << Tr({"已备份到 " + dest + "\n", "Backed up to " + dest + "\n"});
  return 0;
}

}  // namespace shefu::server
