// What every staff write route shares: today's Shanghai date, the policy version governing a
// decision taken today (第三十条), warnings and policy notes as JSON, the audit entry written
// after a staff write commits, and the error for a write the sync engine refused.
#pragma once

#include <string>

#include "server/accounts.h"
#include "server/http_service.h"
#include "server/server_app.h"
#include "shared/findings.h"
#include "shared/policy.h"

namespace shefu::server {

// The Shanghai day of the app clock: the decision date of every legal rule.
Date TodayShanghai(ServerApp& app);

// The policy version in force on `day` (the embedded policy book, loaded once). A day after the
// last window resolves to the last version with assumed_extended set.
Result<PolicyResolution> PolicyFor(const Date& day);

// {"version", "doc_no", "assumed_extended", "note_zh"?, "note_en"?}
Json PolicyJson(const PolicyResolution& r);
// [{code, message_zh, message_en, article?}] for the warnings of `f`.
Json WarningsJson(const Findings& f);

// Appends the audit entry of a staff write that has just committed: actor, device, request id,
// action, entity, record id and `detail` (ids, codes and counts only — never personal data).
// TODO(lead): move into the engine's commit hook so the entry commits with the write.
Status AuditStaffWrite(ServerApp& app, const ApiRequest& req, const std::string& action,
                       const std::string& entity, const std::string& record_id,
                       Json detail = Json::object());

// A staff write route refuses device tokens except for `community_worker` drafting routes:
// decisions are taken by a logged-in person, not by a shared tablet. Error: forbidden.
Status RequireSessionUnlessDrafting(const Caller& c, bool drafting_route);

}  // namespace shefu::server
