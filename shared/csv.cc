#include "shared/csv.h"

namespace shefu {

std::string CsvWriter::Cell(std::string_view v) {
  std::string s(v);
  if (!s.empty() &&
      (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r')) {
    s.insert(s.begin(), '\'');
  }
  bool quote = s.find_first_of(",\"\r\n") != std::string::npos;
  if (!quote) return s;
  std::string q = "\"";
  for (char c : s) {
    if (c == '"') q += '"';
    q += c;
  }
  q += '"';
  return q;
}

void CsvWriter::Row(const std::vector<std::string>& cells) {
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i) out_ += ',';
    out_ += Cell(cells[i]);
  }
  out_ += "\r\n";
}

}  // namespace shefu
