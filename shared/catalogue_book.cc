// CatalogueBook: the rules of 第七条 that span versions of a district's annual catalogue.
#include <algorithm>
#include <map>
#include <utility>

#include "shared/annual_catalogue.h"

namespace shefu {
namespace {

std::string BookLabel(std::string_view district, int year) {
  return std::string(district.substr(0, 32)) + " " + std::to_string(year);
}

Status NoDraft(std::string_view district, int year) {
  return Status::Error("no_catalogue_draft", BookLabel(district, year) + " 没有正在编制的项目清单",
                       "no catalogue draft is open for " + BookLabel(district, year));
}

}  // namespace

Status CatalogueBook::CheckDistrict(std::string_view district) const {
  if (!places_) return Status::Ok();
  Place p;
  if (places_->ResolvePlace(district, &p) && p.district == district && p.town.empty())
    return Status::Ok();
  std::string d(district.substr(0, 32));
  return Status::Error("unknown_district", "区代码不存在：" + d, "unknown district code: " + d,
                       "第二十九条");
}

namespace {

// Shared by the const and non-const lookups.
template <typename Vec>
auto* FindIn(Vec& v, std::string_view district, int year, bool draft) {
  decltype(&v[0]) found = nullptr;
  for (auto& c : v)
    if (c.district == district && c.year == year &&
        (draft ? c.status == CatalogueStatus::kDraft : c.InForce()))
      found = &c;
  return found;
}

}  // namespace

AnnualCatalogue* CatalogueBook::Find(std::string_view district, int year, bool draft) {
  return FindIn(catalogues_, district, year, draft);
}

const AnnualCatalogue* CatalogueBook::InForce(std::string_view district, int year) const {
  return FindIn(catalogues_, district, year, false);
}

const AnnualCatalogue* CatalogueBook::Draft(std::string_view district, int year) const {
  return FindIn(catalogues_, district, year, true);
}

int CatalogueBook::MaxVersion(std::string_view district, int year) const {
  int v = 0;
  for (const auto& c : catalogues_)
    if (c.district == district && c.year == year) v = std::max(v, c.version);
  return v;
}

Status CatalogueBook::CreateDraft(Role role, const Scope& scope, std::string_view district,
                                  int year) {
  SHEFU_RETURN_IF_ERROR(CheckCatalogueRole(role, scope, district));
  SHEFU_RETURN_IF_ERROR(CheckDistrict(district));
  if (MaxVersion(district, year) > 0)
    return Status::Error(
        "catalogue_exists",
        BookLabel(district, year) + " 已有项目清单；每区每年一份，变更请编制修订版",
        "a catalogue for " + BookLabel(district, year) +
            " already exists; there is one per district and year, so amend it",
        "第七条");
  AnnualCatalogue c;
  c.district = std::string(district);
  c.year = year;
  c.version = 1;
  SHEFU_RETURN_IF_ERROR(ValidateCatalogue(c));
  catalogues_.push_back(std::move(c));
  return Status::Ok();
}

Status CatalogueBook::StartAmendment(Role role, const Scope& scope, std::string_view district,
                                     int year) {
  SHEFU_RETURN_IF_ERROR(CheckCatalogueRole(role, scope, district));
  if (Draft(district, year))
    return Status::Error(
        "catalogue_draft_open", BookLabel(district, year) + " 已有正在编制的修订稿",
        "an amendment draft for " + BookLabel(district, year) + " is already open");
  const AnnualCatalogue* current = InForce(district, year);
  if (!current || current->status != CatalogueStatus::kPublished)
    return Status::Error(
        "catalogue_not_published", BookLabel(district, year) + " 没有现行的已公布清单可修订",
        "there is no published catalogue for " + BookLabel(district, year) + " to amend");
  AnnualCatalogue c;
  c.district = current->district;
  c.year = year;
  c.version = MaxVersion(district, year) + 1;
  c.items = current->items;
  catalogues_.push_back(std::move(c));
  return Status::Ok();
}

Status CatalogueBook::SetDraftItems(Role role, const Scope& scope, std::string_view district,
                                    int year, std::vector<CatalogueItem> items) {
  SHEFU_RETURN_IF_ERROR(CheckCatalogueRole(role, scope, district));
  AnnualCatalogue* d = Find(district, year, true);
  if (!d) return NoDraft(district, year);
  AnnualCatalogue candidate = *d;
  candidate.items = std::move(items);
  SHEFU_RETURN_IF_ERROR(ValidateCatalogue(candidate));
  *d = std::move(candidate);
  return Status::Ok();
}

Status CatalogueBook::DiscardDraft(Role role, const Scope& scope, std::string_view district,
                                   int year) {
  SHEFU_RETURN_IF_ERROR(CheckCatalogueRole(role, scope, district));
  AnnualCatalogue* d = Find(district, year, true);
  if (!d) return NoDraft(district, year);
  catalogues_.erase(catalogues_.begin() + (d - catalogues_.data()));
  return Status::Ok();
}

Findings CatalogueBook::Publish(Role role, const Scope& scope, std::string_view district, int year,
                                const Date& on) {
  Findings f;
  f.Add(CheckCatalogueRole(role, scope, district));
  if (!f.ok()) return f;
  AnnualCatalogue* d = Find(district, year, true);
  if (!d) {
    f.Add(NoDraft(district, year));
    return f;
  }
  AnnualCatalogue candidate = *d;
  candidate.status = CatalogueStatus::kPublished;
  candidate.published_on = on;
  f.Add(ValidateCatalogue(candidate));
  if (!f.ok()) return f;
  f.Merge(CheckPublicationDate(candidate, on));
  if (AnnualCatalogue* old = Find(district, year, false)) old->status = CatalogueStatus::kAmended;
  *d = std::move(candidate);
  return f;
}

Status CatalogueBook::Archive(Role role, const Scope& scope, std::string_view district, int year) {
  SHEFU_RETURN_IF_ERROR(CheckCatalogueRole(role, scope, district));
  if (Draft(district, year))
    return Status::Error("catalogue_draft_open",
                         BookLabel(district, year) + " 有未完成的修订稿，请先公布或放弃",
                         "an amendment draft for " + BookLabel(district, year) +
                             " is open: publish or discard it first");
  AnnualCatalogue* c = Find(district, year, false);
  if (!c || c->status != CatalogueStatus::kPublished)
    return Status::Error(
        "catalogue_not_published", BookLabel(district, year) + " 没有可归档的现行清单",
        "there is no published catalogue for " + BookLabel(district, year) + " to archive");
  c->status = CatalogueStatus::kArchived;
  return Status::Ok();
}

Json CatalogueBook::ToJson() const {
  Json list = Json::array();
  for (const auto& c : catalogues_) list.push_back(CatalogueToJson(c));
  return Json{{"catalogues", std::move(list)}};
}

Result<CatalogueBook> CatalogueBook::FromJson(const Json& j, const DomainContext* places) {
  SHEFU_RETURN_IF_ERROR(CheckKeys(j, "catalogues"));
  if (!j.contains("catalogues") || !j["catalogues"].is_array())
    return FieldError("catalogues", "必须是数组", "must be an array");
  CatalogueBook book(places);
  struct Seen {
    int drafts = 0, in_force = 0, amended = 0;
    int in_force_version = 0, newest_published = 0, draft_version = 0, newest = 0;
    std::map<int, int> versions;
  };
  std::map<std::pair<std::string, int>, Seen> seen;
  for (const auto& jc : j["catalogues"]) {
    auto c = CatalogueFromJson(jc);
    if (!c.ok()) return c.status();
    SHEFU_RETURN_IF_ERROR(book.CheckDistrict(c->district));
    Seen& s = seen[{c->district, c->year}];
    if (++s.versions[c->version] > 1)
      return Status::Error("bad_catalogue", BookLabel(c->district, c->year) + " 的版本号重复",
                           "duplicate version for " + BookLabel(c->district, c->year), "第七条");
    s.newest = std::max(s.newest, c->version);
    if (c->status == CatalogueStatus::kDraft) {
      ++s.drafts;
      s.draft_version = c->version;
    } else {
      s.newest_published = std::max(s.newest_published, c->version);
    }
    if (c->status == CatalogueStatus::kAmended) ++s.amended;
    if (c->InForce()) {
      ++s.in_force;
      s.in_force_version = c->version;
    }
    book.catalogues_.push_back(std::move(c).value());
  }
  for (const auto& [key, s] : seen) {
    std::string label = BookLabel(key.first, key.second);
    if (s.drafts > 1 || s.in_force > 1)
      return Status::Error("bad_catalogue", label + " 有多份草稿或多份现行清单",
                           label + " has more than one draft or more than one catalogue in force",
                           "第七条");
    // A draft is the newest version; a replaced (amended) version implies a newer one in force.
    if (s.drafts == 1 && s.draft_version != s.newest)
      return Status::Error("bad_catalogue", label + " 的草稿不是最新版本",
                           label + ": the draft is not the newest version", "第七条");
    if ((s.amended > 0 && s.in_force == 0) ||
        (s.in_force == 1 && s.in_force_version != s.newest_published))
      return Status::Error("bad_catalogue", label + " 的现行清单不是最新公布的版本",
                           label + ": the version in force is not the newest published one",
                           "第七条");
  }
  return book;
}

}  // namespace shefu
