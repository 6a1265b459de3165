#include "shared/open_votes.h"

#include <algorithm>
#include <set>
#include <utility>

namespace shefu {
namespace {

bool SameContent(const VoteRecord& a, const VoteRecord& b) {
  return a.ballot == b.ballot && a.voter == b.voter && a.choice.marks == b.choice.marks &&
         a.choice.illegible == b.choice.illegible && a.stamp == b.stamp && a.device == b.device &&
         a.after_close == b.after_close;
}

// Earlier stamp first; the record id settles the (unlikely) equal stamp on one device.
bool Earlier(const VoteRecord& a, const VoteRecord& b) {
  if (a.stamp != b.stamp) return a.stamp < b.stamp;
  return a.id < b.id;
}

Status OverrideError(const std::string& code, const ChairOverride& o, const std::string& zh,
                     const std::string& en) {
  std::string who = o.ballot + "/" + o.voter;
  return Status::Error(code, "主持人更正无效（" + who + "）：" + zh,
                       "invalid chair override (" + who + "): " + en);
}

}  // namespace

void MarkLateVotes(std::vector<VoteRecord>* records,
                   const std::map<std::string, int64_t>& close_hlc_by_device) {
  for (auto& r : *records) {
    auto it = close_hlc_by_device.find(r.device);
    if (it != close_hlc_by_device.end() && r.stamp.hlc > it->second) r.after_close = true;
  }
}

Result<OpenVoteResolution> ResolveOpenVotes(const std::vector<VoteRecord>& records,
                                            const std::vector<ChairOverride>& overrides) {
  std::map<std::string, const VoteRecord*> by_id;
  for (const auto& r : records) {
    auto [it, inserted] = by_id.emplace(r.id, &r);
    if (!inserted && !SameContent(*it->second, r))
      return Status::Error("duplicate_record_id", "同一记录编号对应不同内容：" + r.id,
                           "one record id with two different contents: " + r.id);
  }
  OpenVoteResolution out;
  std::map<std::pair<std::string, std::string>, std::vector<VoteRecord>> by_voter;
  for (const auto& [id, r] : by_id) {
    if (r->after_close) {
      out.late.push_back(*r);
    } else {
      by_voter[{r->ballot, r->voter}].push_back(*r);
    }
  }
  std::sort(out.late.begin(), out.late.end(), Earlier);

  std::map<std::pair<std::string, std::string>, const ChairOverride*> chosen;
  for (const auto& o : overrides) {
    auto it = by_voter.find({o.ballot, o.voter});
    if (it == by_voter.end() || it->second.size() < 2)
      return OverrideError("override_not_duplicate", o, "该投票人没有重复投票",
                           "the voter has no duplicate vote on this ballot");
    bool known = std::any_of(it->second.begin(), it->second.end(),
                             [&](const VoteRecord& r) { return r.id == o.count_record_id; });
    if (!known)
      return OverrideError("override_unknown_record", o, "所选记录不是该投票人的有效投票",
                           "the chosen record is not one of the voter's in-time votes");
    if (o.reason.empty())
      return OverrideError("override_reason_required", o, "必须说明理由", "a reason is required");
    if (!chosen.emplace(it->first, &o).second)
      return OverrideError("override_twice", o, "同一投票人只能更正一次",
                           "one override per voter and ballot");
  }

  for (auto& [key, votes] : by_voter) {
    std::sort(votes.begin(), votes.end(), Earlier);
    size_t pick = 0;
    auto ov = chosen.find(key);
    if (ov != chosen.end()) {
      for (size_t i = 0; i < votes.size(); ++i)
        if (votes[i].id == ov->second->count_record_id) pick = i;
    }
    out.counted.push_back(votes[pick]);
    if (votes.size() < 2) continue;
    DuplicateReview rev;
    rev.ballot = key.first;
    rev.voter = key.second;
    rev.counted_id = votes[pick].id;
    for (size_t i = 0; i < votes.size(); ++i) {
      if (i == pick) continue;
      rev.other_ids.push_back(votes[i].id);
      out.not_counted.push_back(votes[i]);
    }
    if (ov != chosen.end()) {
      rev.overridden = true;
      rev.reason = ov->second->reason;
      rev.chair = ov->second->chair;
    }
    out.review.push_back(std::move(rev));
  }
  return out;
}

std::vector<CastBallot> CountedBallots(const OpenVoteResolution& r, const std::string& ballot) {
  std::vector<CastBallot> out;
  for (const auto& v : r.counted)
    if (v.ballot == ballot) out.push_back(v.choice);
  return out;
}

}  // namespace shefu
