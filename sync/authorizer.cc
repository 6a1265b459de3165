#include "sync/authorizer.h"

namespace shefu::sync {

Place PlaceOfScope(const Scope& s) {
  return Place{s.district, s.town, s.community};
}

AuthVerdict CheckScope(const Principal& p, const EntityTypeSpec& type, const Place& place) {
  if (ScopeContains(p.scope, place)) return {};
  AuthVerdict v;
  v.refusal = Rule::kScopeReject;
  std::string where = place.community.empty() ? place.town : place.community;
  v.why = {type.label.zh + "所在地（" + where + "）不在本账号的管辖范围内",
           "the " + type.label.en + " at " + where + " lies outside this account's scope"};
  return v;
}

AuthVerdict DefaultAuthorizer::CanWrite(const Principal& p, const EntityTypeSpec& type,
                                        const Place& place) const {
  if (!type.AllowsWriter(p.role)) {
    AuthVerdict v;
    v.refusal = Rule::kPermissionReject;
    v.why = {"当前角色不能在设备上提交" + type.label.zh,
             "this role may not write a " + type.label.en + " from a device"};
    return v;
  }
  return CheckScope(p, type, place);
}

}  // namespace shefu::sync
