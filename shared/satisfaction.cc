#include "shared/satisfaction.h"

#include <set>
#include <utility>

namespace shefu {
namespace {

struct Level {
  Satisfaction s;
  const char* code;
  Text name;
};

const std::array<Level, kSatisfactionLevels>& Levels() {
  static const std::array<Level, kSatisfactionLevels> kLevels = {{
      {Satisfaction::kVerySatisfied, "very_satisfied", {"非常满意", "very satisfied"}},
      {Satisfaction::kSatisfied, "satisfied", {"满意", "satisfied"}},
      {Satisfaction::kNeutral, "neutral", {"一般", "neutral"}},
      {Satisfaction::kDissatisfied, "dissatisfied", {"不满意", "dissatisfied"}},
      {Satisfaction::kVeryDissatisfied, "very_dissatisfied", {"非常不满意", "very dissatisfied"}},
  }};
  return kLevels;
}

constexpr int64_t kMaxN = 10'000'000;

Status BadCounts(const std::string& zh, const std::string& en) {
  return Status::Error("bad_counts", "满意度统计数据不一致：" + zh,
                       "inconsistent satisfaction counts: " + en, kArt26);
}

// Wilson bounds with z = 196/100, scaled by 10^4 (see the header):
//   bound = (A ∓ √(P/n)) / D,  A = 10⁴x + 19208,  D = 10⁴n + 38416,
//   P = 384160000·x(n−x) + 368947264·n   (= (10⁴z)²·(x(n−x) + z²n/4))
struct WilsonTerms {
  __int128 a, d, p, n;
};

WilsonTerms Terms(int64_t x, int64_t n) {
  WilsonTerms t;
  t.a = static_cast<__int128>(x) * 10000 + 19208;
  t.d = static_cast<__int128>(n) * 10000 + 38416;
  t.p = static_cast<__int128>(384160000) * x * (n - x) + static_cast<__int128>(368947264) * n;
  t.n = n;
  return t;
}

// t/1000 <= (A − √(P/n)) / D  ⇔  1000·√(P/n) <= 1000A − tD  ⇔  10⁶·P <= n·(1000A − tD)²
bool LowerAtLeast(const WilsonTerms& w, int64_t t) {
  __int128 r = 1000 * w.a - t * w.d;
  return r >= 0 && 1000000 * w.p <= w.n * r * r;
}

// t/1000 >= (A + √(P/n)) / D  ⇔  tD − 1000A >= 1000·√(P/n)
bool UpperAtMost(const WilsonTerms& w, int64_t t) {
  __int128 r = t * w.d - 1000 * w.a;
  return r >= 0 && w.n * r * r >= 1000000 * w.p;
}

}  // namespace

const char* SatisfactionCode(Satisfaction s) {
  return Levels()[static_cast<size_t>(s)].code;
}

bool ParseSatisfaction(std::string_view code, Satisfaction* out) {
  for (const auto& l : Levels()) {
    if (code == l.code) {
      *out = l.s;
      return true;
    }
  }
  return false;
}

Text SatisfactionName(Satisfaction s) {
  return Levels()[static_cast<size_t>(s)].name;
}

Status ValidateSatisfactionConfig(const SatisfactionConfig& c) {
  for (size_t i = 0; i < kSatisfactionLevels; ++i) {
    if (c.weights[i] < 0 || c.weights[i] > 100 || (i > 0 && c.weights[i] > c.weights[i - 1]))
      return Status::Error("bad_satisfaction_config", "满意度分值应在 0 至 100 之间且逐级不增",
                           "level points must be 0..100 and not increase down the scale");
  }
  if (c.min_n < 1)
    return Status::Error("bad_satisfaction_config", "最小样本量应至少为 1",
                         "the minimum sample size must be at least 1");
  return Status::Ok();
}

int64_t Distribution::valid() const {
  int64_t v = 0;
  for (int64_t c : counts) v += c;
  return v;
}

Distribution& Distribution::operator+=(const Distribution& o) {
  for (size_t i = 0; i < kSatisfactionLevels; ++i) counts[i] += o.counts[i];
  dont_know += o.dont_know;
  skipped += o.skipped;
  return *this;
}

Status AddAnswer(Distribution* d, std::string_view code) {
  Satisfaction s;
  if (code.empty() || code == kSkipped) {
    ++d->skipped;
  } else if (code == kDontKnow) {
    ++d->dont_know;
  } else if (ParseSatisfaction(code, &s)) {
    ++d->counts[static_cast<size_t>(s)];
  } else {
    return Status::Error("bad_satisfaction_answer", "无效的满意度答案：" + std::string(code),
                         "invalid satisfaction answer: " + std::string(code));
  }
  return Status::Ok();
}

WilsonInterval Wilson95(int64_t successes, int64_t n) {
  WilsonTerms w = Terms(successes, n);
  // Both predicates are monotone in t over 0..1000: binary search for the boundary.
  int64_t lo = 0, hi = 1000;  // largest t with LowerAtLeast
  while (lo < hi) {
    int64_t mid = (lo + hi + 1) / 2;
    if (LowerAtLeast(w, mid)) {
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  WilsonInterval out;
  out.low_permille = lo;
  lo = 0, hi = 1000;  // smallest t with UpperAtMost
  while (lo < hi) {
    int64_t mid = (lo + hi) / 2;
    if (UpperAtMost(w, mid)) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  out.high_permille = lo;
  return out;
}

Result<SatisfactionReport> SummariseSatisfaction(const Distribution& d, int64_t respondents,
                                                 int64_t frame_size,
                                                 const SatisfactionConfig& config) {
  SHEFU_RETURN_IF_ERROR(ValidateSatisfactionConfig(config));
  for (int64_t c : d.counts)
    if (c < 0 || c > kMaxN) return BadCounts("计数超出范围", "a count is out of range");
  if (d.dont_know < 0 || d.skipped < 0 || respondents < 0 || frame_size < 0)
    return BadCounts("计数为负", "a count is negative");
  const int64_t n = d.valid();
  if (n > kMaxN) return BadCounts("有效样本过大", "too many valid answers");
  if (n + d.dont_know > respondents)
    return BadCounts("答案数多于受访人数", "more answers than respondents");
  if (frame_size > 0 && respondents > frame_size)
    return BadCounts("受访人数多于抽样框人数", "more respondents than the sample frame");

  SatisfactionReport r;
  r.distribution = d;
  r.n = n;
  r.respondents = respondents;
  r.frame_size = frame_size;
  r.response_rate = MakeRatio(respondents, frame_size);
  if (r.response_rate) r.response_rate_permille = PermilleHalfUp(*r.response_rate);
  r.suppressed = n < config.min_n;
  if (r.suppressed || n == 0) return r;

  r.rate = MakeRatio(d.satisfied(), n);
  r.rate_permille = PermilleHalfUp(*r.rate);
  r.rate_interval = Wilson95(d.satisfied(), n);
  int64_t points = 0;
  for (size_t i = 0; i < kSatisfactionLevels; ++i) points += config.weights[i] * d.counts[i];
  r.index = MakeRatio(points, n);
  r.index_tenths = DivRoundHalfUp(static_cast<__int128>(points) * 10, n);
  return r;
}

Result<SatisfactionRollup> AggregateSatisfaction(const std::vector<SatisfactionCell>& cells,
                                                 const SatisfactionConfig& config) {
  struct Sum {
    Distribution d;
    int64_t respondents = 0, frame = 0;
    bool frame_known = true;  // one cell without a frame makes the pooled frame unknown
    void Add(const SatisfactionCell& c) {
      d += c.distribution;
      respondents += c.respondents;
      frame += c.frame_size;
      frame_known = frame_known && c.frame_size > 0;
    }
    int64_t Frame() const { return frame_known ? frame : 0; }
  };
  std::set<std::pair<std::string, std::string>> seen;
  std::map<std::string, Sum> projects, communities;
  Sum all;
  for (const auto& c : cells) {
    if (!seen.insert({c.project, c.community}).second)
      return Status::Error("duplicate_cell",
                           "同一项目在同一社区的结果重复：" + c.project + "/" + c.community,
                           "results for one project in one community appear twice: " + c.project +
                               "/" + c.community);
    // Each cell must be consistent on its own before it is pooled.
    auto own = SummariseSatisfaction(c.distribution, c.respondents, c.frame_size, config);
    if (!own.ok()) return own.status();
    projects[c.project].Add(c);
    communities[c.community].Add(c);
    all.Add(c);
  }
  SatisfactionRollup out;
  for (const auto& [key, s] : projects) {
    auto r = SummariseSatisfaction(s.d, s.respondents, s.Frame(), config);
    if (!r.ok()) return r.status();
    out.by_project.emplace(key, std::move(*r));
  }
  for (const auto& [key, s] : communities) {
    auto r = SummariseSatisfaction(s.d, s.respondents, s.Frame(), config);
    if (!r.ok()) return r.status();
    out.by_community.emplace(key, std::move(*r));
  }
  auto r = SummariseSatisfaction(all.d, all.respondents, all.Frame(), config);
  if (!r.ok()) return r.status();
  out.overall = std::move(*r);
  return out;
}

}  // namespace shefu
