#include "shared/i18n.h"

#include <atomic>
#include <cstdlib>

namespace shefu {
namespace {
std::atomic<int> g_lang{-1};  // -1: not decided yet
}

bool ParseLang(std::string_view s, Lang* out) {
  if (s.size() >= 2 && (s[0] == 'z' || s[0] == 'Z') && (s[1] == 'h' || s[1] == 'H')) {
    *out = Lang::kZh;
    return true;
  }
  if (s.size() >= 2 && (s[0] == 'e' || s[0] == 'E') && (s[1] == 'n' || s[1] == 'N')) {
    *out = Lang::kEn;
    return true;
  }
  return false;
}

Lang LangFromEnvironment() {
  for (const char* var : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
    const char* v = std::getenv(var);
    if (v == nullptr || *v == '\0') continue;
    Lang l;
    if (ParseLang(v, &l)) return l;
    // "C.UTF-8" / "POSIX" say nothing about language: keep looking, then default to Chinese.
  }
  return Lang::kZh;
}

Lang CurrentLang() {
  int v = g_lang.load(std::memory_order_relaxed);
  if (v < 0) {
    Lang l = LangFromEnvironment();
    g_lang.store(static_cast<int>(l), std::memory_order_relaxed);
    return l;
  }
  return static_cast<Lang>(v);
}

void SetCurrentLang(Lang lang) {
  g_lang.store(static_cast<int>(lang), std::memory_order_relaxed);
}

}  // namespace shefu
