#include "shared/tally.h"

namespace shefu {
namespace {

Status BadTallyHeadcount(const std::string& zh, const std::string& en) {
  return Status::Error("bad_headcount", "人数不一致：" + zh, "inconsistent headcount: " + en);
}

}  // namespace

const char* TallyVerdictCode(TallyVerdict v) {
  switch (v) {
    case TallyVerdict::kNoQuorum:
      return "no_quorum";
    case TallyVerdict::kVoid:
      return "void";
    case TallyVerdict::kUndetermined:
      return "undetermined";
    case TallyVerdict::kRunoff:
      return "runoff";
    case TallyVerdict::kAdopted:
      return "adopted";
    case TallyVerdict::kRejected:
      break;
  }
  return "rejected";
}

Text TallyVerdictName(TallyVerdict v) {
  switch (v) {
    case TallyVerdict::kNoQuorum:
      return {"未达到法定人数，不能作出决定", "not quorate: nothing was decided"};
    case TallyVerdict::kVoid:
      return {"收回选票多于投票人数，本次表决无效", "more ballots than voters: the vote is void"};
    case TallyVerdict::kUndetermined:
      return {"结果无法确定，须重新表决", "undetermined: the vote must be held again"};
    case TallyVerdict::kRunoff:
      return {"末位票数相同，须对并列项目再次表决", "tie at the cut-off: a runoff is needed"};
    case TallyVerdict::kAdopted:
      return {"通过", "adopted"};
    case TallyVerdict::kRejected:
      break;
  }
  return {"未通过", "not adopted"};
}

Result<TallyRecord> TallyVote(const TallyInput& in) {
  if (in.rules == nullptr)
    return Status::Error("missing_rules", "缺少会议规则", "the meeting rules are missing");
  SHEFU_RETURN_IF_ERROR(ValidateBallotSpec(in.spec));
  auto quorum = CheckQuorum(*in.rules, in.attendance);
  if (!quorum.ok()) return quorum.status();

  TallyRecord r;
  r.title = in.title;
  r.kind = in.rules->kind;
  r.ballot_kind = in.spec.kind;
  r.secret = in.spec.secret;
  r.mode = in.mode;
  r.quorum = std::move(*quorum);
  for (const auto& clause : in.rules->quorum_any_of) {
    if (in.attendance.For(clause.base)) {
      r.roll_base = clause.base;
      r.roll = *in.attendance.For(clause.base);
      break;
    }
  }
  r.attendance = MakeRatio(r.roll.present, r.roll.expected);
  r.attendance_permille = r.attendance ? PermilleHalfUp(*r.attendance) : 0;
  r.present_at_vote = in.present_at_vote;
  r.voters = in.voters;
  if (in.present_at_vote < 0 || in.voters < 0 || in.duplicate_checkins < 0 ||
      in.voters > in.present_at_vote)
    return BadTallyHeadcount(
        "领票 " + std::to_string(in.voters) + "，表决时实到 " + std::to_string(in.present_at_vote),
        "voters " + std::to_string(in.voters) + ", present at the vote " +
            std::to_string(in.present_at_vote));

  r.count = CountBallots(in.spec, in.ballots);
  if (in.mode == BallotMode::kDevices && !in.spec.secret && r.count.returned > in.voters)
    return Status::Error("open_ballots_exceed_voters",
                         "记名投票的票数多于投票人数：应先按“一人一票”规则合并各设备的投票",
                         "open ballots outnumber voters: resolve the devices' votes to one per "
                         "voter first");

  Contest contest = ContestFor(in.spec, in.rules->decision, in.present_at_vote);
  std::vector<OptionStatus> status = DecideContest(contest, r.count.votes);
  for (size_t i = 0; i < in.spec.options.size(); ++i) {
    OptionResult o;
    o.option = in.spec.options[i];
    o.label = in.spec.labels[i];
    o.votes = r.count.votes[i];
    o.status = status[i];
    bool motion = static_cast<int>(i) == MotionOption(in.spec);
    bool needs_majority =
        in.spec.kind == BallotKind::kChooseK && in.spec.each_choice_needs_majority;
    if (motion || needs_majority) {
      auto line = CheckDecision(*in.rules, o.votes, in.present_at_vote,
                                motion ? Text{"赞成", "yes"} : o.label);
      if (!line.ok()) return line.status();
      o.decision = std::move(*line);
    }
    r.options.push_back(std::move(o));
  }

  bool any_selected = false, any_tied = false;
  for (OptionStatus s : status) {
    any_selected = any_selected || s == OptionStatus::kSelected;
    any_tied = any_tied || s == OptionStatus::kTied;
  }
  if (!r.quorum.met) {
    r.verdict = TallyVerdict::kNoQuorum;
    return r;
  }
  if (in.mode == BallotMode::kPaperBox && r.count.returned > in.voters) {
    r.verdict = TallyVerdict::kVoid;
    r.findings.Error("ballots_exceed_voters",
                     {"收回选票 " + std::to_string(r.count.returned) + " 张，多于投票人数 " +
                          std::to_string(in.voters) + " 人，本次表决无效",
                      std::to_string(r.count.returned) + " ballots returned for " +
                          std::to_string(in.voters) + " voters: the vote is void"},
                     kBallotRulesSource);
    return r;
  }
  if (in.mode == BallotMode::kDevices && in.spec.secret) {
    r.excess = SecretBallotExcess(r.count.returned, in.voters, in.duplicate_checkins);
    if (r.excess > 0) {
      MarginResult m =
          SecretBallotMargin(contest, r.count.votes, r.count.groups, in.spec.labels, r.excess);
      r.margin = m;
      if (!m.stands) {
        r.verdict = TallyVerdict::kUndetermined;
        r.findings.Error("secret_ballot_undetermined", m.explanation);
        return r;
      }
      r.findings.Warn("secret_ballot_excess_disclosed",
                      {"多出 " + std::to_string(r.excess) +
                           " 张无法追溯的选票（同一人在两台设备上登记）；无论去掉哪些，结果都不变，"
                           "结果有效，特此说明",
                       std::to_string(r.excess) +
                           " extra ballot(s) that cannot be traced (a voter checked in on two "
                           "devices); removing any of them cannot change the result, so it "
                           "stands, with this disclosed"});
    }
  }
  if (any_tied) {
    r.verdict = TallyVerdict::kRunoff;
  } else {
    r.verdict = any_selected ? TallyVerdict::kAdopted : TallyVerdict::kRejected;
  }
  return r;
}

}  // namespace shefu
