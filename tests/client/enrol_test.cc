// Enrolment and trust: one-time codes, the QR payload, revoked devices, and certificate pinning.
#include "client/enrol_uri.h"
#include "tests/client/client_fixture.h"

using namespace shefu;
using namespace shefu::test;

namespace {

std::string Escape(const std::string& s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// A self-signed certificate and key for 127.0.0.1, made with the openssl command line.
struct Cert {
  std::string cert, key;
};
Cert MakeCert(const TempDir& dir, const std::string& name) {
  Cert c{dir.file(name + ".crt"), dir.file(name + ".key")};
  auto r = Run({"/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                c.key, "-out", c.cert, "-days", "2", "-subj", "/CN=127.0.0.1"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return c;
}

}  // namespace

TEST_CASE("Enrolment: the QR payload works and a used or expired or unknown code fails clearly") {
  TownServer town;
  town.AddWorker("wang", "王社工");
  EnrolCode first = town.IssueCode("wang", "https://town.example:8443");
  EnrolCode expired = town.IssueCode("wang");
  // The QR payload as the server prints it parses back to its parts.
  auto parsed = client::ParseEnrolUri(first.uri);
  REQUIRE(parsed.ok());
  CHECK(parsed->url == "https://town.example:8443");
  CHECK(parsed->code == first.code);
  {
    DbOptions o;
    o.create = false;
    auto db = Db::Open(town.data() + "/shefu.db", o);
    REQUIRE(db.ok());
    // Backdate the second code: it expired long ago.
    REQUIRE((*db)
                ->Exec("UPDATE enrol_code SET expires_ms = 1 WHERE used_ms IS NULL AND "
                       "code_hash = (SELECT code_hash FROM enrol_code ORDER BY created_ms DESC, "
                       "rowid DESC LIMIT 1)")
                .ok());
  }
  town.Start();
  TempDir d1, d2, d3, d4;
  // The whole QR payload as the only argument (with the real address of this test server).
  std::string uri = "shefu-enrol:?url=" + Escape(town.url()) + "&code=" + first.code;
  auto ok = Shefu(d1.path(), {"enrol", uri});
  INFO(ok.out << ok.err);
  REQUIRE(ok.exit_code == 0);
  CHECK(ok.out.find("王社工") != std::string::npos);
  Json st = ShefuJson(d1.path(), {"status", "--json"});
  CHECK(st["enrolled"] == true);
  CHECK(st["scope"]["community"] == kCommunity);
  CHECK(ReadFile(d1.path() + "/profiles/default.db").find(st["client_id"].get<std::string>()) !=
        std::string::npos);

  // The same code again, on another device.
  auto used = Shefu(d2.path(), {"enrol", town.url(), first.code});
  CHECK(used.exit_code == 1);
  CHECK(used.err.find("already used") != std::string::npos);
  auto used_zh = Shefu(d2.path(), {"enrol", town.url(), first.code}, "", {{"LANG", "zh_CN.UTF-8"}});
  CHECK(used_zh.exit_code == 1);
  CHECK(used_zh.err.find("注册码已被使用过") != std::string::npos);
  // A failed first enrolment leaves no empty profile behind.
  CHECK(ShefuJson(d2.path(), {"profiles", "--json"}).empty());

  auto late = Shefu(d3.path(), {"enrol", town.url(), expired.code});
  CHECK(late.exit_code == 1);
  CHECK(late.err.find("expired") != std::string::npos);
  auto bad = Shefu(d4.path(), {"enrol", town.url(), "ZZZZ-ZZZZ-ZZZZ"});
  CHECK(bad.exit_code == 1);
  CHECK(bad.err.find("invalid enrolment code") != std::string::npos);
  auto malformed = Shefu(d4.path(), {"enrol", "shefu-enrol:?code=AAAA"});
  CHECK(malformed.exit_code == 1);
  CHECK(malformed.err.find("server address (url) is missing") != std::string::npos);

  // An enrolled profile is not enrolled twice by accident.
  auto twice = Shefu(d1.path(), {"enrol", town.url(), "ZZZZ-ZZZZ-ZZZZ"});
  CHECK(twice.exit_code == 1);
  CHECK(twice.err.find("already enrolled") != std::string::npos);
  town.Stop();
}

TEST_CASE(
    "A revoked device cannot sync and says so and keeps its unsent needs for export or "
    "re-enrolment") {
  TownServer town;
  town.AddWorker("wang", "王社工");
  TempDir device;
  EnrolDevice(town, device.path(), "wang");
  const std::string client_id = ClientIdOf(device.path());
  auto add =
      Shefu(device.path(), {"need", "add", "--sub-item", "basic.health", "--description",
                            "卧床老人需要上门体检", "--people", "1", "--phone", "13912345678"});
  REQUIRE(add.exit_code == 0);
  town.Revoke(client_id);
  town.Start();
  REQUIRE(Shefu(device.path(), {"config", "set-url", town.url()}).exit_code == 0);

  auto r = Shefu(device.path(), {"sync"});
  CHECK(r.exit_code == 4);
  CHECK(r.err.find("revoked") != std::string::npos);
  CHECK(r.err.find("exported") != std::string::npos);
  auto zh = Shefu(device.path(), {"sync"}, "", {{"LANG", "zh_CN.UTF-8"}});
  CHECK(zh.exit_code == 4);
  CHECK(zh.err.find("此设备已被注销") != std::string::npos);

  Json st = ShefuJson(device.path(), {"status", "--json"});
  CHECK(st["revoked"] == true);
  CHECK(st["unsent_records"] == 1);
  // The unsent need is still there and can be exported for the town to re-enter.
  auto csv = Shefu(device.path(), {"export", "--unsent", "--full-phone"});
  REQUIRE(csv.exit_code == 0);
  CHECK(csv.out.rfind("\xEF\xBB\xBF", 0) == 0);  // BOM for Excel
  CHECK(csv.out.find("卧床老人需要上门体检") != std::string::npos);
  CHECK(csv.out.find("13912345678") != std::string::npos);
  auto masked = Shefu(device.path(), {"export", "--unsent"});
  CHECK(masked.out.find("13912345678") == std::string::npos);
  CHECK(masked.out.find("139****5678") != std::string::npos);
  // Wiping is refused while it is unsent.
  auto wipe = Shefu(device.path(), {"wipe"});
  CHECK(wipe.exit_code == 1);
  CHECK(wipe.err.find("unsent") != std::string::npos);
  CHECK(ShefuJson(device.path(), {"need", "list", "--json"}).size() == 1);

  // With a new code from the town the same device enrols again, and its unsent need goes up
  // under the new identity.
  town.Stop();
  EnrolCode again = town.IssueCode("wang");
  town.Start();
  auto renew = Shefu(device.path(), {"enrol", town.url(), again.code});
  INFO(renew.out << renew.err);
  REQUIRE(renew.exit_code == 0);
  CHECK(ClientIdOf(device.path()) != client_id);
  auto up = Shefu(device.path(), {"sync"});
  INFO(up.out << up.err);
  CHECK(up.exit_code == 0);
  CHECK(ShefuJson(device.path(), {"status", "--json"})["revoked"] == false);
  town.Stop();
  CHECK(town.QueryInt("SELECT count(*) FROM sync_field WHERE entity = 'need' AND grp = 'place'") ==
        1);
}

TEST_CASE("A server whose certificate does not match the pinned fingerprint is refused") {
  TempDir certs;
  Cert good = MakeCert(certs, "good");
  Cert impostor = MakeCert(certs, "impostor");
  TownServer town;
  town.AddWorker("wang", "王社工");
  EnrolCode pinned = town.IssueCode("wang", "https://127.0.0.1", good.cert);
  auto target = client::ParseEnrolUri(pinned.uri);
  REQUIRE(target.ok());
  REQUIRE(target->pin.rfind("sha256//", 0) == 0);

  TempDir device;
  // An impostor with another certificate: refused before the code is even sent.
  town.Start({"--tls-cert", impostor.cert, "--tls-key", impostor.key});
  std::string https = "https://127.0.0.1:" + std::to_string(town.port());
  auto refused = Shefu(device.path(), {"enrol", https, pinned.code, "--pin", target->pin});
  CHECK(refused.exit_code == 1);
  CHECK(refused.err.find("does not match the pinned fingerprint") != std::string::npos);
  town.Stop();

  // The real server: enrolment and sync over TLS with the pin.
  town.Start({"--tls-cert", good.cert, "--tls-key", good.key});
  https = "https://127.0.0.1:" + std::to_string(town.port());
  auto ok = Shefu(device.path(), {"enrol", https, pinned.code, "--pin", target->pin});
  INFO(ok.out << ok.err);
  REQUIRE(ok.exit_code == 0);
  CHECK(ShefuJson(device.path(), {"status", "--json"})["pinned"] == true);
  REQUIRE(Shefu(device.path(), {"need", "add", "--sub-item", "basic.health", "--description",
                                "体检", "--people", "1"})
              .exit_code == 0);
  auto sync = Shefu(device.path(), {"sync"});
  INFO(sync.out << sync.err);
  CHECK(sync.exit_code == 0);
  town.Stop();

  // The same address later answered by the impostor: sync refuses, nothing is sent.
  town.Start({"--tls-cert", impostor.cert, "--tls-key", impostor.key});
  REQUIRE(Shefu(device.path(), {"need", "add", "--sub-item", "basic.health", "--description",
                                "第二条", "--people", "1"})
              .exit_code == 0);
  auto bad = Shefu(device.path(),
                   {"sync", "--server", "https://127.0.0.1:" + std::to_string(town.port())});
  CHECK(bad.exit_code == 1);
  CHECK(bad.err.find("does not match the pinned fingerprint") != std::string::npos);
  CHECK(ShefuJson(device.path(), {"status", "--json"})["unsent_records"] == 1);
  town.Stop();
}
