// The server's secrets, kept as files in DATA/keys/ (0600), deliberately NOT in the database: a
// copy of shefu.db (a backup, an export) then holds sealed ID numbers but never the key that
// opens them. Back the keys up separately.
//
//   seal-private.pem / seal-public.pem  RSA-3072 pair; devices seal ID-card numbers to the public
//                                       key (shared/crypto.h Seal), only the server unseals.
//   id-hmac.key                          32 random bytes: the key of the HMAC used to spot the
//                                       same resident's number on two needs (duplicate
//                                       detection) without storing the number.
#pragma once

#include <string>

#include "shared/status.h"

namespace shefu::server {

struct ServerKeys {
  std::string seal_private_pem;
  std::string seal_public_pem;
  std::string id_hmac_key;

  // Creates the keys that do not exist yet (init); loads them otherwise.
  static Result<ServerKeys> LoadOrCreate(const std::string& data_dir);
  static Result<ServerKeys> Load(const std::string& data_dir);

  // The keyed hash of a resident ID number (hex), for duplicate detection.
  std::string IdNumberKey(const std::string& id_number) const;
};

}  // namespace shefu::server
