#include "shared/funding.h"

namespace shefu {

namespace {

constexpr size_t kMaxText = 300;  // bytes: names of purposes, budget lines and donors

struct SubtypeInfo {
  SocialSubtype subtype;
  const char* code;
  Text name;
};

const SubtypeInfo kSubtypes[] = {
    {SocialSubtype::kCharityCorporateDonation,
     "charity_corporate_donation",
     {"企业捐赠资金", "corporate donation"}},
    {SocialSubtype::kCharityPublicWelfare,
     "charity_public_welfare",
     {"慈善公益资金", "charitable public-welfare funds"}},
    {SocialSubtype::kCommunityFund, "community_fund", {"社区基金", "community fund"}},
    {SocialSubtype::kVillageCharityFund,
     "village_charity_fund",
     {"村级慈善基金", "village charity fund"}},
    {SocialSubtype::kResidentSelfRaised,
     "resident_self_raised",
     {"居民自筹资金", "residents' self-raised funds"}},
    {SocialSubtype::kPublicDonation, "public_donation", {"募捐资金", "public donations"}},
};

const SubtypeInfo& Info(SocialSubtype s) {
  for (const auto& i : kSubtypes)
    if (i.subtype == s) return i;
  return kSubtypes[0];
}

Status Prefixed(size_t index, const Status& s) {
  std::string n = std::to_string(index + 1);
  return Status::Error(s.code(), "资金明细第" + n + "项：" + s.zh(),
                       "funding line " + n + ": " + s.en(), s.article());
}

}  // namespace

const char* FundingSourceCode(FundingSource s) {
  return s == FundingSource::kFiscal ? "fiscal" : "social";
}

const char* FiscalLevelCode(FiscalLevel l) {
  switch (l) {
    case FiscalLevel::kCity:
      return "city";
    case FiscalLevel::kDistrict:
      return "district";
    case FiscalLevel::kTown:
      return "town";
  }
  return "town";
}

const char* SocialSubtypeCode(SocialSubtype s) {
  return Info(s).code;
}

std::optional<FundingSource> ParseFundingSource(std::string_view code) {
  if (code == "fiscal") return FundingSource::kFiscal;
  if (code == "social") return FundingSource::kSocial;
  return std::nullopt;
}

std::optional<FiscalLevel> ParseFiscalLevel(std::string_view code) {
  for (FiscalLevel l : {FiscalLevel::kCity, FiscalLevel::kDistrict, FiscalLevel::kTown})
    if (code == FiscalLevelCode(l)) return l;
  return std::nullopt;
}

std::optional<SocialSubtype> ParseSocialSubtype(std::string_view code) {
  for (const auto& i : kSubtypes)
    if (code == i.code) return i.subtype;
  return std::nullopt;
}

Text FundingSourceName(FundingSource s) {
  return s == FundingSource::kFiscal ? Text{"财政资金", "fiscal funds"}
                                     : Text{"社会资金", "social funds"};
}

Text FiscalLevelName(FiscalLevel l) {
  switch (l) {
    case FiscalLevel::kCity:
      return {"市级财政", "city budget"};
    case FiscalLevel::kDistrict:
      return {"区级财政", "district budget"};
    case FiscalLevel::kTown:
      return {"镇（街道）财政", "town budget"};
  }
  return {"镇（街道）财政", "town budget"};
}

Text SocialSubtypeName(SocialSubtype s) {
  return Info(s).name;
}

Status ValidateFundingLine(const FundingLine& line) {
  if (line.amount <= 0 || line.amount > kMaxFen)
    return Status::Error("funding_amount_invalid",
                         "金额须大于0且不超过上限（现为 " + FormatYuan(line.amount) + " 元）",
                         "the amount must be above 0 and within the limit (it is " +
                             FormatYuan(line.amount) + " yuan)",
                         "第十二条");
  for (const std::string* s : {&line.original_purpose, &line.budget_line, &line.donor})
    if (s->size() > kMaxText || !IsValidUtf8(*s))
      return Status::Error("funding_text_invalid", "资金说明过长或编码无效",
                           "a funding description is too long or not valid UTF-8");
  if (line.source == FundingSource::kFiscal) {
    if (!line.donor.empty())
      return Status::Error("funding_fields_mixed", "财政资金不应填写捐赠方",
                           "a fiscal line has no donor", "第十二条");
    // 专款专用: without the original purpose the money cannot be traced back to what it was
    // appropriated for, so pooling it would break the condition 第十三条 sets.
    if (line.original_purpose.empty())
      return Status::Error("fiscal_purpose_missing", "财政资金须注明原定用途（专款专用）",
                           "a fiscal line must state the purpose the money was given for "
                           "(专款专用, funds stay with their purpose)",
                           "第十三条");
    return Status::Ok();
  }
  if (!line.original_purpose.empty() || !line.budget_line.empty())
    return Status::Error("funding_fields_mixed", "社会资金不应填写财政用途或预算科目",
                         "a social line has no fiscal purpose or budget line", "第十二条");
  if (line.subtype == SocialSubtype::kCharityCorporateDonation && line.donor.empty())
    return Status::Error("donor_missing", "企业捐赠须注明捐赠企业",
                         "an enterprise donation must name the enterprise", "第十四条");
  return Status::Ok();
}

FundingTotals SumFunding(const std::vector<FundingLine>& lines) {
  FundingTotals t;
  for (const auto& l : lines)
    (l.source == FundingSource::kFiscal ? t.fiscal : t.social) += l.amount;
  return t;
}

Status CheckFunding(const std::vector<FundingLine>& lines, Fen budget,
                    bool fiscal_item_in_published_catalogue) {
  if (lines.empty())
    return Status::Error("funding_missing", "项目没有资金来源", "the project has no funding line",
                         "第十二条");
  if (lines.size() > kMaxFundingLines)
    return Status::Error("funding_too_many_lines", "资金明细过多（最多100项）",
                         "too many funding lines (max 100)");
  bool any_fiscal = false;
  for (size_t i = 0; i < lines.size(); ++i) {
    Status s = ValidateFundingLine(lines[i]);
    if (!s.ok()) return Prefixed(i, s);
    any_fiscal = any_fiscal || lines[i].source == FundingSource::kFiscal;
  }
  if (any_fiscal && !fiscal_item_in_published_catalogue)
    return Status::Error("fiscal_not_in_catalogue",
                         "项目未列入当年已公布的购买服务项目清单，不能使用财政资金",
                         "fiscal money may only buy items in that year's published catalogue "
                         "(项目清单); this project's item is not in it",
                         "第十三条");
  FundingTotals t = SumFunding(lines);
  if (t.total() != budget)
    return Status::Error(
        "funding_sum_mismatch",
        "预算 " + FormatYuan(budget) + " 元不等于资金来源合计 " + FormatYuan(t.total()) +
            " 元（财政 " + FormatYuan(t.fiscal) + " 元，社会 " + FormatYuan(t.social) + " 元）",
        "the budget of " + FormatYuan(budget) + " yuan is not the sum of its funding lines, " +
            FormatYuan(t.total()) + " yuan (fiscal " + FormatYuan(t.fiscal) + ", social " +
            FormatYuan(t.social) + ")",
        "第十五条");
  return Status::Ok();
}

Json FundingLineToJson(const FundingLine& line) {
  Json j = Json::object();
  j["source"] = FundingSourceCode(line.source);
  if (line.source == FundingSource::kFiscal) {
    j["level"] = FiscalLevelCode(line.level);
    j["original_purpose"] = line.original_purpose;
    if (!line.budget_line.empty()) j["budget_line"] = line.budget_line;
  } else {
    j["subtype"] = SocialSubtypeCode(line.subtype);
    if (!line.donor.empty()) j["donor"] = line.donor;
  }
  j["amount_fen"] = line.amount;
  return j;
}

Result<FundingLine> FundingLineFromJson(const Json& j) {
  auto source_code = GetString(j, "source", 32);
  if (!source_code.ok()) return source_code.status();
  auto source = ParseFundingSource(*source_code);
  if (!source)
    return Status::Error(
        "unknown_funding_source",
        "未知的资金来源：" + source_code->substr(0, 32) + "（只能是财政资金或社会资金）",
        "unknown funding source: " + source_code->substr(0, 32) + " (only fiscal or social)",
        "第十二条");
  FundingLine line;
  line.source = *source;
  if (line.source == FundingSource::kFiscal) {
    SHEFU_RETURN_IF_ERROR(CheckKeys(j, "source,level,original_purpose,budget_line,amount_fen"));
    auto level_code = GetString(j, "level", 32);
    if (!level_code.ok()) return level_code.status();
    auto level = ParseFiscalLevel(*level_code);
    if (!level)
      return Status::Error(
          "unknown_fiscal_level", "未知的财政级次：" + level_code->substr(0, 32) + "（市、区或镇）",
          "unknown fiscal level: " + level_code->substr(0, 32) + " (city, district or town)",
          "第十三条");
    line.level = *level;
    auto purpose = OptString(j, "original_purpose", kMaxText);
    if (!purpose.ok()) return purpose.status();
    line.original_purpose = purpose->value_or("");
    auto budget_line = OptString(j, "budget_line", kMaxText);
    if (!budget_line.ok()) return budget_line.status();
    line.budget_line = budget_line->value_or("");
  } else {
    SHEFU_RETURN_IF_ERROR(CheckKeys(j, "source,subtype,donor,amount_fen"));
    auto subtype_code = GetString(j, "subtype", 64);
    if (!subtype_code.ok()) return subtype_code.status();
    auto subtype = ParseSocialSubtype(*subtype_code);
    if (!subtype)
      return Status::Error(
          "unknown_social_subtype", "未知的社会资金类型：" + subtype_code->substr(0, 64),
          "unknown kind of social funds: " + subtype_code->substr(0, 64), "第十四条");
    line.subtype = *subtype;
    auto donor = OptString(j, "donor", kMaxText);
    if (!donor.ok()) return donor.status();
    line.donor = donor->value_or("");
  }
  auto amount = GetInt(j, "amount_fen", 1, kMaxFen);
  if (!amount.ok()) return amount.status();
  line.amount = *amount;
  SHEFU_RETURN_IF_ERROR(ValidateFundingLine(line));
  return line;
}

Json FundingLinesToJson(const std::vector<FundingLine>& lines) {
  Json a = Json::array();
  for (const auto& l : lines) a.push_back(FundingLineToJson(l));
  return a;
}

Result<std::vector<FundingLine>> FundingLinesFromJson(const Json& j) {
  if (!j.is_array())
    return Status::Error("bad_field", "资金明细必须是数组", "funding lines must be an array");
  if (j.size() > kMaxFundingLines)
    return Status::Error("funding_too_many_lines", "资金明细过多（最多100项）",
                         "too many funding lines (max 100)");
  std::vector<FundingLine> out;
  for (size_t i = 0; i < j.size(); ++i) {
    auto line = FundingLineFromJson(j[i]);
    if (!line.ok()) return Prefixed(i, line.status());
    out.push_back(std::move(*line));
  }
  return out;
}

}  // namespace shefu
