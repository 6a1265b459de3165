#include "shared/need.h"

#include "shared/civil_time.h"
#include "shared/masking.h"
#include "shared/service_catalogue.h"

namespace shefu {
namespace {

Status UnknownCode(std::string_view field, std::string_view allowed) {
  return FieldError(field, "取值无效（可选：" + std::string(allowed) + "）",
                    "has an invalid value (allowed: " + std::string(allowed) + ")");
}

Status CheckPlace(const DomainContext& ctx, const Json& v) {
  SHEFU_RETURN_IF_ERROR(CheckKeys(v, "community,building,unit,room"));
  auto community = GetString(v, "community", 32, 1);
  if (!community.ok()) return community.status();
  Place p;
  if (!ctx.ResolvePlace(*community, &p) || p.community.empty()) {
    return Status::Error("unknown_community", "社区/村代码不存在：" + *community,
                         "unknown community code: " + *community);
  }
  for (auto [key, max] : {std::pair{"building", 64}, {"unit", 32}, {"room", 32}}) {
    auto s = OptString(v, key, static_cast<size_t>(max));
    if (!s.ok()) return s.status();
  }
  return Status::Ok();
}

}  // namespace

Status ValidateNeedGroup(const DomainContext& ctx, std::string_view group, const Json& v) {
  if (group == "place") return CheckPlace(ctx, v);
  if (group == "category") {
    SHEFU_RETURN_IF_ERROR(CheckKeys(v, "category,sub_item,other_reason"));
    auto c = GetString(v, "category", 64, 1);
    if (!c.ok()) return c.status();
    auto s = GetString(v, "sub_item", 96, 1);
    if (!s.ok()) return s.status();
    auto r = OptString(v, "other_reason", 600);
    if (!r.ok()) return r.status();
    return CheckServiceItem(*c, *s, r->value_or(""));
  }
  if (group == "description") {
    SHEFU_RETURN_IF_ERROR(CheckKeys(v, "text"));
    auto t = GetString(v, "text", 6000, 1);
    return t.ok() ? Status::Ok() : t.status();
  }
  if (group == "people") {
    SHEFU_RETURN_IF_ERROR(CheckKeys(v, "count"));
    auto n = GetInt(v, "count", 1, 100000);
    return n.ok() ? Status::Ok() : n.status();
  }
  if (group == "urgency") {
    SHEFU_RETURN_IF_ERROR(CheckKeys(v, "level"));
    auto l = GetString(v, "level", 16, 1);
    if (!l.ok()) return l.status();
    if (*l != "low" && *l != "normal" && *l != "high" && *l != "urgent")
      return UnknownCode("level", "low, normal, high, urgent");
    return Status::Ok();
  }
  if (group == "contact") {
    SHEFU_RETURN_IF_ERROR(CheckKeys(v, "phone,id_masked,id_sealed"));
    auto phone = OptString(v, "phone", 20);
    if (!phone.ok()) return phone.status();
    if (phone->has_value()) SHEFU_RETURN_IF_ERROR(CheckPhone(**phone));
    auto masked = OptString(v, "id_masked", 18);
    if (!masked.ok()) return masked.status();
    if (masked->has_value() && !IsMaskedIdNumber(**masked)) {
      // A full ID number must never be stored or synced in the clear.
      return Status::Error("id_not_masked", "身份证号码只能以脱敏形式保存（如 4404**********1768）",
                           "ID numbers may only be kept masked (e.g. 4404**********1768)",
                           "个人信息保护法 第6条");
    }
    auto sealed = OptString(v, "id_sealed", 4096);
    return sealed.ok() ? Status::Ok() : sealed.status();
  }
  if (group == "status") {
    SHEFU_RETURN_IF_ERROR(CheckKeys(v, "state,reason"));
    auto s = GetString(v, "state", 16, 1);
    if (!s.ok()) return s.status();
    if (*s != "open" && *s != "linked" && *s != "withdrawn" && *s != "closed")
      return UnknownCode("state", "open, linked, withdrawn, closed");
    auto r = OptString(v, "reason", 600);
    return r.ok() ? Status::Ok() : r.status();
  }
  return Status::Error("unknown_group", "需求没有字段组“" + std::string(group.substr(0, 40)) + "”",
                       "a need has no field group '" + std::string(group.substr(0, 40)) + "'");
}

Status ValidateNeedSupport(const DomainContext& ctx, std::string_view group, const Json& v) {
  if (group != kRecordGroup)
    return Status::Error("unknown_group", "附议记录只有 record 字段组",
                         "a need_support has only the 'record' group");
  SHEFU_RETURN_IF_ERROR(CheckKeys(v, "need,community,delta"));
  auto need = GetString(v, "need", 64, 1);
  if (!need.ok()) return need.status();
  SHEFU_RETURN_IF_ERROR(CheckCommunityField(ctx, v));
  auto d = GetInt(v, "delta", -1, 1);
  if (!d.ok()) return d.status();
  if (*d == 0) return FieldError("delta", "只能是 +1 或 -1", "must be +1 or -1");
  return Status::Ok();
}

Status ValidateVisit(const DomainContext& ctx, std::string_view group, const Json& v) {
  if (group != kRecordGroup)
    return Status::Error("unknown_group", "走访记录只有 record 字段组",
                         "a visit has only the 'record' group");
  SHEFU_RETURN_IF_ERROR(CheckKeys(v, "community,building,unit,room,date,outcome"));
  SHEFU_RETURN_IF_ERROR(CheckCommunityField(ctx, v));
  for (auto [key, max] : {std::pair{"building", 64}, {"unit", 32}, {"room", 32}}) {
    auto s = OptString(v, key, static_cast<size_t>(max));
    if (!s.ok()) return s.status();
  }
  auto date = GetString(v, "date", 10, 10);
  if (!date.ok()) return date.status();
  if (!ParseDate(*date).ok()) return FieldError("date", "应为 YYYY-MM-DD", "must be YYYY-MM-DD");
  auto o = GetString(v, "outcome", 16, 1);
  if (!o.ok()) return o.status();
  if (*o != "visited" && *o != "no_one_home" && *o != "declined")
    return UnknownCode("outcome", "visited, no_one_home, declined");
  return Status::Ok();
}

Text UrgencyName(std::string_view level) {
  if (level == "low") return {"不急", "low"};
  if (level == "normal") return {"一般", "normal"};
  if (level == "high") return {"较急", "high"};
  if (level == "urgent") return {"紧急", "urgent"};
  return {std::string(level), std::string(level)};
}

Text NeedStateName(std::string_view state) {
  if (state == "open") return {"待处理", "open"};
  if (state == "linked") return {"已纳入项目", "linked to a project"};
  if (state == "withdrawn") return {"已撤回", "withdrawn"};
  if (state == "closed") return {"已关闭", "closed"};
  return {std::string(state), std::string(state)};
}

}  // namespace shefu
