#include "shared/status.h"

namespace shefu {

std::string Status::message(Lang lang) const {
  if (ok()) return lang == Lang::kEn ? "OK" : "成功";
  const std::string& m = lang == Lang::kEn ? en_ : zh_;
  if (article_.empty()) return m;
  return lang == Lang::kEn ? "(" + article_ + ") " + m : "（" + article_ + "）" + m;
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  return code_ + ": " + message(Lang::kEn);
}

}  // namespace shefu
