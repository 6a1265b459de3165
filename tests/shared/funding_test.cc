// 第十二至十五条: funding lines, the catalogue condition on fiscal money, budget = Σ lines.
#include <catch2/catch.hpp>

#include "shared/funding.h"

using namespace shefu;

namespace {

FundingLine Fiscal(Fen amount) {
  FundingLine l;
  l.source = FundingSource::kFiscal;
  l.level = FiscalLevel::kDistrict;
  l.original_purpose = "居家养老服务专项";
  l.budget_line = "2080299";
  l.amount = amount;
  return l;
}

FundingLine Social(SocialSubtype s, Fen amount, std::string donor = {}) {
  FundingLine l;
  l.source = FundingSource::kSocial;
  l.subtype = s;
  l.donor = std::move(donor);
  l.amount = amount;
  return l;
}

}  // namespace

TEST_CASE("第十五条: the budget must equal the sum of its funding lines to the fen") {
  std::vector<FundingLine> lines = {Fiscal(5'000'000),
                                    Social(SocialSubtype::kCommunityFund, 80'000, "社区基金")};
  CHECK(CheckFunding(lines, 5'080'000, true).ok());
  for (Fen wrong : {5'079'999, 5'080'001, 0}) {
    Status s = CheckFunding(lines, wrong, true);
    REQUIRE_FALSE(s.ok());
    CHECK(s.code() == "funding_sum_mismatch");
    CHECK(s.article() == "第十五条");
    CHECK(s.zh().find("50800.00") != std::string::npos);  // names the sum
  }
  FundingTotals t = SumFunding(lines);
  CHECK(t.fiscal == 5'000'000);
  CHECK(t.social == 80'000);
}

TEST_CASE("第十三条: fiscal money only for an item in that year's published catalogue") {
  std::vector<FundingLine> lines = {Fiscal(100'000)};
  Status s = CheckFunding(lines, 100'000, false);
  REQUIRE_FALSE(s.ok());
  CHECK(s.code() == "fiscal_not_in_catalogue");
  CHECK(s.article() == "第十三条");
  CHECK(CheckFunding(lines, 100'000, true).ok());
  // Social money alone does not need the catalogue.
  std::vector<FundingLine> social = {Social(SocialSubtype::kResidentSelfRaised, 100'000)};
  CHECK(CheckFunding(social, 100'000, false).ok());
}

TEST_CASE("第十三条: a fiscal line must keep its original purpose (专款专用)") {
  FundingLine l = Fiscal(100'000);
  l.original_purpose.clear();
  Status s = CheckFunding({l}, 100'000, true);
  REQUIRE_FALSE(s.ok());
  CHECK(s.code() == "fiscal_purpose_missing");
  CHECK(s.article() == "第十三条");
  CHECK(s.zh().find("资金明细第1项") != std::string::npos);
}

TEST_CASE("第十四条: every social subtype of the article is accepted and an enterprise is named") {
  for (SocialSubtype st :
       {SocialSubtype::kCharityCorporateDonation, SocialSubtype::kCharityPublicWelfare,
        SocialSubtype::kCommunityFund, SocialSubtype::kVillageCharityFund,
        SocialSubtype::kResidentSelfRaised, SocialSubtype::kPublicDonation}) {
    INFO(SocialSubtypeCode(st));
    CHECK(ValidateFundingLine(Social(st, 1, "某公司")).ok());
    CHECK(ParseSocialSubtype(SocialSubtypeCode(st)) == st);
    CHECK_FALSE(SocialSubtypeName(st).zh.empty());
  }
  Status s = ValidateFundingLine(Social(SocialSubtype::kCharityCorporateDonation, 1));
  CHECK(s.code() == "donor_missing");
  CHECK(s.article() == "第十四条");
}

TEST_CASE("第十二条: a project needs funding, positive amounts, and no mixed fields") {
  CHECK(CheckFunding({}, 0, true).code() == "funding_missing");
  CHECK(ValidateFundingLine(Fiscal(0)).code() == "funding_amount_invalid");
  CHECK(ValidateFundingLine(Fiscal(-5)).code() == "funding_amount_invalid");
  CHECK(ValidateFundingLine(Fiscal(kMaxFen + 1)).code() == "funding_amount_invalid");
  FundingLine f = Fiscal(1);
  f.donor = "x";
  CHECK(ValidateFundingLine(f).code() == "funding_fields_mixed");
  FundingLine s = Social(SocialSubtype::kCommunityFund, 1);
  s.budget_line = "2080299";
  CHECK(ValidateFundingLine(s).code() == "funding_fields_mixed");
  std::vector<FundingLine> many(kMaxFundingLines + 1, Social(SocialSubtype::kCommunityFund, 1));
  CHECK(CheckFunding(many, kMaxFundingLines + 1, true).code() == "funding_too_many_lines");
}

TEST_CASE("第十二条: funding lines round-trip through JSON and unknown kinds are refused") {
  std::vector<FundingLine> lines = {
      Fiscal(5'000'000), Social(SocialSubtype::kCharityCorporateDonation, 20'000, "格力公益")};
  Json j = FundingLinesToJson(lines);
  auto back = FundingLinesFromJson(j);
  REQUIRE(back.ok());
  REQUIRE(back->size() == 2);
  CHECK((*back)[0].level == FiscalLevel::kDistrict);
  CHECK((*back)[0].original_purpose == "居家养老服务专项");
  CHECK((*back)[0].budget_line == "2080299");
  CHECK((*back)[1].subtype == SocialSubtype::kCharityCorporateDonation);
  CHECK((*back)[1].donor == "格力公益");
  CHECK((*back)[1].amount == 20'000);

  auto bad_source = FundingLineFromJson(Json::parse(R"({"source": "loan", "amount_fen": 1})"));
  CHECK(bad_source.status().code() == "unknown_funding_source");
  CHECK(bad_source.status().article() == "第十二条");
  auto bad_level = FundingLineFromJson(Json::parse(
      R"({"source": "fiscal", "level": "province", "original_purpose": "x", "amount_fen": 1})"));
  CHECK(bad_level.status().code() == "unknown_fiscal_level");
  auto bad_subtype = FundingLineFromJson(
      Json::parse(R"({"source": "social", "subtype": "lottery", "amount_fen": 1})"));
  CHECK(bad_subtype.status().code() == "unknown_social_subtype");
  CHECK(bad_subtype.status().article() == "第十四条");
  // Fields of the other source are refused, not ignored.
  auto mixed = FundingLineFromJson(Json::parse(
      R"({"source": "social", "subtype": "community_fund", "level": "city", "amount_fen": 1})"));
  CHECK_FALSE(mixed.ok());
  // Amounts are integer fen: 1.5 is refused, not truncated.
  auto frac = FundingLineFromJson(
      Json::parse(R"({"source": "social", "subtype": "community_fund", "amount_fen": 1.5})"));
  CHECK_FALSE(frac.ok());
  auto no_purpose = FundingLineFromJson(
      Json::parse(R"({"source": "fiscal", "level": "town", "amount_fen": 100})"));
  CHECK(no_purpose.status().code() == "fiscal_purpose_missing");
  CHECK_FALSE(FundingLinesFromJson(Json::object()).ok());
  auto second_bad = FundingLinesFromJson(Json::parse(
      R"([{"source": "social", "subtype": "community_fund", "amount_fen": 1},
          {"source": "gift", "amount_fen": 1}])"));
  CHECK(second_bad.status().zh().find("第2项") != std::string::npos);
}
