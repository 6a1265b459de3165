#include "shared/ballot.h"

#include <algorithm>
#include <set>

namespace shefu {
namespace {

Status BadSpec(const std::string& zh, const std::string& en) {
  return Status::Error("bad_ballot_spec", "表决票设置错误：" + zh, "invalid ballot: " + en);
}

int IndexOf(const BallotSpec& spec, const std::string& id) {
  for (size_t i = 0; i < spec.options.size(); ++i)
    if (spec.options[i] == id) return static_cast<int>(i);
  return -1;
}

}  // namespace

const char* BallotKindCode(BallotKind k) {
  switch (k) {
    case BallotKind::kAdoptReject:
      return "adopt_reject";
    case BallotKind::kYesNoAbstain:
      return "yes_no_abstain";
    case BallotKind::kChooseK:
      break;
  }
  return "choose_k";
}

bool ParseBallotKind(std::string_view code, BallotKind* out) {
  for (BallotKind k : {BallotKind::kAdoptReject, BallotKind::kYesNoAbstain, BallotKind::kChooseK}) {
    if (code == BallotKindCode(k)) {
      *out = k;
      return true;
    }
  }
  return false;
}

BallotSpec AdoptRejectBallot(bool secret) {
  BallotSpec s;
  s.kind = BallotKind::kAdoptReject;
  s.options = {"adopt", "reject"};
  s.labels = {{"赞成", "adopt"}, {"反对", "reject"}};
  s.secret = secret;
  return s;
}

BallotSpec YesNoAbstainBallot(bool secret) {
  BallotSpec s;
  s.kind = BallotKind::kYesNoAbstain;
  s.options = {"yes", "no", "abstain"};
  s.labels = {{"赞成", "yes"}, {"反对", "no"}, {"弃权", "abstain"}};
  s.secret = secret;
  return s;
}

BallotSpec ChooseKBallot(std::vector<std::string> projects, std::vector<Text> labels, int k,
                         bool secret) {
  BallotSpec s;
  s.kind = BallotKind::kChooseK;
  s.options = std::move(projects);
  s.labels = std::move(labels);
  s.max_choices = k;
  s.secret = secret;
  return s;
}

Status ValidateBallotSpec(const BallotSpec& spec) {
  if (spec.options.empty()) return BadSpec("没有选项", "no options");
  if (spec.labels.size() != spec.options.size())
    return BadSpec("选项名称与选项数量不一致", "labels do not match the options");
  std::set<std::string> ids;
  for (const auto& o : spec.options) {
    if (o.empty() || o.size() > 64) return BadSpec("选项编号为空或过长", "empty or long option id");
    if (!ids.insert(o).second) return BadSpec("选项重复：" + o, "duplicate option: " + o);
  }
  switch (spec.kind) {
    case BallotKind::kAdoptReject:
      if (spec.options != std::vector<std::string>{"adopt", "reject"} || spec.max_choices != 1)
        return BadSpec("赞成/反对票应只有 adopt、reject 两项，单选",
                       "adopt/reject ballots have exactly adopt and reject, one choice");
      break;
    case BallotKind::kYesNoAbstain:
      if (spec.options != std::vector<std::string>{"yes", "no", "abstain"} || spec.max_choices != 1)
        return BadSpec("赞成/反对/弃权票应只有 yes、no、abstain 三项，单选",
                       "yes/no/abstain ballots have exactly yes, no and abstain, one choice");
      break;
    case BallotKind::kChooseK:
      if (spec.max_choices < 1 || spec.max_choices > static_cast<int>(spec.options.size()))
        return BadSpec("可选项目数应在 1 至选项总数之间",
                       "the number of choices must be between 1 and the number of options");
      break;
  }
  return Status::Ok();
}

int MotionOption(const BallotSpec& spec) {
  return spec.kind == BallotKind::kChooseK ? -1 : 0;
}

BallotClass ClassifyBallot(const BallotSpec& spec, const CastBallot& ballot) {
  if (ballot.illegible) return {BallotValidity::kInvalid, "illegible"};
  if (ballot.marks.empty()) return {BallotValidity::kBlank, ""};
  // Over-filling is judged first: it is the statutory ground, whatever else is wrong.
  if (static_cast<int64_t>(ballot.marks.size()) > spec.max_choices)
    return {BallotValidity::kInvalid, "over_filled"};
  std::set<std::string> seen;
  for (const auto& m : ballot.marks) {
    if (IndexOf(spec, m) < 0) return {BallotValidity::kInvalid, "unknown_option"};
    if (!seen.insert(m).second) return {BallotValidity::kInvalid, "duplicate_mark"};
  }
  return {BallotValidity::kValid, ""};
}

BallotCount CountBallots(const BallotSpec& spec, const std::vector<CastBallot>& ballots) {
  BallotCount c;
  c.votes.assign(spec.options.size(), 0);
  std::map<std::vector<int>, int64_t> groups;
  for (const auto& b : ballots) {
    ++c.returned;
    BallotClass cls = ClassifyBallot(spec, b);
    if (cls.validity == BallotValidity::kBlank) {
      ++c.blank;
    } else if (cls.validity == BallotValidity::kInvalid) {
      ++c.invalid;
      ++c.invalid_reasons[cls.reason];
    } else {
      ++c.valid;
      std::vector<int> idx;
      for (const auto& m : b.marks) idx.push_back(IndexOf(spec, m));
      std::sort(idx.begin(), idx.end());
      for (int i : idx) ++c.votes[static_cast<size_t>(i)];
      ++groups[idx];
    }
  }
  for (auto& [options, n] : groups) c.groups.push_back({options, n});
  return c;
}

Contest ContestFor(const BallotSpec& spec, const Threshold& decision, int64_t present) {
  Contest c;
  int64_t majority = std::max<int64_t>(1, MinimumToMeet(decision, present));
  if (spec.kind != BallotKind::kChooseK) {
    c.options = {MotionOption(spec)};
    c.seats = 1;
    c.min_votes = majority;
    return c;
  }
  for (size_t i = 0; i < spec.options.size(); ++i) c.options.push_back(static_cast<int>(i));
  c.seats = spec.max_choices;
  c.min_votes = spec.each_choice_needs_majority ? majority : 1;
  return c;
}

const char* OptionStatusCode(OptionStatus s) {
  switch (s) {
    case OptionStatus::kSelected:
      return "selected";
    case OptionStatus::kTied:
      return "tied";
    case OptionStatus::kNotSelected:
      break;
  }
  return "not_selected";
}

std::vector<OptionStatus> DecideContest(const Contest& contest, const std::vector<int64_t>& votes) {
  std::vector<OptionStatus> out(votes.size(), OptionStatus::kNotSelected);
  std::vector<int64_t> eligible;  // votes of the options that meet min_votes
  for (int i : contest.options)
    if (votes[static_cast<size_t>(i)] >= contest.min_votes)
      eligible.push_back(votes[static_cast<size_t>(i)]);
  for (int i : contest.options) {
    int64_t v = votes[static_cast<size_t>(i)];
    if (v < contest.min_votes) continue;
    int64_t above = 0, at_least = 0;
    for (int64_t w : eligible) {
      if (w > v) ++above;
      if (w >= v) ++at_least;
    }
    if (at_least <= contest.seats) {
      out[static_cast<size_t>(i)] = OptionStatus::kSelected;
    } else if (above < contest.seats) {
      out[static_cast<size_t>(i)] = OptionStatus::kTied;
    }
  }
  return out;
}

}  // namespace shefu
