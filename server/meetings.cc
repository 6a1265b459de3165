#include "server/meetings.h"

#include <set>

#include "server/projects.h"
#include "shared/civil_time.h"
#include "shared/masking.h"
#include "shared/public_notice.h"
#include "shared/work_calendar.h"

namespace shefu::server {
namespace {

Status MeetingNotFound(std::string_view id) {
  return Status::Error("not_found", "找不到会议：" + std::string(id.substr(0, 64)),
                       "no such meeting: " + std::string(id.substr(0, 64)));
}

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r' || s.back() == '\t')) s.pop_back();
  size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  return s.substr(i);
}

// One CSV line (RFC 4180 quotes; no newlines inside fields).
std::vector<std::string> CsvFields(std::string_view line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        out.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        out.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  for (auto& f : out) f = Trim(f);
  return out;
}

Result<bool> YesNo(const std::string& s, const char* col, bool dflt) {
  if (s.empty()) return dflt;
  if (s == "1" || s == "yes" || s == "y" || s == "true" || s == "是") return true;
  if (s == "0" || s == "no" || s == "n" || s == "false" || s == "否") return false;
  return FieldError(col, "只能填 是/否（yes/no, 1/0）", "must be yes/no (1/0)");
}

Result<std::vector<sync::RecordView>> EventsOf(sync::SyncServer& s, const std::string& meeting) {
  sync::SyncServer::RecordQuery q;
  q.entity = "meeting_event";
  auto all = ListAll(s, q);
  if (!all.ok()) return all.status();
  std::vector<sync::RecordView> out;
  for (auto& v : *all) {
    const sync::GroupView* g = v.Find(kRecordGroup);
    if (g && g->value.is_object() && g->value.value("meeting", "") == meeting)
      out.push_back(std::move(v));
  }
  return out;
}

Result<BallotInputs> GatherInputs(sync::SyncServer& s, const Meeting& m, const MeetingBallot& b) {
  BallotInputs in;
  auto events = EventsOf(s, m.view.id);
  if (!events.ok()) return events.status();
  for (const auto& v : *events) {
    const sync::GroupView* g = v.Find(kRecordGroup);
    auto e = MeetingEventFromJson(g->value, v.id, g->node, g->hlc.AsInt());
    if (!e.ok()) continue;
    if (g->seq > 0) in.log_seq[v.id] = g->seq;
    in.events.push_back(std::move(*e));
  }
  const std::string key = BallotKey(m.view.id, b.id);
  if (!b.spec.secret) {
    sync::SyncServer::RecordQuery q;
    q.entity = "vote";
    auto votes = ListAll(s, q);
    if (!votes.ok()) return votes.status();
    for (const auto& v : *votes) {
      const sync::GroupView* g = v.Find(kRecordGroup);
      if (!g || !g->value.is_object() || g->value.value("ballot", "") != key) continue;
      VoteRecord r;
      r.id = v.id;
      r.ballot = key;
      r.voter = g->value.value("voter", "");
      r.choice = CastFromVoteValue(g->value);
      r.stamp = {g->hlc.AsInt(), g->node};
      r.device = g->node;
      if (g->seq > 0) in.log_seq[v.id] = g->seq;
      if (!g->value.value("proxy", "").empty()) in.vote_proxy[v.id] = g->value["proxy"];
      in.votes.push_back(std::move(r));
    }
    for (const Json& o : m.overrides)
      if (o.value("ballot", "") == b.id)
        in.overrides.push_back({key, o.value("voter", ""), o.value("count_record_id", ""),
                                o.value("reason", ""), o.value("chair", "")});
  } else {
    auto items = s.AnonymousItems("secret_choice", "ballot", key);
    if (!items.ok()) return items.status();
    for (const Json& v : *items) in.secret.push_back(CastFromVoteValue(v));
  }
  return in;
}

}  // namespace

Result<Meeting> LoadMeeting(sync::SyncServer& s, std::string_view id) {
  auto v = s.ReadRecord("meeting", id);
  if (!v.ok()) return v.status();
  if (!*v) return MeetingNotFound(id);
  Meeting m;
  m.view = std::move(**v);
  const sync::GroupView* g = m.view.Find("meeting");
  if (!g) return MeetingNotFound(id);
  auto spec = ParseMeetingSpec(m.view.id, g->value);
  if (!spec.ok()) return spec.status();
  m.spec = std::move(*spec);
  if (const sync::GroupView* r = m.view.Find("roll")) {
    auto roll = ParseRoll(r->value);
    if (!roll.ok()) return roll.status();
    m.roll = std::move(*roll);
  }
  if (const sync::GroupView* o = m.view.Find("overrides"))
    m.overrides = o->value.value("items", Json::array());
  if (const sync::GroupView* f = m.view.Find("final")) m.final = f->value;
  return m;
}

Result<const MeetingKindRules*> MeetingRulesFor(const MeetingSpec& m, ProxyPolicy* proxy) {
  const MeetingRules* rules = MeetingRuleBook::Embedded().ForPolicyVersion(m.policy_version);
  const MeetingKindRules* k = rules ? rules->Find(m.kind) : nullptr;
  if (!k)
    return Status::Error("missing_rules", "没有政策版本 " + m.policy_version + " 的会议规则",
                         "no meeting rules for policy version " + m.policy_version);
  if (proxy) *proxy = rules->proxy;
  return k;
}

Result<std::string> CreateMeeting(sync::SyncServer& s, const sync::Principal& p, Json body) {
  if (!body.is_object())
    return Status::Error("bad_form", "请求必须是 JSON 对象", "the body must be a JSON object");
  if (!body.contains("policy_version") && body.contains("date") && body["date"].is_string()) {
    auto d = ParseDate(body["date"].get<std::string>());
    if (d.ok()) {
      const MeetingRules* r = MeetingRuleBook::Embedded().InForceOn(*d);
      if (!r)
        return Status::Error("missing_rules", "会议日期没有适用的会议规则",
                             "no meeting rules are in force on the meeting date");
      body["policy_version"] = r->policy_version;
    }
  }
  auto spec = ParseMeetingSpec("new", body);
  if (!spec.ok()) return spec.status();
  auto rules = MeetingRulesFor(*spec);
  if (!rules.ok()) return rules.status();
  return s.CreateRecord(
      p, "meeting",
      {{"place", Json{{"code", spec->community}}}, {"meeting", MeetingSpecJson(*spec)}});
}

Result<std::vector<RollRow>> RollRowsFromCsv(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // Excel's BOM
  std::vector<std::string> lines;
  size_t at = 0;
  while (at <= text.size()) {
    size_t nl = text.find('\n', at);
    std::string line(text.substr(at, nl == std::string_view::npos ? text.npos : nl - at));
    if (!Trim(line).empty()) lines.push_back(line);
    if (nl == std::string_view::npos) break;
    at = nl + 1;
  }
  if (lines.empty()) return Status::Error("bad_roll", "名册文件为空", "the roll file is empty");
  std::vector<std::string> head = CsvFields(lines[0]);
  std::map<std::string, size_t> col;
  for (size_t i = 0; i < head.size(); ++i) {
    const std::string& h = head[i];
    if (h == "id" || h == "id_number" || h.find("身份证") != std::string::npos)
      return Status::Error("roll_contains_id_number", "名册不得含身份证号列：" + h,
                           "the roll must not have an ID-number column: " + h,
                           "个人信息保护法 第六条");
    col[h] = i;
  }
  if (!col.count("ref") || !col.count("name"))
    return Status::Error("bad_roll", "名册表头须包含 ref 和 name 列",
                         "the roll's header needs the columns ref and name");
  std::vector<RollRow> rows;
  for (size_t li = 1; li < lines.size(); ++li) {
    std::vector<std::string> f = CsvFields(lines[li]);
    auto get = [&](const char* c) -> std::string {
      auto it = col.find(c);
      return it != col.end() && it->second < f.size() ? f[it->second] : "";
    };
    RollRow r;
    r.ref = get("ref");
    r.name = get("name");
    r.household = get("household");
    r.group = get("group");
    r.proxy_ref = get("proxy_ref");
    auto adult = YesNo(get("adult"), "adult", true);
    auto rep = YesNo(get("rep"), "rep", false);
    auto pw = YesNo(get("proxy_written"), "proxy_written", false);
    auto cr = YesNo(get("close_relative"), "close_relative", false);
    for (auto* st : {&adult, &rep, &pw, &cr})
      if (!st->ok())
        return Status::Error("bad_roll",
                             "第 " + std::to_string(li + 1) + " 行：" + st->status().zh(),
                             "line " + std::to_string(li + 1) + ": " + st->status().en());
    r.adult = *adult;
    r.rep = *rep;
    r.proxy_written = *pw;
    r.close_relative = *cr;
    rows.push_back(std::move(r));
  }
  return rows;
}

Result<std::vector<RollRow>> RollRowsFromJson(const Json& rows) {
  if (!rows.is_array()) return FieldError("rows", "必须是数组", "must be an array");
  std::vector<RollRow> out;
  for (const Json& j : rows) {
    if (!j.is_object()) return FieldError("rows", "每行必须是对象", "rows are objects");
    SHEFU_RETURN_IF_ERROR(
        CheckKeys(j, "ref,name,household,group,adult,rep,proxy_ref,proxy_written,close_relative"));
    RollRow r;
    auto ref = GetString(j, "ref", 64, 1);
    if (!ref.ok()) return ref.status();
    r.ref = *ref;
    auto name = GetString(j, "name", 100, 1);
    if (!name.ok()) return name.status();
    r.name = *name;
    r.household = j.value("household", "");
    r.group = j.value("group", "");
    r.proxy_ref = j.value("proxy_ref", "");
    r.adult = j.value("adult", true);
    r.rep = j.value("rep", false);
    r.proxy_written = j.value("proxy_written", false);
    r.close_relative = j.value("close_relative", false);
    out.push_back(std::move(r));
  }
  return out;
}

Result<RollPackage> PrepareRoll(sync::SyncServer& s, const sync::Principal& p, const Meeting& m,
                                const std::vector<RollRow>& rows, Rng& rng, int64_t now_ms) {
  ProxyPolicy policy;
  auto rules = MeetingRulesFor(m.spec, &policy);
  if (!rules.ok()) return rules.status();
  if (m.roll) {
    auto events = EventsOf(s, m.view.id);
    if (!events.ok()) return events.status();
    if (!events->empty())
      return Status::Error(
          "roll_in_use",
          "设备已按第 " + std::to_string(m.roll->version) + " 版名册登记，名册已冻结，不能再改",
          "devices have recorded events under roll version " + std::to_string(m.roll->version) +
              "; the roll is frozen");
  }
  RollPackage r;
  r.version = m.roll ? m.roll->version + 1 : 1;
  r.frozen_at = FormatUtcIso(now_ms);
  r.listing_deadline_ms = now_ms;
  std::map<std::string, std::string> id_of_ref;
  int64_t no = 0;
  for (const RollRow& row : rows) {
    if (row.ref.empty() || id_of_ref.count(row.ref))
      return Status::Error("bad_roll", "名册行号缺失或重复：" + row.ref,
                           "missing or duplicate roll ref: " + row.ref);
    RollEntry e;
    e.id = "r" + rng.Hex(6);
    e.no = ++no;
    e.name = MaskName(row.name);
    e.household = row.household;
    e.group = row.group;
    e.adult = row.adult;
    e.rep = row.rep;
    id_of_ref[row.ref] = e.id;
    r.entries.push_back(std::move(e));
  }
  for (const RollRow& row : rows) {
    if (row.proxy_ref.empty()) continue;
    ProxyGrant g;
    g.principal = id_of_ref[row.ref];
    auto it = id_of_ref.find(row.proxy_ref);
    g.proxy = it == id_of_ref.end() ? "ref:" + row.proxy_ref : it->second;
    g.written = row.proxy_written;
    g.close_relative = row.close_relative;
    g.listed_at_ms = now_ms;
    r.proxies.push_back(std::move(g));
  }
  Findings f = ValidateRoll(r, policy);
  if (!f.ok()) return f.FirstError();
  r.hash = RollHash(r, m.spec.policy_version);
  auto w = s.LocalWrite(p, {{"meeting", m.view.id, "roll", RollJson(r), std::nullopt}});
  if (!w.ok()) return w.status();
  return r;
}

Result<BallotTally> TallyBallot(sync::SyncServer& s, const Meeting& m, const MeetingBallot& b) {
  if (!m.roll) return Status::Error("no_roll", "会议还没有名册", "the meeting has no roll yet");
  auto rules = MeetingRulesFor(m.spec);
  if (!rules.ok()) return rules.status();
  auto in = GatherInputs(s, m, b);
  if (!in.ok()) return in.status();
  return TallyMeetingBallot(m.spec, *m.roll, **rules, b, *in);
}

Result<std::vector<VoteRecord>> CountedVotes(sync::SyncServer& s, const Meeting& m,
                                             const MeetingBallot& b) {
  auto t = TallyBallot(s, m, b);  // the same checks as the tally (roll, proxies, late votes)
  if (!t.ok()) return t.status();
  auto in = GatherInputs(s, m, b);
  if (!in.ok()) return in.status();
  std::set<std::string> counted(t->counted_ids.begin(), t->counted_ids.end());
  std::vector<VoteRecord> out;
  for (auto& v : in->votes)
    if (counted.count(v.id)) out.push_back(std::move(v));
  return out;
}

Result<std::vector<BallotTally>> TallyMeeting(sync::SyncServer& s, const Meeting& m) {
  std::vector<BallotTally> out;
  for (const auto& b : m.spec.ballots) {
    auto t = TallyBallot(s, m, b);
    if (!t.ok()) return t.status();
    out.push_back(std::move(*t));
  }
  return out;
}

Status AddOverride(sync::SyncServer& s, const sync::Principal& p, const Meeting& m,
                   const std::string& ballot, const std::string& voter,
                   const std::string& record_id, const std::string& reason,
                   const std::string& chair, int64_t now_ms) {
  const MeetingBallot* b = m.spec.FindBallot(ballot);
  if (!b)
    return Status::Error("unknown_ballot", "没有这项表决：" + ballot, "no such ballot: " + ballot);
  if (b->spec.secret)
    return Status::Error("override_secret", "无记名投票不能指定计入哪一票",
                         "a secret ballot has no votes to choose between");
  Meeting next = m;
  next.overrides.push_back({{"ballot", ballot},
                            {"voter", voter},
                            {"count_record_id", record_id},
                            {"reason", reason},
                            {"chair", chair},
                            {"at", FormatUtcIso(now_ms)}});
  // The override must make sense for the rule (a real duplicate, one of the voter's votes).
  auto t = TallyBallot(s, next, *b);
  if (!t.ok()) return t.status();
  auto w = s.LocalWrite(
      p, {{"meeting", m.view.id, "overrides", Json{{"items", next.overrides}}, std::nullopt}});
  return w.ok() ? Status::Ok() : w.status();
}

Result<Json> FinalizeBallot(sync::SyncServer& s, const sync::Principal& p, const Meeting& m,
                            const MeetingBallot& b, const Date& today, int notice_days,
                            const std::string& by, int64_t now_ms) {
  auto t = TallyBallot(s, m, b);
  if (!t.ok()) return t.status();
  auto period =
      StartNotice(today, notice_days, CivilCodePeriod(DayUnit::kCalendarDays, [](const Date& d) {
                    return WorkCalendar::Embedded().IsWorkingDay(d);
                  }));
  if (!period.ok()) return period.status();
  // The notice shows aggregates and the proxy list with masked names, never a choice.
  std::vector<NamedProxy> proxies;
  for (const ProxyGrant& g : m.roll->proxies) {
    const RollEntry* a = m.roll->Find(g.principal);
    const RollEntry* x = m.roll->Find(g.proxy);
    if (a && x) proxies.push_back({NoticeName(a->name), NoticeName(x->name)});
  }
  bool passed = t->record.verdict == TallyVerdict::kAdopted;
  Json entry = BallotTallyJson(*t);
  entry["finalized_at"] = FormatUtcIso(now_ms);
  entry["by"] = by;
  entry["notice"] = {{"published_on", FormatDate(period->published_on)},
                     {"first_day", FormatDate(period->first_day)},
                     {"last_day", FormatDate(period->last_day)},
                     {"days", period->days},
                     {"source", kCivilCodePeriods},
                     {"text_zh", entry["record"]["text_zh"].get<std::string>() + "\n" +
                                     RenderProxyListNotice(proxies, Lang::kZh)},
                     {"text_en", entry["record"]["text_en"].get<std::string>() + "\n" +
                                     RenderProxyListNotice(proxies, Lang::kEn)}};
  // The review list names vote record ids, which the notice never shows.
  std::vector<sync::SyncServer::LocalChange> changes;
  if (!b.proposal.empty()) {
    auto proj = LoadProject(s, b.proposal);
    if (!proj.ok()) return proj.status();
    Json ev = proj->Group("evidence");
    if (!ev.is_object()) ev = Json::object();
    ev["vote_ballot"] = BallotKey(m.view.id, b.id);
    ev["vote_passed"] = passed;
    changes.push_back({"project", b.proposal, "evidence", ev, std::nullopt});
    entry["proposal"] = {{"id", b.proposal}, {"vote_passed", passed}};
  }
  Json final = m.final;
  final[b.id] = entry;
  changes.push_back({"meeting", m.view.id, "final", final, std::nullopt});
  auto w = s.LocalWrite(p, std::move(changes));
  if (!w.ok()) return w.status();
  return entry;
}

std::optional<bool> MeetingBallotPassed(sync::SyncServer& s, std::string_view key) {
  size_t dot = key.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return std::nullopt;
  auto m = LoadMeeting(s, key.substr(0, dot));
  if (!m.ok()) return std::nullopt;
  const std::string ballot(key.substr(dot + 1));
  if (!m->spec.FindBallot(ballot)) return std::nullopt;
  if (!m->final.contains(ballot)) return false;
  const Json& rec = m->final[ballot]["record"];
  return rec.is_object() && rec.value("verdict", "") == "adopted";
}

Json MeetingJson(const Meeting& m, bool with_roll) {
  Json j = MeetingSpecJson(m.spec);
  j["id"] = m.view.id;
  if (m.roll) {
    Json roll = RollJson(*m.roll);
    roll["size"] = m.roll->entries.size();
    if (!with_roll) roll.erase("entries");
    j["roll"] = std::move(roll);
  }
  j["overrides"] = m.overrides;
  j["final"] = m.final;
  return j;
}

}  // namespace shefu::server
