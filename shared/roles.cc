#include "shared/roles.h"

namespace shefu {

const char* RoleCode(Role r) {
  switch (r) {
    case Role::kCityAdmin:
      return "city_admin";
    case Role::kDistrictAdmin:
      return "district_admin";
    case Role::kTownStaff:
      return "town_staff";
    case Role::kCommunityWorker:
      return "community_worker";
    case Role::kSocialOrgMember:
      return "social_org";
    case Role::kEvaluator:
      return "evaluator";
    case Role::kExpert:
      return "expert";
    case Role::kKiosk:
      return "kiosk";
  }
  return "unknown";
}

std::optional<Role> ParseRole(std::string_view code) {
  for (Role r : kAllRoles)
    if (code == RoleCode(r)) return r;
  return std::nullopt;
}

Text RoleName(Role r) {
  switch (r) {
    case Role::kCityAdmin:
      return {"市级管理员（市民政局）", "city administrator"};
    case Role::kDistrictAdmin:
      return {"区级管理员", "district administrator"};
    case Role::kTownStaff:
      return {"镇（街道）工作人员", "town staff"};
    case Role::kCommunityWorker:
      return {"社区工作者", "community worker"};
    case Role::kSocialOrgMember:
      return {"社会组织成员", "social-organisation member"};
    case Role::kEvaluator:
      return {"评估人员", "evaluator"};
    case Role::kExpert:
      return {"评审专家", "expert"};
    case Role::kKiosk:
      return {"居民自助终端", "resident kiosk device"};
  }
  return {"未知角色", "unknown role"};
}

}  // namespace shefu
