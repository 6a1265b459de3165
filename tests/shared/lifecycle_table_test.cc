// The project lifecycle table (第十九至二十八条): every row, every role, every guard, every
// pair outside the table, and the documentation generated from it.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <iterator>
#include <set>

#include "shared/lifecycle.h"
#include "tests/shared/lifecycle_fixtures.h"
#include "tests/support/test_util.h"

using namespace shefu;
using namespace shefu::test;

TEST_CASE("Lifecycle: states and events have stable codes and names in both languages") {
  CHECK(AllStates().size() == 19);
  CHECK(AllEvents().size() == 21);
  std::set<std::string> codes;
  for (ProjectState s : AllStates()) {
    CHECK(ParseState(StateCode(s)) == s);
    CHECK_FALSE(StateName(s).zh.empty());
    CHECK_FALSE(StateName(s).en.empty());
    codes.insert(StateCode(s));
  }
  for (ProjectEvent e : AllEvents()) {
    CHECK(ParseEvent(EventCode(e)) == e);
    CHECK_FALSE(EventName(e).zh.empty());
    codes.insert(EventCode(e));
  }
  CHECK(codes.size() == 19 + 21 - 1);  // "procurement_failed" is both a state and an event
  CHECK(StateCode(ProjectState::kResultPublished) == std::string("result_published"));
  CHECK(EventCode(ProjectEvent::kNextContractYear) == std::string("next_contract_year"));
  CHECK_FALSE(ParseState("approved ").has_value());
}

TEST_CASE("Lifecycle: the table is exactly the specified rows, roles and guards") {
  // An independent statement of docs/lifecycle.md: removing a guard or widening a role in the
  // code must fail here, even where the same guard is also used by another row.
  struct Row {
    const char* ref;
    const char* from;
    const char* event;
    const char* to;
    const char* roles;
    const char* guards;
  };
  const char* submit_roles = "community_worker town_staff";
  const char* submit_guards =
      "purchaser_not_town origin_evidence_missing prohibited_check_failed funding_invalid";
  const Row spec[] = {
      {"T3a", "proposal_draft", "submit", "submitted", submit_roles, submit_guards},
      {"T3b", "returned", "submit", "submitted", submit_roles, submit_guards},
      {"T4", "submitted", "start_review", "under_review", "town_staff", ""},
      {"T5", "under_review", "return", "returned", "town_staff", "reason_missing"},
      {"T6", "under_review", "reject", "rejected", "town_staff", "reason_missing"},
      {"T7", "under_review", "approve", "approved", "town_staff",
       "purchaser_not_town prohibited_check_failed funding_invalid budget_over_town_funds "
       "indicators_missing"},
      {"T8", "approved", "start_procurement", "procurement", "town_staff",
       "procurement_method_invalid"},
      {"T9", "procurement", "procurement_failed", "procurement_failed", "town_staff",
       "reason_missing"},
      {"T10a", "procurement_failed", "reprocure", "procurement", "town_staff",
       "procurement_method_invalid"},
      {"T10b", "procurement_failed", "cancel", "cancelled", "town_staff", "reason_missing"},
      {"T11", "procurement", "award", "awarded", "town_staff", "award_notice_missing"},
      {"T12", "awarded", "sign_contract", "contracted", "town_staff social_org",
       "contract_invalid payment_plan_invalid contract_not_signed"},
      {"T13", "contracted", "start_service", "in_service", "town_staff social_org", ""},
      {"T15", "in_service", "terminate", "terminated", "town_staff", "reason_missing"},
      {"T16", "in_service", "start_evaluation", "under_evaluation", "town_staff evaluator",
       "service_period_not_ended"},
      {"T17a", "under_evaluation", "require_rectification", "rectifying", "town_staff evaluator",
       "reason_missing"},
      {"T17b", "rectifying", "resubmit_evaluation", "under_evaluation", "social_org town_staff",
       ""},
      {"T18", "under_evaluation", "complete_evaluation", "evaluated", "town_staff evaluator",
       "satisfaction_survey_missing two_committee_opinion_missing resident_rep_opinion_missing "
       "evaluation_not_recorded"},
      {"T19", "evaluated", "settle", "settled", "town_staff",
       "evaluation_not_passed final_payment_missing"},
      {"T20", "settled", "publish_result", "result_published", "town_staff",
       "result_notice_missing"},
      {"T21", "result_published", "close", "closed", "town_staff", ""},
      {"T22", "evaluated", "next_contract_year", "in_service", "town_staff",
       "evaluation_not_passed no_further_contract_year next_year_budget_unconfirmed"},
  };
  REQUIRE(TransitionTable().size() == std::size(spec));
  for (size_t i = 0; i < std::size(spec); ++i) {
    const Transition& t = TransitionTable()[i];
    INFO(spec[i].ref);
    CHECK(std::string(t.ref) == spec[i].ref);
    CHECK(StateCode(t.from) == std::string(spec[i].from));
    CHECK(EventCode(t.event) == std::string(spec[i].event));
    CHECK(StateCode(t.to) == std::string(spec[i].to));
    std::string roles, guards;
    for (Role r : t.roles) roles += (roles.empty() ? "" : " ") + std::string(RoleCode(r));
    for (Guard g : t.guards)
      guards += (guards.empty() ? "" : " ") + std::string(GetGuardInfo(g).code);
    CHECK(roles == spec[i].roles);
    CHECK(guards == spec[i].guards);
    CHECK(t.roles_by_origin == (t.event == ProjectEvent::kSubmit));
  }
}

TEST_CASE("Lifecycle: every row succeeds for each allowed role when its guards hold") {
  for (const Transition& t : TransitionTable()) {
    for (ProjectOrigin o : kOrigins) {
      for (Role r : AllowedRoles(t, o)) {
        INFO(RowName(t) << " origin=" << OriginCode(o) << " role=" << RoleCode(r));
        auto next = Apply(t.from, t.event, r, GoodFacts(o), Policy());
        REQUIRE(next.ok());
        CHECK(*next == t.to);
      }
    }
  }
}

TEST_CASE("Lifecycle: every row refuses every role it does not allow") {
  for (const Transition& t : TransitionTable()) {
    for (ProjectOrigin o : kOrigins) {
      std::vector<Role> allowed = AllowedRoles(t, o);
      for (Role r : kAllRoles) {
        if (std::find(allowed.begin(), allowed.end(), r) != allowed.end()) continue;
        INFO(RowName(t) << " origin=" << OriginCode(o) << " role=" << RoleCode(r));
        auto next = Apply(t.from, t.event, r, GoodFacts(o), Policy());
        REQUIRE_FALSE(next.ok());
        CHECK(next.status().code() == "role_not_allowed");
        CHECK(CheckRole(t.from, t.event, r, o).code() == "role_not_allowed");
      }
    }
  }
}

TEST_CASE("Lifecycle: every guard of every row refuses with its own code when unmet") {
  for (const Transition& t : TransitionTable()) {
    for (Guard g : t.guards) {
      for (ProjectOrigin o : kOrigins) {
        ProjectFacts f = GoodFacts(o);
        Breakers().at(g)(f);
        Role r = AllowedRoles(t, o).front();
        INFO(RowName(t) << " guard=" << GetGuardInfo(g).code << " origin=" << OriginCode(o));
        auto next = Apply(t.from, t.event, r, f, Policy());
        REQUIRE_FALSE(next.ok());
        CHECK(next.status().code() == GetGuardInfo(g).code);
        if (*GetGuardInfo(g).article) CHECK_FALSE(next.status().article().empty());
        CHECK_FALSE(next.status().zh().empty());
        CHECK_FALSE(next.status().en().empty());
      }
    }
  }
  // Every guard is used by some row, and every one has a breaker above.
  std::set<Guard> used;
  for (const Transition& t : TransitionTable()) used.insert(t.guards.begin(), t.guards.end());
  CHECK(used.size() == AllGuards().size());
  CHECK(Breakers().size() == AllGuards().size());
}

TEST_CASE("Lifecycle: every (state, event) pair outside the table is an illegal transition") {
  int illegal = 0;
  for (ProjectState s : AllStates()) {
    for (ProjectEvent e : AllEvents()) {
      if (FindTransition(s, e)) continue;
      ++illegal;
      INFO(StateCode(s) << " + " << EventCode(e));
      for (Role r : kAllRoles) {
        auto next = Apply(s, e, r, GoodFacts(), Policy());
        REQUIRE_FALSE(next.ok());
        CHECK(next.status().code() == "illegal_transition");
        CHECK_FALSE(RoleMayAttempt(s, e, r));
      }
      Status st = Apply(s, e, Role::kTownStaff, GoodFacts(), Policy()).status();
      CHECK(st.en().find(StateCode(s)) != std::string::npos);
      CHECK(st.en().find(EventCode(e)) != std::string::npos);
      CHECK(st.zh().find(StateName(s).zh) != std::string::npos);
    }
  }
  CHECK(illegal == 19 * 21 - static_cast<int>(TransitionTable().size()));
  // The table has one row per pair, terminal states have no way out and all others have one.
  for (ProjectState s : AllStates()) {
    bool out = false;
    for (const Transition& t : TransitionTable()) out = out || t.from == s;
    INFO(StateCode(s));
    CHECK(out == !IsTerminal(s));
  }
  for (ProjectEvent e : AllEvents()) {
    bool used = false;
    for (const Transition& t : TransitionTable()) used = used || t.event == e;
    INFO(EventCode(e));
    CHECK(used);
  }
}

TEST_CASE("Lifecycle: docs/lifecycle.md carries exactly the table in the code") {
  std::string expected = LifecycleTablesMarkdown();
  if (const char* out = std::getenv("SHEFU_LIFECYCLE_DOC_OUT")) test::WriteFile(out, expected);
  std::string doc = test::ReadFile(test::SourcePath("docs/lifecycle.md"));
  CHECK(doc.find(expected) != std::string::npos);
}
