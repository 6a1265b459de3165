// Projects: POST /v1/projects, GET /v1/projects[/{id}], PUT /v1/projects/{id}/{group} for the
// proposer's groups, POST /v1/projects/{id}/events (the lifecycle).
//
// Every write goes through the sync engine as the server node (SyncServer::LocalWrite /
// CreateRecord, the same merge as a device's upload), so what staff write is an ordinary synced
// record that devices in scope download. Each route checks the role first, then the scope, and
// only then reads or writes anything; decisions call the rules in shared/ (lifecycle.h Apply with
// the facts of projects.h) under the policy version in force today (第三十条).
#include "server/projects.h"
#include "server/routes.h"
#include "server/staff_access.h"
#include "server/staff_writes.h"
#include "server/sync_service.h"
#include "shared/civil_time.h"

namespace shefu::server {
namespace {

constexpr const char* kIdPattern = "([0-9A-Za-z._:-]{1,64})";

Status RoleForOrigin(const Caller& c, ProjectOrigin origin) {
  Role want = origin == ProjectOrigin::kTownPlanned            ? Role::kTownStaff
              : origin == ProjectOrigin::kCommunityDeliberated ? Role::kCommunityWorker
                                                               : Role::kSocialOrgMember;
  if (c.user.role == want) return Status::Ok();
  return Status::Error(
      "role_not_allowed", OriginName(origin).zh + "的项目只能由" + RoleName(want).zh + "创建",
      "a " + OriginName(origin).en + " project is created by " + RoleName(want).en, "第十九条");
}

// Where each origin's project may lie (the place decides who sees and submits it).
Status CheckCreatePlace(const Caller& c, const Place& place) {
  const Scope& sc = c.user.scope;
  switch (c.user.role) {
    case Role::kTownStaff:
      if (ScopeContains(Scope{sc.district, sc.town, "", ""}, place)) return Status::Ok();
      break;
    case Role::kCommunityWorker:
      if (!place.community.empty() && ScopeContains(sc, place)) return Status::Ok();
      break;
    case Role::kSocialOrgMember:
      // 第十九条(三): a community selects the design and reports it, so it lies in one.
      if (!place.community.empty()) return Status::Ok();
      return Status::Error("community_required", "社会组织设计的项目须指定拟服务的社区/村",
                           "an SO design names the community it is offered to", "第十九条");
    default:
      break;
  }
  return Forbidden({"项目所在地不在您的管辖范围内", "the project's place is outside your scope"});
}

// Who may edit a proposer group of a draft. 第十九条(三): in an SO design the town alone gives
// the library consent and the community alone selects it; the rest is the designer's.
Status CheckEditor(const Caller& c, const Project& p, std::string_view group, const Json& old_v,
                   const Json& new_v) {
  const Role role = c.user.role;
  const bool in_scope = ProjectInCallerScope(c, p);
  auto deny = [] {
    return Forbidden({"只有项目申报方可以修改申报内容", "only the proposer may edit the proposal"});
  };
  switch (p.proposal.origin) {
    case ProjectOrigin::kTownPlanned:
      return role == Role::kTownStaff && in_scope ? Status::Ok() : deny();
    case ProjectOrigin::kCommunityDeliberated:
      return role == Role::kCommunityWorker && in_scope ? Status::Ok() : deny();
    case ProjectOrigin::kSoDesigned:
      break;
  }
  const bool designer =
      role == Role::kSocialOrgMember && c.user.scope.org == p.proposal.designer_org;
  if (group != "evidence") return designer ? Status::Ok() : deny();
  std::vector<std::string> keys;
  for (auto& [k, v] : old_v.items()) keys.push_back(k);
  for (auto& [k, v] : new_v.items()) keys.push_back(k);
  for (const auto& k : keys) {
    if (old_v.value(k, Json()) == new_v.value(k, Json())) continue;
    bool ok = k == "library_consent"       ? role == Role::kTownStaff && in_scope
              : k == "community_selection" ? role == Role::kCommunityWorker && in_scope
                                           : designer;
    if (!ok)
      return Forbidden({"“" + k + "”不能由您的角色修改（第十九条第（三）项）",
                        "your role may not change '" + k + "' (article 19(3))"});
  }
  if (!designer && !in_scope) return deny();
  const std::string sel = JStr(new_v, "community_selection");
  if (!sel.empty() && sel != p.view.place.community)
    return Status::Error("selection_not_project_community", "选择项目的社区须为项目所在社区",
                         "the selecting community must be the project's community", "第十九条");
  return Status::Ok();
}

bool Editable(ProjectState s) {
  return s == ProjectState::kProposalDraft || s == ProjectState::kReturned;
}

Status NotEditable(ProjectState s) {
  return Status::Error("not_editable", "项目处于“" + StateName(s).zh + "”状态，申报内容不能再修改",
                       "the proposal cannot change while the project is " + StateName(s).en,
                       "第二十条");
}

Json LifecycleValue(const Caller& c, ProjectState state, const std::string& event, int64_t now_ms,
                    const std::string& reason, const PolicyResolution* policy) {
  Json j = {{"state", StateCode(state)},
            {"event", event},
            {"by", c.user.id},
            {"role", RoleCode(c.user.role)},
            {"at", FormatUtcIso(now_ms)}};
  if (!reason.empty()) j["reason"] = reason;
  if (policy) {
    j["policy_version"] = policy->version.id;
    j["assumed_extended"] = policy->assumed_extended;
  }
  return j;
}

Status ReaderRoles(const Caller& c) {
  SHEFU_RETURN_IF_ERROR(RequireRole(c, {Role::kCityAdmin, Role::kDistrictAdmin, Role::kTownStaff,
                                        Role::kCommunityWorker, Role::kSocialOrgMember}));
  return RequireSessionUnlessDrafting(c, true);
}

// The value of `key` in the query, or "".
std::string Query(const ApiRequest& req, const char* key) {
  auto it = req.query.find(key);
  return it == req.query.end() ? std::string() : it->second.substr(0, 64);
}

}  // namespace

void RegisterProjectRoutes(HttpService& http, ServerApp& app, SyncService& sync) {
  http.Route(
      "POST", "/v1/projects", Auth::kRequired, [&app, &sync](ApiRequest& req) -> Result<ApiReply> {
        const Caller& c = *req.caller;
        SHEFU_RETURN_IF_ERROR(
            RequireRole(c, {Role::kTownStaff, Role::kCommunityWorker, Role::kSocialOrgMember}));
        SHEFU_RETURN_IF_ERROR(RequireSessionUnlessDrafting(c, true));
        SHEFU_RETURN_IF_ERROR(
            CheckKeys(req.body, "place,proposal,funding,evidence,indicators,prohibited"));
        auto code = GetString(req.body, "place", 32, 1);
        if (!code.ok()) return code.status();
        if (!req.body.contains("proposal")) return FieldError("proposal", "缺失", "is missing");
        Json proposal = req.body["proposal"];
        if (c.user.role == Role::kSocialOrgMember && proposal.is_object()) {
          // The design is the caller's organisation's, whatever the body says.
          if (!JStr(proposal, "designer_org").empty() &&
              JStr(proposal, "designer_org") != c.user.scope.org)
            return Forbidden(
                {"只能以本组织名义设计项目", "you design projects for your own organisation only"});
          proposal["designer_org"] = c.user.scope.org;
        }
        auto pv = ProposalFromJson(proposal);
        if (!pv.ok()) return pv.status();
        SHEFU_RETURN_IF_ERROR(RoleForOrigin(c, pv->origin));
        Place place;
        if (!app.places().ResolvePlace(*code, &place) || place.town.empty())
          return Status::Error("unknown_place", "项目所在地须为镇（街道）或社区/村代码",
                               "a project lies in a town or a community", "第二条");
        SHEFU_RETURN_IF_ERROR(CheckCreatePlace(c, place));
        std::vector<std::pair<std::string, Json>> groups = {{"place", {{"code", *code}}},
                                                            {"proposal", proposal}};
        for (const char* g : {"funding", "evidence", "indicators", "prohibited"})
          if (req.body.contains(g)) groups.emplace_back(g, req.body[g]);
        groups.emplace_back("lifecycle", LifecycleValue(c, ProjectState::kProposalDraft, "create",
                                                        app.clock().NowMs(), "", nullptr));
        auto id = sync.WithWriter([&](sync::SyncServer& s) {
          return s.CreateRecord(PrincipalOf(c), "project", std::move(groups));
        });
        if (!id.ok()) return id.status();
        SHEFU_RETURN_IF_ERROR(
            AuditStaffWrite(app, req, "project.create", "project", *id,
                            {{"origin", OriginCode(pv->origin)}, {"place", *code}}));
        auto r = sync.Reader();
        if (!r.ok()) return r.status();
        auto p = LoadProject(**r, *id);
        if (!p.ok()) return p.status();
        ApiReply out;
        out.status = 201;
        out.body = ProjectJson(*p, true);
        return out;
      });

  http.Route("GET", "/v1/projects", Auth::kRequired, [&sync](ApiRequest& req) -> Result<ApiReply> {
    const Caller& c = *req.caller;
    SHEFU_RETURN_IF_ERROR(ReaderRoles(c));
    const std::string state = Query(req, "state"), town = Query(req, "town"),
                      community = Query(req, "community"), year = Query(req, "year"),
                      origin = Query(req, "origin"), after = Query(req, "after");
    if (!state.empty() && !ParseState(state))
      return FieldError("state", "不是项目状态", "is not a project state");
    int64_t limit = 100;
    if (auto l = Query(req, "limit"); !l.empty()) {
      if (l.size() > 3 || l.find_first_not_of("0123456789") != std::string::npos ||
          std::stoi(l) < 1 || std::stoi(l) > 500)
        return FieldError("limit", "须为 1–500", "must be 1 to 500");
      limit = std::stoi(l);
    }
    auto r = sync.Reader();
    if (!r.ok()) return r.status();
    sync::SyncServer::RecordQuery q;
    q.entity = "project";
    q.after_id = after;
    if (c.user.role != Role::kSocialOrgMember) q.scope = c.user.scope;
    auto all = ListAll(**r, q);
    if (!all.ok()) return all.status();
    ApiReply out;
    out.body = {{"projects", Json::array()}};
    for (auto& v : *all) {
      auto p = ProjectFromView(std::move(v));
      if (!p.ok() || !ProjectVisibleTo(c, *p)) continue;
      if (!state.empty() && state != StateCode(p->state)) continue;
      if (!town.empty() && town != p->view.place.town) continue;
      if (!community.empty() && community != p->view.place.community) continue;
      if (!year.empty() && year != std::to_string(p->proposal.year)) continue;
      if (!origin.empty() && origin != OriginCode(p->proposal.origin)) continue;
      if (static_cast<int64_t>(out.body["projects"].size()) == limit) {
        out.body["next_after"] = out.body["projects"].back()["id"];
        break;
      }
      out.body["projects"].push_back(ProjectJson(*p, false));
    }
    return out;
  });

  http.Route("GET", std::string("/v1/projects/") + kIdPattern, Auth::kRequired,
             [&sync](ApiRequest& req) -> Result<ApiReply> {
               SHEFU_RETURN_IF_ERROR(ReaderRoles(*req.caller));
               auto r = sync.Reader();
               if (!r.ok()) return r.status();
               auto p = LoadProject(**r, req.path_params.at(0));
               if (!p.ok()) return p.status();
               if (!ProjectVisibleTo(*req.caller, *p))
                 return Status::Error("not_found", "项目不存在", "no such project");
               ApiReply out;
               out.body = ProjectJson(*p, true);
               return out;
             });

  http.Route(
      "PUT",
      std::string("/v1/projects/") + kIdPattern +
          "/(proposal|funding|evidence|indicators|prohibited)",
      Auth::kRequired, [&app, &sync](ApiRequest& req) -> Result<ApiReply> {
        const Caller& c = *req.caller;
        SHEFU_RETURN_IF_ERROR(
            RequireRole(c, {Role::kTownStaff, Role::kCommunityWorker, Role::kSocialOrgMember}));
        SHEFU_RETURN_IF_ERROR(RequireSessionUnlessDrafting(c, true));
        const std::string id = req.path_params.at(0), group = req.path_params.at(1);
        Json value = req.body;
        auto written = sync.WithWriter([&](sync::SyncServer& s) -> Result<Project> {
          auto p = LoadProject(s, id);
          if (!p.ok()) return p.status();
          if (!ProjectVisibleTo(c, *p))
            return Status::Error("not_found", "项目不存在", "no such project");
          if (!Editable(p->state)) return NotEditable(p->state);
          SHEFU_RETURN_IF_ERROR(CheckEditor(c, *p, group, p->Group(group), value));
          if (group == "proposal") {
            auto pv = ProposalFromJson(value);
            if (!pv.ok()) return pv.status();
            if (pv->origin != p->proposal.origin || pv->designer_org != p->proposal.designer_org)
              return Status::Error("origin_immutable", "项目产生方式和设计组织创建后不能更改",
                                   "the origin and the designing organisation cannot change",
                                   "第十九条");
          }
          auto w = s.LocalWrite(PrincipalOf(c), {{"project", id, group, value, std::nullopt}});
          if (!w.ok()) return w.status();
          return LoadProject(s, id);
        });
        if (!written.ok()) return written.status();
        SHEFU_RETURN_IF_ERROR(
            AuditStaffWrite(app, req, "project.edit", "project", id, {{"group", group}}));
        ApiReply out;
        out.body = ProjectJson(*written, true);
        return out;
      });

  RegisterProjectEventRoute(http, app, sync);
}

}  // namespace shefu::server
