// shefu-server export: the needs (or projects) of the store as CSV for Excel — UTF-8 with a BOM,
// formula injection neutralised (shared/csv.h), personal data masked (phones as 138****1234,
// ID numbers only ever in their masked form). Runs beside a serving server (read only).
#include <fstream>
#include <iostream>

#include "server/central_store.h"
#include "server/cli_util.h"
#include "server/commands.h"
#include "server/server_app.h"
#include "shared/csv.h"
#include "shared/divisions.h"
#include "shared/masking.h"
#include "shared/need.h"
#include "shared/service_catalogue.h"
#include "sync/sync_server.h"

namespace shefu::server {
namespace {

std::string Str(const sync::RecordView& r, const char* group, const char* field) {
  const sync::GroupView* g = r.Find(group);
  if (!g || !g->value.is_object()) return "";
  auto it = g->value.find(field);
  if (it == g->value.end()) return "";
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer()) return std::to_string(it->get<int64_t>());
  return "";
}

}  // namespace

Result<std::string> ExportNeedsCsv(sync::SyncServer& s, const Divisions& places) {
  CsvWriter csv;
  csv.Row({"编号 id", "社区代码 community code", "社区 community", "镇街 town", "类别 category",
           "子项 sub-item", "说明 description", "人数 people", "紧急程度 urgency", "状态 state",
           "电话 phone (masked)", "身份证 ID (masked)", "附议 support", "已删除 deleted"});
  sync::SyncServer::RecordQuery q;
  q.entity = "need";
  q.include_deleted = true;
  q.limit = 1000;
  for (;;) {
    auto page = s.ListRecords(q);
    if (!page.ok()) return page.status();
    if (page->empty()) break;
    for (const auto& r : *page) {
      std::string community = Str(r, "place", "community");
      const Community* c = places.FindCommunity(community);
      const Town* t = c ? places.FindTown(c->town) : nullptr;
      const ServiceCategory* cat = FindServiceCategory(Str(r, "category", "category"));
      const ServiceSubItem* sub = FindServiceSubItem(Str(r, "category", "sub_item"));
      std::string phone = Str(r, "contact", "phone");
      auto support = s.CounterSum("need_support", r.id);
      csv.Row({r.id, community, c ? c->name : "", t ? t->name : "", cat ? cat->name.zh : "",
               sub ? sub->name.zh : "", Str(r, "description", "text"), Str(r, "people", "count"),
               UrgencyName(Str(r, "urgency", "level")).zh,
               NeedStateName(Str(r, "status", "state")).zh, phone.empty() ? "" : MaskPhone(phone),
               Str(r, "contact", "id_masked"), std::to_string(support.ok() ? *support : 0),
               r.deleted ? "是" : ""});
    }
    q.after_id = page->back().id;
  }
  return csv.str();
}

int CmdExport(Args& a, std::ostream& out, std::ostream& err) {
  if (a.help()) {
    out << Tr(
        {"用法：shefu-server export --data 目录 [--out 文件.csv]\n"
         "导出需求为 CSV（UTF-8 带 BOM，可直接用 Excel 打开；电话与身份证号已脱敏）。\n",
         "usage: shefu-server export --data DIR [--out FILE.csv]\n"
         "Exports the needs as CSV (UTF-8 with BOM, opens in Excel; phones and ID numbers\n"
         "masked).\n"});
    return 0;
  }
  auto data = a.Value("data");
  auto out_path = a.Value("out");
  if (auto st = a.Finish(); !st.ok()) return PrintError(err, st);
  if (!data)
    return PrintError(err, Status::Error("usage", "缺少 --data 目录", "missing --data DIR"));
  DbOptions opt;
  opt.create = false;
  auto db = Db::Open(CentralStore::DbPath(*data), opt);
  if (!db.ok()) return PrintError(err, db.status());
  auto text = LoadReference(**db, kDivisionsRef);
  if (!text.ok() || !text->has_value()) {
    return PrintError(err, Status::Error("not_initialised", "数据目录尚未初始化",
                                         "the data directory is not initialised"));
  }
  auto places = Divisions::Parse(**text);
  if (!places.ok()) return PrintError(err, places.status());
  auto s = sync::SyncServer::Open(**db, SystemClock::Instance(), SystemRng::Instance(), *places);
  if (!s.ok()) return PrintError(err, s.status());
  auto csv = ExportNeedsCsv(**s, *places);
  if (!csv.ok()) return PrintError(err, csv.status());
  if (out_path) {
    std::ofstream f(*out_path, std::ios::binary | std::ios::trunc);
    f << *csv;
    if (!f)
      return PrintError(
          err, Status::Error("io_error", "无法写入 " + *out_path, "cannot write " + *out_path));
    out << Tr({"已导出到 " + *out_path + "\n", "Exported to " + *out_path + "\n"});
  } else {
    out << *csv;
  }
  return 0;
}

}  // namespace shefu::server
