// Parsing and validation of meeting-rules data. Checked once here so the checks in
// meeting_rules.cc can trust the rules: one entry per kind, valid fractions, bases that make
// sense for the kind (a 村民会议 counts adults or households, a 代表会议 its members), proxy caps
// within the 1..3 the provincial rules allow, unique versions.
#include <algorithm>
#include <set>

#include "shared/json_util.h"
#include "shared/meeting_rules.h"

namespace shefu {
namespace embedded {
extern const unsigned char meeting_rules[];
extern const unsigned long meeting_rules_size;
}  // namespace embedded

namespace {

Status BadRules(const std::string& where, const std::string& zh, const std::string& en) {
  return Status::Error("bad_meeting_rules", "会议规则数据错误（" + where + "）：" + zh,
                       "bad meeting rules data (" + where + "): " + en);
}

Status AtRules(const std::string& where, const Status& s) {
  return BadRules(where, s.zh(), s.en());
}

bool BaseAllowed(MeetingKind kind, QuorumBase base) {
  switch (kind) {
    case MeetingKind::kVillagersMeeting:
      return base == QuorumBase::kAdults || base == QuorumBase::kHouseholds;
    case MeetingKind::kResidentsMeeting:
      return base == QuorumBase::kEligible;
    case MeetingKind::kVillagerRepsMeeting:
    case MeetingKind::kResidentRepsMeeting:
    case MeetingKind::kTwoCommitteesMeeting:
      break;
  }
  return base == QuorumBase::kMembers;
}

Status ParseThreshold(const Json& j, const std::string& where, Threshold* out) {
  auto num = GetInt(j, "num", 1, 100);
  if (!num.ok()) return AtRules(where, num.status());
  auto den = GetInt(j, "den", 1, 100);
  if (!den.ok()) return AtRules(where, den.status());
  auto bound = GetString(j, "bound", 16);
  if (!bound.ok()) return AtRules(where, bound.status());
  Threshold t{*num, *den, Bound::kExclusive};
  if (!ParseBound(*bound, &t.bound))
    return BadRules(where, "bound 应为 inclusive 或 exclusive",
                    "bound must be inclusive or exclusive");
  Status s = ValidateThreshold(t);
  if (!s.ok()) return AtRules(where, s);
  *out = t;
  return Status::Ok();
}

Status ParseClause(const Json& j, const std::string& where, MeetingKind kind, QuorumClause* out) {
  Status keys = CheckKeys(j, "base,num,den,bound,statutory,source");
  if (!keys.ok()) return AtRules(where, keys);
  auto base = GetString(j, "base", 32);
  if (!base.ok()) return AtRules(where, base.status());
  if (!ParseQuorumBase(*base, &out->base))
    return BadRules(where, "未知的基数：" + *base, "unknown base: " + *base);
  if (!BaseAllowed(kind, out->base))
    return BadRules(where,
                    std::string(MeetingKindCode(kind)) + " 不能以 " + *base + " 计算法定人数",
                    std::string(MeetingKindCode(kind)) + " cannot count its quorum in " + *base);
  SHEFU_RETURN_IF_ERROR(ParseThreshold(j, where, &out->threshold));
  auto statutory = GetBool(j, "statutory");
  if (!statutory.ok()) return AtRules(where, statutory.status());
  out->statutory = *statutory;
  auto source = GetString(j, "source", 200, 1);
  if (!source.ok()) return AtRules(where, source.status());
  out->source = *source;
  return Status::Ok();
}

Status ParseKind(const Json& j, const std::string& where, MeetingKindRules* out) {
  Status keys = CheckKeys(j, "kind,quorum_any_of,decision");
  if (!keys.ok()) return AtRules(where, keys);
  auto code = GetString(j, "kind", 64);
  if (!code.ok()) return AtRules(where, code.status());
  if (!ParseMeetingKind(*code, &out->kind))
    return BadRules(where, "未知的会议类型：" + *code, "unknown meeting kind: " + *code);
  std::string w = where + "." + *code;
  auto it = j.find("quorum_any_of");
  if (it == j.end() || !it->is_array() || it->empty())
    return BadRules(w, "quorum_any_of 应为非空数组", "quorum_any_of must be a non-empty array");
  for (size_t i = 0; i < it->size(); ++i) {
    QuorumClause c;
    SHEFU_RETURN_IF_ERROR(
        ParseClause((*it)[i], w + ".quorum_any_of[" + std::to_string(i) + "]", out->kind, &c));
    out->quorum_any_of.push_back(std::move(c));
  }
  auto d = j.find("decision");
  if (d == j.end() || !d->is_object()) return BadRules(w, "缺少 decision", "decision is missing");
  Status dk = CheckKeys(*d, "num,den,bound,source");
  if (!dk.ok()) return AtRules(w + ".decision", dk);
  SHEFU_RETURN_IF_ERROR(ParseThreshold(*d, w + ".decision", &out->decision));
  auto source = GetString(*d, "source", 200, 1);
  if (!source.ok()) return AtRules(w + ".decision", source.status());
  out->decision_source = *source;
  return Status::Ok();
}

Status ParseRulesVersion(const Json& j, const std::string& where, MeetingRules* out) {
  Status keys = CheckKeys(j, "policy_version,effective_from,proxy,kinds");
  if (!keys.ok()) return AtRules(where, keys);
  auto id = GetString(j, "policy_version", 64, 1);
  if (!id.ok()) return AtRules(where, id.status());
  out->policy_version = *id;
  std::string w = where + "." + *id;
  auto from = GetString(j, "effective_from", 10);
  if (!from.ok()) return AtRules(w, from.status());
  auto date = ParseDate(*from);
  if (!date.ok()) return AtRules(w + ".effective_from", date.status());
  out->effective_from = *date;

  auto p = j.find("proxy");
  if (p == j.end() || !p->is_object()) return BadRules(w, "缺少 proxy", "proxy is missing");
  Status pk = CheckKeys(*p, "cap_per_proxy,close_relatives_only");
  if (!pk.ok()) return AtRules(w + ".proxy", pk);
  auto cap = GetInt(*p, "cap_per_proxy", 1, 3);
  if (!cap.ok()) return AtRules(w + ".proxy", cap.status());
  out->proxy.cap_per_proxy = static_cast<int>(*cap);
  auto rel = GetBool(*p, "close_relatives_only");
  if (!rel.ok()) return AtRules(w + ".proxy", rel.status());
  out->proxy.close_relatives_only = *rel;

  auto kinds = j.find("kinds");
  if (kinds == j.end() || !kinds->is_array())
    return BadRules(w, "kinds 应为数组", "kinds must be an array");
  std::set<MeetingKind> seen;
  for (size_t i = 0; i < kinds->size(); ++i) {
    MeetingKindRules r;
    SHEFU_RETURN_IF_ERROR(ParseKind((*kinds)[i], w + ".kinds[" + std::to_string(i) + "]", &r));
    if (!seen.insert(r.kind).second)
      return BadRules(w, std::string("会议类型重复：") + MeetingKindCode(r.kind),
                      std::string("duplicate meeting kind: ") + MeetingKindCode(r.kind));
    out->kinds.push_back(std::move(r));
  }
  for (MeetingKind k : AllMeetingKinds())
    if (!seen.count(k))
      return BadRules(w, std::string("缺少会议类型：") + MeetingKindCode(k),
                      std::string("meeting kind missing: ") + MeetingKindCode(k));
  return Status::Ok();
}

}  // namespace

Result<MeetingRuleBook> MeetingRuleBook::Parse(std::string_view json_text) {
  auto root = ParseJson(json_text);
  if (!root.ok()) return AtRules("json", root.status());
  Status keys = CheckKeys(*root, "format,note,versions");
  if (!keys.ok()) return AtRules("root", keys);
  auto format = GetString(*root, "format", 64);
  if (!format.ok() || *format != "shefu-meeting-rules/1")
    return BadRules("format", "应为 shefu-meeting-rules/1", "expected shefu-meeting-rules/1");
  auto versions = root->find("versions");
  if (versions == root->end() || !versions->is_array() || versions->empty())
    return BadRules("versions", "应为非空数组", "must be a non-empty array");
  MeetingRuleBook book;
  for (size_t i = 0; i < versions->size(); ++i) {
    MeetingRules r;
    SHEFU_RETURN_IF_ERROR(
        ParseRulesVersion((*versions)[i], "versions[" + std::to_string(i) + "]", &r));
    for (const auto& other : book.versions_) {
      if (other.policy_version == r.policy_version)
        return BadRules(r.policy_version, "政策版本重复", "duplicate policy version");
      if (other.effective_from == r.effective_from)
        return BadRules(r.policy_version, "生效日期与其他版本相同",
                        "effective_from equals another version's");
    }
    book.versions_.push_back(std::move(r));
  }
  std::sort(book.versions_.begin(), book.versions_.end(),
            [](const MeetingRules& a, const MeetingRules& b) {
              return a.effective_from < b.effective_from;
            });
  return book;
}

Result<MeetingRuleBook> MeetingRuleBook::LoadEmbedded() {
  return Parse(std::string_view(reinterpret_cast<const char*>(embedded::meeting_rules),
                                embedded::meeting_rules_size));
}

const MeetingRuleBook& MeetingRuleBook::Embedded() {
  static const MeetingRuleBook book = [] {
    auto b = LoadEmbedded();
    return b.ok() ? std::move(*b) : MeetingRuleBook();
  }();
  return book;
}

}  // namespace shefu
