#include "client/export_csv.h"

#include <algorithm>

#include "shared/civil_time.h"
#include "shared/csv.h"

namespace shefu::client {
namespace {

std::string FieldText(const Json& j, const char* k) {
  auto it = j.find(k);
  if (it == j.end() || it->is_null()) return "";
  if (it->is_string()) return it->get<std::string>();
  if (it->is_boolean()) return it->get<bool>() ? "1" : "0";
  return DumpJson(*it);
}

std::string LocalTime(const std::string& iso) {
  auto ms = ParseUtcIso(iso);
  return ms.ok() ? FormatLocalMinute(*ms) : iso;
}

}  // namespace

std::string NeedsCsv(const std::vector<Json>& needs, Lang lang, bool full_phone) {
  CsvWriter w;
  const bool zh = lang == Lang::kZh;
  w.Row(zh ? std::vector<std::string>{"编号", "社区代码", "社区", "楼栋", "单元", "房号",
                                      "服务类别", "服务子项", "其他说明", "描述", "人数",
                                      "紧急程度", "电话", "身份证号（脱敏）", "状态", "状态说明",
                                      "附议", "登记时间", "未上传"}
           : std::vector<std::string>{"id", "community_code", "community", "building", "unit",
                                      "room", "category", "sub_item", "other_reason", "description",
                                      "people", "urgency", "phone", "id_number_masked", "state",
                                      "state_reason", "support", "recorded", "unsent"});
  for (const Json& n : needs) {
    w.Row({FieldText(n, "id"), FieldText(n, "community"), FieldText(n, "community_name"),
           FieldText(n, "building"), FieldText(n, "unit"), FieldText(n, "room"),
           FieldText(n, "category_name"), FieldText(n, "sub_item_name"),
           FieldText(n, "other_reason"), FieldText(n, "description"), FieldText(n, "people"),
           FieldText(n, "urgency_name"),
           full_phone ? FieldText(n, "phone") : FieldText(n, "phone_masked"),
           FieldText(n, "id_masked"), FieldText(n, "state_name"), FieldText(n, "state_reason"),
           FieldText(n, "support"), LocalTime(FieldText(n, "created")),
           n.value("unsent", false) ? (zh ? "是" : "yes") : ""});
  }
  return w.str();
}

std::string RecordsCsv(const std::vector<StoredRecord>& records,
                       const std::vector<std::string>& unsent_ids, Lang lang) {
  CsvWriter w;
  const bool zh = lang == Lang::kZh;
  w.Row(zh ? std::vector<std::string>{"编号", "类型", "内容", "记录时间", "未上传"}
           : std::vector<std::string>{"id", "entity", "content", "recorded", "unsent"});
  for (const StoredRecord& r : records) {
    Json content = Json::object();
    int64_t first = 0;
    for (const auto& [g, v] : r.groups) {
      content[g] = v.value;
      if (first == 0 || (v.stamp_ms > 0 && v.stamp_ms < first)) first = v.stamp_ms;
    }
    bool unsent = std::find(unsent_ids.begin(), unsent_ids.end(), r.id) != unsent_ids.end();
    w.Row({r.id, r.entity, DumpJson(content), first > 0 ? FormatLocalMinute(first) : "",
           unsent ? (zh ? "是" : "yes") : ""});
  }
  return w.str();
}

}  // namespace shefu::client
