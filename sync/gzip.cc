#include "sync/gzip.h"

#include <zlib.h>

#include <climits>

namespace shefu::sync {

Result<std::string> Gzip(std::string_view data, int level) {
  z_stream zs{};
  if (deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    return Status::Error("gzip_failed", "压缩失败", "compression failed");
  std::string out;
  out.resize(deflateBound(&zs, static_cast<uLong>(data.size())) + 32);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&zs, Z_FINISH);
  size_t n = zs.total_out;
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) return Status::Error("gzip_failed", "压缩失败", "compression failed");
  out.resize(n);
  return out;
}

Result<std::string> Gunzip(std::string_view gz, size_t max_bytes) {
  auto bad = [] { return Status::Error("bad_gzip", "压缩数据损坏", "corrupt gzip data"); };
  if (gz.size() > UINT_MAX) return bad();
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 16) != Z_OK) return bad();
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
  zs.avail_in = static_cast<uInt>(gz.size());
  std::string out;
  char buf[16384];
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&zs);
      return bad();
    }
    size_t got = sizeof buf - zs.avail_out;
    if (out.size() + got > max_bytes) {
      inflateEnd(&zs);
      return Status::Error("body_too_large", "解压后的数据超过上限",
                           "inflated body exceeds the limit");
    }
    out.append(buf, got);
    if (rc == Z_OK && got == 0 && zs.avail_in == 0) {  // truncated input
      inflateEnd(&zs);
      return bad();
    }
  }
  inflateEnd(&zs);
  return out;
}

}  // namespace shefu::sync
