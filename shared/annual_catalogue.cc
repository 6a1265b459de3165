// One annual catalogue: role rule, validation, publication date, JSON, the 第十三条 lookup.
// The rules across versions are in catalogue_book.cc.
#include "shared/annual_catalogue.h"

#include "shared/service_catalogue.h"

namespace shefu {
namespace {

std::string Clip(std::string_view s) {
  return std::string(s.substr(0, 40));
}

Status BadCatalogue(const std::string& zh, const std::string& en, std::string article = {}) {
  return Status::Error("bad_catalogue", "项目清单无效：" + zh, "invalid catalogue: " + en,
                       std::move(article));
}

}  // namespace

const char* CatalogueStatusCode(CatalogueStatus s) {
  switch (s) {
    case CatalogueStatus::kDraft:
      return "draft";
    case CatalogueStatus::kPublished:
      return "published";
    case CatalogueStatus::kAmended:
      return "amended";
    case CatalogueStatus::kArchived:
      return "archived";
  }
  return "unknown";
}

std::optional<CatalogueStatus> ParseCatalogueStatus(std::string_view code) {
  for (CatalogueStatus s : {CatalogueStatus::kDraft, CatalogueStatus::kPublished,
                            CatalogueStatus::kAmended, CatalogueStatus::kArchived})
    if (code == CatalogueStatusCode(s)) return s;
  return std::nullopt;
}

Status CheckCatalogueRole(Role role, const Scope& scope, std::string_view district) {
  if (role == Role::kDistrictAdmin && !district.empty() && scope.district == district)
    return Status::Ok();
  return Status::Error("catalogue_forbidden",
                       "只有本区（" + Clip(district) + "）的区级管理员可以编制和公布项目清单",
                       "only an administrator of district " + Clip(district) +
                           " may compile and publish its catalogue",
                       "第七条");
}

Status ValidateCatalogueItem(const CatalogueItem& item) {
  const ServiceSubItem* s = FindServiceSubItem(item.sub_item);
  if (!s)
    return Status::Error("unknown_sub_item", "服务子项不存在：" + Clip(item.sub_item),
                         "unknown service sub-item: " + Clip(item.sub_item), "第八条");
  SHEFU_RETURN_IF_ERROR(CheckServiceItem(s->category, item.sub_item, item.description));
  if (item.description.size() > 2000 || !IsValidUtf8(item.description))
    return BadCatalogue("项目说明过长或不是有效文本",
                        "the description is too long or not valid text");
  if (item.unit_price) {
    if (*item.unit_price <= 0 || *item.unit_price > kMaxFen)
      return BadCatalogue("单价标准须为正数", "the unit price standard must be positive", "第十条");
    if (item.unit.empty())
      return BadCatalogue("有单价标准时须注明计价单位（如“每人每月”）",
                          "a unit price standard needs its unit (e.g. per person per month)",
                          "第十条");
  }
  if (item.unit.size() > 100 || !IsValidUtf8(item.unit))
    return BadCatalogue("计价单位过长或不是有效文本", "the unit is too long or not valid text");
  return Status::Ok();
}

Status ValidateCatalogue(const AnnualCatalogue& c) {
  if (c.district.empty() || c.district.size() > 32 || !IsValidUtf8(c.district))
    return BadCatalogue("缺少区代码", "the district code is missing or malformed");
  if (c.year < kMinCatalogueYear || c.year > kMaxCatalogueYear)
    return BadCatalogue("年度超出范围：" + std::to_string(c.year),
                        "year out of range: " + std::to_string(c.year));
  if (c.version < 1 || c.version > 1000)
    return BadCatalogue("版本号须为1至1000", "the version must be 1 to 1000");
  bool was_published = c.status != CatalogueStatus::kDraft;
  if (was_published != c.published_on.has_value())
    return BadCatalogue(was_published ? "已公布的清单须有公布日期" : "草稿不能有公布日期",
                        was_published ? "a published catalogue needs its publication date"
                                      : "a draft cannot have a publication date");
  if (c.items.size() > kMaxCatalogueItems) return BadCatalogue("清单项目过多", "too many items");
  if (was_published && c.items.empty())
    return BadCatalogue("已公布的清单不能为空", "a published catalogue cannot be empty", "第七条");
  for (size_t i = 0; i < c.items.size(); ++i) {
    SHEFU_RETURN_IF_ERROR(ValidateCatalogueItem(c.items[i]));
    for (size_t k = 0; k < i; ++k)
      if (c.items[k].sub_item == c.items[i].sub_item &&
          c.items[k].description == c.items[i].description)
        return BadCatalogue("同一项目重复列出：" + c.items[i].sub_item,
                            "the same item is listed twice: " + c.items[i].sub_item);
  }
  return Status::Ok();
}

Findings CheckPublicationDate(const AnnualCatalogue& c, const Date& on) {
  Findings f;
  if (on.year != c.year || Quarter(on) != 1) {
    std::string y = std::to_string(c.year);
    f.Warn("catalogue_outside_q1",
           {y + "年度项目清单于" + FormatDate(on) + "公布，不在当年第一季度内（原则上应于" + y +
                "年1月1日至3月31日公布）",
            "the " + y + " catalogue is published on " + FormatDate(on) +
                ", outside the first quarter of " + y + " (in principle 1 January to 31 March)"},
           "第七条");
  }
  return f;
}

Json CatalogueToJson(const AnnualCatalogue& c) {
  Json items = Json::array();
  for (const auto& it : c.items) {
    Json j = {{"sub_item", it.sub_item}};
    if (!it.description.empty()) j["description"] = it.description;
    if (it.unit_price) j["unit_price_fen"] = *it.unit_price;
    if (!it.unit.empty()) j["unit"] = it.unit;
    items.push_back(std::move(j));
  }
  Json j = {{"district", c.district},
            {"year", c.year},
            {"version", c.version},
            {"status", CatalogueStatusCode(c.status)},
            {"items", std::move(items)}};
  if (c.published_on) j["published_on"] = FormatDate(*c.published_on);
  return j;
}

Result<AnnualCatalogue> CatalogueFromJson(const Json& j) {
  SHEFU_RETURN_IF_ERROR(CheckKeys(j, "district,year,version,status,published_on,items"));
  AnnualCatalogue c;
  auto district = GetString(j, "district", 32, 1);
  if (!district.ok()) return district.status();
  c.district = *district;
  auto year = GetInt(j, "year", kMinCatalogueYear, kMaxCatalogueYear);
  if (!year.ok()) return year.status();
  c.year = static_cast<int>(*year);
  auto version = GetInt(j, "version", 1, 1000);
  if (!version.ok()) return version.status();
  c.version = static_cast<int>(*version);
  auto status = GetString(j, "status", 16);
  if (!status.ok()) return status.status();
  auto st = ParseCatalogueStatus(*status);
  if (!st) return FieldError("status", "不是有效的清单状态", "is not a catalogue status");
  c.status = *st;
  auto published = OptString(j, "published_on", 10);
  if (!published.ok()) return published.status();
  if (*published) {
    auto d = ParseDate(**published);
    if (!d.ok()) return FieldError("published_on", "不是有效日期", "is not a valid date");
    c.published_on = *d;
  }
  if (!j.contains("items") || !j["items"].is_array())
    return FieldError("items", "必须是数组", "must be an array");
  if (j["items"].size() > kMaxCatalogueItems) return BadCatalogue("清单项目过多", "too many items");
  for (const auto& ji : j["items"]) {
    SHEFU_RETURN_IF_ERROR(CheckKeys(ji, "sub_item,description,unit_price_fen,unit"));
    CatalogueItem it;
    auto sub = GetString(ji, "sub_item", 64, 1);
    if (!sub.ok()) return sub.status();
    it.sub_item = *sub;
    auto desc = OptString(ji, "description", 2000);
    if (!desc.ok()) return desc.status();
    it.description = desc->value_or("");
    auto price = OptInt(ji, "unit_price_fen", 1, kMaxFen);
    if (!price.ok()) return price.status();
    it.unit_price = *price;
    auto unit = OptString(ji, "unit", 100);
    if (!unit.ok()) return unit.status();
    it.unit = unit->value_or("");
    c.items.push_back(std::move(it));
  }
  SHEFU_RETURN_IF_ERROR(ValidateCatalogue(c));
  return c;
}

bool IsInPublishedCatalogue(const std::vector<AnnualCatalogue>& catalogues,
                            std::string_view district, int year, std::string_view sub_item) {
  for (const auto& c : catalogues) {
    if (c.district != district || c.year != year || !c.InForce()) continue;
    for (const auto& it : c.items)
      if (it.sub_item == sub_item) return true;
  }
  return false;
}

}  // namespace shefu
