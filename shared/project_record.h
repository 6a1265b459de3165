// The records of a purchase project as they sync: the wire form of each field group of the
// entity types "project", "payment", "catalogue" and "town_funds" (entity_types.h), their
// validators, and the parsers the server uses to turn group values back into the domain types
// of lifecycle.h, contract.h and annual_catalogue.h. The rules themselves live in those headers;
// this file only says what a stored value looks like.
//
// project (editable, never deleted; scope = place.code):
//   place        {code}                      the purchasing town, or the community of a
//                                            community project; immutable
//   proposal     {title, description?, origin, category, sub_item, other_reason?, year,
//                 beneficiaries?, fee_mode?, designer_org?}
//                                            origin: town_planned | community_deliberated |
//                                            so_designed (第十九条); fee_mode: free | low_fee
//                                            (第十八条); designer_org: the SO of an SO design
//   funding      {budget_fen, lines: [FundingLine JSON]}            第十二至十五条
//   evidence     {planning_basis?, deliberation_minutes?, vote_ballot?, vote_passed?,
//                 library_consent?, community_selection?}          第十九条
//   indicators   {items: [{name, target}]}                         第二十五条
//   prohibited   {declared: [第十一条 codes], attested}
//   — written by the server only (FieldGroupSpec::server_only) —
//   lifecycle    {state, event, by, role, at, reason?, policy_version, assumed_extended}
//   review       {decision, reason?, by, on}
//   procurement  {method?, award_notice_ref?, award_notice_on?, provider_org?, provider_name?}
//   contract     {amount_fen, start, end, justification?, year_amounts_fen?, payment_plan,
//                 town_signed_on?, so_signed_on?}
//   evaluation   {recorded, score_tenths?, grade?, passed, survey_done, two_committee_opinion,
//                 resident_rep_opinion, result_notice_on?, years_evaluated,
//                 next_year_budget_confirmed}   (placeholder until the evaluation module)
// payment (append-only, server only): record {project, kind, amount_fen, paid_on, milestone?,
//   place}
// catalogue (editable, server only): place {code: district}, book {district, year,
//   catalogues: [AnnualCatalogue JSON]} — every version of one district's catalogue of one year
// town_funds (editable, server only): place {code: town}, funds {year, amount_fen}
//
// Money is integer fen ("..._fen"), dates are Shanghai days "YYYY-MM-DD".
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/contract.h"
#include "shared/entity_types.h"
#include "shared/evaluation.h"
#include "shared/lifecycle.h"

namespace shefu {

// ---- Validators (EntityTypeSpec::validate) ----
Status ValidateProjectGroup(const DomainContext& ctx, std::string_view group, const Json& value);
Status ValidatePaymentRecord(const DomainContext& ctx, std::string_view group, const Json& value);
Status ValidateCatalogueGroup(const DomainContext& ctx, std::string_view group, const Json& value);
Status ValidateTownFundsGroup(const DomainContext& ctx, std::string_view group, const Json& value);

// The project groups a proposer edits (devices may write them; the rest are server-only).
inline constexpr std::string_view kProposerGroups[] = {"proposal", "funding", "evidence",
                                                       "indicators", "prohibited"};
bool IsProposerGroup(std::string_view group);
// EntityTypeSpec::guard of "project" (project_guard.cc): what a device may write given the
// project's state. Errors: origin_not_from_device, consent_is_the_towns, not_editable.
Status GuardProjectWrite(const DomainContext& ctx, const RecordState& current,
                         std::string_view group, const Json& value, bool from_device);

std::optional<ProjectOrigin> ParseOrigin(std::string_view code);
Text OriginName(ProjectOrigin o);  // 镇（街道）统筹规划 / town-planned ...

// ---- 第二十一条: the procurement method ----
// Codes: public_tender 公开招标, invited_tender 邀请招标, competitive_negotiation 竞争性谈判,
// competitive_consultation 竞争性磋商, single_source 单一来源采购, inquiry 询价,
// below_threshold 限额以下自行采购. 询价 is a method for goods (政府采购法 第三十二条:
// "货物规格、标准统一、现货货源充足"), so it is never lawful for a service.
// Errors: unknown_procurement_method, inquiry_not_for_services (both 第二十一条).
// The thresholds that decide between the methods are data per jurisdiction and date and are
// not checked here yet.
Status CheckProcurementMethod(std::string_view code);
Text ProcurementMethodName(std::string_view code);

// ---- Parsed group values ----
struct ProposalValue {
  std::string title, description;
  ProjectOrigin origin = ProjectOrigin::kTownPlanned;
  std::string category, sub_item, other_reason;
  int year = 0;
  std::string designer_org;
};
Result<ProposalValue> ProposalFromJson(const Json& v);

struct FundingValue {
  Fen budget = 0;
  std::vector<FundingLine> lines;
};
Result<FundingValue> FundingFromJson(const Json& v);

// The contract group: the contract, its payment plan and the two signatures. Contract::signed_on
// is the day the second party signed (a contract is signed when both have signed, 第二十二条).
struct ContractValue {
  Contract contract;
  std::vector<PlannedPayment> plan;
  std::optional<Date> town_signed_on, so_signed_on;
  // The contract's deduction rule for the final installment (evaluation.h, 第二十七条):
  // "deduction": {"kind": "below_threshold", "threshold_tenths": 800, "deduct_permille": 100}
  //           or {"kind": "per_grade", "per_grade_permille": {"fair": 100, "poor": 300}}.
  std::optional<DeductionRule> deduction;
};
Result<ContractValue> ContractFromJson(const Json& v);
Json ContractToJson(const ContractValue& c);
// The "deduction" object above. Errors: bad_field.
Result<DeductionRule> DeductionRuleFromJson(const Json& v);
Json DeductionRuleToJson(const DeductionRule& r);

struct PaymentValue {
  std::string project;
  Payment payment;
  std::string place;
};
Result<PaymentValue> PaymentFromJson(const Json& v);
Json PaymentToJson(const PaymentValue& p);
std::optional<PaymentKind> ParsePaymentKind(std::string_view code);

// Date fields: optional "YYYY-MM-DD" strings.
Result<std::optional<Date>> OptDate(const Json& obj, std::string_view key);

}  // namespace shefu
