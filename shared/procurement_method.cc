// 第二十一条: "镇（街道）应当按照政府采购法律法规的规定，选择适合项目特点的采购方式". The methods
// of 政府采购法 第二十六条 (plus 竞争性磋商, 财库〔2014〕214号) and purchases below the
// procurement thresholds; 询价 is for goods only (政府采购法 第三十二条), never for a service.
#include "shared/project_record.h"

namespace shefu {
namespace {

struct Method {
  const char* code;
  Text name;
};

const Method kMethods[] = {
    {"public_tender", {"公开招标", "open tender"}},
    {"invited_tender", {"邀请招标", "invited tender"}},
    {"competitive_negotiation", {"竞争性谈判", "competitive negotiation"}},
    {"competitive_consultation", {"竞争性磋商", "competitive consultation"}},
    {"single_source", {"单一来源采购", "single-source procurement"}},
    {"inquiry", {"询价", "request for quotations"}},
    {"below_threshold", {"限额以下自行采购", "purchase below the procurement threshold"}},
};

}  // namespace

Text ProcurementMethodName(std::string_view code) {
  for (const auto& m : kMethods)
    if (code == m.code) return m.name;
  return {std::string(code.substr(0, 32)), std::string(code.substr(0, 32))};
}

Status CheckProcurementMethod(std::string_view code) {
  bool known = false;
  for (const auto& m : kMethods) known = known || code == m.code;
  if (!known)
    return Status::Error(
        "unknown_procurement_method", "采购方式无效：" + std::string(code.substr(0, 32)),
        "unknown procurement method: " + std::string(code.substr(0, 32)), "第二十一条");
  if (code == "inquiry")
    return Status::Error("inquiry_not_for_services", "询价适用于货物采购，购买服务不能采用询价方式",
                         "request for quotations is a method for goods, not for services",
                         "第二十一条");
  return Status::Ok();
}

}  // namespace shefu
