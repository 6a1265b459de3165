// Client: a community meeting on the device, offline (issue 6, docs/voting.md §4).
//
// The meeting and its frozen roll arrive by ordinary sync (entity `meeting`, written by town
// staff). Everything the chair does at the meeting is a record in the device's own log:
//   check-in / check-out / open / close  -> meeting_event (attributed: device, HLC stamp)
//   an open (named) ballot               -> vote {ballot, voter, choice|marks, assisted_by?,
//   proxy?} a secret ballot                      -> meeting_event `issue` (who took a ballot:
//   participation)
//                                           + a secret_choice in the anonymous stream (no voter,
//                                           no order, no time), shuffled and sealed at close
// The device refuses what it can see is wrong (a second ballot by the same roll entry, a proxy
// not listed in the roll package, a vote after its own close); the server's final tally applies
// the same rules across devices (shared/meeting_tally.h), so the provisional tally shown here and
// the final one differ only by what the other devices recorded.
#include <algorithm>
#include <set>

#include "client/client.h"
#include "client/need_form.h"
#include "shared/meeting_tally.h"
#include "sync/device_store.h"

namespace shefu::client {
namespace {

// Fewer secret ballots than this in one device's box can be linked to its check-ins.
constexpr int64_t kSmallSecretBatch = 5;

Status Refuse(const std::string& code, const std::string& zh, const std::string& en,
              const std::string& article = {}) {
  return Status::Error(code, zh, en, article);
}

std::string DeviceOf(const sync::GroupView& g, const std::string& own) {
  return g.local || g.node.empty() ? own : g.node;
}

Json EntryJson(const RollEntry& e) {
  return {{"id", e.id}, {"no", e.no}, {"name", e.name}, {"household", e.household}};
}

}  // namespace

struct Client::LocalMeeting {
  std::string id;
  MeetingSpec spec;
  RollPackage roll;
  const MeetingKindRules* rules = nullptr;
  Json final = Json::object();
};

Result<Client::LocalMeeting> Client::LoadLocalMeeting(const std::string& meeting) {
  SHEFU_RETURN_IF_ERROR(RequireEnrolled());
  auto full = ResolveId("meeting", meeting);
  if (!full.ok()) return full.status();
  auto v = store_->engine().Read("meeting", *full);
  if (!v.ok()) return v.status();
  if (!*v || !(*v)->Find("meeting"))
    return Refuse("not_found", "找不到会议：" + meeting, "no such meeting: " + meeting);
  LocalMeeting m;
  m.id = *full;
  auto spec = ParseMeetingSpec(m.id, (*v)->Find("meeting")->value);
  if (!spec.ok()) return spec.status();
  m.spec = std::move(*spec);
  const sync::GroupView* roll = (*v)->Find("roll");
  if (!roll)
    return Refuse("no_roll", "会议名册尚未下发，请先同步",
                  "the meeting's roll has not arrived: sync first");
  auto r = ParseRoll(roll->value);
  if (!r.ok()) return r.status();
  m.roll = std::move(*r);
  const MeetingRules* rules = MeetingRuleBook::Embedded().ForPolicyVersion(m.spec.policy_version);
  m.rules = rules ? rules->Find(m.spec.kind) : nullptr;
  if (!m.rules)
    return Refuse("missing_rules",
                  "本机没有政策版本 " + m.spec.policy_version + " 的会议规则，请升级",
                  "this device lacks the meeting rules of policy version " + m.spec.policy_version +
                      ": upgrade");
  if (const sync::GroupView* f = (*v)->Find("final")) m.final = f->value;
  return m;
}

Result<BallotInputs> Client::MeetingInputs(const LocalMeeting& m, const MeetingBallot* b) {
  BallotInputs in;
  const std::string own = store_->client_id();
  auto events = store_->engine().List("meeting_event");
  if (!events.ok()) return events.status();
  for (const auto& v : *events) {
    const sync::GroupView* g = v.Find(kRecordGroup);
    if (!g || g->value.value("meeting", "") != m.id) continue;
    auto e = MeetingEventFromJson(g->value, v.id, DeviceOf(*g, own), g->hlc.AsInt());
    if (!e.ok()) continue;
    if (g->seq > 0) in.log_seq[v.id] = g->seq;
    in.events.push_back(std::move(*e));
  }
  if (!b) return in;
  const std::string key = BallotKey(m.id, b->id);
  if (!b->spec.secret) {
    auto votes = store_->engine().List("vote");
    if (!votes.ok()) return votes.status();
    for (const auto& v : *votes) {
      const sync::GroupView* g = v.Find(kRecordGroup);
      if (!g || g->value.value("ballot", "") != key) continue;
      shefu::VoteRecord r;
      r.id = v.id;
      r.ballot = key;
      r.voter = g->value.value("voter", "");
      r.choice = CastFromVoteValue(g->value);
      r.device = DeviceOf(*g, own);
      r.stamp = {g->hlc.AsInt(), r.device};
      if (g->seq > 0) in.log_seq[v.id] = g->seq;
      if (!g->value.value("proxy", "").empty()) in.vote_proxy[v.id] = g->value["proxy"];
      in.votes.push_back(std::move(r));
    }
  } else {
    // This device's own sealed box (already shuffled): the provisional count after close.
    auto st = db_->Cached("SELECT items FROM sync_anon_batch");
    for (;;) {
      auto r = st.Step();
      if (!r.ok()) return r.status();
      if (!*r) break;
      auto items = ParseJson(st->Str(0), 64);
      if (!items.ok() || !items->is_array()) continue;
      for (const Json& it : *items)
        if (it.value("entity", "") == "secret_choice" && it.contains("value") &&
            it["value"].value("ballot", "") == key)
          in.secret.push_back(CastFromVoteValue(it["value"]));
    }
  }
  return in;
}

Result<Json> Client::MeetingLive(const LocalMeeting& m) {
  Json out = Json::array();
  for (const auto& b : m.spec.ballots) {
    auto in = MeetingInputs(m, &b);
    if (!in.ok()) return in.status();
    auto live = LiveMeetingState(m.spec, m.roll, *m.rules, &b, *in, store_->client_id());
    if (!live.ok()) return live.status();
    Json j = LiveStateJson(*live);
    j["ballot"] = b.id;
    j["title"] = b.title;
    j["secret"] = b.spec.secret;
    out.push_back(std::move(j));
  }
  return out;
}

Result<Json> Client::MeetingList() {
  SHEFU_RETURN_IF_ERROR(Usable());
  auto all = store_->engine().List("meeting");
  if (!all.ok()) return all.status();
  Json out = Json::array();
  for (const auto& v : *all) {
    const sync::GroupView* g = v.Find("meeting");
    if (!g) continue;
    auto spec = ParseMeetingSpec(v.id, g->value);
    if (!spec.ok()) continue;
    Json j = MeetingSpecJson(*spec);
    j["id"] = v.id;
    j["short_id"] = ShortId(v.id);
    const sync::GroupView* roll = v.Find("roll");
    j["roll_version"] = roll ? roll->value.value("version", int64_t{0}) : 0;
    j["roll_size"] = roll ? roll->value.value("entries", Json::array()).size() : 0;
    out.push_back(std::move(j));
  }
  return out;
}

Result<Json> Client::MeetingGet(const std::string& meeting, bool with_roll) {
  auto m = LoadLocalMeeting(meeting);
  if (!m.ok()) return m.status();
  Json j = MeetingSpecJson(m->spec);
  j["id"] = m->id;
  j["short_id"] = ShortId(m->id);
  j["roll"] = RollJson(m->roll);
  if (!with_roll) j["roll"].erase("entries");
  j["roll"]["size"] = m->roll.entries.size();
  auto live = MeetingLive(*m);
  if (!live.ok()) return live.status();
  j["live"] = std::move(*live);
  j["final"] = m->final;
  return j;
}

Status Client::MeetingEventWrite(const LocalMeeting& m, Json v) {
  v["meeting"] = m.id;
  v["community"] = m.spec.community;
  v["roll_version"] = m.roll.version;
  auto r = store_->Create("meeting_event", {{"record", std::move(v)}});
  return r.ok() ? Status::Ok() : r.status();
}

Result<Json> Client::MeetingOpen(const std::string& meeting, const std::string& ballot) {
  auto m = LoadLocalMeeting(meeting);
  if (!m.ok()) return m.status();
  Json ev = {{"kind", "open"}};
  if (!ballot.empty()) {
    if (!m->spec.FindBallot(ballot))
      return Refuse("unknown_ballot", "没有这项表决：" + ballot, "no such ballot: " + ballot);
    ev["ballot"] = ballot;
  }
  SHEFU_RETURN_IF_ERROR(MeetingEventWrite(*m, std::move(ev)));
  return MeetingGet(m->id, false);
}

Result<Json> Client::MeetingCheck(const std::string& meeting, const std::string& entry, bool in,
                                  const std::string& assisted_by) {
  auto m = LoadLocalMeeting(meeting);
  if (!m.ok()) return m.status();
  const RollEntry* e = m->roll.Lookup(entry);
  if (!e)
    return Refuse("not_on_roll", "名册上没有：" + entry + "（未列入名册的人须由镇街核实后补登）",
                  "not on the roll: " + entry + " (walk-ins are added by the town after checking)");
  auto inputs = MeetingInputs(*m, nullptr);
  if (!inputs.ok()) return inputs.status();
  // Present now = the latest of this entry's check-ins / check-outs on what this device sees.
  std::tuple<int64_t, std::string> last{-1, ""};
  bool present = false;
  for (const auto& x : inputs->events) {
    if (x.entry != e->id) continue;
    if (x.kind != MeetingEventKind::kCheckIn && x.kind != MeetingEventKind::kCheckOut) continue;
    std::tuple<int64_t, std::string> k{x.hlc, x.id};
    if (k > last) {
      last = k;
      present = x.kind == MeetingEventKind::kCheckIn;
    }
  }
  if (in && present)
    return Refuse("already_checked_in", "已签到：" + std::to_string(e->no) + " " + e->name,
                  "already checked in: " + std::to_string(e->no) + " " + e->name);
  if (!in && !present)
    return Refuse("not_checked_in", "未签到：" + std::to_string(e->no) + " " + e->name,
                  "not checked in: " + std::to_string(e->no) + " " + e->name);
  Json ev = {{"kind", in ? "check_in" : "check_out"}, {"entry", e->id}};
  if (!assisted_by.empty()) ev["assisted_by"] = assisted_by;
  SHEFU_RETURN_IF_ERROR(MeetingEventWrite(*m, std::move(ev)));
  auto live = MeetingLive(*m);
  if (!live.ok()) return live.status();
  return Json{{"meeting", m->id}, {"entry", EntryJson(*e)}, {"live", std::move(*live)}};
}

Result<Json> Client::MeetingVote(const std::string& meeting, const Json& vote) {
  auto m = LoadLocalMeeting(meeting);
  if (!m.ok()) return m.status();
  if (!vote.is_object())
    return Refuse("bad_form", "投票必须是 JSON 对象", "a vote must be a JSON object");
  SHEFU_RETURN_IF_ERROR(CheckKeys(vote, "ballot,entry,choice,marks,assisted_by,proxy"));
  const MeetingBallot* b = m->spec.FindBallot(vote.value("ballot", ""));
  if (!b) return Refuse("unknown_ballot", "没有这项表决", "no such ballot");
  const RollEntry* e = m->roll.Lookup(vote.value("entry", ""));
  if (!e) return Refuse("not_on_roll", "名册上没有这个人", "not on the roll");
  const RollEntry* proxy = nullptr;
  if (!vote.value("proxy", "").empty()) {
    proxy = m->roll.Lookup(vote.value("proxy", ""));
    if (!proxy) return Refuse("not_on_roll", "受托人不在名册上", "the proxy is not on the roll");
  }
  Json marks_src = vote;
  marks_src.erase("entry");
  CastBallot cast = CastFromVoteValue(marks_src);
  BallotClass cls = ClassifyBallot(b->spec, cast);
  if (cls.validity == BallotValidity::kInvalid)
    return Refuse("bad_choice", "选票无效（" + cls.reason + "），请重新选择",
                  "invalid ballot (" + cls.reason + "): choose again", kBallotRulesSource);

  auto in = MeetingInputs(*m, b);
  if (!in.ok()) return in.status();
  auto live = LiveMeetingState(m->spec, m->roll, *m->rules, b, *in, store_->client_id());
  if (!live.ok()) return live.status();
  if (live->closed_here)
    return Refuse("ballot_closed", "本机已结束这项表决，之后的投票无效",
                  "this device has closed the ballot: later votes are invalid");
  // Present in person now (check-ins on this device's view).
  std::set<std::string> here;
  {
    std::map<std::string, std::tuple<int64_t, std::string, bool>> last;
    for (const auto& x : in->events) {
      if (x.kind != MeetingEventKind::kCheckIn && x.kind != MeetingEventKind::kCheckOut) continue;
      auto k = std::make_tuple(x.hlc, x.id, x.kind == MeetingEventKind::kCheckIn);
      if (!last.count(x.entry) || k > last[x.entry]) last[x.entry] = k;
    }
    for (const auto& [id, k] : last)
      if (std::get<2>(k)) here.insert(id);
  }
  if (proxy) {
    bool listed = false;
    for (const auto& g : m->roll.proxies)
      listed = listed || (g.principal == e->id && g.proxy == proxy->id);
    if (!listed)
      return Refuse("proxy_not_listed", "这项委托没有事先登记在名册中，不能代投",
                    "this proxy was not listed in the roll package in advance", kProxyRulesSource);
    if (here.count(e->id))
      return Refuse("principal_present", "委托人本人已到会，委托失效",
                    "the principal is present in person: the proxy is void", kProxyRulesSource);
    if (!here.count(proxy->id))
      return Refuse("not_checked_in", "受托人未签到", "the proxy has not checked in");
  } else if (!here.count(e->id)) {
    return Refuse("not_checked_in", "请先签到：" + std::to_string(e->no) + " " + e->name,
                  "check in first: " + std::to_string(e->no) + " " + e->name);
  }
  // One ballot per roll entry: refuse the second one this device can see.
  const std::string key = BallotKey(m->id, b->id);
  bool already = false;
  for (const auto& v : in->votes) already = already || v.voter == e->id;
  for (const auto& x : in->events)
    already =
        already || (x.kind == MeetingEventKind::kIssue && x.ballot == b->id && x.entry == e->id);
  if (already)
    return Refuse("already_voted", "此人已经投过票：" + std::to_string(e->no) + " " + e->name,
                  "this person has already voted: " + std::to_string(e->no) + " " + e->name);

  Json choice = Json::object();
  if (vote.contains("marks")) {
    std::vector<std::string> sorted = cast.marks;
    std::sort(sorted.begin(), sorted.end());
    choice["marks"] = sorted;
  } else {
    choice["choice"] = vote.value("choice", "blank");
  }
  std::string assisted = vote.value("assisted_by", "");
  if (!b->spec.secret) {
    Json v = {{"ballot", key}, {"community", m->spec.community}, {"voter", e->id}};
    v.update(choice);
    if (!assisted.empty()) v["assisted_by"] = assisted;
    if (proxy) v["proxy"] = proxy->id;
    auto id = store_->Create("vote", {{"record", std::move(v)}});
    if (!id.ok()) return id.status();
  } else {
    // Participation (attributed) and choice (anonymous) are written apart; the assistant is
    // recorded with the participation, never with the choice.
    SHEFU_RETURN_IF_ERROR(db_->Exec("PRAGMA secure_delete = ON"));
    Json ev = {{"kind", "issue"}, {"ballot", b->id}, {"entry", e->id}};
    if (!assisted.empty()) ev["assisted_by"] = assisted;
    if (proxy) ev["proxy"] = proxy->id;
    SHEFU_RETURN_IF_ERROR(MeetingEventWrite(*m, std::move(ev)));
    Json c = {{"ballot", key}, {"community", m->spec.community}};
    c.update(choice);
    SHEFU_RETURN_IF_ERROR(store_->AnonAdd(key, "secret_choice", std::move(c)));
  }
  auto after = MeetingInputs(*m, b);
  if (!after.ok()) return after.status();
  auto now = LiveMeetingState(m->spec, m->roll, *m->rules, b, *after, store_->client_id());
  if (!now.ok()) return now.status();
  Json j = LiveStateJson(*now);
  j["ballot"] = b->id;
  j["title"] = b->title;
  j["secret"] = b->spec.secret;
  return Json{{"meeting", m->id}, {"entry", EntryJson(*e)}, {"live", std::move(j)}};
}

Result<Json> Client::MeetingClose(const std::string& meeting, const std::string& ballot) {
  auto m = LoadLocalMeeting(meeting);
  if (!m.ok()) return m.status();
  const MeetingBallot* b = m->spec.FindBallot(ballot);
  if (!b) return Refuse("unknown_ballot", "没有这项表决：" + ballot, "no such ballot: " + ballot);
  auto in = MeetingInputs(*m, b);
  if (!in.ok()) return in.status();
  for (const auto& x : in->events)
    if (x.kind == MeetingEventKind::kClose && x.ballot == b->id && x.device == store_->client_id())
      return Refuse("ballot_closed", "本机已结束这项表决",
                    "this device has already closed the ballot");
  int64_t sealed = 0;
  if (b->spec.secret) {
    // Shuffle and seal this device's box (one anonymous batch: ballot, count, the day only).
    auto n = store_->AnonClose(BallotKey(m->id, b->id));
    if (!n.ok()) return n.status();
    sealed = *n;
  }
  SHEFU_RETURN_IF_ERROR(
      MeetingEventWrite(*m, {{"kind", "close"}, {"ballot", b->id}, {"count", sealed}}));
  if (b->spec.secret) {
    // The WAL holds the choices in insertion order until it is checkpointed (docs/voting.md §4.4).
    SHEFU_RETURN_IF_ERROR(db_->Exec("PRAGMA wal_checkpoint(TRUNCATE)"));
  }
  auto result = MeetingResult(m->id, b->id);
  if (!result.ok()) return result.status();
  Json warnings = Json::array();
  if (b->spec.secret && sealed > 0 && sealed < kSmallSecretBatch) {
    // A small box and its check-ins can reveal choices (everyone on it chose alike): §4.4 item 4.
    warnings.push_back(
        {{"code", "small_secret_batch"},
         {"message_zh",
          "本机只有 " + std::to_string(sealed) +
              " 张无记名选票，与本机签到记录对照可能推知选择；无记名表决请由一台设备统一收票"},
         {"message_en", "only " + std::to_string(sealed) +
                            " secret ballots on this tablet: with its check-ins they may reveal "
                            "choices; let one tablet take all secret ballots"}});
  }
  (*result)["warnings"] = std::move(warnings);
  return result;
}

Result<Json> Client::MeetingResult(const std::string& meeting, const std::string& ballot) {
  auto m = LoadLocalMeeting(meeting);
  if (!m.ok()) return m.status();
  Json out = Json::array();
  for (const auto& b : m->spec.ballots) {
    if (!ballot.empty() && b.id != ballot) continue;
    auto in = MeetingInputs(*m, &b);
    if (!in.ok()) return in.status();
    auto t = TallyMeetingBallot(m->spec, m->roll, *m->rules, b, *in);
    if (!t.ok()) return t.status();
    Json j = BallotTallyJson(*t);
    j["title"] = b.title;
    j["provisional"] = true;
    j["final"] = m->final.contains(b.id) ? m->final[b.id] : Json();
    out.push_back(std::move(j));
  }
  if (out.empty() && !ballot.empty())
    return Refuse("unknown_ballot", "没有这项表决：" + ballot, "no such ballot: " + ballot);
  return Json{{"meeting", m->id}, {"title", m->spec.title}, {"ballots", std::move(out)}};
}

}  // namespace shefu::client
