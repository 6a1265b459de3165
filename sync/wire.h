// The wire format of the sync protocol (docs/protocol.md): message structs and their JSON
// encoders and decoders.
//
// Decoders are the edge: they take any JSON (or any bytes, via ParseMessage) and either return a
// fully checked message or a typed error (bad_request, protocol_unsupported); they never throw
// and never crash (tests/fuzz/ runs them under libFuzzer). What a record's value must contain is
// NOT checked here: that is validation, refused per record by the merge, not a malformed request.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/json_util.h"
#include "shared/version.h"
#include "sync/errors.h"
#include "sync/hlc.h"
#include "sync/rules.h"

namespace shefu::sync {

// Version of the entity-type table (shared/entity_types.h) spoken on the wire. Bump it when a
// type or group is added or changed; the server accepts N and N-1.
inline constexpr int kSchemaVersion = 1;

inline constexpr size_t kMaxBatchChanges = 1000;  // per upload request
inline constexpr size_t kMaxAnonItems = 1000;     // per anonymous batch
inline constexpr int kMaxPageLimit = 1000;        // per download page
inline constexpr size_t kMaxValueBytes = 64 * 1024;
// A record value nests at most this deep (objects and arrays); deeper is malformed.
inline constexpr int kMaxValueDepth = 16;
// Nesting depth of a JSON value (a scalar is 0, {} or [] is 1), without recursion.
int JsonDepth(const Json& v);
inline constexpr size_t kMaxMessageBytes = 16 * 1024 * 1024;
inline constexpr int64_t kMaxSeq = (int64_t{1} << 53) - 1;

// Routes (the HTTP layer maps them to POST /v1/<route>).
inline constexpr std::string_view kRouteUpload = "sync/upload";
inline constexpr std::string_view kRouteDownload = "sync/download";
inline constexpr std::string_view kRouteAnon = "sync/anon";

// The versions a receiver speaks; it accepts N and N-1 of each.
struct VersionPolicy {
  int protocol = kProtocolVersion;
  int schema = kSchemaVersion;
};
// True when `v` is `current` or `current - 1` (and >= 1).
bool VersionAccepted(int v, int current);

// One outbox row on the wire.
struct Change {
  int64_t seq = 0;
  std::string entity, id, group;
  Json value;
  std::string value_text;  // canonical compact JSON of `value` (sorted keys), set by the decoder
  Hlc hlc;
  int64_t base = 0;
};

struct UploadRequest {
  std::string client_id;
  std::string epoch;  // "" when the device has never downloaded
  int64_t first_seq = 0, last_seq = 0;
  std::vector<Change> changes;
};

// A change that did not simply apply (docs/protocol.md §2).
struct RecordResult {
  int64_t seq = 0;  // for anonymous items: the item's index
  Outcome outcome = Outcome::kConflict;
  std::string code;    // rule code
  std::string detail;  // the underlying check's code, may be empty
  Text message;
};

struct UploadReply {
  std::string epoch;  // the server store's epoch (a device that never downloaded learns it here)
  int64_t acked_seq = 0;
  Hlc server_hlc;
  int64_t checkpoint = 0;
  std::vector<RecordResult> results;
};

// One row of the server's compacted feed.
struct FeedRow {
  std::string entity, id, group;
  Json value;
  Hlc hlc;
  std::string node;
  int64_t seq = 0;      // origin's seq of the value
  int64_t version = 0;  // server_seq at which the value last changed
  int64_t flags = 0;    // bit 0: not counted
};
inline constexpr int64_t kFlagNotCounted = 1;

struct DownloadRequest {
  std::string cursor;
  std::string epoch;  // the epoch the device last saw ("" = none); a mismatch is reset_required
  int limit = 500;
};

struct DownloadReply {
  std::string epoch;
  Hlc server_hlc;
  std::vector<FeedRow> changes;
  std::string next_cursor;
  int64_t checkpoint = 0;
  bool has_more = false;
};

struct AnonItem {
  std::string entity;
  Json value;
};

struct AnonUploadRequest {
  std::string batch_id;  // 32 lower-case hex digits, random
  std::string date;      // YYYY-MM-DD (Shanghai day), nothing finer
  std::vector<AnonItem> items;
};

struct AnonUploadReply {
  std::string batch_id;
  int64_t accepted = 0;
  std::vector<RecordResult> refused;  // seq = item index
};

struct ErrorReply {
  std::string code;
  Action action = Action::kReject;
  Text message;
  std::optional<int64_t> expected_seq;
  std::string reason;  // reset_required: "restored" (new epoch) or "scope"
};

// Text -> JSON for any message; bad_request on malformed JSON, bad UTF-8, too deep or too big.
Result<Json> ParseMessage(std::string_view body);
// Checks "protocol" and "schema": bad_request when missing or not integers,
// protocol_unsupported when not N or N-1.
Status CheckVersions(const Json& msg, const VersionPolicy& policy = {});
// The versions a request spoke, to answer in them (a device at N-1 reads N-1 replies). Falls back
// to `policy` when the request does not carry an accepted pair.
VersionPolicy ReplyVersions(const Json& request, const VersionPolicy& policy);

Json Encode(const UploadRequest& m, const VersionPolicy& v = {});
Json Encode(const UploadReply& m, const VersionPolicy& v = {});
Json Encode(const DownloadRequest& m, const VersionPolicy& v = {});
Json Encode(const DownloadReply& m, const VersionPolicy& v = {});
Json Encode(const AnonUploadRequest& m, const VersionPolicy& v = {});
Json Encode(const AnonUploadReply& m, const VersionPolicy& v = {});
Json Encode(const ErrorReply& m, const VersionPolicy& v = {});
// An ErrorReply from a Status whose code is in the catalogue (errors.h).
ErrorReply ToErrorReply(const Status& st, std::optional<int64_t> expected_seq = std::nullopt,
                        std::string reason = {});

// Decoders check the versions first. Requests may be moved from (values are taken, not copied).
Result<UploadRequest> DecodeUploadRequest(Json&& msg, const VersionPolicy& v = {});
Result<UploadReply> DecodeUploadReply(const Json& msg, const VersionPolicy& v = {});
Result<DownloadRequest> DecodeDownloadRequest(const Json& msg, const VersionPolicy& v = {});
Result<DownloadReply> DecodeDownloadReply(Json&& msg, const VersionPolicy& v = {});
Result<AnonUploadRequest> DecodeAnonUploadRequest(Json&& msg, const VersionPolicy& v = {});
Result<AnonUploadReply> DecodeAnonUploadReply(const Json& msg, const VersionPolicy& v = {});
// An error reply (a message with an "error" object); nullopt when `msg` is not one.
Result<std::optional<ErrorReply>> DecodeErrorReply(const Json& msg);

// Per-record results as stored with an upload batch (and as sent in replies).
Json ResultsToJson(const std::vector<RecordResult>& results);
Status ResultsFromJson(const Json& array, std::vector<RecordResult>* out);

// The canonical text of a value: compact, object keys sorted. Never throws.
std::string CanonicalJson(const Json& v);
// True when `text` is certainly the canonical text of the value it holds — CanonicalJson of its
// parse is `text` again — so a writer may copy it instead of parsing and dumping it. Decided in
// one pass without building anything. Conservative: false means "not known", and covers every
// string with an escape, every number with a fraction or exponent or more than 18 digits, and
// nesting deeper than kMaxValueDepth. The text must be valid UTF-8 (the caller checks).
bool IsCanonicalJsonText(std::string_view text);

}  // namespace shefu::sync
