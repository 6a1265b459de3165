#include "server/cli_util.h"

#include <termios.h>
#include <unistd.h>

#include <iostream>

namespace shefu::server {

int PrintError(std::ostream& err, const Status& st) {
  Lang l = CurrentLang();
  err << (l == Lang::kEn ? "error: " : "错误：") << st.message(l) << " [" << st.code() << "]\n";
  bool usage = st.code() == "unknown_flag" || st.code() == "missing_value" || st.code() == "usage";
  return usage ? 2 : 1;
}

std::optional<std::string> ReadSecretFromTty(const std::string& prompt) {
  if (!isatty(STDIN_FILENO)) return std::nullopt;
  std::cerr << prompt << std::flush;
  termios old{};
  tcgetattr(STDIN_FILENO, &old);
  termios quiet = old;
  quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  std::string line;
  bool ok = static_cast<bool>(std::getline(std::cin, line));
  tcsetattr(STDIN_FILENO, TCSANOW, &old);
  std::cerr << "\n";
  if (!ok) return std::nullopt;
  return line;
}

}  // namespace shefu::server
