// 绩效评价 and acceptance (第二十六、二十七条): the scorecard, the grade, who may evaluate, what
// must exist before acceptance, the rectification loop, publication, and the hook that turns a
// grade into the payable final installment.
//
// 第二十六条: service-recipient satisfaction is an important acceptance indicator — every
// scorecard has a satisfaction indicator, and acceptance needs a satisfaction survey.
// 第二十七条: the town or a third party it entrusts evaluates; community 两委 members and
// resident representatives take part and give opinions (both REQUIRED); the result is published
// and tied to paying the contract money.
//
// Numbers: weights in per mille (sum 1000 = 100 %), scores in tenths of a point (0..1000 =
// 0.0..100.0). Overall = Σ weight × score / 1000, rounded half up to tenths; the grade is decided
// on that published one-decimal score (so "90.0 优" never prints as "90.0 良"):
//   优 >= 90.0, 良 >= 80.0, 中 >= 60.0, else 差 — thresholds from the policy / contract params.
//
// States of one evaluation:
//   under_evaluation --OrderRectification--> rectifying --Resubmit--> under_evaluation (round+1)
//   under_evaluation --Accept--> accepted          (all evidence present, grade good enough)
//   under_evaluation --Fail--> failed              (the town ends it)
//   accepted | failed --Publish--> published flag  (公示 of the result, 第二十七条)
// Opinions and the score belong to a round: a re-evaluation collects them again. The
// satisfaction survey stays attached (a new one may replace it).
#pragma once

#include "shared/grade.h"

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "shared/i18n.h"
#include "shared/money.h"
#include "shared/satisfaction.h"
#include "shared/status.h"

namespace shefu {

inline constexpr const char* kArt27 = "第二十七条";

struct Indicator {
  std::string code;  // "output", "effect", "satisfaction", ...
  Text name;
  int64_t weight_permille = 0;
  bool satisfaction = false;  // the 第二十六条 indicator
};
struct Scorecard {
  std::vector<Indicator> indicators;
};
// Codes unique and non-empty, every weight > 0, weights sum to 1000, at least one satisfaction
// indicator. Error codes: bad_scorecard, scorecard_without_satisfaction (第二十六条).
Status ValidateScorecard(const Scorecard& s);

struct IndicatorScore {
  std::string code;
  int64_t tenths = 0;  // 0..1000
};

struct ScoreResult {
  int64_t tenths = 0;  // one decimal: FormatTenths -> "86.0"
  Grade grade = Grade::kPoor;
};
// Every indicator scored exactly once, each 0..1000. Errors: bad_scorecard,
// scorecard_without_satisfaction, bad_grade_thresholds, missing_indicator_score,
// unknown_indicator, duplicate_indicator_score, bad_score.
Result<ScoreResult> ScoreEvaluation(const Scorecard& card,
                                    const std::vector<IndicatorScore>& scores,
                                    const GradeThresholds& thresholds);

// The satisfaction indicator's score from a survey report: 满意率 (77.8 % -> 77.8 points) or the
// weighted index. Error satisfaction_suppressed when the sample was below the minimum n.
enum class SatisfactionBasis { kRate, kIndex };
Result<int64_t> SatisfactionIndicatorTenths(const SatisfactionReport& r, SatisfactionBasis basis);

// Who evaluates. A third party must be independent of the provider (第二十七条 "委托的第三方"):
// not the provider itself, not sharing its legal representative, not sharing a sponsor
// (举办者 / 业务主管单位), not sponsored by it or sponsoring it. Facts are inputs.
enum class EvaluatorType { kTown, kThirdParty };
struct OrgFacts {
  std::string org_id;
  std::string legal_representative;  // a person id; empty = unknown
  std::set<std::string> sponsors;
};
// Errors: evaluator_is_provider, evaluator_related_to_provider (article 第二十七条).
Status CheckThirdPartyIndependence(const OrgFacts& evaluator, const OrgFacts& provider);

enum class OpinionRole { kTwoCommittees, kResidentRep };  // 两委成员 / 村（居）民代表
struct Opinion {
  OpinionRole role = OpinionRole::kTwoCommittees;
  std::string author;  // person id
  std::string text;
};

enum class EvaluationState { kUnderEvaluation, kRectifying, kAccepted, kFailed };
const char* EvaluationStateCode(EvaluationState s);

struct EvaluationRound {
  int round = 0;
  std::optional<ScoreResult> score;
  std::vector<Opinion> opinions;
  std::string outcome;  // "rectification" | "accepted" | "failed"
  std::string reason;
};

struct Evaluation {
  EvaluatorType evaluator_type = EvaluatorType::kTown;
  OrgFacts evaluator;  // a third party's facts (unused for the town)
  OrgFacts provider;
  EvaluationState state = EvaluationState::kUnderEvaluation;
  int round = 1;
  std::string satisfaction_survey_id;  // empty = none yet
  std::vector<Opinion> opinions;       // of the current round
  std::optional<ScoreResult> score;    // of the current round
  bool published = false;
  std::vector<EvaluationRound> history;  // closed rounds
};

// Each transition changes nothing when it fails. bad_evaluation_transition when the state does
// not allow the step.
Status AddOpinion(Evaluation* e, Opinion o);  // under evaluation; text required
Status AttachSatisfactionSurvey(Evaluation* e, std::string survey_id);
Status RecordScore(Evaluation* e, const ScoreResult& score);  // under evaluation
// Everything 第二十六、二十七条 require before acceptance: a satisfaction survey, at least one
// 两委 and one resident-representative opinion, a score, and (third party) independence.
// Errors: satisfaction_survey_missing (第二十六条), two_committees_opinion_missing,
// resident_rep_opinion_missing, score_missing, evaluator_is_provider,
// evaluator_related_to_provider.
Status CheckAcceptanceReady(const Evaluation& e);
// Accepts when ready and the grade is at least `min_grade` (default 中). grade_too_low otherwise.
Status Accept(Evaluation* e, Grade min_grade = Grade::kFair);
Status OrderRectification(Evaluation* e, std::string reason);  // needs a score and a reason
Status ResubmitAfterRectification(Evaluation* e);
Status FailEvaluation(Evaluation* e, std::string reason);  // needs a score and a reason
Status PublishResult(Evaluation* e);                       // accepted or failed
// The final installment may be paid only after acceptance (第二十七条). final_payment_blocked.
Status CheckFinalPaymentAllowed(const Evaluation& e);

// The contract's deduction rule for the final installment (尾款), from the grade or the score.
struct DeductionRule {
  enum class Kind { kNone, kBelowThreshold, kPerGrade };
  Kind kind = Kind::kNone;
  int64_t threshold_tenths = 0;                 // kBelowThreshold: a score below this ...
  int64_t deduct_permille = 0;                  // ... deducts this share of the final installment
  std::map<Grade, int64_t> per_grade_permille;  // kPerGrade: share deducted per grade (absent = 0)
};
struct FinalPayment {
  Fen installment = 0;
  Fen deduction = 0;  // rounded down to the fen (in the provider's favour)
  Fen payable = 0;    // installment − deduction
  int64_t deduct_permille = 0;
};
// Errors: bad_amount (negative or above kMaxFen), bad_deduction_rule (shares outside 0..1000,
// threshold outside 0..1000).
Result<FinalPayment> ComputeFinalPayment(Fen final_installment, const DeductionRule& rule,
                                         const ScoreResult& score);

}  // namespace shefu
