// Scorecards, grades and evaluator independence. The evaluation states and the final-payment
// hook are in evaluation_state.cc.
#include <set>

#include "shared/evaluation.h"
#include "shared/ratio.h"

namespace shefu {
namespace {

Status BadScorecard(const std::string& zh, const std::string& en) {
  return Status::Error("bad_scorecard", "评价指标表错误：" + zh, "invalid scorecard: " + en,
                       kArt27);
}

bool Shares(const std::set<std::string>& a, const std::set<std::string>& b) {
  for (const auto& x : a)
    if (b.count(x)) return true;
  return false;
}

}  // namespace

Status ValidateScorecard(const Scorecard& s) {
  if (s.indicators.empty()) return BadScorecard("没有指标", "no indicators");
  std::set<std::string> codes;
  int64_t sum = 0;
  bool satisfaction = false;
  for (const auto& i : s.indicators) {
    if (i.code.empty() || !codes.insert(i.code).second)
      return BadScorecard("指标编号为空或重复：" + i.code,
                          "empty or duplicate indicator: " + i.code);
    if (i.weight_permille <= 0 || i.weight_permille > 1000)
      return BadScorecard("指标权重应大于 0：" + i.code,
                          "indicator weight must be positive: " + i.code);
    sum += i.weight_permille;
    satisfaction = satisfaction || i.satisfaction;
  }
  if (sum != 1000)
    return BadScorecard("权重合计为 " + FormatTenths(sum) + "%，应为 100%",
                        "weights add up to " + FormatTenths(sum) + "%, not 100%");
  if (!satisfaction)
    return Status::Error("scorecard_without_satisfaction", "评价指标中必须包含服务对象满意度",
                         "the scorecard must include service-recipient satisfaction", kArt26);
  return Status::Ok();
}

Result<ScoreResult> ScoreEvaluation(const Scorecard& card,
                                    const std::vector<IndicatorScore>& scores,
                                    const GradeThresholds& thresholds) {
  SHEFU_RETURN_IF_ERROR(ValidateScorecard(card));
  SHEFU_RETURN_IF_ERROR(ValidateGradeThresholds(thresholds));
  std::map<std::string, int64_t> by_code;
  for (const auto& s : scores) {
    bool known = false;
    for (const auto& i : card.indicators) known = known || i.code == s.code;
    if (!known)
      return Status::Error("unknown_indicator", "指标表中没有该指标：" + s.code,
                           "no such indicator: " + s.code);
    if (s.tenths < 0 || s.tenths > 1000)
      return Status::Error("bad_score", "指标得分应在 0 至 100 之间：" + s.code,
                           "an indicator score must be 0 to 100: " + s.code);
    if (!by_code.emplace(s.code, s.tenths).second)
      return Status::Error("duplicate_indicator_score", "指标重复评分：" + s.code,
                           "indicator scored twice: " + s.code);
  }
  __int128 weighted = 0;
  for (const auto& i : card.indicators) {
    auto it = by_code.find(i.code);
    if (it == by_code.end())
      return Status::Error("missing_indicator_score", "指标未评分：" + i.code,
                           "indicator not scored: " + i.code, kArt27);
    weighted += static_cast<__int128>(i.weight_permille) * it->second;
  }
  ScoreResult r;
  r.tenths = DivRoundHalfUp(weighted, 1000);
  r.grade = GradeFor(r.tenths, thresholds);
  return r;
}

Result<int64_t> SatisfactionIndicatorTenths(const SatisfactionReport& r, SatisfactionBasis basis) {
  if (r.suppressed || !r.rate || !r.index)
    return Status::Error(
        "satisfaction_suppressed",
        "满意度有效样本不足，不能作为评分依据（有效 " + std::to_string(r.n) + "）",
        "too few valid satisfaction answers to score (n = " + std::to_string(r.n) + ")", kArt26);
  // A rate in tenths of a percent is a score in tenths of a point on the 100-point scale.
  return basis == SatisfactionBasis::kRate ? r.rate_permille : r.index_tenths;
}

Status CheckThirdPartyIndependence(const OrgFacts& evaluator, const OrgFacts& provider) {
  if (evaluator.org_id.empty() || evaluator.org_id == provider.org_id)
    return Status::Error("evaluator_is_provider", "第三方评价机构不能是项目承接方本身",
                         "the third-party evaluator cannot be the provider itself", kArt27);
  bool same_rep = !evaluator.legal_representative.empty() &&
                  evaluator.legal_representative == provider.legal_representative;
  bool sponsor = Shares(evaluator.sponsors, provider.sponsors) ||
                 evaluator.sponsors.count(provider.org_id) > 0 ||
                 provider.sponsors.count(evaluator.org_id) > 0;
  if (same_rep || sponsor)
    return Status::Error("evaluator_related_to_provider",
                         same_rep ? "第三方评价机构与承接方的法定代表人相同"
                                  : "第三方评价机构与承接方存在举办或主管关联",
                         same_rep ? "the evaluator shares the provider's legal representative"
                                  : "the evaluator and the provider are linked by a sponsor",
                         kArt27);
  return Status::Ok();
}

}  // namespace shefu
