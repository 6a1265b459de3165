// The HTTP API under /v1 (documented in docs/api.md). Each file registers one area.
#pragma once

#include "server/http_service.h"
#include "server/server_app.h"

namespace shefu::server {

// The path of one project; the route patterns of its sub-resources start with it.
inline constexpr const char* kProjectPath = R"(/v1/projects/([0-9A-Za-z._:-]{1,64}))";

// GET /healthz; POST /v1/enrol, /v1/login, /v1/logout; GET /v1/me.
void RegisterAuthRoutes(HttpService& http, ServerApp& app);

class SyncService;
// POST /v1/sync/upload, /v1/sync/download, /v1/sync/anon; GET /v1/sync/status (devices only).
void RegisterSyncRoutes(HttpService& http, ServerApp& app, SyncService& sync);
// GET /v1/conflicts[/{id}], POST /v1/conflicts/{id}/resolve, GET /v1/directory.
void RegisterConflictRoutes(HttpService& http, ServerApp& app, SyncService& sync);

// The staff API (docs/api.md). Projects: POST|GET /v1/projects, GET /v1/projects/{id},
// PUT /v1/projects/{id}/{proposer group}, POST /v1/projects/{id}/events.
void RegisterProjectRoutes(HttpService& http, ServerApp& app, SyncService& sync);
// POST /v1/projects/{id}/events (registered by RegisterProjectRoutes).
void RegisterProjectEventRoute(HttpService& http, ServerApp& app, SyncService& sync);
// PUT /v1/projects/{id}/procurement|contract|evaluation, POST /v1/projects/{id}/contract/sign,
// POST|GET /v1/projects/{id}/payments.
void RegisterContractRoutes(HttpService& http, ServerApp& app, SyncService& sync);
// POST|GET /v1/catalogues, PUT /v1/catalogues/{district}/{year}, POST .../publish,
// PUT|GET /v1/towns/{town}/funds/{year}.
void RegisterCatalogueRoutes(HttpService& http, ServerApp& app, SyncService& sync);
// GET /v1/needs, GET /v1/needs/summary.
void RegisterNeedRoutes(HttpService& http, ServerApp& app, SyncService& sync);

// ---- Satisfaction surveys (issue 7) ----
// POST|GET /v1/projects/{id}/surveys, GET /v1/surveys/{sid}, POST /v1/surveys/{sid}/frame,
// GET /v1/satisfaction, GET /v1/satisfaction/report.csv|report.html.
void RegisterSurveyRoutes(HttpService& http, ServerApp& app, SyncService& sync);
// PUT /v1/projects/{id}/evaluation: scorecard fed by the survey index, evaluator, opinions,
// acceptance through evaluation.h.
void RegisterEvaluationRoute(HttpService& http, ServerApp& app, SyncService& sync);
// GET /v1/payment-alerts: overdue installments and December lump payments across projects.
void RegisterPaymentAlertRoute(HttpService& http, ServerApp& app, SyncService& sync);
// Meetings and votes (issue 6): POST|GET /v1/meetings, GET /v1/meetings/{id},
// POST /v1/meetings/{id}/roll, GET /v1/meetings/{id}/tally,
// POST /v1/meetings/{id}/ballots/{b}/override|finalize.
void RegisterMeetingRoutes(HttpService& http, ServerApp& app, SyncService& sync);
// 第二十八条 demonstration rounds: POST /v1/demonstration/rounds, POST .../{id}/weights|open|
// experts|scores, GET .../{id}/ranking.
void RegisterDemonstrationRoutes(HttpService& http, ServerApp& app, SyncService& sync);

}  // namespace shefu::server
