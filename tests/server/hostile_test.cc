// The bad-input suite: well over 100 hostile requests against the real server. Each must get a
// 4xx JSON error {code, message_zh, message_en} and leave the live data byte-for-byte unchanged
// (only the audit trail and the rate-limit table may record an attempt).
#include <httplib.h>
#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <functional>

#include "shared/crypto.h"
#include "shared/json_util.h"
#include "tests/support/http_util.h"
#include "tests/support/process_util.h"
#include "tests/support/test_util.h"

using namespace shefu;
using namespace shefu::test;

namespace {

// SHA-256 over every row of every table except the ones allowed to record attempts.
std::string Fingerprint(const std::string& db_path) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  std::string all;
  std::vector<std::string> tables;
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name", -1, &st,
                     nullptr);
  while (sqlite3_step(st) == SQLITE_ROW)
    tables.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
  sqlite3_finalize(st);
  for (const auto& t : tables) {
    if (t == "audit" || t == "audit_head" || t == "login_failure") continue;
    std::string sql = "SELECT * FROM \"" + t + "\" ORDER BY rowid";
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
      sql = "SELECT * FROM \"" + t + "\"";  // WITHOUT ROWID tables
      sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr);
    }
    all += "#" + t + "\n";
    while (sqlite3_step(st) == SQLITE_ROW) {
      for (int i = 0; i < sqlite3_column_count(st); ++i) {
        const void* b = sqlite3_column_blob(st, i);
        all.append(b ? static_cast<const char*>(b) : "<null>",
                   b ? static_cast<size_t>(sqlite3_column_bytes(st, i)) : 6);
        all += '|';
      }
      all += '\n';
    }
    sqlite3_finalize(st);
  }
  sqlite3_close(db);
  return crypto::Sha256Hex(all);
}

struct Hostile {
  std::string name;
  std::string raw;  // the whole HTTP request
};

std::string RawRequest(const std::string& method, const std::string& path, const std::string& body,
                       const std::string& token = "", const std::string& extra_headers = "",
                       const std::string& content_type = "application/json") {
  std::string r = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  if (!token.empty()) r += "Authorization: Bearer " + token + "\r\n";
  if (!content_type.empty() && method != "GET") r += "Content-Type: " + content_type + "\r\n";
  r += extra_headers;
  if (method != "GET" || !body.empty())
    r += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  return r + "\r\n" + body;
}

std::string Upload(const std::string& client_id, const Json& changes, int first = 1, int last = 1,
                   Json extra = Json::object()) {
  Json j = {{"protocol", 1},      {"schema", 1},      {"client_id", client_id}, {"epoch", ""},
            {"first_seq", first}, {"last_seq", last}, {"changes", changes}};
  for (auto it = extra.begin(); it != extra.end(); ++it) j[it.key()] = it.value();
  return DumpJson(j);
}

Json HostileChange(Json overrides = Json::object()) {
  Json c = {{"seq", 1},
            {"entity", "need"},
            {"id", "0193a5c2-0000-7000-8000-000000000001"},
            {"group", "place"},
            {"value", {{"community", "440404100204"}}},
            {"hlc", "0193a5c2e1f40002"},
            {"base", 0}};
  for (auto it = overrides.begin(); it != overrides.end(); ++it) {
    if (it.value().is_null())
      c.erase(it.key());
    else
      c[it.key()] = it.value();
  }
  return c;
}

}  // namespace

TEST_CASE("Bad input: over 100 hostile requests get 4xx JSON errors and change no live data") {
  TempDir dir;
  InitServerData(dir.path());
  auto add =
      Run({BinaryPath("shefu-server"), "user", "add", "--data", dir.path(), "--login", "wang",
           "--name", "王社工", "--role", "community_worker", "--place", "440404100204"},
          {{"SHEFU_USER_PASSWORD", "wang-password-1"}});
  REQUIRE(add.exit_code == 0);
  auto enrol = Run({BinaryPath("shefu-server"), "device", "enrol", "--data", dir.path(), "--user",
                    "wang", "--label", "t1", "--no-qr"});
  std::string code = enrol.out.substr(enrol.out.find("code=") + 5, 14);
  ServerProcess srv(dir.path());
  httplib::Client cli("127.0.0.1", srv.port());
  auto e = cli.Post("/v1/enrol", DumpJson({{"code", code}}), "application/json");
  REQUIRE(e);
  REQUIRE(e->status == 200);
  Json ej = *ParseJson(e->body);
  const std::string token = ej["token"], client = ej["client_id"];
  auto login = cli.Post("/v1/login", DumpJson({{"login", "admin"}, {"password", kAdminPassword}}),
                        "application/json");
  REQUIRE(login);
  const std::string staff = (*ParseJson(login->body))["token"];
  const std::string forged = std::string(64, 'a');

  std::vector<Hostile> cases;
  const std::vector<std::string> post_routes = {"/v1/sync/upload", "/v1/sync/download",
                                                "/v1/sync/anon",   "/v1/enrol",
                                                "/v1/login",       "/v1/conflicts/1/resolve"};
  std::string deep = std::string(200, '[') + std::string(200, ']');
  for (const auto& route : post_routes) {
    bool auth = route.rfind("/v1/sync", 0) == 0 || route.rfind("/v1/conflicts", 0) == 0;
    std::string tok = route.rfind("/v1/conflicts", 0) == 0 ? staff : token;
    const std::string t = auth ? tok : "";
    cases.push_back({route + " empty body", RawRequest("POST", route, "", t)});
    cases.push_back({route + " truncated JSON", RawRequest("POST", route, "{\"a\":", t)});
    cases.push_back({route + " array", RawRequest("POST", route, "[1,2]", t)});
    cases.push_back({route + " null", RawRequest("POST", route, "null", t)});
    cases.push_back({route + " string", RawRequest("POST", route, "\"x\"", t)});
    cases.push_back({route + " bad utf8", RawRequest("POST", route, "{\"a\":\"\xff\xfe\"}", t)});
    cases.push_back({route + " deep nesting", RawRequest("POST", route, deep, t)});
    cases.push_back({route + " text/plain", RawRequest("POST", route, "{}", t, "", "text/plain")});
    cases.push_back(
        {route + " gzip body", RawRequest("POST", route, "{}", t, "Content-Encoding: gzip\r\n")});
    cases.push_back(
        {route + " chunked", "POST " + route +
                                 " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" +
                                 (t.empty() ? "" : "Authorization: Bearer " + t + "\r\n") +
                                 "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n"});
    cases.push_back(
        {route + " oversized", "POST " + route +
                                   " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                   "Content-Length: 99999999\r\n\r\n{"});
    cases.push_back(
        {route + " sql in body",
         RawRequest("POST", route,
                    "{\"code\":\"'; DROP TABLE user; --\",\"login\":\"x' OR '1'='1\"}", t)});
    if (auth) {
      cases.push_back({route + " no token", RawRequest("POST", route, "{}")});
      cases.push_back({route + " forged token", RawRequest("POST", route, "{}", forged)});
      cases.push_back({route + " short token", RawRequest("POST", route, "{}", "abc")});
    }
  }
  // Upload: well-formed JSON, malformed protocol messages.
  const std::string up = "/v1/sync/upload";
  auto add_upload = [&](const std::string& name, const std::string& body) {
    cases.push_back({"upload " + name, RawRequest("POST", up, body, token)});
  };
  add_upload("missing protocol",
             R"({"client_id":")" + client + R"(","first_seq":1,"last_seq":1,"changes":[]})");
  add_upload("protocol 99",
             Upload(client, Json::array({HostileChange()}), 1, 1, {{"protocol", 99}}));
  add_upload("protocol as string",
             Upload(client, Json::array({HostileChange()}), 1, 1, {{"protocol", "1"}}));
  add_upload("another device's client id",
             Upload("c_0000000000000000", Json::array({HostileChange()})));
  add_upload("the server's node id", Upload("server", Json::array({HostileChange()})));
  add_upload("first_seq string",
             Upload(client, Json::array({HostileChange()}), 1, 1, {{"first_seq", "1"}}));
  add_upload("first_seq fractional",
             Upload(client, Json::array({HostileChange()}), 1, 1, {{"first_seq", 1.5}}));
  add_upload("first_seq zero", Upload(client, Json::array({HostileChange({{"seq", 0}})}), 0, 0));
  add_upload("last before first", Upload(client, Json::array({HostileChange()}), 2, 1));
  add_upload("changes not array", Upload(client, Json::object(), 1, 1));
  add_upload("seq does not match range",
             Upload(client, Json::array({HostileChange({{"seq", 5}})}), 1, 1));
  add_upload("count does not match range", Upload(client, Json::array({HostileChange()}), 1, 3));
  add_upload("hlc not hex",
             Upload(client, Json::array({HostileChange({{"hlc", "zzzzzzzzzzzzzzzz"}})})));
  add_upload("hlc short", Upload(client, Json::array({HostileChange({{"hlc", "12"}})})));
  add_upload("hlc number", Upload(client, Json::array({HostileChange({{"hlc", 12345}})})));
  add_upload("entity uppercase",
             Upload(client, Json::array({HostileChange({{"entity", "NEED"}})})));
  add_upload("entity with quote",
             Upload(client, Json::array({HostileChange({{"entity", "need'--"}})})));
  add_upload("entity missing", Upload(client, Json::array({HostileChange({{"entity", nullptr}})})));
  add_upload("id too long",
             Upload(client, Json::array({HostileChange({{"id", std::string(300, 'a')}})})));
  add_upload("id with slash",
             Upload(client, Json::array({HostileChange({{"id", "../../etc/passwd"}})})));
  add_upload("id empty", Upload(client, Json::array({HostileChange({{"id", ""}})})));
  add_upload("group with space",
             Upload(client, Json::array({HostileChange({{"group", "pla ce"}})})));
  add_upload("base negative", Upload(client, Json::array({HostileChange({{"base", -1}})})));
  add_upload("base string", Upload(client, Json::array({HostileChange({{"base", "0"}})})));
  add_upload("seq beyond 2^53",
             Upload(client, Json::array({HostileChange({{"seq", 9007199254740993LL}})}), 1, 1));
  add_upload(
      "value too deep",
      Upload(client, Json::array({HostileChange(
                         {{"value", *ParseJson(std::string(20, '[') + std::string(20, ']'))}})})));
  add_upload(
      "value too large",
      Upload(client,
             Json::array({HostileChange({{"value", {{"text", std::string(70000, 'x')}}}})})));
  add_upload("too many changes", [&] {
    Json arr = Json::array();
    for (int i = 1; i <= 1001; ++i) arr.push_back(HostileChange({{"seq", i}}));
    return Upload(client, arr, 1, 1001);
  }());
  add_upload("change not object", Upload(client, Json::array({1})));
  add_upload("client_id number",
             Upload(client, Json::array({HostileChange()}), 1, 1, {{"client_id", 7}}));
  add_upload("epoch not string",
             Upload(client, Json::array({HostileChange()}), 1, 1, {{"epoch", 7}}));
  // Download.
  const std::string down = "/v1/sync/download";
  auto add_down = [&](const std::string& name, const Json& j) {
    cases.push_back({"download " + name, RawRequest("POST", down, DumpJson(j), token)});
  };
  add_down("garbage cursor",
           {{"protocol", 1}, {"schema", 1}, {"cursor", "%%%garbage"}, {"limit", 10}});
  add_down("cursor number", {{"protocol", 1}, {"schema", 1}, {"cursor", 5}, {"limit", 10}});
  add_down("limit zero", {{"protocol", 1}, {"schema", 1}, {"cursor", ""}, {"limit", 0}});
  add_down("limit huge", {{"protocol", 1}, {"schema", 1}, {"cursor", ""}, {"limit", 100000}});
  add_down("limit negative", {{"protocol", 1}, {"schema", 1}, {"cursor", ""}, {"limit", -5}});
  add_down("schema 0", {{"protocol", 1}, {"schema", 0}, {"cursor", ""}, {"limit", 10}});
  add_down("forged cursor epoch", {{"protocol", 1},
                                   {"schema", 1},
                                   {"cursor", "c1.ffffffffffffffff.5.0000000000000000"},
                                   {"limit", 10}});
  // Anonymous batches.
  const std::string anon = "/v1/sync/anon";
  auto add_anon = [&](const std::string& name, const Json& j) {
    cases.push_back({"anon " + name, RawRequest("POST", anon, DumpJson(j), token)});
  };
  add_anon("no batch id",
           {{"protocol", 1}, {"schema", 1}, {"date", "2026-11-29"}, {"items", Json::array()}});
  add_anon("bad date", {{"protocol", 1},
                        {"schema", 1},
                        {"batch_id", "b1"},
                        {"date", "2026-13-40"},
                        {"items", Json::array()}});
  add_anon("items object", {{"protocol", 1},
                            {"schema", 1},
                            {"batch_id", "b1"},
                            {"date", "2026-11-29"},
                            {"items", Json::object()}});
  add_anon("item without entity", {{"protocol", 1},
                                   {"schema", 1},
                                   {"batch_id", "b1"},
                                   {"date", "2026-11-29"},
                                   {"items", Json::array({{{"value", 1}}})}});
  add_anon("fine time instead of date", {{"protocol", 1},
                                         {"schema", 1},
                                         {"batch_id", "b1"},
                                         {"date", "2026-11-29T10:11:12Z"},
                                         {"items", Json::array()}});
  // Enrolment and login with wrong types and unknown fields.
  cases.push_back({"enrol code number", RawRequest("POST", "/v1/enrol", R"({"code": 12345})")});
  cases.push_back({"enrol code huge",
                   RawRequest("POST", "/v1/enrol", DumpJson({{"code", std::string(5000, 'A')}}))});
  cases.push_back({"enrol unknown field",
                   RawRequest("POST", "/v1/enrol", R"({"code":"AAAA-BBBB-CCCC","admin":true})")});
  cases.push_back(
      {"enrol wrong code", RawRequest("POST", "/v1/enrol", R"({"code":"AAAA-BBBB-CCCC"})")});
  cases.push_back({"login password number",
                   RawRequest("POST", "/v1/login", R"({"login":"admin","password":1})")});
  cases.push_back(
      {"login missing password", RawRequest("POST", "/v1/login", R"({"login":"admin"})")});
  cases.push_back(
      {"login wrong password",
       RawRequest("POST", "/v1/login", R"({"login":"admin","password":"wrong-password"})")});
  cases.push_back(
      {"login control chars",
       RawRequest("POST", "/v1/login", "{\"login\":\"ad\\u0000min\",\"password\":\"x\"}")});
  // Conflicts.
  cases.push_back({"resolve unknown conflict", RawRequest("POST", "/v1/conflicts/999999/resolve",
                                                          R"({"action":"accept"})", staff)});
  cases.push_back({"resolve bad action", RawRequest("POST", "/v1/conflicts/1/resolve",
                                                    R"({"action":"delete_all"})", staff)});
  cases.push_back({"resolve from a device token",
                   RawRequest("POST", "/v1/conflicts/1/resolve", R"({"action":"accept"})", token)});
  cases.push_back(
      {"resolve id overflow", RawRequest("POST", "/v1/conflicts/99999999999999999999999/resolve",
                                         R"({"action":"accept"})", staff)});
  cases.push_back(
      {"conflicts bad status", RawRequest("GET", "/v1/conflicts?status=whatever", "", staff)});
  // GET routes.
  for (const char* p :
       {"/v1/me", "/v1/sync/status", "/v1/conflicts", "/v1/directory", "/v1/keys/seal"}) {
    const std::string path = p;
    cases.push_back({path + " forged", RawRequest("GET", path, "", forged)});
    cases.push_back({path + " none", RawRequest("GET", path, "")});
  }
  cases.push_back(
      {"sync status from a staff session", RawRequest("GET", "/v1/sync/status", "", staff)});
  cases.push_back({"upload from a staff session",
                   RawRequest("POST", up, Upload(client, Json::array({HostileChange()})), staff)});
  cases.push_back({"unknown route", RawRequest("GET", "/v1/../../etc/passwd", "")});
  cases.push_back({"method not allowed", RawRequest("DELETE", "/v1/me", "", token)});

  REQUIRE(cases.size() >= 100);
  const std::string db_path = dir.file("shefu.db");
  const std::string before = Fingerprint(db_path);
  int n = 0;
  for (const auto& c : cases) {
    INFO("case " << ++n << ": " << c.name);
    RawReply r = RawHttp(srv.port(), c.raw);
    CHECK(r.status >= 400);
    CHECK(r.status < 500);
    auto j = ParseJson(r.body);
    CHECK(j.ok());
    if (j.ok()) {
      CHECK(j->contains("code"));
      CHECK(j->contains("message_zh"));
      CHECK(j->contains("message_en"));
    }
    CHECK(Fingerprint(db_path) == before);
  }
  WARN("hostile requests sent: " << cases.size());
  // The server is still healthy afterwards.
  auto h = cli.Get("/healthz");
  REQUIRE(h);
  CHECK(h->status == 200);
}
