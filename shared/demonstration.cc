#include "shared/demonstration.h"

#include <algorithm>
#include <map>

namespace shefu {
namespace {

// Bounds that keep every product below 2^63 (see the composite formula in the header).
constexpr int64_t kMaxBallots = 10'000'000;
constexpr int64_t kMaxExperts = 1'000;

Status Err(const std::string& code, const std::string& zh, const std::string& en,
           const std::string& article = kArt28) {
  return Status::Error(code, zh, en, article);
}

// The weights in force when the round opened; refuses a later change.
Result<DemoWeights> WeightsInForce(const DemoRound& round) {
  const PublishedWeights* in_force = nullptr;
  for (const auto& w : round.weight_history) {
    if (w.weights.public_vote_permille < 0 || w.weights.expert_permille < 0 ||
        w.weights.public_vote_permille + w.weights.expert_permille != 1000)
      return Err("bad_weights", "权重应为非负数且合计 100%",
                 "weights must be non-negative and add up to 100%");
    if (w.published_at_ms <= round.opened_at_ms &&
        (in_force == nullptr || w.published_at_ms >= in_force->published_at_ms))
      in_force = &w;
  }
  if (in_force == nullptr)
    return Err("weights_not_published", "评选开始前未公布计分权重",
               "the weights were not published before the round opened");
  for (const auto& w : round.weight_history) {
    if (w.published_at_ms > round.opened_at_ms && w.weights != in_force->weights)
      return Err("weights_changed_after_opening", "评选开始后不得修改计分权重",
                 "the weights may not change after the round has opened");
  }
  return in_force->weights;
}

bool Greater(__int128 a_num, __int128 a_den, __int128 b_num, __int128 b_den) {
  return a_num * b_den > b_num * a_den;
}

}  // namespace

Status MayScore(const Expert& expert, const Nomination& project) {
  if (expert.related_parties.count(project.provider_org) ||
      expert.related_parties.count(project.purchaser))
    return Err("expert_conflict_of_interest",
               "评审专家与项目承接方或购买方存在关联，应当回避：" + project.project,
               "the expert is related to the project's provider or purchaser and must recuse: " +
                   project.project);
  return Status::Ok();
}

Result<DemoResult> RankDemonstrationProjects(const DemoRound& round,
                                             const std::vector<Nomination>& nominations,
                                             const std::vector<PublicBallot>& ballots,
                                             const std::vector<Expert>& experts,
                                             const std::vector<ExpertScore>& scores) {
  auto weights = WeightsInForce(round);
  if (!weights.ok()) return weights.status();
  if (static_cast<int64_t>(ballots.size()) > kMaxBallots ||
      static_cast<int64_t>(experts.size()) > kMaxExperts || round.max_choices < 1)
    return Err("too_many", "票数或专家人数超出范围，或可选项目数无效",
               "too many ballots or experts, or an invalid number of choices", "");
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < nominations.size(); ++i)
    if (!index.emplace(nominations[i].project, i).second)
      return Err("duplicate_nomination", "项目重复推荐：" + nominations[i].project,
                 "project nominated twice: " + nominations[i].project);

  DemoResult out;
  out.weights = *weights;
  std::vector<int64_t> votes(nominations.size(), 0);
  std::set<std::string> voters;
  for (const auto& b : ballots) {
    if (!voters.insert(b.voter).second)
      return Err("duplicate_public_ballot", "同一居民只能投一张票：" + b.voter,
                 "one ballot per resident: " + b.voter);
    std::set<std::string> marks(b.projects.begin(), b.projects.end());
    bool valid = marks.size() == b.projects.size() &&
                 static_cast<int64_t>(marks.size()) <= round.max_choices &&
                 std::all_of(marks.begin(), marks.end(),
                             [&](const std::string& p) { return index.count(p) > 0; });
    if (!valid) {
      ++out.invalid_ballots;
      continue;
    }
    ++out.valid_ballots;
    if (marks.empty()) ++out.blank_ballots;
    for (const auto& p : marks) ++votes[index[p]];
  }

  std::map<std::string, const Expert*> expert_by_id;
  for (const auto& e : experts) expert_by_id[e.id] = &e;
  std::vector<int64_t> sum(nominations.size(), 0), n(nominations.size(), 0);
  std::set<std::pair<std::string, std::string>> scored;
  for (const auto& s : scores) {
    auto e = expert_by_id.find(s.expert);
    if (e == expert_by_id.end())
      return Err("unknown_expert", "未登记的评审专家：" + s.expert, "unknown expert: " + s.expert);
    auto p = index.find(s.project);
    if (p == index.end())
      return Err("unknown_project", "未推荐的项目：" + s.project,
                 "project not nominated: " + s.project);
    if (s.tenths < 0 || s.tenths > 1000)
      return Err("bad_score", "评分应在 0 至 100 分之间", "a score must be 0 to 100", "");
    if (!scored.insert({s.expert, s.project}).second)
      return Err("duplicate_expert_score", "专家对同一项目重复评分：" + s.expert,
                 "the expert scored the project twice: " + s.expert);
    if (!MayScore(*e->second, nominations[p->second]).ok()) {
      out.recused.push_back(s);
      continue;
    }
    sum[p->second] += s.tenths;
    ++n[p->second];
  }

  const int64_t b_eff = std::max<int64_t>(1, out.valid_ballots);
  for (size_t i = 0; i < nominations.size(); ++i) {
    if (n[i] == 0)
      return Err("no_expert_scores", "项目没有可计入的专家评分：" + nominations[i].project,
                 "no countable expert score for project " + nominations[i].project);
    DemoEntry e;
    e.project = nominations[i].project;
    e.name = nominations[i].name;
    e.votes = votes[i];
    e.public_permille = DivRoundHalfUp(static_cast<__int128>(votes[i]) * 1000, b_eff);
    e.experts_counted = n[i];
    e.expert_sum_tenths = sum[i];
    e.expert_mean_tenths = DivRoundHalfUp(sum[i], n[i]);
    int64_t num = out.weights.public_vote_permille * 1000 * votes[i] * n[i] +
                  out.weights.expert_permille * sum[i] * b_eff;
    e.composite = *MakeRatio(num, 1000 * b_eff * n[i]);
    e.composite_tenths = DivRoundHalfUp(e.composite.num, e.composite.den);
    out.ranking.push_back(std::move(e));
  }

  // Ties on every merit key fall back to the project id; 0 = tie, 1 = a first, -1 = b first.
  auto merit = [](const DemoEntry& a, const DemoEntry& b) {
    if (Greater(a.composite.num, a.composite.den, b.composite.num, b.composite.den)) return 1;
    if (Greater(b.composite.num, b.composite.den, a.composite.num, a.composite.den)) return -1;
    if (Greater(a.expert_sum_tenths, a.experts_counted, b.expert_sum_tenths, b.experts_counted))
      return 1;
    if (Greater(b.expert_sum_tenths, b.experts_counted, a.expert_sum_tenths, a.experts_counted))
      return -1;
    if (a.votes != b.votes) return a.votes > b.votes ? 1 : -1;
    return 0;
  };
  std::sort(out.ranking.begin(), out.ranking.end(), [&](const DemoEntry& a, const DemoEntry& b) {
    int m = merit(a, b);
    return m != 0 ? m > 0 : a.project < b.project;
  });
  for (size_t i = 0; i < out.ranking.size(); ++i) {
    out.ranking[i].rank = static_cast<int>(i) + 1;
    if (i > 0 && merit(out.ranking[i - 1], out.ranking[i]) == 0)
      out.ranking[i - 1].tie_broken_by_id = out.ranking[i].tie_broken_by_id = true;
  }
  return out;
}

}  // namespace shefu
