// 第二十八条 demonstration rounds (docs/api.md "Demonstration projects"): the town nominates
// projects as the options of a meeting's choose-k public vote (cast offline on the community
// devices, one ballot per resident across devices by the vote's unique key), publishes the
// weights, opens the round, registers the experts with their related parties, experts score, and
// the ranking is RankDemonstrationProjects over the counted public ballots and the scores —
// recusals and weights published after opening handled by the shared rule.
#include <set>

#include "server/meetings.h"
#include "server/projects.h"
#include "server/routes.h"
#include "server/staff_access.h"
#include "server/staff_writes.h"
#include "server/sync_service.h"
#include "shared/demonstration.h"

namespace shefu::server {
namespace {

constexpr const char* kRound = R"(/v1/demonstration/rounds/([0-9A-Za-z._:-]{1,64}))";

struct Round {
  sync::RecordView view;
  Json round, weights, opened, experts, scores;
};

Result<Round> LoadRound(sync::SyncServer& s, const std::string& id) {
  auto v = s.ReadRecord("demo_round", id);
  if (!v.ok()) return v.status();
  if (!*v) return Status::Error("not_found", "找不到评选", "no such demonstration round");
  Round r;
  r.view = std::move(**v);
  auto g = [&](const char* name, Json dflt) {
    const sync::GroupView* x = r.view.Find(name);
    return x ? x->value : dflt;
  };
  r.round = g("round", Json::object());
  r.weights = g("weights", Json{{"history", Json::array()}});
  r.opened = g("opened", Json::object());
  r.experts = g("experts", Json{{"items", Json::array()}});
  r.scores = g("scores", Json{{"items", Json::array()}});
  return r;
}

Status TownInScope(const Caller& c, const Place& p) {
  SHEFU_RETURN_IF_ERROR(RequireRole(c, {Role::kTownStaff}));
  SHEFU_RETURN_IF_ERROR(RequireStaffSession(c));
  if (!ScopeContains(c.user.scope, p))
    return Forbidden({"评选不在你的管辖范围内", "the round is outside your scope"});
  return Status::Ok();
}

Result<std::vector<Nomination>> Nominations(const Json& round) {
  std::vector<Nomination> out;
  for (const Json& n : round.value("nominations", Json::array()))
    out.push_back({n.value("project", ""),
                   {n.value("name", ""), n.value("name", "")},
                   n.value("provider_org", ""),
                   n.value("purchaser", "")});
  return out;
}

Result<DemoResult> Rank(sync::SyncServer& s, const Round& r) {
  DemoRound round;
  round.id = r.view.id;
  round.opened_at_ms = r.opened.value("at_ms", int64_t{0});
  round.max_choices = r.round.value("max_choices", 1);
  for (const Json& w : r.weights.value("history", Json::array()))
    round.weight_history.push_back(
        {{w.value("public_vote_permille", int64_t{0}), w.value("expert_permille", int64_t{0})},
         w.value("published_at_ms", int64_t{0})});
  auto noms = Nominations(r.round);
  if (!noms.ok()) return noms.status();
  auto m = LoadMeeting(s, r.round.value("meeting", ""));
  if (!m.ok()) return m.status();
  const MeetingBallot* b = m->spec.FindBallot(r.round.value("ballot", ""));
  if (!b) return Status::Error("unknown_ballot", "评选的表决不存在", "the round's ballot is gone");
  auto votes = CountedVotes(s, *m, *b);
  if (!votes.ok()) return votes.status();
  std::vector<PublicBallot> ballots;
  for (const auto& v : *votes) ballots.push_back({v.voter, v.choice.marks});
  std::vector<Expert> experts;
  for (const Json& e : r.experts.value("items", Json::array())) {
    Expert x;
    x.id = e.value("id", "");
    for (const Json& p : e.value("related_parties", Json::array()))
      if (p.is_string()) x.related_parties.insert(p.get<std::string>());
    experts.push_back(std::move(x));
  }
  std::vector<ExpertScore> scores;
  for (const Json& sc : r.scores.value("items", Json::array()))
    scores.push_back(
        {sc.value("expert", ""), sc.value("project", ""), sc.value("tenths", int64_t{0})});
  return RankDemonstrationProjects(round, *noms, ballots, experts, scores);
}

Json ResultJson(const DemoResult& d) {
  Json ranking = Json::array();
  for (const auto& e : d.ranking)
    ranking.push_back({{"rank", e.rank},
                       {"project", e.project},
                       {"name", e.name.zh},
                       {"votes", e.votes},
                       {"public_permille", e.public_permille},
                       {"experts_counted", e.experts_counted},
                       {"expert_mean_tenths", e.expert_mean_tenths},
                       {"composite_tenths", e.composite_tenths},
                       {"composite", FormatRatio(e.composite)},
                       {"tie_broken_by_id", e.tie_broken_by_id}});
  Json recused = Json::array();
  for (const auto& r : d.recused) recused.push_back({{"expert", r.expert}, {"project", r.project}});
  return {{"weights",
           {{"public_vote_permille", d.weights.public_vote_permille},
            {"expert_permille", d.weights.expert_permille}}},
          {"valid_ballots", d.valid_ballots},
          {"blank_ballots", d.blank_ballots},
          {"invalid_ballots", d.invalid_ballots},
          {"ranking", std::move(ranking)},
          {"recused", std::move(recused)}};
}

// Runs `change(round) -> (group, value)` under the writer for a town staff member in scope.
template <typename F>
Result<ApiReply> Write(ApiRequest& req, ServerApp& app, SyncService& sync, const char* action,
                       F&& change) {
  const Caller& c = *req.caller;
  const std::string id = req.path_params.at(0);
  auto st = sync.WithWriter([&](sync::SyncServer& s) -> Result<Json> {
    auto r = LoadRound(s, id);
    if (!r.ok()) return r.status();
    if (!ScopeVisible(c.user.scope, r->view.place))
      return Status::Error("not_found", "找不到评选", "no such demonstration round");
    auto w = change(s, *r);
    if (!w.ok()) return w.status();
    auto done =
        s.LocalWrite(PrincipalOf(c), {{"demo_round", id, w->first, w->second, std::nullopt}});
    if (!done.ok()) return done.status();
    return w->second;
  });
  if (!st.ok()) return st.status();
  SHEFU_RETURN_IF_ERROR(AuditStaffWrite(app, req, action, "demo_round", id));
  ApiReply out;
  out.body = {{"id", id}, {"value", *st}};
  return out;
}

using GroupValue = std::pair<std::string, Json>;

}  // namespace

void RegisterDemonstrationRoutes(HttpService& http, ServerApp& app, SyncService& sync) {
  http.Route(
      "POST", "/v1/demonstration/rounds", Auth::kRequired,
      [&app, &sync](ApiRequest& req) -> Result<ApiReply> {
        const Caller& c = *req.caller;
        SHEFU_RETURN_IF_ERROR(CheckKeys(req.body, "town,title,meeting,ballot,nominations"));
        auto town = GetString(req.body, "town", 32, 1);
        if (!town.ok()) return town.status();
        Place place;
        if (!app.places().ResolvePlace(*town, &place) || !place.community.empty())
          return FieldError("town", "不是镇街代码", "is not a town code");
        SHEFU_RETURN_IF_ERROR(TownInScope(c, place));
        auto title = GetString(req.body, "title", 400, 1);
        if (!title.ok()) return title.status();
        auto id = sync.WithWriter([&](sync::SyncServer& s) -> Result<std::string> {
          auto m = LoadMeeting(s, req.body.value("meeting", ""));
          if (!m.ok()) return m.status();
          const MeetingBallot* b = m->spec.FindBallot(req.body.value("ballot", ""));
          if (!b || b->spec.kind != BallotKind::kChooseK || b->spec.secret)
            return Status::Error("not_a_public_vote", "群众投票须是记名的多选表决（choose_k）",
                                 "the public vote must be an open choose-k ballot", kArt28);
          std::set<std::string> options(b->spec.options.begin(), b->spec.options.end()), nominated;
          Json noms = Json::array();
          for (const Json& n : req.body.value("nominations", Json::array())) {
            if (!n.is_object()) return FieldError("nominations", "必须是对象", "objects");
            SHEFU_RETURN_IF_ERROR(CheckKeys(n, "project,name,provider_org,purchaser"));
            auto p = GetString(n, "project", 64, 1);
            if (!p.ok()) return p.status();
            nominated.insert(*p);
            noms.push_back(n);
          }
          if (nominated != options)
            return Status::Error("nominations_not_ballot", "推荐项目须与群众投票的选项一致",
                                 "the nominations must be the public vote's options", kArt28);
          return s.CreateRecord(PrincipalOf(c), "demo_round",
                                {{"place", Json{{"code", *town}}},
                                 {"round", Json{{"title", *title},
                                                {"meeting", m->view.id},
                                                {"ballot", b->id},
                                                {"max_choices", b->spec.max_choices},
                                                {"nominations", noms}}}});
        });
        if (!id.ok()) return id.status();
        SHEFU_RETURN_IF_ERROR(AuditStaffWrite(app, req, "demo_round.create", "demo_round", *id));
        ApiReply out;
        out.status = 201;
        out.body = {{"id", *id}};
        return out;
      });

  http.Route("POST", std::string(kRound) + "/weights", Auth::kRequired,
             [&app, &sync](ApiRequest& req) -> Result<ApiReply> {
               SHEFU_RETURN_IF_ERROR(CheckKeys(req.body, "public_vote_permille,expert_permille"));
               auto pub = GetInt(req.body, "public_vote_permille", 0, 1000);
               if (!pub.ok()) return pub.status();
               auto exp = GetInt(req.body, "expert_permille", 0, 1000);
               if (!exp.ok()) return exp.status();
               return Write(req, app, sync, "demo_round.weights",
                            [&](sync::SyncServer&, const Round& r) -> Result<GroupValue> {
                              SHEFU_RETURN_IF_ERROR(TownInScope(*req.caller, r.view.place));
                              Json w = r.weights;
                              w["history"].push_back({{"public_vote_permille", *pub},
                                                      {"expert_permille", *exp},
                                                      {"published_at_ms", app.clock().NowMs()}});
                              return GroupValue{"weights", w};
                            });
             });

  http.Route("POST", std::string(kRound) + "/open", Auth::kRequired,
             [&app, &sync](ApiRequest& req) -> Result<ApiReply> {
               return Write(req, app, sync, "demo_round.open",
                            [&](sync::SyncServer&, const Round& r) -> Result<GroupValue> {
                              SHEFU_RETURN_IF_ERROR(TownInScope(*req.caller, r.view.place));
                              if (r.opened.contains("at_ms"))
                                return Status::Error("round_open", "评选已经开始",
                                                     "the round is already open");
                              return GroupValue{"opened", Json{{"at_ms", app.clock().NowMs()}}};
                            });
             });

  http.Route("POST", std::string(kRound) + "/experts", Auth::kRequired,
             [&app, &sync](ApiRequest& req) -> Result<ApiReply> {
               SHEFU_RETURN_IF_ERROR(CheckKeys(req.body, "login,related_parties"));
               auto login = GetString(req.body, "login", 64, 1);
               if (!login.ok()) return login.status();
               return Write(
                   req, app, sync, "demo_round.expert",
                   [&](sync::SyncServer&, const Round& r) -> Result<GroupValue> {
                     SHEFU_RETURN_IF_ERROR(TownInScope(*req.caller, r.view.place));
                     Json e = r.experts;
                     e["items"].push_back(
                         {{"id", *login},
                          {"related_parties", req.body.value("related_parties", Json::array())}});
                     return GroupValue{"experts", e};
                   });
             });

  http.Route("POST", std::string(kRound) + "/scores", Auth::kRequired,
             [&app, &sync](ApiRequest& req) -> Result<ApiReply> {
               const Caller& c = *req.caller;
               SHEFU_RETURN_IF_ERROR(RequireRole(c, {Role::kExpert}));
               SHEFU_RETURN_IF_ERROR(RequireStaffSession(c));
               SHEFU_RETURN_IF_ERROR(CheckKeys(req.body, "project,tenths"));
               auto project = GetString(req.body, "project", 64, 1);
               if (!project.ok()) return project.status();
               auto tenths = GetInt(req.body, "tenths", 0, 1000);
               if (!tenths.ok()) return tenths.status();
               return Write(
                   req, app, sync, "demo_round.score",
                   [&](sync::SyncServer&, const Round& r) -> Result<GroupValue> {
                     bool listed = false;
                     for (const Json& e : r.experts.value("items", Json::array()))
                       listed = listed || e.value("id", "") == c.user.login;
                     if (!listed)
                       return Forbidden(
                           {"你不是本次评选的评审专家", "you are not an expert of this round"});
                     Json sc = r.scores;
                     sc["items"].push_back(
                         {{"expert", c.user.login}, {"project", *project}, {"tenths", *tenths}});
                     return GroupValue{"scores", sc};
                   });
             });

  http.Route("GET", std::string(kRound) + "/ranking", Auth::kRequired,
             [&sync](ApiRequest& req) -> Result<ApiReply> {
               // Any staff session (experts included); no device token, no kiosk (issue 4).
               SHEFU_RETURN_IF_ERROR(RequireStaffSession(*req.caller));
               if (req.caller->user.role == Role::kKiosk)
                 return Forbidden({"自助终端不能查看评选排名", "a kiosk cannot read the ranking"});
               auto reader = sync.Reader();
               if (!reader.ok()) return reader.status();
               auto r = LoadRound(**reader, req.path_params.at(0));
               if (!r.ok()) return r.status();
               if (!ScopeVisible(req.caller->user.scope, r->view.place))
                 return Status::Error("not_found", "找不到评选", "no such demonstration round");
               auto d = Rank(**reader, *r);
               if (!d.ok()) return d.status();
               ApiReply out;
               out.body = ResultJson(*d);
               out.body["id"] = r->view.id;
               return out;
             });
}

}  // namespace shefu::server
