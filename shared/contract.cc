#include "shared/contract.h"

#include <algorithm>

namespace shefu {

namespace {

std::string Yuan(Fen f) {
  return FormatYuan(f);
}
std::string Num(int64_t n) {
  return std::to_string(n);
}

// The amount the advance cap applies to, and which payments count against it.
struct AdvanceScope {
  Fen base = 0;
  int year_index = -1;  // -1: the whole contract
};

AdvanceScope ScopeFor(const Contract& c, const Date& d, const PolicyParams& p) {
  if (p.advance_base == AdvanceBase::kContractTotal || ContractYears(c) == 1) return {c.amount, -1};
  int k = ContractYearIndex(c, d);
  return {ContractYearAmount(c, k), k};
}

// Share of the contract period elapsed on `d`, in permille, day-exact (the end day included).
int ElapsedPermille(const Contract& c, const Date& d) {
  int64_t total = DaysBetween(c.start, c.end) + 1;
  int64_t done = DaysBetween(c.start, d) + 1;
  if (done <= 0 || total <= 0) return 0;
  if (done >= total) return 1000;
  return static_cast<int>(done * 1000 / total);
}

void CheckOne(const Contract& c, const std::vector<Payment>& earlier, const Payment& next,
              const PaymentFacts& facts, const PolicyParams& p, bool planning, Findings* f) {
  Text kind = PaymentKindName(next.kind);
  if (next.amount <= 0 || next.amount > kMaxFen) {
    f->Error("payment_amount_invalid", {"付款金额须大于0", "a payment must be above 0"});
    return;
  }
  // A plan may be drawn up before signing; actual money never moves before it (第二十三条:
  // "合同签订后").
  if (!planning || c.signed_on) {
    if (!c.signed_on || next.paid_on < *c.signed_on) {
      std::string when = c.signed_on ? FormatDate(*c.signed_on) : std::string("—");
      bool adv = next.kind == PaymentKind::kAdvance;
      f->Error(adv ? "advance_before_signing" : "payment_before_signing",
               {kind.zh + "须在合同签订后支付（付款日 " + FormatDate(next.paid_on) + "，签订日 " +
                    when + "）",
                "a " + kind.en + " may only be paid after the contract is signed (paid on " +
                    FormatDate(next.paid_on) + ", signed on " + when + ")"},
               "第二十三条");
    }
  }
  if (next.kind == PaymentKind::kAdvance) {
    AdvanceScope scope = ScopeFor(c, next.paid_on, p);
    Fen advanced = 0;
    for (const auto& e : earlier)
      if (e.kind == PaymentKind::kAdvance &&
          (scope.year_index < 0 || ContractYearIndex(c, e.paid_on) == scope.year_index))
        advanced += e.amount;
    Fen after = advanced + next.amount;
    if (!AtMostPercent(after, scope.base, p.advance_cap_pct)) {
      std::string pct = Num(p.advance_cap_pct) + "%";
      std::string base_zh = scope.year_index < 0 ? "合同金额 " + Yuan(scope.base) + " 元"
                                                 : "第" + Num(scope.year_index + 1) +
                                                       "合同年度金额 " + Yuan(scope.base) + " 元";
      std::string base_en = scope.year_index < 0 ? "the contract amount of " + Yuan(scope.base)
                                                 : "contract year " + Num(scope.year_index + 1) +
                                                       "'s amount of " + Yuan(scope.base);
      f->Error("advance_over_cap",
               {"预付款累计 " + Yuan(after) + " 元，超过" + base_zh + "的" + pct + "（上限 " +
                    Yuan(MulDivFloor(scope.base, p.advance_cap_pct, 100)) + " 元）",
                "advances would total " + Yuan(after) + " yuan, above " + pct + " of " + base_en +
                    " yuan (cap " + Yuan(MulDivFloor(scope.base, p.advance_cap_pct, 100)) + ")"},
               "第二十三条");
    }
  }
  if (next.kind == PaymentKind::kProgress && next.milestone.empty())
    f->Error("progress_needs_milestone",
             {"进度款须对应一个项目进度节点（序时支付）",
              "a progress payment must name the milestone it pays for"},
             "第二十三条");
  if (next.kind == PaymentKind::kFinal && !(facts.evaluation_recorded && facts.evaluation_passed))
    f->Error("final_before_evaluation",
             facts.evaluation_recorded
                 ? Text{"绩效评价未通过，不能支付尾款",
                        "the evaluation did not pass, so the final "
                        "payment cannot be made"}
                 : Text{"履约验收和绩效评价完成并通过后才能支付尾款",
                        "the final payment waits until the evaluation is recorded and passed"},
             "第二十七条");
  Fen paid = 0;
  for (const auto& e : earlier) paid += e.amount;
  Fen total = paid + next.amount;
  if (total > c.amount)
    f->Error("payment_over_contract",
             {"累计支付 " + Yuan(total) + " 元将超过合同金额 " + Yuan(c.amount) + " 元",
              "payments would total " + Yuan(total) + " yuan, above the contract amount of " +
                  Yuan(c.amount) + " yuan"},
             "第二十三条");
  // 突击支付: money pushed out in December ahead of the work, to spend the year's budget.
  if (next.kind == PaymentKind::kProgress && next.paid_on.month == 12 && c.amount > 0) {
    int progress = facts.progress_permille ? std::clamp(*facts.progress_permille, 0, 1000)
                                           : ElapsedPermille(c, next.paid_on);
    int64_t allowed = progress + 10LL * p.year_end_lead_tolerance_pct;
    if (static_cast<__int128>(total) * 1000 > static_cast<__int128>(c.amount) * allowed) {
      int64_t paid_permille = static_cast<int64_t>(static_cast<__int128>(total) * 1000 / c.amount);
      std::string paid_pct = Num(paid_permille / 10) + "." + Num(paid_permille % 10) + "%";
      std::string prog_pct = Num(progress / 10) + "." + Num(progress % 10) + "%";
      f->Warn(
          "year_end_lump_payment",
          {"年底集中支付：支付后累计 " + paid_pct + "，项目进度仅 " + prog_pct + "（杜绝突击支付）",
           "year-end lump payment: cumulative payments would reach " + paid_pct +
               " while progress is " + prog_pct + " (突击支付)"},
          "第二十三条");
    }
  }
}

}  // namespace

int ContractTermMonths(const Contract& c) {
  return TermMonths(c.start, c.end);
}

int ContractYears(const Contract& c) {
  int m = ContractTermMonths(c);
  return m <= 12 ? 1 : (m + 11) / 12;
}

int ContractYearIndex(const Contract& c, const Date& d) {
  int years = ContractYears(c);
  int k = 0;
  while (k + 1 < years && AddMonths(c.start, 12 * (k + 1)) <= d) ++k;
  return k;
}

Fen ContractYearAmount(const Contract& c, int k) {
  int years = ContractYears(c);
  if (k < 0) k = 0;
  if (k >= years) k = years - 1;
  if (static_cast<int>(c.year_amounts.size()) == years) return c.year_amounts[k];
  int term = ContractTermMonths(c);
  if (years == 1 || term <= 0) return c.amount;
  int months = std::min(12, term - 12 * k);
  return MulDivFloor(c.amount, months, term);
}

Status CheckContract(const Contract& c, const PolicyParams& p) {
  if (c.amount <= 0 || c.amount > kMaxFen)
    return Status::Error("contract_amount_invalid", "合同金额须大于0",
                         "the contract amount must be above 0");
  if (!IsValidDate(c.start) || !IsValidDate(c.end) || c.end < c.start)
    return Status::Error("contract_dates_invalid", "合同起止日期无效（结束早于开始）",
                         "the contract dates are invalid (ends before it starts)");
  int term = ContractTermMonths(c);
  if (term > p.max_contract_months)
    return Status::Error(
        "contract_term_too_long",
        "合同履行期限 " + Num(term) + " 个月，超过最长 " + Num(p.max_contract_months) + " 个月",
        "the contract runs " + Num(term) + " months, above the maximum of " +
            Num(p.max_contract_months),
        "第二十二条");
  if (term > p.justification_over_months && !c.justification.all()) {
    const StabilityJustification& j = c.justification;
    std::string zh, en;
    auto add = [&](bool ok, const char* z, const char* e) {
      if (ok) return;
      zh += (zh.empty() ? "" : "、") + std::string(z);
      en += (en.empty() ? "" : ", ") + std::string(e);
    };
    add(j.content_fixed, "购买内容相对固定", "content fixed");
    add(j.highly_continuous, "连续性强", "highly continuous");
    add(j.stable_funding, "经费来源稳定", "stable funding");
    add(j.small_price_change, "价格变化小", "small price change");
    add(j.budget_guaranteed, "预算有保障", "budget guaranteed");
    return Status::Error("contract_justification_missing",
                         "合同期限 " + Num(term) + " 个月超过 " + Num(p.justification_over_months) +
                             " 个月，缺少条件：" + zh,
                         "a " + Num(term) + "-month contract (over " +
                             Num(p.justification_over_months) + ") lacks: " + en,
                         "第二十二条");
  }
  if (!c.year_amounts.empty()) {
    int years = ContractYears(c);
    Fen sum = 0;
    bool positive = true;
    for (Fen a : c.year_amounts) {
      positive = positive && a > 0 && a <= kMaxFen;
      if (positive) sum += a;
    }
    if (static_cast<int>(c.year_amounts.size()) != years || !positive || sum != c.amount)
      return Status::Error(
          "contract_year_amounts_invalid",
          "各合同年度金额须为 " + Num(years) + " 项且合计等于合同金额 " + Yuan(c.amount) + " 元",
          "the yearly amounts must be " + Num(years) +
              " positive amounts summing to the contract amount of " + Yuan(c.amount) + " yuan",
          "第二十三条");
  }
  return Status::Ok();
}

const char* PaymentKindCode(PaymentKind k) {
  switch (k) {
    case PaymentKind::kAdvance:
      return "advance";
    case PaymentKind::kProgress:
      return "progress";
    case PaymentKind::kFinal:
      return "final";
  }
  return "progress";
}

Text PaymentKindName(PaymentKind k) {
  switch (k) {
    case PaymentKind::kAdvance:
      return {"预付款", "advance payment"};
    case PaymentKind::kProgress:
      return {"进度款", "progress payment"};
    case PaymentKind::kFinal:
      return {"尾款", "final payment"};
  }
  return {"进度款", "progress payment"};
}

Findings CheckPayment(const Contract& c, const std::vector<Payment>& earlier, const Payment& next,
                      const PaymentFacts& facts, const PolicyParams& params) {
  Findings f;
  CheckOne(c, earlier, next, facts, params, /*planning=*/false, &f);
  return f;
}

Findings CheckPaymentPlan(const Contract& c, const std::vector<PlannedPayment>& plan,
                          const PolicyParams& params) {
  Findings f;
  if (plan.size() > kMaxPaymentPlanItems) {
    f.Error("payment_plan_too_long",
            {"付款计划过长（最多120期）", "the payment plan is too long (max 120 installments)"});
    return f;
  }
  std::vector<PlannedPayment> sorted = plan;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.due_on < b.due_on; });
  PaymentFacts assumed;  // a plan's final installment presumes a passed evaluation
  assumed.evaluation_recorded = assumed.evaluation_passed = true;
  std::vector<Payment> before;
  Fen sum = 0;
  for (const auto& item : sorted) {
    Payment p{item.kind, item.amount, item.due_on, item.milestone};
    CheckOne(c, before, p, assumed, params, /*planning=*/true, &f);
    if (item.kind == PaymentKind::kFinal && item.due_on <= c.end)
      f.Warn("final_due_before_service_end",
             {"尾款计划在服务期结束（" + FormatDate(c.end) + "）前支付，但尾款须待验收评价",
              "the final installment is due before the service ends (" + FormatDate(c.end) +
                  "), but it waits for the evaluation"},
             "第二十七条");
    if (item.amount > 0 && item.amount <= kMaxFen) sum += item.amount;
    before.push_back(p);
  }
  if (sum != c.amount)
    f.Error("payment_plan_sum_mismatch",
            {"付款计划合计 " + Yuan(sum) + " 元，不等于合同金额 " + Yuan(c.amount) + " 元",
             "the payment plan totals " + Yuan(sum) + " yuan, not the contract amount of " +
                 Yuan(c.amount) + " yuan"},
            "第二十三条");
  return f;
}

Findings CheckOverdue(const std::vector<PlannedPayment>& plan, const std::vector<Payment>& paid,
                      const Date& today, bool evaluation_passed, const PolicyParams& params) {
  Findings f;
  std::vector<PlannedPayment> due;
  for (const auto& item : plan) {
    if (item.kind == PaymentKind::kFinal && !evaluation_passed) continue;
    if (DaysBetween(item.due_on, today) > params.payment_overdue_days) due.push_back(item);
  }
  std::stable_sort(due.begin(), due.end(),
                   [](const auto& a, const auto& b) { return a.due_on < b.due_on; });
  Fen paid_total = 0;
  for (const auto& p : paid) paid_total += p.amount;
  Fen cumulative = 0;
  for (const auto& item : due) {
    cumulative += item.amount;
    if (cumulative <= paid_total) continue;
    // The oldest installment not covered by what was paid; everything due after it adds up.
    Fen due_total = 0;
    for (const auto& d : due) due_total += d.amount;
    Fen outstanding = due_total - paid_total;
    int64_t days = DaysBetween(item.due_on, today);
    f.Warn("payment_overdue",
           {"逾期未付 " + Yuan(outstanding) + " 元，最早一期应于 " + FormatDate(item.due_on) +
                " 支付，已逾 " + Num(days) + " 天（杜绝久拖不付）",
            Yuan(outstanding) + " yuan is overdue; the oldest unpaid installment was due on " +
                FormatDate(item.due_on) + ", " + Num(days) + " days ago (久拖不付)"},
           "第二十三条");
    break;
  }
  return f;
}

}  // namespace shefu
