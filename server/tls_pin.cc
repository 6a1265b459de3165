#include "server/tls_pin.h"

#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdio>
#include <memory>

#include "shared/crypto.h"

namespace shefu::server {

Result<std::string> PublicKeyPinOfCertFile(const std::string& path) {
  auto bad = [&] {
    return Status::Error("tls_invalid", "无法读取 TLS 证书：" + path,
                         "cannot read the TLS certificate: " + path);
  };
  std::unique_ptr<FILE, decltype(&std::fclose)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) return bad();
  std::unique_ptr<X509, decltype(&X509_free)> cert(
      PEM_read_X509(f.get(), nullptr, nullptr, nullptr), &X509_free);
  if (!cert) return bad();
  EVP_PKEY* key = X509_get0_pubkey(cert.get());
  if (!key) return bad();
  unsigned char* der = nullptr;
  int len = i2d_PUBKEY(key, &der);
  if (len <= 0) return bad();
  std::string spki(reinterpret_cast<char*>(der), static_cast<size_t>(len));
  OPENSSL_free(der);
  return "sha256//" + crypto::Base64(crypto::Sha256(spki));
}

}  // namespace shefu::server
