#include <catch2/catch.hpp>

#include "shared/crypto.h"

using namespace shefu;

TEST_CASE("Crypto: SHA-256, HMAC, hex and base64 round trips") {
  CHECK(crypto::Sha256Hex("abc") ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(crypto::ToHex(crypto::HmacSha256("key", "The quick brown fox jumps over the lazy dog")) ==
        "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
  std::string out;
  CHECK(crypto::FromBase64(crypto::Base64("珠海\x01\xff"), &out));
  CHECK(out == "珠海\x01\xff");
  CHECK_FALSE(crypto::FromHex("zz", &out));
  CHECK(crypto::ConstantTimeEqual("abc", "abc"));
  CHECK_FALSE(crypto::ConstantTimeEqual("abc", "abd"));
}

TEST_CASE("PIPL sealing: only the server's private key opens a sealed ID number") {
  auto kp = crypto::GenerateSealKeyPair();
  REQUIRE(kp.ok());
  auto sealed = crypto::Seal(kp->public_pem, "440402199001011768");
  REQUIRE(sealed.ok());
  CHECK(sealed->find("440402199001011768") == std::string::npos);
  auto opened = crypto::Unseal(kp->private_pem, *sealed);
  REQUIRE(opened.ok());
  CHECK(*opened == "440402199001011768");
  auto other = crypto::GenerateSealKeyPair();
  CHECK(crypto::Unseal(other->private_pem, *sealed).status().code() == "unseal_failed");
  CHECK(crypto::Seal("not a key", "x").status().code() == "bad_seal_key");
}
