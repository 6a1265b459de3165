// The district's annual catalogue (第七条) and a town's pooled funds (第二十条):
//   POST /v1/catalogues, PUT /v1/catalogues/{district}/{year},
//   POST /v1/catalogues/{district}/{year}/publish, GET /v1/catalogues,
//   PUT|GET /v1/towns/{town}/funds/{year}.
// A catalogue record (fixed id per district and year) holds every version of that catalogue as
// CatalogueBook JSON; CatalogueBook enforces the rules across versions and CheckCatalogueRole
// who may change it. Devices in the district download the record like any other.
#include "server/projects.h"
#include "server/routes.h"
#include "server/staff_access.h"
#include "server/staff_writes.h"
#include "server/sync_service.h"
#include "shared/civil_time.h"

namespace shefu::server {
namespace {

const std::string kCatalogue = R"(/v1/catalogues/([0-9A-Za-z-]{1,32})/(\d{4}))";
const std::string kFunds = R"(/v1/towns/(\d{9})/funds/(\d{4}))";

Result<std::vector<CatalogueItem>> ItemsFrom(const Json& body, const std::string& district,
                                             int year) {
  if (!body.contains("items")) return FieldError("items", "缺失", "is missing");
  Json c = {{"district", district},
            {"year", year},
            {"version", 1},
            {"status", "draft"},
            {"items", body["items"]}};
  auto parsed = CatalogueFromJson(c);
  if (!parsed.ok()) return parsed.status();
  return parsed->items;
}

// Stores the book of (district, year), creating the record on first use.
Status SaveBook(sync::SyncServer& s, const Caller& c, const std::string& district, int year,
                const CatalogueBook& book) {
  const std::string id = CatalogueRecordId(district, year);
  Json value = {
      {"district", district}, {"year", year}, {"catalogues", book.ToJson()["catalogues"]}};
  auto existing = s.ReadRecord("catalogue", id);
  if (!existing.ok()) return existing.status();
  std::vector<sync::SyncServer::LocalChange> changes;
  if (!existing->has_value())
    changes.push_back({"catalogue", id, "place", Json{{"code", district}}, std::nullopt});
  changes.push_back({"catalogue", id, "book", std::move(value), std::nullopt});
  auto w = s.LocalWrite(PrincipalOf(c), std::move(changes));
  return w.ok() ? Status::Ok() : w.status();
}

struct CatalogueChange {
  AnnualCatalogue catalogue;
  Findings findings;
};

// Loads the book, applies `change`, stores it, and returns the catalogue `pick` names.
template <typename F>
Result<CatalogueChange> ChangeBook(SyncService& sync, ServerApp& app, const Caller& c,
                                   const std::string& district, int year, F change) {
  return sync.WithWriter([&](sync::SyncServer& s) -> Result<CatalogueChange> {
    auto book = LoadCatalogueBook(s, app.places(), district, year);
    if (!book.ok()) return book.status();
    CatalogueChange out;
    out.findings = change(*book);
    if (!out.findings.ok()) return out.findings.FirstError();
    SHEFU_RETURN_IF_ERROR(SaveBook(s, c, district, year, *book));
    const AnnualCatalogue* cat = book->Draft(district, year);
    if (!cat) cat = book->InForce(district, year);
    if (cat) out.catalogue = *cat;
    return out;
  });
}

Result<ApiReply> CatalogueReply(ServerApp& app, const ApiRequest& req, const char* action,
                                const Result<CatalogueChange>& r, int status) {
  if (!r.ok()) return r.status();
  const AnnualCatalogue& cat = r->catalogue;
  SHEFU_RETURN_IF_ERROR(AuditStaffWrite(app, req, action, "catalogue",
                                        CatalogueRecordId(cat.district, cat.year),
                                        {{"district", cat.district},
                                         {"year", cat.year},
                                         {"version", cat.version},
                                         {"items", cat.items.size()}}));
  ApiReply out;
  out.status = status;
  out.body = {{"catalogue", CatalogueToJson(cat)}, {"warnings", WarningsJson(r->findings)}};
  return out;
}

int Year(const ApiRequest& req) {
  return std::stoi(req.path_params.at(1));
}

Status FundsInScope(const Caller& c, std::string_view town, const Place& place) {
  const Scope& sc = c.user.scope;
  if (ScopeContains(Scope{sc.district, sc.town, "", ""}, place)) return Status::Ok();
  return Forbidden({"镇街 " + std::string(town) + " 不在您的管辖范围内",
                    "town " + std::string(town) + " is outside your scope"});
}

Result<ApiReply> FundsReply(sync::SyncServer& s, const std::string& town, int year) {
  auto funds = LoadTownFunds(s, town, year, "");
  if (!funds.ok()) return funds.status();
  ApiReply out;
  out.body = {{"town", town},
              {"year", year},
              {"amount_fen", funds->recorded ? Json(*funds->recorded) : Json()},
              {"committed_fen", funds->committed},
              {"available_fen", funds->available()}};
  return out;
}

}  // namespace

void RegisterCatalogueRoutes(HttpService& http, ServerApp& app, SyncService& sync) {
  http.Route("POST", "/v1/catalogues", Auth::kRequired,
             [&app, &sync](ApiRequest& req) -> Result<ApiReply> {
               const Caller& c = *req.caller;
               SHEFU_RETURN_IF_ERROR(RequireStaffSession(c));
               SHEFU_RETURN_IF_ERROR(CheckKeys(req.body, "district,year,items"));
               auto district = GetString(req.body, "district", 32, 1);
               if (!district.ok()) return district.status();
               SHEFU_RETURN_IF_ERROR(CheckCatalogueRole(c.user.role, c.user.scope, *district));
               auto year = GetInt(req.body, "year", kMinCatalogueYear, kMaxCatalogueYear);
               if (!year.ok()) return year.status();
               const int y = static_cast<int>(*year);
               auto items = ItemsFrom(req.body, *district, y);
               if (!items.ok()) return items.status();
               auto r = ChangeBook(sync, app, c, *district, y, [&](CatalogueBook& b) {
                 Findings f;
                 f.Add(b.CreateDraft(c.user.role, c.user.scope, *district, y));
                 if (f.ok())
                   f.Add(b.SetDraftItems(c.user.role, c.user.scope, *district, y, *items));
                 return f;
               });
               return CatalogueReply(app, req, "catalogue.create", r, 201);
             });

  http.Route("PUT", kCatalogue, Auth::kRequired,
             [&app, &sync](ApiRequest& req) -> Result<ApiReply> {
               const Caller& c = *req.caller;
               SHEFU_RETURN_IF_ERROR(RequireStaffSession(c));
               const std::string district = req.path_params.at(0);
               SHEFU_RETURN_IF_ERROR(CheckCatalogueRole(c.user.role, c.user.scope, district));
               SHEFU_RETURN_IF_ERROR(CheckKeys(req.body, "items"));
               const int y = Year(req);
               auto items = ItemsFrom(req.body, district, y);
               if (!items.ok()) return items.status();
               // Editing a draft, or starting an amendment of the published version (第七条).
               auto r = ChangeBook(sync, app, c, district, y, [&](CatalogueBook& b) {
                 Findings f;
                 if (!b.Draft(district, y))
                   f.Add(b.StartAmendment(c.user.role, c.user.scope, district, y));
                 if (f.ok()) f.Add(b.SetDraftItems(c.user.role, c.user.scope, district, y, *items));
                 return f;
               });
               return CatalogueReply(app, req, "catalogue.amend", r, 200);
             });

  http.Route("POST", kCatalogue + "/publish", Auth::kRequired,
             [&app, &sync](ApiRequest& req) -> Result<ApiReply> {
               const Caller& c = *req.caller;
               SHEFU_RETURN_IF_ERROR(RequireStaffSession(c));
               const std::string district = req.path_params.at(0);
               SHEFU_RETURN_IF_ERROR(CheckCatalogueRole(c.user.role, c.user.scope, district));
               SHEFU_RETURN_IF_ERROR(CheckKeys(req.body, ""));
               const int y = Year(req);
               const Date today = TodayShanghai(app);
               auto r = ChangeBook(sync, app, c, district, y, [&](CatalogueBook& b) {
                 return b.Publish(c.user.role, c.user.scope, district, y, today);
               });
               return CatalogueReply(app, req, "catalogue.publish", r, 200);
             });

  http.Route(
      "GET", "/v1/catalogues", Auth::kRequired, [&app, &sync](ApiRequest& req) -> Result<ApiReply> {
        const Caller& c = *req.caller;
        SHEFU_RETURN_IF_ERROR(
            RequireRole(c, {Role::kCityAdmin, Role::kDistrictAdmin, Role::kTownStaff,
                            Role::kCommunityWorker, Role::kSocialOrgMember}));
        SHEFU_RETURN_IF_ERROR(RequireStaffSession(c));
        std::string district, year;
        if (auto it = req.query.find("district"); it != req.query.end())
          district = it->second.substr(0, 32);
        if (auto it = req.query.find("year"); it != req.query.end()) year = it->second.substr(0, 4);
        auto r = sync.Reader();
        if (!r.ok()) return r.status();
        sync::SyncServer::RecordQuery q;
        q.entity = "catalogue";
        // The published catalogue is public (第七条 向社会公布): an SO sees every district's.
        if (c.user.role != Role::kSocialOrgMember) q.scope = c.user.scope;
        auto all = ListAll(**r, q);
        if (!all.ok()) return all.status();
        ApiReply out;
        out.body = {{"catalogues", Json::array()}};
        for (const auto& v : *all) {
          const sync::GroupView* g = v.Find("book");
          if (!g || !g->value.contains("catalogues")) continue;
          auto book =
              CatalogueBook::FromJson(Json{{"catalogues", g->value["catalogues"]}}, &app.places());
          if (!book.ok()) return book.status();
          for (const auto& cat : book->all()) {
            if (!district.empty() && cat.district != district) continue;
            if (!year.empty() && std::to_string(cat.year) != year) continue;
            // Drafts are the district's working copy.
            if (cat.status == CatalogueStatus::kDraft &&
                !CheckCatalogueRole(c.user.role, c.user.scope, cat.district).ok())
              continue;
            out.body["catalogues"].push_back(CatalogueToJson(cat));
          }
        }
        return out;
      });

  http.Route("PUT", kFunds, Auth::kRequired, [&app, &sync](ApiRequest& req) -> Result<ApiReply> {
    const Caller& c = *req.caller;
    SHEFU_RETURN_IF_ERROR(RequireRole(c, {Role::kTownStaff}));
    SHEFU_RETURN_IF_ERROR(RequireStaffSession(c));
    const std::string town = req.path_params.at(0);
    if (c.user.scope.town != town)
      return Forbidden({"只能登记本镇街的可统筹资金", "you record your own town's funds only"});
    SHEFU_RETURN_IF_ERROR(CheckKeys(req.body, "amount_fen"));
    auto amount = GetInt(req.body, "amount_fen", 0, kMaxFen);
    if (!amount.ok()) return amount.status();
    const int y = Year(req);
    if (y < 2000 || y > 2100) return FieldError("year", "须为 2000–2100", "must be 2000 to 2100");
    const std::string id = TownFundsRecordId(town, y);
    auto reply = sync.WithWriter([&](sync::SyncServer& s) -> Result<ApiReply> {
      auto existing = s.ReadRecord("town_funds", id);
      if (!existing.ok()) return existing.status();
      std::vector<sync::SyncServer::LocalChange> changes;
      if (!existing->has_value())
        changes.push_back({"town_funds", id, "place", Json{{"code", town}}, std::nullopt});
      changes.push_back(
          {"town_funds", id, "funds", Json{{"year", y}, {"amount_fen", *amount}}, std::nullopt});
      auto w = s.LocalWrite(PrincipalOf(c), std::move(changes));
      if (!w.ok()) return w.status();
      return FundsReply(s, town, y);
    });
    if (!reply.ok()) return reply.status();
    SHEFU_RETURN_IF_ERROR(AuditStaffWrite(app, req, "town_funds.set", "town_funds", id,
                                          {{"town", town}, {"year", y}, {"amount_fen", *amount}}));
    return reply;
  });

  http.Route("GET", kFunds, Auth::kRequired, [&app, &sync](ApiRequest& req) -> Result<ApiReply> {
    const Caller& c = *req.caller;
    SHEFU_RETURN_IF_ERROR(
        RequireRole(c, {Role::kCityAdmin, Role::kDistrictAdmin, Role::kTownStaff}));
    SHEFU_RETURN_IF_ERROR(RequireStaffSession(c));
    const std::string town = req.path_params.at(0);
    Place place;
    if (!app.places().ResolvePlace(town, &place) || place.town != town)
      return Status::Error("not_found", "镇街不存在", "no such town");
    SHEFU_RETURN_IF_ERROR(FundsInScope(c, town, place));
    auto r = sync.Reader();
    if (!r.ok()) return r.status();
    return FundsReply(**r, town, Year(req));
  });
}

}  // namespace shefu::server
