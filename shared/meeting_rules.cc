// Meeting kinds, quorum and decision checks. The data loader is in meeting_rules_load.cc.
#include "shared/meeting_rules.h"

#include <algorithm>

namespace shefu {
namespace {

struct KindInfo {
  MeetingKind kind;
  const char* code;
  Text name;
};

const std::vector<KindInfo>& Kinds() {
  static const std::vector<KindInfo> kKinds = {
      {MeetingKind::kVillagersMeeting, "villagers_meeting", {"村民会议", "villagers' meeting"}},
      {MeetingKind::kVillagerRepsMeeting,
       "villager_reps_meeting",
       {"村民代表会议", "villagers' representative meeting"}},
      {MeetingKind::kResidentsMeeting, "residents_meeting", {"居民会议", "residents' meeting"}},
      {MeetingKind::kResidentRepsMeeting,
       "resident_reps_meeting",
       {"居民代表会议", "residents' representative meeting"}},
      {MeetingKind::kTwoCommitteesMeeting,
       "two_committees_meeting",
       {"两委会议", "joint meeting of the two committees"}},
  };
  return kKinds;
}

struct BaseInfo {
  QuorumBase base;
  const char* code;
  Text name;           // in the rule text
  Text present_label;  // left side of the inequality
  Text roll_label;     // right side
};

const std::vector<BaseInfo>& Bases() {
  static const std::vector<BaseInfo> kBases = {
      {QuorumBase::kAdults,
       "adults",
       {"18周岁以上村民", "adult villagers"},
       {"实到", "present"},
       {"应到", "roll"}},
      {QuorumBase::kHouseholds,
       "households",
       {"户的代表", "households"},
       {"到会户", "households present"},
       {"总户数", "households"}},
      {QuorumBase::kMembers,
       "members",
       {"组成人员", "members"},
       {"实到", "present"},
       {"应到", "roll"}},
      {QuorumBase::kEligible,
       "eligible",
       {"有表决权的人员", "eligible body"},
       {"实到", "present"},
       {"应到", "roll"}},
  };
  return kBases;
}

const BaseInfo& Base(QuorumBase b) {
  return Bases()[static_cast<size_t>(b)];
}

Status BadHeadcount(const std::string& zh, const std::string& en) {
  return Status::Error("bad_headcount", "人数不一致：" + zh, "inconsistent headcount: " + en);
}

}  // namespace

const std::vector<MeetingKind>& AllMeetingKinds() {
  static const std::vector<MeetingKind> kAll = [] {
    std::vector<MeetingKind> v;
    for (const auto& k : Kinds()) v.push_back(k.kind);
    return v;
  }();
  return kAll;
}

const char* MeetingKindCode(MeetingKind k) {
  return Kinds()[static_cast<size_t>(k)].code;
}

bool ParseMeetingKind(std::string_view code, MeetingKind* out) {
  for (const auto& k : Kinds()) {
    if (code == k.code) {
      *out = k.kind;
      return true;
    }
  }
  return false;
}

Text MeetingKindName(MeetingKind k) {
  return Kinds()[static_cast<size_t>(k)].name;
}

const char* QuorumBaseCode(QuorumBase b) {
  return Base(b).code;
}

bool ParseQuorumBase(std::string_view code, QuorumBase* out) {
  for (const auto& b : Bases()) {
    if (code == b.code) {
      *out = b.base;
      return true;
    }
  }
  return false;
}

Text QuorumBaseName(QuorumBase b) {
  return Base(b).name;
}

const MeetingKindRules* MeetingRules::Find(MeetingKind k) const {
  for (const auto& r : kinds)
    if (r.kind == k) return &r;
  return nullptr;
}

const MeetingRules* MeetingRuleBook::ForPolicyVersion(std::string_view policy_version) const {
  for (const auto& v : versions_)
    if (v.policy_version == policy_version) return &v;
  return nullptr;
}

const MeetingRules* MeetingRuleBook::InForceOn(const Date& d) const {
  const MeetingRules* best = nullptr;
  for (const auto& v : versions_)
    if (v.effective_from <= d) best = &v;  // sorted by effective_from
  return best;
}

const std::optional<Headcount>& Attendance::For(QuorumBase b) const {
  switch (b) {
    case QuorumBase::kAdults:
      return adults;
    case QuorumBase::kHouseholds:
      return households;
    case QuorumBase::kMembers:
      return members;
    case QuorumBase::kEligible:
      break;
  }
  return eligible;
}

Result<QuorumCheck> CheckQuorum(const MeetingKindRules& rules, const Attendance& attendance) {
  QuorumCheck check;
  for (const auto& clause : rules.quorum_any_of) {
    const auto& hc = attendance.For(clause.base);
    if (!hc) continue;
    if (hc->expected < 0 || hc->present < 0 || hc->present > hc->expected)
      return BadHeadcount(
          "实到 " + std::to_string(hc->present) + "，应到 " + std::to_string(hc->expected),
          "present " + std::to_string(hc->present) + ", roll " + std::to_string(hc->expected));
    const BaseInfo& b = Base(clause.base);
    Text name = ThresholdName(clause.threshold);
    CheckLine line;
    line.code = std::string("quorum_") + b.code;
    line.rule = {"法定人数：" + name.zh + "的" + b.name.zh + "到会",
                 "quorum: " + name.en + " of " + b.name.en + " attend"};
    line.inequality = RenderInequality(b.present_label, hc->present, b.roll_label, hc->expected,
                                       clause.threshold);
    line.count = hc->present;
    line.base = hc->expected;
    line.threshold = clause.threshold;
    line.holds = Meets(clause.threshold, hc->present, hc->expected);
    line.source = clause.source;
    check.met = check.met || line.holds;
    check.lines.push_back(std::move(line));
  }
  if (check.lines.empty())
    return Status::Error("quorum_base_missing", "缺少计算法定人数所需的应到/实到人数",
                         "the attendance needed for the quorum (roll and present) is missing");
  return check;
}

Result<CheckLine> CheckDecision(const MeetingKindRules& rules, int64_t votes_for, int64_t present,
                                const Text& label) {
  if (votes_for < 0 || present < 0 || votes_for > present)
    return BadHeadcount(
        label.zh + " " + std::to_string(votes_for) + "，实到 " + std::to_string(present),
        label.en + " " + std::to_string(votes_for) + ", present " + std::to_string(present));
  Text name = ThresholdName(rules.decision);
  CheckLine line;
  line.code = "decision";
  line.rule = {"表决：经到会人员的" + name.zh + "同意",
               "decision: " + name.en + " of those present"};
  line.inequality =
      RenderInequality(label, votes_for, {"实到", "present"}, present, rules.decision);
  line.count = votes_for;
  line.base = present;
  line.threshold = rules.decision;
  line.holds = Meets(rules.decision, votes_for, present);
  line.source = rules.decision_source;
  return line;
}

Result<LiveOutlook> LiveMotionOutlook(const Threshold& decision, int64_t present, int64_t yes,
                                      int64_t uncast) {
  if (present < 0 || yes < 0 || uncast < 0 || yes > present || uncast > present - yes)
    return BadHeadcount("赞成 " + std::to_string(yes) + " + 未投 " + std::to_string(uncast) +
                            " 超过实到 " + std::to_string(present),
                        "yes " + std::to_string(yes) + " + uncast " + std::to_string(uncast) +
                            " exceeds present " + std::to_string(present));
  LiveOutlook o;
  o.yes_needed = MinimumToMeet(decision, present);
  o.more_yes_needed = std::max<int64_t>(0, o.yes_needed - yes);
  if (Meets(decision, yes, present)) {
    o.outlook = MotionOutlook::kAlreadyPassed;
  } else if (!Meets(decision, yes + uncast, present)) {
    o.outlook = MotionOutlook::kCannotPass;
    o.findings.Warn(
        "motion_cannot_pass",
        {"即使其余 " + std::to_string(uncast) + " 人全部赞成，赞成票也只有 " +
             std::to_string(yes + uncast) + " 票，未达到通过所需的 " +
             std::to_string(o.yes_needed) + " 票（弃权、空白和未投票视同不赞成）",
         "even if all " + std::to_string(uncast) + " remaining votes are yes, the motion has " +
             std::to_string(yes + uncast) + " of the " + std::to_string(o.yes_needed) +
             " yes votes it needs (abstentions, blank ballots and non-votes count against)"},
        "村民委员会组织法 第二十二条");
  } else {
    o.outlook = MotionOutlook::kOpen;
  }
  return o;
}

}  // namespace shefu
