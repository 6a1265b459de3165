#include "server/projects.h"

#include <algorithm>

#include "server/meetings.h"
#include "server/staff_access.h"
#include "shared/civil_time.h"
#include "shared/prohibited.h"

namespace shefu::server {
namespace {

const Json& EmptyObject() {
  static const Json j = Json::object();
  return j;
}

Status ProjectNotFound() {
  return Status::Error("not_found", "项目不存在", "no such project");
}

std::vector<std::string> StringList(const Json& j, std::string_view key) {
  std::vector<std::string> out;
  auto it = j.find(std::string(key));
  if (it == j.end() || !it->is_array()) return out;
  for (const auto& s : *it)
    if (s.is_string()) out.push_back(s.get<std::string>());
  return out;
}

bool DateOnOrBefore(const Json& j, std::string_view key, const Date& today) {
  auto d = ParseDate(JStr(j, key));
  return d.ok() && *d <= today;
}

}  // namespace

std::string JStr(const Json& j, std::string_view key) {
  auto it = j.find(std::string(key));
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool JBool(const Json& j, std::string_view key) {
  auto it = j.find(std::string(key));
  return it != j.end() && it->is_boolean() && it->get<bool>();
}

int64_t JInt(const Json& j, std::string_view key, int64_t fallback) {
  auto it = j.find(std::string(key));
  return it != j.end() && it->is_number_integer() ? it->get<int64_t>() : fallback;
}

const Json& Project::Group(std::string_view name) const {
  const sync::GroupView* g = view.Find(name);
  return g && g->value.is_object() ? g->value : EmptyObject();
}

Result<Project> ProjectFromView(sync::RecordView v) {
  Project p;
  p.view = std::move(v);
  auto proposal = ProposalFromJson(p.Group("proposal"));
  if (!proposal.ok())
    return Status::Error("bad_record", "项目记录缺少有效的申报内容：" + proposal.status().zh(),
                         "the project has no valid proposal: " + proposal.status().en());
  p.proposal = std::move(*proposal);
  auto state = ParseState(JStr(p.Group("lifecycle"), "state"));
  p.state = state.value_or(ProjectState::kProposalDraft);
  p.provider_org = JStr(p.Group("procurement"), "provider_org");
  return p;
}

Result<Project> LoadProject(sync::SyncServer& s, std::string_view id) {
  auto v = s.ReadRecord("project", id);
  if (!v.ok()) return v.status();
  if (!v->has_value()) return ProjectNotFound();
  return ProjectFromView(std::move(**v));
}

bool ProjectVisibleTo(const Caller& c, const Project& p) {
  const Scope& sc = c.user.scope;
  switch (c.user.role) {
    case Role::kCityAdmin:
    case Role::kDistrictAdmin:
    case Role::kTownStaff:
    case Role::kCommunityWorker:
      return ScopeVisible(Scope{sc.district, sc.town, sc.community, ""}, p.view.place);
    case Role::kSocialOrgMember:
      return !sc.org.empty() && (sc.org == p.proposal.designer_org || sc.org == p.provider_org);
    default:
      return false;
  }
}

bool ProjectInCallerScope(const Caller& c, const Project& p) {
  const Scope& sc = c.user.scope;
  switch (c.user.role) {
    case Role::kTownStaff:
    case Role::kCommunityWorker:
      return ScopeContains(Scope{sc.district, sc.town, sc.community, ""}, p.view.place);
    case Role::kSocialOrgMember:
      return ProjectVisibleTo(c, p);
    default:
      return false;
  }
}

Status RequireProjectInScope(const Caller& c, const Project& p) {
  if (!ProjectVisibleTo(c, p)) return ProjectNotFound();
  if (!ProjectInCallerScope(c, p))
    return Forbidden({"此项目不在您的管辖范围内", "this project is outside your scope"});
  return Status::Ok();
}

Result<std::vector<sync::RecordView>> ListAll(sync::SyncServer& s,
                                              sync::SyncServer::RecordQuery q) {
  std::vector<sync::RecordView> out;
  q.limit = 100;
  for (;;) {
    auto page = s.ListRecords(q);
    if (!page.ok()) return page.status();
    if (page->empty()) break;
    q.after_id = page->back().id;
    for (auto& v : *page) out.push_back(std::move(v));
  }
  return out;
}

std::string CatalogueRecordId(std::string_view district, int year) {
  return "catalogue:" + std::string(district) + ":" + std::to_string(year);
}

std::string TownFundsRecordId(std::string_view town, int year) {
  return "funds:" + std::string(town) + ":" + std::to_string(year);
}

Result<CatalogueBook> LoadCatalogueBook(sync::SyncServer& s, const DomainContext& places,
                                        std::string_view district, int year) {
  auto v = s.ReadRecord("catalogue", CatalogueRecordId(district, year));
  if (!v.ok()) return v.status();
  if (!v->has_value()) return CatalogueBook(&places);
  const sync::GroupView* book = (*v)->Find("book");
  if (!book || !book->value.contains("catalogues")) return CatalogueBook(&places);
  return CatalogueBook::FromJson(Json{{"catalogues", book->value["catalogues"]}}, &places);
}

bool BudgetCommitted(ProjectState s) {
  using S = ProjectState;
  switch (s) {
    case S::kProposalDraft:
    case S::kSubmitted:
    case S::kUnderReview:
    case S::kReturned:
    case S::kRejected:
    case S::kCancelled:
      return false;
    default:
      return true;
  }
}

Result<TownFunds> LoadTownFunds(sync::SyncServer& s, std::string_view town, int year,
                                std::string_view except_project) {
  TownFunds out;
  auto rec = s.ReadRecord("town_funds", TownFundsRecordId(town, year));
  if (!rec.ok()) return rec.status();
  if (rec->has_value()) {
    if (const sync::GroupView* f = (*rec)->Find("funds"))
      out.recorded = JInt(f->value, "amount_fen");
  }
  sync::SyncServer::RecordQuery q;
  q.entity = "project";
  q.scope = Scope{"", std::string(town), "", ""};
  auto all = ListAll(s, q);
  if (!all.ok()) return all.status();
  for (auto& v : *all) {
    if (v.id == except_project || v.place.town != town) continue;
    auto p = ProjectFromView(std::move(v));
    if (!p.ok() || p->proposal.year != year || !BudgetCommitted(p->state)) continue;
    out.committed += JInt(p->Group("funding"), "budget_fen");
  }
  return out;
}

Result<std::vector<PaymentValue>> LoadPayments(sync::SyncServer& s, std::string_view project) {
  auto recs = s.CountedRecords("payment", "project", project);
  if (!recs.ok()) return recs.status();
  std::vector<PaymentValue> out;
  for (const auto& r : *recs) {
    const sync::GroupView* g = r.Find(kRecordGroup);
    if (!g) continue;
    auto p = PaymentFromJson(g->value);
    if (!p.ok()) return p.status();
    out.push_back(std::move(*p));
  }
  return out;
}

Date CurrentContractYearEnd(const Contract& c, int years_evaluated) {
  int k = std::clamp(years_evaluated, 0, std::max(ContractYears(c) - 1, 0));
  Date end = AddDays(AddMonths(c.start, 12 * (k + 1)), -1);
  return std::min(end, c.end);
}

Result<ProjectFacts> AssembleFacts(sync::SyncServer& s, const Project& p, const FactsInput& in,
                                   Findings* warnings, Status* prohibited_detail) {
  ProjectFacts f;
  const ProposalValue& pr = p.proposal;
  const Place& place = p.view.place;
  f.origin = pr.origin;
  f.decision_reason = in.reason;

  // 第十九条: the origin's evidence.
  const Json& ev = p.Group("evidence");
  f.planning_basis_recorded = !JStr(ev, "planning_basis").empty();
  f.deliberation_recorded = !JStr(ev, "deliberation_minutes").empty();
  f.vote_passed = !JStr(ev, "vote_ballot").empty() && JBool(ev, "vote_passed");
  // A ballot of a meeting held with shefu: its final result decides, not the proposer's claim.
  if (auto held = MeetingBallotPassed(s, JStr(ev, "vote_ballot")); held.has_value())
    f.vote_passed = *held;
  f.library_consent = JBool(ev, "library_consent");
  f.community_selected = !JStr(ev, "community_selection").empty();

  // 第二条: the purchaser is the project's town, a real 镇/街道.
  f.purchaser_is_town = in.places.IsPurchaser(place.town);

  // 第十一条: declared items block, keywords warn; the proposer must have gone through the list.
  const Json& ph = p.Group("prohibited");
  Findings screening = CheckProhibited(StringList(ph, "declared"), pr.title, pr.description);
  f.prohibited_check_passed = JBool(ph, "attested") && screening.ok();
  if (!screening.ok()) {
    *prohibited_detail = screening.FirstError();
  } else if (!JBool(ph, "attested")) {
    *prohibited_detail = Status::Error(
        "prohibited_not_attested", "申报人尚未逐项确认不属于第十一条所列禁止事项",
        "the proposer has not confirmed the project is none of the items of article 11",
        "第十一条");
  }
  for (const Finding& w : screening.Warnings()) warnings->Warn(w.code, w.text, w.article);

  // 第十二至十五条: funding, and the catalogue that lets fiscal money pay (第十三条).
  if (const sync::GroupView* g = p.view.Find("funding")) {
    auto fv = FundingFromJson(g->value);
    if (fv.ok()) {
      f.funding_lines = fv->lines;
      f.budget = fv->budget;
    }
  }
  auto book = LoadCatalogueBook(s, in.places, place.district, pr.year);
  if (!book.ok()) return book.status();
  f.fiscal_item_in_published_catalogue =
      IsInPublishedCatalogue(book->all(), place.district, pr.year, pr.sub_item);
  if (const AnnualCatalogue* c = book->InForce(place.district, pr.year); c && c->published_on)
    warnings->Merge(CheckPublicationDate(*c, *c->published_on));

  // 第二十条: the town's available funds.
  auto funds = LoadTownFunds(s, place.town, pr.year, p.view.id);
  if (!funds.ok()) return funds.status();
  f.available_town_funds = funds->available();

  // 第二十五条
  auto items = p.Group("indicators").find("items");
  f.indicators_present =
      items != p.Group("indicators").end() && items->is_array() && !items->empty();

  // 第二十一、二十四条: method, and the award notice naming the provider.
  const Json& proc = p.Group("procurement");
  f.procurement_method_lawful = CheckProcurementMethod(JStr(proc, "method")).ok();
  f.award_notice_published = !JStr(proc, "award_notice_ref").empty() &&
                             DateOnOrBefore(proc, "award_notice_on", in.today) &&
                             !p.provider_org.empty();

  // 第二十六、二十七条 (placeholder group until the evaluation module).
  const Json& ev2 = p.Group("evaluation");
  f.satisfaction_survey_done = JBool(ev2, "survey_done");
  f.two_committee_opinion = JBool(ev2, "two_committee_opinion");
  f.resident_rep_opinion = JBool(ev2, "resident_rep_opinion");
  f.evaluation_recorded = JBool(ev2, "recorded");
  f.evaluation_passed = f.evaluation_recorded && JBool(ev2, "passed");
  f.result_notice_published = DateOnOrBefore(ev2, "result_notice_on", in.today);
  f.contract_years_evaluated = static_cast<int>(JInt(ev2, "years_evaluated"));
  f.next_year_budget_confirmed = JBool(ev2, "next_year_budget_confirmed");

  // 第二十二、二十三条: contract, plan, signatures, payments.
  if (const sync::GroupView* g = p.view.Find("contract")) {
    auto cv = ContractFromJson(g->value);
    if (!cv.ok()) return cv.status();
    f.contract = cv->contract;
    f.payment_plan = cv->plan;
    f.town_signed = cv->town_signed_on.has_value();
    f.so_signed = cv->so_signed_on.has_value();
    f.service_period_ended =
        CurrentContractYearEnd(cv->contract, f.contract_years_evaluated) < in.today;
  }
  auto paid = LoadPayments(s, p.view.id);
  if (!paid.ok()) return paid.status();
  std::vector<Payment> payments;
  for (const auto& pv : *paid) {
    f.final_payment_done = f.final_payment_done || pv.payment.kind == PaymentKind::kFinal;
    payments.push_back(pv.payment);
  }
  if (f.contract && !f.payment_plan.empty())
    warnings->Merge(
        CheckOverdue(f.payment_plan, payments, in.today, f.evaluation_passed, in.policy.params));
  return f;
}

Json ProjectJson(const Project& p, bool full) {
  const ProposalValue& pr = p.proposal;
  Json j = {{"id", p.view.id},
            {"title", pr.title},
            {"origin", OriginCode(pr.origin)},
            {"state", StateCode(p.state)},
            {"year", pr.year},
            {"category", pr.category},
            {"sub_item", pr.sub_item},
            {"place",
             {{"district", p.view.place.district},
              {"town", p.view.place.town},
              {"community", p.view.place.community}}}};
  if (const sync::GroupView* g = p.view.Find("funding"))
    j["budget_fen"] = JInt(g->value, "budget_fen");
  if (!pr.designer_org.empty()) j["designer_org"] = pr.designer_org;
  if (!p.provider_org.empty()) j["provider_org"] = p.provider_org;
  if (!full) return j;
  j["groups"] = Json::object();
  j["versions"] = Json::object();
  for (const auto& [name, g] : p.view.groups) {
    if (name == kDeletedGroup) continue;
    j["groups"][name] = g.value;
    j["versions"][name] = g.version;
  }
  return j;
}

Result<std::optional<FinalPayment>> FinalPayable(const ContractValue& cv, const Json& ev,
                                                 const PolicyParams& params) {
  if (!cv.deduction || !JBool(ev, "recorded")) return std::optional<FinalPayment>();
  Fen installment = 0;
  for (const PlannedPayment& pp : cv.plan)
    if (pp.kind == PaymentKind::kFinal) installment += pp.amount;
  const int64_t score = JInt(ev, "score_tenths");
  ScoreResult sr{score, GradeFor(score, GradeThresholdsOf(params))};
  auto fp = ComputeFinalPayment(installment, *cv.deduction, sr);
  if (!fp.ok()) return fp.status();
  return std::optional<FinalPayment>(*fp);
}

std::vector<PlannedPayment> PlanAfterDeduction(std::vector<PlannedPayment> plan,
                                               const FinalPayment& fp) {
  Fen left = fp.deduction;
  for (auto it = plan.rbegin(); it != plan.rend() && left > 0; ++it)
    if (it->kind == PaymentKind::kFinal) {
      Fen cut = std::min(left, it->amount);
      it->amount -= cut;
      left -= cut;
    }
  return plan;
}

}  // namespace shefu::server
