// The life of a purchase project (第十九至二十八条) as an explicit state machine.
//
// The table (policy-domain-model.md §5.1/§5.2, docs/lifecycle.md) lists every allowed move:
// from-state, named event, to-state, the roles that may cause it, and the guards that must
// hold. Anything not in the table is illegal. Apply() checks, in this order:
//   1. the (state, event) pair is in the table          else illegal_transition
//   2. the acting role is allowed for that row            else role_not_allowed
//      (submission depends on the origin: town staff submit town-planned projects, community
//      workers the community-deliberated and SO-designed ones — 第十九条)
//   3. each guard of the row, in order                   else the guard's code + article
// Guards read a ProjectFacts snapshot the caller assembles from its records; facts owned by
// other modules (prohibited-item screening, catalogue membership, vote outcome, notices) come
// in as booleans, while funding and contract rules are evaluated here with funding.h and
// contract.h under the policy version in force (policy.h).
//
// Nobody above the town may approve, procure or pay: 第二条/第二十条 make the town the purchaser
// and sole decider, so the city administrator has no row here.
// Payments and public notices are events inside states, not states (see CheckPaymentAllowed).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/contract.h"
#include "shared/funding.h"
#include "shared/policy.h"
#include "shared/roles.h"
#include "shared/status.h"

namespace shefu {

// clang-format off
enum class ProjectState {
  kProposalDraft, kSubmitted, kUnderReview, kReturned, kRejected, kApproved, kProcurement,
  kProcurementFailed, kCancelled, kAwarded, kContracted, kInService, kTerminated,
  kUnderEvaluation, kRectifying, kEvaluated, kSettled, kResultPublished, kClosed,
};
// clang-format on

// clang-format off
enum class ProjectEvent {
  kSubmit, kStartReview, kReturn, kReject, kApprove, kStartProcurement, kProcurementFailed,
  kReprocure, kCancel, kAward, kSignContract, kStartService, kTerminate, kStartEvaluation,
  kRequireRectification, kResubmitEvaluation, kCompleteEvaluation, kSettle, kPublishResult,
  kClose, kNextContractYear,
};
// clang-format on

inline constexpr int kProjectStateCount = 19;
inline constexpr int kProjectEventCount = 21;

// Stable lowercase codes ("proposal_draft", "start_review", ...) and display names.
const char* StateCode(ProjectState s);
const char* EventCode(ProjectEvent e);
std::optional<ProjectState> ParseState(std::string_view code);
std::optional<ProjectEvent> ParseEvent(std::string_view code);
Text StateName(ProjectState s);  // 草拟中 / proposal draft
Text EventName(ProjectEvent e);  // 申报 / submit
std::vector<ProjectState> AllStates();
std::vector<ProjectEvent> AllEvents();
bool IsTerminal(ProjectState s);  // rejected, cancelled, terminated, closed

// The three ways a project comes about (第十九条).
enum class ProjectOrigin { kTownPlanned, kCommunityDeliberated, kSoDesigned };
const char* OriginCode(ProjectOrigin o);  // town_planned | community_deliberated | so_designed

// What the guards look at. Everything defaults to "not done", so a forgotten fact refuses.
struct ProjectFacts {
  ProjectOrigin origin = ProjectOrigin::kTownPlanned;
  // 第十九条 evidence, by origin.
  bool planning_basis_recorded = false;  // (一) the town's planning basis
  bool deliberation_recorded = false;    // (二) 组织提议 + 村(居)议事 minutes
  bool vote_passed = false;              // (二) 民主表决 passed (voting module)
  bool library_consent = false;          // (三) town consented to the SO design (项目库)
  bool community_selected = false;       // (三) a community selected it
  bool purchaser_is_town = false;        // 第二条: a 镇/街道, not a statistical unit
  bool prohibited_check_passed = false;  // 第十一条 screening (catalogue module)
  // 第十二至十五条
  std::vector<FundingLine> funding_lines;
  Fen budget = 0;
  bool fiscal_item_in_published_catalogue = false;
  Fen available_town_funds = 0;            // 第二十条: uncommitted money the town can pool
  bool indicators_present = false;         // 第二十五条: performance goals and indicators
  std::string decision_reason;             // return, reject, cancel, terminate, rectification
  bool procurement_method_lawful = false;  // 第二十一条 (procurement module)
  bool award_notice_published = false;     // 第二十四条
  // 第二十二、二十三条
  std::optional<Contract> contract;
  std::vector<PlannedPayment> payment_plan;
  bool town_signed = false;
  bool so_signed = false;
  bool service_period_ended = false;  // the period (or contract year) being evaluated is over
  // 第二十六、二十七条
  bool satisfaction_survey_done = false;
  bool two_committee_opinion = false;  // 城乡社区“两委”成员 opinion
  bool resident_rep_opinion = false;   // 村(居)民代表 opinion
  bool evaluation_recorded = false;    // score and grade recorded
  bool evaluation_passed = false;
  bool final_payment_done = false;
  bool result_notice_published = false;  // 绩效评价结果向社会公布
  // Multi-year contracts (第二十二条): years evaluated so far, next year's budget.
  int contract_years_evaluated = 0;
  bool next_year_budget_confirmed = false;
};

// clang-format off
enum class Guard {
  kPurchaserIsTown, kOriginEvidence, kProhibitedCheck, kFunding, kWithinTownFunds, kIndicators,
  kReasonGiven, kProcurementMethod, kAwardNotice, kContractTerms, kPaymentPlan, kSignedByBoth,
  kServicePeriodEnded, kSatisfactionSurvey, kTwoCommitteeOpinion, kResidentRepOpinion,
  kEvaluationRecorded, kEvaluationPassed, kFinalPayment, kResultNotice, kAnotherContractYear,
  kNextYearBudget,
};
// clang-format on
std::vector<Guard> AllGuards();

struct GuardInfo {
  const char* code;     // the Status code when the guard fails, e.g. "origin_evidence_missing"
  const char* article;  // e.g. "第十九条"; "" when the rule is record keeping, not policy
  Text meaning;         // what must hold
};
const GuardInfo& GetGuardInfo(Guard g);

// One guard on its own: OK, or a Status with the guard's code, its article (the detailed
// article for funding and contract checks) and a message that says what is missing.
Status CheckGuard(Guard g, const ProjectFacts& facts, const PolicyVersion& policy);

struct Transition {
  const char* ref;  // T1..T22 of policy-domain-model.md §5.2 (with a/b for split rows)
  ProjectState from;
  ProjectEvent event;
  ProjectState to;
  std::vector<Role> roles;  // for submit: the union; the origin picks one (see AllowedRoles)
  bool roles_by_origin;
  std::vector<Guard> guards;
  const char* article;
};
const std::vector<Transition>& TransitionTable();
const Transition* FindTransition(ProjectState from, ProjectEvent event);

// The roles allowed for a row given the project's origin.
std::vector<Role> AllowedRoles(const Transition& t, ProjectOrigin origin);

// Pure role checks for the server, before it loads any facts:
// whether `role` may ever cause `event` in `from` (any origin), and with a known origin.
bool RoleMayAttempt(ProjectState from, ProjectEvent event, Role role);
Status CheckRole(ProjectState from, ProjectEvent event, Role role, ProjectOrigin origin);

// The move itself: the new state, or illegal_transition / role_not_allowed / a guard's code.
Result<ProjectState> Apply(ProjectState from, ProjectEvent event, Role role,
                           const ProjectFacts& facts, const PolicyVersion& policy);

// Payments happen inside states (第二十三、二十七条): only town staff pay; an advance once
// contracted or in service, progress payments in service or while being evaluated, the final
// payment once evaluated. Errors: role_not_allowed, payment_not_allowed_in_state. The amounts
// are contract.h's business (CheckPayment).
Status CheckPaymentAllowed(ProjectState state, PaymentKind kind, Role role);

// The states, events, transitions and guards as Markdown tables; docs/lifecycle.md embeds
// exactly this text, and a test keeps the two equal.
std::string LifecycleTablesMarkdown();

}  // namespace shefu
