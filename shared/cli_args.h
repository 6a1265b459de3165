// Command-line arguments for both binaries (git-style: `prog [--lang en] sub [sub2] --flag v`).
//
//   Args a(argc, argv, 1);
//   a.Flag("json");                  // boolean: --json
//   auto data = a.Value("data");     // --data DIR or --data=DIR
//   if (auto st = a.Finish(); !st.ok()) ...   // unknown flags and missing values are errors
// Flags are declared by being asked for; Finish() then reports anything not asked for, so a
// typo ("--forse") is an error instead of being ignored.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "shared/status.h"

namespace shefu {

class Args {
 public:
  Args(int argc, char** argv, int first);
  explicit Args(std::vector<std::string> args);

  // --name (boolean). Also accepts --name=true/false.
  bool Flag(const std::string& name);
  // --name VALUE or --name=VALUE.
  std::optional<std::string> Value(const std::string& name);
  std::string ValueOr(const std::string& name, const std::string& def) {
    return Value(name).value_or(def);
  }
  // Positional arguments (everything that is neither a flag nor a flag's value), in order.
  // Ask for every Value() first: a flag's value is only known once the flag is declared.
  std::vector<std::string> positional() const;
  std::string Positional(size_t i) const {
    auto p = positional();
    return i < p.size() ? p[i] : "";
  }
  bool help() { return Flag("help") || Flag("h"); }

  // Errors: unknown_flag, missing_value.
  Status Finish() const;

 private:
  struct Item {
    std::string name;
    std::optional<std::string> inline_value;
    size_t index;
  };
  void Parse(const std::vector<std::string>& args);
  std::vector<std::string> raw_;
  std::vector<Item> flags_;
  std::vector<bool> is_flag_;  // per raw index
  std::set<size_t> consumed_;  // raw indexes used as values
  std::set<std::string> declared_;
  std::vector<std::string> missing_value_;
};

}  // namespace shefu
