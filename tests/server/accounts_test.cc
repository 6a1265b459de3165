// Users, sessions, device enrolment and the hash-chained audit trail.
#include <catch2/catch.hpp>

#include "server/accounts.h"
#include "server/audit_trail.h"
#include "server/password.h"
#include "tests/support/fake_places.h"
#include "tests/support/test_util.h"

using namespace shefu;
using namespace shefu::server;

namespace {
struct Fixture {
  test::TempDir dir;
  std::unique_ptr<CentralStore> store = std::move(CentralStore::Open(dir.path()).value());
  test::FakePlaces places;
  FakeClock clock;
  Accounts accounts{*store, places, clock};

  User Add(const std::string& login, Role role, const std::string& place) {
    NewUser nu{login, "王社工", role, place, "", "correct horse battery"};
    auto u = accounts.AddUser(nu);
    REQUIRE(u.ok());
    return u.value();
  }
};
}  // namespace

TEST_CASE("Passwords: PBKDF2-HMAC-SHA256 with 210000 iterations and a per-user salt") {
  std::string a = HashPassword("correct horse battery", 1000);
  std::string b = HashPassword("correct horse battery", 1000);
  CHECK(a != b);  // per-user salt
  CHECK(VerifyPassword("correct horse battery", a));
  CHECK_FALSE(VerifyPassword("correct horse batterx", a));
  CHECK_FALSE(VerifyPassword("x", "garbage"));
  CHECK(HashPassword("p").rfind("pbkdf2-sha256$210000$", 0) == 0);
  CHECK(CheckPasswordStrength("short").code() == "weak_password");
  CHECK(CheckPasswordStrength("aaaaaaaaaaaa").code() == "weak_password");
}

TEST_CASE("Users: the role decides which place code is required, and it must exist") {
  Fixture f;
  User w = f.Add("wang", Role::kCommunityWorker, "C1");
  CHECK(w.scope.community == "C1");
  CHECK(w.scope.town == "T1");
  CHECK(w.scope.district == "D1");
  User t = f.Add("town1", Role::kTownStaff, "T1");
  CHECK(t.scope.town == "T1");
  CHECK(t.scope.community.empty());
  NewUser bad{"lisi", "李", Role::kCommunityWorker, "T1", "", "correct horse battery"};
  CHECK(f.accounts.AddUser(bad).status().code() == "unknown_place");
  bad.place = "";
  CHECK(f.accounts.AddUser(bad).status().code() == "scope_required");
  bad.place = "C9";
  CHECK(f.accounts.AddUser(bad).status().code() == "unknown_place");
  NewUser dup{"wang", "王", Role::kCityAdmin, "", "", "correct horse battery"};
  CHECK(f.accounts.AddUser(dup).status().code() == "login_taken");
  NewUser badlogin{"Wang Wu", "王", Role::kCityAdmin, "", "", "correct horse battery"};
  CHECK(f.accounts.AddUser(badlogin).status().code() == "bad_login");
  CHECK(f.accounts.ListUsers()->size() == 2);
}

TEST_CASE("Login: sessions authenticate and failures are rate-limited per user") {
  Fixture f;
  f.Add("town1", Role::kTownStaff, "T1");
  auto tok = f.accounts.Login("town1", "correct horse battery", "127.0.0.1");
  REQUIRE(tok.ok());
  auto caller = f.accounts.Authenticate(*tok);
  REQUIRE(caller.ok());
  CHECK(caller->user.login == "town1");
  CHECK_FALSE(caller->is_device());
  for (int i = 0; i < 5; ++i)
    CHECK(f.accounts.Login("town1", "wrong password!", "127.0.0.1").status().code() ==
          "bad_credentials");
  // Even the right password is refused while the user is locked out.
  CHECK(f.accounts.Login("town1", "correct horse battery", "127.0.0.1").status().code() ==
        "rate_limited");
  f.clock.Advance(16 * 60 * 1000);
  CHECK(f.accounts.Login("town1", "correct horse battery", "127.0.0.1").ok());
  // Sessions expire.
  f.clock.Advance(13 * 3600 * 1000LL);
  CHECK(f.accounts.Authenticate(*tok).status().code() == "unauthenticated");
  CHECK(f.accounts.Authenticate("not-a-token").status().code() == "unauthenticated");
}

TEST_CASE("Enrolment: a one-time code becomes a device token and used or expired codes fail") {
  Fixture f;
  f.Add("wang", Role::kCommunityWorker, "C1");
  auto code = f.accounts.IssueEnrolCode("wang", "平板-1");
  REQUIRE(code.ok());
  CHECK(code->code.size() == 14);
  std::string typed = code->code;
  for (auto& ch : typed) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  auto e = f.accounts.ClaimEnrolCode(typed, "127.0.0.1");  // case and dashes do not matter
  REQUIRE(e.ok());
  CHECK(e->client_id.rfind("c_", 0) == 0);
  CHECK(e->token.size() == 64);
  auto c = f.accounts.Authenticate(e->token);
  REQUIRE(c.ok());
  CHECK(c->client_id == e->client_id);
  CHECK(c->user.scope.community == "C1");
  CHECK(f.accounts.ClaimEnrolCode(code->code, "127.0.0.1").status().code() == "enrol_code_used");
  auto code2 = f.accounts.IssueEnrolCode("wang", "平板-2");
  f.clock.Advance(16 * 60 * 1000);
  CHECK(f.accounts.ClaimEnrolCode(code2->code, "127.0.0.1").status().code() ==
        "enrol_code_expired");
  CHECK(f.accounts.ClaimEnrolCode("AAAA-BBBB-CCCC", "127.0.0.1").status().code() ==
        "enrol_code_invalid");
  // Revocation is immediate and says so.
  REQUIRE(f.accounts.RevokeDevice(e->client_id).ok());
  CHECK(f.accounts.Authenticate(e->token).status().code() == "device_revoked");
  CHECK(f.accounts.RevokeDevice("c_nope").code() == "unknown_device");
  // The token itself is never stored.
  auto db = f.store->Reader();
  auto n = (*db)->Prepare("SELECT count(*) FROM device WHERE token_hash = ?1");
  n->Bind(1, e->token);
  REQUIRE(*n->Step());
  CHECK(n->Int(0) == 0);
}

TEST_CASE("Disabled users cannot log in or sync") {
  Fixture f;
  f.Add("wang", Role::kCommunityWorker, "C1");
  auto code = f.accounts.IssueEnrolCode("wang", "tablet");
  auto e = f.accounts.ClaimEnrolCode(code->code, "127.0.0.1");
  REQUIRE(f.accounts.DisableUser("wang").ok());
  CHECK(f.accounts.Authenticate(e->token).status().code() == "user_disabled");
  CHECK(f.accounts.Login("wang", "correct horse battery", "a").status().code() == "user_disabled");
}

TEST_CASE("Audit: the chain verifies, and an edited, deleted or truncated entry is detected") {
  Fixture f;
  f.Add("wang", Role::kCommunityWorker, "C1");
  f.Add("lisi", Role::kCommunityWorker, "C2");
  REQUIRE(f.accounts.DisableUser("lisi").ok());
  auto db = Db::Open(f.store->db_path());
  auto rep = VerifyAudit(**db);
  REQUIRE(rep.ok());
  CHECK(rep->ok);
  CHECK(rep->entries == 3);

  SECTION("edited") {
    REQUIRE((*db)->Exec("UPDATE audit SET action = 'user.nothing' WHERE seq = 2").ok());
    CHECK(VerifyAudit(**db)->first_bad_seq == 2);
  }
  SECTION("deleted in the middle") {
    REQUIRE((*db)->Exec("DELETE FROM audit WHERE seq = 2").ok());
    auto r = VerifyAudit(**db);
    CHECK_FALSE(r->ok);
    CHECK(r->first_bad_seq == 2);
  }
  SECTION("tail cut off") {
    REQUIRE((*db)->Exec("DELETE FROM audit WHERE seq = 3").ok());
    CHECK_FALSE(VerifyAudit(**db)->ok);
  }
  SECTION("no personal data in the trail") {
    auto st = (*db)->Prepare("SELECT group_concat(detail || record_id, '|') FROM audit");
    REQUIRE(*st->Step());
    CHECK(st->Str(0).find("王") == std::string::npos);
    CHECK(st->Str(0).find("wang") == std::string::npos);
  }
}
