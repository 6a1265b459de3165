// Lookups over validated division data (validation lives in divisions_load.cc).
#include "shared/divisions.h"

#include "shared/env.h"

namespace shefu {
namespace {

bool InWindow(const std::optional<Date>& from, const std::optional<Date>& to, const Date& d) {
  return (!from || *from <= d) && (!to || d <= *to);
}

template <typename T>
const T* Lookup(const std::map<std::string, size_t, std::less<>>& index, const std::vector<T>& v,
                std::string_view code) {
  auto it = index.find(code);
  return it == index.end() ? nullptr : &v[it->second];
}

}  // namespace

const char* DistrictKindCode(DistrictKind k) {
  switch (k) {
    case DistrictKind::kAdministrative:
      return "administrative";
    case DistrictKind::kHengqin:
      return "hengqin";
    case DistrictKind::kFunctionalZone:
      return "functional_zone";
  }
  return "unknown";
}

const char* TownKindCode(TownKind k) {
  switch (k) {
    case TownKind::kTown:
      return "town";
    case TownKind::kSubdistrict:
      return "subdistrict";
    case TownKind::kStatUnit:
      return "stat_unit";
  }
  return "unknown";
}

const char* CommunityKindCode(CommunityKind k) {
  switch (k) {
    case CommunityKind::kResidentsCommittee:
      return "residents_committee";
    case CommunityKind::kVillagersCommittee:
      return "villagers_committee";
  }
  return "unknown";
}

const std::string& District::NameOn(const Date& d) const {
  for (const auto& p : names)
    if (InWindow(p.from, p.to, d)) return p.name;
  return name;
}

bool Community::ActiveOn(const Date& d) const {
  return InWindow(active_from, active_to, d);
}

bool TownManagement::CoversDate(const Date& d) const {
  return InWindow(from, to, d);
}

const District* Divisions::FindDistrict(std::string_view code) const {
  return Lookup(district_index_, districts_, code);
}
const Town* Divisions::FindTown(std::string_view code) const {
  return Lookup(town_index_, towns_, code);
}
const Community* Divisions::FindCommunity(std::string_view code) const {
  return Lookup(community_index_, communities_, code);
}

Date Divisions::as_of() const {
  return as_of_ ? *as_of_ : ShanghaiDate(SystemClock::Instance().NowMs());
}

std::vector<const Community*> Divisions::CommunitiesOf(std::string_view town,
                                                       const Date& as_of) const {
  std::vector<const Community*> out;
  for (const auto& c : communities_)
    if (c.town == town && c.ActiveOn(as_of)) out.push_back(&c);
  return out;
}

std::vector<const Town*> Divisions::TownsOf(std::string_view district, const Date& as_of) const {
  std::vector<const Town*> out;
  for (const auto& t : towns_) {
    if (!t.IsPurchaser()) continue;
    const District* m = ManagingDistrict(t.code, as_of);
    if (m && m->code == district) out.push_back(&t);
  }
  return out;
}

std::vector<const Town*> Divisions::TownsInStatutoryDistrict(
    std::string_view statutory_district) const {
  std::vector<const Town*> out;
  for (const auto& t : towns_)
    if (t.statutory_district == statutory_district) out.push_back(&t);
  return out;
}

bool Divisions::IsPurchaser(std::string_view town) const {
  const Town* t = FindTown(town);
  return t && t->IsPurchaser();
}

Status Divisions::CheckPurchaser(std::string_view town) const {
  const Town* t = FindTown(town);
  std::string code(town.substr(0, 32));
  if (!t)
    return Status::Error("unknown_town", "镇（街道）代码不存在：" + code,
                         "unknown town/sub-district code: " + code, "第二条");
  if (!t->IsPurchaser())
    return Status::Error("not_a_purchaser",
                         "“" + t->name + "”是统计单位，不是镇政府或街道办事处，不能作为购买主体",
                         "'" + t->name +
                             "' is a statistical unit, not a town government or sub-district "
                             "office, so it cannot purchase services",
                         "第二条");
  return Status::Ok();
}

const District* Divisions::ManagingDistrict(std::string_view town, const Date& d) const {
  const Town* t = FindTown(town);
  if (!t) return nullptr;
  // The loader guarantees at most one period covers any date.
  for (const auto& m : management_)
    if (m.town == t->code && m.CoversDate(d)) return FindDistrict(m.district);
  return FindDistrict(t->statutory_district);
}

bool Divisions::ResolvePlace(std::string_view code, Place* out) const {
  return ResolvePlaceOn(code, as_of(), out);
}

bool Divisions::ResolvePlaceOn(std::string_view code, const Date& as_of, Place* out) const {
  if (code.empty()) return false;
  if (code == city_code_) {
    *out = Place{};
    return true;
  }
  if (FindDistrict(code)) {
    *out = Place{std::string(code), "", ""};
    return true;
  }
  std::string_view town_code = code;
  std::string community;
  if (const Community* c = FindCommunity(code)) {
    if (!c->ActiveOn(as_of)) return false;
    town_code = c->town;
    community = c->code;
  }
  const Town* t = FindTown(town_code);
  if (!t || !t->IsPurchaser()) return false;
  const District* d = ManagingDistrict(t->code, as_of);
  if (!d) return false;
  *out = Place{d->code, t->code, std::move(community)};
  return true;
}

}  // namespace shefu
