#include "sync/wire.h"

#include <algorithm>
#include <vector>

#include "sync/uuid.h"

namespace shefu::sync {
namespace {

Status Bad(std::string_view field, std::string_view zh, std::string_view en) {
  return ProtocolError(kBadRequest, "字段 " + std::string(field) + " " + std::string(zh),
                       "field '" + std::string(field) + "' " + std::string(en));
}

const Json* Find(const Json& obj, const char* key) {
  auto it = obj.find(key);
  return it == obj.end() ? nullptr : &*it;
}

Result<int64_t> Int(const Json& obj, const char* key, int64_t min, int64_t max) {
  const Json* v = Find(obj, key);
  if (!v) return Bad(key, "缺失", "is missing");
  if (!v->is_number_integer()) return Bad(key, "必须是整数", "must be an integer");
  int64_t x;
  if (v->is_number_unsigned()) {
    uint64_t u = v->get<uint64_t>();
    if (u > static_cast<uint64_t>(INT64_MAX)) return Bad(key, "超出范围", "is out of range");
    x = static_cast<int64_t>(u);
  } else {
    x = v->get<int64_t>();
  }
  if (x < min || x > max) return Bad(key, "超出范围", "is out of range");
  return x;
}

Result<std::string> Str(const Json& obj, const char* key, size_t max_bytes, bool allow_missing) {
  const Json* v = Find(obj, key);
  if (!v) {
    if (allow_missing) return std::string();
    return Bad(key, "缺失", "is missing");
  }
  if (!v->is_string()) return Bad(key, "必须是字符串", "must be a string");
  const auto& s = v->get_ref<const std::string&>();
  if (s.size() > max_bytes) return Bad(key, "过长", "is too long");
  if (!IsValidUtf8(s)) return Bad(key, "不是有效的 UTF-8", "is not valid UTF-8");
  return s;
}

Result<bool> Bool(const Json& obj, const char* key) {
  const Json* v = Find(obj, key);
  if (!v) return Bad(key, "缺失", "is missing");
  if (!v->is_boolean()) return Bad(key, "必须是 true 或 false", "must be true or false");
  return v->get<bool>();
}

Result<Hlc> Stamp(const Json& obj, const char* key) {
  auto s = Str(obj, key, 16, false);
  if (!s.ok()) return s.status();
  auto h = Hlc::FromHex(*s);
  if (!h) return Bad(key, "必须是 16 位十六进制时间戳", "must be a 16-hex-digit stamp");
  return *h;
}

Result<std::string> Name(const Json& obj, const char* key) {
  auto s = Str(obj, key, 64, false);
  if (!s.ok()) return s.status();
  if (!IsValidName(*s))
    return Bad(key, "只能由小写字母、数字和下划线组成", "must match [a-z0-9_]{1,64}");
  return s;
}

Result<std::string> RecordId(const Json& obj, const char* key) {
  auto s = Str(obj, key, 64, false);
  if (!s.ok()) return s.status();
  if (!IsValidRecordId(*s)) return Bad(key, "格式无效", "must match [0-9A-Za-z._:-]{1,64}");
  return s;
}

bool IsHex(std::string_view s) {
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

Result<std::string> Epoch(const Json& obj, const char* key) {
  auto s = Str(obj, key, 32, true);
  if (!s.ok()) return s.status();
  if (!IsHex(*s)) return Bad(key, "必须是十六进制", "must be lower-case hex");
  return s;
}

const Json* Array(const Json& obj, const char* key, size_t max, Status* err) {
  const Json* v = Find(obj, key);
  if (!v) {
    *err = Bad(key, "缺失", "is missing");
    return nullptr;
  }
  if (!v->is_array()) {
    *err = Bad(key, "必须是数组", "must be an array");
    return nullptr;
  }
  if (v->size() > max) {
    *err = ProtocolError(kBatchTooLarge, std::to_string(v->size()) + " 条",
                         std::to_string(v->size()) + " entries");
    return nullptr;
  }
  return v;
}

Json Envelope(const VersionPolicy& v) {
  Json j = Json::object();
  j["protocol"] = v.protocol;
  j["schema"] = v.schema;
  return j;
}

Status CheckObject(const Json& msg) {
  if (!msg.is_object())
    return ProtocolError(kBadRequest, "消息必须是 JSON 对象", "a message must be a JSON object");
  return Status::Ok();
}

Json EncodeResults(const std::vector<RecordResult>& rs, const char* seq_key) {
  Json a = Json::array();
  for (const auto& r : rs) {
    Json o = Json::object();
    o[seq_key] = r.seq;
    o["outcome"] = OutcomeCode(r.outcome);
    o["code"] = r.code;
    o["detail"] = r.detail;
    o["zh"] = r.message.zh;
    o["en"] = r.message.en;
    a.push_back(std::move(o));
  }
  return a;
}

Status DecodeResults(const Json& msg, const char* key, const char* seq_key,
                     std::vector<RecordResult>* out) {
  Status err;
  const Json* a = Array(msg, key, 2 * kMaxBatchChanges, &err);
  if (!a) return err;
  for (const Json& o : *a) {
    if (!o.is_object()) return Bad(key, "的元素必须是对象", "entries must be objects");
    RecordResult r;
    auto seq = Int(o, seq_key, 0, kMaxSeq);
    if (!seq.ok()) return seq.status();
    r.seq = *seq;
    auto oc = Str(o, "outcome", 16, false);
    if (!oc.ok()) return oc.status();
    auto outcome = ParseOutcome(*oc);
    if (!outcome) return Bad("outcome", "取值无效", "has an unknown value");
    r.outcome = *outcome;
    auto code = Str(o, "code", 64, false);
    if (!code.ok()) return code.status();
    r.code = *code;
    auto detail = Str(o, "detail", 64, true);
    if (!detail.ok()) return detail.status();
    r.detail = *detail;
    auto zh = Str(o, "zh", 4096, true);
    if (!zh.ok()) return zh.status();
    auto en = Str(o, "en", 4096, true);
    if (!en.ok()) return en.status();
    r.message = {*zh, *en};
    out->push_back(std::move(r));
  }
  return Status::Ok();
}

}  // namespace

Json ResultsToJson(const std::vector<RecordResult>& results) {
  return EncodeResults(results, "seq");
}

Status ResultsFromJson(const Json& array, std::vector<RecordResult>* out) {
  Json holder = Json::object();
  holder["results"] = array;
  return DecodeResults(holder, "results", "seq", out);
}

bool VersionAccepted(int v, int current) {
  return v >= 1 && (v == current || v == current - 1);
}

std::string CanonicalJson(const Json& v) {
  return DumpJson(v);
}

namespace {

// The scanner behind IsCanonicalJsonText: each function reads one element at p and advances it.
class CanonicalScan {
 public:
  explicit CanonicalScan(std::string_view t) : p_(t.data()), end_(t.data() + t.size()) {}
  bool All() { return Value(0) && p_ == end_; }

 private:
  bool Value(int depth) {
    if (p_ >= end_) return false;
    switch (*p_) {
      case '{': {
        if (depth >= kMaxValueDepth) return false;
        ++p_;
        if (Eat('}')) return true;
        std::string_view prev;
        for (bool first = true;; first = false) {
          std::string_view key;
          if (!String(&key) || !Eat(':')) return false;
          // std::map order, strictly: a repeated key is not canonical either.
          if (!first && !(prev < key)) return false;
          prev = key;
          if (!Value(depth + 1)) return false;
          if (Eat(',')) continue;
          return Eat('}');
        }
      }
      case '[': {
        if (depth >= kMaxValueDepth) return false;
        ++p_;
        if (Eat(']')) return true;
        for (;;) {
          if (!Value(depth + 1)) return false;
          if (Eat(',')) continue;
          return Eat(']');
        }
      }
      case '"': {
        std::string_view s;
        return String(&s);
      }
      case 't':
        return Word("true");
      case 'f':
        return Word("false");
      case 'n':
        return Word("null");
      default:
        return Integer();
    }
  }
  bool Eat(char c) {
    if (p_ < end_ && *p_ == c) {
      ++p_;
      return true;
    }
    return false;
  }
  bool Word(std::string_view w) {
    if (static_cast<size_t>(end_ - p_) < w.size() || std::string_view(p_, w.size()) != w)
      return false;
    p_ += w.size();
    return true;
  }
  // No escape and no control character: such a string is dumped as its own bytes.
  bool String(std::string_view* out) {
    if (!Eat('"')) return false;
    const char* b = p_;
    for (; p_ < end_; ++p_) {
      unsigned char c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        *out = std::string_view(b, static_cast<size_t>(p_ - b));
        ++p_;
        return true;
      }
      if (c == '\\' || c < 0x20) return false;
    }
    return false;
  }
  // -?(0|[1-9][0-9]{0,17}), not "-0": parsed to an integer and dumped as the same digits.
  bool Integer() {
    bool neg = Eat('-');
    const char* b = p_;
    while (p_ < end_ && *p_ >= '0' && *p_ <= '9') {
      if (p_ - b == 18) return false;
      ++p_;
    }
    const size_t digits = static_cast<size_t>(p_ - b);
    if (digits == 0 || (digits > 1 && *b == '0') || (neg && digits == 1 && *b == '0')) return false;
    return true;
  }

  const char* p_;
  const char* end_;
};

}  // namespace

bool IsCanonicalJsonText(std::string_view text) {
  return CanonicalScan(text).All();
}

Result<Json> ParseMessage(std::string_view body) {
  if (body.size() > kMaxMessageBytes)
    return ProtocolError(kBadRequest, "消息过大", "message too large");
  auto j = ParseJson(body, 32);
  if (!j.ok()) return ProtocolError(kBadRequest, j.status().zh(), j.status().en());
  return j;
}

Status CheckVersions(const Json& msg, const VersionPolicy& policy) {
  SHEFU_RETURN_IF_ERROR(CheckObject(msg));
  auto p = Int(msg, "protocol", 0, 1 << 20);
  if (!p.ok()) return p.status();
  auto s = Int(msg, "schema", 0, 1 << 20);
  if (!s.ok()) return s.status();
  if (!VersionAccepted(static_cast<int>(*p), policy.protocol) ||
      !VersionAccepted(static_cast<int>(*s), policy.schema)) {
    return ProtocolError(kProtocolUnsupported,
                         "收到 protocol " + std::to_string(*p) + " / schema " + std::to_string(*s) +
                             "，支持 " + std::to_string(policy.protocol) + " / " +
                             std::to_string(policy.schema) + " 及前一版",
                         "got protocol " + std::to_string(*p) + " / schema " + std::to_string(*s) +
                             ", this side speaks " + std::to_string(policy.protocol) + " / " +
                             std::to_string(policy.schema) + " and the version before");
  }
  return Status::Ok();
}

VersionPolicy ReplyVersions(const Json& request, const VersionPolicy& policy) {
  if (!CheckVersions(request, policy).ok()) return policy;
  return VersionPolicy{request["protocol"].get<int>(), request["schema"].get<int>()};
}

// ---- upload -------------------------------------------------------------------------------

Json Encode(const UploadRequest& m, const VersionPolicy& v) {
  Json j = Envelope(v);
  j["client_id"] = m.client_id;
  j["epoch"] = m.epoch;
  j["first_seq"] = m.first_seq;
  j["last_seq"] = m.last_seq;
  Json a = Json::array();
  for (const Change& c : m.changes) {
    Json o = Json::object();
    o["seq"] = c.seq;
    o["entity"] = c.entity;
    o["id"] = c.id;
    o["group"] = c.group;
    o["value"] = c.value;
    o["hlc"] = c.hlc.ToHex();
    o["base"] = c.base;
    a.push_back(std::move(o));
  }
  j["changes"] = std::move(a);
  return j;
}

Result<UploadRequest> DecodeUploadRequest(Json&& msg, const VersionPolicy& v) {
  SHEFU_RETURN_IF_ERROR(CheckVersions(msg, v));
  UploadRequest m;
  auto client = RecordId(msg, "client_id");
  if (!client.ok()) return client.status();
  m.client_id = std::move(*client);
  auto epoch = Epoch(msg, "epoch");
  if (!epoch.ok()) return epoch.status();
  m.epoch = std::move(*epoch);
  auto first = Int(msg, "first_seq", 1, kMaxSeq);
  if (!first.ok()) return first.status();
  auto last = Int(msg, "last_seq", 1, kMaxSeq);
  if (!last.ok()) return last.status();
  if (*last < *first) return Bad("last_seq", "小于 first_seq", "is below first_seq");
  m.first_seq = *first;
  m.last_seq = *last;
  Status err;
  if (static_cast<uint64_t>(*last - *first) >= kMaxBatchChanges)
    return ProtocolError(kBatchTooLarge);
  Json* arr = const_cast<Json*>(Array(msg, "changes", kMaxBatchChanges, &err));
  if (!arr) return err;
  if (arr->size() != static_cast<size_t>(*last - *first + 1))
    return Bad("changes", "的条数与 first_seq..last_seq 不符",
               "count does not match first_seq..last_seq");
  m.changes.reserve(arr->size());
  int64_t expect = *first;
  for (Json& o : *arr) {
    if (!o.is_object()) return Bad("changes", "的元素必须是对象", "entries must be objects");
    Change c;
    auto seq = Int(o, "seq", 1, kMaxSeq);
    if (!seq.ok()) return seq.status();
    if (*seq != expect) return Bad("seq", "必须连续递增", "must be contiguous and ascending");
    c.seq = expect++;
    auto entity = Name(o, "entity");
    if (!entity.ok()) return entity.status();
    c.entity = std::move(*entity);
    auto id = RecordId(o, "id");
    if (!id.ok()) return id.status();
    c.id = std::move(*id);
    auto group = Name(o, "group");
    if (!group.ok()) return group.status();
    c.group = std::move(*group);
    auto it = o.find("value");
    if (it == o.end()) return Bad("value", "缺失", "is missing");
    c.value = std::move(*it);
    c.value_text = CanonicalJson(c.value);
    if (c.value_text.size() > kMaxValueBytes) return Bad("value", "过大", "is too large");
    if (JsonDepth(c.value) > kMaxValueDepth)
      return Bad("value", "嵌套过深", "is nested too deeply");
    auto hlc = Stamp(o, "hlc");
    if (!hlc.ok()) return hlc.status();
    c.hlc = *hlc;
    auto base = Int(o, "base", 0, kMaxSeq);
    if (!base.ok()) return base.status();
    c.base = *base;
    m.changes.push_back(std::move(c));
  }
  return m;
}

int JsonDepth(const Json& v) {
  int max_depth = 0;
  std::vector<std::pair<const Json*, int>> stack = {{&v, 0}};
  while (!stack.empty()) {
    auto [j, d] = stack.back();
    stack.pop_back();
    if (!j->is_structured()) continue;
    max_depth = std::max(max_depth, d + 1);
    for (const auto& child : *j) stack.push_back({&child, d + 1});
  }
  return max_depth;
}

Json Encode(const UploadReply& m, const VersionPolicy& v) {
  Json j = Envelope(v);
  j["epoch"] = m.epoch;
  j["acked_seq"] = m.acked_seq;
  j["server_hlc"] = m.server_hlc.ToHex();
  j["checkpoint"] = m.checkpoint;
  j["results"] = EncodeResults(m.results, "seq");
  return j;
}

Result<UploadReply> DecodeUploadReply(const Json& msg, const VersionPolicy& v) {
  SHEFU_RETURN_IF_ERROR(CheckVersions(msg, v));
  UploadReply m;
  auto epoch = Epoch(msg, "epoch");
  if (!epoch.ok()) return epoch.status();
  m.epoch = std::move(*epoch);
  auto acked = Int(msg, "acked_seq", 0, kMaxSeq);
  if (!acked.ok()) return acked.status();
  m.acked_seq = *acked;
  auto hlc = Stamp(msg, "server_hlc");
  if (!hlc.ok()) return hlc.status();
  m.server_hlc = *hlc;
  auto cp = Int(msg, "checkpoint", 0, kMaxSeq);
  if (!cp.ok()) return cp.status();
  m.checkpoint = *cp;
  SHEFU_RETURN_IF_ERROR(DecodeResults(msg, "results", "seq", &m.results));
  return m;
}

// ---- download -----------------------------------------------------------------------------

Json Encode(const DownloadRequest& m, const VersionPolicy& v) {
  Json j = Envelope(v);
  j["cursor"] = m.cursor;
  j["epoch"] = m.epoch;
  j["limit"] = m.limit;
  return j;
}

Result<DownloadRequest> DecodeDownloadRequest(const Json& msg, const VersionPolicy& v) {
  SHEFU_RETURN_IF_ERROR(CheckVersions(msg, v));
  DownloadRequest m;
  auto cursor = Str(msg, "cursor", 256, false);
  if (!cursor.ok()) return cursor.status();
  m.cursor = std::move(*cursor);
  auto epoch = Epoch(msg, "epoch");
  if (!epoch.ok()) return epoch.status();
  m.epoch = std::move(*epoch);
  auto limit = Int(msg, "limit", 1, kMaxPageLimit);
  if (!limit.ok()) return limit.status();
  m.limit = static_cast<int>(*limit);
  return m;
}

Json Encode(const DownloadReply& m, const VersionPolicy& v) {
  Json j = Envelope(v);
  j["epoch"] = m.epoch;
  j["server_hlc"] = m.server_hlc.ToHex();
  Json a = Json::array();
  for (const FeedRow& r : m.changes) {
    Json o = Json::object();
    o["entity"] = r.entity;
    o["id"] = r.id;
    o["group"] = r.group;
    o["value"] = r.value;
    o["hlc"] = r.hlc.ToHex();
    o["node"] = r.node;
    o["seq"] = r.seq;
    o["version"] = r.version;
    o["flags"] = r.flags;
    a.push_back(std::move(o));
  }
  j["changes"] = std::move(a);
  j["next_cursor"] = m.next_cursor;
  j["checkpoint"] = m.checkpoint;
  j["has_more"] = m.has_more;
  return j;
}

Result<DownloadReply> DecodeDownloadReply(Json&& msg, const VersionPolicy& v) {
  SHEFU_RETURN_IF_ERROR(CheckVersions(msg, v));
  DownloadReply m;
  auto epoch = Epoch(msg, "epoch");
  if (!epoch.ok()) return epoch.status();
  m.epoch = std::move(*epoch);
  auto hlc = Stamp(msg, "server_hlc");
  if (!hlc.ok()) return hlc.status();
  m.server_hlc = *hlc;
  Status err;
  Json* arr = const_cast<Json*>(Array(msg, "changes", static_cast<size_t>(kMaxPageLimit), &err));
  if (!arr) return err;
  m.changes.reserve(arr->size());
  for (Json& o : *arr) {
    if (!o.is_object()) return Bad("changes", "的元素必须是对象", "entries must be objects");
    FeedRow r;
    auto entity = Name(o, "entity");
    if (!entity.ok()) return entity.status();
    r.entity = std::move(*entity);
    auto id = RecordId(o, "id");
    if (!id.ok()) return id.status();
    r.id = std::move(*id);
    auto group = Name(o, "group");
    if (!group.ok()) return group.status();
    r.group = std::move(*group);
    auto it = o.find("value");
    if (it == o.end()) return Bad("value", "缺失", "is missing");
    r.value = std::move(*it);
    auto stamp = Stamp(o, "hlc");
    if (!stamp.ok()) return stamp.status();
    r.hlc = *stamp;
    auto node = Str(o, "node", 64, false);
    if (!node.ok()) return node.status();
    r.node = std::move(*node);
    auto seq = Int(o, "seq", 0, kMaxSeq);
    if (!seq.ok()) return seq.status();
    r.seq = *seq;
    auto version = Int(o, "version", 0, kMaxSeq);
    if (!version.ok()) return version.status();
    r.version = *version;
    auto flags = Int(o, "flags", 0, 0xFFFF);
    if (!flags.ok()) return flags.status();
    r.flags = *flags;
    m.changes.push_back(std::move(r));
  }
  auto next = Str(msg, "next_cursor", 256, false);
  if (!next.ok()) return next.status();
  m.next_cursor = std::move(*next);
  auto cp = Int(msg, "checkpoint", 0, kMaxSeq);
  if (!cp.ok()) return cp.status();
  m.checkpoint = *cp;
  auto more = Bool(msg, "has_more");
  if (!more.ok()) return more.status();
  m.has_more = *more;
  return m;
}

// ---- anonymous stream ---------------------------------------------------------------------

Json Encode(const AnonUploadRequest& m, const VersionPolicy& v) {
  Json j = Envelope(v);
  j["batch_id"] = m.batch_id;
  j["date"] = m.date;
  Json a = Json::array();
  for (const AnonItem& it : m.items) {
    Json o = Json::object();
    o["entity"] = it.entity;
    o["value"] = it.value;
    a.push_back(std::move(o));
  }
  j["items"] = std::move(a);
  return j;
}

Result<AnonUploadRequest> DecodeAnonUploadRequest(Json&& msg, const VersionPolicy& v) {
  SHEFU_RETURN_IF_ERROR(CheckVersions(msg, v));
  AnonUploadRequest m;
  auto id = Str(msg, "batch_id", 32, false);
  if (!id.ok()) return id.status();
  if (id->size() != 32 || !IsHex(*id))
    return Bad("batch_id", "必须是 32 位十六进制", "must be 32 lower-case hex digits");
  m.batch_id = std::move(*id);
  auto date = Str(msg, "date", 10, false);
  if (!date.ok()) return date.status();
  const std::string& d = *date;
  bool shape = d.size() == 10 && d[4] == '-' && d[7] == '-';
  for (size_t i = 0; shape && i < d.size(); ++i)
    if (i != 4 && i != 7 && !(d[i] >= '0' && d[i] <= '9')) shape = false;
  if (!shape) return Bad("date", "应为 YYYY-MM-DD", "must be YYYY-MM-DD");
  m.date = d;
  Status err;
  Json* arr = const_cast<Json*>(Array(msg, "items", kMaxAnonItems, &err));
  if (!arr) return err;
  for (Json& o : *arr) {
    if (!o.is_object()) return Bad("items", "的元素必须是对象", "entries must be objects");
    AnonItem it;
    auto entity = Name(o, "entity");
    if (!entity.ok()) return entity.status();
    it.entity = std::move(*entity);
    auto vi = o.find("value");
    if (vi == o.end()) return Bad("value", "缺失", "is missing");
    it.value = std::move(*vi);
    if (CanonicalJson(it.value).size() > kMaxValueBytes)
      return Bad("value", "过大", "is too large");
    if (JsonDepth(it.value) > kMaxValueDepth)
      return Bad("value", "嵌套过深", "is nested too deeply");
    m.items.push_back(std::move(it));
  }
  return m;
}

Json Encode(const AnonUploadReply& m, const VersionPolicy& v) {
  Json j = Envelope(v);
  j["batch_id"] = m.batch_id;
  j["accepted"] = m.accepted;
  j["refused"] = EncodeResults(m.refused, "index");
  return j;
}

Result<AnonUploadReply> DecodeAnonUploadReply(const Json& msg, const VersionPolicy& v) {
  SHEFU_RETURN_IF_ERROR(CheckVersions(msg, v));
  AnonUploadReply m;
  auto id = Str(msg, "batch_id", 32, false);
  if (!id.ok()) return id.status();
  m.batch_id = std::move(*id);
  auto n = Int(msg, "accepted", 0, kMaxSeq);
  if (!n.ok()) return n.status();
  m.accepted = *n;
  SHEFU_RETURN_IF_ERROR(DecodeResults(msg, "refused", "index", &m.refused));
  return m;
}

// ---- errors -------------------------------------------------------------------------------

ErrorReply ToErrorReply(const Status& st, std::optional<int64_t> expected_seq, std::string reason) {
  ErrorReply e;
  const ErrorSpec* spec = FindError(st.code());
  e.code = spec ? st.code() : kInternal;
  e.action = ActionFor(e.code);
  e.message = {st.zh(), st.en()};
  e.expected_seq = expected_seq;
  e.reason = std::move(reason);
  return e;
}

Json Encode(const ErrorReply& m, const VersionPolicy& v) {
  Json j = Envelope(v);
  Json e = Json::object();
  e["code"] = m.code;
  e["zh"] = m.message.zh;
  e["en"] = m.message.en;
  e["action"] = ActionCode(m.action);
  j["error"] = std::move(e);
  if (m.expected_seq) j["expected_seq"] = *m.expected_seq;
  if (!m.reason.empty()) j["reason"] = m.reason;
  return j;
}

Result<std::optional<ErrorReply>> DecodeErrorReply(const Json& msg) {
  SHEFU_RETURN_IF_ERROR(CheckObject(msg));
  const Json* e = Find(msg, "error");
  if (!e) return std::optional<ErrorReply>();
  if (!e->is_object()) return Bad("error", "必须是对象", "must be an object");
  ErrorReply r;
  auto code = Str(*e, "code", 64, false);
  if (!code.ok()) return code.status();
  r.code = std::move(*code);
  auto action = Str(*e, "action", 16, false);
  if (!action.ok()) return action.status();
  auto a = ParseAction(*action);
  if (!a) return Bad("action", "取值无效", "has an unknown value");
  r.action = *a;
  auto zh = Str(*e, "zh", 4096, true);
  if (!zh.ok()) return zh.status();
  auto en = Str(*e, "en", 4096, true);
  if (!en.ok()) return en.status();
  r.message = {*zh, *en};
  if (Find(msg, "expected_seq")) {
    auto x = Int(msg, "expected_seq", 1, kMaxSeq);
    if (!x.ok()) return x.status();
    r.expected_seq = *x;
  }
  auto reason = Str(msg, "reason", 16, true);
  if (!reason.ok()) return reason.status();
  r.reason = std::move(*reason);
  return std::optional<ErrorReply>(std::move(r));
}

}  // namespace shefu::sync
