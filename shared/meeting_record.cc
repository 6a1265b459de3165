#include "shared/meeting_record.h"

#include <algorithm>
#include <set>

#include "shared/crypto.h"

namespace shefu {
namespace {

Status BadMeetingField(std::string_view field, const std::string& zh, const std::string& en) {
  return FieldError(field, zh, en);
}

// Six or more digits in a row: an ID number (or a phone) must never sit in a roll.
bool LooksLikeIdNumber(std::string_view s) {
  int run = 0;
  for (char c : s) {
    run = (c >= '0' && c <= '9') ? run + 1 : 0;
    if (run >= 6) return true;
  }
  return false;
}

Result<std::vector<std::string>> StringArray(const Json& v, std::string_view key, size_t max_n) {
  std::vector<std::string> out;
  auto it = v.find(key);
  if (it == v.end()) return out;
  if (!it->is_array() || it->size() > max_n)
    return BadMeetingField(key, "必须是字符串数组", "must be an array of strings");
  for (const Json& s : *it) {
    if (!s.is_string() || s.get<std::string>().empty() || s.get<std::string>().size() > 200)
      return BadMeetingField(key, "必须是非空字符串数组", "must be an array of non-empty strings");
    out.push_back(s.get<std::string>());
  }
  return out;
}

Result<MeetingBallot> ParseBallot(const Json& b) {
  if (!b.is_object())
    return BadMeetingField("ballots", "每项表决必须是对象", "each ballot must be an object");
  SHEFU_RETURN_IF_ERROR(CheckKeys(
      b, "id,title,kind,secret,options,labels,max_choices,each_choice_needs_majority,proposal"));
  MeetingBallot out;
  auto id = GetString(b, "id", 16, 1);
  if (!id.ok()) return id.status();
  for (char c : *id)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
      return BadMeetingField("id", "表决编号只能用小写字母、数字、_ 和 -",
                             "ballot ids use a-z 0-9 _ - only");
  out.id = *id;
  auto title = GetString(b, "title", 400, 1);
  if (!title.ok()) return title.status();
  out.title = *title;
  auto kind_s = GetString(b, "kind", 32, 1);
  if (!kind_s.ok()) return kind_s.status();
  BallotKind kind;
  if (!ParseBallotKind(*kind_s, &kind))
    return BadMeetingField("kind", "表决方式只能是 adopt_reject、yes_no_abstain 或 choose_k",
                           "kind must be adopt_reject, yes_no_abstain or choose_k");
  auto secret = OptBool(b, "secret");
  if (!secret.ok()) return secret.status();
  bool is_secret = secret->value_or(false);
  if (kind == BallotKind::kChooseK) {
    auto options = StringArray(b, "options", 50);
    if (!options.ok()) return options.status();
    auto labels = StringArray(b, "labels", 50);
    if (!labels.ok()) return labels.status();
    std::vector<Text> texts;
    for (size_t i = 0; i < options->size(); ++i) {
      std::string l = i < labels->size() ? (*labels)[i] : (*options)[i];
      texts.push_back({l, l});
    }
    auto k = OptInt(b, "max_choices", 1, 50);
    if (!k.ok()) return k.status();
    out.spec = ChooseKBallot(*options, texts, static_cast<int>(k->value_or(1)), is_secret);
    auto m = OptBool(b, "each_choice_needs_majority");
    if (!m.ok()) return m.status();
    out.spec.each_choice_needs_majority = m->value_or(true);
  } else {
    if (b.contains("options") || b.contains("labels") || b.contains("max_choices"))
      return BadMeetingField("options", "动议类表决的选项是固定的", "a motion's options are fixed");
    out.spec = kind == BallotKind::kAdoptReject ? AdoptRejectBallot(is_secret)
                                                : YesNoAbstainBallot(is_secret);
  }
  SHEFU_RETURN_IF_ERROR(ValidateBallotSpec(out.spec));
  auto proposal = OptString(b, "proposal", 64);
  if (!proposal.ok()) return proposal.status();
  out.proposal = proposal->value_or("");
  return out;
}

}  // namespace

const MeetingBallot* MeetingSpec::FindBallot(std::string_view id) const {
  for (const auto& b : ballots)
    if (b.id == id) return &b;
  return nullptr;
}

std::string BallotKey(std::string_view meeting_id, std::string_view ballot_id) {
  return std::string(meeting_id) + "." + std::string(ballot_id);
}

Result<MeetingSpec> ParseMeetingSpec(std::string_view meeting_id, const Json& g) {
  if (!g.is_object()) return BadMeetingField("meeting", "必须是对象", "must be an object");
  SHEFU_RETURN_IF_ERROR(CheckKeys(g, "community,kind,title,date,policy_version,ballots"));
  MeetingSpec m;
  m.id = std::string(meeting_id);
  auto community = GetString(g, "community", 32, 1);
  if (!community.ok()) return community.status();
  m.community = *community;
  auto kind = GetString(g, "kind", 40, 1);
  if (!kind.ok()) return kind.status();
  if (!ParseMeetingKind(*kind, &m.kind))
    return Status::Error("unknown_meeting_kind", "未知的会议类型：" + *kind,
                         "unknown meeting kind: " + *kind);
  auto title = GetString(g, "title", 400, 1);
  if (!title.ok()) return title.status();
  m.title = *title;
  auto date = GetString(g, "date", 10, 10);
  if (!date.ok()) return date.status();
  auto d = ParseDate(*date);
  if (!d.ok()) return BadMeetingField("date", "日期格式应为 YYYY-MM-DD", "date must be YYYY-MM-DD");
  m.date = *d;
  auto pv = GetString(g, "policy_version", 64, 1);
  if (!pv.ok()) return pv.status();
  m.policy_version = *pv;
  auto it = g.find("ballots");
  if (it == g.end() || !it->is_array() || it->empty() || it->size() > 20)
    return BadMeetingField("ballots", "需要 1 至 20 项表决", "1 to 20 ballots are needed");
  std::set<std::string> ids;
  for (const Json& b : *it) {
    auto ballot = ParseBallot(b);
    if (!ballot.ok()) return ballot.status();
    if (!ids.insert(ballot->id).second)
      return BadMeetingField("ballots", "表决编号重复：" + ballot->id,
                             "duplicate ballot id: " + ballot->id);
    m.ballots.push_back(std::move(*ballot));
  }
  return m;
}

Json MeetingSpecJson(const MeetingSpec& m) {
  Json ballots = Json::array();
  for (const auto& b : m.ballots) {
    Json j = {{"id", b.id},
              {"title", b.title},
              {"kind", BallotKindCode(b.spec.kind)},
              {"secret", b.spec.secret}};
    if (b.spec.kind == BallotKind::kChooseK) {
      Json labels = Json::array();
      for (const auto& l : b.spec.labels) labels.push_back(l.zh);
      j["options"] = b.spec.options;
      j["labels"] = std::move(labels);
      j["max_choices"] = b.spec.max_choices;
      j["each_choice_needs_majority"] = b.spec.each_choice_needs_majority;
    }
    if (!b.proposal.empty()) j["proposal"] = b.proposal;
    ballots.push_back(std::move(j));
  }
  return {{"community", m.community},
          {"kind", MeetingKindCode(m.kind)},
          {"title", m.title},
          {"date", FormatDate(m.date)},
          {"policy_version", m.policy_version},
          {"ballots", std::move(ballots)}};
}

const RollEntry* RollPackage::Find(std::string_view entry_id) const {
  for (const auto& e : entries)
    if (e.id == entry_id) return &e;
  return nullptr;
}

const RollEntry* RollPackage::Lookup(std::string_view s) const {
  if (const RollEntry* e = Find(s)) return e;
  if (s.empty() || s.size() > 9) return nullptr;
  int64_t no = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return nullptr;
    no = no * 10 + (c - '0');
  }
  for (const auto& e : entries)
    if (e.no == no) return &e;
  return nullptr;
}

Result<RollPackage> ParseRoll(const Json& g) {
  if (!g.is_object()) return BadMeetingField("roll", "必须是对象", "must be an object");
  SHEFU_RETURN_IF_ERROR(CheckKeys(g, "version,hash,frozen_at,listing_deadline_ms,entries,proxies"));
  RollPackage r;
  auto v = GetInt(g, "version", 1, 1000000);
  if (!v.ok()) return v.status();
  r.version = *v;
  auto h = OptString(g, "hash", 64);
  if (!h.ok()) return h.status();
  r.hash = h->value_or("");
  auto f = OptString(g, "frozen_at", 40);
  if (!f.ok()) return f.status();
  r.frozen_at = f->value_or("");
  auto dl = OptInt(g, "listing_deadline_ms", 0);
  if (!dl.ok()) return dl.status();
  r.listing_deadline_ms = dl->value_or(0);
  auto it = g.find("entries");
  if (it == g.end() || !it->is_array() || it->size() > 20000)
    return BadMeetingField("entries", "名册必须是数组（最多 20000 人）",
                           "the roll must be an array (at most 20000 people)");
  for (const Json& e : *it) {
    if (!e.is_object())
      return BadMeetingField("entries", "名册条目必须是对象", "roll entries are objects");
    SHEFU_RETURN_IF_ERROR(CheckKeys(e, "id,no,name,household,group,adult,rep"));
    RollEntry x;
    auto id = GetString(e, "id", 32, 1);
    if (!id.ok()) return id.status();
    x.id = *id;
    auto no = GetInt(e, "no", 1, 1000000);
    if (!no.ok()) return no.status();
    x.no = *no;
    auto name = GetString(e, "name", 100, 1);
    if (!name.ok()) return name.status();
    x.name = *name;
    auto hh = OptString(e, "household", 64);
    if (!hh.ok()) return hh.status();
    x.household = hh->value_or("");
    auto grp = OptString(e, "group", 64);
    if (!grp.ok()) return grp.status();
    x.group = grp->value_or("");
    auto adult = OptBool(e, "adult");
    if (!adult.ok()) return adult.status();
    x.adult = adult->value_or(true);
    auto rep = OptBool(e, "rep");
    if (!rep.ok()) return rep.status();
    x.rep = rep->value_or(false);
    r.entries.push_back(std::move(x));
  }
  if (auto p = g.find("proxies"); p != g.end()) {
    if (!p->is_array() || p->size() > 20000)
      return BadMeetingField("proxies", "委托名单必须是数组", "the proxy list must be an array");
    for (const Json& e : *p) {
      if (!e.is_object())
        return BadMeetingField("proxies", "委托必须是对象", "proxies are objects");
      SHEFU_RETURN_IF_ERROR(CheckKeys(e, "principal,proxy,written,close_relative,listed_at_ms"));
      ProxyGrant gr;
      auto a = GetString(e, "principal", 32, 1);
      if (!a.ok()) return a.status();
      gr.principal = *a;
      auto b = GetString(e, "proxy", 32, 1);
      if (!b.ok()) return b.status();
      gr.proxy = *b;
      auto w = OptBool(e, "written");
      if (!w.ok()) return w.status();
      gr.written = w->value_or(false);
      auto cr = OptBool(e, "close_relative");
      if (!cr.ok()) return cr.status();
      gr.close_relative = cr->value_or(false);
      auto at = OptInt(e, "listed_at_ms", 0);
      if (!at.ok()) return at.status();
      gr.listed_at_ms = at->value_or(0);
      r.proxies.push_back(std::move(gr));
    }
  }
  return r;
}

Json RollJson(const RollPackage& r) {
  Json entries = Json::array();
  for (const auto& e : r.entries)
    entries.push_back({{"id", e.id},
                       {"no", e.no},
                       {"name", e.name},
                       {"household", e.household},
                       {"group", e.group},
                       {"adult", e.adult},
                       {"rep", e.rep}});
  Json proxies = Json::array();
  for (const auto& p : r.proxies)
    proxies.push_back({{"principal", p.principal},
                       {"proxy", p.proxy},
                       {"written", p.written},
                       {"close_relative", p.close_relative},
                       {"listed_at_ms", p.listed_at_ms}});
  Json j = {{"version", r.version},
            {"frozen_at", r.frozen_at},
            {"listing_deadline_ms", r.listing_deadline_ms},
            {"entries", std::move(entries)},
            {"proxies", std::move(proxies)}};
  if (!r.hash.empty()) j["hash"] = r.hash;
  return j;
}

std::string RollHash(const RollPackage& r, std::string_view policy_version) {
  RollPackage copy = r;
  copy.hash.clear();
  copy.frozen_at.clear();
  return crypto::Sha256Hex(DumpJson(RollJson(copy)) + "\n" + std::string(policy_version));
}

Findings ValidateRoll(const RollPackage& r, const ProxyPolicy& policy) {
  Findings f;
  std::set<std::string> ids;
  std::set<int64_t> nos;
  for (const auto& e : r.entries) {
    if (!ids.insert(e.id).second)
      f.Error("roll_duplicate_entry",
              {"名册编号重复：" + e.id, "duplicate roll entry id: " + e.id});
    if (!nos.insert(e.no).second)
      f.Error("roll_duplicate_no", {"名册序号重复：" + std::to_string(e.no),
                                    "duplicate sheet number: " + std::to_string(e.no)});
    if (LooksLikeIdNumber(e.name) || LooksLikeIdNumber(e.household) || LooksLikeIdNumber(e.group))
      f.Error("roll_contains_id_number",
              {"名册不得含身份证号或电话号码（第 " + std::to_string(e.no) + " 行）",
               "the roll must not hold ID or phone numbers (line " + std::to_string(e.no) + ")"},
              "个人信息保护法 第六条");
  }
  if (r.entries.empty()) f.Error("roll_empty", {"名册为空", "the roll is empty"});
  f.Merge(ValidateProxyList(r.proxies, ids, policy, r.listing_deadline_ms));
  return f;
}

const char* MeetingEventKindCode(MeetingEventKind k) {
  switch (k) {
    case MeetingEventKind::kOpen:
      return "open";
    case MeetingEventKind::kCheckIn:
      return "check_in";
    case MeetingEventKind::kCheckOut:
      return "check_out";
    case MeetingEventKind::kIssue:
      return "issue";
    case MeetingEventKind::kClose:
      break;
  }
  return "close";
}

bool ParseMeetingEventKind(std::string_view s, MeetingEventKind* out) {
  for (MeetingEventKind k :
       {MeetingEventKind::kOpen, MeetingEventKind::kCheckIn, MeetingEventKind::kCheckOut,
        MeetingEventKind::kIssue, MeetingEventKind::kClose}) {
    if (s == MeetingEventKindCode(k)) {
      *out = k;
      return true;
    }
  }
  return false;
}

Status ValidateMeetingEventValue(const Json& v) {
  SHEFU_RETURN_IF_ERROR(
      CheckKeys(v, "meeting,community,kind,ballot,entry,assisted_by,proxy,roll_version,count"));
  for (const char* k : {"meeting", "kind"}) {
    auto s = GetString(v, k, 64, 1);
    if (!s.ok()) return s.status();
  }
  MeetingEventKind kind;
  if (!ParseMeetingEventKind(v["kind"].get<std::string>(), &kind))
    return BadMeetingField("kind", "会议事件只能是 open、check_in、check_out、issue 或 close",
                           "a meeting event is open, check_in, check_out, issue or close");
  for (const char* k : {"ballot", "entry", "assisted_by", "proxy"}) {
    auto s = OptString(v, k, 64);
    if (!s.ok()) return s.status();
  }
  auto rv = GetInt(v, "roll_version", 1, 1000000);
  if (!rv.ok()) return rv.status();
  auto n = OptInt(v, "count", 0, 1000000);
  if (!n.ok()) return n.status();
  bool needs_entry = kind == MeetingEventKind::kCheckIn || kind == MeetingEventKind::kCheckOut ||
                     kind == MeetingEventKind::kIssue;
  bool needs_ballot = kind == MeetingEventKind::kIssue || kind == MeetingEventKind::kClose;
  if (needs_entry && v.value("entry", "").empty())
    return BadMeetingField("entry", "需要名册编号", "a roll entry is required");
  if (needs_ballot && v.value("ballot", "").empty())
    return BadMeetingField("ballot", "需要表决编号", "a ballot is required");
  return Status::Ok();
}

Result<MeetingEvent> MeetingEventFromJson(const Json& v, std::string id, std::string device,
                                          int64_t hlc) {
  SHEFU_RETURN_IF_ERROR(ValidateMeetingEventValue(v));
  MeetingEvent e;
  e.id = std::move(id);
  e.device = std::move(device);
  e.hlc = hlc;
  ParseMeetingEventKind(v["kind"].get<std::string>(), &e.kind);
  e.meeting = v.value("meeting", "");
  e.ballot = v.value("ballot", "");
  e.entry = v.value("entry", "");
  e.assisted_by = v.value("assisted_by", "");
  e.proxy = v.value("proxy", "");
  e.roll_version = v.value("roll_version", int64_t{0});
  return e;
}

}  // namespace shefu
