// 第二十六条: satisfaction rates, the weighted index, the Wilson interval in integers, small-sample
// suppression and pooled aggregation.
#include <cmath>

#include <catch2/catch.hpp>

#include "shared/env.h"
#include "shared/satisfaction.h"
#include "tests/support/test_util.h"

using namespace shefu;

namespace {

Distribution Dist(int64_t vs, int64_t s, int64_t neu, int64_t d, int64_t vd, int64_t dk = 0,
                  int64_t skip = 0) {
  Distribution x;
  x.counts = {vs, s, neu, d, vd};
  x.dont_know = dk;
  x.skipped = skip;
  return x;
}

}  // namespace

TEST_CASE("第二十六条: 30 非常满意 + 40 满意 of 90 valid is exactly 77.8 %") {
  auto r = SummariseSatisfaction(Dist(30, 40, 10, 6, 4), 100, 120, SatisfactionConfig{});
  REQUIRE(r.ok());
  CHECK(r->n == 90);
  REQUIRE(r->rate);
  CHECK(*r->rate == Ratio{7, 9});
  CHECK(r->rate_permille == 778);
  CHECK(FormatPermilleAsPercent(r->rate_permille) == "77.8%");
  // Σ weight × count / valid = (3000 + 3200 + 600 + 180 + 0) / 90 = 6980 / 90 = 77.56
  CHECK(*r->index == Ratio{698, 9});
  CHECK(r->index_tenths == 776);
  CHECK(r->response_rate == Ratio{5, 6});
  CHECK(r->response_rate_permille == 833);
  REQUIRE(r->rate_interval);
  CHECK(r->rate_interval->low_permille == 681);
  CHECK(r->rate_interval->high_permille == 852);
}

TEST_CASE("第二十六条: 不清楚 and skipped answers are kept but not valid") {
  Distribution d;
  for (const char* a : {"very_satisfied", "satisfied", "dont_know", "", "skipped", "neutral"})
    REQUIRE(AddAnswer(&d, a).ok());
  CHECK(d.valid() == 3);
  CHECK(d.dont_know == 1);
  CHECK(d.skipped == 2);
  CHECK(AddAnswer(&d, "happy").code() == "bad_satisfaction_answer");
  SatisfactionConfig c;
  c.min_n = 1;
  auto r = SummariseSatisfaction(d, 6, 0, c);
  REQUIRE(r.ok());
  CHECK(*r->rate == Ratio{2, 3});  // of 3 valid, not of 6 respondents
  CHECK_FALSE(r->response_rate);   // no frame given
}

TEST_CASE("第二十六条: the scale has stable codes and names") {
  for (Satisfaction s :
       {Satisfaction::kVerySatisfied, Satisfaction::kSatisfied, Satisfaction::kNeutral,
        Satisfaction::kDissatisfied, Satisfaction::kVeryDissatisfied}) {
    Satisfaction back;
    REQUIRE(ParseSatisfaction(SatisfactionCode(s), &back));
    CHECK(back == s);
  }
  CHECK(SatisfactionName(Satisfaction::kNeutral).zh == "一般");
  CHECK(std::string(SatisfactionCode(Satisfaction::kVeryDissatisfied)) == "very_dissatisfied");
}

TEST_CASE("第二十六条: below the minimum n the rates are suppressed — the distribution is not") {
  SatisfactionConfig c;
  c.min_n = 30;
  auto r = SummariseSatisfaction(Dist(20, 9, 0, 0, 0), 29, 40, c);
  REQUIRE(r.ok());
  CHECK(r->suppressed);
  CHECK_FALSE(r->rate);
  CHECK_FALSE(r->index);
  CHECK_FALSE(r->rate_interval);
  CHECK(r->distribution.counts[0] == 20);
  CHECK(r->n == 29);
  CHECK(r->response_rate_permille == 725);
  r = SummariseSatisfaction(Dist(20, 10, 0, 0, 0), 30, 40, c);
  CHECK_FALSE(r->suppressed);
  CHECK(r->rate_permille == 1000);
}

TEST_CASE("Wilson interval: known values — exact at the ends") {
  auto w = Wilson95(81, 263);
  CHECK(w.low_permille == 255);
  CHECK(w.high_permille == 367);
  w = Wilson95(0, 10);  // floating point gives −0.0000000000003 here; integers give 0
  CHECK(w.low_permille == 0);
  CHECK(w.high_permille == 278);
  w = Wilson95(5, 5);  // and 100.00000000000003 % here
  CHECK(w.low_permille == 565);
  CHECK(w.high_permille == 1000);
  w = Wilson95(1, 2);
  CHECK(w.low_permille == 94);
  CHECK(w.high_permille == 906);
  w = Wilson95(949, 1000);
  CHECK(w.low_permille == 933);
  CHECK(w.high_permille == 961);
}

TEST_CASE("Wilson interval: the integer bounds bracket the textbook formula") {
  const uint64_t seed = test::TestSeed();
  WARN("seed " << seed);
  SeededRng rng(seed);
  for (int i = 0; i < 3000; ++i) {
    int64_t n = 1 + static_cast<int64_t>(rng.Uniform(i < 2000 ? 500 : 10'000'000));
    int64_t x = static_cast<int64_t>(rng.Uniform(static_cast<uint64_t>(n) + 1));
    double z = 1.96, p = static_cast<double>(x) / n, nn = static_cast<double>(n);
    double c = (p + z * z / (2 * nn)) / (1 + z * z / nn);
    double h = z * std::sqrt(p * (1 - p) / nn + z * z / (4 * nn * nn)) / (1 + z * z / nn);
    double lo = (c - h) * 1000, hi = (c + h) * 1000;
    WilsonInterval w = Wilson95(x, n);
    INFO("x " << x << " n " << n << " lo " << lo << " hi " << hi);
    CHECK(w.low_permille <= lo + 1e-6);
    CHECK(w.low_permille > lo - 1 - 1e-6);
    CHECK(w.high_permille >= hi - 1e-6);
    CHECK(w.high_permille < hi + 1 + 1e-6);
    CHECK(w.low_permille >= 0);
    CHECK(w.high_permille <= 1000);
  }
}

TEST_CASE("第二十六条: inconsistent counts and settings are refused") {
  SatisfactionConfig c;
  CHECK(SummariseSatisfaction(Dist(10, 0, 0, 0, 0, 1), 10, 0, c).status().code() == "bad_counts");
  CHECK(SummariseSatisfaction(Dist(10, 0, 0, 0, 0), 10, 9, c).status().code() == "bad_counts");
  CHECK(SummariseSatisfaction(Dist(-1, 0, 0, 0, 0), 10, 0, c).status().code() == "bad_counts");
  c.weights = {100, 80, 90, 30, 0};
  CHECK(SummariseSatisfaction(Dist(10, 0, 0, 0, 0), 10, 0, c).status().code() ==
        "bad_satisfaction_config");
  c = SatisfactionConfig{};
  c.min_n = 0;
  CHECK_FALSE(ValidateSatisfactionConfig(c).ok());
  // Per-contract weights change the index, not the rate.
  c = SatisfactionConfig{};
  c.min_n = 1;
  c.weights = {100, 75, 50, 25, 0};
  auto r = SummariseSatisfaction(Dist(1, 1, 1, 1, 0), 4, 0, c);
  CHECK(r->index_tenths == 625);
  CHECK(r->rate_permille == 500);
}

TEST_CASE("第二十六条: aggregation per project — per community and overall is pooled") {
  SatisfactionConfig c;
  c.min_n = 10;
  std::vector<SatisfactionCell> cells = {
      {"p1", "c1", Dist(30, 40, 10, 6, 4), 100, 120},
      {"p1", "c2", Dist(5, 3, 1, 0, 1), 10, 12},
      {"p2", "c1", Dist(1, 1, 0, 0, 0), 2, 5},
  };
  auto r = AggregateSatisfaction(cells, c);
  REQUIRE(r.ok());
  const auto& p1 = r->by_project.at("p1");
  CHECK(p1.n == 100);
  CHECK(*p1.rate == Ratio{39, 50});          // (30+40+5+3) / 100, not the mean of 77.8 % and 80 %
  CHECK(p1.response_rate == Ratio{5, 6});    // 110 / 132
  CHECK(r->by_project.at("p2").suppressed);  // 2 answers
  CHECK(r->by_project.at("p2").distribution.counts[0] == 1);
  CHECK(r->by_community.at("c1").n == 92);
  CHECK(r->by_community.at("c1").rate_permille == 783);  // 72/92
  CHECK(r->overall.n == 102);
  CHECK(r->overall.rate_permille == 784);  // 80/102
  CHECK(r->overall.frame_size == 137);

  cells.push_back(cells[0]);
  CHECK(AggregateSatisfaction(cells, c).status().code() == "duplicate_cell");
  cells.pop_back();
  cells[2].frame_size = 0;  // unknown frame for one cell: pooled response rate unknown
  r = AggregateSatisfaction(cells, c);
  REQUIRE(r.ok());
  CHECK_FALSE(r->overall.response_rate);
  CHECK(r->by_project.at("p1").response_rate);
}
