// The meeting routes (docs/api.md "Meetings and votes"): town staff create a meeting and freeze
// its roll; after the devices have synced, staff and the chair read the tally, the chair picks
// the other vote of a duplicate pair with a reason, and town staff record the final result
// (which moves the proposal's vote evidence and opens the 公示). Rules in server/meetings.h and
// shared/; this file checks who may do what, where.
#include "server/meetings.h"
#include "server/projects.h"
#include "server/routes.h"
#include "server/staff_access.h"
#include "server/staff_writes.h"
#include "server/sync_service.h"
#include "shared/civil_time.h"

namespace shefu::server {
namespace {

constexpr const char* kMeetingId = R"(/v1/meetings/([0-9A-Za-z._:-]{1,64}))";

Status InScope(const Caller& c, const Meeting& m) {
  if (!ScopeVisible(c.user.scope, m.view.place))
    return Status::Error("not_found", "找不到会议", "no such meeting");
  if (!ScopeContains(c.user.scope, m.view.place))
    return Forbidden({"会议不在你的管辖范围内", "the meeting is outside your scope"});
  return Status::Ok();
}

// Meetings, rolls and tallies are read by the staff who prepare and run them (town, community
// worker) and those above (district, city), in a staff session: the roll holds residents' masked
// names, and a device or kiosk token gets meetings by sync only (docs/api.md, issue 4).
Status MeetingReaders(const Caller& c) {
  SHEFU_RETURN_IF_ERROR(RequireRole(
      c, {Role::kTownStaff, Role::kCommunityWorker, Role::kDistrictAdmin, Role::kCityAdmin}));
  return RequireStaffSession(c);
}

Status CanRead(const Caller& c, const Meeting& m) {
  SHEFU_RETURN_IF_ERROR(MeetingReaders(c));
  if (!ScopeVisible(c.user.scope, m.view.place))
    return Status::Error("not_found", "找不到会议", "no such meeting");
  return Status::Ok();
}

}  // namespace

void RegisterMeetingRoutes(HttpService& http, ServerApp& app, SyncService& sync) {
  http.Route("POST", "/v1/meetings", Auth::kRequired,
             [&app, &sync](ApiRequest& req) -> Result<ApiReply> {
               const Caller& c = *req.caller;
               SHEFU_RETURN_IF_ERROR(RequireRole(c, {Role::kTownStaff}));
               SHEFU_RETURN_IF_ERROR(RequireStaffSession(c));
               if (req.body.is_object() && req.body.contains("community") &&
                   req.body["community"].is_string()) {
                 Place place;
                 if (app.places().ResolvePlace(req.body["community"].get<std::string>(), &place) &&
                     !ScopeContains(c.user.scope, place))
                   return Forbidden(
                       {"只能为本镇街的社区召集会议", "only for a community of your own town"});
               }
               auto id = sync.WithWriter(
                   [&](sync::SyncServer& s) { return CreateMeeting(s, PrincipalOf(c), req.body); });
               if (!id.ok()) return id.status();
               SHEFU_RETURN_IF_ERROR(AuditStaffWrite(app, req, "meeting.create", "meeting", *id));
               ApiReply out;
               out.status = 201;
               out.body = {{"id", *id}};
               return out;
             });

  http.Route("GET", "/v1/meetings", Auth::kRequired, [&sync](ApiRequest& req) -> Result<ApiReply> {
    const Caller& c = *req.caller;
    SHEFU_RETURN_IF_ERROR(MeetingReaders(c));
    auto reader = sync.Reader();
    if (!reader.ok()) return reader.status();
    sync::SyncServer::RecordQuery q;
    q.entity = "meeting";
    q.scope = c.user.scope;
    auto all = ListAll(**reader, q);
    if (!all.ok()) return all.status();
    ApiReply out;
    out.body = {{"items", Json::array()}};
    for (const auto& v : *all) {
      auto m = LoadMeeting(**reader, v.id);
      if (m.ok()) out.body["items"].push_back(MeetingJson(*m, false));
    }
    return out;
  });

  http.Route("GET", kMeetingId, Auth::kRequired, [&sync](ApiRequest& req) -> Result<ApiReply> {
    auto reader = sync.Reader();
    if (!reader.ok()) return reader.status();
    SHEFU_RETURN_IF_ERROR(MeetingReaders(*req.caller));
    auto m = LoadMeeting(**reader, req.path_params.at(0));
    if (!m.ok()) return m.status();
    SHEFU_RETURN_IF_ERROR(CanRead(*req.caller, *m));
    ApiReply out;
    out.body = MeetingJson(*m, req.query.count("roll") > 0);
    return out;
  });

  http.Route("POST", std::string(kMeetingId) + "/roll", Auth::kRequired,
             [&app, &sync](ApiRequest& req) -> Result<ApiReply> {
               const Caller& c = *req.caller;
               SHEFU_RETURN_IF_ERROR(RequireRole(c, {Role::kTownStaff}));
               SHEFU_RETURN_IF_ERROR(RequireStaffSession(c));
               SHEFU_RETURN_IF_ERROR(CheckKeys(req.body, "rows,csv"));
               Result<std::vector<RollRow>> rows =
                   req.body.contains("csv") && req.body["csv"].is_string()
                       ? RollRowsFromCsv(req.body["csv"].get<std::string>())
                       : RollRowsFromJson(req.body.value("rows", Json()));
               if (!rows.ok()) return rows.status();
               const std::string id = req.path_params.at(0);
               auto roll = sync.WithWriter([&](sync::SyncServer& s) -> Result<RollPackage> {
                 auto m = LoadMeeting(s, id);
                 if (!m.ok()) return m.status();
                 SHEFU_RETURN_IF_ERROR(InScope(c, *m));
                 return PrepareRoll(s, PrincipalOf(c), *m, *rows, app.rng(), app.clock().NowMs());
               });
               if (!roll.ok()) return roll.status();
               SHEFU_RETURN_IF_ERROR(AuditStaffWrite(app, req, "meeting.roll", "meeting", id,
                                                     {{"version", roll->version},
                                                      {"entries", roll->entries.size()},
                                                      {"proxies", roll->proxies.size()}}));
               ApiReply out;
               out.body = {{"id", id},
                           {"version", roll->version},
                           {"hash", roll->hash},
                           {"entries", roll->entries.size()},
                           {"proxies", roll->proxies.size()}};
               return out;
             });

  http.Route("GET", std::string(kMeetingId) + "/tally", Auth::kRequired,
             [&sync](ApiRequest& req) -> Result<ApiReply> {
               const Caller& c = *req.caller;
               SHEFU_RETURN_IF_ERROR(MeetingReaders(c));
               auto reader = sync.Reader();
               if (!reader.ok()) return reader.status();
               auto m = LoadMeeting(**reader, req.path_params.at(0));
               if (!m.ok()) return m.status();
               SHEFU_RETURN_IF_ERROR(CanRead(c, *m));
               auto tallies = TallyMeeting(**reader, *m);
               if (!tallies.ok()) return tallies.status();
               ApiReply out;
               out.body = {{"id", m->view.id}, {"ballots", Json::array()}};
               for (const auto& t : *tallies) {
                 Json j = BallotTallyJson(t);
                 j["final"] = m->final.contains(t.ballot) ? m->final[t.ballot] : Json();
                 out.body["ballots"].push_back(std::move(j));
               }
               return out;
             });

  http.Route("POST", std::string(kMeetingId) + R"(/ballots/([a-z0-9_-]{1,16})/override)",
             Auth::kRequired, [&app, &sync](ApiRequest& req) -> Result<ApiReply> {
               const Caller& c = *req.caller;
               SHEFU_RETURN_IF_ERROR(RequireRole(c, {Role::kTownStaff, Role::kCommunityWorker}));
               SHEFU_RETURN_IF_ERROR(RequireStaffSession(c));
               SHEFU_RETURN_IF_ERROR(CheckKeys(req.body, "voter,count_record_id,reason"));
               auto voter = GetString(req.body, "voter", 64, 1);
               if (!voter.ok()) return voter.status();
               auto rec = GetString(req.body, "count_record_id", 64, 1);
               if (!rec.ok()) return rec.status();
               auto reason = GetString(req.body, "reason", 2000, 1);
               if (!reason.ok()) return reason.status();
               const std::string id = req.path_params.at(0), ballot = req.path_params.at(1);
               Status st = sync.WithWriter([&](sync::SyncServer& s) -> Status {
                 auto m = LoadMeeting(s, id);
                 if (!m.ok()) return m.status();
                 SHEFU_RETURN_IF_ERROR(InScope(c, *m));
                 if (m->final.contains(ballot))
                   return Status::Error("ballot_final", "这项表决的结果已经确定",
                                        "this ballot's result is final");
                 return AddOverride(s, PrincipalOf(c), *m, ballot, *voter, *rec, *reason,
                                    "user:" + std::to_string(c.user.id), app.clock().NowMs());
               });
               SHEFU_RETURN_IF_ERROR(st);
               SHEFU_RETURN_IF_ERROR(AuditStaffWrite(app, req, "meeting.override", "meeting", id,
                                                     {{"ballot", ballot}, {"vote", *rec}}));
               ApiReply out;
               out.body = {{"id", id}, {"ballot", ballot}, {"counted", *rec}};
               return out;
             });

  http.Route("POST", std::string(kMeetingId) + R"(/ballots/([a-z0-9_-]{1,16})/finalize)",
             Auth::kRequired, [&app, &sync](ApiRequest& req) -> Result<ApiReply> {
               const Caller& c = *req.caller;
               SHEFU_RETURN_IF_ERROR(RequireRole(c, {Role::kTownStaff}));
               SHEFU_RETURN_IF_ERROR(RequireStaffSession(c));
               const std::string id = req.path_params.at(0), ballot = req.path_params.at(1);
               const Date today = TodayShanghai(app);
               auto policy = PolicyFor(today);
               if (!policy.ok()) return policy.status();
               auto entry = sync.WithWriter([&](sync::SyncServer& s) -> Result<Json> {
                 auto m = LoadMeeting(s, id);
                 if (!m.ok()) return m.status();
                 SHEFU_RETURN_IF_ERROR(InScope(c, *m));
                 const MeetingBallot* b = m->spec.FindBallot(ballot);
                 if (!b) return Status::Error("not_found", "没有这项表决", "no such ballot");
                 if (m->final.contains(ballot))
                   return Status::Error("ballot_final", "这项表决的结果已经确定",
                                        "this ballot's result is final");
                 return FinalizeBallot(s, PrincipalOf(c), *m, *b, today,
                                       policy->version.params.publicity_days,
                                       "user:" + std::to_string(c.user.id), app.clock().NowMs());
               });
               if (!entry.ok()) return entry.status();
               SHEFU_RETURN_IF_ERROR(AuditStaffWrite(
                   app, req, "meeting.finalize", "meeting", id,
                   {{"ballot", ballot}, {"verdict", (*entry)["record"]["verdict"]}}));
               ApiReply out;
               out.body = std::move(*entry);
               return out;
             });
}

}  // namespace shefu::server
