#include "shared/cli_args.h"

namespace shefu {

Args::Args(int argc, char** argv, int first) {
  std::vector<std::string> v;
  for (int i = first; i < argc; ++i) v.emplace_back(argv[i]);
  Parse(v);
}

Args::Args(std::vector<std::string> args) {
  Parse(args);
}

void Args::Parse(const std::vector<std::string>& args) {
  raw_ = args;
  is_flag_.assign(raw_.size(), false);
  for (size_t i = 0; i < raw_.size(); ++i) {
    const std::string& a = raw_[i];
    if (a == "--") {
      is_flag_[i] = true;  // the separator itself; everything after is positional
      break;
    }
    if (a.size() > 1 && a[0] == '-') {
      is_flag_[i] = true;
      std::string body = a.substr(a[1] == '-' ? 2 : 1);
      size_t eq = body.find('=');
      Item it;
      it.index = i;
      if (eq != std::string::npos) {
        it.name = body.substr(0, eq);
        it.inline_value = body.substr(eq + 1);
      } else {
        it.name = body;
      }
      flags_.push_back(it);
    }
  }
}

std::vector<std::string> Args::positional() const {
  std::vector<std::string> out;
  for (size_t i = 0; i < raw_.size(); ++i)
    if (!is_flag_[i] && !consumed_.count(i)) out.push_back(raw_[i]);
  return out;
}

bool Args::Flag(const std::string& name) {
  declared_.insert(name);
  for (const auto& it : flags_) {
    if (it.name != name) continue;
    if (!it.inline_value) return true;
    return *it.inline_value != "false" && *it.inline_value != "0";
  }
  return false;
}

std::optional<std::string> Args::Value(const std::string& name) {
  declared_.insert(name);
  std::optional<std::string> out;
  for (const auto& it : flags_) {
    if (it.name != name) continue;
    if (it.inline_value) {
      out = *it.inline_value;
      continue;
    }
    size_t vi = it.index + 1;
    if (vi >= raw_.size() || is_flag_[vi]) {
      missing_value_.push_back(name);
      continue;
    }
    out = raw_[vi];
    consumed_.insert(vi);
  }
  return out;
}

Status Args::Finish() const {
  for (const auto& m : missing_value_) {
    return Status::Error("missing_value", "选项 --" + m + " 缺少取值",
                         "option --" + m + " needs a value");
  }
  for (const auto& it : flags_) {
    if (!declared_.count(it.name)) {
      return Status::Error("unknown_flag", "未知选项 --" + it.name + "（用 --help 查看用法）",
                           "unknown option --" + it.name + " (see --help)");
    }
  }
  return Status::Ok();
}

}  // namespace shefu
