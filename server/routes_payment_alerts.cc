// GET /v1/payment-alerts?town=&year= (第二十三条 "杜绝久拖不付、突击支付"; docs/api.md): the
// payment alerts of every contracted project the caller can see, in one list for the town's
// finance desk — installments overdue (CheckOverdue, today) and December lump payments already
// made (the year_end_lump_payment warning CheckPayment gave when each payment was checked,
// replayed over the recorded payments in order). The rules are contract.h's; this route only
// gathers their inputs across projects, like GET /v1/projects/{id}/payments does for one.
#include "server/projects.h"
#include "server/routes.h"
#include "server/staff_access.h"
#include "server/staff_writes.h"
#include "server/sync_service.h"

namespace shefu::server {
namespace {

Json AlertJson(const Project& p, const Finding& f) {
  return {{"project", p.view.id},        {"title", p.proposal.title},
          {"town", p.view.place.town},   {"community", p.view.place.community},
          {"state", StateCode(p.state)}, {"code", f.code},
          {"message_zh", f.text.zh},     {"message_en", f.text.en},
          {"article", f.article}};
}

}  // namespace

void RegisterPaymentAlertRoute(HttpService& http, ServerApp& app, SyncService& sync) {
  http.Route("GET", "/v1/payment-alerts", Auth::kRequired,
             [&app, &sync](ApiRequest& req) -> Result<ApiReply> {
               const Caller& c = *req.caller;
               SHEFU_RETURN_IF_ERROR(
                   RequireRole(c, {Role::kCityAdmin, Role::kDistrictAdmin, Role::kTownStaff}));
               SHEFU_RETURN_IF_ERROR(RequireStaffSession(c));
               const std::string town = QueryParam(req, "town");
               const Date today = TodayShanghai(app);
               auto policy = PolicyFor(today);
               if (!policy.ok()) return policy.status();
               auto r = sync.Reader();
               if (!r.ok()) return r.status();
               sync::SyncServer::RecordQuery q;
               q.entity = "project";
               q.scope = c.user.scope;
               auto all = ListAll(**r, q);
               if (!all.ok()) return all.status();
               Json alerts = Json::array();
               for (auto& v : *all) {
                 if (!town.empty() && v.place.town != town) continue;
                 auto p = ProjectFromView(std::move(v));
                 if (!p.ok()) return p.status();
                 const sync::GroupView* g = p->view.Find("contract");
                 if (!g) continue;
                 auto cv = ContractFromJson(g->value);
                 if (!cv.ok()) return cv.status();
                 auto paid = LoadPayments(**r, p->view.id);
                 if (!paid.ok()) return paid.status();
                 const Json& ev = p->Group("evaluation");
                 PaymentFacts facts;
                 facts.evaluation_recorded = JBool(ev, "recorded");
                 facts.evaluation_passed = facts.evaluation_recorded && JBool(ev, "passed");
                 std::vector<Payment> earlier;
                 for (const auto& pv : *paid) {
                   auto at = PolicyFor(pv.payment.paid_on);
                   if (!at.ok()) return at.status();
                   Findings f =
                       CheckPayment(cv->contract, earlier, pv.payment, facts, at->version.params);
                   for (const Finding& w : f.Warnings())
                     if (w.code == "year_end_lump_payment") {
                       Json a = AlertJson(*p, w);
                       a["paid_on"] = FormatDate(pv.payment.paid_on);
                       a["amount_fen"] = pv.payment.amount;
                       alerts.push_back(std::move(a));
                     }
                   earlier.push_back(pv.payment);
                 }
                 auto fp = FinalPayable(*cv, ev, policy->version.params);
                 if (!fp.ok()) return fp.status();
                 if (fp->has_value()) cv->plan = PlanAfterDeduction(cv->plan, **fp);
                 Findings overdue = CheckOverdue(cv->plan, earlier, today, facts.evaluation_passed,
                                                 policy->version.params);
                 for (const Finding& w : overdue.Warnings()) alerts.push_back(AlertJson(*p, w));
               }
               ApiReply out;
               out.body = {{"alerts", std::move(alerts)}, {"today", FormatDate(today)}};
               return out;
             });
}

}  // namespace shefu::server
