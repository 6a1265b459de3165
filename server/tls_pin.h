// The pin a device keeps for the server: "sha256//BASE64" of the certificate's public key
// (SubjectPublicKeyInfo), the format libcurl's CURLOPT_PINNEDPUBLICKEY takes. It travels in
// the enrolment QR code, so a device trusts exactly this server even with a self-signed
// certificate, and refuses an impostor.
#pragma once

#include <string>

#include "shared/status.h"

namespace shefu::server {

Result<std::string> PublicKeyPinOfCertFile(const std::string& cert_pem_path);

}  // namespace shefu::server
