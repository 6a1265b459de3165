// Findings: the outcome of checking a rule set, where some rules block (errors) and some only
// warn. The policy says "原则上" (in principle) in places — those rules warn, never block.
//
//   Findings f;
//   f.Error("advance_over_cap", {"预付款超过合同金额的40%", "advance exceeds 40% ..."},
//   "第二十三条"); f.Warn("catalogue_late", {...}, "第七条"); if (!f.ok()) return f.FirstError();
#pragma once

#include <string>
#include <vector>

#include "shared/status.h"

namespace shefu {

enum class Severity { kWarning, kError };

struct Finding {
  Severity severity;
  std::string code;
  Text text;
  std::string article;  // e.g. "第十一条"; may be empty
  Status AsStatus() const { return Status::Error(code, text, article); }
};

class Findings {
 public:
  void Error(std::string code, Text text, std::string article = {}) {
    items_.push_back({Severity::kError, std::move(code), std::move(text), std::move(article)});
  }
  void Warn(std::string code, Text text, std::string article = {}) {
    items_.push_back({Severity::kWarning, std::move(code), std::move(text), std::move(article)});
  }
  void Add(const Status& s, Severity sev = Severity::kError) {
    if (!s.ok()) items_.push_back({sev, s.code(), {s.zh(), s.en()}, s.article()});
  }
  void Merge(const Findings& other) {
    items_.insert(items_.end(), other.items_.begin(), other.items_.end());
  }

  // True when there is no error (warnings allowed).
  bool ok() const {
    for (const auto& f : items_)
      if (f.severity == Severity::kError) return false;
    return true;
  }
  bool Has(const std::string& code) const {
    for (const auto& f : items_)
      if (f.code == code) return true;
    return false;
  }
  Status FirstError() const {
    for (const auto& f : items_)
      if (f.severity == Severity::kError) return f.AsStatus();
    return Status::Ok();
  }
  std::vector<Finding> Warnings() const {
    std::vector<Finding> w;
    for (const auto& f : items_)
      if (f.severity == Severity::kWarning) w.push_back(f);
    return w;
  }
  const std::vector<Finding>& all() const { return items_; }
  bool empty() const { return items_.empty(); }

 private:
  std::vector<Finding> items_;
};

}  // namespace shefu
