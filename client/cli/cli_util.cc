#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "client/cli/cli.h"

namespace shefu::cli {

ClientPtr OpenClient(const Ctx& ctx, bool create, int* exit_code) {
  shefu_client* raw = nullptr;
  int rc = shefu_open(ctx.data.empty() ? nullptr : ctx.data.c_str(),
                      ctx.profile.empty() ? nullptr : ctx.profile.c_str(),
                      create ? SHEFU_OPEN_CREATE : 0, &raw);
  ClientPtr c(raw);
  if (c) shefu_set_language(c.get(), ctx.lang.c_str());
  if (rc != SHEFU_OK) {
    *exit_code = c ? ApiError(c.get(), rc) : kExitError;
    return nullptr;
  }
  return c;
}

int ApiError(shefu_client* c, int rc) {
  std::cerr << L("错误：", "error: ") << shefu_last_error(c) << "\n";
  if (rc == SHEFU_E_REVOKED) return kExitRevoked;
  if (rc == SHEFU_E_REJECTED) return kExitRejected;
  return kExitError;
}

int UsageError(const Text& msg) {
  std::cerr << L("错误：", "error: ") << Tr(msg) << "\n"
            << L("（用 --help 查看用法）\n", "(see --help)\n");
  return kExitUsage;
}

int CheckArgs(const Ctx& ctx) {
  Status st = ctx.args->Finish();
  if (st.ok()) return -1;
  return UsageError(Text{st.zh(), st.en()});
}

Json TakeJson(char* s) {
  if (!s) return Json();
  auto j = ParseJson(s, 64);
  shefu_free(s);
  return j.ok() ? *j : Json();
}

std::string TakeString(char* s) {
  if (!s) return "";
  std::string out(s);
  shefu_free(s);
  return out;
}

std::string Str(const Json& j, const char* key) {
  if (!j.is_object()) return "";
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return "";
  if (it->is_string()) return it->get<std::string>();
  return DumpJson(*it);
}

namespace {

// Decodes one UTF-8 code point at s[i]; advances i.
uint32_t Next(const std::string& s, size_t* i) {
  unsigned char c = static_cast<unsigned char>(s[*i]);
  int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  uint32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
  for (int k = 1; k < n && *i + k < s.size(); ++k)
    cp = (cp << 6) | (static_cast<unsigned char>(s[*i + k]) & 0x3F);
  *i += static_cast<size_t>(n);
  return cp;
}

size_t Width(uint32_t cp) {
  if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
      (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
      (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
      (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD))
    return 2;
  return 1;
}

}  // namespace

size_t DisplayWidth(const std::string& s) {
  size_t w = 0;
  for (size_t i = 0; i < s.size();) w += Width(Next(s, &i));
  return w;
}

std::string Clip(const std::string& s, size_t width) {
  if (DisplayWidth(s) <= width) return s;
  size_t w = 0, i = 0, cut = 0;
  while (i < s.size()) {
    size_t start = i;
    size_t cw = Width(Next(s, &i));
    if (w + cw > width - 1) break;
    w += cw;
    cut = i;
    (void)start;
  }
  return s.substr(0, cut) + "…";
}

void PrintTable(const std::vector<std::vector<std::string>>& rows) {
  if (rows.empty()) return;
  std::vector<size_t> widths;
  for (const auto& r : rows)
    for (size_t i = 0; i < r.size(); ++i) {
      if (widths.size() <= i) widths.push_back(0);
      widths[i] = std::max(widths[i], DisplayWidth(r[i]));
    }
  for (size_t n = 0; n < rows.size(); ++n) {
    std::string line;
    for (size_t i = 0; i < rows[n].size(); ++i) {
      line += rows[n][i];
      if (i + 1 < rows[n].size())
        line += std::string(widths[i] - DisplayWidth(rows[n][i]) + 2, ' ');
    }
    std::cout << line << "\n";
    if (n == 0) {
      size_t total = 0;
      for (size_t w : widths) total += w + 2;
      std::string rule;
      for (size_t k = 0; k + 2 < total; ++k) rule += "-";
      std::cout << rule << "\n";
    }
  }
}

}  // namespace shefu::cli
