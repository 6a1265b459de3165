// The guards of the lifecycle table: what each requires, the code it fails with and why.
#include "shared/lifecycle.h"

namespace shefu {

namespace {

constexpr int kGuardCount = 22;
static_assert(static_cast<int>(Guard::kNextYearBudget) + 1 == kGuardCount);

// Indexed by the Guard enum value; the order must match lifecycle.h.
const GuardInfo kGuards[kGuardCount] = {
    {"purchaser_not_town",
     "第二条",
     {"购买主体是镇人民政府或街道办事处",
      "the purchaser is a town government or sub-district "
      "office"}},
    {"origin_evidence_missing",
     "第十九条",
     {"项目产生方式的依据齐全（规划依据；组织提议、议事和表决通过；项目库同意和社区选择）",
      "the evidence of the project's origin exists (planning basis; proposal, deliberation and a "
      "passed vote; library consent and community selection)"}},
    {"prohibited_check_failed",
     "第十一条",
     {"通过禁止列为购买服务项目的事项审查", "the prohibited-items screening passed"}},
    {"funding_invalid",
     "第十二条至第十五条",
     {"资金来源有效且合计等于预算，财政资金只用于清单内项目",
      "funding is valid, sums to the budget, and fiscal money buys catalogue items only"}},
    {"budget_over_town_funds",
     "第二十条",
     {"预算不超过镇（街道）可统筹资金", "the budget is within the town's available funds"}},
    {"indicators_missing",
     "第二十五条",
     {"已设定绩效目标和指标", "performance goals and indicators are set"}},
    {"reason_missing", "", {"已填写理由", "a reason is recorded"}},
    {"procurement_method_invalid",
     "第二十一条",
     {"已依法选择适合项目特点的采购方式",
      "a lawful procurement method suited to the project is "
      "chosen"}},
    {"award_notice_missing",
     "第二十四条",
     {"采购结果已在平台公示", "the award is published on the platform"}},
    {"contract_invalid",
     "第二十二条",
     {"合同金额、期限和延长期限的条件符合规定",
      "the contract's amount, term and multi-year "
      "justifications are valid"}},
    {"payment_plan_invalid",
     "第二十三条",
     {"付款计划覆盖合同金额，预付款不超过上限，进度款对应节点",
      "the payment plan covers the contract, keeps the advance within the cap and ties progress "
      "payments to milestones"}},
    {"contract_not_signed",
     "第二十二条",
     {"合同已由镇（街道）和社会组织双方签订",
      "the town and the social organisation have both "
      "signed"}},
    {"service_period_not_ended",
     "第二十七条",
     {"服务期（或本合同年度）已结束", "the service period (or contract year) has ended"}},
    {"satisfaction_survey_missing",
     "第二十六条",
     {"已开展服务对象满意度调查", "a beneficiary satisfaction survey is done"}},
    {"two_committee_opinion_missing",
     "第二十七条",
     {"城乡社区“两委”成员已出具意见", "community two-committee members have given their opinion"}},
    {"resident_rep_opinion_missing",
     "第二十七条",
     {"村（居）民代表已出具意见", "resident representatives have given their opinion"}},
    {"evaluation_not_recorded",
     "第二十七条",
     {"评价得分和等次已记录", "the evaluation score and grade are recorded"}},
    {"evaluation_not_passed", "第二十七条", {"绩效评价已通过", "the evaluation passed"}},
    {"final_payment_missing", "第二十七条", {"尾款已支付", "the final payment is made"}},
    {"result_notice_missing",
     "第二十七条",
     {"绩效评价结果已向社会公布", "the evaluation result is published"}},
    {"no_further_contract_year",
     "第二十二条",
     {"合同还有未履行的年度", "the contract has another year to run"}},
    {"next_year_budget_unconfirmed",
     "第二十二条",
     {"下一合同年度的预算已确认", "next contract year's budget is confirmed"}},
};

// The guard failed: its own code and meaning, with an optional detail and article override.
Status Fail(Guard g, const Text& detail = {}, std::string article = {}) {
  const GuardInfo& gi = GetGuardInfo(g);
  std::string zh = "未满足：" + gi.meaning.zh;
  std::string en = "not met: " + gi.meaning.en;
  if (!detail.zh.empty()) {
    zh += "——" + detail.zh;
    en += " — " + detail.en;
  }
  return Status::Error(gi.code, zh, en, article.empty() ? gi.article : std::move(article));
}

Status Fail(Guard g, const Status& inner) {
  return Fail(g, Text{inner.zh(), inner.en()}, inner.article());
}

Status CheckOrigin(const ProjectFacts& f) {
  const Guard g = Guard::kOriginEvidence;
  switch (f.origin) {
    case ProjectOrigin::kTownPlanned:
      if (!f.planning_basis_recorded)
        return Fail(g, {"镇（街道）统筹规划的项目须记录规划依据（第十九条第（一）项）",
                        "a town-planned project needs its planning basis (19(1))"});
      return Status::Ok();
    case ProjectOrigin::kCommunityDeliberated:
      if (!f.deliberation_recorded)
        return Fail(g, {"须先经组织提议和村（居）议事（第十九条第（二）项）",
                        "the proposal and the deliberation meeting must be recorded (19(2))"});
      if (!f.vote_passed)
        return Fail(g, {"须经民主表决通过后才能报镇（街道）审议（第十九条第（二）项）",
                        "the democratic vote must have passed before the town reviews (19(2))"});
      return Status::Ok();
    case ProjectOrigin::kSoDesigned:
      if (!f.library_consent)
        return Fail(g, {"须经镇（街道）同意纳入社会组织服务项目库（第十九条第（三）项）",
                        "the town must consent to the design entering its project library "
                        "(19(3))"});
      if (!f.community_selected)
        return Fail(g, {"须由城乡社区选择后报镇（街道）审议（第十九条第（三）项）",
                        "a community must select it before the town reviews (19(3))"});
      return Status::Ok();
  }
  return Fail(g);
}

}  // namespace

std::vector<Guard> AllGuards() {
  std::vector<Guard> v;
  for (int i = 0; i < kGuardCount; ++i) v.push_back(static_cast<Guard>(i));
  return v;
}

const GuardInfo& GetGuardInfo(Guard g) {
  return kGuards[static_cast<int>(g)];
}

Status CheckGuard(Guard g, const ProjectFacts& f, const PolicyVersion& policy) {
  const PolicyParams& p = policy.params;
  auto require = [&](bool ok) { return ok ? Status::Ok() : Fail(g); };
  switch (g) {
    case Guard::kPurchaserIsTown:
      return require(f.purchaser_is_town);
    case Guard::kOriginEvidence:
      return CheckOrigin(f);
    case Guard::kProhibitedCheck:
      return require(f.prohibited_check_passed);
    case Guard::kFunding: {
      Status s = CheckFunding(f.funding_lines, f.budget, f.fiscal_item_in_published_catalogue);
      return s.ok() ? s : Fail(g, s);
    }
    case Guard::kWithinTownFunds:
      if (f.budget <= f.available_town_funds) return Status::Ok();
      return Fail(g, {"预算 " + FormatYuan(f.budget) + " 元，可统筹资金 " +
                          FormatYuan(f.available_town_funds) + " 元",
                      "budget " + FormatYuan(f.budget) + " yuan, available " +
                          FormatYuan(f.available_town_funds) + " yuan"});
    case Guard::kIndicators:
      return require(f.indicators_present);
    case Guard::kReasonGiven:
      return require(!f.decision_reason.empty());
    case Guard::kProcurementMethod:
      return require(f.procurement_method_lawful);
    case Guard::kAwardNotice:
      return require(f.award_notice_published);
    case Guard::kContractTerms: {
      if (!f.contract) return Fail(g, {"没有合同记录", "no contract is recorded"});
      Status s = CheckContract(*f.contract, p);
      return s.ok() ? s : Fail(g, s);
    }
    case Guard::kPaymentPlan: {
      if (!f.contract) return Fail(g, {"没有合同记录", "no contract is recorded"});
      Findings plan = CheckPaymentPlan(*f.contract, f.payment_plan, p);
      return plan.ok() ? Status::Ok() : Fail(g, plan.FirstError());
    }
    case Guard::kSignedByBoth:
      return require(f.town_signed && f.so_signed);
    case Guard::kServicePeriodEnded:
      return require(f.service_period_ended);
    case Guard::kSatisfactionSurvey:
      return require(f.satisfaction_survey_done);
    case Guard::kTwoCommitteeOpinion:
      return require(f.two_committee_opinion);
    case Guard::kResidentRepOpinion:
      return require(f.resident_rep_opinion);
    case Guard::kEvaluationRecorded:
      return require(f.evaluation_recorded);
    case Guard::kEvaluationPassed:
      return require(f.evaluation_recorded && f.evaluation_passed);
    case Guard::kFinalPayment:
      return require(f.final_payment_done);
    case Guard::kResultNotice:
      return require(f.result_notice_published);
    case Guard::kAnotherContractYear: {
      if (!f.contract) return Fail(g, {"没有合同记录", "no contract is recorded"});
      int years = ContractYears(*f.contract);
      if (f.contract_years_evaluated < years) return Status::Ok();
      return Fail(g, {"合同共 " + std::to_string(years) + " 个年度，已评价 " +
                          std::to_string(f.contract_years_evaluated) + " 个",
                      "the contract has " + std::to_string(years) + " year(s), " +
                          std::to_string(f.contract_years_evaluated) + " evaluated"});
    }
    case Guard::kNextYearBudget:
      return require(f.next_year_budget_confirmed);
  }
  return Fail(g);
}

}  // namespace shefu
