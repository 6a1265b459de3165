#include "server/staff_access.h"

namespace shefu::server {

Status Forbidden(const Text& what) {
  return Status::Error("forbidden", "无权操作：" + what.zh, "not allowed: " + what.en);
}

Status RequireRole(const Caller& c, std::initializer_list<Role> roles) {
  for (Role r : roles)
    if (c.user.role == r) return Status::Ok();
  return Status::Error("forbidden", "您的角色（" + RoleName(c.user.role).zh + "）无权进行此操作",
                       "your role (" + RoleName(c.user.role).en + ") may not do this");
}

Status RequireStaffSession(const Caller& c) {
  if (c.is_device()) {
    return Status::Error("forbidden", "此接口需要工作人员登录，设备令牌不可使用",
                         "this endpoint needs a staff login; device tokens cannot use it");
  }
  return Status::Ok();
}

Status RequireTownSession(const Caller& c) {
  SHEFU_RETURN_IF_ERROR(RequireRole(c, {Role::kTownStaff}));
  return RequireStaffSession(c);
}

}  // namespace shefu::server
