#include "shared/meeting_tally.h"

#include <algorithm>
#include <set>
#include <tuple>

namespace shefu {
namespace {

using Closes = std::map<std::string, int64_t>;  // device -> log position of its close

// A record's place in its device's own log: the log seq when known, else its stamp.
int64_t Pos(const BallotInputs& in, const std::string& id, int64_t hlc) {
  if (in.log_seq.empty()) return hlc;
  auto it = in.log_seq.find(id);
  return it == in.log_seq.end() ? hlc : it->second;
}

Closes ClosesOf(const BallotInputs& in, const std::string& ballot) {
  Closes c;
  for (const auto& e : in.events) {
    if (e.kind != MeetingEventKind::kClose || e.ballot != ballot) continue;
    int64_t pos = Pos(in, e.id, e.hlc);
    auto it = c.find(e.device);
    if (it == c.end() || pos < it->second) c[e.device] = pos;  // the first close counts
  }
  return c;
}

// MarkLateVotes (open_votes.h) on the votes' log positions.
void MarkLate(std::vector<VoteRecord>* votes, const BallotInputs& in, const Closes& closes) {
  std::vector<VoteRecord> by_pos = *votes;
  for (auto& v : by_pos) v.stamp.hlc = Pos(in, v.id, v.stamp.hlc);
  MarkLateVotes(&by_pos, closes);
  for (size_t i = 0; i < votes->size(); ++i) (*votes)[i].after_close = by_pos[i].after_close;
}

bool AfterClose(const Closes& c, const std::string& device, int64_t hlc) {
  auto it = c.find(device);
  return it != c.end() && hlc > it->second;
}

// Entries present in person: the latest in-time check-in / check-out per entry.
std::set<std::string> PresentInPerson(const RollPackage& roll, const BallotInputs& in,
                                      const Closes& closes) {
  std::map<std::string, std::tuple<int64_t, std::string, std::string, bool>> last;
  for (const auto& e : in.events) {
    if (e.kind != MeetingEventKind::kCheckIn && e.kind != MeetingEventKind::kCheckOut) continue;
    if (!roll.Find(e.entry) || AfterClose(closes, e.device, Pos(in, e.id, e.hlc))) continue;
    auto key = std::make_tuple(e.hlc, e.device, e.id, e.kind == MeetingEventKind::kCheckIn);
    auto it = last.find(e.entry);
    if (it == last.end() || key > it->second) last[e.entry] = key;
  }
  std::set<std::string> out;
  for (const auto& [entry, k] : last)
    if (std::get<3>(k)) out.insert(entry);
  return out;
}

struct Presence {
  std::set<std::string> in_person, by_proxy;
  int64_t total() const { return static_cast<int64_t>(in_person.size() + by_proxy.size()); }
};

Presence PresenceFrom(const RollPackage& roll, std::set<std::string> in_person) {
  Presence p;
  p.in_person = std::move(in_person);
  for (const ProxyGrant& g : ActiveProxies(roll.proxies, p.in_person))
    if (p.in_person.count(g.proxy)) p.by_proxy.insert(g.principal);
  return p;
}

Attendance AttendanceOf(const RollPackage& roll, const Presence& p) {
  Headcount adults, households, members;
  std::set<std::string> hh_all, hh_present;
  for (const auto& e : roll.entries) {
    bool here = p.in_person.count(e.id) || p.by_proxy.count(e.id);
    ++members.expected;
    if (here) ++members.present;
    if (e.adult) {
      ++adults.expected;
      if (here) ++adults.present;
    }
    std::string hh = e.household.empty() ? "#" + e.id : e.household;
    hh_all.insert(hh);
    if (here) hh_present.insert(hh);
  }
  households.expected = static_cast<int64_t>(hh_all.size());
  households.present = static_cast<int64_t>(hh_present.size());
  Attendance a;
  a.adults = adults;
  a.households = households;
  a.members = members;
  a.eligible = members;
  return a;
}

const ProxyGrant* GrantFor(const RollPackage& roll, const std::string& principal,
                           const std::string& proxy) {
  for (const auto& g : roll.proxies)
    if (g.principal == principal && g.proxy == proxy) return &g;
  return nullptr;
}

std::string Short(const std::string& id) {
  return id.size() > 8 ? id.substr(id.size() - 8) : id;
}

void StaleRoll(const RollPackage& roll, const std::vector<MeetingEvent>& ev,
               std::vector<Irregularity>* out) {
  std::vector<std::string> ids;
  for (const auto& e : ev)
    if (e.roll_version != roll.version) ids.push_back(e.id);
  if (ids.empty()) return;
  out->push_back({"stale_roll",
                  {std::to_string(ids.size()) + " 条登记记录使用了旧版名册（第 " +
                       std::to_string(roll.version) + " 版为现行版本）",
                   std::to_string(ids.size()) +
                       " event(s) were made under another roll version "
                       "(version " +
                       std::to_string(roll.version) + " is current)"},
                  "",
                  ids});
}

}  // namespace

CastBallot CastFromVoteValue(const Json& v) {
  CastBallot b;
  if (auto m = v.find("marks"); m != v.end() && m->is_array()) {
    for (const Json& s : *m)
      if (s.is_string()) b.marks.push_back(s.get<std::string>());
  } else if (auto c = v.find("choice"); c != v.end() && c->is_string()) {
    if (c->get<std::string>() != "blank") b.marks.push_back(c->get<std::string>());
  }
  return b;
}

Result<BallotTally> TallyMeetingBallot(const MeetingSpec& meeting, const RollPackage& roll,
                                       const MeetingKindRules& rules, const MeetingBallot& ballot,
                                       const BallotInputs& in) {
  BallotTally t;
  t.ballot = ballot.id;
  const Closes closes = ClosesOf(in, ballot.id);
  for (const auto& [d, h] : closes) t.closed_devices.push_back(d);
  for (const auto& e : in.events)
    if ((e.kind == MeetingEventKind::kCheckIn || e.kind == MeetingEventKind::kCheckOut ||
         e.kind == MeetingEventKind::kIssue) &&
        !roll.Find(e.entry))
      t.irregularities.push_back({"not_on_roll",
                                  {"登记的人不在名册上：" + e.entry, "not on the roll: " + e.entry},
                                  e.entry,
                                  {e.id}});
  StaleRoll(roll, in.events, &t.irregularities);
  std::set<std::string> in_person = PresentInPerson(roll, in, closes);

  TallyInput ti;
  ti.title = ballot.title;
  ti.rules = &rules;
  ti.spec = ballot.spec;
  ti.mode = BallotMode::kDevices;

  if (!ballot.spec.secret) {
    std::vector<VoteRecord> votes;
    for (const VoteRecord& v : in.votes) {
      if (!roll.Find(v.voter)) {
        t.irregularities.push_back(
            {"not_on_roll",
             {"投票人不在名册上：" + v.voter, "voter not on the roll: " + v.voter},
             v.voter,
             {v.id}});
        continue;
      }
      votes.push_back(v);
    }
    MarkLate(&votes, in, closes);
    // Who voted in person (an in-time vote without a proxy) is present.
    for (const auto& v : votes)
      if (!v.after_close && !in.vote_proxy.count(v.id)) in_person.insert(v.voter);
    Presence pres = PresenceFrom(roll, in_person);
    // A proxy's vote counts only for a listed grant still in force with the proxy present.
    std::vector<VoteRecord> usable;
    for (auto& v : votes) {
      auto px = in.vote_proxy.find(v.id);
      if (px != in.vote_proxy.end() && !v.after_close) {
        if (!GrantFor(roll, v.voter, px->second)) {
          t.irregularities.push_back(
              {"proxy_not_listed",
               {"委托未事先登记，代投无效：" + px->second + " 代 " + v.voter,
                "proxy not listed in advance, vote invalid: " + px->second + " for " + v.voter},
               v.voter,
               {v.id}});
          continue;
        }
        if (!pres.by_proxy.count(v.voter)) {
          t.irregularities.push_back(
              {"proxy_not_active",
               {"委托人本人到会或受托人未到会，代投无效：" + v.voter,
                "the principal attended or the proxy was absent, vote invalid: " + v.voter},
               v.voter,
               {v.id}});
          continue;
        }
      }
      usable.push_back(std::move(v));
    }
    auto res = ResolveOpenVotes(usable, in.overrides);
    if (!res.ok()) return res.status();
    for (const auto& v : res->late) {
      ++t.late;
      t.irregularities.push_back(
          {"late_vote",
           {"设备 " + Short(v.device) + " 在本机结束表决后记录的投票，无效（" + v.voter + "）",
            "recorded after device " + Short(v.device) + " closed the ballot: invalid (" + v.voter +
                ")"},
           v.voter,
           {v.id}});
    }
    for (const auto& r : res->review) {
      std::vector<std::string> ids = {r.counted_id};
      ids.insert(ids.end(), r.other_ids.begin(), r.other_ids.end());
      t.irregularities.push_back(
          {"duplicate_vote",
           {"同一人在多台设备上投票：" + r.voter + "，计入 " + Short(r.counted_id) +
                (r.overridden ? "（主持人改定：" + r.reason + "）" : "（时间较早的一票）"),
            "voted on several devices: " + r.voter + "; counted " + Short(r.counted_id) +
                (r.overridden ? " (chair's choice: " + r.reason + ")" : " (the earlier stamp)")},
           r.voter,
           ids});
    }
    t.review = res->review;
    for (const auto& v : res->counted) t.counted_ids.push_back(v.id);
    ti.present_at_vote = pres.total();
    ti.attendance = AttendanceOf(roll, pres);
    ti.voters = static_cast<int64_t>(res->counted.size());
    ti.ballots = CountedBallots(*res, BallotKey(meeting.id, ballot.id));
  } else {
    std::map<std::string, int64_t> issued;
    int64_t extra = 0;
    for (const auto& e : in.events) {
      if (e.kind != MeetingEventKind::kIssue || e.ballot != ballot.id || !roll.Find(e.entry))
        continue;
      if (AfterClose(closes, e.device, Pos(in, e.id, e.hlc))) {
        ++t.late;
        t.irregularities.push_back(
            {"late_event",
             {"设备 " + Short(e.device) + " 结束表决后发出的选票：" + e.entry,
              "ballot issued after device " + Short(e.device) + " closed: " + e.entry},
             e.entry,
             {e.id}});
        continue;
      }
      if (!e.proxy.empty() && !GrantFor(roll, e.entry, e.proxy)) {
        ++extra;  // cast, cannot be removed: counts as an extra ballot
        t.irregularities.push_back({"proxy_not_listed",
                                    {"委托未事先登记：" + e.proxy + " 代 " + e.entry,
                                     "proxy not listed in advance: " + e.proxy + " for " + e.entry},
                                    e.entry,
                                    {e.id}});
      }
      if (e.proxy.empty()) in_person.insert(e.entry);
      if (++issued[e.entry] == 2)
        t.irregularities.push_back({"duplicate_issue",
                                    {"同一人在多台设备上领取选票：" + e.entry,
                                     "issued a ballot on several devices: " + e.entry},
                                    e.entry,
                                    {}});
    }
    Presence pres = PresenceFrom(roll, in_person);
    int64_t dups = extra;
    for (const auto& [entry, n] : issued) {
      dups += n - 1;
      if (!pres.in_person.count(entry) && !pres.by_proxy.count(entry))
        pres.by_proxy.insert(entry);  // a proxy took it: the principal's vote was cast
    }
    ti.present_at_vote = pres.total();
    ti.attendance = AttendanceOf(roll, pres);
    ti.voters = static_cast<int64_t>(issued.size());
    ti.duplicate_checkins = dups;
    ti.ballots = in.secret;
  }
  auto rec = TallyVote(ti);
  if (!rec.ok()) return rec.status();
  t.record = std::move(*rec);
  return t;
}

Result<LiveState> LiveMeetingState(const MeetingSpec& meeting, const RollPackage& roll,
                                   const MeetingKindRules& rules, const MeetingBallot* ballot,
                                   const BallotInputs& in, const std::string& own_device) {
  LiveState s;
  std::string bid = ballot ? ballot->id : "";
  Closes closes = ClosesOf(in, bid);
  s.closed_here = ballot && closes.count(own_device);
  std::set<std::string> in_person = PresentInPerson(roll, in, closes);
  int64_t yes = 0;
  std::set<std::string> cast;
  if (ballot && !ballot->spec.secret) {
    std::vector<VoteRecord> votes = in.votes;
    MarkLate(&votes, in, closes);
    auto res = ResolveOpenVotes(votes, {});
    if (!res.ok()) return res.status();
    int motion = MotionOption(ballot->spec);
    for (const auto& v : res->counted) {
      cast.insert(v.voter);
      if (!in.vote_proxy.count(v.id)) in_person.insert(v.voter);
      if (motion >= 0 && v.choice.marks.size() == 1 &&
          v.choice.marks[0] == ballot->spec.options[motion])
        ++yes;
    }
  } else if (ballot) {
    for (const auto& e : in.events)
      if (e.kind == MeetingEventKind::kIssue && e.ballot == bid &&
          !AfterClose(closes, e.device, Pos(in, e.id, e.hlc))) {
        cast.insert(e.entry);
        if (e.proxy.empty()) in_person.insert(e.entry);
      }
  }
  Presence pres = PresenceFrom(roll, in_person);
  for (const auto& c : cast)
    if (!pres.in_person.count(c)) pres.by_proxy.insert(c);
  s.attendance = AttendanceOf(roll, pres);
  s.present = pres.total();
  s.cast = static_cast<int64_t>(cast.size());
  auto q = CheckQuorum(rules, s.attendance);
  if (!q.ok()) return q.status();
  s.quorum = std::move(*q);
  if (ballot && MotionOption(ballot->spec) >= 0) {
    // A secret ballot's yes votes are not looked at before the count: only the number needed.
    int64_t known_yes = ballot->spec.secret ? 0 : yes;
    int64_t uncast = ballot->spec.secret ? s.present : s.present - s.cast;
    auto o = LiveMotionOutlook(rules.decision, s.present, known_yes, std::max<int64_t>(0, uncast));
    if (!o.ok()) return o.status();
    if (ballot->spec.secret || s.present == 0) {
      o->outlook = MotionOutlook::kOpen;
      o->findings = Findings();
    }
    s.outlook = std::move(*o);
  }
  (void)meeting;  // the same signature as the tally: the meeting names the ballot's context
  return s;
}

namespace {

Json CheckLineJson(const CheckLine& l) {
  return {{"code", l.code},
          {"rule_zh", l.rule.zh},
          {"rule_en", l.rule.en},
          {"inequality_zh", l.inequality.zh},
          {"inequality_en", l.inequality.en},
          {"count", l.count},
          {"base", l.base},
          {"holds", l.holds},
          {"source", l.source}};
}

Json FindingsJson(const Findings& f) {
  Json out = Json::array();
  for (const Finding& x : f.all())
    out.push_back({{"code", x.code},
                   {"severity", x.severity == Severity::kError ? "error" : "warning"},
                   {"message_zh", x.text.zh},
                   {"message_en", x.text.en}});
  return out;
}

}  // namespace

Json TallyRecordJson(const TallyRecord& r) {
  Json quorum = Json::array();
  for (const auto& l : r.quorum.lines) quorum.push_back(CheckLineJson(l));
  Json options = Json::array();
  for (const auto& o : r.options) {
    Json j = {{"option", o.option},
              {"label", o.label.zh},
              {"votes", o.votes},
              {"status", OptionStatusCode(o.status)}};
    if (o.decision) j["decision"] = CheckLineJson(*o.decision);
    options.push_back(std::move(j));
  }
  Json j = {{"verdict", TallyVerdictCode(r.verdict)},
            {"verdict_zh", TallyVerdictName(r.verdict).zh},
            {"verdict_en", TallyVerdictName(r.verdict).en},
            {"kind", MeetingKindCode(r.kind)},
            {"ballot_kind", BallotKindCode(r.ballot_kind)},
            {"secret", r.secret},
            {"expected", r.roll.expected},
            {"present", r.roll.present},
            {"attendance_permille", r.attendance_permille},
            {"present_at_vote", r.present_at_vote},
            {"voters", r.voters},
            {"returned", r.count.returned},
            {"valid", r.count.valid},
            {"blank", r.count.blank},
            {"invalid", r.count.invalid},
            {"quorum_met", r.quorum.met},
            {"quorum", std::move(quorum)},
            {"options", std::move(options)},
            {"excess", r.excess},
            {"findings", FindingsJson(r.findings)},
            {"text_zh", RenderTallyRecord(r, Lang::kZh)},
            {"text_en", RenderTallyRecord(r, Lang::kEn)}};
  if (r.margin)
    j["margin"] = {{"excess", r.margin->excess},
                   {"stands", r.margin->stands},
                   {"reason", r.margin->reason},
                   {"explanation_zh", r.margin->explanation.zh},
                   {"explanation_en", r.margin->explanation.en}};
  return j;
}

Json BallotTallyJson(const BallotTally& t) {
  Json irr = Json::array();
  for (const auto& i : t.irregularities)
    irr.push_back({{"code", i.code},
                   {"message_zh", i.text.zh},
                   {"message_en", i.text.en},
                   {"voter", i.voter},
                   {"records", i.records}});
  Json review = Json::array();
  for (const auto& r : t.review)
    review.push_back({{"voter", r.voter},
                      {"counted", r.counted_id},
                      {"others", r.other_ids},
                      {"overridden", r.overridden},
                      {"reason", r.reason},
                      {"chair", r.chair}});
  return {{"ballot", t.ballot},
          {"record", TallyRecordJson(t.record)},
          {"irregularities", std::move(irr)},
          {"review", std::move(review)},
          {"counted_votes", t.counted_ids},
          {"closed_devices", t.closed_devices},
          {"late", t.late}};
}

Json LiveStateJson(const LiveState& s) {
  Json lines = Json::array();
  for (const auto& l : s.quorum.lines) lines.push_back(CheckLineJson(l));
  const Headcount& m = *s.attendance.members;
  Json j = {
      {"expected", m.expected},     {"present", s.present},       {"cast", s.cast},
      {"quorum_met", s.quorum.met}, {"quorum", std::move(lines)}, {"closed_here", s.closed_here}};
  if (s.outlook) {
    const char* code = s.outlook->outlook == MotionOutlook::kAlreadyPassed ? "already_passed"
                       : s.outlook->outlook == MotionOutlook::kCannotPass  ? "cannot_pass"
                                                                           : "open";
    Json w = Json::array();
    for (const Finding& f : s.outlook->findings.all())
      w.push_back({{"code", f.code}, {"message_zh", f.text.zh}, {"message_en", f.text.en}});
    j["outlook"] = {{"state", code},
                    {"yes_needed", s.outlook->yes_needed},
                    {"more_yes_needed", s.outlook->more_yes_needed},
                    {"warnings", std::move(w)}};
  }
  return j;
}

}  // namespace shefu
