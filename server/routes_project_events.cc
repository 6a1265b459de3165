// POST /v1/projects/{id}/events {event, reason?}: one move of the lifecycle (docs/lifecycle.md).
//
// Order of checks, each before anything is written: the caller's role may take part in the
// lifecycle at all (403), the project is visible (404) and in the caller's scope (403), the
// (state, event) pair is a row of the table (409 illegal_transition) and the role is allowed on
// it for the project's origin (403 role_not_allowed), then Apply() with the facts assembled from
// the records (422 naming the guard's article). The policy version governing the decision is the
// one in force on today's Shanghai date; its id and whether it was assumed extended are recorded
// in the lifecycle group and returned.
#include <algorithm>

#include "server/projects.h"
#include "server/routes.h"
#include "server/staff_access.h"
#include "server/staff_writes.h"
#include "server/sync_service.h"
#include "shared/civil_time.h"

namespace shefu::server {
namespace {

// A failed screening guard says which item or what is missing (第十一条).
Status Explained(const Status& st, const Status& prohibited_detail) {
  if (st.code() != "prohibited_check_failed" || prohibited_detail.ok()) return st;
  return Status::Error(st.code(), st.zh() + "——" + prohibited_detail.zh(),
                       st.en() + " — " + prohibited_detail.en(), st.article());
}

// Warnings that belong to the move: the screening and catalogue warnings to the rows that check
// them (submission, approval), the rest (overdue installments) to every move.
Findings RelevantWarnings(ProjectState from, ProjectEvent e, const Findings& all) {
  const Transition* t = FindTransition(from, e);
  auto has = [&](Guard g) {
    return t && std::find(t->guards.begin(), t->guards.end(), g) != t->guards.end();
  };
  Findings out;
  for (const Finding& w : all.Warnings()) {
    if (w.code == "suspected_prohibited_item" && !has(Guard::kProhibitedCheck)) continue;
    if (w.code == "catalogue_outside_q1" && !has(Guard::kFunding)) continue;
    out.Warn(w.code, w.text, w.article);
  }
  return out;
}

struct EventOutcome {
  ProjectState from, to;
  Findings warnings;
};

// The groups an event writes besides the lifecycle: the review decision, and the evaluation
// year count of a multi-year contract (第二十二条).
void SideEffects(ProjectEvent e, const Caller& c, const Project& p, const std::string& reason,
                 const Date& today, std::vector<sync::SyncServer::LocalChange>* changes) {
  const std::string& id = p.view.id;
  if (e == ProjectEvent::kApprove || e == ProjectEvent::kReturn || e == ProjectEvent::kReject) {
    Json review = {{"decision", EventCode(e)}, {"by", c.user.id}, {"on", FormatDate(today)}};
    if (!reason.empty()) review["reason"] = reason;
    changes->push_back({"project", id, "review", std::move(review), std::nullopt});
  }
  if (e == ProjectEvent::kCompleteEvaluation) {
    Json ev = p.Group("evaluation");
    ev["years_evaluated"] = JInt(ev, "years_evaluated") + 1;
    changes->push_back({"project", id, "evaluation", std::move(ev), std::nullopt});
  }
  if (e == ProjectEvent::kNextContractYear) {
    // A new contract year is evaluated afresh: only the count of evaluated years carries over.
    Json ev = {{"years_evaluated", JInt(p.Group("evaluation"), "years_evaluated")}};
    changes->push_back({"project", id, "evaluation", std::move(ev), std::nullopt});
  }
}

}  // namespace

void RegisterProjectEventRoute(HttpService& http, ServerApp& app, SyncService& sync) {
  http.Route(
      "POST", R"(/v1/projects/([0-9A-Za-z._:-]{1,64})/events)", Auth::kRequired,
      [&app, &sync](ApiRequest& req) -> Result<ApiReply> {
        const Caller& c = *req.caller;
        // Evaluators take part once the evaluation module lands; until then the town records
        // the evaluation steps.
        SHEFU_RETURN_IF_ERROR(
            RequireRole(c, {Role::kTownStaff, Role::kCommunityWorker, Role::kSocialOrgMember}));
        SHEFU_RETURN_IF_ERROR(RequireStaffSession(c));
        SHEFU_RETURN_IF_ERROR(CheckKeys(req.body, "event,reason"));
        auto code = GetString(req.body, "event", 32, 1);
        if (!code.ok()) return code.status();
        auto event = ParseEvent(*code);
        if (!event) return FieldError("event", "不是项目事件", "is not a project event");
        auto reason = OptString(req.body, "reason", 2000);
        if (!reason.ok()) return reason.status();
        const std::string id = req.path_params.at(0);
        const Date today = TodayShanghai(app);
        auto policy = PolicyFor(today);
        if (!policy.ok()) return policy.status();

        auto outcome = sync.WithWriter([&](sync::SyncServer& s) -> Result<EventOutcome> {
          auto p = LoadProject(s, id);
          if (!p.ok()) return p.status();
          SHEFU_RETURN_IF_ERROR(RequireProjectInScope(c, *p));
          SHEFU_RETURN_IF_ERROR(CheckRole(p->state, *event, c.user.role, p->proposal.origin));
          // The SO's moves (signing, starting the service, resubmitting after rectification)
          // are the provider's, not the designer's.
          if (c.user.role == Role::kSocialOrgMember && c.user.scope.org != p->provider_org)
            return Forbidden({"只有承接项目的社会组织可以执行此操作",
                              "only the awarded organisation may do this"});
          EventOutcome out;
          out.from = p->state;
          Status prohibited_detail;
          auto facts = AssembleFacts(
              s, *p, FactsInput{app.places(), today, policy->version, reason->value_or("")},
              &out.warnings, &prohibited_detail);
          if (!facts.ok()) return facts.status();
          auto to = Apply(p->state, *event, c.user.role, *facts, policy->version);
          if (!to.ok()) return Explained(to.status(), prohibited_detail);
          out.to = *to;
          out.warnings = RelevantWarnings(out.from, *event, out.warnings);
          std::vector<sync::SyncServer::LocalChange> changes;
          Json lc = {{"state", StateCode(*to)},
                     {"event", *code},
                     {"by", c.user.id},
                     {"role", RoleCode(c.user.role)},
                     {"at", FormatUtcIso(app.clock().NowMs())},
                     {"policy_version", policy->version.id},
                     {"assumed_extended", policy->assumed_extended}};
          if (reason->has_value() && !(*reason)->empty()) lc["reason"] = **reason;
          changes.push_back({"project", id, "lifecycle", std::move(lc), std::nullopt});
          SideEffects(*event, c, *p, reason->value_or(""), today, &changes);
          auto w = s.LocalWrite(PrincipalOf(c), std::move(changes));
          if (!w.ok()) return w.status();
          return out;
        });
        if (!outcome.ok()) return outcome.status();
        SHEFU_RETURN_IF_ERROR(AuditStaffWrite(app, req, std::string("project.") + *code, "project",
                                              id,
                                              {{"from", StateCode(outcome->from)},
                                               {"to", StateCode(outcome->to)},
                                               {"policy_version", policy->version.id}}));
        ApiReply out;
        out.body = {{"id", id},
                    {"event", *code},
                    {"previous_state", StateCode(outcome->from)},
                    {"state", StateCode(outcome->to)},
                    {"policy", PolicyJson(*policy)},
                    {"warnings", WarningsJson(outcome->warnings)}};
        return out;
      });
}

}  // namespace shefu::server
