// Issue 6 end to end: a villagers' meeting on three offline tablets (the real `shefu` binary),
// prepared and tallied by a real shefu-server. A roll of 60, two voters voting on two tablets,
// one vote recorded after its tablet's close, one proxy. After sync the server's tally is
// exactly the expected one and the irregularities are listed; for the secret variant no table of
// the server's database links a voter to a choice.
#include <sqlite3.h>

#include <fstream>
#include <set>

#include "shared/civil_time.h"
#include "shared/env.h"
#include "tests/client/client_fixture.h"

using namespace shefu;
using namespace shefu::test;

namespace {

const char* kSurnames[] = {"张", "王", "李", "赵", "陈", "刘"};
const char* kGiven[] = {"建国", "秀英", "志强", "丽华", "国梁", "海燕", "伟", "芳", "明", "静"};

// 60 villagers in 30 households; #60 entrusts their vote to #59 in writing.
std::string RollCsv() {
  std::string csv = "ref,name,household,group,adult,rep,proxy_ref,proxy_written\n";
  for (int i = 1; i <= 60; ++i) {
    std::string name = std::string(kSurnames[i % 6]) + kGiven[i % 10] + kGiven[(i / 10) % 10];
    csv += std::to_string(i) + "," + name + ",户" + std::to_string((i + 1) / 2) + ",一组,是,否," +
           (i == 60 ? "59,是" : ",") + "\n";
  }
  return csv;
}

struct Meeting {
  std::string id;
  std::map<int, std::string> entry;  // sheet number -> roll entry id
};

struct Rig {
  TownServer town;
  TempDir a, b, c;  // three tablets
  Meeting m;

  bool secret_ = false;

  explicit Rig(bool secret) : secret_(secret) {
    town.AddWorker("wang", "王社工");
    town.AddWorker("liu", "李社工");
    town.AddWorker("zhao", "赵社工");
    EnrolDevice(town, a.path(), "wang");
    EnrolDevice(town, b.path(), "liu");
    EnrolDevice(town, c.path(), "zhao");
    std::string today = FormatDate(ShanghaiDate(SystemClock::Instance().NowMs()));
    std::vector<std::string> argv = {BinaryPath("shefu-server"),
                                     "--lang",
                                     "en",
                                     "meeting",
                                     "create",
                                     "--data",
                                     town.data(),
                                     "--community",
                                     kCommunity,
                                     "--kind",
                                     "villagers_meeting",
                                     "--title",
                                     "社区长者饭堂项目",
                                     "--date",
                                     today,
                                     "--ballot-kind",
                                     "yes_no_abstain",
                                     "--json"};
    if (secret) argv.push_back("--secret");
    auto r = Run(argv);
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    auto j = ParseJson(r.out);
    REQUIRE(j.ok());
    m.id = (*j)["id"];
    {
      std::ofstream f(town.data() + "/roll.csv");
      f << RollCsv();
    }
    r = Run({BinaryPath("shefu-server"), "--lang", "en", "meeting", "roll", "--data", town.data(),
             m.id, "--csv", town.data() + "/roll.csv"});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("60 people, 1 proxies") != std::string::npos);
    Online();
    for (auto* d : {&a, &b, &c}) Sync(d->path());
    town.Stop();  // the meeting hall has no network
    Json show = ShefuJson(a.path(), {"meeting", "show", m.id, "--roll", "--json"});
    for (const Json& e : show["roll"]["entries"]) {
      m.entry[e["no"].get<int>()] = e["id"].get<std::string>();
      // Masked names, random ids, no ID numbers.
      CHECK(e["name"].get<std::string>().find("*") != std::string::npos);
      CHECK(e["id"].get<std::string>().size() == 13);
    }
    REQUIRE(m.entry.size() == 60);
  }

  // Starts the server (a new port) and points the tablets at it.
  void Online() {
    town.Start();
    for (auto* d : {&a, &b, &c})
      REQUIRE(Shefu(d->path(), {"config", "set-url", town.url()}).exit_code == 0);
  }
  static void Sync(const std::string& dir) {
    auto r = Shefu(dir, {"sync"});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
  }
  void CheckIn(const std::string& dir, int from, int to) {
    std::vector<std::string> args = {"meeting", "checkin", m.id};
    for (int i = from; i <= to; ++i) args.push_back(std::to_string(i));
    auto r = Shefu(dir, args);
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
  }
  RunResult Vote(const std::string& dir, int no, const std::string& choice,
                 std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"meeting",          "vote",     m.id,
                                     "--ballot",         "b1",       "--entry",
                                     std::to_string(no), "--choice", choice};
    args.insert(args.end(), extra.begin(), extra.end());
    return Shefu(dir, args);
  }
  void MustVote(const std::string& dir, int no, const std::string& choice,
                std::vector<std::string> extra = {}) {
    auto r = Vote(dir, no, choice, std::move(extra));
    INFO(no << " " << r.out << r.err);
    REQUIRE(r.exit_code == 0);
  }
  void VoteRange(const std::string& dir, int from, int to, const std::string& choice) {
    for (int i = from; i <= to; ++i) MustVote(dir, i, choice);
  }
  std::string Close(const std::string& dir) {
    auto r = Shefu(dir, {"meeting", "close", m.id, "--ballot", "b1"});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    return r.out;
  }
  Json ServerResult() {
    auto r = Run({BinaryPath("shefu-server"), "--lang", "en", "meeting", "result", "--data",
                  town.data(), m.id, "--json"});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    auto j = ParseJson(r.out);
    REQUIRE(j.ok());
    return (*j)["ballots"][0];
  }

  // The meeting itself, the same for both variants: 40 in person on three tablets, #59 also
  // casting #60's vote as the listed proxy, #1 and #21 voting again on tablet C.
  void HoldMeeting() {
    auto r = Shefu(a.path(), {"meeting", "open", m.id, "--ballot", "b1"});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("yes votes needed to pass") != std::string::npos);
    CheckIn(a.path(), 1, 20);
    VoteRange(a.path(), 1, 15, "yes");
    VoteRange(a.path(), 16, 18, "no");
    VoteRange(a.path(), 19, 20, "abstain");
    // A second ballot by the same roll entry is refused on the device.
    auto again = Vote(a.path(), 3, "no");
    CHECK(again.exit_code == 1);
    CHECK(again.err.find("already voted") != std::string::npos);

    CheckIn(b.path(), 21, 38);
    CheckIn(b.path(), 59, 59);
    VoteRange(b.path(), 21, 33, "yes");
    VoteRange(b.path(), 34, 36, "no");
    VoteRange(b.path(), 37, 38, "abstain");
    MustVote(b.path(), 59, "yes");
    // #60 is not here: #59 casts their vote as the proxy listed in advance; #58 may not.
    auto unlisted = Vote(b.path(), 58, "yes", {"--proxy", "57"});
    CHECK(unlisted.exit_code == 1);
    MustVote(b.path(), 60, "yes", {"--proxy", "59", "--assisted-by", "李社工"});

    CheckIn(c.path(), 39, 40);
    MustVote(c.path(), 39, "yes");
    MustVote(c.path(), 40, "no");
    // #1 and #21 vote again on tablet C (checked in there too): later stamps.
    CheckIn(c.path(), 1, 1);
    CheckIn(c.path(), 21, 21);
    MustVote(c.path(), 1, "no");
    MustVote(c.path(), 21, "no");

    Close(a.path());
    Close(b.path());
    // Tablet C holds only 4 ballots: for a secret ballot the chair is warned.
    std::string out = Close(c.path());
    CHECK((out.find("warning: only 4 secret ballots") != std::string::npos) == secret_);
    // After its own close a tablet refuses a vote through the meeting command.
    CheckIn(a.path(), 41, 41);
    auto late = Vote(a.path(), 41, "yes");
    CHECK(late.exit_code == 1);
    CHECK(late.err.find("closed") != std::string::npos);
  }
};

}  // namespace

TEST_CASE(
    "Open ballot on three offline tablets: the server's tally is exact, irregularities listed") {
  Rig rig(false);
  rig.HoldMeeting();
  // A vote written after tablet A's close anyway (the low-level command does not check): the
  // server must find it late by A's own log, whatever A's clock says.
  auto r = Shefu(rig.a.path(), {"vote", "record", "--ballot", rig.m.id + ".b1", "--voter",
                                rig.m.entry[41], "--choice", "yes"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  // The chair's provisional tally on tablet A covers only tablet A.
  Json prov = ShefuJson(rig.a.path(), {"meeting", "result", rig.m.id, "--json"});
  CHECK(prov["ballots"][0]["record"]["voters"] == 20);

  rig.Online();
  for (auto* d : {&rig.a, &rig.b, &rig.c}) Rig::Sync(d->path());
  Json t = rig.ServerResult();
  INFO(t.dump(2));
  const Json& rec = t["record"];
  CHECK(rec["expected"] == 60);
  CHECK(rec["present_at_vote"] == 42);  // 41 in person + #60 through the proxy
  CHECK(rec["voters"] == 42);
  CHECK(rec["quorum_met"] == true);
  std::map<std::string, int64_t> votes;
  for (const Json& o : rec["options"]) votes[o["option"]] = o["votes"];
  CHECK(votes["yes"] == 31);  // 15 + 13 + #59 + #60 + #39; #1 and #21 count once (earlier)
  CHECK(votes["no"] == 7);
  CHECK(votes["abstain"] == 4);
  CHECK(rec["verdict"] == "adopted");
  CHECK(rec["text_zh"].get<std::string>().find("赞成 31 × 2 > 实到 42 ✓") != std::string::npos);
  std::multiset<std::string> codes;
  for (const Json& i : t["irregularities"]) codes.insert(i["code"]);
  CHECK(codes.count("duplicate_vote") == 2);
  CHECK(codes.count("late_vote") == 1);
  CHECK(codes.size() == 3);
  REQUIRE(t["review"].size() == 2);
  CHECK(t["late"] == 1);

  // The chair counts #1's other vote (tablet C) with a reason: yes 30, no 8, still adopted.
  std::string other;
  for (const Json& rv : t["review"])
    if (rv["voter"] == rig.m.entry[1]) other = rv["others"][0];
  REQUIRE(!other.empty());
  rig.town.Stop();
  r = Run({BinaryPath("shefu-server"), "--lang", "en", "meeting", "override", "--data",
           rig.town.data(), rig.m.id, "--ballot", "b1", "--voter", rig.m.entry[1], "--count", other,
           "--reason", "签到表显示本人在C台投票时更正了选择"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  t = rig.ServerResult();
  for (const Json& o : t["record"]["options"]) votes[o["option"]] = o["votes"];
  CHECK(votes["yes"] == 30);
  CHECK(votes["no"] == 8);
  CHECK(t["record"]["verdict"] == "adopted");

  r = Run({BinaryPath("shefu-server"), "--lang", "en", "meeting", "finalize", "--data",
           rig.town.data(), rig.m.id, "--ballot", "b1", "--json"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  auto fin = ParseJson(r.out);
  REQUIRE(fin.ok());
  CHECK((*fin)["notice"]["days"] == 7);
  CHECK((*fin)["notice"]["text_zh"].get<std::string>().find("*") != std::string::npos);
  // The final result reaches the tablets by sync.
  rig.Online();
  Rig::Sync(rig.c.path());
  Json res = ShefuJson(rig.c.path(), {"meeting", "result", rig.m.id, "--json"});
  CHECK(res["ballots"][0]["final"]["record"]["verdict"] == "adopted");
}

TEST_CASE(
    "Secret ballot on three offline tablets: excess disclosed, no table links voter and choice") {
  Rig rig(true);
  rig.HoldMeeting();
  rig.Online();
  for (auto* d : {&rig.a, &rig.b, &rig.c}) Rig::Sync(d->path());
  Json t = rig.ServerResult();
  INFO(t.dump(2));
  const Json& rec = t["record"];
  CHECK(rec["present_at_vote"] == 42);
  CHECK(rec["voters"] == 42);
  CHECK(rec["returned"] == 44);  // 42 voters, #1 and #21 twice
  CHECK(rec["excess"] == 2);
  std::map<std::string, int64_t> votes;
  for (const Json& o : rec["options"]) votes[o["option"]] = o["votes"];
  CHECK(votes["yes"] == 31);
  CHECK(votes["no"] == 9);
  CHECK(votes["abstain"] == 4);
  // 31 yes against a minimum of 22: removing any 2 ballots cannot change the result.
  CHECK(rec["verdict"] == "adopted");
  bool disclosed = false;
  for (const Json& f : rec["findings"])
    disclosed = disclosed || f["code"] == "secret_ballot_excess_disclosed";
  CHECK(disclosed);
  std::multiset<std::string> codes;
  for (const Json& i : t["irregularities"]) codes.insert(i["code"]);
  CHECK(codes.count("duplicate_issue") == 2);
  rig.town.Stop();

  // No row of any table holds both a roll entry id and a choice of this ballot.
  DbOptions o;
  o.create = false;
  o.read_only = true;
  auto db = Db::Open(rig.town.data() + "/shefu.db", o);
  REQUIRE(db.ok());
  sqlite3* h = (*db)->raw();
  std::vector<std::string> tables;
  {
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(h, "SELECT name FROM sqlite_master WHERE type = 'table'", -1, &st,
                               nullptr) == SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW)
      tables.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
    sqlite3_finalize(st);
  }
  std::vector<std::string> devices;
  for (auto* d : {&rig.a, &rig.b, &rig.c}) devices.push_back(ClientIdOf(d->path()));
  int64_t choice_rows = 0;
  for (const auto& table : tables) {
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(h, ("SELECT * FROM \"" + table + "\"").c_str(), -1, &st, nullptr) ==
            SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
      std::string row;
      for (int i = 0; i < sqlite3_column_count(st); ++i) {
        const unsigned char* x = sqlite3_column_text(st, i);
        if (x) row += std::string(reinterpret_cast<const char*>(x)) + "|";
      }
      if (row.find("\"choice\"") == std::string::npos) continue;
      ++choice_rows;
      INFO(table << ": " << row);
      for (const auto& [no, id] : rig.m.entry) CHECK(row.find(id) == std::string::npos);
      // Nor the tablet, a sequence number or a time finer than the day.
      for (const auto& d : devices) CHECK(row.find(d) == std::string::npos);
    }
    sqlite3_finalize(st);
  }
  CHECK(choice_rows == 44);
}

TEST_CASE("The chair's tablet: live quorum, the cannot-pass warning, choose-k marks, assistance") {
  TownServer town;
  town.AddWorker("wang", "王社工");
  TempDir dev;
  EnrolDevice(town, dev.path(), "wang");
  Json spec = {{"community", kCommunity},
               {"kind", "villagers_meeting"},
               {"title", "村民会议"},
               {"date", FormatDate(ShanghaiDate(SystemClock::Instance().NowMs()))},
               {"ballots",
                {{{"id", "b1"}, {"title", "修缮祠堂"}, {"kind", "adopt_reject"}},
                 {{"id", "b2"},
                  {"title", "选两个项目"},
                  {"kind", "choose_k"},
                  {"options", {"p1", "p2", "p3"}},
                  {"max_choices", 2}}}}};
  {
    std::ofstream f(town.data() + "/spec.json");
    f << DumpJson(spec);
    std::ofstream r(town.data() + "/roll.csv");
    r << "ref,name,household\n1,张三明,h1\n2,李四,h1\n3,王五,h2\n4,赵六,h3\n5,陈七,h4\n";
  }
  auto r = Run({BinaryPath("shefu-server"), "meeting", "create", "--data", town.data(), "--spec",
                town.data() + "/spec.json", "--json"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  const std::string id = (*ParseJson(r.out))["id"];
  // The operator may name the meeting by the short id the tablets print.
  r = Run({BinaryPath("shefu-server"), "meeting", "roll", "--data", town.data(),
           id.substr(id.size() - 8), "--csv", town.data() + "/roll.csv"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  town.Start();
  REQUIRE(Shefu(dev.path(), {"config", "set-url", town.url()}).exit_code == 0);
  REQUIRE(Shefu(dev.path(), {"sync"}).exit_code == 0);
  town.Stop();

  r = Shefu(dev.path(), {"meeting", "checkin", id, "1", "2", "3", "4", "--assisted-by", "王社工"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("present 4/5") != std::string::npos);
  CHECK(r.out.find("present 4 × 2 > roll 5 ✓") != std::string::npos);
  REQUIRE(Shefu(dev.path(),
                {"meeting", "vote", id, "--ballot", "b1", "--entry", "1", "--choice", "reject"})
              .exit_code == 0);
  r = Shefu(dev.path(), {"meeting", "vote", id, "--ballot", "b1", "--entry", "2", "--choice",
                         "reject", "--assisted-by", "王社工"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  // 3 yes are needed of 4 present; 2 uncast votes cannot reach it.
  CHECK(r.out.find("yes votes needed to pass: 3") != std::string::npos);
  CHECK(r.out.find("⚠ warning") != std::string::npos);
  Json votes = ShefuJson(dev.path(), {"record", "list", "vote", "--json"});
  bool assisted = false;
  for (const Json& v : votes)
    assisted = assisted || v["groups"]["record"]["value"].value("assisted_by", "") == "王社工";
  CHECK(assisted);

  REQUIRE(Shefu(dev.path(),
                {"meeting", "vote", id, "--ballot", "b2", "--entry", "1", "--marks", "p2,p1"})
              .exit_code == 0);
  auto over = Shefu(
      dev.path(), {"meeting", "vote", id, "--ballot", "b2", "--entry", "2", "--marks", "p1,p2,p3"});
  CHECK(over.exit_code == 1);
  CHECK(over.err.find("over_filled") != std::string::npos);
  Json res = ShefuJson(dev.path(), {"meeting", "close", id, "--ballot", "b2", "--json"});
  const Json& rec = res["ballots"][0]["record"];
  CHECK(rec["options"][0]["votes"] == 1);
  CHECK(rec["options"][1]["votes"] == 1);
  CHECK(rec["options"][2]["votes"] == 0);
  CHECK(res["ballots"][0]["provisional"] == true);
  CHECK(res["warnings"].empty());  // an open ballot: no secret box
}
