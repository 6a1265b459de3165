#include "server/central_store.h"

namespace shefu::server {

Result<std::unique_ptr<CentralStore>> CentralStore::Open(const std::string& data_dir) {
  std::unique_ptr<CentralStore> s(new CentralStore());
  s->data_dir_ = data_dir;
  s->db_path_ = DbPath(data_dir);
  auto w = Db::Open(s->db_path_);
  if (!w.ok()) return w.status();
  s->writer_ = std::move(w.value());
  SHEFU_RETURN_IF_ERROR(MigrateServerSchema(*s->writer_));
  return s;
}

Result<Db*> CentralStore::Reader() {
  std::lock_guard<std::mutex> lock(readers_mu_);
  auto& slot = readers_[std::this_thread::get_id()];
  if (!slot) {
    DbOptions opt;
    opt.create = false;
    auto r = Db::Open(db_path_, opt);
    if (!r.ok()) return r.status();
    slot = std::move(r.value());
  }
  return slot.get();
}

}  // namespace shefu::server
