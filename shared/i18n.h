// Language of user-facing text. The product speaks Chinese first (zh-CN); English is available.
//
// The language is chosen once per process: `--lang zh|en` wins, else LANG / LC_ALL / LC_MESSAGES
// ("en_US.UTF-8" -> English, anything starting with "zh" -> Chinese), else Chinese.
// Every user-facing message exists in both languages as a Text pair, so nothing is ever shown
// only half translated.
#pragma once

#include <string>
#include <string_view>

namespace shefu {

enum class Lang { kZh, kEn };

struct Text {
  std::string zh;
  std::string en;
  const std::string& in(Lang lang) const { return lang == Lang::kEn ? en : zh; }
};

// Parses "zh", "zh-CN", "zh_CN.UTF-8", "en", "en_US.UTF-8", ... Unknown -> nullopt-like kZh with
// ok=false.
bool ParseLang(std::string_view s, Lang* out);
// From the environment (LC_ALL, LC_MESSAGES, LANG in that order); Chinese when nothing matches.
Lang LangFromEnvironment();

// The process-wide language (defaults to LangFromEnvironment() on first use).
Lang CurrentLang();
void SetCurrentLang(Lang lang);

// Picks the side of `t` in the current language.
inline const std::string& Tr(const Text& t) {
  return t.in(CurrentLang());
}

}  // namespace shefu
