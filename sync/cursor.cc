#include "sync/cursor.h"

#include <charconv>

#include "sync/content_hash.h"
#include "sync/errors.h"

namespace shefu::sync {
namespace {
bool IsHex16(std::string_view s) {
  if (s.size() != 16) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}
}  // namespace

std::string Cursor::Encode() const {
  if (empty()) return "";
  return "c1." + epoch + "." + std::to_string(position) + "." + scope;
}

Result<Cursor> Cursor::Decode(std::string_view token) {
  Cursor c;
  if (token.empty()) return c;
  auto bad = [] { return ProtocolError(kBadRequest, "同步游标无效", "invalid sync cursor"); };
  if (token.substr(0, 3) != "c1.") return bad();
  token.remove_prefix(3);
  size_t a = token.find('.');
  if (a == std::string_view::npos) return bad();
  size_t b = token.find('.', a + 1);
  if (b == std::string_view::npos) return bad();
  std::string_view epoch = token.substr(0, a), pos = token.substr(a + 1, b - a - 1),
                   scope = token.substr(b + 1);
  if (!IsHex16(epoch) || !IsHex16(scope) || pos.empty() || pos.size() > 16) return bad();
  int64_t p = 0;
  auto [ptr, ec] = std::from_chars(pos.data(), pos.data() + pos.size(), p);
  if (ec != std::errc() || ptr != pos.data() + pos.size() || p < 0) return bad();
  c.epoch = std::string(epoch);
  c.position = p;
  c.scope = std::string(scope);
  return c;
}

std::string ScopeHash(const Scope& s) {
  return Hex64(ContentHash().Add(s.district).Add(s.town).Add(s.community).Add(s.org).value());
}

}  // namespace shefu::sync
