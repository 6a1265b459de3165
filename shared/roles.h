// Who may do what: the roles of the platform (第六条 divides duties between district, town and
// community; 第二十七、二十八条 add evaluators, resident representatives and experts).
// Every request is authorised by role AND scope (see server/); the lifecycle table
// (lifecycle.h) names the role allowed for each transition.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/i18n.h"

namespace shefu {

enum class Role {
  kCityAdmin,      // 市民政局: runs the platform, the SO library, users of any level
  kDistrictAdmin,  // 区: publishes the annual catalogue and guideline (第七、十条)
  kTownStaff,  // 镇/街道: the purchaser — review, approve, procure, contract, pay (第二、二十条)
  kCommunityWorker,  // 社区/村 两委 worker: needs, deliberation, votes, proposals (第九、十九条)
  kSocialOrgMember,  // 社会组织: its own profile, project designs and reports (第十九条(三))
  kEvaluator,        // town or third-party evaluator: scorecards (第二十七条)
  kExpert,           // demonstration-project expert reviewer (第二十八条)
  kKiosk,            // resident kiosk device: ballots and survey answers only
};

inline constexpr Role kAllRoles[] = {
    Role::kCityAdmin,       Role::kDistrictAdmin, Role::kTownStaff, Role::kCommunityWorker,
    Role::kSocialOrgMember, Role::kEvaluator,     Role::kExpert,    Role::kKiosk};

// Stable wire/CLI code: "city_admin", "district_admin", "town_staff", "community_worker",
// "social_org", "evaluator", "expert", "kiosk".
const char* RoleCode(Role r);
std::optional<Role> ParseRole(std::string_view code);
Text RoleName(Role r);

// Where a principal may act. A community worker has a community (and its town and district);
// town staff a town; a district admin a district; the city admin nothing (everything).
// An SO member has its organisation's id.
struct Scope {
  std::string district;   // district code (e.g. "440402", or a functional-zone code)
  std::string town;       // 9-digit town code
  std::string community;  // community code
  std::string org;        // social organisation id (kSocialOrgMember)
};

}  // namespace shefu
