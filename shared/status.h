// Status and Result<T>: how every fallible shefu API reports failure (LevelDB style).
//
// No exception crosses a module boundary. A failed Status carries
//   - a stable machine code (snake_case, never reused, e.g. "advance_over_cap"),
//   - the message in Chinese and in English (the product is zh-CN first),
//   - optionally the article of the policy that the rule comes from ("第二十三条").
// Codes are data: callers branch on code(), people read message(lang).
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "shared/i18n.h"

namespace shefu {

class Status {
 public:
  Status() = default;  // OK
  static Status Ok() { return Status(); }
  static Status Error(std::string code, std::string zh, std::string en, std::string article = {}) {
    Status s;
    s.code_ = std::move(code);
    s.zh_ = std::move(zh);
    s.en_ = std::move(en);
    s.article_ = std::move(article);
    return s;
  }
  static Status Error(std::string code, const Text& text, std::string article = {}) {
    return Error(std::move(code), text.zh, text.en, std::move(article));
  }

  bool ok() const { return code_.empty(); }
  explicit operator bool() const { return ok(); }
  // Empty when ok().
  const std::string& code() const { return code_; }
  const std::string& zh() const { return zh_; }
  const std::string& en() const { return en_; }
  const std::string& article() const { return article_; }
  // The message in `lang`, prefixed with the article when there is one.
  std::string message(Lang lang) const;
  std::string message() const { return message(CurrentLang()); }
  // "code: english message" — for logs and test failure output.
  std::string ToString() const;

 private:
  std::string code_, zh_, en_, article_;
};

// Either a value or a failed Status.
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {}  // NOLINT
  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() { return *value_; }
  const T& operator*() const { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

#define SHEFU_RETURN_IF_ERROR(expr) \
  do {                              \
    ::shefu::Status _st = (expr);   \
    if (!_st.ok()) return _st;      \
  } while (0)

}  // namespace shefu
