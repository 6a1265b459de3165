// Shared facts for the lifecycle tests: facts under which every guard holds, and for each guard
// one change that makes exactly that guard fail.
#pragma once

#include <functional>
#include <map>
#include <string>

#include "shared/lifecycle.h"

namespace shefu::test {

inline PolicyVersion Policy() {
  PolicyVersion v;
  v.id = "test";
  v.effective_from = {2021, 4, 1};
  v.effective_to = {2024, 3, 31};
  return v;  // default params are 珠府〔2021〕10号's numbers
}

// Facts under which every guard holds.
inline ProjectFacts GoodFacts(ProjectOrigin origin = ProjectOrigin::kTownPlanned) {
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
inline const std::map<Guard, std::function<void(ProjectFacts&)>>& Breakers() {
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

inline const ProjectOrigin kOrigins[] = {
    ProjectOrigin::kTownPlanned, ProjectOrigin::kCommunityDeliberated, ProjectOrigin::kSoDesigned};

inline std::string RowName(const Transition& t) {
  return std::string(t.ref) + " " + StateCode(t.from) + " --" + EventCode(t.event) + "--> " +
         StateCode(t.to);
}

}  // namespace shefu::test
