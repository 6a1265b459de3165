// Authorisation of the staff API by role AND scope, over real HTTP: every role (staff sessions,
// and device tokens of a community worker and a kiosk) against every staff route. Allowed calls
// succeed; refused ones get 403 and change nothing — the sync tables and the audit trail are
// fingerprinted before and after through a read-only SQLite connection to the running server.
#include "tests/server/access_matrix.h"

using namespace shefu;
using namespace shefu::test;

TEST_CASE("Staff API: every role against every staff route - allowed succeed, others 403") {
  StaffServer s;
  Matrix m{s, {}};
  const int y = LastYear();
  const std::string ys = std::to_string(y);
  const std::string cat = "/v1/catalogues/" + std::string(kDistrict) + "/" + ys;
  const std::string funds = "/v1/towns/" + std::string(kTown) + "/funds/" + ys;

  // ---- Catalogues (第七条: the district's administrator only) and town funds ----
  Json cat_body = {
      {"district", kDistrict}, {"year", y}, {"items", {{{"sub_item", "basic.health"}}}}};
  Req create_cat = Post("/v1/catalogues", cat_body, 201);
  m.Route("POST /v1/catalogues", {{"district", create_cat}}, create_cat);
  Req amend = Put(cat, {{"items", {{{"sub_item", "basic.elderly_care"}}}}});
  m.Route("PUT /v1/catalogues/{d}/{y}", {{"district", amend}}, amend);
  Req publish = Post(cat + "/publish", Json::object());
  auto pub = m.Route("POST /v1/catalogues/{d}/{y}/publish", {{"district", publish}}, publish);
  CHECK(pub["district"]["catalogue"]["status"] == "published");
  Req list_cat = Get("/v1/catalogues?district=" + std::string(kDistrict));
  auto cats = m.Route("GET /v1/catalogues",
                      {{"city", list_cat},
                       {"district", list_cat},
                       {"town", list_cat},
                       {"cw", list_cat},
                       {"so", list_cat}},
                      list_cat);
  CHECK(cats["cw"]["catalogues"].size() == 1);
  Req set_funds = Put(funds, {{"amount_fen", 50'000'000}});
  m.Route("PUT /v1/towns/{t}/funds/{y}", {{"town", set_funds}}, set_funds);
  Req get_funds = Get(funds);
  m.Route("GET /v1/towns/{t}/funds/{y}",
          {{"city", get_funds}, {"district", get_funds}, {"town", get_funds}}, get_funds);

  // ---- Projects: the creator's role follows the origin (第十九条) ----
  Json dev_body = CommunityProjectBody(y);
  dev_body["proposal"]["title"] = "设备上起草的项目";
  auto created = m.Route("POST /v1/projects",
                         {{"town", Post("/v1/projects", TownProjectBody(y), 201)},
                          {"cw", Post("/v1/projects", CommunityProjectBody(y), 201)},
                          {"cw_dev", Post("/v1/projects", dev_body, 201)},
                          {"so", Post("/v1/projects", SoProjectBody(y), 201)}},
                         Post("/v1/projects", TownProjectBody(y), 201));
  const std::string p_town = created["town"]["id"], p_cw = created["cw"]["id"],
                    p_dev = created["cw_dev"]["id"], p_so = created["so"]["id"];
  CHECK(created["so"]["designer_org"] == "so-1");

  auto lists = m.Route("GET /v1/projects",
                       {{"city", Get("/v1/projects")},
                        {"district", Get("/v1/projects")},
                        {"town", Get("/v1/projects")},
                        {"cw", Get("/v1/projects")},
                        {"cw_dev", Get("/v1/projects")},
                        {"so", Get("/v1/projects")}},
                       Get("/v1/projects"));
  CHECK(lists["city"]["projects"].size() == 4);
  CHECK(lists["so"]["projects"].size() == 1);  // its own design only
  m.Route("GET /v1/projects/{id}",
          {{"city", Get(ProjectPath(p_town))},
           {"district", Get(ProjectPath(p_town))},
           {"town", Get(ProjectPath(p_town))},
           {"cw", Get(ProjectPath(p_cw))},
           {"cw_dev", Get(ProjectPath(p_dev))},
           {"so", Get(ProjectPath(p_so))}},
          Get(ProjectPath(p_town)));

  Json town_prop = TownProjectBody(y)["proposal"];
  town_prop["beneficiaries"] = 320;
  Json cw_prop = CommunityProjectBody(y)["proposal"];
  cw_prop["description"] = "改为每周五次";
  Json dev_prop = dev_body["proposal"];
  dev_prop["description"] = "设备上修改";
  Json so_prop = SoProjectBody(y)["proposal"];
  so_prop["designer_org"] = "so-1";
  so_prop["description"] = "增加一场";
  m.Route("PUT /v1/projects/{id}/{group}",
          {{"town", Put(ProjectPath(p_town, "/proposal"), town_prop)},
           {"cw", Put(ProjectPath(p_cw, "/proposal"), cw_prop)},
           {"cw_dev", Put(ProjectPath(p_dev, "/proposal"), dev_prop)},
           {"so", Put(ProjectPath(p_so, "/proposal"), so_prop)}},
          Put(ProjectPath(p_town, "/proposal"), town_prop));

  // ---- Lifecycle events (the SO's turn comes at signing, below) ----
  m.Route("POST /v1/projects/{id}/events",
          {{"town", Post(ProjectPath(p_town, "/events"), {{"event", "submit"}})},
           {"cw", Post(ProjectPath(p_cw, "/events"), {{"event", "submit"}})}},
          Post(ProjectPath(p_town, "/events"), {{"event", "submit"}}), {"so"});
  Event(s, "town", p_town, "start_review");
  Event(s, "town", p_town, "approve");

  Req method = Put(ProjectPath(p_town, "/procurement"), {{"method", "public_tender"}});
  m.Route("PUT /v1/projects/{id}/procurement", {{"town", method}}, method);
  Event(s, "town", p_town, "start_procurement");
  s.Ok("town", "PUT", ProjectPath(p_town, "/procurement"),
       {{"method", "public_tender"},
        {"award_notice_ref", "公告 7"},
        {"award_notice_on", Day(y - 1, 11, 30)},
        {"provider_org", "so-1"}});
  Event(s, "town", p_town, "award");

  Req contract = Put(ProjectPath(p_town, "/contract"), ContractBody(y));
  m.Route("PUT /v1/projects/{id}/contract", {{"town", contract}}, contract);
  Req town_sign = Post(ProjectPath(p_town, "/contract/sign"), {{"signed_on", Day(y - 1, 12, 20)}});
  m.Route(
      "POST /v1/projects/{id}/contract/sign",
      {{"town", town_sign},
       {"so", Post(ProjectPath(p_town, "/contract/sign"), {{"signed_on", Day(y - 1, 12, 21)}})}},
      town_sign);
  m.Route("POST /v1/projects/{id}/events",
          {{"so", Post(ProjectPath(p_town, "/events"), {{"event", "sign_contract"}})}}, {},
          std::set<std::string>(kCallers.begin(), kCallers.end()));

  Req advance =
      Post(ProjectPath(p_town, "/payments"),
           {{"kind", "advance"}, {"amount_fen", 4'000'000}, {"paid_on", Day(y, 1, 3)}}, 201);
  m.Route("POST /v1/projects/{id}/payments", {{"town", advance}}, advance);
  Req payments = Get(ProjectPath(p_town, "/payments"));
  m.Route("GET /v1/projects/{id}/payments",
          {{"city", payments},
           {"district", payments},
           {"town", payments},
           {"cw", payments},
           {"so", payments}},
          payments);
  Event(s, "town", p_town, "start_service");
  Event(s, "town", p_town, "start_evaluation");
  Req evaluation = Put(ProjectPath(p_town, "/evaluation"), {{"survey_done", true}});
  m.Route("PUT /v1/projects/{id}/evaluation", {{"town", evaluation}}, evaluation);

  // ---- Needs (personal data: staff of the place only, never an SO, a device or a kiosk) ----
  for (const char* path : {"/v1/needs", "/v1/needs/summary?by=town"}) {
    m.Route(std::string("GET ") + path,
            {{"city", Get(path)}, {"district", Get(path)}, {"town", Get(path)}, {"cw", Get(path)}},
            Get(path));
  }
  // 19 routes x 10 callers, each cell checked once (the events route in two halves). The other
  // 33 authenticated routes are in staff_access_new_routes_test.cc; /healthz, /v1/enrol and
  // /v1/login take no token.
  CHECK(m.covered.size() == 19 * kCallers.size());
}

TEST_CASE("Scope: staff of another town, community or organisation cannot touch a project") {
  StaffServer s;
  const int y = LastYear();
  PublishCatalogue(s, y);
  const std::string p_town = s.Ok("town", "POST", "/v1/projects", TownProjectBody(y), 201)["id"];
  const std::string p_cw = s.Ok("cw", "POST", "/v1/projects", CommunityProjectBody(y), 201)["id"];
  const std::string p_so = s.Ok("so", "POST", "/v1/projects", SoProjectBody(y), 201)["id"];
  const std::string before = s.Fingerprint();
  auto refused = [&](const std::string& who, const std::string& method, const std::string& path,
                     const Json& body, int status) {
    ApiReply r = s.Call(who, method, path, body);
    INFO(who << " " << method << " " << path << " -> " << r.status << " " << r.body.dump());
    CHECK(r.status == status);
  };
  // Another town's staff: the project does not exist for them.
  refused("town2", "GET", ProjectPath(p_town), {}, 404);
  refused("town2", "PUT", ProjectPath(p_town, "/proposal"), TownProjectBody(y)["proposal"], 404);
  refused("town2", "POST", ProjectPath(p_town, "/events"), {{"event", "submit"}}, 404);
  refused("town2", "PUT", ProjectPath(p_town, "/procurement"), {{"method", "public_tender"}}, 404);
  refused("town2", "PUT", ProjectPath(p_town, "/contract"), ContractBody(y), 404);
  refused("town2", "POST", ProjectPath(p_town, "/contract/sign"), {{"signed_on", Day(y, 1, 1)}},
          404);
  refused("town2", "POST", ProjectPath(p_town, "/payments"),
          {{"kind", "advance"}, {"amount_fen", 1}, {"paid_on", Day(y, 1, 1)}}, 404);
  refused("town2", "GET", ProjectPath(p_town, "/payments"), {}, 404);
  refused("town2", "PUT", ProjectPath(p_town, "/evaluation"), {{"passed", true}}, 404);
  refused("town2", "PUT", "/v1/towns/" + std::string(kTown) + "/funds/" + std::to_string(y),
          {{"amount_fen", 1}}, 403);
  CHECK(s.Ok("town2", "GET", "/v1/projects")["projects"].empty());
  // Nor may it create a project in another town.
  refused("town2", "POST", "/v1/projects", TownProjectBody(y), 403);
  // Another community's worker, and a community worker on the town's own project.
  refused("cw2", "GET", ProjectPath(p_cw), {}, 404);
  refused("cw2", "PUT", ProjectPath(p_cw, "/evidence"), {{"vote_passed", true}}, 404);
  refused("cw2", "POST", ProjectPath(p_cw, "/events"), {{"event", "submit"}}, 404);
  Json cw2_body = CommunityProjectBody(y);
  refused("cw2", "POST", "/v1/projects", cw2_body, 403);  // 紫荆社区 is not theirs
  refused("cw", "PUT", ProjectPath(p_town, "/indicators"), {{"items", Json::array()}}, 403);
  refused("cw", "POST", ProjectPath(p_town, "/events"), {{"event", "submit"}}, 403);
  // Another organisation's member; another district's administrator.
  refused("so2", "GET", ProjectPath(p_so), {}, 404);
  refused("so2", "PUT", ProjectPath(p_so, "/proposal"), SoProjectBody(y)["proposal"], 404);
  refused("district2", "GET", ProjectPath(p_town), {}, 404);
  refused("district2", "PUT", "/v1/catalogues/" + std::string(kDistrict) + "/" + std::to_string(y),
          {{"items", {{{"sub_item", "basic.health"}}}}}, 403);
  refused("district2", "POST",
          "/v1/catalogues/" + std::string(kDistrict) + "/" + std::to_string(y) + "/publish",
          Json::object(), 403);
  // The role that may not create this origin (第十九条).
  refused("town", "POST", "/v1/projects", CommunityProjectBody(y), 403);
  refused("cw", "POST", "/v1/projects", TownProjectBody(y), 403);
  CHECK(s.Fingerprint() == before);
}
