// The synced entity types and how each one merges: ONE table shared by client and server.
//
// The sync engine (sync/) is separate from the data types (Chromium components/sync): it knows
// nothing about needs or votes. It reads this table to learn, per entity type,
//   - its merge kind (editable / append-only / unique-key / counter),
//   - its field groups (fields that change together and merge as one unit),
//   - how deletes behave, which stream it travels in, where its scope code lives,
//   - which roles may write it from a device, and the domain validator for a group's value.
// docs/merge-rules.md states the resolution of every pair of concurrent writes; the kinds here
// are the vocabulary of that document.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "shared/json_util.h"
#include "shared/roles.h"
#include "shared/status.h"

namespace shefu {

enum class MergeKind {
  // Mutable records (needs, proposals, SO profiles). Last writer wins per field group by
  // hybrid-logical-clock stamp; an edit made from a stale base version is concurrent, and the
  // losing value goes to the conflict log. Never loses a value silently.
  kEditable,
  // Written once (visits, survey responses, secret choices). Insert by id; a replay with the
  // same content is a no-op; a different content under the same id is refused and logged.
  kAppendOnly,
  // Append-only with a natural key (one vote per ballot and voter). All records are kept; for
  // each key exactly one counts — the earliest stamp — and the others are logged.
  kUniqueKey,
  // Append-only deltas (+1 / -1) on a target; the value is the sum on read. Never LWW.
  kCounter,
};

enum class DeleteRule {
  kNotDeletable,  // the type has no delete (append-only kinds; corrections are new records)
  // A delete is a tombstone ("_deleted" group = true). It wins over edits made concurrently
  // with it; those edits are kept in the conflict log (rule edit_vs_delete). Only an explicit
  // restore ("_deleted" = false, a newer stamp) brings the record back.
  kDeleteWins,
};

enum class Stream {
  kAttributed,  // ordinary outbox: device seq, fine stamps, audited per record
  kAnonymous,   // unlinkable stream: no voter, no per-item seq or fine time (DESIGN.md item 7)
};

// The group that carries a tombstone (value: true = deleted, false = restored).
inline constexpr std::string_view kDeletedGroup = "_deleted";
// The single group of append-only, unique-key and counter records.
inline constexpr std::string_view kRecordGroup = "record";

// Where a record sits in the administrative hierarchy (empty strings = above that level).
struct Place {
  std::string district;
  std::string town;
  std::string community;
};

// Facts validators need from reference data, implemented by whoever holds it (Divisions on the
// server and on devices, a small fake in sync tests).
class DomainContext {
 public:
  virtual ~DomainContext() = default;
  // Resolves a community, town or district code to its place in the hierarchy.
  virtual bool ResolvePlace(std::string_view code, Place* out) const = 0;
};

// The one check that v[key] names a known community (社区/村) — used by every validator of a
// record scoped to a community.
Status CheckCommunityField(const DomainContext& ctx, const Json& v, const char* key = "community");

struct FieldGroupSpec {
  std::string_view name;
  bool required_on_create = false;
  // Immutable groups are written once at creation (the place that decides a record's scope).
  bool immutable = false;
  // Written only by the server (staff API through the lifecycle rules, e.g. a project's state);
  // a device write to it is refused (permission_reject) and compensated.
  bool server_only = false;
};

using GroupValidator = Status (*)(const DomainContext& ctx, std::string_view group,
                                  const Json& value);

// What a record looks like before a write, for checks that depend on its state.
struct RecordState {
  bool exists = false;
  bool deleted = false;
  std::map<std::string, Json, std::less<>> groups;  // current value of each group
  const Json* Find(std::string_view g) const {
    auto it = groups.find(g);
    return it == groups.end() ? nullptr : &it->second;
  }
};

// A check that needs the record's current state — e.g. a project's proposal is editable from a
// device only while the project is a draft (the lifecycle decides, not the device). It runs in the
// engine for every write: on the device before the write is queued, and on the server for device
// writes (from_device = true) and staff writes. A refusal is a validation refusal.
using RecordGuard = Status (*)(const DomainContext& ctx, const RecordState& current,
                               std::string_view group, const Json& value, bool from_device);

struct EntityTypeSpec {
  std::string_view name;  // wire name, e.g. "need"
  Text label;             // 需求 / need
  MergeKind kind;
  DeleteRule deletes;
  Stream stream;
  std::vector<FieldGroupSpec> groups;  // without "_deleted"
  // The group and field holding the place code that decides the record's scope.
  std::string_view scope_group;
  std::string_view scope_field;
  // kUniqueKey: fields of the record group that form the key.
  std::vector<std::string_view> unique_key;
  // kCounter: field naming the counted target, and the delta field.
  std::string_view counter_target;
  std::string_view counter_delta;
  // Roles that may write this type from a device (staff APIs have their own checks).
  std::vector<Role> device_writers;
  GroupValidator validate;      // may be null: any object accepted
  RecordGuard guard = nullptr;  // may be null: no state-dependent rule

  const FieldGroupSpec* FindGroup(std::string_view g) const;
  bool AllowsWriter(Role r) const;
};

const std::vector<EntityTypeSpec>& EntityTypes();
const EntityTypeSpec* FindEntityType(std::string_view name);

const char* MergeKindCode(MergeKind k);  // "editable", "append_only", "unique_key", "counter"

// Scope rules — one place, used by the server for authorisation and download filtering and by
// devices to explain refusals.
//
// A principal may WRITE a record when the record's place lies inside the principal's scope
// (same community; any community of its town; any town of its district; the city admin
// anywhere). Records above the principal's level (a district's catalogue seen from a community)
// are readable but not writable.
bool ScopeContains(const Scope& principal, const Place& record);
// A principal may READ a record when one of the two places contains the other.
bool ScopeVisible(const Scope& principal, const Place& record);

// Validates a write of `group` = `value` for an entity of `type` (shape, ranges, domain facts).
// `_deleted` must be a boolean and is only allowed for deletable types.
Status ValidateGroupWrite(const DomainContext& ctx, const EntityTypeSpec& type,
                          std::string_view group, const Json& value);

}  // namespace shefu
