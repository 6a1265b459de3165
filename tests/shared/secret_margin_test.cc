// The secret-ballot margin test: boundary cases, and a randomised comparison with a brute-force
// oracle that tries every way of removing up to `excess` ballots.
#include <functional>

#include <catch2/catch.hpp>

#include "shared/env.h"
#include "shared/secret_margin.h"
#include "tests/support/test_util.h"

using namespace shefu;

namespace {

std::vector<Text> Labels(size_t n) {
  std::vector<Text> v;
  for (size_t i = 0; i < n; ++i) v.push_back({"项目" + std::to_string(i), "p" + std::to_string(i)});
  return v;
}

// Histogram of valid ballots and per-option votes from groups.
std::vector<int64_t> VotesOf(size_t n, const std::vector<BallotGroup>& groups) {
  std::vector<int64_t> v(n, 0);
  for (const auto& g : groups)
    for (int o : g.options) v[static_cast<size_t>(o)] += g.count;
  return v;
}

// The oracle: does ANY removal of at most `excess` valid ballots change any option's status?
bool OracleStands(const Contest& c, size_t n, const std::vector<BallotGroup>& groups,
                  int64_t excess) {
  const std::vector<int64_t> base = VotesOf(n, groups);
  const auto want = DecideContest(c, base);
  std::vector<int64_t> votes = base;
  bool changed = false;
  std::function<void(size_t, int64_t)> rec = [&](size_t g, int64_t left) {
    if (changed) return;
    if (g == groups.size()) {
      if (DecideContest(c, votes) != want) changed = true;
      return;
    }
    for (int64_t r = 0; r <= std::min(left, groups[g].count); ++r) {
      for (int o : groups[g].options) votes[static_cast<size_t>(o)] -= r;
      rec(g + 1, left - r);
      for (int o : groups[g].options) votes[static_cast<size_t>(o)] += r;
      if (changed) return;
    }
  };
  rec(0, excess);
  return !changed;
}

MarginResult Run(const Contest& c, size_t n, const std::vector<BallotGroup>& groups,
                 int64_t excess) {
  return SecretBallotMargin(c, VotesOf(n, groups), groups, Labels(n), excess);
}

}  // namespace

TEST_CASE(
    "Secret-ballot margin: excess = ballots − distinct voters — never below duplicate check-ins") {
  CHECK(SecretBallotExcess(41, 40, 0) == 1);
  CHECK(SecretBallotExcess(39, 40, 0) == 0);
  // A duplicate check-in hides behind a voter who took no ballot: still one possible extra.
  CHECK(SecretBallotExcess(40, 40, 1) == 1);
  CHECK(SecretBallotExcess(43, 40, 1) == 3);
}

TEST_CASE("Secret-ballot margin: a motion at the minimum with one extra ballot is undetermined") {
  // 40 present: 过半数 is 21. Option 0 is yes, 1 no.
  Contest motion{{0}, 1, 21};
  std::vector<BallotGroup> g = {{{0}, 21}, {{1}, 20}};
  auto m = Run(motion, 2, g, 1);
  CHECK_FALSE(m.stands);
  CHECK(m.reason == "can_fall_below_minimum");
  CHECK_THAT(m.explanation.zh, Catch::Contains("须重新表决"));
  // One more yes: one extra ballot cannot matter, two can.
  g = {{{0}, 22}, {{1}, 19}};
  CHECK(Run(motion, 2, g, 1).stands);
  CHECK_FALSE(Run(motion, 2, g, 2).stands);
  CHECK(Run(motion, 2, g, 0).stands);
}

TEST_CASE("Secret-ballot margin: a failed motion stays failed whatever is removed") {
  Contest motion{{0}, 1, 21};
  std::vector<BallotGroup> g = {{{0}, 20}, {{1}, 21}};
  CHECK(Run(motion, 2, g, 5).stands);
}

TEST_CASE(
    "Secret-ballot margin: choose-k stands only when the gap exceeds what the excess can close") {
  Contest c{{0, 1, 2}, 1, 1};  // one seat, no majority requirement
  // p0 12, p1 10: removing 2 ballots for p0 ties them.
  std::vector<BallotGroup> g = {{{0}, 12}, {{1}, 10}, {{2}, 3}};
  CHECK(Run(c, 3, g, 1).stands);
  auto m = Run(c, 3, g, 2);
  CHECK_FALSE(m.stands);
  CHECK(m.reason == "gap_can_close");
  // Every ballot for p0 also marks p1 (two seats of three, say): removing them never narrows
  // the gap between p0 and p1.
  Contest two{{0, 1, 2}, 2, 1};
  g = {{{0, 1}, 12}, {{1}, 2}, {{2}, 3}};  // p0 12, p1 14, p2 3
  CHECK(Run(two, 3, g, 5).stands);
  CHECK_FALSE(Run(two, 3, g, 9).stands);  // 9 ballots for {p0,p1} bring p0 down to p2
}

TEST_CASE("Secret-ballot margin: a tie at the cut-off can be split by one ballot") {
  Contest c{{0, 1, 2}, 1, 1};
  std::vector<BallotGroup> g = {{{0}, 5}, {{1}, 5}, {{2}, 1}};
  auto m = Run(c, 3, g, 1);
  CHECK_FALSE(m.stands);
  CHECK(m.reason == "tie_can_split");
  // When every ballot marks both tied options, no removal can split them.
  Contest two{{0, 1, 2}, 1, 1};
  g = {{{0, 1}, 5}, {{2}, 1}};
  CHECK(Run(two, 3, g, 3).stands);
  CHECK_FALSE(Run(two, 3, g, 4).stands);  // 5 − 4 = 1 = p2: p2 joins the tie
}

TEST_CASE("Secret-ballot margin: the exact rule agrees with a brute-force oracle on random votes") {
  const uint64_t seed = test::TestSeed();
  WARN("seed " << seed);
  SeededRng rng(seed);
  int undetermined = 0, stands = 0;
  for (int iter = 0; iter < 4000; ++iter) {
    const size_t n = 1 + rng.Uniform(5);
    const bool motion = rng.Uniform(4) == 0;
    Contest c;
    if (motion) {
      c.options = {0};
      c.seats = 1;
    } else {
      for (size_t i = 0; i < n; ++i) c.options.push_back(static_cast<int>(i));
      c.seats = 1 + static_cast<int>(rng.Uniform(n));
    }
    const int max_marks = motion ? 1 : c.seats;
    std::map<std::vector<int>, int64_t> hist;
    const int ballots = static_cast<int>(rng.Uniform(16));
    for (int b = 0; b < ballots; ++b) {
      std::vector<int> marks;
      int want = 1 + static_cast<int>(rng.Uniform(static_cast<uint64_t>(max_marks)));
      for (int t = 0; t < want; ++t) {
        int o = static_cast<int>(rng.Uniform(n));
        if (std::find(marks.begin(), marks.end(), o) == marks.end()) marks.push_back(o);
      }
      std::sort(marks.begin(), marks.end());
      ++hist[marks];
    }
    std::vector<BallotGroup> groups;
    for (auto& [o, k] : hist) groups.push_back({o, k});
    c.min_votes = 1 + static_cast<int64_t>(rng.Uniform(static_cast<uint64_t>(ballots / 2 + 1)));
    const int64_t excess = static_cast<int64_t>(rng.Uniform(5));
    const bool oracle = OracleStands(c, n, groups, excess);
    const MarginResult got = Run(c, n, groups, excess);
    INFO("iteration " << iter << " seed " << seed << " n " << n << " seats " << c.seats << " min "
                      << c.min_votes << " excess " << excess);
    REQUIRE(got.stands == oracle);
    (oracle ? stands : undetermined)++;
  }
  // Both outcomes were exercised.
  CHECK(stands > 100);
  CHECK(undetermined > 100);
}
