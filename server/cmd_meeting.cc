// shefu-server meeting create|roll|show|result|override|finalize: the staff meeting functions
// for the operator at the town's server (beside a running server: maintenance lock, SQLite
// serialises the writes). The same functions as the staff routes (server/meetings.h); writes go
// through the sync engine as the server node, audited like every engine write.
#include <fstream>
#include <iostream>
#include <iterator>

#include "server/cli_util.h"
#include "server/commands.h"
#include "server/meetings.h"
#include "server/projects.h"
#include "server/server_app.h"
#include "server/staff_writes.h"
#include "server/sync_service.h"
#include "shared/civil_time.h"

namespace shefu::server {
namespace {

Status MeetingUsage(const Text& t) {
  return Status::Error("usage", t);
}

const Text kHelp = {
    "用法：\n"
    "  shefu-server meeting create --data 目录 --community 代码 --kind 会议类型 --title 事项\n"
    "      --date YYYY-MM-DD [--ballot-kind adopt_reject|yes_no_abstain] [--secret]\n"
    "      [--proposal 项目ID] [--json]      或 --spec 文件.json（完整会议定义）\n"
    "  shefu-server meeting roll --data 目录 会议ID --csv 名册.csv\n"
    "      表头：ref,name,household,group,adult,rep,proxy_ref,proxy_written,close_relative\n"
    "      （姓名脱敏存储，名册编号随机生成，不含身份证号；委托须事先登记）\n"
    "  shefu-server meeting show --data 目录 会议ID [--json]\n"
    "  shefu-server meeting result --data 目录 会议ID [--ballot 表决] [--json]\n"
    "  shefu-server meeting override --data 目录 会议ID --ballot 表决 --voter 名册编号\n"
    "      --count 投票记录ID --reason 理由\n"
    "  shefu-server meeting finalize --data 目录 会议ID --ballot 表决 [--json]\n"
    "会议类型：villagers_meeting villager_reps_meeting residents_meeting resident_reps_meeting\n"
    "          two_committees_meeting\n",
    "usage:\n"
    "  shefu-server meeting create --data DIR --community CODE --kind KIND --title TITLE\n"
    "      --date YYYY-MM-DD [--ballot-kind adopt_reject|yes_no_abstain] [--secret]\n"
    "      [--proposal PROJECT] [--json]    or --spec FILE.json (the whole meeting)\n"
    "  shefu-server meeting roll --data DIR MEETING --csv ROLL.csv\n"
    "      header: ref,name,household,group,adult,rep,proxy_ref,proxy_written,close_relative\n"
    "      (names stored masked, random roll entry ids, no ID numbers; proxies listed now)\n"
    "  shefu-server meeting show --data DIR MEETING [--json]\n"
    "  shefu-server meeting result --data DIR MEETING [--ballot B] [--json]\n"
    "  shefu-server meeting override --data DIR MEETING --ballot B --voter ENTRY\n"
    "      --count VOTE_RECORD_ID --reason TEXT\n"
    "  shefu-server meeting finalize --data DIR MEETING --ballot B [--json]\n"
    "kinds: villagers_meeting villager_reps_meeting residents_meeting resident_reps_meeting\n"
    "       two_committees_meeting\n"};

// The operator at the server's console acts with the city level's reach.
sync::Principal Operator() {
  sync::Principal p;
  p.role = Role::kCityAdmin;
  return p;
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Error("io_error", "无法读取 " + path, "cannot read " + path);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

void PrintTally(std::ostream& out, const BallotTally& t) {
  out << RenderTallyRecord(t.record, CurrentLang());
  if (!t.irregularities.empty()) {
    out << Tr({"异常情况：\n", "Irregularities:\n"});
    for (const auto& i : t.irregularities) out << "  [" << i.code << "] " << Tr(i.text) << "\n";
  }
  if (!t.review.empty()) {
    out << Tr({"待主持人复核（同一人多台设备投票）：\n",
               "Chair's review list (voted on several devices):\n"});
    for (const auto& r : t.review) {
      out << "  " << r.voter << Tr({"：计入 ", ": counted "}) << r.counted_id;
      for (const auto& o : r.other_ids) out << Tr({"，未计入 ", ", not counted "}) << o;
      out << "\n";
    }
  }
}

// The full id from an id or a unique prefix / suffix (4+ characters), as the tablets print it.
std::string FullMeetingId(SyncService& svc, const std::string& id) {
  if (id.size() < 4 || id.size() >= 36) return id;
  auto reader = svc.Reader();
  if (!reader.ok()) return id;
  sync::SyncServer::RecordQuery q;
  q.entity = "meeting";
  auto all = ListAll(**reader, q);
  if (!all.ok()) return id;
  std::string hit;
  for (const auto& v : *all) {
    bool prefix = v.id.compare(0, id.size(), id) == 0;
    bool suffix =
        v.id.size() >= id.size() && v.id.compare(v.id.size() - id.size(), id.size(), id) == 0;
    if (prefix || suffix) {
      if (!hit.empty()) return id;  // ambiguous: not_found below names it
      hit = v.id;
    }
  }
  return hit.empty() ? id : hit;
}

}  // namespace

int CmdMeeting(Args& a, std::ostream& out, std::ostream& err) {
  std::string sub = a.Positional(0);
  if (a.help() || sub.empty()) {
    out << Tr(kHelp);
    return a.help() ? 0 : 2;
  }
  auto data = a.Value("data");
  bool json = a.Flag("json");
  auto community = a.Value("community"), kind = a.Value("kind"), title = a.Value("title"),
       date = a.Value("date"), ballot_kind = a.Value("ballot-kind"), proposal = a.Value("proposal"),
       spec = a.Value("spec"), csv = a.Value("csv"), ballot = a.Value("ballot"),
       voter = a.Value("voter"), count = a.Value("count"), reason = a.Value("reason");
  bool secret = a.Flag("secret");
  std::string meeting = a.Positional(1);
  if (auto st = a.Finish(); !st.ok()) return PrintError(err, st);
  if (!data) return PrintError(err, MeetingUsage({"缺少 --data 目录", "missing --data DIR"}));
  auto app = ServerApp::Open(*data, SystemClock::Instance(), SystemRng::Instance());
  if (!app.ok()) return PrintError(err, app.status());
  auto sync = SyncService::Open((*app)->store(), (*app)->clock(), (*app)->rng(), (*app)->places(),
                                {}, &(*app)->keys());
  if (!sync.ok()) return PrintError(err, sync.status());
  SyncService& svc = **sync;
  const int64_t now = (*app)->clock().NowMs();

  if (sub == "create") {
    Json body;
    if (spec) {
      auto text = ReadFile(*spec);
      if (!text.ok()) return PrintError(err, text.status());
      auto j = ParseJson(*text);
      if (!j.ok()) return PrintError(err, j.status());
      body = std::move(*j);
    } else {
      if (!community || !kind || !title || !date)
        return PrintError(err,
                          MeetingUsage({"需要 --community --kind --title --date",
                                        "--community, --kind, --title and --date are required"}));
      Json b = {{"id", "b1"},
                {"title", *title},
                {"kind", ballot_kind.value_or("adopt_reject")},
                {"secret", secret}};
      if (proposal) b["proposal"] = *proposal;
      body = {{"community", *community},
              {"kind", *kind},
              {"title", *title},
              {"date", *date},
              {"ballots", Json::array({b})}};
    }
    auto id =
        svc.WithWriter([&](sync::SyncServer& s) { return CreateMeeting(s, Operator(), body); });
    if (!id.ok()) return PrintError(err, id.status());
    out << (json ? DumpJson({{"id", *id}}) : Tr({"已创建会议 ", "meeting created "}) + *id) << "\n";
    return 0;
  }
  if (meeting.empty())
    return PrintError(err, MeetingUsage({"需要会议ID", "the meeting id is required"}));
  meeting = FullMeetingId(svc, meeting);

  if (sub == "roll") {
    if (!csv)
      return PrintError(err, MeetingUsage({"需要 --csv 名册文件", "--csv ROLL is required"}));
    auto text = ReadFile(*csv);
    if (!text.ok()) return PrintError(err, text.status());
    auto rows = RollRowsFromCsv(*text);
    if (!rows.ok()) return PrintError(err, rows.status());
    auto roll = svc.WithWriter([&](sync::SyncServer& s) -> Result<RollPackage> {
      auto m = LoadMeeting(s, meeting);
      if (!m.ok()) return m.status();
      return PrepareRoll(s, Operator(), *m, *rows, (*app)->rng(), now);
    });
    if (!roll.ok()) return PrintError(err, roll.status());
    if (json) {
      out << DumpJson({{"version", roll->version},
                       {"hash", roll->hash},
                       {"entries", roll->entries.size()},
                       {"proxies", roll->proxies.size()}})
          << "\n";
    } else {
      out << Tr({"名册第 " + std::to_string(roll->version) + " 版已冻结：" +
                     std::to_string(roll->entries.size()) + " 人，委托 " +
                     std::to_string(roll->proxies.size()) + " 项，校验值 " +
                     roll->hash.substr(0, 16) + "\n设备下次同步即可下载。\n",
                 "roll version " + std::to_string(roll->version) +
                     " frozen: " + std::to_string(roll->entries.size()) + " people, " +
                     std::to_string(roll->proxies.size()) + " proxies, hash " +
                     roll->hash.substr(0, 16) + "\nDevices get it at their next sync.\n"});
    }
    return 0;
  }

  if (sub == "override") {
    if (!ballot || !voter || !count || !reason)
      return PrintError(err,
                        MeetingUsage({"需要 --ballot --voter --count --reason",
                                      "--ballot, --voter, --count and --reason are required"}));
    Status st = svc.WithWriter([&](sync::SyncServer& s) -> Status {
      auto m = LoadMeeting(s, meeting);
      if (!m.ok()) return m.status();
      return AddOverride(s, Operator(), *m, *ballot, *voter, *count, *reason, "operator", now);
    });
    if (!st.ok()) return PrintError(err, st);
    out << Tr({"已改定计入的投票\n", "the counted vote was changed\n"});
    return 0;
  }

  if (sub == "finalize") {
    if (!ballot) return PrintError(err, MeetingUsage({"需要 --ballot", "--ballot is required"}));
    const Date today = ShanghaiDate(now);
    auto policy = PolicyFor(today);
    if (!policy.ok()) return PrintError(err, policy.status());
    auto entry = svc.WithWriter([&](sync::SyncServer& s) -> Result<Json> {
      auto m = LoadMeeting(s, meeting);
      if (!m.ok()) return m.status();
      const MeetingBallot* b = m->spec.FindBallot(*ballot);
      if (!b) return Status::Error("not_found", "没有这项表决", "no such ballot");
      if (m->final.contains(*ballot))
        return Status::Error("ballot_final", "这项表决的结果已经确定",
                             "this ballot's result is final");
      return FinalizeBallot(s, Operator(), *m, *b, today, policy->version.params.publicity_days,
                            "operator", now);
    });
    if (!entry.ok()) return PrintError(err, entry.status());
    if (json) {
      out << DumpJson(*entry) << "\n";
    } else {
      out << (*entry)["record"][CurrentLang() == Lang::kZh ? "text_zh" : "text_en"]
                 .get<std::string>();
      const Json& n = (*entry)["notice"];
      out << Tr({"公示：" + n["first_day"].get<std::string>() + " 至 " +
                     n["last_day"].get<std::string>() + "\n",
                 "public notice: " + n["first_day"].get<std::string>() + " to " +
                     n["last_day"].get<std::string>() + "\n"});
    }
    return 0;
  }

  // show / result: read only.
  auto reader = svc.Reader();
  if (!reader.ok()) return PrintError(err, reader.status());
  auto m = LoadMeeting(**reader, meeting);
  if (!m.ok()) return PrintError(err, m.status());
  if (sub == "show") {
    Json j = MeetingJson(*m, true);
    if (json) {
      out << DumpJson(j) << "\n";
      return 0;
    }
    out << m->spec.title << " (" << MeetingKindCode(m->spec.kind) << ", "
        << FormatDate(m->spec.date) << ", " << m->spec.community << ")\n";
    for (const auto& b : m->spec.ballots)
      out << "  " << b.id << ": " << b.title << " [" << BallotKindCode(b.spec.kind)
          << (b.spec.secret ? ", secret" : ", open") << "]\n";
    if (m->roll) {
      out << Tr({"名册第 ", "roll version "}) << m->roll->version << ": " << m->roll->entries.size()
          << Tr({" 人", " people"}) << "\n";
      for (const auto& e : m->roll->entries)
        out << "  " << e.no << "\t" << e.id << "\t" << e.name << "\t" << e.household << "\n";
    }
    return 0;
  }
  if (sub == "result") {
    Json all = Json::array();
    for (const auto& b : m->spec.ballots) {
      if (ballot && b.id != *ballot) continue;
      auto t = TallyBallot(**reader, *m, b);
      if (!t.ok()) return PrintError(err, t.status());
      if (json) {
        Json j = BallotTallyJson(*t);
        j["final"] = m->final.contains(b.id) ? m->final[b.id] : Json();
        all.push_back(std::move(j));
      } else {
        out << "== " << b.id << " ==\n";
        PrintTally(out, *t);
        if (m->final.contains(b.id))
          out << Tr({"（结果已确定，公示至 ", "(final; public notice until "})
              << m->final[b.id]["notice"].value("last_day", "") << Tr({"）\n", ")\n"});
      }
    }
    if (json) out << DumpJson({{"id", m->view.id}, {"ballots", all}}) << "\n";
    return 0;
  }
  return PrintError(err, MeetingUsage({"未知的子命令：" + sub, "unknown subcommand: " + sub}));
}

}  // namespace shefu::server
