#include "shared/json_util.h"

#include <cstring>
#include <vector>

namespace shefu {

bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  const size_t n = s.size();
  while (i < n) {
    // Eight ASCII bytes at a time: most of a sync body is ASCII.
    if (i + 8 <= n) {
      uint64_t w;
      memcpy(&w, s.data() + i, 8);
      if ((w & 0x8080808080808080ULL) == 0) {
        i += 8;
        continue;
      }
    }
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    int len;
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + static_cast<size_t>(len) > n) return false;
    for (int k = 1; k < len; ++k) {
      unsigned char cc = static_cast<unsigned char>(s[i + static_cast<size_t>(k)]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Overlong forms, surrogates and out-of-range code points are invalid.
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += static_cast<size_t>(len);
  }
  return true;
}

namespace {
// True when arrays and objects nest deeper than `max_depth` anywhere in `text` (brackets inside
// strings do not count). One pass over the bytes: checking before parsing lets the parse use
// nlohmann's plain document builder, much cheaper than its per-event callback one.
bool NestsDeeperThan(std::string_view text, int max_depth) {
  int depth = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > max_depth) return true;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return false;
}
}  // namespace

Result<Json> ParseJson(std::string_view text, int max_depth) {
  if (!IsValidUtf8(text)) {
    return Status::Error("bad_json", "JSON 不是有效的 UTF-8", "JSON is not valid UTF-8");
  }
  if (NestsDeeperThan(text, max_depth)) {
    return Status::Error("bad_json", "JSON 嵌套过深", "JSON nested too deeply");
  }
  Json j = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    return Status::Error("bad_json", "JSON 格式错误", "malformed JSON");
  }
  return j;
}

std::string DumpJson(const Json& j) {
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

void AppendJsonString(std::string* out, std::string_view s) {
  // nlohmann's serializer (ensure_ascii off): the two-character escapes it knows, \u00xx (lower
  // case) for the other control characters, every other byte as it is — 0x7F included.
  static const char kHex[] = "0123456789abcdef";
  out->push_back('"');
  size_t run = 0;  // bytes copied as they are, flushed in one append
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out->append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\b':
        out->append("\\b");
        break;
      case '\f':
        out->append("\\f");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default:
        out->append("\\u00");
        out->push_back(kHex[c >> 4]);
        out->push_back(kHex[c & 15]);
    }
  }
  out->append(s.data() + run, s.size() - run);
  out->push_back('"');
}

Status FieldError(std::string_view field, std::string_view zh_what, std::string_view en_what) {
  return Status::Error("bad_field", "字段“" + std::string(field) + "”" + std::string(zh_what),
                       "field '" + std::string(field) + "' " + std::string(en_what));
}

namespace {
const Json* Find(const Json& obj, std::string_view key) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(std::string(key));
  return it == obj.end() ? nullptr : &*it;
}
}  // namespace

Result<std::string> GetString(const Json& obj, std::string_view key, size_t max_bytes,
                              size_t min_bytes) {
  auto r = OptString(obj, key, max_bytes);
  if (!r.ok()) return r.status();
  if (!r->has_value()) return FieldError(key, "缺失", "is missing");
  if ((*r)->size() < min_bytes) return FieldError(key, "不能为空", "must not be empty");
  return std::move(**r);
}

Result<std::optional<std::string>> OptString(const Json& obj, std::string_view key,
                                             size_t max_bytes) {
  if (!obj.is_object()) return FieldError(key, "所在的值必须是对象", "must be inside an object");
  const Json* v = Find(obj, key);
  if (!v || v->is_null()) return std::optional<std::string>();
  if (!v->is_string()) return FieldError(key, "必须是字符串", "must be a string");
  const std::string& s = v->get_ref<const std::string&>();
  if (s.size() > max_bytes)
    return FieldError(key, "过长（最多 " + std::to_string(max_bytes) + " 字节）",
                      "is too long (max " + std::to_string(max_bytes) + " bytes)");
  if (!IsValidUtf8(s)) return FieldError(key, "不是有效的 UTF-8", "is not valid UTF-8");
  for (unsigned char c : s) {
    if (c < 0x20 && c != '\n' && c != '\t')
      return FieldError(key, "含有控制字符", "contains control characters");
  }
  return std::optional<std::string>(s);
}

Result<int64_t> GetInt(const Json& obj, std::string_view key, int64_t min, int64_t max) {
  auto r = OptInt(obj, key, min, max);
  if (!r.ok()) return r.status();
  if (!r->has_value()) return FieldError(key, "缺失", "is missing");
  return **r;
}

Result<std::optional<int64_t>> OptInt(const Json& obj, std::string_view key, int64_t min,
                                      int64_t max) {
  if (!obj.is_object()) return FieldError(key, "所在的值必须是对象", "must be inside an object");
  const Json* v = Find(obj, key);
  if (!v || v->is_null()) return std::optional<int64_t>();
  if (!v->is_number_integer()) return FieldError(key, "必须是整数", "must be an integer");
  int64_t x;
  if (v->is_number_unsigned()) {
    uint64_t u = v->get<uint64_t>();
    if (u > static_cast<uint64_t>(INT64_MAX)) return FieldError(key, "超出范围", "is out of range");
    x = static_cast<int64_t>(u);
  } else {
    x = v->get<int64_t>();
  }
  if (x < min || x > max)
    return FieldError(key, "超出范围（" + std::to_string(min) + "–" + std::to_string(max) + "）",
                      "is out of range (" + std::to_string(min) + ".." + std::to_string(max) + ")");
  return std::optional<int64_t>(x);
}

Result<bool> GetBool(const Json& obj, std::string_view key) {
  auto r = OptBool(obj, key);
  if (!r.ok()) return r.status();
  if (!r->has_value()) return FieldError(key, "缺失", "is missing");
  return **r;
}

Result<std::optional<bool>> OptBool(const Json& obj, std::string_view key) {
  if (!obj.is_object()) return FieldError(key, "所在的值必须是对象", "must be inside an object");
  const Json* v = Find(obj, key);
  if (!v || v->is_null()) return std::optional<bool>();
  if (!v->is_boolean()) return FieldError(key, "必须是 true 或 false", "must be true or false");
  return std::optional<bool>(v->get<bool>());
}

Status CheckKeys(const Json& obj, std::string_view allowed) {
  if (!obj.is_object())
    return Status::Error("bad_field", "应为 JSON 对象", "expected a JSON object");
  std::vector<std::string_view> keys;
  size_t pos = 0;
  while (pos <= allowed.size()) {
    size_t c = allowed.find(',', pos);
    if (c == std::string_view::npos) c = allowed.size();
    keys.push_back(allowed.substr(pos, c - pos));
    pos = c + 1;
  }
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    bool ok = false;
    for (auto k : keys)
      if (k == it.key()) ok = true;
    if (!ok) {
      std::string k = it.key().substr(0, 40);
      if (!IsValidUtf8(k)) k = "?";
      return FieldError(k, "不是可识别的字段", "is not a known field");
    }
  }
  return Status::Ok();
}

}  // namespace shefu
