// 第二十二、二十三、二十七条: contract terms, the 40 % advance, progress and final payments.
#include <catch2/catch.hpp>

#include "shared/contract.h"

using namespace shefu;

namespace {

StabilityJustification AllJustified() {
  StabilityJustification j;
  j.content_fixed = j.highly_continuous = j.stable_funding = j.small_price_change =
      j.budget_guaranteed = true;
  return j;
}

// A one-year contract of 100,000.00 yuan signed 2026-03-20, running 2026-04-01..2027-03-31.
Contract OneYear() {
  Contract c;
  c.amount = 10'000'000;
  c.start = {2026, 4, 1};
  c.end = {2027, 3, 31};
  c.signed_on = Date{2026, 3, 20};
  return c;
}

// Three years, 2024-01-01..2026-12-31, 300,000.00 yuan.
Contract ThreeYears() {
  Contract c;
  c.amount = 30'000'000;
  c.start = {2024, 1, 1};
  c.end = {2026, 12, 31};
  c.signed_on = Date{2023, 12, 20};
  c.justification = AllJustified();
  return c;
}

Payment Pay(PaymentKind k, Fen amount, Date on, std::string milestone = {}) {
  return Payment{k, amount, on, std::move(milestone)};
}

}  // namespace

TEST_CASE("第二十二条: a contract term above 36 months is refused") {
  PolicyParams p;
  Contract c = ThreeYears();
  CHECK(CheckContract(c, p).ok());  // exactly 36 months
  c.end = {2027, 1, 1};             // 37 months
  Status s = CheckContract(c, p);
  REQUIRE_FALSE(s.ok());
  CHECK(s.code() == "contract_term_too_long");
  CHECK(s.article() == "第二十二条");
  CHECK(s.zh().find("37") != std::string::npos);
  CHECK(s.zh().find("36") != std::string::npos);
  p.max_contract_months = 48;  // a successor version may change the number
  CHECK(CheckContract(c, p).ok());
}

TEST_CASE("第二十二条: above 12 months every stability justification is required") {
  PolicyParams p;
  Contract c = OneYear();
  CHECK(CheckContract(c, p).ok());  // 12 months need none
  c.end = {2027, 4, 1};             // 12 months and a day: 13
  Status s = CheckContract(c, p);
  REQUIRE_FALSE(s.ok());
  CHECK(s.code() == "contract_justification_missing");
  CHECK(s.article() == "第二十二条");
  c.justification = AllJustified();
  CHECK(CheckContract(c, p).ok());
  // Each of the five, missing alone, is refused and named.
  bool StabilityJustification::*fields[] = {
      &StabilityJustification::content_fixed, &StabilityJustification::highly_continuous,
      &StabilityJustification::stable_funding, &StabilityJustification::small_price_change,
      &StabilityJustification::budget_guaranteed};
  const char* names[] = {"购买内容相对固定", "连续性强", "经费来源稳定", "价格变化小",
                         "预算有保障"};
  for (int i = 0; i < 5; ++i) {
    Contract d = c;
    d.justification.*fields[i] = false;
    Status e = CheckContract(d, p);
    INFO(names[i]);
    CHECK(e.code() == "contract_justification_missing");
    CHECK(e.zh().find(names[i]) != std::string::npos);
  }
}

TEST_CASE("Contract: amounts, dates and yearly amounts are checked") {
  PolicyParams p;
  Contract c = OneYear();
  c.amount = 0;
  CHECK(CheckContract(c, p).code() == "contract_amount_invalid");
  c = OneYear();
  c.end = {2026, 3, 31};
  CHECK(CheckContract(c, p).code() == "contract_dates_invalid");
  c = ThreeYears();
  c.year_amounts = {10'000'000, 10'000'000};
  CHECK(CheckContract(c, p).code() == "contract_year_amounts_invalid");
  c.year_amounts = {10'000'000, 10'000'000, 9'999'999};
  CHECK(CheckContract(c, p).code() == "contract_year_amounts_invalid");
  c.year_amounts = {12'000'000, 9'000'000, 9'000'000};
  CHECK(CheckContract(c, p).ok());
  CHECK(ContractYears(c) == 3);
  CHECK(ContractYearIndex(c, {2023, 12, 25}) == 0);
  CHECK(ContractYearIndex(c, {2024, 12, 31}) == 0);
  CHECK(ContractYearIndex(c, {2025, 1, 1}) == 1);
  CHECK(ContractYearIndex(c, {2030, 1, 1}) == 2);
  CHECK(ContractYearAmount(c, 0) == 12'000'000);
  c.year_amounts.clear();
  CHECK(ContractYearAmount(c, 1) == 10'000'000);  // pro rata by months
}

TEST_CASE("第二十三条: an advance of exactly 40% is allowed and one fen more is refused") {
  PolicyParams p;
  Contract c = OneYear();
  c.amount = 10'000'001;  // 100,000.01 yuan: 40 % is 4,000,000.4 fen
  CHECK(CheckPayment(c, {}, Pay(PaymentKind::kAdvance, 4'000'000, {2026, 3, 21}), {}, p).ok());
  Findings f = CheckPayment(c, {}, Pay(PaymentKind::kAdvance, 4'000'001, {2026, 3, 21}), {}, p);
  REQUIRE_FALSE(f.ok());
  Status s = f.FirstError();
  CHECK(s.code() == "advance_over_cap");
  CHECK(s.article() == "第二十三条");
  CHECK(s.zh().find("40000.01") != std::string::npos);   // the advance total
  CHECK(s.zh().find("100000.01") != std::string::npos);  // the base
  // Cumulative: two advances together are capped.
  std::vector<Payment> earlier = {Pay(PaymentKind::kAdvance, 3'000'000, {2026, 3, 21})};
  CHECK(CheckPayment(c, earlier, Pay(PaymentKind::kAdvance, 1'000'000, {2026, 4, 2}), {}, p).ok());
  CHECK(CheckPayment(c, earlier, Pay(PaymentKind::kAdvance, 1'000'001, {2026, 4, 2}), {}, p)
            .Has("advance_over_cap"));
  p.advance_cap_pct = 30;  // the cap is version data
  CHECK(CheckPayment(c, {}, Pay(PaymentKind::kAdvance, 4'000'000, {2026, 3, 21}), {}, p)
            .Has("advance_over_cap"));
}

TEST_CASE("第二十三条: no advance before the contract is signed") {
  PolicyParams p;
  Contract c = OneYear();
  Findings f = CheckPayment(c, {}, Pay(PaymentKind::kAdvance, 100, {2026, 3, 19}), {}, p);
  CHECK(f.FirstError().code() == "advance_before_signing");
  CHECK(f.FirstError().article() == "第二十三条");
  CHECK(CheckPayment(c, {}, Pay(PaymentKind::kAdvance, 100, {2026, 3, 20}), {}, p).ok());
  c.signed_on.reset();
  CHECK(CheckPayment(c, {}, Pay(PaymentKind::kAdvance, 100, {2026, 4, 1}), {}, p)
            .Has("advance_before_signing"));
  CHECK(CheckPayment(c, {}, Pay(PaymentKind::kProgress, 100, {2026, 4, 1}, "m1"), {}, p)
            .Has("payment_before_signing"));
}

TEST_CASE("第二十三条: a multi-year advance is capped by the current contract year's amount") {
  PolicyParams p;  // advance_base contract_year (OI-4)
  Contract c = ThreeYears();
  c.year_amounts = {12'000'000, 9'000'000, 9'000'000};
  // Year 1: 40 % of 120,000.00 = 48,000.00 yuan.
  CHECK(CheckPayment(c, {}, Pay(PaymentKind::kAdvance, 4'800'000, {2024, 1, 5}), {}, p).ok());
  CHECK(CheckPayment(c, {}, Pay(PaymentKind::kAdvance, 4'800'001, {2024, 1, 5}), {}, p)
            .Has("advance_over_cap"));
  // Year 2 has its own cap (36,000.00), not reduced by year 1's advance.
  std::vector<Payment> y1 = {Pay(PaymentKind::kAdvance, 4'800'000, {2024, 1, 5})};
  CHECK(CheckPayment(c, y1, Pay(PaymentKind::kAdvance, 3'600'000, {2025, 1, 5}), {}, p).ok());
  CHECK(CheckPayment(c, y1, Pay(PaymentKind::kAdvance, 3'600'001, {2025, 1, 5}), {}, p)
            .Has("advance_over_cap"));
  // With the whole-contract base, 40 % of 300,000.00 = 120,000.00 counts all advances.
  p.advance_base = AdvanceBase::kContractTotal;
  CHECK(CheckPayment(c, {}, Pay(PaymentKind::kAdvance, 12'000'000, {2024, 1, 5}), {}, p).ok());
  CHECK(CheckPayment(c, y1, Pay(PaymentKind::kAdvance, 7'200'001, {2025, 1, 5}), {}, p)
            .Has("advance_over_cap"));
}

TEST_CASE("第二十三条: a progress payment needs a milestone") {
  PolicyParams p;
  Contract c = OneYear();
  Findings f = CheckPayment(c, {}, Pay(PaymentKind::kProgress, 100, {2026, 6, 1}), {}, p);
  CHECK(f.FirstError().code() == "progress_needs_milestone");
  CHECK(CheckPayment(c, {}, Pay(PaymentKind::kProgress, 100, {2026, 6, 1}, "第一季度服务"), {}, p)
            .ok());
}

TEST_CASE("第二十七条: the final payment waits for a recorded and passed evaluation") {
  PolicyParams p;
  Contract c = OneYear();
  Payment fin = Pay(PaymentKind::kFinal, 1'000'000, {2027, 4, 20});
  PaymentFacts facts;
  CHECK(CheckPayment(c, {}, fin, facts, p).FirstError().code() == "final_before_evaluation");
  facts.evaluation_recorded = true;
  Status failed = CheckPayment(c, {}, fin, facts, p).FirstError();
  CHECK(failed.code() == "final_before_evaluation");
  CHECK(failed.article() == "第二十七条");
  facts.evaluation_passed = true;
  CHECK(CheckPayment(c, {}, fin, facts, p).ok());
}

TEST_CASE("第二十三条: total payments never exceed the contract amount") {
  PolicyParams p;
  Contract c = OneYear();
  std::vector<Payment> earlier = {Pay(PaymentKind::kAdvance, 4'000'000, {2026, 3, 21}),
                                  Pay(PaymentKind::kProgress, 5'000'000, {2026, 9, 1}, "m")};
  PaymentFacts passed{true, true, std::nullopt};
  CHECK(
      CheckPayment(c, earlier, Pay(PaymentKind::kFinal, 1'000'000, {2027, 4, 20}), passed, p).ok());
  Status s = CheckPayment(c, earlier, Pay(PaymentKind::kFinal, 1'000'001, {2027, 4, 20}), passed, p)
                 .FirstError();
  CHECK(s.code() == "payment_over_contract");
  CHECK(s.zh().find("100000.01") != std::string::npos);
}

TEST_CASE("第二十三条: a December lump payment far ahead of progress is warned (突击支付)") {
  PolicyParams p;
  Contract c = OneYear();  // 2026-04-01..2027-03-31
  std::vector<Payment> earlier = {Pay(PaymentKind::kAdvance, 4'000'000, {2026, 3, 21})};
  // On 2026-12-20 about 72 % of the period has passed; paying to 70 % is in step.
  Findings ok =
      CheckPayment(c, earlier, Pay(PaymentKind::kProgress, 3'000'000, {2026, 12, 20}, "m"), {}, p);
  CHECK(ok.ok());
  CHECK(ok.Warnings().empty());
  // Delivered only 30 % by monitoring: paying to 90 % is a lump — a warning, not a refusal.
  PaymentFacts facts;
  facts.progress_permille = 300;
  Findings lump = CheckPayment(
      c, earlier, Pay(PaymentKind::kProgress, 5'000'000, {2026, 12, 20}, "m"), facts, p);
  CHECK(lump.ok());
  REQUIRE(lump.Has("year_end_lump_payment"));
  CHECK(lump.Warnings()[0].article == "第二十三条");
  CHECK(lump.Warnings()[0].text.zh.find("90.0%") != std::string::npos);
  // The same payment in November is ordinary catching up.
  CHECK_FALSE(CheckPayment(c, earlier, Pay(PaymentKind::kProgress, 5'000'000, {2026, 11, 20}, "m"),
                           facts, p)
                  .Has("year_end_lump_payment"));
}

TEST_CASE("第二十三条: installments unpaid past the grace period are warned (久拖不付)") {
  PolicyParams p;  // 30 days grace
  std::vector<PlannedPayment> plan = {{PaymentKind::kAdvance, 4'000'000, {2026, 4, 1}, ""},
                                      {PaymentKind::kProgress, 3'000'000, {2026, 7, 1}, "m1"},
                                      {PaymentKind::kFinal, 3'000'000, {2027, 4, 30}, ""}};
  std::vector<Payment> paid = {Pay(PaymentKind::kAdvance, 4'000'000, {2026, 4, 1})};
  CHECK(CheckOverdue(plan, paid, {2026, 7, 31}, false, p).empty());  // exactly 30 days: not yet
  Findings late = CheckOverdue(plan, paid, {2026, 8, 1}, false, p);
  REQUIRE(late.Has("payment_overdue"));
  CHECK(late.ok());
  CHECK(late.Warnings()[0].text.zh.find("30000.00") != std::string::npos);
  CHECK(late.Warnings()[0].text.zh.find("2026-07-01") != std::string::npos);
  paid.push_back(Pay(PaymentKind::kProgress, 3'000'000, {2026, 8, 2}, "m1"));
  CHECK(CheckOverdue(plan, paid, {2027, 8, 1}, false, p).empty());  // final waits for evaluation
  CHECK(CheckOverdue(plan, paid, {2027, 8, 1}, true, p).Has("payment_overdue"));
}

TEST_CASE("第二十三条: a payment plan must cover the contract and respect the advance cap") {
  PolicyParams p;
  Contract c = OneYear();
  std::vector<PlannedPayment> plan = {{PaymentKind::kAdvance, 4'000'000, {2026, 4, 1}, ""},
                                      {PaymentKind::kProgress, 3'000'000, {2026, 10, 1}, "m1"},
                                      {PaymentKind::kFinal, 3'000'000, {2027, 4, 30}, ""}};
  Findings good = CheckPaymentPlan(c, plan, p);
  CHECK(good.ok());
  CHECK(good.empty());
  auto over = plan;
  over[0].amount = 4'000'001;
  over[2].amount = 2'999'999;
  CHECK(CheckPaymentPlan(c, over, p).FirstError().code() == "advance_over_cap");
  auto short_plan = plan;
  short_plan.pop_back();
  Status s = CheckPaymentPlan(c, short_plan, p).FirstError();
  CHECK(s.code() == "payment_plan_sum_mismatch");
  CHECK(s.article() == "第二十三条");
  auto no_milestone = plan;
  no_milestone[1].milestone.clear();
  CHECK(CheckPaymentPlan(c, no_milestone, p).Has("progress_needs_milestone"));
  auto early_final = plan;
  early_final[2].due_on = {2027, 3, 1};
  Findings w = CheckPaymentPlan(c, early_final, p);
  CHECK(w.ok());
  CHECK(w.Has("final_due_before_service_end"));
  // Drawn up before signing: the plan is judged without the signing date.
  Contract unsigned_c = c;
  unsigned_c.signed_on.reset();
  CHECK(CheckPaymentPlan(unsigned_c, plan, p).ok());
  CHECK(CheckPaymentPlan(c, {}, p).Has("payment_plan_sum_mismatch"));
  // One limit on the number of installments, the same one the record decoder applies.
  std::vector<PlannedPayment> longest(kMaxPaymentPlanItems, plan[1]);
  CHECK_FALSE(CheckPaymentPlan(c, longest, p).Has("payment_plan_too_long"));
  longest.push_back(plan[1]);
  CHECK(CheckPaymentPlan(c, longest, p).FirstError().code() == "payment_plan_too_long");
}
