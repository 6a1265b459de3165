// Personal information, minimised (个人信息保护法 第6条) and masked for display and 公示.
//
// A full ID-card number never rests on a field device: the device keeps MaskIdNumber()'s form
// and sends the number sealed to the server's public key (see sealing in client/ and server/).
// Listings show MaskPhone(); published names show MaskName().
#pragma once

#include <string>
#include <string_view>

#include "shared/status.h"

namespace shefu {

// 440402199001011768 -> 4404**********1768 (first 4 and last 4 kept).
std::string MaskIdNumber(std::string_view id);
// 13812341234 -> 138****1234; shorter numbers keep only the last 2 digits.
std::string MaskPhone(std::string_view phone);
// 张三明 -> 张*明; 张三 -> 张*; 欧阳娜娜 -> 欧**娜 (works on UTF-8 code points).
std::string MaskName(std::string_view name);

// Mainland resident ID (GB 11643-1999): 18 characters, 17 digits + check (0-9 or X), valid
// birth date, correct ISO 7064 MOD 11-2 check character. Error code: bad_id_number.
Status CheckIdNumber(std::string_view id);
// True when s looks like the masked form produced by MaskIdNumber (so a device never stores a
// full number by mistake).
bool IsMaskedIdNumber(std::string_view s);
// Digits only, 7 to 15 of them, optional leading '+'. Error code: bad_phone.
Status CheckPhone(std::string_view phone);

}  // namespace shefu
