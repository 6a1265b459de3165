// Zhuhai's administrative divisions as the policy sees them: the reference data every place code
// in shefu resolves against.
//
// Three levels:
//   - 区 (District). 第二十九条: "本办法所称的区，包括横琴新区、各行政区和经济功能区". So a
//   district is
//     one of the 3 administrative districts (香洲 440402, 斗门 440403, 金湾 440404, NBS codes),
//     横琴 (横琴新区, since 2021-09-17 横琴粤澳深度合作区), or an economic functional zone (高新区,
//     经济技术开发区/高栏港, 万山海洋开发试验区, 保税区). The last two kinds have no NBS code;
//     their codes
//     ("ZH-HENGQIN", "ZH-GAOXIN", ...) are synthetic and marked so.
//   - 镇/街道 (Town), 9-digit NBS code. Each has a statutory district (the NBS parent) and, as of
//   any
//     date, a managing district: functional zones manage some towns (唐家湾镇 → 高新区, ...). The
//     managing district is the "区" of the policy (catalogue, guideline, funding: 第六、七、十条),
//     so it is time-versioned (TownManagement periods). NBS statistical units (保税区, 南屏科技园,
//     ...) are listed as towns of kind kStatUnit: they are not 镇政府/街道办事处 and never purchase
//     (第二条).
//   - 城乡社区 (Community): 社区/居委会 or 村委会. Only two NBS codes are verified; every other
//   code is
//     synthetic (town code + "X" + 2-digit index) and marked so. A community may have an
//     active_from / active_to window (湾仔街道's 民兴 and 十字门 exist from 2025-11-27).
//
// The data ships inside the binary (shared/data/zhuhai-divisions.json) and is validated when
// loaded: bad data yields a Status, never a crash. After loading, a Divisions is immutable except
// for its as-of date; const lookups are safe from several threads once set_as_of is no longer
// called.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/civil_time.h"
#include "shared/entity_types.h"
#include "shared/status.h"

namespace shefu {

enum class DistrictKind { kAdministrative, kHengqin, kFunctionalZone };
enum class TownKind { kTown, kSubdistrict, kStatUnit };
enum class CommunityKind { kResidentsCommittee, kVillagersCommittee };

// Wire codes: "administrative" | "hengqin" | "functional_zone"; "town" | "subdistrict" |
// "stat_unit"; "residents_committee" | "villagers_committee".
const char* DistrictKindCode(DistrictKind k);
const char* TownKindCode(TownKind k);
const char* CommunityKindCode(CommunityKind k);

// A name valid over [from, to] (inclusive Shanghai days; nullopt = open).
struct NamePeriod {
  std::string name;
  std::optional<Date> from, to;
};

struct District {
  std::string code;        // "440402" or synthetic "ZH-GAOXIN"
  std::string name;        // current full name
  std::string short_name;  // "高新区"; empty when the name is already short
  DistrictKind kind = DistrictKind::kAdministrative;
  bool synthetic = false;         // code invented by shefu (no NBS code exists)
  bool low_confidence = false;    // existence or scope as a "区" is uncertain (保税区)
  std::vector<NamePeriod> names;  // earlier names (横琴新区 until 2021-09-16); may be empty
  std::string note;

  // The name in use on `d` (falls back to `name`).
  const std::string& NameOn(const Date& d) const;
};

struct Town {
  std::string code;  // 9-digit NBS code
  std::string name;
  TownKind kind = TownKind::kTown;
  std::string statutory_district;  // NBS parent: 440402 / 440403 / 440404
  // 第二条: only a 镇政府 or 街道办事处 buys services; NBS statistical units do not.
  bool IsPurchaser() const { return kind != TownKind::kStatUnit; }
};

struct Community {
  std::string code;  // 12-digit NBS code, or synthetic "440402001X01"
  std::string name;  // full name: "紫荆社区", "海澄村", "白蕉工业开发区居委会"
  CommunityKind kind = CommunityKind::kResidentsCommittee;
  std::string town;
  bool synthetic = false;
  std::optional<Date> active_from, active_to;  // inclusive; nullopt = open
  bool ActiveOn(const Date& d) const;
};

// 第二十九条 + §10.2 of the reference notes: `town` is managed by `district` over [from, to]
// (inclusive; nullopt = open). Outside every period a town is managed by its statutory district.
struct TownManagement {
  std::string town;
  std::string district;
  std::optional<Date> from, to;
  bool CoversDate(const Date& d) const;
};

class Divisions final : public DomainContext {
 public:
  // Parses and validates division data (the format of shared/data/zhuhai-divisions.json).
  // Errors: code "bad_divisions" with the offending entry named; never throws.
  static Result<Divisions> Parse(std::string_view json_text);
  static Result<Divisions> LoadFile(const std::string& path);
  // The Zhuhai data compiled into the binary (shefu::embedded::zhuhai_divisions).
  static Result<Divisions> LoadEmbedded();

  const std::string& city_code() const { return city_code_; }  // "440400"
  const std::string& city_name() const { return city_name_; }  // "珠海市"
  const std::string& data_date() const { return data_date_; }  // "2022-10-31"

  const District* FindDistrict(std::string_view code) const;
  const Town* FindTown(std::string_view code) const;
  const Community* FindCommunity(std::string_view code) const;

  const std::vector<District>& districts() const { return districts_; }
  const std::vector<Town>& towns() const { return towns_; }  // includes statistical units
  const std::vector<TownManagement>& management() const { return management_; }

  // The communities of `town` that exist on `as_of`, in data order. Empty for unknown towns.
  std::vector<const Community*> CommunitiesOf(std::string_view town, const Date& as_of) const;
  std::vector<const Community*> CommunitiesOf(std::string_view town) const {
    return CommunitiesOf(town, as_of());
  }
  // The purchasing towns (镇/街道, no statistical units) that `district` manages on `as_of`, in
  // the policy's sense (第二十九条): 高新区 → 唐家湾镇; 香洲区 → its towns minus the managed ones.
  std::vector<const Town*> TownsOf(std::string_view district, const Date& as_of) const;
  std::vector<const Town*> TownsOf(std::string_view district) const {
    return TownsOf(district, as_of());
  }
  // All towns (statistical units included) whose NBS parent is `statutory_district`.
  std::vector<const Town*> TownsInStatutoryDistrict(std::string_view statutory_district) const;

  // 第二条: true only for a known 镇 or 街道 (not a statistical unit, not an unknown code).
  bool IsPurchaser(std::string_view town) const;
  // The same as a Status: unknown_town, or not_a_purchaser (第二条) naming the unit.
  Status CheckPurchaser(std::string_view town) const;
  // 第二十九条: the "区" that manages `town` on `d`; null for an unknown town.
  const District* ManagingDistrict(std::string_view town, const Date& d) const;

  // DomainContext: resolves a community, town or district code to Place{district, town,
  // community} where district is the MANAGING district on the as-of date. The city code resolves
  // to the empty Place (above every district). Fails for unknown codes, for statistical units
  // (not purchasers, and no community lies under them) and for communities not active on the
  // as-of date.
  bool ResolvePlace(std::string_view code, Place* out) const override;
  bool ResolvePlaceOn(std::string_view code, const Date& as_of, Place* out) const;

  // The date lookups without an explicit date use: set_as_of's date, else today in Shanghai.
  void set_as_of(std::optional<Date> d) { as_of_ = d; }
  Date as_of() const;

 private:
  friend class DivisionsLoader;
  Divisions() = default;

  std::string city_code_, city_name_, data_date_;
  std::vector<District> districts_;
  std::vector<Town> towns_;
  std::vector<Community> communities_;
  std::vector<TownManagement> management_;
  // code -> index into the vectors above (codes are unique across all three levels).
  std::map<std::string, size_t, std::less<>> district_index_, town_index_, community_index_;
  std::optional<Date> as_of_;
};

}  // namespace shefu
