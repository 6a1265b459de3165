#include "shared/secret_margin.h"

#include <algorithm>
#include <optional>

namespace shefu {
namespace {

bool HasOption(const BallotGroup& g, int option) {
  return std::binary_search(g.options.begin(), g.options.end(), option);
}

// Valid ballots that mark `upper` but not `lower`: removing one of them narrows the gap by one.
int64_t MarksOneNotOther(const std::vector<BallotGroup>& groups, int upper, int lower) {
  int64_t n = 0;
  for (const auto& g : groups)
    if (HasOption(g, upper) && !HasOption(g, lower)) n += g.count;
  return n;
}

const Text& OptionLabel(const std::vector<Text>& labels, int i) {
  static const Text kNone{"?", "?"};
  return i >= 0 && static_cast<size_t>(i) < labels.size() ? labels[static_cast<size_t>(i)] : kNone;
}

MarginResult Undetermined(int64_t excess, std::string reason, Text why) {
  MarginResult r;
  r.excess = excess;
  r.stands = false;
  r.reason = std::move(reason);
  r.explanation = {"多出的 " + std::to_string(excess) + " 张选票可能改变结果：" + why.zh +
                       "。表决结果无法确定，须重新表决",
                   "the " + std::to_string(excess) + " extra ballot(s) could change the result: " +
                       why.en + ". The result is undetermined; the vote must be held again"};
  return r;
}

}  // namespace

int64_t SecretBallotExcess(int64_t ballots, int64_t distinct_voters, int64_t duplicate_checkins) {
  return std::max<int64_t>({0, ballots - distinct_voters, duplicate_checkins});
}

MarginResult SecretBallotMargin(const Contest& contest, const std::vector<int64_t>& votes,
                                const std::vector<BallotGroup>& groups,
                                const std::vector<Text>& labels, int64_t excess) {
  MarginResult ok;
  ok.excess = std::max<int64_t>(0, excess);
  if (ok.excess == 0) return ok;
  const int64_t e = ok.excess;
  std::vector<OptionStatus> status = DecideContest(contest, votes);
  std::vector<int> selected, tied, below;  // below: reaches the minimum but not selected
  for (int i : contest.options) {
    int64_t v = votes[static_cast<size_t>(i)];
    if (status[static_cast<size_t>(i)] == OptionStatus::kSelected) {
      selected.push_back(i);
    } else if (status[static_cast<size_t>(i)] == OptionStatus::kTied) {
      tied.push_back(i);
    } else if (v >= contest.min_votes) {
      below.push_back(i);
    }
  }
  auto v = [&](int i) { return votes[static_cast<size_t>(i)]; };

  // 1. A selected or tied option falls below the minimum (any ballots marking it will do).
  for (const auto* cls : {&selected, &tied}) {
    for (int i : *cls) {
      int64_t needed = v(i) - contest.min_votes + 1;
      if (needed <= e)
        return Undetermined(
            e, "can_fall_below_minimum",
            {"去掉 " + std::to_string(needed) + " 张选择“" + OptionLabel(labels, i).zh +
                 "”的选票，其得票 " + std::to_string(v(i)) + " 将低于所需的 " +
                 std::to_string(contest.min_votes) + " 票",
             "removing " + std::to_string(needed) + " ballot(s) marking '" +
                 OptionLabel(labels, i).en + "' would take its " + std::to_string(v(i)) +
                 " votes below the " + std::to_string(contest.min_votes) + " needed"});
    }
  }
  // 2. A tie across the cut-off is split by one ballot marking one tied option but not another.
  for (int x : tied) {
    for (int y : tied) {
      if (x != y && MarksOneNotOther(groups, x, y) > 0)
        return Undetermined(
            e, "tie_can_split",
            {"“" + OptionLabel(labels, x).zh + "”与“" + OptionLabel(labels, y).zh +
                 "”票数相同，去掉一张只选其一的选票即可分出先后",
             "'" + OptionLabel(labels, x).en + "' and '" + OptionLabel(labels, y).en +
                 "' are tied; removing one ballot that marks only one of them "
                 "would break the tie"});
    }
  }
  // 3. An option is caught by one of the next class down.
  auto gap_check = [&](const std::vector<int>& upper,
                       const std::vector<int>& lower) -> std::optional<MarginResult> {
    for (int h : upper) {
      for (int l : lower) {
        int64_t gap = v(h) - v(l);
        int64_t room = std::min(e, MarksOneNotOther(groups, h, l));
        if (gap <= room)
          return Undetermined(
              e, "gap_can_close",
              {"“" + OptionLabel(labels, h).zh + "”（" + std::to_string(v(h)) + " 票）只比“" +
                   OptionLabel(labels, l).zh + "”（" + std::to_string(v(l)) + " 票）多 " +
                   std::to_string(gap) + " 票",
               "'" + OptionLabel(labels, h).en + "' (" + std::to_string(v(h)) + " votes) leads '" +
                   OptionLabel(labels, l).en + "' (" + std::to_string(v(l)) + " votes) by only " +
                   std::to_string(gap)});
      }
    }
    return std::nullopt;
  };
  if (!tied.empty()) {
    if (auto r = gap_check(selected, tied)) return *r;
    if (auto r = gap_check(tied, below)) return *r;
  } else if (auto r = gap_check(selected, below)) {
    return *r;
  }
  return ok;
}

}  // namespace shefu
