// A record as the stores show it: its field groups' current values and where they came from.
// Used by the server's queries and the device's reads alike.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "shared/entity_types.h"
#include "shared/json_util.h"
#include "sync/hlc.h"

namespace shefu::sync {

struct GroupView {
  Json value;
  Hlc hlc;
  std::string node;  // origin ("" for a device's own pending write)
  int64_t seq = 0;   // origin seq (device: outbox seq for its own writes)
  int64_t version = 0;
  int64_t flags = 0;
  // Device only: the value is the device's own write the server has not yet confirmed
  // (pending, or acknowledged but not yet downloaded).
  bool local = false;
};

struct RecordView {
  std::string entity, id;
  Place place;  // server only (the device does not need it)
  std::map<std::string, GroupView, std::less<>> groups;
  bool deleted = false;
  // Unique-key records: false when another record with the same key counts instead.
  bool counted = true;

  const GroupView* Find(std::string_view group) const {
    auto it = groups.find(group);
    return it == groups.end() ? nullptr : &it->second;
  }
};

}  // namespace shefu::sync
