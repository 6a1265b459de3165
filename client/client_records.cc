// Client: needs, visits, votes, the anonymous stream and generic records.
#include <algorithm>
#include <map>
#include <set>

#include "client/client.h"
#include "client/need_form.h"
#include "shared/civil_time.h"
#include "shared/entity_types.h"

namespace shefu::client {
namespace {

Status NotFound(const std::string& what) {
  return Status::Error("not_found", "找不到记录：" + what.substr(0, 64),
                       "no such record: " + what.substr(0, 64));
}

Json GroupsJson(const StoredRecord& r) {
  Json groups = Json::object();
  for (const auto& [name, g] : r.groups)
    groups[name] = {{"value", g.value},
                    {"unsent", g.unconfirmed},
                    {"by", g.node},
                    {"stamp", g.stamp_ms > 0 ? FormatUtcIso(g.stamp_ms) : ""}};
  return groups;
}

Status KnownEntity(const std::string& entity) {
  if (FindEntityType(entity)) return Status::Ok();
  return Status::Error("unknown_entity", "未知的记录类型：" + entity.substr(0, 64),
                       "unknown entity type: " + entity.substr(0, 64));
}

}  // namespace

Result<std::string> Client::ResolveId(const std::string& entity, const std::string& id) {
  SHEFU_RETURN_IF_ERROR(Usable());
  SHEFU_RETURN_IF_ERROR(KnownEntity(entity));
  if (id.empty() || id.size() > 64) return NotFound(id);
  auto exact = store_->Read(entity, id);
  if (!exact.ok()) return exact.status();
  if (*exact) return id;
  if (id.size() < 4) return NotFound(id);
  auto all = store_->List(entity, /*include_deleted=*/true);
  if (!all.ok()) return all.status();
  std::vector<std::string> hits;
  for (const StoredRecord& r : *all) {
    const std::string& full = r.id;
    bool prefix = full.compare(0, id.size(), id) == 0;
    bool suffix =
        full.size() >= id.size() && full.compare(full.size() - id.size(), id.size(), id) == 0;
    if (prefix || suffix) hits.push_back(full);
  }
  if (hits.size() == 1) return hits.front();
  if (hits.empty()) return NotFound(id);
  return Status::Error("ambiguous_id", "编号“" + id + "”对应多条记录，请多写几位",
                       "'" + id + "' matches several records; give more characters");
}

Result<StoredRecord> Client::ReadNeed(const std::string& id) {
  auto full = ResolveId("need", id);
  if (!full.ok()) return full.status();
  auto r = store_->Read("need", *full);
  if (!r.ok()) return r.status();
  if (!*r) return NotFound(id);
  return std::move(**r);
}

Result<std::string> Client::NeedCreate(const Json& form) {
  SHEFU_RETURN_IF_ERROR(RequireEnrolled());
  NeedFormContext ctx{*places_, config_.user.scope, config_.seal_key};
  auto groups = NeedGroupsFromForm(form, ctx, nullptr);
  if (!groups.ok()) return groups.status();
  groups->emplace_back("status", Json{{"state", "open"}});
  return store_->Create("need", std::move(*groups));
}

Status Client::NeedEdit(const std::string& id, const Json& form) {
  SHEFU_RETURN_IF_ERROR(RequireEnrolled());
  auto cur = ReadNeed(id);
  if (!cur.ok()) return cur.status();
  NeedFormContext ctx{*places_, config_.user.scope, config_.seal_key};
  auto groups = NeedGroupsFromForm(form, ctx, &*cur);
  if (!groups.ok()) return groups.status();
  // One write per group: each merges on its own on the server (different fields edited on two
  // devices both stand).
  for (auto& [g, v] : *groups) {
    const StoredGroup* now = cur->Find(g);
    if (now && now->value == v) continue;  // unchanged: no outbox row, no false conflict
    SHEFU_RETURN_IF_ERROR(store_->Write("need", cur->id, g, std::move(v)));
  }
  return Status::Ok();
}

Status Client::NeedCheck(const Json& form) const {
  SHEFU_RETURN_IF_ERROR(Usable());
  NeedFormContext ctx{*places_, config_.user.scope, config_.seal_key};
  return CheckNeedForm(form, ctx);
}

Status Client::NeedWithdraw(const std::string& id, const std::string& reason) {
  SHEFU_RETURN_IF_ERROR(RequireEnrolled());
  auto cur = ReadNeed(id);
  if (!cur.ok()) return cur.status();
  if (reason.size() > 600 || !IsValidUtf8(reason))
    return Status::Error("bad_reason", "撤回原因太长或含无效字符",
                         "the reason is too long or not valid text");
  Json status = {{"state", "withdrawn"}};
  if (!reason.empty()) status["reason"] = reason;
  return store_->Write("need", cur->id, "status", std::move(status));
}

Result<Json> Client::NeedGet(const std::string& id) {
  auto cur = ReadNeed(id);
  if (!cur.ok()) return cur.status();
  auto support = store_->CounterSum("need_support", cur->id);
  if (!support.ok()) return support.status();
  auto unsent = store_->UnsentIds("need");
  if (!unsent.ok()) return unsent.status();
  NeedViewOptions o;
  o.lang = lang_;
  o.with_phone = true;
  o.support = *support;
  o.unsent = std::find(unsent->begin(), unsent->end(), cur->id) != unsent->end();
  return NeedToJson(*cur, *places_, o);
}

Result<Json> Client::NeedList(const Json& filter, bool with_phone) {
  SHEFU_RETURN_IF_ERROR(Usable());
  std::string state, community;
  bool withdrawn = false, only_unsent = false;
  if (filter.is_object()) {
    state = filter.value("state", "");
    community = filter.value("community", "");
    withdrawn = filter.value("withdrawn", false) || state == "withdrawn";
    only_unsent = filter.value("unsent", false);
  } else if (!filter.is_null()) {
    return Status::Error("bad_filter", "筛选条件必须是 JSON 对象",
                         "the filter must be a JSON object");
  }
  auto needs = store_->List("need", false);
  if (!needs.ok()) return needs.status();
  auto unsent_ids = store_->UnsentIds("need");
  if (!unsent_ids.ok()) return unsent_ids.status();
  std::set<std::string> unsent(unsent_ids->begin(), unsent_ids->end());
  // Support counts for every need at once (one pass over the counter records).
  std::map<std::string, int64_t> support;
  auto deltas = store_->List("need_support", true);
  if (!deltas.ok()) return deltas.status();
  for (const StoredRecord& d : *deltas) {
    const StoredGroup* g = d.Find("record");
    if (!g || !g->value.is_object()) continue;
    auto need = g->value.find("need");
    auto delta = g->value.find("delta");
    if (need != g->value.end() && need->is_string() && delta != g->value.end() &&
        delta->is_number_integer())
      support[need->get<std::string>()] += delta->get<int64_t>();
  }
  std::vector<Json> out;
  for (const StoredRecord& r : *needs) {
    NeedViewOptions o;
    o.lang = lang_;
    o.with_phone = with_phone;
    o.support = support[r.id];
    o.unsent = unsent.count(r.id) > 0;
    Json j = NeedToJson(r, *places_, o);
    if (!withdrawn && j["state"] == "withdrawn") continue;
    if (!state.empty() && j["state"] != state) continue;
    if (!community.empty() && j["community"] != community) continue;
    if (only_unsent && !o.unsent) continue;
    out.push_back(std::move(j));
  }
  // Newest first: UUIDv7 ids sort by creation time.
  std::sort(out.begin(), out.end(), [](const Json& a, const Json& b) {
    return a["id"].get<std::string>() > b["id"].get<std::string>();
  });
  return Json(std::move(out));
}

Status Client::NeedSupport(const std::string& id, int delta) {
  SHEFU_RETURN_IF_ERROR(RequireEnrolled());
  auto cur = ReadNeed(id);
  if (!cur.ok()) return cur.status();
  if (delta != 1 && delta != -1)
    return Status::Error("bad_delta", "附议只能 +1 或 -1", "support changes by +1 or -1 only");
  const StoredGroup* place = cur->Find("place");
  std::string community = place ? place->value.value("community", "") : "";
  auto r = store_->Create(
      "need_support",
      {{"record", Json{{"need", cur->id}, {"community", community}, {"delta", delta}}}});
  return r.ok() ? Status::Ok() : r.status();
}

Result<std::string> Client::VisitAdd(const Json& visit) {
  SHEFU_RETURN_IF_ERROR(RequireEnrolled());
  if (!visit.is_object())
    return Status::Error("bad_form", "走访记录必须是 JSON 对象", "a visit must be a JSON object");
  Json v = visit;
  if (!v.contains("community")) v["community"] = OwnCommunity();
  if (!v.contains("date")) v["date"] = FormatDate(ShanghaiDate(SystemClock::Instance().NowMs()));
  return store_->Create("visit", {{"record", std::move(v)}});
}

Result<std::string> Client::VoteRecord(const std::string& ballot, const std::string& voter,
                                       const std::string& choice, const std::string& assisted_by) {
  SHEFU_RETURN_IF_ERROR(RequireEnrolled());
  Json v = {
      {"ballot", ballot}, {"community", OwnCommunity()}, {"voter", voter}, {"choice", choice}};
  if (!assisted_by.empty()) v["assisted_by"] = assisted_by;
  return store_->Create("vote", {{"record", std::move(v)}});
}

Status Client::SecretChoiceAdd(const std::string& ballot, const std::string& choice) {
  SHEFU_RETURN_IF_ERROR(RequireEnrolled());
  return store_->AnonAdd(
      ballot, "secret_choice",
      Json{{"ballot", ballot}, {"community", OwnCommunity()}, {"choice", choice}});
}

Status Client::AnonAdd(const std::string& session, const std::string& entity, Json value) {
  SHEFU_RETURN_IF_ERROR(RequireEnrolled());
  return store_->AnonAdd(session, entity, std::move(value));
}

Result<int64_t> Client::AnonClose(const std::string& session) {
  SHEFU_RETURN_IF_ERROR(RequireEnrolled());
  return store_->AnonClose(session);
}

Result<std::string> Client::RecordCreate(const std::string& entity, const Json& groups) {
  SHEFU_RETURN_IF_ERROR(RequireEnrolled());
  if (!groups.is_object() || groups.empty())
    return Status::Error("bad_form", "字段组必须是非空 JSON 对象 {\"组\": 值}",
                         "groups must be a non-empty JSON object {\"group\": value}");
  if (entity == "need" && groups.contains("contact") && groups["contact"].is_object() &&
      groups["contact"].contains("id_number")) {
    return Status::Error("use_need_form", "身份证号码请通过需求表单录入（会先加密脱敏）",
                         "enter ID numbers through the need form (they are sealed and masked)");
  }
  std::vector<std::pair<std::string, Json>> g;
  for (const auto& [k, v] : groups.items()) g.emplace_back(k, v);
  return store_->Create(entity, std::move(g));
}

Status Client::RecordWrite(const std::string& entity, const std::string& id,
                           const std::string& group, Json value) {
  SHEFU_RETURN_IF_ERROR(RequireEnrolled());
  auto full = ResolveId(entity, id);
  if (!full.ok()) return full.status();
  return store_->Write(entity, *full, group, std::move(value));
}

Status Client::RecordDelete(const std::string& entity, const std::string& id) {
  SHEFU_RETURN_IF_ERROR(RequireEnrolled());
  auto full = ResolveId(entity, id);
  if (!full.ok()) return full.status();
  return store_->Delete(entity, *full);
}

Result<Json> Client::RecordGet(const std::string& entity, const std::string& id) {
  auto full = ResolveId(entity, id);
  if (!full.ok()) return full.status();
  auto r = store_->Read(entity, *full);
  if (!r.ok()) return r.status();
  if (!*r) return NotFound(id);
  auto unsent = store_->UnsentIds(entity);
  if (!unsent.ok()) return unsent.status();
  const StoredRecord& rec = **r;
  return Json{{"entity", rec.entity},
              {"id", rec.id},
              {"short_id", ShortId(rec.id)},
              {"deleted", rec.deleted},
              {"counted", rec.counted},
              {"unsent", std::find(unsent->begin(), unsent->end(), rec.id) != unsent->end()},
              {"groups", GroupsJson(rec)}};
}

Result<Json> Client::RecordList(const std::string& entity) {
  SHEFU_RETURN_IF_ERROR(Usable());
  SHEFU_RETURN_IF_ERROR(KnownEntity(entity));
  auto list = store_->List(entity, false);
  if (!list.ok()) return list.status();
  auto unsent_ids = store_->UnsentIds(entity);
  if (!unsent_ids.ok()) return unsent_ids.status();
  std::set<std::string> unsent(unsent_ids->begin(), unsent_ids->end());
  Json out = Json::array();
  for (const StoredRecord& rec : *list)
    out.push_back({{"entity", rec.entity},
                   {"id", rec.id},
                   {"short_id", ShortId(rec.id)},
                   {"deleted", rec.deleted},
                   {"counted", rec.counted},
                   {"unsent", unsent.count(rec.id) > 0},
                   {"groups", GroupsJson(rec)}});
  return out;
}

}  // namespace shefu::client
