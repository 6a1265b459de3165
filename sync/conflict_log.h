// The conflict log: every value that lost, was refused or was flagged, with both sides, kept until
// a person resolves it (docs/merge-rules.md). No value is ever silently lost.
//
// Entries live on the server (table sync_conflict) and are mirrored into the feed as rows of the
// pseudo-entity "_conflict" (id "c<number>"), scoped like their record, so devices show the
// conflicts about their records. Resolving is an ordinary new write (SyncServer::Resolve).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "shared/entity_types.h"
#include "shared/json_util.h"
#include "sync/hlc.h"
#include "sync/rules.h"

namespace shefu::sync {

class ServerStore;
struct WriteContext;

inline constexpr std::string_view kConflictEntity = "_conflict";

enum class ConflictStatus { kOpen, kAccepted, kOverridden };
const char* ConflictStatusCode(ConflictStatus s);  // "open", "accepted", "overridden"
std::optional<ConflictStatus> ParseConflictStatus(std::string_view code);

struct ConflictSide {
  std::string value;  // canonical JSON text
  Hlc hlc;
  std::string node;
  int64_t seq = 0;
};

struct Conflict {
  int64_t id = 0;
  std::string entity, record_id, group;
  Rule rule = Rule::kLwwConcurrent;
  std::string detail;  // the underlying check's code for refusals
  Text message;
  std::optional<ConflictSide> winner;  // the value that stands (none for a refused create)
  ConflictSide loser;                  // the value that lost, was refused or was flagged
  int64_t detected_ms = 0;
  ConflictStatus status = ConflictStatus::kOpen;
  std::string resolver;  // who resolved it (user id), "" while open
  std::optional<int64_t> resolved_ms;
  std::string resolution;  // "accept", "take_loser", "enter_value"
  std::optional<int64_t> resolution_sseq;
  Place place;
};

// The feed form of a conflict (value of its "_conflict" row) and back.
Json ConflictToJson(const Conflict& c);
// DumpJson(ConflictToJson(c)), byte for byte, written without building the document: the
// conflict feed row's value (the upload path writes one per conflict).
std::string ConflictFeedText(const Conflict& c);
Result<Conflict> ConflictFromJson(const Json& j);
std::string ConflictFeedId(int64_t id);  // "c42"

struct ConflictQuery {
  std::optional<ConflictStatus> status;
  std::string entity, record_id;  // "" = any
  std::optional<Rule> rule;
  std::string loser_node;  // "" = any
  // Only conflicts whose record place the scope can see (ScopeVisible); nullopt = all.
  std::optional<Scope> scope;
  int64_t after_id = 0;
  int limit = 100;
};

// Server-side access to sync_conflict. Writes happen inside the caller's WriteContext.
class ConflictLog {
 public:
  explicit ConflictLog(ServerStore& store) : store_(store) {}
  // Stores `c` (its id is assigned) and its feed row; returns the id.
  Result<int64_t> Add(WriteContext& w, Conflict c);
  Status MarkResolved(WriteContext& w, int64_t id, ConflictStatus status,
                      const std::string& resolver, int64_t when_ms, const std::string& resolution,
                      std::optional<int64_t> resolution_sseq);
  Result<std::optional<Conflict>> Get(int64_t id);
  Result<std::vector<Conflict>> List(const ConflictQuery& q);

 private:
  Status PutFeedRow(WriteContext& w, const Conflict& c);
  ServerStore& store_;
};

}  // namespace shefu::sync
