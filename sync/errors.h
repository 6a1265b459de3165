// The protocol's error catalogue (docs/protocol.md §5): every error a sync request can get, with
// its HTTP status and the action the device takes. Codes are stable and never reused.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "shared/i18n.h"
#include "shared/status.h"

namespace shefu::sync {

// What the receiver of an error (or of a per-record outcome) does about it.
enum class Action {
  kRetry,   // transient: back off and try again, or resend from the seq given
  kReset,   // the device's view is no longer valid: re-bootstrap or re-enrol
  kReject,  // can never succeed as sent: stop and tell the user
  kReview,  // stored, but a person should look (conflict log)
};
const char* ActionCode(Action a);  // "retry", "reset", "reject", "review"
std::optional<Action> ParseAction(std::string_view code);

struct ErrorSpec {
  const char* code;
  int http_status;
  Action action;
  Text message;
};

// The request-level errors, in the order of docs/protocol.md.
inline constexpr const char* kBadRequest = "bad_request";
inline constexpr const char* kProtocolUnsupported = "protocol_unsupported";
inline constexpr const char* kUnauthenticated = "unauthenticated";
inline constexpr const char* kClientMismatch = "client_mismatch";
inline constexpr const char* kBatchTooLarge = "batch_too_large";
inline constexpr const char* kExpectedSeq = "expected_seq";
inline constexpr const char* kSeqReuse = "seq_reuse";
inline constexpr const char* kResetRequired = "reset_required";
inline constexpr const char* kServerBusy = "server_busy";
inline constexpr const char* kInternal = "internal";

// nullptr for an unknown code.
const ErrorSpec* FindError(std::string_view code);
// Every error of the catalogue (for docs tests).
const ErrorSpec* ErrorCatalogue(size_t* count);

// A Status for catalogue error `code`; `detail_zh`/`detail_en` (optional) say what exactly.
Status ProtocolError(std::string_view code, std::string_view detail_zh = {},
                     std::string_view detail_en = {});
// The action for a Status code: catalogue errors as listed; anything else kReject.
Action ActionFor(std::string_view code);

}  // namespace shefu::sync
