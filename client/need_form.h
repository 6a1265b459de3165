// The need form (C API: shefu_need_create / edit / check) and the need as the client shows it.
//
// A form is a flat JSON object in the words a worker uses (community, building, people, phone,
// id_number, ...). This file checks each field with a message that names it, and turns the form
// into the need's field groups (shared/need.h), which the sync engine merges one by one.
//
// PIPL: an id_number in a form is checked, masked and sealed to the server's public key here,
// before any group value exists, so the plain number never reaches the store or the outbox.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "client/local_store.h"
#include "shared/divisions.h"
#include "shared/json_util.h"
#include "shared/roles.h"

namespace shefu::client {

struct NeedFormContext {
  const Divisions& places;
  const Scope& scope;           // where the user may write (own community, town, ...)
  const std::string& seal_key;  // PEM; "" when not enrolled (then id_number is refused)
};

using GroupValues = std::vector<std::pair<std::string, Json>>;

// Checks the fields present in `form` (nothing written, nothing sealed). Errors name the field:
// unknown_field, bad_people, bad_description, bad_urgency, bad_address, unknown_community,
// out_of_scope, unknown_category, unknown_sub_item, sub_item_category_mismatch,
// other_needs_reason, bad_phone, bad_id_number.
Status CheckNeedForm(const Json& form, const NeedFormContext& ctx);

// The groups to write. With `current` (an edit) only the groups of the fields given, merged with
// the current values of the other fields of those groups; the address cannot change.
// Without (a create): every required field must be there (missing_field lists them) and the
// community defaults to the user's own.
Result<GroupValues> NeedGroupsFromForm(const Json& form, const NeedFormContext& ctx,
                                       const StoredRecord* current);

struct NeedViewOptions {
  Lang lang = Lang::kZh;
  bool with_phone = false;  // the full number (shefu_need_get), else only the masked one
  int64_t support = 0;
  bool unsent = false;
};
Json NeedToJson(const StoredRecord& r, const Divisions& places, const NeedViewOptions& opt);

// "3栋 2单元 301室" / "Bldg 3, Unit 2, Room 301" from the place group's parts ("" when none).
std::string FormatAddress(const Json& place, Lang lang);
// The last 8 characters of a record id: what lists show and what the CLI accepts back.
std::string ShortId(const std::string& id);
// The name of a need field group for people: people -> 人数 / number of people.
Text NeedFieldName(const std::string& group);
// A group value in a few words: {"count":4} -> "4"; {"level":"high"} -> 较急; ...
std::string NeedValueText(const std::string& group, const Json& value, Lang lang);

}  // namespace shefu::client
