// 统一社会信用代码 (Unified Social Credit Code, USCC) per GB 32100-2015.
//
// 18 characters from the 31-character set 0-9 A-H J-N P-R T U W-Y (no I, O, S, V, Z):
//   1      registration authority (登记管理部门): '5' = civil affairs (民政)
//   2      organisation category; under civil affairs: '1' 社会团体, '2' 民办非企业单位 /
//          社会服务机构, '3' 基金会, '9' other
//   3-8    administrative-division code of the registrar (digits, e.g. 440402)
//   9-17   subject identifier (主体标识码)
//   18     check character: 31 - (Σ value(c_i) × w_i mod 31), with weights 3^(i-1) mod 31
//          = 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28; 31 maps to '0'.
// A social organisation registered with a civil-affairs bureau (第三条) carries a code starting
// '5'. Community SOs filed with a town (备案) normally have none.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "shared/status.h"

namespace shefu {

inline constexpr std::string_view kUsccCharset = "0123456789ABCDEFGHJKLMNPQRTUWXY";

// The check character for the first 17 characters; nullopt if they are not 17 valid characters.
std::optional<char> UsccCheckChar(std::string_view first17);
// Upper-cases ASCII letters and drops spaces (what people type); does not validate.
std::string NormaliseUscc(std::string_view input);
// Length, character set, digits in positions 3-8 and the check character. Error: bad_uscc.
Status CheckUscc(std::string_view uscc);
// CheckUscc plus civil-affairs registration: first '5', second one of 1 2 3 9. Errors: bad_uscc,
// uscc_not_civil_affairs (第三条).
Status CheckCivilAffairsUscc(std::string_view uscc);

}  // namespace shefu
