#include "server/qr_terminal.h"

#include <qrencode.h>

#include <memory>

namespace shefu::server {

Result<std::string> RenderQrForTerminal(const std::string& text) {
  std::unique_ptr<QRcode, decltype(&QRcode_free)> qr(
      QRcode_encodeString8bit(text.c_str(), 0, QR_ECLEVEL_M), &QRcode_free);
  if (!qr) {
    return Status::Error("qr_failed", "无法生成二维码", "could not generate the QR code");
  }
  const int w = qr->width;
  const int quiet = 4;
  auto dark = [&](int x, int y) {
    if (x < 0 || y < 0 || x >= w || y >= w) return false;
    return (qr->data[y * w + x] & 1) != 0;
  };
  // Light background = printed block; dark module = space. Works on dark terminals, where
  // inverse video would otherwise make the code unreadable for most phone scanners.
  std::string out;
  for (int y = -quiet; y < w + quiet; y += 2) {
    for (int x = -quiet; x < w + quiet; ++x) {
      bool top = dark(x, y), bottom = dark(x, y + 1);
      if (!top && !bottom)
        out += "\u2588";  // █ both light
      else if (!top && bottom)
        out += "\u2580";  // ▀ top light
      else if (top && !bottom)
        out += "\u2584";  // ▄ bottom light
      else
        out += " ";  // both dark
    }
    out += "\n";
  }
  return out;
}

}  // namespace shefu::server
