#include "server/server_keys.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "shared/crypto.h"

namespace shefu::server {
namespace {

Status KeyError(const std::string& path) {
  return Status::Error("key_error", "无法读取或写入密钥文件：" + path,
                       "cannot read or write key file: " + path);
}

Result<std::string> ReadSecretFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return KeyError(path);
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  ::close(fd);
  if (n < 0 || out.empty()) return KeyError(path);
  return out;
}

Status WriteSecretFile(const std::string& path, const std::string& content) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return KeyError(path);
  bool ok = ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size());
  ok = ::fsync(fd) == 0 && ok;
  ::close(fd);
  return ok ? Status::Ok() : KeyError(path);
}

bool Exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

}  // namespace

Result<ServerKeys> ServerKeys::LoadOrCreate(const std::string& data_dir) {
  std::string dir = data_dir + "/keys";
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return KeyError(dir);
  if (!Exists(dir + "/seal-private.pem")) {
    auto kp = crypto::GenerateSealKeyPair();
    if (!kp.ok()) return kp.status();
    SHEFU_RETURN_IF_ERROR(WriteSecretFile(dir + "/seal-public.pem", kp->public_pem));
    SHEFU_RETURN_IF_ERROR(WriteSecretFile(dir + "/seal-private.pem", kp->private_pem));
  }
  if (!Exists(dir + "/id-hmac.key")) {
    SHEFU_RETURN_IF_ERROR(WriteSecretFile(dir + "/id-hmac.key", crypto::RandomBytes(32)));
  }
  return Load(data_dir);
}

Result<ServerKeys> ServerKeys::Load(const std::string& data_dir) {
  std::string dir = data_dir + "/keys";
  ServerKeys k;
  auto priv = ReadSecretFile(dir + "/seal-private.pem");
  if (!priv.ok()) return priv.status();
  auto pub = ReadSecretFile(dir + "/seal-public.pem");
  if (!pub.ok()) return pub.status();
  auto hmac = ReadSecretFile(dir + "/id-hmac.key");
  if (!hmac.ok()) return hmac.status();
  k.seal_private_pem = std::move(*priv);
  k.seal_public_pem = std::move(*pub);
  k.id_hmac_key = std::move(*hmac);
  return k;
}

std::string ServerKeys::IdNumberKey(const std::string& id_number) const {
  std::string normal = id_number;
  for (auto& c : normal)
    if (c == 'x') c = 'X';
  return crypto::ToHex(crypto::HmacSha256(id_hmac_key, normal));
}

}  // namespace shefu::server
