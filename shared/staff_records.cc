// Validators of the server-only records around projects: payments, the district catalogue
// records and a town's pooled funds (see project_record.h for their wire form).
#include "shared/annual_catalogue.h"
#include "shared/project_record.h"

namespace shefu {
namespace {

Status OnlyGroups(std::string_view group, std::initializer_list<std::string_view> groups,
                  const char* what_zh, const char* what_en) {
  for (auto g : groups)
    if (g == group) return Status::Ok();
  std::string g(group.substr(0, 40));
  return Status::Error("unknown_group", std::string(what_zh) + "没有字段组“" + g + "”",
                       std::string("a ") + what_en + " has no field group '" + g + "'");
}

// {code} at exactly one level: "district" or "town".
Status CheckPlaceCode(const DomainContext& ctx, const Json& v, std::string_view level) {
  SHEFU_RETURN_IF_ERROR(CheckKeys(v, "code"));
  auto code = GetString(v, "code", 32, 1);
  if (!code.ok()) return code.status();
  Place p;
  bool ok = ctx.ResolvePlace(*code, &p);
  if (level == "district") ok = ok && !p.district.empty() && p.town.empty();
  if (level == "town") ok = ok && !p.town.empty() && p.community.empty();
  if (!ok) {
    bool d = level == "district";
    return Status::Error("unknown_place",
                         std::string(d ? "区" : "镇（街道）") + "代码不存在：" + *code,
                         std::string("unknown ") + (d ? "district" : "town") + " code: " + *code);
  }
  return Status::Ok();
}

}  // namespace

Status ValidatePaymentRecord(const DomainContext& ctx, std::string_view group, const Json& v) {
  SHEFU_RETURN_IF_ERROR(OnlyGroups(group, {kRecordGroup}, "付款记录", "payment"));
  auto p = PaymentFromJson(v);
  if (!p.ok()) return p.status();
  Place place;
  if (!ctx.ResolvePlace(p->place, &place) || place.town.empty())
    return Status::Error("unknown_place", "付款记录的所在地代码无效：" + p->place,
                         "unknown place code of the payment: " + p->place);
  return Status::Ok();
}

Status ValidateCatalogueGroup(const DomainContext& ctx, std::string_view group, const Json& v) {
  SHEFU_RETURN_IF_ERROR(OnlyGroups(group, {"place", "book"}, "项目清单", "catalogue"));
  if (group == "place") return CheckPlaceCode(ctx, v, "district");
  SHEFU_RETURN_IF_ERROR(CheckKeys(v, "district,year,catalogues"));
  auto district = GetString(v, "district", 32, 1);
  if (!district.ok()) return district.status();
  auto year = GetInt(v, "year", kMinCatalogueYear, kMaxCatalogueYear);
  if (!year.ok()) return year.status();
  if (!v.contains("catalogues")) return FieldError("catalogues", "缺失", "is missing");
  auto book = CatalogueBook::FromJson(Json{{"catalogues", v["catalogues"]}}, &ctx);
  if (!book.ok()) return book.status();
  for (const auto& c : book->all()) {
    if (c.district != *district || c.year != *year)
      return Status::Error("bad_catalogue", "清单记录只能包含本区本年度的清单",
                           "a catalogue record holds only its own district and year", "第七条");
  }
  return Status::Ok();
}

Status ValidateTownFundsGroup(const DomainContext& ctx, std::string_view group, const Json& v) {
  SHEFU_RETURN_IF_ERROR(OnlyGroups(group, {"place", "funds"}, "镇街可统筹资金", "town funds"));
  if (group == "place") return CheckPlaceCode(ctx, v, "town");
  SHEFU_RETURN_IF_ERROR(CheckKeys(v, "year,amount_fen"));
  auto year = GetInt(v, "year", 2000, 2100);
  if (!year.ok()) return year.status();
  auto amount = GetInt(v, "amount_fen", 0, kMaxFen);
  return amount.ok() ? Status::Ok() : amount.status();
}

}  // namespace shefu
