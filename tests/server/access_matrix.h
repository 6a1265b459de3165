// The role x route matrix helper shared by the staff access tests (issue 4: every role against
// every route; allowed calls succeed, refused ones get 403 and change nothing). Refusals are
// checked against a fingerprint of the sync tables and the audit trail taken through a
// read-only SQLite connection to the running server.
#pragma once

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "tests/server/staff_fixture.h"

namespace shefu::test {

inline const std::vector<std::string> kCallers = {
    "city", "district", "town", "cw", "so", "eval", "expert", "kiosk", "cw_dev", "kiosk_dev"};

struct Req {
  std::string method, path;
  Json body = Json::object();
  int status = 200;
};

struct Matrix {
  StaffServer& s;
  std::set<std::string> covered;  // "route caller" cells checked

  // Refused callers (all not in `allowed` and not in `elsewhere`) send `probe` — a request an
  // allowed caller would succeed with — and must get 403 with nothing changed. Then the
  // allowed callers send theirs, in order, and must succeed. Returns the allowed replies.
  std::map<std::string, Json> Route(const std::string& route,
                                    const std::vector<std::pair<std::string, Req>>& allowed,
                                    const Req& probe, std::set<std::string> elsewhere = {}) {
    for (const auto& [who, r] : allowed) elsewhere.insert(who);
    for (const auto& who : kCallers) {
      if (elsewhere.count(who)) continue;
      std::string before = s.Fingerprint();
      ApiReply r = s.Call(who, probe.method, probe.path, probe.body);
      INFO(route << " as " << who << " -> " << r.status << " " << r.body.dump());
      CHECK(r.status == 403);
      CHECK(s.Fingerprint() == before);
      covered.insert(route + " " + who);
    }
    std::map<std::string, Json> out;
    for (const auto& [who, req] : allowed) {
      ApiReply r = s.Call(who, req.method, req.path, req.body);
      INFO(route << " as " << who << " -> " << r.status << " " << r.body.dump());
      CHECK(r.status == req.status);
      out[who] = r.body;
      covered.insert(route + " " + who);
    }
    return out;
  }
};

inline Req Get(const std::string& path) {
  return {"GET", path};
}
inline Req Post(const std::string& path, Json body, int status = 200) {
  return {"POST", path, std::move(body), status};
}
inline Req Put(const std::string& path, Json body) {
  return {"PUT", path, std::move(body)};
}

}  // namespace shefu::test
