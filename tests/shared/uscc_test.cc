// Tests of the unified social credit code (GB 32100-2015) and its civil-affairs form (第三条).
#include <catch2/catch.hpp>

#include "shared/env.h"
#include "shared/uscc.h"
#include "tests/support/test_util.h"

using namespace shefu;

TEST_CASE("USCC: the GB 32100-2015 check character") {
  // The standard's worked example and codes whose check characters were computed independently.
  for (const char* good :
       {"91350100M000100Y43", "53440400MJ0000012C", "59440403MJ7654321J", "51440400MJL123456D",
        "52440402MJL000017P", "91440400MA4UJ1234J", "51110000500000000B"}) {
    INFO(good);
    CHECK(CheckUscc(good).ok());
    CHECK(UsccCheckChar(std::string_view(good).substr(0, 17)) == good[17]);
  }
  // A weighted sum divisible by 31 gives 31 - 0 = 31, which maps to '0'. "51440400MJL12345"
  // followed by each character in turn: exactly one completes such a sum.
  int zeros = 0;
  for (char c : kUsccCharset) {
    std::string first17 = std::string("51440400MJL12345") + c;
    if (*UsccCheckChar(first17) == '0') {
      ++zeros;
      CHECK(CheckUscc(first17 + "0").ok());
    }
  }
  CHECK(zeros == 1);
  CHECK(UsccCheckChar("5144040000000000") == std::nullopt);   // 16 characters
  CHECK(UsccCheckChar("51440400MJL12345I") == std::nullopt);  // 'I' is not in the set
}

TEST_CASE("USCC: wrong length, characters, area digits or check character are refused") {
  CHECK(CheckUscc("").code() == "bad_uscc");
  CHECK(CheckUscc("51440400MJL123456").code() == "bad_uscc");    // 17
  CHECK(CheckUscc("51440400MJL123456DD").code() == "bad_uscc");  // 19
  CHECK(CheckUscc("51440400MJL123456E").code() == "bad_uscc");   // wrong check
  CHECK(CheckUscc("51440400MJL123456d").code() == "bad_uscc");   // lower case
  for (char bad : {'I', 'O', 'S', 'V', 'Z'}) {
    std::string s = "51440400MJL123456D";
    s[10] = bad;
    INFO(s);
    CHECK(CheckUscc(s).code() == "bad_uscc");
  }
  // Positions 3-8 are an area code: letters there are refused even with a matching check.
  std::string first17 = "51A40400MJL123456";
  CHECK(CheckUscc(first17 + *UsccCheckChar(first17)).code() == "bad_uscc");
  CHECK(CheckUscc("统一社会信用代码").code() == "bad_uscc");
  CHECK(NormaliseUscc(" 51440400mjl123456d ") == "51440400MJL123456D");
}

TEST_CASE("USCC: every single-character change is detected") {
  const uint64_t seed = test::TestSeed();
  WARN("seed " << seed);
  SeededRng rng(seed);
  for (int i = 0; i < 500; ++i) {
    std::string s = "5";
    s += "1239"[rng.Uniform(4)];
    for (int k = 0; k < 6; ++k) s += static_cast<char>('0' + rng.Uniform(10));
    for (int k = 0; k < 9; ++k) s += kUsccCharset[rng.Uniform(kUsccCharset.size())];
    s += *UsccCheckChar(s);
    INFO(s);
    REQUIRE(CheckCivilAffairsUscc(s).ok());
    size_t pos = rng.Uniform(18);
    char repl = kUsccCharset[rng.Uniform(kUsccCharset.size())];
    if (repl == s[pos]) continue;
    std::string t = s;
    t[pos] = repl;
    CHECK_FALSE(CheckUscc(t).ok());
  }
}

TEST_CASE("第三条: a civil-affairs registration code starts 5 with category 1 2 3 or 9") {
  CHECK(CheckCivilAffairsUscc("51440400MJL123456D").ok());
  CHECK(CheckCivilAffairsUscc("52440402MJL000017P").ok());
  CHECK(CheckCivilAffairsUscc("53440400MJ0000012C").ok());
  CHECK(CheckCivilAffairsUscc("59440403MJ7654321J").ok());
  Status company = CheckCivilAffairsUscc("91440400MA4UJ1234J");  // a company
  CHECK(company.code() == "uscc_not_civil_affairs");
  CHECK(company.article() == "第三条");
  std::string s = "54440400MJL12345";
  s += "6";
  CHECK(CheckCivilAffairsUscc(s + *UsccCheckChar(s)).code() == "uscc_not_civil_affairs");
  CHECK(CheckCivilAffairsUscc("51440400MJL123456E").code() == "bad_uscc");
}
