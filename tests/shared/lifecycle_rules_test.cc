// The rules of 第十九至二十八条 as the lifecycle applies them, one article at a time.
#include <catch2/catch.hpp>

#include "shared/lifecycle.h"
#include "tests/shared/lifecycle_fixtures.h"

using namespace shefu;
using namespace shefu::test;

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
