// CSV for people who open it in Excel: UTF-8 with a byte-order mark (so Chinese shows
// correctly), CRLF line ends, RFC 4180 quoting, and formula injection neutralised — a cell that
// starts with = + - @ (or tab / carriage return) gets a leading apostrophe, so a resident's
// "=HYPERLINK(...)" is shown as text, never executed.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace shefu {

class CsvWriter {
 public:
  CsvWriter() { out_ = "\xEF\xBB\xBF"; }  // BOM
  void Row(const std::vector<std::string>& cells);
  const std::string& str() const { return out_; }

  static std::string Cell(std::string_view v);

 private:
  std::string out_;
};

}  // namespace shefu
