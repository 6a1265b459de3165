// Open ballots from several offline devices: the earlier stamp counts, pairs go to review, the
// chair may override with a reason, votes after a device's close are late.
#include <algorithm>

#include <catch2/catch.hpp>

#include "shared/env.h"
#include "shared/open_votes.h"
#include "tests/support/test_util.h"

using namespace shefu;

namespace {

VoteRecord OpenVote(std::string id, std::string voter, std::string choice, int64_t hlc,
                    std::string device, bool late = false) {
  VoteRecord r;
  r.id = std::move(id);
  r.ballot = "poll-1";
  r.voter = std::move(voter);
  r.choice.marks = {std::move(choice)};
  r.stamp = {hlc, device};
  r.device = std::move(device);
  r.after_close = late;
  return r;
}

}  // namespace

TEST_CASE("Open ballot: a voter on two devices is counted once — by the earlier stamp") {
  std::vector<VoteRecord> votes = {OpenVote("r1", "v1", "yes", 1000, "tab-B"),
                                   OpenVote("r2", "v1", "no", 900, "tab-A"),
                                   OpenVote("r3", "v2", "yes", 950, "tab-A")};
  auto r = ResolveOpenVotes(votes, {});
  REQUIRE(r.ok());
  REQUIRE(r->counted.size() == 2);
  CHECK(r->counted[0].id == "r2");  // v1: 900 on tab-A is earlier than 1000 on tab-B
  CHECK(r->counted[1].id == "r3");
  REQUIRE(r->review.size() == 1);
  CHECK(r->review[0].voter == "v1");
  CHECK(r->review[0].counted_id == "r2");
  CHECK(r->review[0].other_ids == std::vector<std::string>{"r1"});
  CHECK_FALSE(r->review[0].overridden);
  REQUIRE(r->not_counted.size() == 1);
  CHECK(r->not_counted[0].id == "r1");
  auto ballots = CountedBallots(*r, "poll-1");
  REQUIRE(ballots.size() == 2);
  CHECK(ballots[0].marks == std::vector<std::string>{"no"});
}

TEST_CASE("Open ballot: equal stamps are settled by device id — then record id") {
  auto r = ResolveOpenVotes(
      {OpenVote("r9", "v1", "yes", 1000, "tab-B"), OpenVote("r8", "v1", "no", 1000, "tab-A")}, {});
  CHECK(r->counted[0].id == "r8");  // tab-A < tab-B
  auto same = ResolveOpenVotes(
      {OpenVote("r9", "v1", "yes", 1000, "tab-A"), OpenVote("r8", "v1", "no", 1000, "tab-A")}, {});
  CHECK(same->counted[0].id == "r8");
}

TEST_CASE("Open ballot: the resolution does not depend on the order records arrive in") {
  const uint64_t seed = test::TestSeed();
  WARN("seed " << seed);
  SeededRng rng(seed);
  std::vector<VoteRecord> votes;
  for (int i = 0; i < 60; ++i) {
    std::string voter = "v" + std::to_string(rng.Uniform(20));
    std::string device = "tab-" + std::to_string(rng.Uniform(3));
    votes.push_back(OpenVote("r" + std::to_string(i), voter, rng.Uniform(2) ? "yes" : "no",
                             static_cast<int64_t>(rng.Uniform(50)), device, rng.Uniform(10) == 0));
  }
  auto first = ResolveOpenVotes(votes, {});
  REQUIRE(first.ok());
  for (int round = 0; round < 20; ++round) {
    for (size_t i = votes.size(); i > 1; --i) std::swap(votes[i - 1], votes[rng.Uniform(i)]);
    auto again = ResolveOpenVotes(votes, {});
    REQUIRE(again.ok());
    REQUIRE(again->counted.size() == first->counted.size());
    for (size_t i = 0; i < first->counted.size(); ++i)
      CHECK(again->counted[i].id == first->counted[i].id);
    CHECK(again->review.size() == first->review.size());
    CHECK(again->late.size() == first->late.size());
  }
}

TEST_CASE("Open ballot: votes cast after a device's close event are invalid") {
  std::vector<VoteRecord> votes = {OpenVote("r1", "v1", "yes", 1000, "tab-A"),
                                   OpenVote("r2", "v2", "yes", 2000, "tab-A"),
                                   OpenVote("r3", "v1", "no", 1500, "tab-B")};
  MarkLateVotes(&votes, {{"tab-A", 1800}});
  CHECK_FALSE(votes[0].after_close);
  CHECK(votes[1].after_close);
  CHECK_FALSE(votes[2].after_close);  // tab-B has not closed
  auto r = ResolveOpenVotes(votes, {});
  REQUIRE(r.ok());
  REQUIRE(r->late.size() == 1);
  CHECK(r->late[0].id == "r2");
  CHECK(r->counted.size() == 1);  // only v1, whose two in-time votes form a review pair
  CHECK(r->review.size() == 1);
  // A late vote never forms a duplicate pair.
  auto solo = ResolveOpenVotes(
      {OpenVote("a", "v1", "yes", 1, "x"), OpenVote("b", "v1", "no", 2, "y", true)}, {});
  CHECK(solo->review.empty());
  CHECK(solo->counted[0].id == "a");
}

TEST_CASE("Open ballot: the chair may count the other vote — with a reason") {
  std::vector<VoteRecord> votes = {OpenVote("r1", "v1", "yes", 1000, "tab-B"),
                                   OpenVote("r2", "v1", "no", 900, "tab-A")};
  ChairOverride o{"poll-1", "v1", "r1", "签到表显示该村民在B组签到，A设备为误登记", "chair-1"};
  auto r = ResolveOpenVotes(votes, {o});
  REQUIRE(r.ok());
  CHECK(r->counted[0].id == "r1");
  REQUIRE(r->review.size() == 1);
  CHECK(r->review[0].overridden);
  CHECK(r->review[0].counted_id == "r1");
  CHECK(r->review[0].other_ids == std::vector<std::string>{"r2"});
  CHECK(r->review[0].chair == "chair-1");

  ChairOverride no_reason = o;
  no_reason.reason.clear();
  CHECK(ResolveOpenVotes(votes, {no_reason}).status().code() == "override_reason_required");
  ChairOverride unknown = o;
  unknown.count_record_id = "r7";
  CHECK(ResolveOpenVotes(votes, {unknown}).status().code() == "override_unknown_record");
  ChairOverride not_dup = o;
  not_dup.voter = "v2";
  CHECK(ResolveOpenVotes(votes, {not_dup}).status().code() == "override_not_duplicate");
  CHECK(ResolveOpenVotes(votes, {o, o}).status().code() == "override_twice");
  // A late vote cannot be chosen.
  votes.push_back(OpenVote("r3", "v1", "yes", 5000, "tab-C", true));
  ChairOverride late = o;
  late.count_record_id = "r3";
  CHECK(ResolveOpenVotes(votes, {late}).status().code() == "override_unknown_record");
}

TEST_CASE("Open ballot: an identical replay collapses — a changed record under one id is refused") {
  VoteRecord a = OpenVote("r1", "v1", "yes", 1000, "tab-A");
  auto r = ResolveOpenVotes({a, a}, {});
  REQUIRE(r.ok());
  CHECK(r->counted.size() == 1);
  CHECK(r->review.empty());
  VoteRecord b = a;
  b.choice.marks = {"no"};
  CHECK(ResolveOpenVotes({a, b}, {}).status().code() == "duplicate_record_id");
}
