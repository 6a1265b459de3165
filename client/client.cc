#include "client/client.h"

#include <unistd.h>

#include <algorithm>

#include "client/catalogue.h"
#include "client/enrol_uri.h"
#include "client/http_client.h"
#include "shared/civil_time.h"
#include "shared/entity_types.h"

namespace shefu::client {
namespace {

Status Wiped() {
  return Status::Error("wiped", "此配置的本地数据已删除", "this profile's local data was wiped");
}

std::string Str(const Json& o, const char* k) {
  if (!o.is_object()) return "";
  auto it = o.find(k);
  return it != o.end() && it->is_string() ? it->get<std::string>() : "";
}

// The profile to open when none is named: the only one, else "default".
Result<std::string> ChooseProfile(const std::string& data_dir, const std::string& requested) {
  if (!requested.empty()) return requested;
  auto names = ListProfileNames(data_dir);
  if (names.size() == 1) return names.front();
  if (names.size() > 1 && std::find(names.begin(), names.end(), "default") == names.end()) {
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
    return Status::Error("several_profiles", "有多个配置（" + list + "），请用 --profile 选择",
                         "there are several profiles (" + list + "); choose one with --profile");
  }
  return std::string("default");
}

}  // namespace

Client::~Client() {
  store_.reset();
  db_.reset();
}

Result<std::unique_ptr<Client>> Client::Open(const OpenOptions& opt) {
  auto dir = ResolveDataDir(opt.data_dir);
  if (!dir.ok()) return dir.status();
  auto name = ChooseProfile(*dir, opt.profile);
  if (!name.ok()) return name.status();
  SHEFU_RETURN_IF_ERROR(CheckProfileName(*name));
  if (!ProfileExists(*dir, *name) && !opt.create) {
    return Status::Error(
        "no_profile", "还没有登记过的配置“" + *name + "”：请先运行 shefu enrol 服务器地址 注册码",
        "no enrolled profile '" + *name + "': run shefu enrol URL CODE first");
  }
  SHEFU_RETURN_IF_ERROR(EnsureProfileDir(*dir));
  std::unique_ptr<Client> c(new Client());
  c->lang_ = CurrentLang();
  c->data_dir_ = *dir;
  c->profile_ = *name;
  auto lock = ProfileLock::Acquire(*dir, *name);
  if (!lock.ok()) return lock.status();
  c->lock_.emplace(std::move(*lock));
  DbOptions dbo;
  dbo.file_mode = 0600;
  dbo.synchronous_full = true;  // the device holds the only copy of unsent records
  auto db = Db::Open(ProfileDbPath(*dir, *name), dbo);
  if (!db.ok()) return db.status();
  c->db_ = std::move(*db);
  auto places = Divisions::LoadEmbedded();
  if (!places.ok()) return places.status();
  c->places_ = std::make_unique<Divisions>(std::move(*places));
  SHEFU_RETURN_IF_ERROR(MigrateClientSchema(*c->db_));
  auto store =
      LocalStore::Open(*c->db_, SystemClock::Instance(), SystemRng::Instance(), *c->places_);
  if (!store.ok()) return store.status();
  c->store_ = std::move(*store);
  auto cfg = LoadProfileConfig(*c->db_);
  if (!cfg.ok()) return cfg.status();
  c->config_ = std::move(*cfg);
  // Enrolment writes the store's id before the configuration; a crash in between leaves a
  // configured id the store lacks, which is completed here.
  if (c->config_.enrolled() && c->store_->client_id().empty())
    SHEFU_RETURN_IF_ERROR(c->store_->SetClientId(c->config_.client_id));
  return c;
}

Result<Json> Client::ListProfiles(const std::string& data_dir) {
  auto dir = ResolveDataDir(data_dir);
  if (!dir.ok()) return dir.status();
  Json out = Json::array();
  for (const std::string& name : ListProfileNames(*dir)) {
    OpenOptions o{*dir, name, false};
    auto c = Open(o);
    if (!c.ok()) {
      out.push_back({{"name", name}, {"busy", c.status().code() == "profile_busy"}});
      continue;
    }
    const ProfileConfig& cfg = (*c)->config_;
    out.push_back({{"name", name},
                   {"enrolled", cfg.enrolled()},
                   {"server", cfg.server_url},
                   {"user", cfg.user.name},
                   {"revoked", cfg.revoked_ms.has_value()}});
  }
  return out;
}

Status Client::Usable() const {
  return wiped_ ? Wiped() : Status::Ok();
}

Status Client::RequireEnrolled() const {
  SHEFU_RETURN_IF_ERROR(Usable());
  if (config_.enrolled()) return Status::Ok();
  return Status::Error("not_enrolled", "此设备尚未登记：请先运行 shefu enrol 服务器地址 注册码",
                       "this device is not enrolled yet: run shefu enrol URL CODE first");
}

Status Client::SaveConfig() {
  return SaveProfileConfig(*db_, config_);
}

Status Client::Enrol(const std::string& url_or_uri, const std::string& code_in,
                     const std::string& pin_in, const std::string& label) {
  SHEFU_RETURN_IF_ERROR(Usable());
  EnrolTarget t;
  if (IsEnrolUri(url_or_uri)) {
    auto p = ParseEnrolUri(url_or_uri);
    if (!p.ok()) return p.status();
    t = *p;
  } else {
    t.url = url_or_uri;
  }
  if (!code_in.empty()) t.code = code_in;
  if (!pin_in.empty()) t.pin = pin_in;
  if (t.code.empty())
    return Status::Error("missing_code", "缺少注册码", "the enrolment code is missing");
  auto url = NormaliseServerUrl(t.url);
  if (!url.ok()) return url.status();
  if (!t.pin.empty()) {
    SHEFU_RETURN_IF_ERROR(CheckPin(t.pin));
    if (url->rfind("https://", 0) != 0)
      return Status::Error("pin_needs_https", "固定证书指纹需要 https:// 地址",
                           "a pinned certificate needs an https:// address");
  }
  const bool renewal = config_.enrolled();
  if (renewal && !config_.revoked_ms && store_->health() == StoreHealth::kOk &&
      config_.last_sync_result != "unauthenticated") {
    return Status::Error(
        "already_enrolled",
        "此配置已登记（" + config_.server_url + "）；如要登记另一个账号，请用 --profile 新名称",
        "this profile is already enrolled (" + config_.server_url +
            "); use --profile NAME for another enrolment");
  }

  HttpClient http(HttpOptions{*url, "", t.pin});
  Json req = {{"code", t.code}};
  if (!label.empty()) req["device_label"] = label.substr(0, 64);
  auto r = http.Post("/v1/enrol", req);
  if (!r.ok()) return r.status();
  if (r->status != 200) return ErrorFromReply(*r);
  const Json& b = r->body;
  std::string client_id = Str(b, "client_id"), token = Str(b, "token"),
              seal_key = Str(b, "seal_key");
  const Json user = b.is_object() && b.contains("user") ? b["user"] : Json();
  if (client_id.empty() || token.empty() || !user.is_object() ||
      seal_key.find("BEGIN PUBLIC KEY") == std::string::npos) {
    return Status::Error("bad_reply", "服务器的登记回复不完整", "incomplete enrolment reply");
  }
  // The store first: if we stop before the configuration is saved, Open() completes it.
  Status st = renewal ? store_->Reenrol(client_id) : store_->SetClientId(client_id);
  if (!st.ok()) return st;
  config_.server_url = *url;
  config_.pin = t.pin;
  config_.client_id = client_id;
  config_.token = token;
  config_.token_expires = Str(b, "expires");
  config_.seal_key = seal_key;
  config_.user.login = Str(user, "login");
  config_.user.name = Str(user, "name");
  config_.user.role = Str(user, "role");
  const Json scope = user.contains("scope") ? user["scope"] : Json::object();
  config_.user.scope =
      Scope{Str(scope, "district"), Str(scope, "town"), Str(scope, "community"), Str(scope, "org")};
  config_.enrolled_ms = SystemClock::Instance().NowMs();
  config_.revoked_ms.reset();
  return SaveConfig();
}

Status Client::SetServerUrl(const std::string& url) {
  SHEFU_RETURN_IF_ERROR(RequireEnrolled());
  auto u = NormaliseServerUrl(url);
  if (!u.ok()) return u.status();
  config_.server_url = *u;
  return SaveConfig();
}

Json Client::Catalogue() const {
  return FormCatalogueFor(config_.user.scope.district).ToJson(lang_);
}

Json Client::Communities() const {
  Json out = Json::array();
  const Scope& s = config_.user.scope;
  std::vector<const Community*> list;
  if (!s.community.empty()) {
    if (const Community* c = places_->FindCommunity(s.community)) list.push_back(c);
  } else if (!s.town.empty()) {
    list = places_->CommunitiesOf(s.town);
  } else if (!s.district.empty()) {
    for (const Town* t : places_->TownsOf(s.district))
      for (const Community* c : places_->CommunitiesOf(t->code)) list.push_back(c);
  }
  for (const Community* c : list)
    out.push_back(
        {{"code", c->code}, {"name", c->name}, {"town", c->town}, {"own", c->code == s.community}});
  return out;
}

Result<Json> Client::StatusJson() {
  SHEFU_RETURN_IF_ERROR(Usable());
  auto pending = store_->PendingCount();
  if (!pending.ok()) return pending.status();
  auto unsent = store_->UnsentIds("need");
  if (!unsent.ok()) return unsent.status();
  auto anon = store_->AnonUnsent();
  if (!anon.ok()) return anon.status();
  auto oldest = store_->OldestUnsentMs();
  if (!oldest.ok()) return oldest.status();
  auto conflicts = Conflicts(0);
  if (!conflicts.ok()) return conflicts.status();
  auto outbox = store_->Outbox(1000);
  if (!outbox.ok()) return outbox.status();
  int64_t rejected = 0;
  for (const OutboxRow& o : *outbox) rejected += o.outcome == "refused";
  // Records of any type with unsent changes.
  int64_t unsent_records = static_cast<int64_t>(unsent->size());
  for (const EntityTypeSpec& t : EntityTypes()) {
    if (t.name == "need" || t.stream != Stream::kAttributed) continue;
    auto ids = store_->UnsentIds(std::string(t.name));
    if (!ids.ok()) return ids.status();
    unsent_records += static_cast<int64_t>(ids->size());
  }
  const int64_t now = SystemClock::Instance().NowMs();
  auto iso = [](const std::optional<int64_t>& ms) { return ms ? Json(FormatUtcIso(*ms)) : Json(); };
  const ProfileConfig& c = config_;
  return Json{{"profile", profile_},
              {"server", c.server_url},
              {"pinned", !c.pin.empty()},
              {"client_id", c.client_id},
              {"enrolled", c.enrolled()},
              {"revoked", c.revoked_ms.has_value()},
              {"needs_reenrolment", store_->health() != StoreHealth::kOk},
              {"user", {{"login", c.user.login}, {"name", c.user.name}, {"role", c.user.role}}},
              {"scope",
               {{"district", c.user.scope.district},
                {"town", c.user.scope.town},
                {"community", c.user.scope.community}}},
              {"last_sync", iso(c.last_sync_ms)},
              {"last_sync_result", c.last_sync_result.empty() ? Json() : Json(c.last_sync_result)},
              {"pending_changes", *pending},
              {"unsent_records", unsent_records},
              {"anon_unsent", *anon},
              {"oldest_unsent", iso(*oldest)},
              {"oldest_unsent_age_s", *oldest ? Json((now - **oldest) / 1000) : Json()},
              {"clock_offset_ms", c.clock_offset_ms ? Json(*c.clock_offset_ms) : Json()},
              {"open_conflicts", conflicts->size()},
              {"rejected", rejected}};
}

Status Client::Wipe(bool force) {
  SHEFU_RETURN_IF_ERROR(Usable());
  auto pending = store_->PendingCount();
  if (!pending.ok()) return pending.status();
  auto anon = store_->AnonUnsent();
  if (!anon.ok()) return anon.status();
  auto needs = store_->UnsentIds("need");
  if (!needs.ok()) return needs.status();
  if ((*pending > 0 || *anon > 0) && !force) {
    std::string n = std::to_string(needs->size()), p = std::to_string(*pending),
                a = std::to_string(*anon);
    return Status::Error(
        "unsent_records",
        "还有未上传的数据（" + n + " 条需求，共 " + p + " 项修改，" + a +
            " 张匿名选票/答卷）。请先同步，或用 shefu export --unsent 导出交镇街补录；"
            "确定要删除请加 --force",
        "there is unsent data (" + n + " needs, " + p + " changes in all, " + a +
            " anonymous ballots/answers). Sync first, or export it with shefu export --unsent "
            "for the town to re-enter; add --force to delete anyway");
  }
  store_.reset();
  db_.reset();
  SHEFU_RETURN_IF_ERROR(RemoveProfileFiles(data_dir_, profile_));
  lock_.reset();
  wiped_ = true;
  return Status::Ok();
}

}  // namespace shefu::client
