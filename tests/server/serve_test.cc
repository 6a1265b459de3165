// The real shefu-server binary on 127.0.0.1 with an ephemeral port.
#include <httplib.h>
#include <signal.h>

#include <catch2/catch.hpp>

#include "shared/json_util.h"
#include "tests/support/http_util.h"
#include "tests/support/process_util.h"
#include "tests/support/test_util.h"

using namespace shefu;
using namespace shefu::test;

namespace {

Json Body(const httplib::Result& r) {
  REQUIRE(r);
  auto j = ParseJson(r->body);
  REQUIRE(j.ok());
  return j.value();
}

std::string Server() {
  return BinaryPath("shefu-server");
}

}  // namespace

TEST_CASE("shefu-server init loads the Zhuhai reference data and creates the administrator") {
  TempDir dir;
  auto r = Run({Server(), "init", "--data", dir.path()},
               {{"SHEFU_ADMIN_PASSWORD", kAdminPassword}, {"LANG", "zh_CN.UTF-8"}});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("25 个镇街") != std::string::npos);
  CHECK(r.out.find("338 个社区/村") != std::string::npos);
  CHECK(r.out.find(kAdminPassword) == std::string::npos);  // never echoed
  // A second init changes nothing and says so.
  auto again = Run({Server(), "--lang", "en", "init", "--data", dir.path()},
                   {{"SHEFU_ADMIN_PASSWORD", kAdminPassword}});
  CHECK(again.exit_code == 1);
  CHECK(again.err.find("already initialised") != std::string::npos);
  // No password and no terminal: a clear error, nothing created.
  TempDir other;
  auto nopw = Run({Server(), "--lang", "en", "init", "--data", other.path()});
  CHECK(nopw.exit_code == 1);
  CHECK(nopw.err.find("SHEFU_ADMIN_PASSWORD") != std::string::npos);
  auto list = Run({Server(), "user", "list", "--data", other.path()});
  CHECK(list.exit_code == 1);  // not initialised
}

TEST_CASE("shefu-server serve: healthz, the data directory lock, and loopback-only plain HTTP") {
  TempDir dir;
  InitServerData(dir.path());
  ServerProcess srv(dir.path());
  httplib::Client cli("127.0.0.1", srv.port());
  auto h = Body(cli.Get("/healthz"));
  CHECK(h["status"] == "ok");
  // A second server on the same data directory is refused.
  auto second =
      Run({Server(), "--lang", "en", "serve", "--data", dir.path(), "--listen", "127.0.0.1:0"});
  CHECK(second.exit_code == 1);
  CHECK(second.err.find("in use by another shefu-server") != std::string::npos);
  // Plain HTTP on a non-loopback address is refused unless asked for explicitly.
  TempDir dir2;
  InitServerData(dir2.path());
  auto open =
      Run({Server(), "--lang", "en", "serve", "--data", dir2.path(), "--listen", "0.0.0.0:0"});
  CHECK(open.exit_code == 1);
  CHECK(open.err.find("--insecure-http") != std::string::npos);
  // Staff add users and enrol devices beside the running server.
  auto add = Run({Server(), "user", "add", "--data", dir.path(), "--login", "wang", "--name",
                  "王社工", "--role", "community_worker", "--place", "440404100204"},
                 {{"SHEFU_USER_PASSWORD", "wang-password-1"}});
  CHECK(add.exit_code == 0);
  auto enrol = Run({Server(), "device", "enrol", "--data", dir.path(), "--user", "wang",
                    "--label", "平板1", "--no-qr"});
  INFO(enrol.err);
  REQUIRE(enrol.exit_code == 0);
  std::string code = enrol.out.substr(enrol.out.find("code=") + 5, 14);
  auto e = cli.Post("/v1/enrol", DumpJson({{"code", code}}), "application/json");
  REQUIRE(e);
  CHECK(e->status == 200);
  // SIGTERM ends it cleanly.
  CHECK(srv.Stop(SIGTERM) == 0);
}

TEST_CASE("Enrolment over HTTP: code to token, then used and unknown codes are refused") {
  TempDir dir;
  InitServerData(dir.path());
  auto add = Run({Server(), "user", "add", "--data", dir.path(), "--login", "wang", "--name",
                  "王社工", "--role", "community_worker", "--place", "440404100204"},
                 {{"SHEFU_USER_PASSWORD", "wang-password-1"}});
  INFO(add.out << add.err);
  REQUIRE(add.exit_code == 0);
  auto enrol = Run(
      {Server(), "device", "enrol", "--data", dir.path(), "--user", "wang", "--label", "平板1"});
  REQUIRE(enrol.exit_code == 0);
  size_t at = enrol.out.find("code=");
  REQUIRE(at != std::string::npos);
  std::string code = enrol.out.substr(at + 5, 14);
  CHECK(enrol.out.find("\u2588") != std::string::npos);  // the QR code is drawn

  ServerProcess srv(dir.path());
  httplib::Client cli("127.0.0.1", srv.port());
  auto r = cli.Post("/v1/enrol", DumpJson({{"code", code}}), "application/json");
  REQUIRE(r);
  REQUIRE(r->status == 200);
  Json j = Body(r);
  CHECK(j["user"]["scope"]["community"] == "440404100204");
  std::string token = j["token"];
  httplib::Headers auth = {{"Authorization", "Bearer " + token}};
  auto me = cli.Get("/v1/me", auth);
  REQUIRE(me);
  CHECK(me->status == 200);
  CHECK(Body(me)["login"] == "wang");

  auto used = cli.Post("/v1/enrol", DumpJson({{"code", code}}), "application/json");
  REQUIRE(used);
  CHECK(used->status == 409);
  CHECK(Body(used)["code"] == "enrol_code_used");
  CHECK(Body(used)["message_zh"].get<std::string>().find("只能用一次") != std::string::npos);
  auto bad = cli.Post("/v1/enrol", DumpJson({{"code", "ZZZZ-ZZZZ-ZZZZ"}}), "application/json");
  CHECK(Body(bad)["code"] == "enrol_code_invalid");

  // The access log has one JSON line per request with ids, never the token or code.
  srv.Stop(SIGTERM);
  std::string log = ReadFile(dir.file("logs/access.log"));
  CHECK(log.find("\"route\":\"/v1/enrol\"") != std::string::npos);
  CHECK(log.find(token) == std::string::npos);
  CHECK(log.find(code) == std::string::npos);
}

TEST_CASE(
    "HTTP limits: oversized, chunked and compressed bodies and bad JSON get 4xx JSON errors") {
  TempDir dir;
  InitServerData(dir.path());
  ServerProcess srv(dir.path());
  httplib::Client cli("127.0.0.1", srv.port());
  // Refused from the headers alone, before any of the body is read.
  auto big = RawHttp(srv.port(),
                     "POST /v1/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     "Content-Length: 9437184\r\n\r\n{");
  CHECK(big.status == 413);
  CHECK(big.body.find("payload_too_large") != std::string::npos);
  auto chunked = RawHttp(srv.port(),
                         "POST /v1/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                         "Transfer-Encoding: chunked\r\n\r\n5\r\n{\"a\":\r\n");
  CHECK(chunked.status == 411);
  httplib::Headers gz = {{"Content-Encoding", "gzip"}};
  auto comp = cli.Post("/v1/login", gz, "{}", "application/json");
  REQUIRE(comp);
  CHECK(comp->status == 415);
  auto bad = cli.Post("/v1/login", "{\"login\": ", "application/json");
  REQUIRE(bad);
  CHECK(bad->status == 400);
  CHECK(Body(bad)["code"] == "bad_json");
  auto wrong_type = cli.Post("/v1/login", R"({"login": 5, "password": "x"})", "application/json");
  CHECK(Body(wrong_type)["code"] == "bad_field");
  auto unauth = cli.Get("/v1/me");
  CHECK(unauth->status == 401);
  auto nowhere = cli.Get("/v1/nothing");
  CHECK(nowhere->status == 404);
  CHECK(Body(nowhere)["code"] == "unknown_route");
}

TEST_CASE("Backup and restore: the restored store gets a new epoch and keeps later accounts") {
  TempDir dir;
  InitServerData(dir.path());
  std::string backup = dir.file("backup.db");
  auto b = Run({Server(), "backup", "--data", dir.path(), backup});
  INFO(b.out << b.err);
  REQUIRE(b.exit_code == 0);
  // An account created after the backup.
  auto add = Run({Server(), "user", "add", "--data", dir.path(), "--login", "late", "--name",
                  "后来的人", "--role", "town_staff", "--place", "440404100"},
                 {{"SHEFU_USER_PASSWORD", "late-password-1"}});
  REQUIRE(add.exit_code == 0);
  {
    ServerProcess srv(dir.path());
    // Refused while a server runs on the directory.
    auto busy = Run({Server(), "--lang", "en", "restore", "--data", dir.path(), backup});
    CHECK(busy.exit_code == 1);
    CHECK(busy.err.find("in use") != std::string::npos);
  }
  auto bad = Run({Server(), "--lang", "en", "restore", "--data", dir.path(), dir.file("nope.db")});
  CHECK(bad.exit_code == 1);
  auto r = Run({Server(), "--lang", "en", "restore", "--data", dir.path(), backup});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("new epoch") != std::string::npos);
  auto list = Run({Server(), "user", "list", "--data", dir.path(), "--json"});
  CHECK(list.out.find("\"late\"") != std::string::npos);
  auto audit = Run({Server(), "audit", "verify", "--data", dir.path()});
  CHECK(audit.exit_code == 0);
}
