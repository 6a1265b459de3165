// 第二十六、二十七条: the scorecard and grade in integers, third-party independence, the
// acceptance gate (survey + 两委 + resident representatives), the rectification loop,
// publication and the final-payment deduction.
#include <catch2/catch.hpp>

#include "shared/evaluation.h"

using namespace shefu;

namespace {

Scorecard Card() {
  return {{{"output", {"产出", "output"}, 300, false},
           {"effect", {"效果", "effect"}, 300, false},
           {"satisfaction", {"满意度", "satisfaction"}, 400, true}}};
}

Evaluation Ready() {
  Evaluation e;
  REQUIRE(AttachSatisfactionSurvey(&e, "survey-1").ok());
  REQUIRE(AddOpinion(&e, {OpinionRole::kTwoCommittees, "m1", "同意验收"}).ok());
  REQUIRE(AddOpinion(&e, {OpinionRole::kResidentRep, "r1", "服务到位"}).ok());
  REQUIRE(RecordScore(&e, {855, Grade::kGood}).ok());
  return e;
}

}  // namespace

TEST_CASE("第二十七条: the overall score has one decimal computed in integers") {
  auto s = ScoreEvaluation(Card(), {{"output", 800}, {"effect", 750}, {"satisfaction", 778}},
                           GradeThresholds{});
  REQUIRE(s.ok());
  // (300 × 800 + 300 × 750 + 400 × 778) / 1000 = 776.2
  CHECK(s->tenths == 776);
  CHECK(FormatTenths(s->tenths) == "77.6");
  CHECK(s->grade == Grade::kFair);
  // Half up to tenths, and the grade follows the published one-decimal score: 89.95 -> 90.0 优.
  Scorecard two = {{{"a", {"甲", "a"}, 500, false}, {"s", {"满意度", "s"}, 500, true}}};
  auto b = ScoreEvaluation(two, {{"a", 900}, {"s", 899}}, GradeThresholds{});
  CHECK(b->tenths == 900);
  CHECK(b->grade == Grade::kExcellent);
  b = ScoreEvaluation(two, {{"a", 900}, {"s", 898}}, GradeThresholds{});
  CHECK(b->tenths == 899);
  CHECK(b->grade == Grade::kGood);
}

TEST_CASE("第二十七条: grades 优 ≥ 90.0 — 良 ≥ 80.0 — 中 ≥ 60.0 — else 差 — thresholds passed in") {
  GradeThresholds t;
  CHECK(GradeFor(1000, t) == Grade::kExcellent);
  CHECK(GradeFor(900, t) == Grade::kExcellent);
  CHECK(GradeFor(899, t) == Grade::kGood);
  CHECK(GradeFor(800, t) == Grade::kGood);
  CHECK(GradeFor(799, t) == Grade::kFair);
  CHECK(GradeFor(765, t) == Grade::kFair);  // the Dongguan evaluation: 76.5, 中
  CHECK(GradeFor(600, t) == Grade::kFair);
  CHECK(GradeFor(599, t) == Grade::kPoor);
  CHECK(GradeName(Grade::kGood).zh == "良");
  CHECK(std::string(GradeCode(Grade::kPoor)) == "poor");
  GradeThresholds contract{950, 850, 700};
  CHECK(GradeFor(900, contract) == Grade::kGood);
  CHECK(GradeFor(699, contract) == Grade::kPoor);
  CHECK(ValidateGradeThresholds({800, 900, 600}).code() == "bad_grade_thresholds");
  CHECK_FALSE(ValidateGradeThresholds({1001, 800, 600}).ok());
}

TEST_CASE("第二十六条: every scorecard has a satisfaction indicator and weights sum to 100 %") {
  CHECK(ValidateScorecard(Card()).ok());
  Scorecard no_sat = Card();
  no_sat.indicators[2].satisfaction = false;
  CHECK(ValidateScorecard(no_sat).code() == "scorecard_without_satisfaction");
  CHECK(ValidateScorecard(no_sat).article() == "第二十六条");
  Scorecard heavy = Card();
  heavy.indicators[0].weight_permille = 301;
  CHECK(ValidateScorecard(heavy).code() == "bad_scorecard");
  CHECK_THAT(ValidateScorecard(heavy).zh(), Catch::Contains("100.1%"));
  Scorecard dup = Card();
  dup.indicators[1].code = "output";
  CHECK(ValidateScorecard(dup).code() == "bad_scorecard");
  Scorecard zero = Card();
  zero.indicators[0].weight_permille = 0;
  zero.indicators[1].weight_permille = 600;
  CHECK(ValidateScorecard(zero).code() == "bad_scorecard");
}

TEST_CASE("第二十七条: every indicator is scored once — within 0..100") {
  GradeThresholds t;
  CHECK(ScoreEvaluation(Card(), {{"output", 800}, {"effect", 750}}, t).status().code() ==
        "missing_indicator_score");
  CHECK(ScoreEvaluation(Card(), {{"output", 800}, {"effect", 750}, {"satisfaction", 778}, {"x", 1}},
                        t)
            .status()
            .code() == "unknown_indicator");
  CHECK(ScoreEvaluation(Card(), {{"output", 800}, {"output", 750}, {"satisfaction", 778}}, t)
            .status()
            .code() == "duplicate_indicator_score");
  CHECK(ScoreEvaluation(Card(), {{"output", 1001}, {"effect", 750}, {"satisfaction", 778}}, t)
            .status()
            .code() == "bad_score");
}

TEST_CASE(
    "第二十六条: the satisfaction indicator comes from the survey report — not when suppressed") {
  Distribution d;
  d.counts = {30, 40, 10, 6, 4};
  auto r = SummariseSatisfaction(d, 90, 0, SatisfactionConfig{});
  REQUIRE(r.ok());
  CHECK(*SatisfactionIndicatorTenths(*r, SatisfactionBasis::kRate) == 778);
  CHECK(*SatisfactionIndicatorTenths(*r, SatisfactionBasis::kIndex) == 776);
  d.counts = {3, 4, 0, 0, 0};
  r = SummariseSatisfaction(d, 7, 0, SatisfactionConfig{});
  CHECK(SatisfactionIndicatorTenths(*r, SatisfactionBasis::kRate).status().code() ==
        "satisfaction_suppressed");
}

TEST_CASE("第二十七条: a third-party evaluator must not be the provider nor related to it") {
  OrgFacts provider{"so-1", "p-zhang", {"town-1"}};
  CHECK(CheckThirdPartyIndependence({"eval-1", "p-li", {"bureau"}}, provider).ok());
  CHECK(CheckThirdPartyIndependence({"so-1", "p-li", {}}, provider).code() ==
        "evaluator_is_provider");
  CHECK(CheckThirdPartyIndependence({"eval-1", "p-zhang", {}}, provider).code() ==
        "evaluator_related_to_provider");
  CHECK(CheckThirdPartyIndependence({"eval-1", "p-li", {"town-1"}}, provider).code() ==
        "evaluator_related_to_provider");
  CHECK(CheckThirdPartyIndependence({"eval-1", "p-li", {"so-1"}}, provider).code() ==
        "evaluator_related_to_provider");
  OrgFacts sponsored{"so-2", "p-wang", {"eval-1"}};
  CHECK_FALSE(CheckThirdPartyIndependence({"eval-1", "", {}}, sponsored).ok());
  // Unknown legal representatives are not "the same".
  CHECK(CheckThirdPartyIndependence({"eval-1", "", {}}, {"so-3", "", {}}).ok());
  // The gate checks it at acceptance.
  Evaluation e = Ready();
  e.evaluator_type = EvaluatorType::kThirdParty;
  e.evaluator = {"eval-1", "p-zhang", {}};
  e.provider = provider;
  CHECK(Accept(&e).code() == "evaluator_related_to_provider");
  CHECK(e.state == EvaluationState::kUnderEvaluation);
}

TEST_CASE("第二十七条: acceptance needs opinions from 两委 members and resident representatives") {
  Evaluation e;
  REQUIRE(AttachSatisfactionSurvey(&e, "survey-1").ok());
  REQUIRE(RecordScore(&e, {855, Grade::kGood}).ok());
  CHECK(Accept(&e).code() == "two_committees_opinion_missing");
  REQUIRE(AddOpinion(&e, {OpinionRole::kTwoCommittees, "m1", "同意"}).ok());
  CHECK(Accept(&e).code() == "resident_rep_opinion_missing");
  CHECK(AddOpinion(&e, {OpinionRole::kResidentRep, "r1", ""}).code() == "bad_opinion");
  REQUIRE(AddOpinion(&e, {OpinionRole::kResidentRep, "r1", "满意"}).ok());
  CHECK(Accept(&e).ok());
  CHECK(e.state == EvaluationState::kAccepted);
}

TEST_CASE("第二十六条: acceptance needs a satisfaction survey") {
  Evaluation e;
  REQUIRE(AddOpinion(&e, {OpinionRole::kTwoCommittees, "m1", "同意"}).ok());
  REQUIRE(AddOpinion(&e, {OpinionRole::kResidentRep, "r1", "满意"}).ok());
  REQUIRE(RecordScore(&e, {855, Grade::kGood}).ok());
  Status s = Accept(&e);
  CHECK(s.code() == "satisfaction_survey_missing");
  CHECK(s.article() == "第二十六条");
  Evaluation no_score = Ready();
  no_score.score.reset();
  CHECK(CheckAcceptanceReady(no_score).code() == "score_missing");
}

TEST_CASE("第二十七条: rectification loop: evaluation → rectifying → re-evaluation → accepted") {
  Evaluation e = Ready();
  REQUIRE(RecordScore(&e, {550, Grade::kPoor}).ok());
  CHECK(Accept(&e).code() == "grade_too_low");
  CHECK(OrderRectification(&e, "").code() == "reason_required");
  REQUIRE(OrderRectification(&e, "服务记录不全，须补齐").ok());
  CHECK(e.state == EvaluationState::kRectifying);
  CHECK(AddOpinion(&e, {OpinionRole::kResidentRep, "r2", "x"}).code() ==
        "bad_evaluation_transition");
  CHECK(Accept(&e).code() == "bad_evaluation_transition");
  CHECK(CheckFinalPaymentAllowed(e).code() == "final_payment_blocked");
  REQUIRE(ResubmitAfterRectification(&e).ok());
  CHECK(e.round == 2);
  CHECK(e.opinions.empty());  // heard again
  CHECK_FALSE(e.score);
  CHECK(e.satisfaction_survey_id == "survey-1");
  CHECK(Accept(&e).code() == "two_committees_opinion_missing");
  REQUIRE(AddOpinion(&e, {OpinionRole::kTwoCommittees, "m1", "整改到位"}).ok());
  REQUIRE(AddOpinion(&e, {OpinionRole::kResidentRep, "r1", "满意"}).ok());
  REQUIRE(RecordScore(&e, {812, Grade::kGood}).ok());
  CHECK(PublishResult(&e).code() == "bad_evaluation_transition");  // not decided yet
  REQUIRE(Accept(&e).ok());
  REQUIRE(e.history.size() == 2);
  CHECK(e.history[0].outcome == "rectification");
  CHECK(e.history[0].score->tenths == 550);
  CHECK(e.history[1].outcome == "accepted");
  CHECK(e.history[1].round == 2);
  CHECK(CheckFinalPaymentAllowed(e).ok());
  CHECK_FALSE(e.published);
  REQUIRE(PublishResult(&e).ok());
  CHECK(e.published);
  // A stricter contract can require 良.
  Evaluation fair = Ready();
  REQUIRE(RecordScore(&fair, {700, Grade::kFair}).ok());
  CHECK(Accept(&fair, Grade::kGood).code() == "grade_too_low");
  CHECK(Accept(&fair).ok());
}

TEST_CASE("第二十七条: a failed evaluation is published too — and blocks the final payment") {
  Evaluation e = Ready();
  REQUIRE(RecordScore(&e, {420, Grade::kPoor}).ok());
  CHECK(FailEvaluation(&e, "").code() == "reason_required");
  REQUIRE(FailEvaluation(&e, "整改后仍未达到合同要求").ok());
  CHECK(e.state == EvaluationState::kFailed);
  CHECK(CheckFinalPaymentAllowed(e).code() == "final_payment_blocked");
  CHECK(PublishResult(&e).ok());
  Evaluation unscored;
  CHECK(FailEvaluation(&unscored, "x").code() == "bad_evaluation_transition");
  CHECK(OrderRectification(&unscored, "x").code() == "bad_evaluation_transition");
}

TEST_CASE("第二十七条: the final installment follows the contract's deduction rule — in fen") {
  DeductionRule below;
  below.kind = DeductionRule::Kind::kBelowThreshold;
  below.threshold_tenths = 800;
  below.deduct_permille = 100;  // 10 %
  auto p = ComputeFinalPayment(1'000'000, below, {799, Grade::kFair});
  REQUIRE(p.ok());
  CHECK(p->deduction == 100'000);
  CHECK(p->payable == 900'000);
  p = ComputeFinalPayment(1'000'000, below, {800, Grade::kGood});
  CHECK(p->deduction == 0);
  CHECK(p->payable == 1'000'000);

  DeductionRule table;
  table.kind = DeductionRule::Kind::kPerGrade;
  table.per_grade_permille = {{Grade::kGood, 50}, {Grade::kFair, 200}, {Grade::kPoor, 1000}};
  p = ComputeFinalPayment(12'345, table, {850, Grade::kGood});
  CHECK(p->deduction == 617);  // 5 % of 123.45 yuan = 6.1725: rounded down to 6.17
  CHECK(p->payable == 11'728);
  CHECK(p->deduction + p->payable == 12'345);
  CHECK(ComputeFinalPayment(12'345, table, {950, Grade::kExcellent})->deduction == 0);
  CHECK(ComputeFinalPayment(12'345, table, {500, Grade::kPoor})->payable == 0);
  CHECK(ComputeFinalPayment(12'345, DeductionRule{}, {500, Grade::kPoor})->payable == 12'345);

  table.per_grade_permille[Grade::kFair] = 1001;
  CHECK(ComputeFinalPayment(12'345, table, {700, Grade::kFair}).status().code() ==
        "bad_deduction_rule");
  CHECK(ComputeFinalPayment(-1, below, {700, Grade::kFair}).status().code() == "bad_amount");
}
