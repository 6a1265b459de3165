// The lifecycle table, Apply() and the role checks. Guards live in lifecycle_guards.cc.
#include "shared/lifecycle.h"

#include <algorithm>

namespace shefu {

namespace {

struct Named {
  const char* code;
  Text name;
};

// Indexed by the enum value; the order must match lifecycle.h.
const Named kStates[kProjectStateCount] = {
    {"proposal_draft", {"项目草拟", "proposal draft"}},
    {"submitted", {"已申报", "submitted"}},
    {"under_review", {"审议中", "under review"}},
    {"returned", {"退回修改", "returned for revision"}},
    {"rejected", {"不予立项", "rejected"}},
    {"approved", {"已审批", "approved"}},
    {"procurement", {"采购中", "in procurement"}},
    {"procurement_failed", {"采购失败", "procurement failed"}},
    {"cancelled", {"已撤销", "cancelled"}},
    {"awarded", {"已确定承接方", "awarded"}},
    {"contracted", {"已签订合同", "contracted"}},
    {"in_service", {"服务实施中", "in service"}},
    {"terminated", {"已终止", "terminated"}},
    {"under_evaluation", {"验收评价中", "under evaluation"}},
    {"rectifying", {"整改中", "rectifying"}},
    {"evaluated", {"已完成评价", "evaluated"}},
    {"settled", {"已结算", "settled"}},
    {"result_published", {"结果已公示", "result published"}},
    {"closed", {"已归档", "closed"}},
};

const Named kEvents[kProjectEventCount] = {
    {"submit", {"申报", "submit"}},
    {"start_review", {"开始审议", "start review"}},
    {"return", {"退回修改", "return for revision"}},
    {"reject", {"不予立项", "reject"}},
    {"approve", {"审批通过", "approve"}},
    {"start_procurement", {"启动采购", "start procurement"}},
    {"procurement_failed", {"采购失败", "record failed procurement"}},
    {"reprocure", {"重新采购", "procure again"}},
    {"cancel", {"撤销项目", "cancel"}},
    {"award", {"确定承接方", "award"}},
    {"sign_contract", {"签订合同", "sign the contract"}},
    {"start_service", {"开始服务", "start the service"}},
    {"terminate", {"终止合同", "terminate"}},
    {"start_evaluation", {"启动验收评价", "start the evaluation"}},
    {"require_rectification", {"要求整改", "require rectification"}},
    {"resubmit_evaluation", {"整改后重新评价", "resubmit for evaluation"}},
    {"complete_evaluation", {"完成验收评价", "complete the evaluation"}},
    {"settle", {"结算", "settle"}},
    {"publish_result", {"公示评价结果", "publish the result"}},
    {"close", {"归档", "close"}},
    {"next_contract_year", {"进入下一合同年度", "start the next contract year"}},
};

static_assert(static_cast<int>(ProjectState::kClosed) + 1 == kProjectStateCount);
static_assert(static_cast<int>(ProjectEvent::kNextContractYear) + 1 == kProjectEventCount);

using S = ProjectState;
using E = ProjectEvent;
using G = Guard;
constexpr Role kTown = Role::kTownStaff;
constexpr Role kCommunity = Role::kCommunityWorker;
constexpr Role kSo = Role::kSocialOrgMember;
constexpr Role kEvaluator = Role::kEvaluator;

// One row per line pair: ref, from, event, to, roles, roles_by_origin, guards, article.
// clang-format off
std::vector<Transition> BuildTransitionTable() {
  const std::vector<Guard> submit = {G::kPurchaserIsTown, G::kOriginEvidence, G::kProhibitedCheck,
                                     G::kFunding};
  return {
    {"T3a", S::kProposalDraft, E::kSubmit, S::kSubmitted, {kCommunity, kTown}, true,
            submit, "第十九条"},
    {"T3b", S::kReturned, E::kSubmit, S::kSubmitted, {kCommunity, kTown}, true,
            submit, "第十九条"},
    {"T4", S::kSubmitted, E::kStartReview, S::kUnderReview, {kTown}, false,
            {}, "第二十条、第二十四条"},
    {"T5", S::kUnderReview, E::kReturn, S::kReturned, {kTown}, false,
            {G::kReasonGiven}, "第二十条"},
    {"T6", S::kUnderReview, E::kReject, S::kRejected, {kTown}, false,
            {G::kReasonGiven}, "第十一条、第二十条"},
    {"T7", S::kUnderReview, E::kApprove, S::kApproved, {kTown}, false,
            {G::kPurchaserIsTown, G::kProhibitedCheck, G::kFunding, G::kWithinTownFunds,
             G::kIndicators}, "第二十条、第二十五条"},
    {"T8", S::kApproved, E::kStartProcurement, S::kProcurement, {kTown}, false,
            {G::kProcurementMethod}, "第二十一条"},
    {"T9", S::kProcurement, E::kProcurementFailed, S::kProcurementFailed, {kTown}, false,
            {G::kReasonGiven}, "第二十一条"},
    {"T10a", S::kProcurementFailed, E::kReprocure, S::kProcurement, {kTown}, false,
            {G::kProcurementMethod}, "第二十一条"},
    {"T10b", S::kProcurementFailed, E::kCancel, S::kCancelled, {kTown}, false,
            {G::kReasonGiven}, "第二十一条"},
    {"T11", S::kProcurement, E::kAward, S::kAwarded, {kTown}, false,
            {G::kAwardNotice}, "第二十一条、第二十四条"},
    // Either party records the signing; both signatures must exist (购买主体与社会组织签订).
    {"T12", S::kAwarded, E::kSignContract, S::kContracted, {kTown, kSo}, false,
            {G::kContractTerms, G::kPaymentPlan, G::kSignedByBoth}, "第二十二条、第二十三条"},
    {"T13", S::kContracted, E::kStartService, S::kInService, {kTown, kSo}, false,
            {}, "第六条、第二十三条"},
    // Termination is not in the policy ([I] §5.2 T15): breach or force majeure, by the town.
    {"T15", S::kInService, E::kTerminate, S::kTerminated, {kTown}, false,
            {G::kReasonGiven}, ""},
    {"T16", S::kInService, E::kStartEvaluation, S::kUnderEvaluation, {kTown, kEvaluator}, false,
            {G::kServicePeriodEnded}, "第二十七条"},
    {"T17a", S::kUnderEvaluation, E::kRequireRectification, S::kRectifying, {kTown, kEvaluator},
            false, {G::kReasonGiven}, "第二十七条"},
    {"T17b", S::kRectifying, E::kResubmitEvaluation, S::kUnderEvaluation, {kSo, kTown}, false,
            {}, "第二十七条"},
    {"T18", S::kUnderEvaluation, E::kCompleteEvaluation, S::kEvaluated, {kTown, kEvaluator}, false,
            {G::kSatisfactionSurvey, G::kTwoCommitteeOpinion, G::kResidentRepOpinion,
             G::kEvaluationRecorded}, "第二十六条、第二十七条"},
    {"T19", S::kEvaluated, E::kSettle, S::kSettled, {kTown}, false,
            {G::kEvaluationPassed, G::kFinalPayment}, "第二十三条、第二十七条"},
    {"T20", S::kSettled, E::kPublishResult, S::kResultPublished, {kTown}, false,
            {G::kResultNotice}, "第二十七条"},
    {"T21", S::kResultPublished, E::kClose, S::kClosed, {kTown}, false,
            {}, "第二十七条"},
    {"T22", S::kEvaluated, E::kNextContractYear, S::kInService, {kTown}, false,
            {G::kEvaluationPassed, G::kAnotherContractYear, G::kNextYearBudget},
            "第二十二条、第二十七条"},
  };
}
// clang-format on

bool Contains(const std::vector<Role>& roles, Role r) {
  return std::find(roles.begin(), roles.end(), r) != roles.end();
}

std::string JoinRoles(const std::vector<Role>& roles, Lang lang) {
  std::string out;
  for (Role r : roles)
    out += (out.empty() ? "" : (lang == Lang::kZh ? "、" : ", ")) + RoleName(r).in(lang);
  return out;
}

}  // namespace

const char* StateCode(ProjectState s) {
  return kStates[static_cast<int>(s)].code;
}
const char* EventCode(ProjectEvent e) {
  return kEvents[static_cast<int>(e)].code;
}
Text StateName(ProjectState s) {
  return kStates[static_cast<int>(s)].name;
}
Text EventName(ProjectEvent e) {
  return kEvents[static_cast<int>(e)].name;
}

std::optional<ProjectState> ParseState(std::string_view code) {
  for (int i = 0; i < kProjectStateCount; ++i)
    if (code == kStates[i].code) return static_cast<ProjectState>(i);
  return std::nullopt;
}

std::optional<ProjectEvent> ParseEvent(std::string_view code) {
  for (int i = 0; i < kProjectEventCount; ++i)
    if (code == kEvents[i].code) return static_cast<ProjectEvent>(i);
  return std::nullopt;
}

std::vector<ProjectState> AllStates() {
  std::vector<ProjectState> v;
  for (int i = 0; i < kProjectStateCount; ++i) v.push_back(static_cast<ProjectState>(i));
  return v;
}

std::vector<ProjectEvent> AllEvents() {
  std::vector<ProjectEvent> v;
  for (int i = 0; i < kProjectEventCount; ++i) v.push_back(static_cast<ProjectEvent>(i));
  return v;
}

bool IsTerminal(ProjectState s) {
  return s == S::kRejected || s == S::kCancelled || s == S::kTerminated || s == S::kClosed;
}

const char* OriginCode(ProjectOrigin o) {
  switch (o) {
    case ProjectOrigin::kTownPlanned:
      return "town_planned";
    case ProjectOrigin::kCommunityDeliberated:
      return "community_deliberated";
    case ProjectOrigin::kSoDesigned:
      return "so_designed";
  }
  return "town_planned";
}

const std::vector<Transition>& TransitionTable() {
  static const std::vector<Transition> table = BuildTransitionTable();
  return table;
}

const Transition* FindTransition(ProjectState from, ProjectEvent event) {
  for (const auto& t : TransitionTable())
    if (t.from == from && t.event == event) return &t;
  return nullptr;
}

std::vector<Role> AllowedRoles(const Transition& t, ProjectOrigin origin) {
  if (!t.roles_by_origin) return t.roles;
  // 第十九条: the town puts forward its own plans; community projects — deliberated, or an SO
  // design the community selected — are reported to the town by the community.
  return origin == ProjectOrigin::kTownPlanned ? std::vector<Role>{kTown}
                                               : std::vector<Role>{kCommunity};
}

bool RoleMayAttempt(ProjectState from, ProjectEvent event, Role role) {
  const Transition* t = FindTransition(from, event);
  return t && Contains(t->roles, role);
}

Status CheckRole(ProjectState from, ProjectEvent event, Role role, ProjectOrigin origin) {
  const Transition* t = FindTransition(from, event);
  if (!t)
    return Status::Error(
        "illegal_transition",
        "项目处于“" + StateName(from).zh + "”状态，不能执行“" + EventName(event).zh + "”",
        "a project in state '" + std::string(StateCode(from)) + "' cannot take event '" +
            EventCode(event) + "'");
  std::vector<Role> allowed = AllowedRoles(*t, origin);
  if (Contains(allowed, role)) return Status::Ok();
  return Status::Error("role_not_allowed",
                       RoleName(role).zh + "不能执行“" + EventName(event).zh + "”；可执行的角色：" +
                           JoinRoles(allowed, Lang::kZh),
                       RoleName(role).en + " may not " + EventName(event).en +
                           "; allowed: " + JoinRoles(allowed, Lang::kEn),
                       t->article);
}

Result<ProjectState> Apply(ProjectState from, ProjectEvent event, Role role,
                           const ProjectFacts& facts, const PolicyVersion& policy) {
  SHEFU_RETURN_IF_ERROR(CheckRole(from, event, role, facts.origin));
  const Transition* t = FindTransition(from, event);
  for (Guard g : t->guards) SHEFU_RETURN_IF_ERROR(CheckGuard(g, facts, policy));
  return t->to;
}

Status CheckPaymentAllowed(ProjectState state, PaymentKind kind, Role role) {
  if (role != kTown)
    return Status::Error("role_not_allowed", "只有镇（街道）工作人员可以支付购买服务资金",
                         "only town staff pay for purchased services", "第二十三条");
  bool ok = false;
  switch (kind) {
    case PaymentKind::kAdvance:
      ok = state == S::kContracted || state == S::kInService;
      break;
    case PaymentKind::kProgress:
      ok = state == S::kInService || state == S::kUnderEvaluation || state == S::kRectifying;
      break;
    case PaymentKind::kFinal:
      ok = state == S::kEvaluated;
      break;
  }
  if (ok) return Status::Ok();
  return Status::Error(
      "payment_not_allowed_in_state",
      "项目处于“" + StateName(state).zh + "”状态，不能支付" + PaymentKindName(kind).zh,
      "a " + PaymentKindName(kind).en + " cannot be made while the project is " +
          StateName(state).en,
      kind == PaymentKind::kFinal ? "第二十七条" : "第二十三条");
}

std::string LifecycleTablesMarkdown() {
  std::string md = "### States\n\n| code | 名称 | name | terminal |\n|---|---|---|---|\n";
  for (ProjectState s : AllStates())
    md += "| `" + std::string(StateCode(s)) + "` | " + StateName(s).zh + " | " + StateName(s).en +
          " | " + (IsTerminal(s) ? "yes" : "") + " |\n";
  md += "\n### Events\n\n| code | 名称 | name |\n|---|---|---|\n";
  for (ProjectEvent e : AllEvents())
    md += "| `" + std::string(EventCode(e)) + "` | " + EventName(e).zh + " | " + EventName(e).en +
          " |\n";
  md +=
      "\n### Transitions\n\n| # | state | event | to | roles | guards (by the code each fails "
      "with) | article |\n"
      "|---|---|---|---|---|---|---|\n";
  for (const auto& t : TransitionTable()) {
    std::string roles;
    if (t.roles_by_origin) {
      roles =
          "`community_worker` (community_deliberated, so_designed); `town_staff` "
          "(town_planned)";
    } else {
      for (Role r : t.roles)
        roles += (roles.empty() ? "`" : ", `") + std::string(RoleCode(r)) + "`";
    }
    std::string guards;
    for (Guard g : t.guards)
      guards += (guards.empty() ? "`" : ", `") + std::string(GetGuardInfo(g).code) + "`";
    md += "| " + std::string(t.ref) + " | `" + StateCode(t.from) + "` | `" + EventCode(t.event) +
          "` | `" + StateCode(t.to) + "` | " + roles + " | " + (guards.empty() ? "—" : guards) +
          " | " + (*t.article ? t.article : "—") + " |\n";
  }
  md += "\n### Guards\n\n| code (when it fails) | article | what must hold |\n|---|---|---|\n";
  for (Guard g : AllGuards()) {
    const GuardInfo& gi = GetGuardInfo(g);
    md += "| `" + std::string(gi.code) + "` | " + (*gi.article ? gi.article : "—") + " | " +
          gi.meaning.zh + " / " + gi.meaning.en + " |\n";
  }
  return md;
}

}  // namespace shefu
