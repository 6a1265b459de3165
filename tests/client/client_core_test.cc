// The field client's own rules, through the real binary and the C API: PIPL handling of ID
// numbers and phones, the need form (flags, errors, the guided form on a terminal), wipe,
// profile locking, and the other record kinds (support, visits, votes, secret ballots).
#include <dirent.h>

#include "client/enrol_uri.h"
#include "shared/crypto.h"
#include "shefu/shefu.h"
#include "tests/client/client_fixture.h"
#include "tests/client/pty_util.h"

using namespace shefu;
using namespace shefu::test;

namespace {

// Every byte of every file under `dir`.
std::string AllBytes(const std::string& dir) {
  std::string out;
  DIR* d = opendir(dir.c_str());
  if (!d) return out;
  while (struct dirent* e = readdir(d)) {
    std::string n = e->d_name;
    if (n == "." || n == "..") continue;
    std::string p = dir + "/" + n;
    if (e->d_type == DT_DIR)
      out += AllBytes(p);
    else
      out += ReadFile(p);
  }
  closedir(d);
  return out;
}

// An enrolled device whose server is running.
struct Enrolled {
  TownServer town;
  TempDir device;
  Enrolled() {
    town.AddWorker("wang", "王社工");
    EnrolDevice(town, device.path(), "wang");
    town.Start();
    REQUIRE(Shefu(device.path(), {"config", "set-url", town.url()}).exit_code == 0);
  }
  RunResult Run(std::vector<std::string> args, const std::string& input = "") {
    return Shefu(device.path(), std::move(args), input);
  }
};

}  // namespace

TEST_CASE(
    "Enrolment QR payloads: escapes decoded and parts required while unknown parameters are "
    "ignored") {
  auto t = client::ParseEnrolUri(
      "shefu-enrol:?url=https%3A%2F%2F10.0.0.5%3A8443&code=ABCD-EFGH-JKLM&pin=sha256%2F%2FAbC%2B%2F"
      "%3D&future=1");
  REQUIRE(t.ok());
  CHECK(t->url == "https://10.0.0.5:8443");
  CHECK(t->code == "ABCD-EFGH-JKLM");
  CHECK(t->pin == "sha256//AbC+/=");
  CHECK(client::ParseEnrolUri("shefu-enrol:?url=x").status().code() == "bad_enrol_uri");
  CHECK(client::ParseEnrolUri("shefu-enrol:?url=%zz&code=A").status().code() == "bad_enrol_uri");
  CHECK(client::ParseEnrolUri("https://x?code=1").status().code() == "bad_enrol_uri");
}

TEST_CASE("PIPL: an ID number is sealed to the server and masked and never kept in clear") {
  Enrolled e;
  auto add = e.Run({"need", "add", "--sub-item", "basic.elderly_care", "--description", "助餐",
                    "--people", "1", "--phone", "13812341234", "--id-number-stdin", "--json"},
                   std::string(kIdNumber) + "\n");
  INFO(add.out << add.err);
  REQUIRE(add.exit_code == 0);
  const std::string id = ParseJson(add.out).value()["id"];
  Json n = ShefuJson(e.device.path(), {"need", "show", id, "--json"});
  CHECK(n["id_masked"] == "4404**********1762");
  CHECK(n["phone"] == "13812341234");  // the worker's detail view has the number to call back
  // Not in the database, its WAL, or anywhere else on the device.
  std::string bytes = AllBytes(e.device.path());
  CHECK(bytes.find(kIdNumber) == std::string::npos);
  CHECK(bytes.find("4404**********1762") != std::string::npos);

  REQUIRE(e.Run({"sync"}).exit_code == 0);
  e.town.Stop();
  auto contact =
      e.town.QueryStrings("SELECT value FROM sync_field WHERE entity = 'need' AND grp = 'contact'");
  REQUIRE(contact.size() == 1);
  CHECK(contact[0].find(kIdNumber) == std::string::npos);
  Json c = ParseJson(contact[0]).value();
  CHECK(c["id_masked"] == "4404**********1762");
  // Only the server's private key opens it, and it holds exactly the number typed.
  std::string sealed;
  REQUIRE(crypto::FromBase64(c["id_sealed"].get<std::string>(), &sealed));
  auto plain = crypto::Unseal(ReadFile(e.town.data() + "/keys/seal-private.pem"), sealed);
  REQUIRE(plain.ok());
  CHECK(*plain == kIdNumber);
  // Nothing personal in the server's access log.
  std::string log = ReadFile(e.town.data() + "/logs/access.log");
  CHECK(log.find("13812341234") == std::string::npos);
  CHECK(log.find("4404") == std::string::npos);
}

TEST_CASE(
    "The need form: flags for scripts with clear field errors in zh and en and a fixed address") {
  Enrolled e;
  // A non-terminal without the required flags: the missing flags are listed.
  auto missing = e.Run({"need", "add", "--description", "x"});
  CHECK(missing.exit_code == 2);
  CHECK(missing.err.find("--sub-item, --people") != std::string::npos);
  auto zh = Shefu(e.device.path(), {"need", "add"}, "", {{"LANG", "zh_CN.UTF-8"}});
  CHECK(zh.exit_code == 2);
  CHECK(zh.err.find("缺少必填项") != std::string::npos);

  struct Case {
    std::string flag, value, message;
  };
  const Case cases[] = {
      {"--people", "0", "people must be a whole number from 1 to 100000"},
      {"--phone", "12ab", "invalid phone number (7 to 15 digits)"},
      {"--sub-item", "basic.other", "an 'other' sub-item needs a written reason"},
      {"--sub-item", "basic.spa", "unknown service sub-item: basic.spa"},
      {"--urgency", "soon", "urgency must be low, normal, high or urgent"},
      {"--community", "440404100X01", "you can only record needs in the communities you serve"},
      {"--community", "999", "unknown community code: 999"},
  };
  for (const Case& c : cases) {
    std::map<std::string, std::string> flags = {
        {"--sub-item", "basic.health"}, {"--description", "d"}, {"--people", "2"}};
    flags[c.flag] = c.value;
    std::vector<std::string> args = {"need", "add"};
    for (const auto& [f, v] : flags) args.insert(args.end(), {f, v});
    auto r = e.Run(args);
    INFO(c.flag << " " << c.value << ": " << r.err);
    CHECK(r.exit_code == 1);
    CHECK(r.err.find(c.message) != std::string::npos);
  }
  auto bad_id = e.Run({"need", "add", "--sub-item", "basic.health", "--description", "d",
                       "--people", "2", "--id-number-stdin"},
                      "440402199001011768\n");
  CHECK(bad_id.exit_code == 1);
  CHECK(bad_id.err.find("check character") != std::string::npos);
  CHECK(bad_id.err.find("440402199001011768") == std::string::npos);  // never echoed
  CHECK(ShefuJson(e.device.path(), {"need", "list", "--json"}).empty());

  auto ok = e.Run({"need", "add", "--sub-item", "basic.other", "--other-reason", "修自行车棚",
                   "--description", "车棚漏雨", "--people", "20", "--building", "5", "--json"});
  REQUIRE(ok.exit_code == 0);
  std::string id = ParseJson(ok.out).value()["id"];
  std::string short_id = id.substr(id.size() - 8);
  // Edits change only what is given; the address is fixed once recorded.
  auto moved = e.Run({"need", "edit", short_id, "--building", "6"});
  CHECK(moved.exit_code == 1);
  CHECK(moved.err.find("address cannot change") != std::string::npos);
  REQUIRE(e.Run({"need", "edit", short_id, "--people", "25", "--urgency", "high"}).exit_code == 0);
  Json n = ShefuJson(e.device.path(), {"need", "show", short_id, "--json"});
  CHECK(n["people"] == 25);
  CHECK(n["urgency"] == "high");
  CHECK(n["building"] == "5");
  CHECK(n["other_reason"] == "修自行车棚");
  auto none = e.Run({"need", "show", "zzzzzzzz"});
  CHECK(none.exit_code == 1);
  CHECK(none.err.find("no such record") != std::string::npos);
  REQUIRE(e.Run({"need", "withdraw", short_id, "--reason", "已由物业修好"}).exit_code == 0);
  CHECK(ShefuJson(e.device.path(), {"need", "list", "--json"}).empty());
  Json all = ShefuJson(e.device.path(), {"need", "list", "--all", "--json"});
  REQUIRE(all.size() == 1);
  CHECK(all[0]["state"] == "withdrawn");
  CHECK(all[0]["state_reason"] == "已由物业修好");
}

TEST_CASE("need add on a terminal is a guided form in Chinese with inline validation") {
  Enrolled e;
  const std::vector<std::pair<std::string, std::string>> steps = {
      {"楼栋", "3"},
      {"单元", ""},
      {"房号", "301"},
      {"请选择编号", "2"},  // category: 基本服务类
      {"请选择编号", "2"},  // sub-item: 居家养老
      {"需求描述", ""},     // empty: refused inline
      {"需求描述", "独居老人需要助餐"},
      {"受影响人数", "abc"},  // refused inline
      {"受影响人数", "3"},
      {"请选择编号 [2]", ""},  // urgency: default 一般
      {"居民电话", "123"},     // refused inline
      {"居民电话", "13812341234"},
      {"身份证号", kIdNumber},  // typed without echo
      {"保存", "y"},
  };
  auto r = RunOnPty({BinaryPath("shefu"), "--data", e.device.path(), "need", "add"},
                    {{"LANG", "zh_CN.UTF-8"}, {"LC_ALL", ""}}, steps);
  INFO(r.out);
  INFO("steps answered: " << r.steps_done << " " << r.error);
  REQUIRE(!r.timed_out);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("新需求登记") != std::string::npos);
  CHECK(r.out.find("基本服务类") != std::string::npos);
  CHECK(r.out.find("描述不能为空") != std::string::npos);
  CHECK(r.out.find("人数应为 1 到 100000 之间的整数") != std::string::npos);
  CHECK(r.out.find("电话号码无效") != std::string::npos);
  CHECK(r.out.find(kIdNumber) == std::string::npos);  // not echoed
  CHECK(r.out.find("已保存需求") != std::string::npos);
  Json list = ShefuJson(e.device.path(), {"need", "list", "--json"});
  REQUIRE(list.size() == 1);
  CHECK(list[0]["description"] == "独居老人需要助餐");
  CHECK(list[0]["people"] == 3);
  CHECK(list[0]["sub_item"] == "basic.elderly_care");
  CHECK(list[0]["building"] == "3");
  CHECK(list[0]["room"] == "301");
  CHECK(list[0]["urgency"] == "normal");
  CHECK(list[0]["phone_masked"] == "138****1234");
  CHECK(list[0]["id_masked"] == "4404**********1762");

  // Cancelling saves nothing.
  auto q = RunOnPty({BinaryPath("shefu"), "--data", e.device.path(), "--lang", "en", "need", "add"},
                    {}, {{"building", "q"}});
  CHECK(q.exit_code == 1);
  CHECK(q.out.find("cancelled") != std::string::npos);
  CHECK(ShefuJson(e.device.path(), {"need", "list", "--json"}).size() == 1);
}

TEST_CASE("Wipe refuses while something is unsent and removes everything with --force") {
  Enrolled e;
  REQUIRE(
      e.Run({"need", "add", "--sub-item", "basic.health", "--description", "d", "--people", "1"})
          .exit_code == 0);
  auto refused = e.Run({"wipe"});
  CHECK(refused.exit_code == 1);
  CHECK(refused.err.find("1 needs") != std::string::npos);
  CHECK(refused.err.find("shefu export --unsent") != std::string::npos);
  const std::string db = e.device.path() + "/profiles/default.db";
  CHECK(!ReadFile(db).empty());
  // After a sync nothing is unsent, and wipe goes ahead.
  REQUIRE(e.Run({"sync"}).exit_code == 0);
  auto wiped = e.Run({"wipe"});
  INFO(wiped.err);
  CHECK(wiped.exit_code == 0);
  CHECK(access(db.c_str(), F_OK) != 0);
  CHECK(access((db + "-wal").c_str(), F_OK) != 0);
  auto after = e.Run({"status"});
  CHECK(after.exit_code == 1);
  CHECK(after.err.find("shefu enrol") != std::string::npos);

  // --force on a device with unsent records.
  TempDir other;
  EnrolDevice(e.town, other.path(), "wang");
  REQUIRE(Shefu(other.path(), {"need", "add", "--sub-item", "basic.health", "--description", "d",
                               "--people", "1"})
              .exit_code == 0);
  auto forced = Shefu(other.path(), {"wipe", "--force"});
  CHECK(forced.exit_code == 0);
  CHECK(forced.err.find("unsent") != std::string::npos);  // still warned
  CHECK(ShefuJson(other.path(), {"profiles", "--json"}).empty());
}

TEST_CASE("A profile open in another process is refused clearly and not corrupted") {
  Enrolled e;
  shefu_client* c = nullptr;
  REQUIRE(shefu_open(e.device.path().c_str(), nullptr, 0, &c) == SHEFU_OK);
  auto busy =
      e.Run({"need", "add", "--sub-item", "basic.health", "--description", "d", "--people", "1"});
  CHECK(busy.exit_code == 1);
  CHECK(busy.err.find("in use by another shefu process") != std::string::npos);
  shefu_client* second = nullptr;
  CHECK(shefu_open(e.device.path().c_str(), nullptr, 0, &second) == SHEFU_E_BUSY);
  CHECK(std::string(shefu_last_error_code(second)) == "profile_busy");
  shefu_close(second);
  shefu_close(c);
  CHECK(e.Run({"status"}).exit_code == 0);
}

TEST_CASE("Support counts and visits and open and secret ballots sync through the same outbox") {
  Enrolled e;
  auto add = e.Run({"need", "add", "--sub-item", "basic.health", "--description", "d", "--people",
                    "1", "--json"});
  REQUIRE(add.exit_code == 0);
  std::string id = ParseJson(add.out).value()["id"];
  for (int i = 0; i < 3; ++i) REQUIRE(e.Run({"need", "support", id}).exit_code == 0);
  REQUIRE(e.Run({"need", "support", id, "--undo"}).exit_code == 0);
  CHECK(ShefuJson(e.device.path(), {"need", "show", id, "--json"})["support"] == 2);
  REQUIRE(e.Run({"visit", "add", "--building", "3", "--room", "302", "--outcome", "no_one_home"})
              .exit_code == 0);
  auto bad_visit = e.Run({"visit", "add", "--outcome", "maybe"});
  CHECK(bad_visit.exit_code == 1);
  REQUIRE(
      e.Run({"vote", "record", "--ballot", "b1", "--voter", "r-17", "--choice", "yes"}).exit_code ==
      0);
  for (const char* choice : {"yes", "no", "yes"})
    REQUIRE(e.Run({"vote", "secret", "--ballot", "b2", "--choice", choice}).exit_code == 0);
  Json st = ShefuJson(e.device.path(), {"status", "--json"});
  CHECK(st["anon_unsent"] == 3);
  auto closed = e.Run({"vote", "close", "--ballot", "b2"});
  CHECK(closed.out.find("sealed 3") != std::string::npos);
  CHECK(ShefuJson(e.device.path(), {"visit", "list", "--json"}).size() == 1);
  CHECK(ShefuJson(e.device.path(), {"vote", "list", "--json"}).size() == 1);

  Json s = ShefuJson(e.device.path(), {"sync", "--json"});
  CHECK(s["result"] == "ok");
  CHECK(s["anon_batches"] == 1);
  CHECK(ShefuJson(e.device.path(), {"status", "--json"})["anon_unsent"] == 0);
  CHECK(ShefuJson(e.device.path(), {"need", "show", id, "--json"})["support"] == 2);
  e.town.Stop();
  CHECK(e.town.QueryInt("SELECT count(*) FROM sync_field WHERE entity = 'need_support'") == 4);
  CHECK(e.town.QueryInt("SELECT count(*) FROM sync_field WHERE entity = 'visit'") == 1);
  CHECK(e.town.QueryInt("SELECT count(*) FROM sync_field WHERE entity = 'vote'") == 1);
  // Secret choices arrive without voter, seq or time finer than the day.
  CHECK(e.town.QueryInt("SELECT count(*) FROM sync_anon_item WHERE entity = 'secret_choice'") == 3);
  CHECK(e.town.QueryInt("SELECT count(*) FROM sync_anon_item WHERE value LIKE '%voter%'") == 0);
}

TEST_CASE("Every command has --help and every listing has --json") {
  TempDir d;
  for (std::vector<std::string> cmd : {std::vector<std::string>{"enrol"},
                                       {"sync"},
                                       {"status"},
                                       {"need", "add"},
                                       {"need", "list"},
                                       {"need", "show"},
                                       {"need", "edit"},
                                       {"need", "withdraw"},
                                       {"need", "support"},
                                       {"conflicts"},
                                       {"outbox"},
                                       {"export"},
                                       {"wipe"},
                                       {"config"},
                                       {"profiles"},
                                       {"visit"},
                                       {"vote"},
                                       {"record"}}) {
    cmd.push_back("--help");
    auto r = Shefu(d.path(), cmd);
    INFO(cmd[0]);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("usage: shefu") != std::string::npos);
  }
  auto top = Shefu(d.path(), {"--help"}, "", {{"LANG", "zh_CN.UTF-8"}});
  CHECK(top.exit_code == 0);
  CHECK(top.out.find("用法：shefu") != std::string::npos);
  CHECK(top.out.find("退出码") != std::string::npos);
  auto unknown = Shefu(d.path(), {"need", "list", "--jsn"});
  CHECK(unknown.exit_code == 2);
  // Without an enrolled profile: a clear error.
  auto none = Shefu(d.path(), {"need", "list"});
  CHECK(none.exit_code == 1);
  CHECK(none.err.find("run shefu enrol URL CODE first") != std::string::npos);
}
