// 第十九至二十八条: the project lifecycle table — every row, every role, every guard, every
// pair outside the table.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <functional>
#include <map>
#include <set>

#include "shared/lifecycle.h"
#include "tests/support/test_util.h"

using namespace shefu;

namespace {

PolicyVersion Policy() {
  PolicyVersion v;
  v.id = "test";
  v.effective_from = {2021, 4, 1};
  v.effective_to = {2024, 3, 31};
  return v;  // default params are 珠府〔2021〕10号's numbers
}

// Facts under which every guard holds.
ProjectFacts GoodFacts(ProjectOrigin origin = ProjectOrigin::kTownPlanned) {
  ProjectFacts f;
  f.origin = origin;
  f.planning_basis_recorded = f.deliberation_recorded = f.vote_passed = true;
  f.library_consent = f.community_selected = true;
  f.purchaser_is_town = true;
  f.prohibited_check_passed = true;
  FundingLine fiscal;
  fiscal.source = FundingSource::kFiscal;
  fiscal.level = FiscalLevel::kDistrict;
  fiscal.original_purpose = "居家养老服务专项";
  fiscal.amount = 5'000'000;
  FundingLine social;
  social.source = FundingSource::kSocial;
  social.subtype = SocialSubtype::kCommunityFund;
  social.amount = 80'000;
  f.funding_lines = {fiscal, social};
  f.budget = 5'080'000;
  f.fiscal_item_in_published_catalogue = true;
  f.available_town_funds = 10'000'000;
  f.indicators_present = true;
  f.decision_reason = "理由 / reason";
  f.procurement_method_lawful = true;
  f.award_notice_published = true;
  Contract c;
  c.amount = 5'080'000;
  c.start = {2026, 4, 1};
  c.end = {2027, 3, 31};
  c.signed_on = Date{2026, 3, 20};
  f.contract = c;
  f.payment_plan = {{PaymentKind::kAdvance, 2'032'000, {2026, 4, 1}, ""},
                    {PaymentKind::kProgress, 2'000'000, {2026, 10, 1}, "半年服务"},
                    {PaymentKind::kFinal, 1'048'000, {2027, 4, 30}, ""}};
  f.town_signed = f.so_signed = true;
  f.service_period_ended = true;
  f.satisfaction_survey_done = f.two_committee_opinion = f.resident_rep_opinion = true;
  f.evaluation_recorded = f.evaluation_passed = true;
  f.final_payment_done = true;
  f.result_notice_published = true;
  f.contract_years_evaluated = 0;
  f.next_year_budget_confirmed = true;
  return f;
}

// For each guard, a change to good facts that makes exactly that guard fail.
const std::map<Guard, std::function<void(ProjectFacts&)>>& Breakers() {
  static const std::map<Guard, std::function<void(ProjectFacts&)>> m = {
      {Guard::kPurchaserIsTown, [](ProjectFacts& f) { f.purchaser_is_town = false; }},
      {Guard::kOriginEvidence,
       [](ProjectFacts& f) {
         f.planning_basis_recorded = f.vote_passed = f.community_selected = false;
       }},
      {Guard::kProhibitedCheck, [](ProjectFacts& f) { f.prohibited_check_passed = false; }},
      {Guard::kFunding, [](ProjectFacts& f) { f.fiscal_item_in_published_catalogue = false; }},
      {Guard::kWithinTownFunds, [](ProjectFacts& f) { f.available_town_funds = f.budget - 1; }},
      {Guard::kIndicators, [](ProjectFacts& f) { f.indicators_present = false; }},
      {Guard::kReasonGiven, [](ProjectFacts& f) { f.decision_reason.clear(); }},
      {Guard::kProcurementMethod, [](ProjectFacts& f) { f.procurement_method_lawful = false; }},
      {Guard::kAwardNotice, [](ProjectFacts& f) { f.award_notice_published = false; }},
      {Guard::kContractTerms,
       [](ProjectFacts& f) {
         f.contract->end = {2029, 4, 1};
       }},
      {Guard::kPaymentPlan, [](ProjectFacts& f) { f.payment_plan[0].amount += 1; }},
      {Guard::kSignedByBoth, [](ProjectFacts& f) { f.so_signed = false; }},
      {Guard::kServicePeriodEnded, [](ProjectFacts& f) { f.service_period_ended = false; }},
      {Guard::kSatisfactionSurvey, [](ProjectFacts& f) { f.satisfaction_survey_done = false; }},
      {Guard::kTwoCommitteeOpinion, [](ProjectFacts& f) { f.two_committee_opinion = false; }},
      {Guard::kResidentRepOpinion, [](ProjectFacts& f) { f.resident_rep_opinion = false; }},
      {Guard::kEvaluationRecorded, [](ProjectFacts& f) { f.evaluation_recorded = false; }},
      {Guard::kEvaluationPassed, [](ProjectFacts& f) { f.evaluation_passed = false; }},
      {Guard::kFinalPayment, [](ProjectFacts& f) { f.final_payment_done = false; }},
      {Guard::kResultNotice, [](ProjectFacts& f) { f.result_notice_published = false; }},
      {Guard::kAnotherContractYear, [](ProjectFacts& f) { f.contract_years_evaluated = 1; }},
      {Guard::kNextYearBudget, [](ProjectFacts& f) { f.next_year_budget_confirmed = false; }},
  };
  return m;
}

const ProjectOrigin kOrigins[] = {ProjectOrigin::kTownPlanned, ProjectOrigin::kCommunityDeliberated,
                                  ProjectOrigin::kSoDesigned};

std::string RowName(const Transition& t) {
  return std::string(t.ref) + " " + StateCode(t.from) + " --" + EventCode(t.event) + "--> " +
         StateCode(t.to);
}

}  // namespace

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

TEST_CASE("第十九条: town staff submit town-planned projects and community workers the others") {
  PolicyVersion p = Policy();
  CHECK(Apply(ProjectState::kProposalDraft, ProjectEvent::kSubmit, Role::kTownStaff,
              GoodFacts(ProjectOrigin::kTownPlanned), p)
            .ok());
  for (ProjectOrigin o : {ProjectOrigin::kCommunityDeliberated, ProjectOrigin::kSoDesigned}) {
    CHECK(Apply(ProjectState::kProposalDraft, ProjectEvent::kSubmit, Role::kTownStaff, GoodFacts(o),
                p)
              .status()
              .code() == "role_not_allowed");
    CHECK(Apply(ProjectState::kProposalDraft, ProjectEvent::kSubmit, Role::kCommunityWorker,
                GoodFacts(o), p)
              .ok());
  }
  // The SO that designed a project does not submit it: the community that selected it does.
  CHECK_FALSE(
      RoleMayAttempt(ProjectState::kProposalDraft, ProjectEvent::kSubmit, Role::kSocialOrgMember));
  CHECK(
      RoleMayAttempt(ProjectState::kProposalDraft, ProjectEvent::kSubmit, Role::kCommunityWorker));
}

TEST_CASE("第十九条: a community project cannot be submitted before its vote passed") {
  ProjectFacts f = GoodFacts(ProjectOrigin::kCommunityDeliberated);
  f.vote_passed = false;
  Status s = Apply(ProjectState::kProposalDraft, ProjectEvent::kSubmit, Role::kCommunityWorker, f,
                   Policy())
                 .status();
  CHECK(s.code() == "origin_evidence_missing");
  CHECK(s.article() == "第十九条");
  CHECK(s.zh().find("民主表决") != std::string::npos);
  f.vote_passed = true;
  f.deliberation_recorded = false;
  CHECK(Apply(ProjectState::kProposalDraft, ProjectEvent::kSubmit, Role::kCommunityWorker, f,
              Policy())
            .status()
            .zh()
            .find("议事") != std::string::npos);
}

TEST_CASE("第十九条: an SO design needs the town's library consent and a community's choice") {
  ProjectFacts f = GoodFacts(ProjectOrigin::kSoDesigned);
  f.library_consent = false;
  Status s = Apply(ProjectState::kProposalDraft, ProjectEvent::kSubmit, Role::kCommunityWorker, f,
                   Policy())
                 .status();
  CHECK(s.code() == "origin_evidence_missing");
  CHECK(s.zh().find("项目库") != std::string::npos);
  f.library_consent = true;
  f.community_selected = false;
  CHECK(Apply(ProjectState::kReturned, ProjectEvent::kSubmit, Role::kCommunityWorker, f, Policy())
            .status()
            .code() == "origin_evidence_missing");
  ProjectFacts t = GoodFacts(ProjectOrigin::kTownPlanned);
  t.planning_basis_recorded = false;
  CHECK(Apply(ProjectState::kProposalDraft, ProjectEvent::kSubmit, Role::kTownStaff, t, Policy())
            .status()
            .code() == "origin_evidence_missing");
}

TEST_CASE("第二十条: only the town approves, and not beyond its available funds") {
  for (Role r : kAllRoles) {
    if (r == Role::kTownStaff) continue;
    CHECK_FALSE(RoleMayAttempt(ProjectState::kUnderReview, ProjectEvent::kApprove, r));
  }
  ProjectFacts f = GoodFacts();
  f.available_town_funds = f.budget;  // exactly enough
  CHECK(Apply(ProjectState::kUnderReview, ProjectEvent::kApprove, Role::kTownStaff, f, Policy())
            .ok());
  f.available_town_funds = f.budget - 1;
  Status s =
      Apply(ProjectState::kUnderReview, ProjectEvent::kApprove, Role::kTownStaff, f, Policy())
          .status();
  CHECK(s.code() == "budget_over_town_funds");
  CHECK(s.article() == "第二十条");
  CHECK(s.zh().find("50800.00") != std::string::npos);
}

TEST_CASE("第十三条: approval re-checks the funding with its detailed article") {
  ProjectFacts f = GoodFacts();
  f.budget += 1;
  f.available_town_funds = f.budget;
  Status s =
      Apply(ProjectState::kUnderReview, ProjectEvent::kApprove, Role::kTownStaff, f, Policy())
          .status();
  CHECK(s.code() == "funding_invalid");
  CHECK(s.article() == "第十五条");  // budget != Σ lines
  f = GoodFacts();
  f.fiscal_item_in_published_catalogue = false;
  CHECK(Apply(ProjectState::kUnderReview, ProjectEvent::kApprove, Role::kTownStaff, f, Policy())
            .status()
            .article() == "第十三条");
}

TEST_CASE("第二十二条: signing is refused for a contract longer than the version allows") {
  ProjectFacts f = GoodFacts();
  f.contract->end = {2029, 4, 1};  // 37 months
  Status s = Apply(ProjectState::kAwarded, ProjectEvent::kSignContract, Role::kSocialOrgMember, f,
                   Policy())
                 .status();
  CHECK(s.code() == "contract_invalid");
  CHECK(s.article() == "第二十二条");
  CHECK(s.zh().find("37") != std::string::npos);
  // Under a version allowing 48 months with all justifications, the same contract signs.
  PolicyVersion longer = Policy();
  longer.params.max_contract_months = 48;
  f.contract->justification = {true, true, true, true, true};
  f.contract->end = {2029, 3, 31};
  f.payment_plan = {{PaymentKind::kAdvance, 600'000, {2026, 4, 1}, ""},
                    {PaymentKind::kProgress, 3'480'000, {2027, 4, 1}, "m"},
                    {PaymentKind::kFinal, 1'000'000, {2029, 4, 30}, ""}};
  CHECK(
      Apply(ProjectState::kAwarded, ProjectEvent::kSignContract, Role::kTownStaff, f, longer).ok());
  // Both parties must have signed.
  ProjectFacts one_side = GoodFacts();
  one_side.town_signed = false;
  CHECK(Apply(ProjectState::kAwarded, ProjectEvent::kSignContract, Role::kSocialOrgMember, one_side,
              Policy())
            .status()
            .code() == "contract_not_signed");
}

TEST_CASE("第二十三条: signing is refused when the plan's advance exceeds 40%") {
  ProjectFacts f = GoodFacts();
  f.payment_plan[0].amount = 2'032'001;  // 40 % of 50,800.00 yuan is 20,320.00
  f.payment_plan[1].amount = 1'999'999;
  Status s =
      Apply(ProjectState::kAwarded, ProjectEvent::kSignContract, Role::kTownStaff, f, Policy())
          .status();
  CHECK(s.code() == "payment_plan_invalid");
  CHECK(s.article() == "第二十三条");
  CHECK(s.zh().find("20320.01") != std::string::npos);
}

TEST_CASE("第二十六条: an evaluation cannot complete without a satisfaction survey") {
  ProjectFacts f = GoodFacts();
  f.satisfaction_survey_done = false;
  Status s = Apply(ProjectState::kUnderEvaluation, ProjectEvent::kCompleteEvaluation,
                   Role::kEvaluator, f, Policy())
                 .status();
  CHECK(s.code() == "satisfaction_survey_missing");
  CHECK(s.article() == "第二十六条");
}

TEST_CASE("第二十七条: acceptance needs the 两委 and resident-representative opinions") {
  ProjectFacts f = GoodFacts();
  f.two_committee_opinion = false;
  CHECK(Apply(ProjectState::kUnderEvaluation, ProjectEvent::kCompleteEvaluation, Role::kTownStaff,
              f, Policy())
            .status()
            .code() == "two_committee_opinion_missing");
  f = GoodFacts();
  f.resident_rep_opinion = false;
  CHECK(Apply(ProjectState::kUnderEvaluation, ProjectEvent::kCompleteEvaluation, Role::kEvaluator,
              f, Policy())
            .status()
            .article() == "第二十七条");
}

TEST_CASE("第二十七条: settle needs a passed evaluation and the final payment") {
  ProjectFacts f = GoodFacts();
  f.final_payment_done = false;
  CHECK(Apply(ProjectState::kEvaluated, ProjectEvent::kSettle, Role::kTownStaff, f, Policy())
            .status()
            .code() == "final_payment_missing");
  f = GoodFacts();
  f.evaluation_passed = false;
  CHECK(Apply(ProjectState::kEvaluated, ProjectEvent::kSettle, Role::kTownStaff, f, Policy())
            .status()
            .code() == "evaluation_not_passed");
  f = GoodFacts();
  f.result_notice_published = false;
  CHECK(Apply(ProjectState::kSettled, ProjectEvent::kPublishResult, Role::kTownStaff, f, Policy())
            .status()
            .code() == "result_notice_missing");
}

TEST_CASE("第二十二条: a next contract year needs a year left and its budget confirmed") {
  ProjectFacts f = GoodFacts();
  f.contract->end = {2029, 3, 31};  // three years
  f.contract->justification = {true, true, true, true, true};
  f.contract_years_evaluated = 2;
  CHECK(Apply(ProjectState::kEvaluated, ProjectEvent::kNextContractYear, Role::kTownStaff, f,
              Policy())
            .ok());
  f.contract_years_evaluated = 3;
  Status s = Apply(ProjectState::kEvaluated, ProjectEvent::kNextContractYear, Role::kTownStaff, f,
                   Policy())
                 .status();
  CHECK(s.code() == "no_further_contract_year");
  CHECK(s.article() == "第二十二条");
}

TEST_CASE("第二十三条: payments happen in the right states and only town staff pay") {
  using S = ProjectState;
  CHECK(CheckPaymentAllowed(S::kContracted, PaymentKind::kAdvance, Role::kTownStaff).ok());
  CHECK(CheckPaymentAllowed(S::kInService, PaymentKind::kProgress, Role::kTownStaff).ok());
  CHECK(CheckPaymentAllowed(S::kEvaluated, PaymentKind::kFinal, Role::kTownStaff).ok());
  CHECK(CheckPaymentAllowed(S::kAwarded, PaymentKind::kAdvance, Role::kTownStaff).code() ==
        "payment_not_allowed_in_state");
  CHECK(CheckPaymentAllowed(S::kContracted, PaymentKind::kProgress, Role::kTownStaff).code() ==
        "payment_not_allowed_in_state");
  Status fin = CheckPaymentAllowed(S::kUnderEvaluation, PaymentKind::kFinal, Role::kTownStaff);
  CHECK(fin.code() == "payment_not_allowed_in_state");
  CHECK(fin.article() == "第二十七条");
  for (Role r : kAllRoles) {
    if (r == Role::kTownStaff) continue;
    CHECK(CheckPaymentAllowed(S::kInService, PaymentKind::kProgress, r).code() ==
          "role_not_allowed");
  }
}

TEST_CASE("Lifecycle: a community project walks from draft to closed") {
  using S = ProjectState;
  using E = ProjectEvent;
  ProjectFacts f = GoodFacts(ProjectOrigin::kCommunityDeliberated);
  struct Step {
    E event;
    Role role;
    S expect;
  };
  const Step steps[] = {
      {E::kSubmit, Role::kCommunityWorker, S::kSubmitted},
      {E::kStartReview, Role::kTownStaff, S::kUnderReview},
      {E::kReturn, Role::kTownStaff, S::kReturned},
      {E::kSubmit, Role::kCommunityWorker, S::kSubmitted},
      {E::kStartReview, Role::kTownStaff, S::kUnderReview},
      {E::kApprove, Role::kTownStaff, S::kApproved},
      {E::kStartProcurement, Role::kTownStaff, S::kProcurement},
      {E::kProcurementFailed, Role::kTownStaff, S::kProcurementFailed},
      {E::kReprocure, Role::kTownStaff, S::kProcurement},
      {E::kAward, Role::kTownStaff, S::kAwarded},
      {E::kSignContract, Role::kSocialOrgMember, S::kContracted},
      {E::kStartService, Role::kSocialOrgMember, S::kInService},
      {E::kStartEvaluation, Role::kEvaluator, S::kUnderEvaluation},
      {E::kRequireRectification, Role::kEvaluator, S::kRectifying},
      {E::kResubmitEvaluation, Role::kSocialOrgMember, S::kUnderEvaluation},
      {E::kCompleteEvaluation, Role::kEvaluator, S::kEvaluated},
      {E::kSettle, Role::kTownStaff, S::kSettled},
      {E::kPublishResult, Role::kTownStaff, S::kResultPublished},
      {E::kClose, Role::kTownStaff, S::kClosed},
  };
  S state = S::kProposalDraft;
  for (const Step& s : steps) {
    INFO(StateCode(state) << " + " << EventCode(s.event));
    auto next = Apply(state, s.event, s.role, f, Policy());
    REQUIRE(next.ok());
    CHECK(*next == s.expect);
    state = *next;
  }
  CHECK(IsTerminal(state));
}

TEST_CASE("Lifecycle: docs/lifecycle.md carries exactly the table in the code") {
  std::string expected = LifecycleTablesMarkdown();
  if (const char* out = std::getenv("SHEFU_LIFECYCLE_DOC_OUT")) test::WriteFile(out, expected);
  std::string doc = test::ReadFile(test::SourcePath("docs/lifecycle.md"));
  CHECK(doc.find(expected) != std::string::npos);
}
