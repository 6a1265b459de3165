// The town's steps inside states (docs/api.md): PUT /v1/projects/{id}/procurement,
// PUT /v1/projects/{id}/contract, POST /v1/projects/{id}/contract/sign,
// POST|GET /v1/projects/{id}/payments (PUT /v1/projects/{id}/evaluation: routes_evaluation.cc).
//
// The rules are contract.h's and lifecycle.h's: CheckContract and CheckPaymentPlan (第二十二、
// 二十三条) before a contract is stored, CheckPaymentAllowed and CheckPayment (第二十三、二十七条)
// before a payment is, CheckOverdue when payments are listed. Payments are append-only records
// of the sync engine; everything else is a server-only group of the project.
#include "server/projects.h"
#include "server/routes.h"
#include "server/staff_access.h"
#include "server/staff_writes.h"
#include "server/sync_service.h"
#include "shared/civil_time.h"
#include "shared/evaluation.h"
#include "shared/ratio.h"

namespace shefu::server {
namespace {

Status StateIn(const Project& p, std::initializer_list<ProjectState> states, const Text& what) {
  for (ProjectState s : states)
    if (p.state == s) return Status::Ok();
  return Status::Error("not_editable",
                       "项目处于“" + StateName(p.state).zh + "”状态，不能" + what.zh,
                       "cannot " + what.en + " while the project is " + StateName(p.state).en);
}

Status NotInFuture(const Date& d, const Date& today, std::string_view field) {
  if (d <= today) return Status::Ok();
  return Status::Error(
      "date_in_future", std::string(field) + " 不能晚于今天（" + FormatDate(today) + "）",
      std::string(field) + " cannot be later than today (" + FormatDate(today) + ")");
}

Result<ContractValue> ProjectContract(const Project& p) {
  const sync::GroupView* g = p.view.Find("contract");
  if (!g)
    return Status::Error("contract_missing", "项目还没有合同记录",
                         "the project has no contract yet", "第二十二条");
  return ContractFromJson(g->value);
}

struct Written {
  Project project;
  std::string record_id;
  Findings warnings;
};

ApiReply ProjectReply(const Written& w, const PolicyResolution* policy) {
  ApiReply out;
  out.body = {{"project", ProjectJson(w.project, true)}, {"warnings", WarningsJson(w.warnings)}};
  if (policy) out.body["policy"] = PolicyJson(*policy);
  return out;
}

Json PaymentsJson(const std::vector<sync::RecordView>& recs) {
  Json list = Json::array();
  for (const auto& r : recs) {
    const sync::GroupView* g = r.Find(kRecordGroup);
    if (!g) continue;
    Json j = g->value;
    j["id"] = r.id;
    j["amount_yuan"] = FormatYuan(JInt(g->value, "amount_fen"));
    list.push_back(std::move(j));
  }
  return list;
}

}  // namespace

void RegisterContractRoutes(HttpService& http, ServerApp& app, SyncService& sync) {
  // 第二十一、二十四条: the method, then the award notice naming the provider.
  http.Route("PUT", std::string(kProjectPath) + "/procurement", Auth::kRequired,
             [&app, &sync](ApiRequest& req) -> Result<ApiReply> {
               const Caller& c = *req.caller;
               SHEFU_RETURN_IF_ERROR(RequireTownSession(c));
               SHEFU_RETURN_IF_ERROR(CheckKeys(
                   req.body, "method,award_notice_ref,award_notice_on,provider_org,provider_name"));
               const Date today = TodayShanghai(app);
               if (auto m = OptString(req.body, "method", 32); !m.ok())
                 return m.status();
               else if (m->has_value())
                 SHEFU_RETURN_IF_ERROR(CheckProcurementMethod(**m));
               auto on = OptDate(req.body, "award_notice_on");
               if (!on.ok()) return on.status();
               if (*on) SHEFU_RETURN_IF_ERROR(NotInFuture(**on, today, "award_notice_on"));
               const std::string id = req.path_params.at(0);
               auto w = sync.WithWriter([&](sync::SyncServer& s) -> Result<Written> {
                 auto p = LoadProject(s, id);
                 if (!p.ok()) return p.status();
                 SHEFU_RETURN_IF_ERROR(RequireProjectInScope(c, *p));
                 SHEFU_RETURN_IF_ERROR(StateIn(*p,
                                               {ProjectState::kApproved, ProjectState::kProcurement,
                                                ProjectState::kProcurementFailed},
                                               {"记录采购", "record the procurement"}));
                 auto lw = s.LocalWrite(PrincipalOf(c),
                                        {{"project", id, "procurement", req.body, std::nullopt}});
                 if (!lw.ok()) return lw.status();
                 auto np = LoadProject(s, id);
                 if (!np.ok()) return np.status();
                 return Written{std::move(*np), id, {}};
               });
               if (!w.ok()) return w.status();
               SHEFU_RETURN_IF_ERROR(AuditStaffWrite(app, req, "project.procurement", "project", id,
                                                     {{"method", JStr(req.body, "method")},
                                                      {"provider_org", w->project.provider_org}}));
               return ProjectReply(*w, nullptr);
             });

  // 第二十二、二十三条: the contract and its payment plan, before anyone signs.
  http.Route("PUT", std::string(kProjectPath) + "/contract", Auth::kRequired,
             [&app, &sync](ApiRequest& req) -> Result<ApiReply> {
               const Caller& c = *req.caller;
               SHEFU_RETURN_IF_ERROR(RequireTownSession(c));
               if (req.body.contains("town_signed_on") || req.body.contains("so_signed_on"))
                 return FieldError("town_signed_on", "签字请用 POST …/contract/sign 记录",
                                   "signatures are recorded with POST .../contract/sign");
               auto cv = ContractFromJson(req.body);
               if (!cv.ok()) return cv.status();
               const Date today = TodayShanghai(app);
               auto policy = PolicyFor(today);
               if (!policy.ok()) return policy.status();
               const PolicyParams& params = policy->version.params;
               SHEFU_RETURN_IF_ERROR(CheckContract(cv->contract, params));
               Findings plan = CheckPaymentPlan(cv->contract, cv->plan, params);
               if (!plan.ok()) return plan.FirstError();
               const std::string id = req.path_params.at(0);
               auto w = sync.WithWriter([&](sync::SyncServer& s) -> Result<Written> {
                 auto p = LoadProject(s, id);
                 if (!p.ok()) return p.status();
                 SHEFU_RETURN_IF_ERROR(RequireProjectInScope(c, *p));
                 SHEFU_RETURN_IF_ERROR(
                     StateIn(*p, {ProjectState::kAwarded}, {"修改合同", "change the contract"}));
                 // A changed text needs new signatures: both are cleared.
                 auto lw =
                     s.LocalWrite(PrincipalOf(c),
                                  {{"project", id, "contract", ContractToJson(*cv), std::nullopt}});
                 if (!lw.ok()) return lw.status();
                 auto np = LoadProject(s, id);
                 if (!np.ok()) return np.status();
                 return Written{std::move(*np), id, plan};
               });
               if (!w.ok()) return w.status();
               SHEFU_RETURN_IF_ERROR(AuditStaffWrite(
                   app, req, "project.contract", "project", id,
                   {{"amount_fen", cv->contract.amount}, {"installments", cv->plan.size()}}));
               return ProjectReply(*w, &*policy);
             });

  // 第二十二条 "购买主体与提供服务的社会组织签订": each party records its own signature.
  http.Route("POST", std::string(kProjectPath) + "/contract/sign", Auth::kRequired,
             [&app, &sync](ApiRequest& req) -> Result<ApiReply> {
               const Caller& c = *req.caller;
               SHEFU_RETURN_IF_ERROR(RequireRole(c, {Role::kTownStaff, Role::kSocialOrgMember}));
               SHEFU_RETURN_IF_ERROR(RequireStaffSession(c));
               SHEFU_RETURN_IF_ERROR(CheckKeys(req.body, "signed_on"));
               auto on = OptDate(req.body, "signed_on");
               if (!on.ok()) return on.status();
               if (!*on) return FieldError("signed_on", "缺失", "is missing");
               SHEFU_RETURN_IF_ERROR(NotInFuture(**on, TodayShanghai(app), "signed_on"));
               const std::string id = req.path_params.at(0);
               const bool town = c.user.role == Role::kTownStaff;
               auto w = sync.WithWriter([&](sync::SyncServer& s) -> Result<Written> {
                 auto p = LoadProject(s, id);
                 if (!p.ok()) return p.status();
                 SHEFU_RETURN_IF_ERROR(RequireProjectInScope(c, *p));
                 if (!town && c.user.scope.org != p->provider_org)
                   return Forbidden({"只有承接项目的社会组织可以签订合同",
                                     "only the awarded organisation signs the contract"});
                 SHEFU_RETURN_IF_ERROR(
                     StateIn(*p, {ProjectState::kAwarded}, {"签订合同", "sign the contract"}));
                 auto cv = ProjectContract(*p);
                 if (!cv.ok()) return cv.status();
                 (town ? cv->town_signed_on : cv->so_signed_on) = **on;
                 auto lw =
                     s.LocalWrite(PrincipalOf(c),
                                  {{"project", id, "contract", ContractToJson(*cv), std::nullopt}});
                 if (!lw.ok()) return lw.status();
                 auto np = LoadProject(s, id);
                 if (!np.ok()) return np.status();
                 return Written{std::move(*np), id, {}};
               });
               if (!w.ok()) return w.status();
               SHEFU_RETURN_IF_ERROR(AuditStaffWrite(app, req, "project.contract_sign", "project",
                                                     id, {{"side", town ? "town" : "social_org"}}));
               return ProjectReply(*w, nullptr);
             });

  // 第二十三、二十七条: one payment, refused with the article when a rule says no.
  http.Route(
      "POST", std::string(kProjectPath) + "/payments", Auth::kRequired,
      [&app, &sync](ApiRequest& req) -> Result<ApiReply> {
        const Caller& c = *req.caller;
        SHEFU_RETURN_IF_ERROR(RequireTownSession(c));
        SHEFU_RETURN_IF_ERROR(CheckKeys(req.body, "kind,amount_fen,paid_on,milestone"));
        const std::string id = req.path_params.at(0);
        Json value = req.body;
        value["project"] = id;
        value["place"] = "0";  // replaced by the project's place below
        auto pv = PaymentFromJson(value);
        if (!pv.ok()) return pv.status();
        const Date today = TodayShanghai(app);
        SHEFU_RETURN_IF_ERROR(NotInFuture(pv->payment.paid_on, today, "paid_on"));
        auto policy = PolicyFor(today);
        if (!policy.ok()) return policy.status();
        auto w = sync.WithWriter([&](sync::SyncServer& s) -> Result<Written> {
          auto p = LoadProject(s, id);
          if (!p.ok()) return p.status();
          SHEFU_RETURN_IF_ERROR(RequireProjectInScope(c, *p));
          SHEFU_RETURN_IF_ERROR(CheckPaymentAllowed(p->state, pv->payment.kind, c.user.role));
          auto cv = ProjectContract(*p);
          if (!cv.ok()) return cv.status();
          auto earlier = LoadPayments(s, id);
          if (!earlier.ok()) return earlier.status();
          std::vector<Payment> paid;
          for (const auto& e : *earlier) paid.push_back(e.payment);
          const Json& ev = p->Group("evaluation");
          PaymentFacts facts;
          facts.evaluation_recorded = JBool(ev, "recorded");
          facts.evaluation_passed = facts.evaluation_recorded && JBool(ev, "passed");
          Findings f = CheckPayment(cv->contract, paid, pv->payment, facts, policy->version.params);
          if (!f.ok()) return f.FirstError();
          // 第二十七条: the final installment reduced by the contract's deduction rule.
          if (pv->payment.kind == PaymentKind::kFinal) {
            auto fp = FinalPayable(*cv, ev, policy->version.params);
            if (!fp.ok()) return fp.status();
            Fen finals = pv->payment.amount;
            for (const Payment& e : paid)
              if (e.kind == PaymentKind::kFinal) finals += e.amount;
            if (fp->has_value() && finals > (*fp)->payable)
              return Status::Error(
                  "final_payment_over_deduction",
                  "按合同扣减规则，评价得分 " + FormatTenths(JInt(ev, "score_tenths")) +
                      " 分时尾款应扣 " + FormatYuan((*fp)->deduction) + " 元，最多支付 " +
                      FormatYuan((*fp)->payable) + " 元",
                  "under the contract's deduction rule the final installment is reduced by " +
                      FormatYuan((*fp)->deduction) + " yuan at a score of " +
                      FormatTenths(JInt(ev, "score_tenths")) + "; at most " +
                      FormatYuan((*fp)->payable) + " yuan may be paid",
                  "第二十七条");
          }
          pv->place =
              p->view.place.community.empty() ? p->view.place.town : p->view.place.community;
          auto rid = s.CreateRecord(PrincipalOf(c), "payment",
                                    {{std::string(kRecordGroup), PaymentToJson(*pv)}});
          if (!rid.ok()) return rid.status();
          return Written{std::move(*p), *rid, f};
        });
        if (!w.ok()) return w.status();
        SHEFU_RETURN_IF_ERROR(AuditStaffWrite(app, req, "payment.create", "payment", w->record_id,
                                              {{"project", id},
                                               {"kind", PaymentKindCode(pv->payment.kind)},
                                               {"amount_fen", pv->payment.amount}}));
        ApiReply out;
        out.status = 201;
        Json pj = PaymentToJson(*pv);
        pj["id"] = w->record_id;
        pj["amount_yuan"] = FormatYuan(pv->payment.amount);
        out.body = {{"payment", std::move(pj)},
                    {"warnings", WarningsJson(w->warnings)},
                    {"policy", PolicyJson(*policy)}};
        return out;
      });

  http.Route("GET", std::string(kProjectPath) + "/payments", Auth::kRequired,
             [&app, &sync](ApiRequest& req) -> Result<ApiReply> {
               const Caller& c = *req.caller;
               SHEFU_RETURN_IF_ERROR(
                   RequireRole(c, {Role::kCityAdmin, Role::kDistrictAdmin, Role::kTownStaff,
                                   Role::kCommunityWorker, Role::kSocialOrgMember}));
               SHEFU_RETURN_IF_ERROR(RequireStaffSession(c));
               const std::string id = req.path_params.at(0);
               auto r = sync.Reader();
               if (!r.ok()) return r.status();
               auto p = LoadProject(**r, id);
               if (!p.ok()) return p.status();
               if (!ProjectVisibleTo(c, *p))
                 return Status::Error("not_found", "项目不存在", "no such project");
               auto recs = (*r)->CountedRecords("payment", "project", id);
               if (!recs.ok()) return recs.status();
               auto paid = LoadPayments(**r, id);
               if (!paid.ok()) return paid.status();
               Fen total = 0;
               std::vector<Payment> payments;
               for (const auto& pv : *paid) {
                 total += pv.payment.amount;
                 payments.push_back(pv.payment);
               }
               const Date today = TodayShanghai(app);
               auto policy = PolicyFor(today);
               if (!policy.ok()) return policy.status();
               Findings warnings;
               ApiReply out;
               out.body = {{"payments", PaymentsJson(*recs)}, {"paid_fen", total}};
               if (const sync::GroupView* g = p->view.Find("contract")) {
                 auto cv = ContractFromJson(g->value);
                 if (!cv.ok()) return cv.status();
                 out.body["contract_amount_fen"] = cv->contract.amount;
                 const Json& ev = p->Group("evaluation");
                 // The final installment after the deduction rule, once the score is known;
                 // what was deducted is not overdue.
                 auto fp = FinalPayable(*cv, ev, policy->version.params);
                 if (!fp.ok()) return fp.status();
                 if (fp->has_value()) {
                   out.body["final_installment_fen"] = (*fp)->installment;
                   out.body["final_deduction_fen"] = (*fp)->deduction;
                   out.body["final_payable_fen"] = (*fp)->payable;
                   cv->plan = PlanAfterDeduction(cv->plan, **fp);
                 }
                 warnings = CheckOverdue(cv->plan, payments, today,
                                         JBool(ev, "recorded") && JBool(ev, "passed"),
                                         policy->version.params);
               }
               out.body["warnings"] = WarningsJson(warnings);
               return out;
             });
  // PUT /v1/projects/{id}/evaluation: routes_evaluation.cc (issue 7).
}

}  // namespace shefu::server
