// PIPL duplicate detection end to end: two devices record needs for the same resident; the
// server finds the pair by its keyed hash of the sealed ID number — no device and no table ever
// holds the number, and the key never leaves the server.
#include <set>

#include "client/http_client.h"
#include "tests/client/client_fixture.h"

using namespace shefu;
using namespace shefu::test;

TEST_CASE(
    "第九条 and PIPL: the server spots one resident's needs from two devices by a keyed hash") {
  TownServer town;
  town.AddWorker("wang", "王社工");
  town.AddWorker("lisi", "李社工");
  TempDir a, b;
  EnrolDevice(town, a.path(), "wang");
  EnrolDevice(town, b.path(), "lisi");
  town.Start();
  for (const auto* dir : {&a, &b})
    REQUIRE(Shefu(dir->path(), {"config", "set-url", town.url()}).exit_code == 0);
  auto add = [&](const TempDir& dir, const std::string& text, const std::string& id_number) {
    auto r = Shefu(dir.path(),
                   {"need", "add", "--sub-item", "basic.elderly_care", "--description", text,
                    "--people", "1", "--id-number-stdin", "--json"},
                   id_number + "\n");
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    return ParseJson(r.out).value()["id"].get<std::string>();
  };
  std::string n1 = add(a, "助餐", kIdNumber);
  std::string n2 = add(b, "上门探访", kIdNumber);  // the same resident, another worker
  add(b, "无障碍改造", "440402198506152371");      // somebody else
  REQUIRE(Shefu(a.path(), {"sync"}).exit_code == 0);
  REQUIRE(Shefu(b.path(), {"sync"}).exit_code == 0);

  client::HttpClient http(client::HttpOptions{town.url(), "", ""});
  auto login = http.Post("/v1/login", Json{{"login", "admin"}, {"password", kAdminPassword}});
  REQUIRE(login.ok());
  http.set_token(login->body["token"].get<std::string>());
  auto dup = http.Get("/v1/needs/duplicates");
  REQUIRE(dup.ok());
  REQUIRE(dup->status == 200);
  INFO(DumpJson(dup->body));
  REQUIRE(dup->body["groups"].size() == 1);
  const Json& g = dup->body["groups"][0];
  REQUIRE(g.size() == 2);
  std::set<std::string> ids = {g[0]["id"], g[1]["id"]};
  CHECK(ids == std::set<std::string>{n1, n2});
  CHECK(g[0]["id_masked"] == "4404**********1762");
  town.Stop();
  // The index holds a keyed hash, not the number, and nothing in the store holds the number.
  auto keys = town.QueryStrings("SELECT id_key FROM resident_id_key");
  REQUIRE(keys.size() == 3);
  for (const auto& k : keys) CHECK(k.size() == 64);
  std::string db = ReadFile(town.data() + "/shefu.db") + ReadFile(town.data() + "/shefu.db-wal");
  CHECK(db.find(kIdNumber) == std::string::npos);
}
