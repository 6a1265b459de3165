#include "server/server_app.h"

#include "shared/crypto.h"

namespace shefu::server {

Status SaveReference(Db& db, const std::string& name, const std::string& content, int64_t now_ms) {
  return db
      .Cached(
          "INSERT INTO reference_data(name, sha256, loaded_ms, content) VALUES(?1, ?2, ?3, ?4) "
          "ON CONFLICT(name) DO UPDATE SET sha256 = excluded.sha256, "
          "loaded_ms = excluded.loaded_ms, content = excluded.content")
      .Bind(1, name)
      .Bind(2, crypto::Sha256Hex(content))
      .Bind(3, now_ms)
      .Bind(4, content)
      .Run();
}

Result<std::optional<std::string>> LoadReference(Db& db, const std::string& name) {
  auto st = db.Cached("SELECT content FROM reference_data WHERE name = ?1");
  st.Bind(1, name);
  auto r = st.Step();
  if (!r.ok()) return r.status();
  if (!*r) return std::optional<std::string>();
  return std::optional<std::string>(st->Str(0));
}

Result<std::unique_ptr<ServerApp>> ServerApp::Open(const std::string& data_dir, Clock& clock,
                                                   Rng& rng, DataDirLock::Mode lock_mode) {
  auto lock = DataDirLock::Acquire(data_dir, lock_mode);
  if (!lock.ok()) return lock.status();
  std::unique_ptr<ServerApp> app(new ServerApp(std::move(lock.value()), clock, rng));
  app->data_dir_ = data_dir;
  auto store = CentralStore::Open(data_dir);
  if (!store.ok()) return store.status();
  app->store_ = std::move(store.value());
  auto text = app->store_->WithWriter([&](Db& db) { return LoadReference(db, kDivisionsRef); });
  if (!text.ok()) return text.status();
  if (!text->has_value()) {
    return Status::Error(
        "not_initialised",
        "数据目录 " + data_dir + " 尚未初始化，请先运行 shefu-server init --data " + data_dir,
        "data directory " + data_dir +
            " is not initialised; run shefu-server "
            "init --data " +
            data_dir + " first");
  }
  auto div = Divisions::Parse(**text);
  if (!div.ok()) return div.status();
  app->places_.emplace(std::move(div.value()));
  app->accounts_ = std::make_unique<Accounts>(*app->store_, *app->places_, clock);
  auto keys = ServerKeys::LoadOrCreate(data_dir);
  if (!keys.ok()) return keys.status();
  app->keys_ = std::move(keys.value());
  return app;
}

}  // namespace shefu::server
