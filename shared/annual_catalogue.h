// The annual purchase catalogue 项目清单 of a district (第七条) and the fiscal-funding test that
// depends on it (第十三条).
//
// 第七条:
// "各区编制镇（街道）购买社会组织服务项目清单，原则上每年编制一次，并于当年第一季度向社会公布."
//   - Each 区 (in the sense of 第二十九条, see divisions.h) compiles its own catalogue, so only an
//     administrator of THAT district may create, amend or publish it (CheckCatalogueRole).
//   - One catalogue per (district, year). Changes after publication are amendments: a new version
//     is drafted from the current one and, once published, replaces it (the old version becomes
//     kAmended and stays on record).
//   - Publication outside Q1 of the catalogue's year only WARNS: the article says 原则上
//     (in principle), and a late catalogue is better than none.
// 第十三条: fiscal money pooled by a town may pay only for projects whose items are in the
//   catalogue, which IsInPublishedCatalogue answers.
//
// Statuses:
//   kDraft      being compiled or amended; not in force; at most one per (district, year)
//   kPublished  in force; at most one per (district, year)
//   kAmended    was published, then replaced by a later published version
//   kArchived   the in-force version after its year was closed; still the record of what was
//               published, so it still answers IsInPublishedCatalogue for its year
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/civil_time.h"
#include "shared/entity_types.h"
#include "shared/findings.h"
#include "shared/json_util.h"
#include "shared/money.h"
#include "shared/roles.h"
#include "shared/status.h"

namespace shefu {

enum class CatalogueStatus { kDraft, kPublished, kAmended, kArchived };

// "draft" | "published" | "amended" | "archived"
const char* CatalogueStatusCode(CatalogueStatus s);
std::optional<CatalogueStatus> ParseCatalogueStatus(std::string_view code);

struct CatalogueItem {
  std::string sub_item;     // a service_catalogue.h sub-item code, e.g. "basic.elderly_care"
  std::string description;  // optional; required for an "other" sub-item (第八条 "等")
  // The price standard from the district's purchase guideline (第十条), in fen per `unit`.
  std::optional<Fen> unit_price;
  std::string unit;  // "每人每月" / "per person per month"; required with unit_price
  bool operator==(const CatalogueItem&) const = default;
};

struct AnnualCatalogue {
  std::string district;  // district code (440402, ZH-GAOXIN, ...)
  int year = 0;
  int version = 1;
  CatalogueStatus status = CatalogueStatus::kDraft;
  std::optional<Date> published_on;  // Shanghai day; set once a version is published
  std::vector<CatalogueItem> items;

  bool InForce() const {
    return status == CatalogueStatus::kPublished || status == CatalogueStatus::kArchived;
  }
};

inline constexpr int kMinCatalogueYear = 2000;
inline constexpr int kMaxCatalogueYear = 2100;
inline constexpr size_t kMaxCatalogueItems = 500;

// 第七条 (with 第六条): the catalogue is the district's; only a district administrator whose scope
// is `district` may create, amend, publish or archive it. The city administrator may not either:
// the policy gives the city the platform, not the districts' catalogues. Pure: no I/O.
// Error: catalogue_forbidden.
Status CheckCatalogueRole(Role role, const Scope& scope, std::string_view district);

// Shape of one item: known sub-item, reason for "other", positive price with a unit, lengths.
Status ValidateCatalogueItem(const CatalogueItem& item);
// Shape of one catalogue: year and version ranges, published_on present exactly when the status
// says it was published, items valid and not listed twice.
Status ValidateCatalogue(const AnnualCatalogue& c);
// 第七条 "当年第一季度": a warning (catalogue_outside_q1) when `on` is not in Q1 of c.year.
Findings CheckPublicationDate(const AnnualCatalogue& c, const Date& on);

// JSON: {"district", "year", "version", "status", "published_on"?, "items": [{"sub_item",
// "description"?, "unit_price_fen"?, "unit"?}]}. Parsing validates fully (ValidateCatalogue).
Json CatalogueToJson(const AnnualCatalogue& c);
Result<AnnualCatalogue> CatalogueFromJson(const Json& j);

// 第十三条: is `sub_item` in the catalogue in force for (district, year)? Only the in-force
// version counts (published, or archived after its year); drafts and replaced versions do not.
bool IsInPublishedCatalogue(const std::vector<AnnualCatalogue>& catalogues,
                            std::string_view district, int year, std::string_view sub_item);

// All catalogues, keeping the rules that span versions: one catalogue per (district, year), at
// most one draft and one in-force version, amendments as new versions. Every change takes the
// actor's role and scope and is checked with CheckCatalogueRole.
class CatalogueBook {
 public:
  // `places` (optional) checks that a district code is a known district.
  explicit CatalogueBook(const DomainContext* places = nullptr) : places_(places) {}

  // Starts version 1 of (district, year). catalogue_exists if the year already has a catalogue
  // (amend it instead).
  Status CreateDraft(Role role, const Scope& scope, std::string_view district, int year);
  // Starts an amendment: a draft with the next version number and the in-force items.
  Status StartAmendment(Role role, const Scope& scope, std::string_view district, int year);
  Status SetDraftItems(Role role, const Scope& scope, std::string_view district, int year,
                       std::vector<CatalogueItem> items);
  Status DiscardDraft(Role role, const Scope& scope, std::string_view district, int year);
  // Publishes the draft on Shanghai day `on`; the version it replaces becomes kAmended.
  // Errors block (role, no draft, empty, invalid); a date outside Q1 only warns.
  Findings Publish(Role role, const Scope& scope, std::string_view district, int year,
                   const Date& on);
  // Closes the year: the in-force version becomes kArchived. Refused while a draft is open.
  Status Archive(Role role, const Scope& scope, std::string_view district, int year);

  const AnnualCatalogue* InForce(std::string_view district, int year) const;
  const AnnualCatalogue* Draft(std::string_view district, int year) const;
  const std::vector<AnnualCatalogue>& all() const { return catalogues_; }

  // {"catalogues": [...]}; parsing checks every catalogue and the rules across versions.
  Json ToJson() const;
  static Result<CatalogueBook> FromJson(const Json& j, const DomainContext* places = nullptr);

 private:
  Status CheckDistrict(std::string_view district) const;
  AnnualCatalogue* Find(std::string_view district, int year, bool draft);
  int MaxVersion(std::string_view district, int year) const;

  const DomainContext* places_;
  std::vector<AnnualCatalogue> catalogues_;
};

}  // namespace shefu
