// A real shefu-server with one user per role, for the staff API tests: real HTTP on 127.0.0.1,
// real data directory, sessions from POST /v1/login and device tokens from POST /v1/enrol.
//
// Places: district 香洲区 440402; town 翠香街道 440402001 with community 紫荆社区 440402001X01;
// a second town 梅华街道 440402002 with 南虹社区 440402002X01 (for scope tests); 斗门区 440403.
// Callers (name -> login): city, district, district2 (斗门区), town, town2, cw (紫荆社区),
// cw2 (南虹社区), so (org so-1), so2 (org so-2), eval, expert, kiosk — staff sessions — and
// cw_dev, kiosk_dev: device tokens of cw and kiosk.
#pragma once

#include <httplib.h>
#include <sqlite3.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "shared/civil_time.h"
#include "shared/crypto.h"
#include "shared/db.h"
#include "shared/env.h"
#include "shared/json_util.h"
#include "tests/support/process_util.h"
#include "tests/support/test_util.h"

namespace shefu::test {

inline const char* kDistrict = "440402";
inline const char* kDistrict2 = "440403";
inline const char* kTown = "440402001";
inline const char* kCommunity = "440402001X01";
inline const char* kTown2 = "440402002";
inline const char* kCommunity2 = "440402002X01";

struct ApiReply {
  int status = 0;
  Json body;
};

// The year before this one (Shanghai): its Q1 is always past, its contracts have ended, so the
// tests do not depend on today's date.
inline int LastYear() {
  return ShanghaiDate(SystemClock::Instance().NowMs()).year - 1;
}
inline std::string Day(int year, int month, int day) {
  return FormatDate(Date{year, month, day});
}

class StaffServer {
 public:
  StaffServer() {
    InitServerData(dir_.path());
    struct U {
      const char *name, *role, *place, *org;
    };
    const U users[] = {{"city", "city_admin", "", ""},
                       {"district", "district_admin", kDistrict, ""},
                       {"district2", "district_admin", kDistrict2, ""},
                       {"town", "town_staff", kTown, ""},
                       {"town2", "town_staff", kTown2, ""},
                       {"cw", "community_worker", kCommunity, ""},
                       {"cw2", "community_worker", kCommunity2, ""},
                       {"so", "social_org", "", "so-1"},
                       {"so2", "social_org", "", "so-2"},
                       {"eval", "evaluator", kTown, ""},
                       {"expert", "expert", "", ""},
                       {"kiosk", "kiosk", kCommunity, ""}};
    for (const U& u : users) {
      std::vector<std::string> argv = {
          BinaryPath("shefu-server"), "user",   "add",  "--data", dir_.path(), "--login",
          std::string("u") + u.name,  "--name", u.name, "--role", u.role};
      if (*u.place) argv.insert(argv.end(), {"--place", u.place});
      if (*u.org) argv.insert(argv.end(), {"--org", u.org});
      auto r = Run(argv, {{"SHEFU_USER_PASSWORD", Password(u.name)}});
      INFO(r.out << r.err);
      REQUIRE(r.exit_code == 0);
    }
    std::map<std::string, std::string> codes;
    for (const char* dev : {"cw", "kiosk"}) {
      auto r = Run({BinaryPath("shefu-server"), "device", "enrol", "--data", dir_.path(), "--user",
                    std::string("u") + dev, "--label", std::string(dev) + "-tablet"});
      REQUIRE(r.exit_code == 0);
      size_t at = r.out.find("code=");
      REQUIRE(at != std::string::npos);
      codes[std::string(dev) + "_dev"] = r.out.substr(at + 5, 14);
    }
    srv_ = std::make_unique<ServerProcess>(dir_.path());
    cli_ = std::make_unique<httplib::Client>("127.0.0.1", srv_->port());
    cli_->set_read_timeout(60);
    for (const U& u : users) {
      auto r = Call("", "POST", "/v1/login",
                    {{"login", std::string("u") + u.name}, {"password", Password(u.name)}});
      INFO(r.body.dump());
      REQUIRE(r.status == 200);
      tokens_[u.name] = r.body["token"];
    }
    for (const auto& [name, code] : codes) {
      auto r = Call("", "POST", "/v1/enrol", {{"code", code}});
      REQUIRE(r.status == 200);
      tokens_[name] = r.body["token"];
      client_ids_[name] = r.body["client_id"];
    }
  }

  // One request as `who` ("" = anonymous). GET bodies are ignored.
  ApiReply Call(const std::string& who, const std::string& method, const std::string& path,
                const Json& body = Json::object()) {
    httplib::Headers h;
    if (!who.empty()) h.emplace("Authorization", "Bearer " + tokens_.at(who));
    httplib::Result r = method == "GET" ? cli_->Get(path.c_str(), h)
                        : method == "PUT"
                            ? cli_->Put(path.c_str(), h, DumpJson(body), "application/json")
                            : cli_->Post(path.c_str(), h, DumpJson(body), "application/json");
    REQUIRE(r);
    ApiReply out;
    out.status = r->status;
    // A report (CSV, HTML) comes back as a string; a JSON reply must parse.
    if (r->get_header_value("Content-Type").rfind("application/json", 0) != 0 &&
        !ParseJson(r->body).ok()) {
      out.body = r->body;
      return out;
    }
    auto j = ParseJson(r->body);
    REQUIRE(j.ok());
    out.body = *j;
    return out;
  }

  // A call that must succeed with `status`; prints the reply when it does not.
  Json Ok(const std::string& who, const std::string& method, const std::string& path,
          const Json& body = Json::object(), int status = 200) {
    ApiReply r = Call(who, method, path, body);
    INFO(who << " " << method << " " << path << " -> " << r.status << " " << r.body.dump());
    REQUIRE(r.status == status);
    return r.body;
  }

  // The state of every sync_* table and the audit trail, read through a read-only SQLite
  // connection while the server runs (WAL allows it): one SHA-256 per table, of its rows
  // serialised and sorted (some tables are WITHOUT ROWID).
  std::string Fingerprint() {
    DbOptions o;
    o.read_only = true;
    o.create = false;
    auto db = Db::Open(dir_.file("shefu.db"), o);
    REQUIRE(db.ok());
    sqlite3* h = (*db)->raw();
    std::vector<std::string> tables;
    {
      sqlite3_stmt* st = nullptr;
      REQUIRE(sqlite3_prepare_v2(h,
                                 "SELECT name FROM sqlite_master WHERE type = 'table' AND "
                                 "(substr(name, 1, 5) = 'sync_' OR name IN ('audit', "
                                 "'audit_head')) ORDER BY name",
                                 -1, &st, nullptr) == SQLITE_OK);
      while (sqlite3_step(st) == SQLITE_ROW)
        tables.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
      sqlite3_finalize(st);
    }
    REQUIRE(tables.size() >= 5);
    std::string out;
    for (const auto& t : tables) {
      sqlite3_stmt* st = nullptr;
      std::string sql = "SELECT * FROM \"" + t + "\"";
      REQUIRE(sqlite3_prepare_v2(h, sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
      std::vector<std::string> rows;
      while (sqlite3_step(st) == SQLITE_ROW) {
        std::string row;
        for (int i = 0; i < sqlite3_column_count(st); ++i) {
          row += std::to_string(sqlite3_column_type(st, i)) + ":";
          const void* b = sqlite3_column_blob(st, i);
          row.append(static_cast<const char*>(b ? b : ""), sqlite3_column_bytes(st, i));
          row += '\x1f';
        }
        rows.push_back(std::move(row));
      }
      sqlite3_finalize(st);
      std::sort(rows.begin(), rows.end());
      std::string all;
      for (const auto& r : rows) all += r + '\x1e';
      out += t + " " + std::to_string(rows.size()) + " " + crypto::Sha256Hex(all) + "\n";
    }
    return out;
  }

  // A device upload of `changes` (seq, hlc and base filled in).
  ApiReply Upload(const std::string& device, std::vector<Json> changes) {
    return Call(device, "POST", "/v1/sync/upload", UploadBody(device, std::move(changes)));
  }
  // The body of `device`'s next upload of `changes`, without sending it.
  Json UploadBody(const std::string& device, std::vector<Json> changes) {
    int64_t& seq = seqs_[device];
    Json body = {{"protocol", 1},
                 {"schema", 1},
                 {"client_id", client_ids_.at(device)},
                 {"epoch", ""},
                 {"first_seq", seq + 1},
                 {"last_seq", seq + static_cast<int64_t>(changes.size())}};
    body["changes"] = Json::array();
    uint64_t ms = static_cast<uint64_t>(SystemClock::Instance().NowMs());
    for (auto& c : changes) {
      c["seq"] = ++seq;
      char hlc[17];
      snprintf(hlc, sizeof hlc, "%016llx", static_cast<unsigned long long>((ms << 16) + seq));
      c["hlc"] = hlc;
      if (!c.contains("base")) c["base"] = 0;
      body["changes"].push_back(c);
    }
    return body;
  }
  int port() const { return srv_->port(); }
  const std::string& token(const std::string& who) const { return tokens_.at(who); }

  const std::string& data_dir() const { return dir_.path(); }
  // Makes `token` (e.g. of a user added by a test) callable as `who`.
  void AddSession(const std::string& who, const std::string& token) { tokens_[who] = token; }

 private:
  static std::string Password(const std::string& name) { return name + "-password-123"; }

  TempDir dir_;
  std::unique_ptr<ServerProcess> srv_;
  std::unique_ptr<httplib::Client> cli_;
  std::map<std::string, std::string> tokens_, client_ids_;
  std::map<std::string, int64_t> seqs_;
};

// ---- Request bodies and lifecycle steps shared by the tests ----

// A town-planned project of 翠香街道 for `year`: 100,000.00 yuan, 60 % district fiscal money
// for 居家养老 (needs the item in the published catalogue, 第十三条) and 40 % community fund.
inline Json TownProjectBody(int year, const std::string& title = "长者居家养老服务") {
  return {{"place", kTown},
          {"proposal",
           {{"title", title},
            {"description", "为辖区高龄独居长者提供上门探访和助餐服务"},
            {"origin", "town_planned"},
            {"category", "basic"},
            {"sub_item", "basic.elderly_care"},
            {"year", year},
            {"beneficiaries", 300},
            {"fee_mode", "free"}}},
          {"funding",
           {{"budget_fen", 10'000'000},
            {"lines",
             {{{"source", "fiscal"},
               {"level", "district"},
               {"original_purpose", "居家养老服务专项"},
               {"amount_fen", 6'000'000}},
              {{"source", "social"}, {"subtype", "community_fund"}, {"amount_fen", 4'000'000}}}}}},
          {"evidence", {{"planning_basis", "翠香街道2025年民生实事计划"}}},
          {"indicators", {{"items", {{{"name", "服务人次"}, {"target", "不少于1200人次"}}}}}},
          {"prohibited", {{"declared", Json::array()}, {"attested", true}}}};
}

// A community-deliberated project of 紫荆社区, social money only (no catalogue needed).
inline Json CommunityProjectBody(int year, bool vote_passed = true) {
  return {{"place", kCommunity},
          {"proposal",
           {{"title", "社区儿童四点半课堂"},
            {"origin", "community_deliberated"},
            {"category", "special_groups"},
            {"sub_item", "special_groups.women_children"},
            {"year", year}}},
          {"funding",
           {{"budget_fen", 500'000},
            {"lines",
             {{{"source", "social"}, {"subtype", "community_fund"}, {"amount_fen", 500'000}}}}}},
          {"evidence",
           {{"deliberation_minutes", "紫荆社区居民议事会纪要第12号"},
            {"vote_ballot", "ballot-12"},
            {"vote_passed", vote_passed}}},
          {"indicators", {{"items", {{{"name", "参与儿童"}, {"target", "30人"}}}}}},
          {"prohibited", {{"declared", Json::array()}, {"attested", true}}}};
}

// An SO design offered to 紫荆社区.
inline Json SoProjectBody(int year) {
  return {{"place", kCommunity},
          {"proposal",
           {{"title", "社区矛盾调解工作坊"},
            {"origin", "so_designed"},
            {"category", "safety"},
            {"sub_item", "safety.mediation"},
            {"year", year}}},
          {"funding",
           {{"budget_fen", 300'000},
            {"lines",
             {{{"source", "social"}, {"subtype", "community_fund"}, {"amount_fen", 300'000}}}}}},
          {"indicators", {{"items", {{{"name", "调解场次"}, {"target", "12场"}}}}}},
          {"prohibited", {{"declared", Json::array()}, {"attested", true}}}};
}

// The contract of a project for `year`: 100,000.00 yuan over that calendar year, advance
// 40 % exactly, a progress payment mid-year and the final payment at the end.
inline Json ContractBody(int year) {
  return {{"amount_fen", 10'000'000},
          {"start", Day(year, 1, 1)},
          {"end", Day(year, 12, 31)},
          {"payment_plan",
           {{{"kind", "advance"}, {"amount_fen", 4'000'000}, {"due_on", Day(year, 1, 10)}},
            {{"kind", "progress"},
             {"amount_fen", 4'000'000},
             {"due_on", Day(year, 7, 1)},
             {"milestone", "上半年服务完成"}},
            {{"kind", "final"}, {"amount_fen", 2'000'000}, {"due_on", Day(year, 12, 31)}}}}};
}

// One device change of an append-like record, for the sync upload body.
inline Json RecordChange(const std::string& entity, const std::string& id, Json value) {
  return {{"entity", entity}, {"id", id}, {"group", "record"}, {"value", std::move(value)}};
}

// True when a staff reply carries the warning `code`.
inline bool HasWarning(const Json& reply, const std::string& code) {
  for (const auto& w : reply["warnings"])
    if (w["code"] == code) return true;
  return false;
}

inline std::string ProjectPath(const std::string& id, const std::string& rest = "") {
  return "/v1/projects/" + id + rest;
}

inline Json Event(StaffServer& s, const std::string& who, const std::string& id,
                  const std::string& event, const std::string& reason = "") {
  Json body = {{"event", event}};
  if (!reason.empty()) body["reason"] = reason;
  return s.Ok(who, "POST", ProjectPath(id, "/events"), body);
}

// Catalogue of 香洲区 for `year` with 居家养老, published (by the district admin).
inline void PublishCatalogue(StaffServer& s, int year) {
  s.Ok("district", "POST", "/v1/catalogues",
       {{"district", kDistrict}, {"year", year}, {"items", {{{"sub_item", "basic.elderly_care"}}}}},
       201);
  s.Ok("district", "POST",
       "/v1/catalogues/" + std::string(kDistrict) + "/" + std::to_string(year) + "/publish");
}

// Drives a town project from draft to `awarded`, provider so-1.
inline void TownProjectToAwarded(StaffServer& s, const std::string& id, int year) {
  Event(s, "town", id, "submit");
  Event(s, "town", id, "start_review");
  Event(s, "town", id, "approve");
  s.Ok("town", "PUT", ProjectPath(id, "/procurement"), {{"method", "competitive_consultation"}});
  Event(s, "town", id, "start_procurement");
  s.Ok("town", "PUT", ProjectPath(id, "/procurement"),
       {{"method", "competitive_consultation"},
        {"award_notice_ref", "珠海公共资源交易中心公告 2025-118"},
        {"award_notice_on", Day(year - 1, 12, 1)},
        {"provider_org", "so-1"},
        {"provider_name", "珠海市某社工服务中心"}});
  Event(s, "town", id, "award");
}

}  // namespace shefu::test
