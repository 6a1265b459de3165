#include "sync/upload_decoder.h"

#include <cstring>

#include "sync/uuid.h"

namespace shefu::sync {
namespace {

// One pass over an upload body. Every method returns false for "not the common form": the
// caller then hands the body to the two-step path, so false never means "malformed" here.
class FastUpload {
 public:
  explicit FastUpload(std::string_view s) : p_(s.data()), end_(s.data() + s.size()) {}

  bool Parse(UploadRequest* out, int64_t* protocol, int64_t* schema);

 private:
  // Which top-level and change fields have been seen: a repeat goes to the two-step path
  // (nlohmann keeps the last of repeated keys; there is no reason to copy that here).
  enum Top : unsigned {
    kProtocol = 1,
    kSchema = 2,
    kClient = 4,
    kEpoch = 8,
    kFirst = 16,
    kLast = 32,
    kChanges = 64
  };
  enum Field : unsigned {
    kSeq = 1,
    kEntity = 2,
    kId = 4,
    kGroup = 8,
    kValue = 16,
    kHlc = 32,
    kBase = 64,
    kAllFields = 127
  };

  static bool IsWs(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }
  void Ws() {
    while (p_ < end_ && IsWs(*p_)) ++p_;
  }
  // Whitespace inside a value: allowed, but then the value's bytes are not its canonical text.
  void WsInValue(bool* canonical) {
    if (p_ < end_ && IsWs(*p_)) {
      *canonical = false;
      Ws();
    }
  }
  bool Eat(char c) {
    if (p_ < end_ && *p_ == c) {
      ++p_;
      return true;
    }
    return false;
  }
  bool Literal(const char* word, size_t n) {
    if (static_cast<size_t>(end_ - p_) < n || memcmp(p_, word, n) != 0) return false;
    p_ += n;
    return true;
  }
  // A string with no escape and no control character, as a view of the input. (The body is
  // valid UTF-8 as a whole, checked first, so the view is too.) Such a string's canonical text
  // is its own bytes between the quotes.
  bool String(std::string_view* out) {
    if (!Eat('"')) return false;
    const char* b = p_;
    while (p_ < end_) {
      unsigned char c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        *out = std::string_view(b, static_cast<size_t>(p_ - b));
        ++p_;
        return true;
      }
      if (c == '\\' || c < 0x20) return false;
      ++p_;
    }
    return false;
  }
  // -?(0|[1-9][0-9]{0,17}), followed by a delimiter: no fraction, no exponent, no "-0", and
  // never near the 64-bit limits (where nlohmann would switch to a double).
  bool Integer(int64_t* out) {
    bool neg = Eat('-');
    const char* b = p_;
    int64_t v = 0;
    while (p_ < end_ && *p_ >= '0' && *p_ <= '9') {
      // Refuse a 19th digit before multiplying: 18 nines times ten overflows int64_t (the
      // fuzzer's crash-24b496e2…, caught by UBSan). Such numbers take the two-step path.
      if (p_ - b == 18) return false;
      v = v * 10 + (*p_ - '0');
      ++p_;
    }
    const size_t digits = static_cast<size_t>(p_ - b);
    if (digits == 0 || (digits > 1 && *b == '0') || (neg && v == 0)) return false;
    if (p_ < end_ && !(*p_ == ',' || *p_ == '}' || *p_ == ']' || IsWs(*p_))) return false;
    *out = neg ? -v : v;
    return true;
  }
  // An object in the message's own shape: {"key": value, ...}. member(key) reads the value after
  // the colon; false from it, or anything outside the common form, ends the walk with false.
  template <class F>
  bool Object(F&& member) {
    Ws();
    if (!Eat('{')) return false;
    for (;;) {
      Ws();
      std::string_view key;
      if (!String(&key)) return false;
      Ws();
      if (!Eat(':')) return false;
      Ws();
      if (!member(key)) return false;
      Ws();
      if (Eat(',')) continue;
      return Eat('}');
    }
  }
  bool Value(Json* out, int depth, bool* canonical);
  bool ChangeObject(Change* c);

  const char* p_;
  const char* end_;
};

bool FastUpload::Value(Json* out, int depth, bool* canonical) {
  if (p_ >= end_) return false;
  switch (*p_) {
    case '{': {
      if (depth >= kMaxValueDepth) return false;  // the two-step path names the error
      ++p_;
      *out = Json(Json::value_t::object);
      auto& obj = out->get_ref<Json::object_t&>();
      WsInValue(canonical);
      if (Eat('}')) return true;
      std::string_view prev;
      for (;;) {
        WsInValue(canonical);
        std::string_view key;
        if (!String(&key)) return false;
        WsInValue(canonical);
        if (!Eat(':')) return false;
        WsInValue(canonical);
        Json child;
        if (!Value(&child, depth + 1, canonical)) return false;
        // Canonical text lists keys in the map's order; devices write them so, and then the
        // hint makes each insert constant time.
        if (!obj.empty() && !(prev < key)) *canonical = false;
        const size_t before = obj.size();
        obj.emplace_hint(obj.end(), std::string(key), std::move(child));
        if (obj.size() == before) return false;  // a repeated key
        prev = key;
        WsInValue(canonical);
        if (Eat(',')) continue;
        return Eat('}');
      }
    }
    case '[': {
      if (depth >= kMaxValueDepth) return false;
      ++p_;
      *out = Json(Json::value_t::array);
      auto& arr = out->get_ref<Json::array_t&>();
      WsInValue(canonical);
      if (Eat(']')) return true;
      for (;;) {
        WsInValue(canonical);
        arr.emplace_back();
        if (!Value(&arr.back(), depth + 1, canonical)) return false;
        WsInValue(canonical);
        if (Eat(',')) continue;
        return Eat(']');
      }
    }
    case '"': {
      std::string_view s;
      if (!String(&s)) return false;
      *out = Json(std::string(s));
      return true;
    }
    case 't':
      *out = true;
      return Literal("true", 4);
    case 'f':
      *out = false;
      return Literal("false", 5);
    case 'n':
      *out = nullptr;
      return Literal("null", 4);
    default: {
      int64_t v;
      if (!Integer(&v)) return false;
      // As nlohmann's parser types them: unsigned when there is no minus sign.
      if (v >= 0)
        *out = static_cast<uint64_t>(v);
      else
        *out = v;
      return true;
    }
  }
}

bool FastUpload::ChangeObject(Change* c) {
  unsigned seen = 0;
  auto member = [&](std::string_view key) {
    std::string_view s;
    unsigned bit;
    if (key == "seq") {
      bit = kSeq;
      if (!Integer(&c->seq) || c->seq < 1 || c->seq > kMaxSeq) return false;
    } else if (key == "entity" || key == "group") {
      bit = key == "entity" ? kEntity : kGroup;
      if (!String(&s) || s.size() > 64 || !IsValidName(s)) return false;
      (bit == kEntity ? c->entity : c->group).assign(s);
    } else if (key == "id") {
      bit = kId;
      if (!String(&s) || s.size() > 64 || !IsValidRecordId(s)) return false;
      c->id.assign(s);
    } else if (key == "hlc") {
      bit = kHlc;
      if (!String(&s) || s.size() > 16) return false;
      auto h = Hlc::FromHex(s);
      if (!h) return false;
      c->hlc = *h;
    } else if (key == "base") {
      bit = kBase;
      if (!Integer(&c->base) || c->base < 0 || c->base > kMaxSeq) return false;
    } else if (key == "value") {
      bit = kValue;
      const char* b = p_;
      bool canonical = true;
      if (!Value(&c->value, 0, &canonical)) return false;
      if (canonical)
        c->value_text.assign(b, static_cast<size_t>(p_ - b));
      else
        c->value_text = CanonicalJson(c->value);
      if (c->value_text.size() > kMaxValueBytes) return false;
    } else {
      return false;  // a field this version does not write
    }
    if (seen & bit) return false;
    seen |= bit;
    return true;
  };
  return Object(member) && seen == kAllFields;
}

bool FastUpload::Parse(UploadRequest* out, int64_t* protocol, int64_t* schema) {
  unsigned seen = 0;
  auto member = [&](std::string_view key) {
    std::string_view s;
    unsigned bit;
    if (key == "protocol" || key == "schema") {
      bit = key == "protocol" ? kProtocol : kSchema;
      if (!Integer(bit == kProtocol ? protocol : schema)) return false;
    } else if (key == "client_id") {
      bit = kClient;
      if (!String(&s) || s.size() > 64 || !IsValidRecordId(s)) return false;
      out->client_id.assign(s);
    } else if (key == "epoch") {
      bit = kEpoch;
      if (!String(&s) || s.size() > 32) return false;
      for (char ch : s)
        if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'))) return false;
      out->epoch.assign(s);
    } else if (key == "first_seq" || key == "last_seq") {
      bit = key == "first_seq" ? kFirst : kLast;
      int64_t* v = bit == kFirst ? &out->first_seq : &out->last_seq;
      if (!Integer(v) || *v < 1 || *v > kMaxSeq) return false;
    } else if (key == "changes") {
      bit = kChanges;
      if (!Eat('[')) return false;
      Ws();
      if (!Eat(']')) {
        for (;;) {
          if (out->changes.size() >= kMaxBatchChanges) return false;
          out->changes.emplace_back();
          if (!ChangeObject(&out->changes.back())) return false;
          Ws();
          if (Eat(',')) continue;
          if (!Eat(']')) return false;
          break;
        }
      }
    } else {
      return false;
    }
    if (seen & bit) return false;
    seen |= bit;
    return true;
  };
  if (!Object(member)) return false;
  Ws();
  // epoch may be absent (a device that never downloaded); everything else must be there.
  return p_ == end_ && (seen | kEpoch) == 127u;
}

// The checks of DecodeUploadRequest that span fields; any failure goes to the two-step path.
bool Coherent(const UploadRequest& r, int64_t protocol, int64_t schema, const VersionPolicy& v) {
  if (protocol < 0 || protocol > (1 << 20) || schema < 0 || schema > (1 << 20)) return false;
  if (!VersionAccepted(static_cast<int>(protocol), v.protocol) ||
      !VersionAccepted(static_cast<int>(schema), v.schema))
    return false;
  if (r.last_seq < r.first_seq ||
      static_cast<uint64_t>(r.last_seq - r.first_seq) >= kMaxBatchChanges)
    return false;
  if (r.changes.size() != static_cast<size_t>(r.last_seq - r.first_seq + 1)) return false;
  int64_t expect = r.first_seq;
  for (const Change& c : r.changes)
    if (c.seq != expect++) return false;
  return true;
}

}  // namespace

Result<DecodedUpload> DecodeUploadBody(std::string_view body, const VersionPolicy& v) {
  DecodedUpload d;
  if (body.size() <= kMaxMessageBytes && IsValidUtf8(body)) {
    int64_t protocol = -1, schema = -1;
    if (FastUpload(body).Parse(&d.request, &protocol, &schema) &&
        Coherent(d.request, protocol, schema, v)) {
      d.spoke = VersionPolicy{static_cast<int>(protocol), static_cast<int>(schema)};
      d.fast = true;
      return d;
    }
  }
  auto msg = ParseMessage(body);
  if (!msg.ok()) return msg.status();
  d.spoke = ReplyVersions(*msg, v);
  auto req = DecodeUploadRequest(std::move(*msg), v);
  if (!req.ok()) return req.status();
  d.request = std::move(*req);
  return d;
}

}  // namespace shefu::sync
