#include "sync/conflict_log.h"

#include "sync/server_store.h"
#include "sync/wire.h"

namespace shefu::sync {

const char* ConflictStatusCode(ConflictStatus s) {
  switch (s) {
    case ConflictStatus::kOpen:
      return "open";
    case ConflictStatus::kAccepted:
      return "accepted";
    case ConflictStatus::kOverridden:
      return "overridden";
  }
  return "open";
}

std::optional<ConflictStatus> ParseConflictStatus(std::string_view code) {
  for (auto s : {ConflictStatus::kOpen, ConflictStatus::kAccepted, ConflictStatus::kOverridden})
    if (code == ConflictStatusCode(s)) return s;
  return std::nullopt;
}

std::string ConflictFeedId(int64_t id) {
  return "c" + std::to_string(id);
}

namespace {

Json SideToJson(const ConflictSide& s) {
  Json j = Json::object();
  auto v = ParseJson(s.value);
  j["value"] = v.ok() ? std::move(*v) : Json(s.value);
  j["hlc"] = s.hlc.ToHex();
  j["node"] = s.node;
  j["seq"] = s.seq;
  return j;
}

Result<ConflictSide> SideFromJson(const Json& j) {
  if (!j.is_object()) return FieldError("side", "必须是对象", "must be an object");
  ConflictSide s;
  auto it = j.find("value");
  if (it == j.end()) return FieldError("value", "缺失", "is missing");
  s.value = DumpJson(*it);
  auto hlc = GetString(j, "hlc", 16, 16);
  if (!hlc.ok()) return hlc.status();
  auto h = Hlc::FromHex(*hlc);
  if (!h) return FieldError("hlc", "格式无效", "is not a stamp");
  s.hlc = *h;
  auto node = GetString(j, "node", 64);
  if (!node.ok()) return node.status();
  s.node = *node;
  auto seq = GetInt(j, "seq", 0);
  if (!seq.ok()) return seq.status();
  s.seq = *seq;
  return s;
}

Conflict ReadRow(Stmt& st) {
  Conflict c;
  c.id = st.Int(0);
  c.entity = st.Str(1);
  c.record_id = st.Str(2);
  c.group = st.Str(3);
  c.rule = ParseRule(st.Str(4)).value_or(Rule::kLwwConcurrent);
  c.detail = st.Str(5);
  c.message = {st.Str(6), st.Str(7)};
  if (!st.IsNull(8)) {
    c.winner = ConflictSide{st.Str(8), Hlc::FromInt(st.Int(9)), st.Str(10), st.Int(11)};
  }
  c.loser = ConflictSide{st.Str(12), Hlc::FromInt(st.Int(13)), st.Str(14), st.Int(15)};
  c.detected_ms = st.Int(16);
  c.status = ParseConflictStatus(st.Str(17)).value_or(ConflictStatus::kOpen);
  c.resolver = st.Str(18);
  c.resolved_ms = st.OptInt(19);
  c.resolution = st.Str(20);
  c.resolution_sseq = st.OptInt(21);
  c.place = Place{st.Str(22), st.Str(23), st.Str(24)};
  return c;
}

constexpr const char* kColumns =
    "id, entity, record_id, grp, rule, detail, message_zh, message_en, winner_value, winner_hlc,"
    " winner_node, winner_seq, loser_value, loser_hlc, loser_node, loser_seq, detected_ms,"
    " status, resolver, resolved_ms, resolution, resolution_sseq, district, town, community";

}  // namespace

Json ConflictToJson(const Conflict& c) {
  Json j = Json::object();
  j["id"] = c.id;
  j["entity"] = c.entity;
  j["record_id"] = c.record_id;
  j["group"] = c.group;
  j["rule"] = RuleCode(c.rule);
  j["detail"] = c.detail;
  j["zh"] = c.message.zh;
  j["en"] = c.message.en;
  j["winner"] = c.winner ? SideToJson(*c.winner) : Json(nullptr);
  j["loser"] = SideToJson(c.loser);
  j["detected_ms"] = c.detected_ms;
  j["status"] = ConflictStatusCode(c.status);
  j["resolver"] = c.resolver;
  j["resolved_ms"] = c.resolved_ms ? Json(*c.resolved_ms) : Json(nullptr);
  j["resolution"] = c.resolution;
  return j;
}

Result<Conflict> ConflictFromJson(const Json& j) {
  Conflict c;
  auto id = GetInt(j, "id", 0);
  if (!id.ok()) return id.status();
  c.id = *id;
  for (auto [key, out] : {std::pair<const char*, std::string*>{"entity", &c.entity},
                          {"record_id", &c.record_id},
                          {"group", &c.group},
                          {"detail", &c.detail},
                          {"zh", &c.message.zh},
                          {"en", &c.message.en},
                          {"resolver", &c.resolver},
                          {"resolution", &c.resolution}}) {
    auto s = OptString(j, key, 8192);
    if (!s.ok()) return s.status();
    *out = s->value_or("");
  }
  auto rule = GetString(j, "rule", 64);
  if (!rule.ok()) return rule.status();
  auto r = ParseRule(*rule);
  if (!r) return FieldError("rule", "取值无效", "has an unknown value");
  c.rule = *r;
  auto w = j.find("winner");
  if (w != j.end() && !w->is_null()) {
    auto side = SideFromJson(*w);
    if (!side.ok()) return side.status();
    c.winner = std::move(*side);
  }
  auto l = j.find("loser");
  if (l == j.end()) return FieldError("loser", "缺失", "is missing");
  auto loser = SideFromJson(*l);
  if (!loser.ok()) return loser.status();
  c.loser = std::move(*loser);
  auto det = GetInt(j, "detected_ms", 0);
  if (!det.ok()) return det.status();
  c.detected_ms = *det;
  auto status = GetString(j, "status", 16);
  if (!status.ok()) return status.status();
  auto s = ParseConflictStatus(*status);
  if (!s) return FieldError("status", "取值无效", "has an unknown value");
  c.status = *s;
  auto resolved = OptInt(j, "resolved_ms", 0);
  if (!resolved.ok()) return resolved.status();
  c.resolved_ms = *resolved;
  return c;
}

namespace {

void AppendSide(std::string* out, const ConflictSide& s) {
  out->append("{\"hlc\":\"").append(s.hlc.ToHex()).append("\",\"node\":");
  AppendJsonString(out, s.node);
  out->append(",\"seq\":").append(std::to_string(s.seq)).append(",\"value\":");
  // As SideToJson: the value's JSON as its canonical text, or the text as a string if it is
  // not JSON. Values are almost always stored canonical already (wire.h): then they are copied.
  if (IsCanonicalJsonText(s.value)) {
    out->append(s.value);
    out->push_back('}');
    return;
  }
  auto v = ParseJson(s.value);
  if (v.ok())
    out->append(DumpJson(*v));
  else
    AppendJsonString(out, s.value);
  out->push_back('}');
}

}  // namespace

std::string ConflictFeedText(const Conflict& c) {
  for (const std::string* t :
       {&c.entity, &c.record_id, &c.group, &c.detail, &c.message.zh, &c.message.en, &c.resolver,
        &c.resolution, &c.loser.node, &c.loser.value})
    if (!IsValidUtf8(*t)) return DumpJson(ConflictToJson(c));
  if (c.winner && (!IsValidUtf8(c.winner->node) || !IsValidUtf8(c.winner->value)))
    return DumpJson(ConflictToJson(c));
  // The keys in std::map order, as DumpJson writes ConflictToJson's object.
  std::string out;
  out.reserve(512 + c.detail.size() + c.loser.value.size() +
              (c.winner ? c.winner->value.size() : 0));
  out.append("{\"detail\":");
  AppendJsonString(&out, c.detail);
  out.append(",\"detected_ms\":").append(std::to_string(c.detected_ms)).append(",\"en\":");
  AppendJsonString(&out, c.message.en);
  out.append(",\"entity\":");
  AppendJsonString(&out, c.entity);
  out.append(",\"group\":");
  AppendJsonString(&out, c.group);
  out.append(",\"id\":").append(std::to_string(c.id)).append(",\"loser\":");
  AppendSide(&out, c.loser);
  out.append(",\"record_id\":");
  AppendJsonString(&out, c.record_id);
  out.append(",\"resolution\":");
  AppendJsonString(&out, c.resolution);
  out.append(",\"resolved_ms\":")
      .append(c.resolved_ms ? std::to_string(*c.resolved_ms) : "null")
      .append(",\"resolver\":");
  AppendJsonString(&out, c.resolver);
  out.append(",\"rule\":\"").append(RuleCode(c.rule)).append("\",\"status\":\"");
  out.append(ConflictStatusCode(c.status)).append("\",\"winner\":");
  if (c.winner)
    AppendSide(&out, *c.winner);
  else
    out.append("null");
  out.append(",\"zh\":");
  AppendJsonString(&out, c.message.zh);
  out.push_back('}');
  return out;
}

Status ConflictLog::PutFeedRow(WriteContext& w, const Conflict& c) {
  StoredCell row;
  // Written directly, not through a Json document: a busy upload logs hundreds of conflicts and
  // building and dumping the document cost ~70k instructions each (bench/sync_bench).
  row.cell.value = ConflictFeedText(c);
  row.cell.hlc = Hlc::Make(c.resolved_ms.value_or(c.detected_ms), 0);
  row.cell.node = "server";
  row.cell.seq = c.id;
  row.sseq = w.NextSseq();
  row.version = row.sseq;
  return store_.PutCell(kConflictEntity, ConflictFeedId(c.id), kRecordGroup, row, c.place);
}

Result<int64_t> ConflictLog::Add(WriteContext& w, Conflict c) {
  Db& db = store_.db();
  auto st = db.Cached(
      "INSERT INTO sync_conflict(entity, record_id, grp, rule, detail, message_zh, message_en,"
      " winner_value, winner_hlc, winner_node, winner_seq, loser_value, loser_hlc, loser_node,"
      " loser_seq, detected_ms, status, district, town, community) "
      "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, 'open',"
      " ?17, ?18, ?19)");
  st.Bind(1, c.entity).Bind(2, c.record_id).Bind(3, c.group).Bind(4, RuleCode(c.rule));
  st.Bind(5, c.detail).Bind(6, c.message.zh).Bind(7, c.message.en);
  if (c.winner) {
    st.Bind(8, c.winner->value).Bind(9, c.winner->hlc.AsInt()).Bind(10, c.winner->node);
    st.Bind(11, c.winner->seq);
  }
  st.Bind(12, c.loser.value).Bind(13, c.loser.hlc.AsInt()).Bind(14, c.loser.node);
  st.Bind(15, c.loser.seq).Bind(16, c.detected_ms);
  st.Bind(17, c.place.district).Bind(18, c.place.town).Bind(19, c.place.community);
  SHEFU_RETURN_IF_ERROR(st.Run());
  c.id = db.LastInsertRowid();
  c.status = ConflictStatus::kOpen;
  SHEFU_RETURN_IF_ERROR(PutFeedRow(w, c));
  return c.id;
}

Status ConflictLog::MarkResolved(WriteContext& w, int64_t id, ConflictStatus status,
                                 const std::string& resolver, int64_t when_ms,
                                 const std::string& resolution,
                                 std::optional<int64_t> resolution_sseq) {
  auto st = store_.db().Cached(
      "UPDATE sync_conflict SET status = ?2, resolver = ?3, resolved_ms = ?4, resolution = ?5,"
      " resolution_sseq = ?6 WHERE id = ?1");
  st.Bind(1, id).Bind(2, ConflictStatusCode(status)).Bind(3, resolver).Bind(4, when_ms);
  st.Bind(5, resolution).Bind(6, resolution_sseq);
  SHEFU_RETURN_IF_ERROR(st.Run());
  auto c = Get(id);
  if (!c.ok()) return c.status();
  if (!*c) return Status::Error("conflict_not_found", "冲突记录不存在", "no such conflict");
  return PutFeedRow(w, **c);
}

Result<std::optional<Conflict>> ConflictLog::Get(int64_t id) {
  static const std::string sql =
      std::string("SELECT ") + kColumns + " FROM sync_conflict WHERE id = ?1";
  auto st = store_.db().Cached(sql.c_str());
  st.Bind(1, id);
  auto r = st.Step();
  if (!r.ok()) return r.status();
  if (!*r) return std::optional<Conflict>();
  return std::optional<Conflict>(ReadRow(*st));
}

Result<std::vector<Conflict>> ConflictLog::List(const ConflictQuery& q) {
  static const std::string sql =
      std::string("SELECT ") + kColumns +
      " FROM sync_conflict WHERE id > ?1"
      " AND (?2 = '' OR status = ?2) AND (?3 = '' OR entity = ?3) AND (?4 = '' OR record_id = ?4)"
      " AND (?5 = '' OR rule = ?5) AND (?6 = '' OR loser_node = ?6)"
      " AND (?7 = 0 OR ((?8 = '' OR district = '' OR district = ?8)"
      "  AND (?9 = '' OR town = '' OR town = ?9)"
      "  AND (?10 = '' OR community = '' OR community = ?10)))"
      " ORDER BY id LIMIT ?11";
  auto st = store_.db().Cached(sql.c_str());
  st.Bind(1, q.after_id);
  st.Bind(2, q.status ? ConflictStatusCode(*q.status) : "");
  st.Bind(3, q.entity).Bind(4, q.record_id).Bind(5, q.rule ? RuleCode(*q.rule) : "");
  st.Bind(6, q.loser_node).Bind(7, q.scope ? 1 : 0);
  Scope s = q.scope.value_or(Scope{});
  st.Bind(8, s.district).Bind(9, s.town).Bind(10, s.community);
  st.Bind(11, q.limit);
  std::vector<Conflict> out;
  for (;;) {
    auto r = st.Step();
    if (!r.ok()) return r.status();
    if (!*r) break;
    out.push_back(ReadRow(*st));
  }
  return out;
}

}  // namespace shefu::sync
