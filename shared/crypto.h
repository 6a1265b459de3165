// Cryptographic primitives (OpenSSL libcrypto), wrapped so the rest of shefu never touches
// OpenSSL directly.
//
// Why OpenSSL at all: passwords need a slow KDF (PBKDF2-HMAC-SHA256), tokens are stored only as
// SHA-256 hashes, resident ID numbers are sealed on the device to the server's public key and
// matched on the server by a keyed hash (HMAC). cpp-httplib already links OpenSSL for TLS.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "shared/status.h"

namespace shefu::crypto {

std::string Sha256(std::string_view data);  // 32 raw bytes
std::string Sha256Hex(std::string_view data);
std::string HmacSha256(std::string_view key, std::string_view data);  // 32 raw bytes
std::string Pbkdf2Sha256(std::string_view password, std::string_view salt, int iterations,
                         size_t out_len = 32);

// Compares in time independent of where the inputs differ.
bool ConstantTimeEqual(std::string_view a, std::string_view b);

std::string ToHex(std::string_view bytes);
bool FromHex(std::string_view hex, std::string* out);
std::string Base64(std::string_view bytes);
bool FromBase64(std::string_view b64, std::string* out);

// `n` bytes from the operating system's CSPRNG.
std::string RandomBytes(size_t n);

// Sealing (PIPL): a device encrypts a resident's ID-card number to the server's public key, so
// the number never rests on the device in clear and only the server can read it.
// RSA-3072 with OAEP (SHA-256): simple, in OpenSSL 3.0, and enough for an 18-character secret.
struct SealKeyPair {
  std::string private_pem;
  std::string public_pem;
};
Result<SealKeyPair> GenerateSealKeyPair();
// Returns the ciphertext (raw bytes). Errors: bad_seal_key.
Result<std::string> Seal(std::string_view public_pem, std::string_view plaintext);
// Errors: bad_seal_key, unseal_failed.
Result<std::string> Unseal(std::string_view private_pem, std::string_view ciphertext);

}  // namespace shefu::crypto
