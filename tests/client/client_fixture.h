// Test rig for the field client: a real shefu-server in a TempDir (users, enrolment codes,
// start/kill/restart on 127.0.0.1) and the real `shefu` binary run against it. Used by every
// test in tests/client.
#pragma once

#include <signal.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "shared/db.h"
#include "shared/json_util.h"
#include "tests/support/process_util.h"
#include "tests/support/test_util.h"

namespace shefu::test {

// Community codes of 海澄村's town (440404100, 金湾区) used throughout.
inline const char* kCommunity = "440404100204";

// A valid mainland ID number (check digit correct) for tests.
inline const char* kIdNumber = "440402199001011762";

// Runs `shefu --data DATA ARGS...` in English unless the caller sets LANG.
inline RunResult Shefu(const std::string& data, std::vector<std::string> args,
                       const std::string& input = "",
                       std::map<std::string, std::string> env = {{"LANG", "en_US.UTF-8"}}) {
  std::vector<std::string> argv = {BinaryPath("shefu"), "--data", data};
  argv.insert(argv.end(), args.begin(), args.end());
  env.emplace("LC_ALL", "");
  return Run(argv, env, input);
}

inline Json ShefuJson(const std::string& data, std::vector<std::string> args) {
  RunResult r = Shefu(data, std::move(args));
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  auto j = ParseJson(r.out);
  REQUIRE(j.ok());
  return *j;
}

struct EnrolCode {
  std::string code;
  std::string uri;  // the QR payload
};

class TownServer {
 public:
  TownServer() { InitServerData(dir_.path()); }
  ~TownServer() { server_.reset(); }
  const std::string& data() const { return dir_.path(); }

  void AddWorker(const std::string& login, const std::string& name,
                 const std::string& place = kCommunity,
                 const std::string& role = "community_worker") {
    auto r = Run({BinaryPath("shefu-server"), "user", "add", "--data", data(), "--login", login,
                  "--name", name, "--role", role, "--place", place},
                 {{"SHEFU_USER_PASSWORD", login + "-password-1"}});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
  }

  // Issues a one-time code (works beside a running server: maintenance commands share the
  // data directory with it).
  EnrolCode IssueCode(const std::string& login, const std::string& url = "",
                      const std::string& tls_cert = "") {
    std::vector<std::string> argv = {BinaryPath("shefu-server"),
                                     "--lang",
                                     "en",
                                     "device",
                                     "enrol",
                                     "--data",
                                     data(),
                                     "--user",
                                     login,
                                     "--label",
                                     "tablet"};
    if (!url.empty()) argv.insert(argv.end(), {"--url", url});
    if (!tls_cert.empty()) argv.insert(argv.end(), {"--tls-cert", tls_cert});
    auto r = Run(argv);
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    EnrolCode c;
    size_t at = r.out.find("enrolment code: ");
    REQUIRE(at != std::string::npos);
    c.code = r.out.substr(at + 16, 14);
    size_t u = r.out.find("shefu-enrol:");
    REQUIRE(u != std::string::npos);
    c.uri = r.out.substr(u, r.out.find('\n', u) - u);
    return c;
  }

  void Revoke(const std::string& client_id) {
    auto r = Run({BinaryPath("shefu-server"), "device", "revoke", "--data", data(), client_id});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
  }

  void Start(std::vector<std::string> extra = {}) {
    server_ = std::make_unique<ServerProcess>(data(), std::move(extra));
  }
  // SIGKILL (a crash) or SIGTERM (a clean stop).
  void Stop(int sig = SIGTERM) {
    if (server_) server_->Stop(sig);
    server_.reset();
  }
  bool running() const { return server_ != nullptr; }
  std::string url() const { return server_->url(); }
  int port() const { return server_->port(); }

  // Reads the server's store (the server must be stopped: one writer, and a clean state).
  int64_t QueryInt(const std::string& sql) {
    DbOptions o;
    o.create = false;
    auto db = Db::Open(data() + "/shefu.db", o);
    REQUIRE(db.ok());
    auto v = (*db)->QueryInt(sql);
    REQUIRE(v.ok());
    return v->value_or(0);
  }
  std::vector<std::string> QueryStrings(const std::string& sql) {
    DbOptions o;
    o.create = false;
    auto db = Db::Open(data() + "/shefu.db", o);
    REQUIRE(db.ok());
    auto st = (*db)->Prepare(sql);
    REQUIRE(st.ok());
    std::vector<std::string> out;
    for (;;) {
      auto r = st->Step();
      REQUIRE(r.ok());
      if (!*r) break;
      out.push_back(st->Str(0));
    }
    return out;
  }

 private:
  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
};

// Enrols a device data directory with a fresh code (stops and restarts the server around
// issuing the code when it is running).
inline void EnrolDevice(TownServer& town, const std::string& device_dir, const std::string& login,
                        const std::string& profile = "") {
  bool was_running = town.running();
  if (was_running) town.Stop();
  EnrolCode code = town.IssueCode(login);
  town.Start();
  std::vector<std::string> args;
  if (!profile.empty()) args = {"--profile", profile};
  args.insert(args.end(), {"enrol", town.url(), code.code});
  RunResult r = Shefu(device_dir, args);
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  if (!was_running) town.Stop();
}

inline std::string ClientIdOf(const std::string& device_dir) {
  Json st = ShefuJson(device_dir, {"status", "--json"});
  return st["client_id"].get<std::string>();
}

}  // namespace shefu::test
