// 需求征集 (第九条): what a community worker records door to door, and the records around it.
//
// A Need is an editable record in field groups (each merges as one unit, see entity_types.h):
//   place       {community, building, unit, room}     scope; written once at creation
//   category    {category, sub_item, other_reason}   第八条 codes (service_catalogue.h)
//   description {text}
//   people      {count}                               people affected, 1..100000
//   urgency     {level}                               low | normal | high | urgent
//   contact     {phone?, id_masked?, id_sealed?}      PIPL: only the masked ID rests on a device
//   status      {state, reason?}                      open | linked | withdrawn | closed
// A need_support is a counter delta (+1/-1 "me too" from a neighbour) on a need; a visit is an
// append-only log of a door knocked on (coverage of the 需求征集 round).
#pragma once

#include <string_view>

#include "shared/entity_types.h"

namespace shefu {

Status ValidateNeedGroup(const DomainContext& ctx, std::string_view group, const Json& value);
Status ValidateNeedSupport(const DomainContext& ctx, std::string_view group, const Json& value);
Status ValidateVisit(const DomainContext& ctx, std::string_view group, const Json& value);

// Display names for the urgency and status codes.
Text UrgencyName(std::string_view level);
Text NeedStateName(std::string_view state);

}  // namespace shefu
