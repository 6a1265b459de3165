// The entity-table validators of the meeting records (meeting, meeting_event).
#include "shared/meeting_record.h"

namespace shefu {

Status ValidateMeetingGroup(const DomainContext& ctx, std::string_view group, const Json& v) {
  if (group == "place") {
    SHEFU_RETURN_IF_ERROR(CheckKeys(v, "code"));
    return CheckCommunityField(ctx, v, "code");
  }
  if (group == "meeting") {
    auto m = ParseMeetingSpec("m", v);
    if (!m.ok()) return m.status();
    return CheckCommunityField(ctx, v, "community");
  }
  if (group == "roll") {
    auto r = ParseRoll(v);
    if (!r.ok()) return r.status();
    ProxyPolicy lenient;  // the cap was checked against the policy when the roll was prepared
    const Findings found = ValidateRoll(*r, lenient);
    for (const Finding& f : found.all())
      if (f.code.rfind("roll_", 0) == 0) return f.AsStatus();
    return Status::Ok();
  }
  if (group == "overrides") {
    SHEFU_RETURN_IF_ERROR(CheckKeys(v, "items"));
    if (!v.contains("items") || !v["items"].is_array())
      return FieldError("items", "必须是数组", "must be an array");
    for (const Json& o : v["items"]) {
      if (!o.is_object()) return FieldError("items", "必须是对象数组", "must hold objects");
      SHEFU_RETURN_IF_ERROR(CheckKeys(o, "ballot,voter,count_record_id,reason,chair,at"));
      for (const char* k : {"ballot", "voter", "count_record_id", "reason"}) {
        auto s = GetString(o, k, 2000, 1);
        if (!s.ok()) return s.status();
      }
    }
    return Status::Ok();
  }
  if (group == "final") {
    for (const auto& [k, x] : v.items())
      if (k.size() > 16 || !x.is_object())
        return FieldError("final", "每项表决一个对象", "one object per ballot");
    return Status::Ok();
  }
  return Status::Error("unknown_group", "会议没有这个字段组", "a meeting has no such group");
}

Status ValidateDemoRoundGroup(const DomainContext& ctx, std::string_view group, const Json& v) {
  if (group == "place") {
    SHEFU_RETURN_IF_ERROR(CheckKeys(v, "code"));
    auto c = GetString(v, "code", 32, 1);
    if (!c.ok()) return c.status();
    Place p;
    if (!ctx.ResolvePlace(*c, &p) || p.town.empty() || !p.community.empty())
      return Status::Error("unknown_town", "镇街代码不存在：" + *c, "unknown town code: " + *c);
    return Status::Ok();
  }
  for (const char* g : {"round", "weights", "opened", "experts", "scores"})
    if (group == g) return Status::Ok();
  return Status::Error("unknown_group", "示范项目评选没有这个字段组",
                       "a demonstration round has no such group");
}

Status ValidateMeetingEvent(const DomainContext& ctx, std::string_view group, const Json& v) {
  if (group != kRecordGroup)
    return Status::Error("unknown_group", "会议登记只有 record 字段组",
                         "a meeting event has only the 'record' group");
  SHEFU_RETURN_IF_ERROR(ValidateMeetingEventValue(v));
  return CheckCommunityField(ctx, v, "community");
}

}  // namespace shefu
