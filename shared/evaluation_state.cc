// The evaluation's states (evaluation → rectifying → re-evaluation → accepted | failed), the
// acceptance gate of 第二十六、二十七条, publication, and the final-payment deduction hook.
#include "shared/evaluation.h"

namespace shefu {
namespace {

Status BadTransition(const Evaluation& e, const std::string& step) {
  return Status::Error(
      "bad_evaluation_transition",
      std::string("当前状态（") + EvaluationStateCode(e.state) + "）不能执行：" + step,
      std::string("not allowed in state ") + EvaluationStateCode(e.state) + ": " + step, kArt27);
}

bool HasOpinion(const Evaluation& e, OpinionRole role) {
  for (const auto& o : e.opinions)
    if (o.role == role) return true;
  return false;
}

// Closes the current round into the history.
void CloseRound(Evaluation* e, const char* outcome, std::string reason) {
  e->history.push_back({e->round, e->score, e->opinions, outcome, std::move(reason)});
}

}  // namespace

const char* EvaluationStateCode(EvaluationState s) {
  switch (s) {
    case EvaluationState::kUnderEvaluation:
      return "under_evaluation";
    case EvaluationState::kRectifying:
      return "rectifying";
    case EvaluationState::kAccepted:
      return "accepted";
    case EvaluationState::kFailed:
      break;
  }
  return "failed";
}

Status AddOpinion(Evaluation* e, Opinion o) {
  if (e->state != EvaluationState::kUnderEvaluation) return BadTransition(*e, "add_opinion");
  if (o.author.empty() || o.text.empty())
    return Status::Error("bad_opinion", "意见须注明出具人和内容",
                         "an opinion needs its author and its text", kArt27);
  e->opinions.push_back(std::move(o));
  return Status::Ok();
}

Status AttachSatisfactionSurvey(Evaluation* e, std::string survey_id) {
  if (e->state != EvaluationState::kUnderEvaluation) return BadTransition(*e, "attach_survey");
  if (survey_id.empty())
    return Status::Error("satisfaction_survey_missing", "满意度调查编号为空",
                         "empty satisfaction survey id", kArt26);
  e->satisfaction_survey_id = std::move(survey_id);
  return Status::Ok();
}

Status RecordScore(Evaluation* e, const ScoreResult& score) {
  if (e->state != EvaluationState::kUnderEvaluation) return BadTransition(*e, "record_score");
  e->score = score;
  return Status::Ok();
}

Status CheckAcceptanceReady(const Evaluation& e) {
  if (e.satisfaction_survey_id.empty())
    return Status::Error("satisfaction_survey_missing", "验收前须完成服务对象满意度调查",
                         "a satisfaction survey is required before acceptance", kArt26);
  if (!HasOpinion(e, OpinionRole::kTwoCommittees))
    return Status::Error("two_committees_opinion_missing", "验收须有城乡社区“两委”成员出具的意见",
                         "an opinion from a community two-committees member is required", kArt27);
  if (!HasOpinion(e, OpinionRole::kResidentRep))
    return Status::Error("resident_rep_opinion_missing", "验收须有村（居）民代表出具的意见",
                         "an opinion from a resident representative is required", kArt27);
  if (!e.score)
    return Status::Error("score_missing", "尚未评分", "the evaluation has no score yet", kArt27);
  if (e.evaluator_type == EvaluatorType::kThirdParty)
    SHEFU_RETURN_IF_ERROR(CheckThirdPartyIndependence(e.evaluator, e.provider));
  return Status::Ok();
}

Status Accept(Evaluation* e, Grade min_grade) {
  if (e->state != EvaluationState::kUnderEvaluation) return BadTransition(*e, "accept");
  SHEFU_RETURN_IF_ERROR(CheckAcceptanceReady(*e));
  // Grades are ordered best first, so "at least min_grade" is "not after it".
  if (static_cast<int>(e->score->grade) > static_cast<int>(min_grade))
    return Status::Error("grade_too_low",
                         "评价等次为“" + GradeName(e->score->grade).zh + "”，低于验收所需的“" +
                             GradeName(min_grade).zh + "”",
                         "the grade " + GradeName(e->score->grade).en + " is below the " +
                             GradeName(min_grade).en + " needed for acceptance",
                         kArt27);
  CloseRound(e, "accepted", "");
  e->state = EvaluationState::kAccepted;
  return Status::Ok();
}

Status OrderRectification(Evaluation* e, std::string reason) {
  if (e->state != EvaluationState::kUnderEvaluation || !e->score)
    return BadTransition(*e, "order_rectification");
  if (reason.empty())
    return Status::Error("reason_required", "须说明整改要求", "the rectification needs a reason");
  CloseRound(e, "rectification", std::move(reason));
  e->state = EvaluationState::kRectifying;
  return Status::Ok();
}

Status ResubmitAfterRectification(Evaluation* e) {
  if (e->state != EvaluationState::kRectifying) return BadTransition(*e, "resubmit");
  e->state = EvaluationState::kUnderEvaluation;
  ++e->round;
  e->opinions.clear();  // the re-evaluation hears the 两委 and representatives again
  e->score.reset();
  return Status::Ok();
}

Status FailEvaluation(Evaluation* e, std::string reason) {
  if (e->state != EvaluationState::kUnderEvaluation || !e->score) return BadTransition(*e, "fail");
  if (reason.empty())
    return Status::Error("reason_required", "须说明不予验收的理由", "failing needs a reason");
  CloseRound(e, "failed", std::move(reason));
  e->state = EvaluationState::kFailed;
  return Status::Ok();
}

Status PublishResult(Evaluation* e) {
  if (e->state != EvaluationState::kAccepted && e->state != EvaluationState::kFailed)
    return BadTransition(*e, "publish");
  e->published = true;
  return Status::Ok();
}

Status CheckFinalPaymentAllowed(const Evaluation& e) {
  if (e.state != EvaluationState::kAccepted)
    return Status::Error("final_payment_blocked", "项目未通过验收，尾款不能支付",
                         "the final installment waits for acceptance", kArt27);
  return Status::Ok();
}

Result<FinalPayment> ComputeFinalPayment(Fen final_installment, const DeductionRule& rule,
                                         const ScoreResult& score) {
  if (final_installment < 0 || final_installment > kMaxFen)
    return Status::Error("bad_amount", "尾款金额无效", "invalid final installment");
  auto bad_rule = [] {
    return Status::Error("bad_deduction_rule", "扣款规则无效：比例和分数线应在 0 至 100 之间",
                         "invalid deduction rule: shares and thresholds must be 0 to 100", kArt27);
  };
  int64_t permille = 0;
  switch (rule.kind) {
    case DeductionRule::Kind::kNone:
      break;
    case DeductionRule::Kind::kBelowThreshold:
      if (rule.threshold_tenths < 0 || rule.threshold_tenths > 1000 || rule.deduct_permille < 0 ||
          rule.deduct_permille > 1000)
        return bad_rule();
      if (score.tenths < rule.threshold_tenths) permille = rule.deduct_permille;
      break;
    case DeductionRule::Kind::kPerGrade:
      for (const auto& [grade, p] : rule.per_grade_permille)
        if (p < 0 || p > 1000) return bad_rule();
      if (auto it = rule.per_grade_permille.find(score.grade); it != rule.per_grade_permille.end())
        permille = it->second;
      break;
  }
  FinalPayment out;
  out.installment = final_installment;
  out.deduct_permille = permille;
  out.deduction = MulDivFloor(final_installment, permille, 1000);
  out.payable = final_installment - out.deduction;
  return out;
}

}  // namespace shefu
