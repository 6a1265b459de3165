// A purchase project as the staff API works with it: the record parsed, who may see it and act
// on it, and the facts the lifecycle guards need (ProjectFacts), assembled from the project and
// the records around it — the divisions (第二条), the district's published catalogue (第十三条),
// the town's funds and the budgets it has already committed (第二十条), the contract and the
// payments (第二十二、二十三条), the evaluation (第二十六、二十七条). The rules themselves stay in
// shared/ (lifecycle.h, contract.h, ...): this file only gathers their inputs.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/accounts.h"
#include "shared/annual_catalogue.h"
#include "shared/divisions.h"
#include "shared/findings.h"
#include "shared/project_record.h"
#include "sync/sync_server.h"

namespace shefu::server {

struct Project {
  sync::RecordView view;
  ProjectState state = ProjectState::kProposalDraft;  // no lifecycle group yet: a draft
  ProposalValue proposal;
  std::string provider_org;  // procurement.provider_org, once known
  // The group's current value, or an empty object when the group was never written.
  const Json& Group(std::string_view name) const;
};

// Parses a project record (bad_record when a stored group cannot be read).
Result<Project> ProjectFromView(sync::RecordView v);
// not_found when there is no such project.
Result<Project> LoadProject(sync::SyncServer& s, std::string_view id);

// Visible: the city admin sees everything; district admins, town staff and community workers
// what their scope can see (ScopeVisible); an SO member its own designs and the projects it was
// awarded. In scope (may act on it): town staff and community workers whose scope contains the
// project's place (ScopeContains); the SO member of the designing or awarded organisation.
bool ProjectVisibleTo(const Caller& c, const Project& p);
bool ProjectInCallerScope(const Caller& c, const Project& p);
// not_found unless visible (existence does not leak); forbidden unless in scope.
Status RequireProjectInScope(const Caller& c, const Project& p);

// Every record a query matches, page by page.
Result<std::vector<sync::RecordView>> ListAll(sync::SyncServer& s, sync::SyncServer::RecordQuery q);

// Records with fixed ids: one catalogue record per (district, year), one funds record per
// (town, year), so two staff members cannot create two of them.
std::string CatalogueRecordId(std::string_view district, int year);
std::string TownFundsRecordId(std::string_view town, int year);
// The catalogue versions of (district, year); an empty book when none exists yet.
Result<CatalogueBook> LoadCatalogueBook(sync::SyncServer& s, const DomainContext& places,
                                        std::string_view district, int year);

// 第二十条: the money the town recorded for `year` and the budgets of its projects of that year
// that are approved or further along (rejected and cancelled ones release theirs), except
// `except_project`.
struct TownFunds {
  std::optional<Fen> recorded;
  Fen committed = 0;
  Fen available() const { return recorded.value_or(0) - committed; }
};
Result<TownFunds> LoadTownFunds(sync::SyncServer& s, std::string_view town, int year,
                                std::string_view except_project);
// True for the states whose budget counts against the town's funds.
bool BudgetCommitted(ProjectState s);

// The payments recorded for a project, oldest first.
Result<std::vector<PaymentValue>> LoadPayments(sync::SyncServer& s, std::string_view project);

// The last day of the contract year being served, after `years_evaluated` evaluated years.
Date CurrentContractYearEnd(const Contract& c, int years_evaluated);

struct FactsInput {
  const Divisions& places;
  Date today;
  const PolicyVersion& policy;
  std::string reason;  // the decision reason given with the event
};
// The facts of `p` for Apply(). Warnings found on the way go to `warnings` (prohibited-keyword
// screening, a catalogue published outside Q1, overdue installments); the first 第十一条 error
// goes to `prohibited_detail`, to explain a failed screening guard.
Result<ProjectFacts> AssembleFacts(sync::SyncServer& s, const Project& p, const FactsInput& in,
                                   Findings* warnings, Status* prohibited_detail);

// The project as the API returns it: a summary for lists, every group for one project.
Json ProjectJson(const Project& p, bool full);

// Non-throwing reads of stored (already validated) group values.
std::string JStr(const Json& j, std::string_view key);
bool JBool(const Json& j, std::string_view key);
int64_t JInt(const Json& j, std::string_view key, int64_t fallback = 0);

// ---- Payments tied to results (issue 7) ----
// The final installment as the contract's deduction rule leaves it (ComputeFinalPayment,
// 第二十七条), once the evaluation group has a score; nullopt before that or without a rule.
Result<std::optional<FinalPayment>> FinalPayable(const ContractValue& cv, const Json& evaluation,
                                                 const PolicyParams& params);
// The plan with the deducted amount taken off its final installments (last first): what was
// deducted is never owed, so never overdue.
std::vector<PlannedPayment> PlanAfterDeduction(std::vector<PlannedPayment> plan,
                                               const FinalPayment& fp);

}  // namespace shefu::server
