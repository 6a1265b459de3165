// The purchase contract and its payments (第二十二、二十三、二十七条).
//
// 第二十二条: a contract for a stable service — content fixed, highly continuous, stable funding,
//   small price changes — "可适当延长履行期限，最长可以设定为3年". Terms are whole months counted
//   by TermMonths (civil_time.h); the maximum and the "normally one year" line are policy
//   params (max_contract_months 36, justification_over_months 12). Above 12 months all four
//   stability conditions are required, plus a guaranteed budget (财政部令第102号 第二十三条).
// 第二十三条: "合同签订后可先行支付不超过40%的项目资金，再结合项目进度合理序时支付。杜绝久拖不付、
//   突击支付。" So: no payment before signing; cumulative advances at most advance_cap_pct of the
//   base, exactly (AtMostPercent, integer arithmetic); progress payments are tied to a
//   milestone; overdue installments and December lump payments raise warnings.
//   The base of the 40 % for a multi-year contract is the policy param advance_base: the
//   current contract year's amount (default, OI-4: budgets are annual) or the whole contract.
// 第二十七条: evaluation results are "与支付合同资金挂钩": the final payment waits until the
//   evaluation is recorded and passed.
// Total payments never exceed the contract amount. Every refusal names the article and the
// numbers, in yuan.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "shared/civil_time.h"
#include "shared/findings.h"
#include "shared/money.h"
#include "shared/policy.h"

namespace shefu {

// The most installments a payment plan may hold (a 36-month contract paid weekly fits).
inline constexpr size_t kMaxPaymentPlanItems = 120;

// The conditions of 第二十二条 under which a contract may run beyond one year.
struct StabilityJustification {
  bool content_fixed = false;       // 购买内容相对固定
  bool highly_continuous = false;   // 连续性强
  bool stable_funding = false;      // 经费来源稳定
  bool small_price_change = false;  // 价格变化小
  bool budget_guaranteed = false;   // 预算有保障 (财政部令第102号 第二十三条)
  bool all() const {
    return content_fixed && highly_continuous && stable_funding && small_price_change &&
           budget_guaranteed;
  }
};

struct Contract {
  Fen amount = 0;
  Date start;
  Date end;  // inclusive
  std::optional<Date> signed_on;
  StabilityJustification justification;
  // Optional amounts per contract year (year 1 = start .. start + 12 months - 1 day) for a
  // multi-year contract; they must sum to `amount`. When empty, a year's amount is the
  // contract amount pro rata by months, rounded down.
  std::vector<Fen> year_amounts;
};

// Term in months (TermMonths(start, end)), the number of contract years (at least 1), the
// 0-based contract year containing `d` (clamped to the first and last), and its amount.
int ContractTermMonths(const Contract& c);
int ContractYears(const Contract& c);
int ContractYearIndex(const Contract& c, const Date& d);
Fen ContractYearAmount(const Contract& c, int year_index);

// The contract on its own:
//   contract_amount_invalid, contract_dates_invalid
//   contract_term_too_long (第二十二条)          term above max_contract_months
//   contract_justification_missing (第二十二条)  term above justification_over_months without
//                                               all five justifications (the missing ones named)
//   contract_year_amounts_invalid (第二十三条)   year_amounts of the wrong count or sum
Status CheckContract(const Contract& c, const PolicyParams& params);

enum class PaymentKind { kAdvance, kProgress, kFinal };
const char* PaymentKindCode(PaymentKind k);  // "advance" | "progress" | "final"
Text PaymentKindName(PaymentKind k);         // 预付款 / 进度款 / 尾款

struct Payment {
  PaymentKind kind = PaymentKind::kProgress;
  Fen amount = 0;
  Date paid_on;
  std::string milestone;  // required for progress payments
};

// What the payment check needs to know beyond the contract.
struct PaymentFacts {
  bool evaluation_recorded = false;
  bool evaluation_passed = false;
  // Delivered share of the service, 0..1000, from monitoring reports. When absent, progress is
  // the share of the contract period elapsed on the payment day.
  std::optional<int> progress_permille;
};

// Whether `next` may be paid after the `earlier` payments. Errors:
//   payment_amount_invalid
//   advance_before_signing / payment_before_signing (第二十三条)
//   advance_over_cap (第二十三条)          cumulative advances above the cap of the base
//   progress_needs_milestone (第二十三条)
//   final_before_evaluation (第二十七条)   evaluation not recorded, or not passed
//   payment_over_contract (第二十三条)     total paid above the contract amount
// Warning:
//   year_end_lump_payment (第二十三条)     a December progress payment that puts cumulative
//                                          payments more than year_end_lead_tolerance_pct
//                                          points ahead of progress (突击支付)
Findings CheckPayment(const Contract& c, const std::vector<Payment>& earlier, const Payment& next,
                      const PaymentFacts& facts, const PolicyParams& params);

struct PlannedPayment {
  PaymentKind kind = PaymentKind::kProgress;
  Fen amount = 0;
  Date due_on;
  std::string milestone;
};

// A payment plan, checked as if each installment were paid on its due date (finals assumed
// to follow a passed evaluation). Adds: payment_plan_sum_mismatch (第二十三条) unless the plan
// covers the contract amount exactly; warning final_due_before_service_end (第二十七条).
Findings CheckPaymentPlan(const Contract& c, const std::vector<PlannedPayment>& plan,
                          const PolicyParams& params);

// 杜绝久拖不付: warning payment_overdue (第二十三条) when installments due more than
// payment_overdue_days before `today` add up to more than everything paid, naming the
// outstanding amount and the oldest unpaid due date. Final installments count only once the
// evaluation has passed.
Findings CheckOverdue(const std::vector<PlannedPayment>& plan, const std::vector<Payment>& paid,
                      const Date& today, bool evaluation_passed, const PolicyParams& params);

}  // namespace shefu
