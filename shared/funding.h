// Where a project's money comes from (第十二至十五条).
//
// 第十二条: money is fiscal (财政资金) or social (社会资金).
// 第十三条: the town pools public-service money that city, district and town budgets put into
//   towns and communities; it may buy any project in the district's published 项目清单, but
//   "在确保专款专用的前提下" — each fiscal line keeps the purpose it was given for. The caller
//   says whether the project's item is in that year's published catalogue (the catalogue is
//   another module's record).
// 第十四条: social money is charity (企业捐赠, 慈善公益资金), community funds (社区基金,
// 村级慈善基金),
//   and residents' own money (居民自筹, 募捐).
// 第十五条: the town combines both, so a project has several lines and its budget is their sum,
//   to the fen.
//
// Wire form of a line (amounts are integer fen; unknown kinds and stray keys are refused):
//   {"source": "fiscal", "level": "district", "original_purpose": "居家养老专项",
//    "budget_line": "2080299", "amount_fen": 5000000}
//   {"source": "social", "subtype": "community_fund", "donor": "某社区基金", "amount_fen": 80000}
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/json_util.h"
#include "shared/money.h"
#include "shared/status.h"

namespace shefu {

enum class FundingSource { kFiscal, kSocial };
enum class FiscalLevel { kCity, kDistrict, kTown };
enum class SocialSubtype {
  kCharityCorporateDonation,  // 企业捐赠资金 (第十四条(一))
  kCharityPublicWelfare,      // 慈善公益资金 (第十四条(一))
  kCommunityFund,             // 社区基金 (第十四条(二))
  kVillageCharityFund,        // 村级慈善基金 (第十四条(二))
  kResidentSelfRaised,        // 居民自筹 (第十四条(三))
  kPublicDonation,            // 募捐资金 (第十四条(三))
};

struct FundingLine {
  FundingSource source = FundingSource::kFiscal;
  // Fiscal lines only.
  FiscalLevel level = FiscalLevel::kTown;
  std::string original_purpose;  // required: 专款专用 traces the money to what it was given for
  std::string budget_line;       // optional budget classification / line
  // Social lines only.
  SocialSubtype subtype = SocialSubtype::kCommunityFund;
  std::string donor;  // required for an enterprise donation (the enterprise is named)
  Fen amount = 0;     // > 0
};

// Stable codes: "fiscal" | "social"; "city" | "district" | "town"; "charity_corporate_donation",
// "charity_public_welfare", "community_fund", "village_charity_fund", "resident_self_raised",
// "public_donation".
const char* FundingSourceCode(FundingSource s);
const char* FiscalLevelCode(FiscalLevel l);
const char* SocialSubtypeCode(SocialSubtype s);
std::optional<FundingSource> ParseFundingSource(std::string_view code);
std::optional<FiscalLevel> ParseFiscalLevel(std::string_view code);
std::optional<SocialSubtype> ParseSocialSubtype(std::string_view code);
Text FundingSourceName(FundingSource s);  // 财政资金 / fiscal funds
Text FiscalLevelName(FiscalLevel l);      // 区级财政 / district budget
Text SocialSubtypeName(SocialSubtype s);  // 社区基金 / community fund

// One line on its own: positive amount (funding_amount_invalid), fiscal purpose present
// (fiscal_purpose_missing, 第十三条), enterprise donor named (donor_missing, 第十四条), and no
// field of the other source filled in (funding_fields_mixed, 第十二条).
Status ValidateFundingLine(const FundingLine& line);

// The whole funding of a project with budget `budget`:
//   funding_missing (第十二条)        no line at all
//   any ValidateFundingLine error    prefixed with the line number
//   fiscal_not_in_catalogue (第十三条) a fiscal line while the item is not in that year's
//                                     published catalogue
//   funding_sum_mismatch (第十五条)   budget != Σ lines, naming both amounts
Status CheckFunding(const std::vector<FundingLine>& lines, Fen budget,
                    bool fiscal_item_in_published_catalogue);

struct FundingTotals {
  Fen fiscal = 0;
  Fen social = 0;
  Fen total() const { return fiscal + social; }
};
// Sums of valid lines (each <= kMaxFen, at most kMaxFundingLines lines: no overflow).
FundingTotals SumFunding(const std::vector<FundingLine>& lines);
inline constexpr size_t kMaxFundingLines = 100;

Json FundingLineToJson(const FundingLine& line);
// Checks keys, kinds (unknown_funding_source 第十二条, unknown_fiscal_level 第十三条,
// unknown_social_subtype 第十四条) and then ValidateFundingLine.
Result<FundingLine> FundingLineFromJson(const Json& j);
Json FundingLinesToJson(const std::vector<FundingLine>& lines);
Result<std::vector<FundingLine>> FundingLinesFromJson(const Json& j);

}  // namespace shefu
