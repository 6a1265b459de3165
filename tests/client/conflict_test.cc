// Two devices edit the same need offline: different fields both stand; the same field is a
// conflict shown in plain words on both devices and kept on the server for staff.
#include "client/http_client.h"
#include "shefu/shefu.h"
#include "tests/client/client_fixture.h"

using namespace shefu;
using namespace shefu::test;

namespace {

Json Need(const std::string& device, const std::string& id) {
  return ShefuJson(device, {"need", "show", id, "--json"});
}

void SyncOk(const std::string& device) {
  auto r = Shefu(device, {"sync"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
}

void Edit(const std::string& device, const std::string& id, std::vector<std::string> flags) {
  std::vector<std::string> args = {"need", "edit", id};
  args.insert(args.end(), flags.begin(), flags.end());
  auto r = Shefu(device, args);
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
}

}  // namespace

TEST_CASE(
    "Two devices edit one need offline: different fields merge and the same field conflicts") {
  TownServer town;
  town.AddWorker("wang", "王社工");
  town.AddWorker("lisg", "李社工");
  TempDir a, b;
  EnrolDevice(town, a.path(), "wang");
  EnrolDevice(town, b.path(), "lisg");
  town.Start();
  for (const auto* d : {&a, &b})
    REQUIRE(Shefu(d->path(), {"config", "set-url", town.url()}).exit_code == 0);

  auto add = Shefu(a.path(), {"need", "add", "--sub-item", "basic.elderly_care", "--description",
                              "独居老人需要助餐", "--people", "2", "--json"});
  REQUIRE(add.exit_code == 0);
  const std::string id = ParseJson(add.out).value()["id"];
  SyncOk(a.path());
  SyncOk(b.path());
  REQUIRE(Need(b.path(), id)["people"] == 2);

  // Offline, one field each.
  Edit(a.path(), id, {"--people", "4"});
  Edit(b.path(), id, {"--description", "独居老人需要助餐和送药"});
  SyncOk(a.path());
  SyncOk(b.path());
  SyncOk(a.path());
  for (const auto* d : {&a, &b}) {
    Json n = Need(d->path(), id);
    CHECK(n["people"] == 4);
    CHECK(n["description"] == "独居老人需要助餐和送药");
    CHECK(ShefuJson(d->path(), {"conflicts", "--json"}).empty());
  }

  // Offline, the same field.
  Edit(a.path(), id, {"--people", "5"});
  Edit(b.path(), id, {"--people", "3"});
  SyncOk(a.path());
  auto second = Shefu(b.path(), {"sync", "--json"});
  REQUIRE(second.exit_code == 0);
  auto third = Shefu(a.path(), {"sync", "--json"});
  REQUIRE(third.exit_code == 0);
  // Each device's summary counts the conflict that surfaced for it.
  CHECK(ParseJson(second.out).value()["conflicts"].get<int64_t>() +
            ParseJson(third.out).value()["conflicts"].get<int64_t>() >=
        1);

  // Both devices agree on the value that stands, and both show the conflict.
  const int64_t stands = Need(a.path(), id)["people"];
  CHECK(Need(b.path(), id)["people"] == stands);
  Json ca = ShefuJson(a.path(), {"conflicts", "--json"});
  Json cb = ShefuJson(b.path(), {"conflicts", "--json"});
  REQUIRE(ca.size() == 1);
  REQUIRE(cb.size() == 1);
  CHECK(ca[0]["field"] == "people");
  CHECK(ca[0]["rule"] == "lww_concurrent");
  CHECK(ca[0]["record_id"] == id);
  const bool a_lost = ca[0]["mine"] == "lost";
  CHECK(ca[0]["mine"] == (a_lost ? "lost" : "won"));
  CHECK(cb[0]["mine"] == (a_lost ? "won" : "lost"));
  CHECK(stands == (a_lost ? 3 : 5));
  const std::string winner = a_lost ? "李社工" : "王社工";
  const std::string loser_value = a_lost ? "5" : "3";
  const std::string& loser_dir = a_lost ? a.path() : b.path();
  const std::string& winner_dir = a_lost ? b.path() : a.path();
  Json lost = a_lost ? ca[0] : cb[0];
  CHECK(lost["winner"]["by_name"] == winner);
  CHECK(lost["text"].get<std::string>().find(winner + " changed the number of people to " +
                                             std::to_string(stands)) != std::string::npos);
  CHECK(lost["text"].get<std::string>().find("you changed it to " + loser_value + " (not kept)") !=
        std::string::npos);

  // The same in Chinese, as the worker reads it: "李社工 5月3日 把人数改成 3；你改成
  // 5（未被采用）".
  auto zh = Shefu(loser_dir, {"conflicts"}, "", {{"LANG", "zh_CN.UTF-8"}});
  INFO(zh.out);
  CHECK(zh.out.find(winner + " ") != std::string::npos);
  CHECK(zh.out.find("日 把人数改成 " + std::to_string(stands) + "；你改成 " + loser_value +
                    "（未被采用）") != std::string::npos);
  auto zw = Shefu(winner_dir, {"conflicts"}, "", {{"LANG", "zh_CN.UTF-8"}});
  CHECK(zw.out.find("你 ") != std::string::npos);
  CHECK(zw.out.find("（已采用）") != std::string::npos);

  // The server has it in its conflict log for staff.
  client::HttpClient http(client::HttpOptions{town.url(), "", ""});
  auto login = http.Post("/v1/login", Json{{"login", "admin"}, {"password", kAdminPassword}});
  REQUIRE(login.ok());
  REQUIRE(login->status == 200);
  http.set_token(login->body["token"].get<std::string>());
  auto list = http.Get("/v1/conflicts?status=open");
  REQUIRE(list.ok());
  REQUIRE(list->status == 200);
  int people = 0;
  for (const Json& c : list->body["conflicts"])
    if (c["record_id"] == id && c["group"] == "people") ++people;
  CHECK(people == 1);
  town.Stop();
}

TEST_CASE("Records the server refuses are reported with their reason and exit code 3") {
  TownServer town;
  town.AddWorker("wang", "王社工");
  TempDir device;
  EnrolDevice(town, device.path(), "wang");
  town.Start();
  REQUIRE(Shefu(device.path(), {"config", "set-url", town.url()}).exit_code == 0);
  REQUIRE(Shefu(device.path(), {"need", "add", "--sub-item", "basic.health", "--description",
                                "正常的需求", "--people", "1"})
              .exit_code == 0);
  // A need in another community, written through the generic record API (which, unlike the
  // need form, does not check the user's scope): the server refuses it.
  {
    shefu_client* c = nullptr;
    REQUIRE(shefu_open(device.path().c_str(), nullptr, 0, &c) == SHEFU_OK);
    Json groups = {{"place", {{"community", "440404100X01"}}},
                   {"category", {{"category", "basic"}, {"sub_item", "basic.health"}}},
                   {"description", {{"text", "别的社区的需求"}}},
                   {"people", {{"count", 1}}}};
    char* id = nullptr;
    REQUIRE(shefu_record_create(c, "need", DumpJson(groups).c_str(), &id) == SHEFU_OK);
    shefu_free(id);
    shefu_close(c);
  }
  auto r = Shefu(device.path(), {"sync"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 3);
  CHECK(r.out.find("rejected: need") != std::string::npos);
  CHECK(r.out.find("uploaded 10 changes") != std::string::npos);  // the rest went through
  Json rejected = ShefuJson(device.path(), {"outbox", "--rejected", "--json"});
  REQUIRE(rejected.size() == 4);  // the place group, and the groups that followed it
  bool scope = false;
  for (const Json& j : rejected) {
    scope = scope || (j["code"] == "scope_reject" && j["field"] == "place");
    CHECK(!j["message"].get<std::string>().empty());
  }
  CHECK(scope);
  Json st = ShefuJson(device.path(), {"status", "--json"});
  CHECK(st["pending_changes"] == 0);
  CHECK(st["rejected"].get<int64_t>() > 0);
  town.Stop();
}
