// The HTTP API under /v1 (documented in docs/api.md). Each file registers one area.
#pragma once

#include "server/http_service.h"
#include "server/server_app.h"

namespace shefu::server {

// GET /healthz; POST /v1/enrol, /v1/login, /v1/logout; GET /v1/me.
void RegisterAuthRoutes(HttpService& http, ServerApp& app);

class SyncService;
// POST /v1/sync/upload, /v1/sync/download, /v1/sync/anon; GET /v1/sync/status (devices only).
void RegisterSyncRoutes(HttpService& http, ServerApp& app, SyncService& sync);
// GET /v1/conflicts[/{id}], POST /v1/conflicts/{id}/resolve, GET /v1/directory.
void RegisterConflictRoutes(HttpService& http, ServerApp& app, SyncService& sync);

}  // namespace shefu::server
