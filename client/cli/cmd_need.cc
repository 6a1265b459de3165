// shefu need add|list|show|edit|withdraw|support.
#include <iostream>

#include "client/cli/cli.h"

namespace shefu::cli {
namespace {

// Flag -> form field. The ID number is never a flag: it would end up in shell history and in
// the process list; scripts give it on stdin (--id-number-stdin), people type it hidden.
const std::pair<const char*, const char*> kFormFlags[] = {
    {"community", "community"},
    {"building", "building"},
    {"unit", "unit"},
    {"room", "room"},
    {"category", "category"},
    {"sub-item", "sub_item"},
    {"other-reason", "other_reason"},
    {"description", "description"},
    {"people", "people"},
    {"urgency", "urgency"},
    {"phone", "phone"},
};

const char* kFormHelpZh =
    "  --community 代码      社区/村代码（默认：你所在的社区）\n"
    "  --building 楼栋  --unit 单元  --room 房号\n"
    "  --category 类别代码   --sub-item 子项代码（如 basic.elderly_care）\n"
    "  --other-reason 说明   选“其他”子项时必填\n"
    "  --description 描述    --people 人数   --urgency low|normal|high|urgent\n"
    "  --phone 电话（可选）  --id-number-stdin 从标准输入读身份证号（可选，仅用于查重；\n"
    "                        本机只保存脱敏号码，号码加密后发给服务器）\n";
const char* kFormHelpEn =
    "  --community CODE      community code (default: your own community)\n"
    "  --building B  --unit U  --room R\n"
    "  --category CODE       --sub-item CODE (e.g. basic.elderly_care)\n"
    "  --other-reason TEXT   required with an \"other\" sub-item\n"
    "  --description TEXT    --people N   --urgency low|normal|high|urgent\n"
    "  --phone NUMBER (optional)  --id-number-stdin  read the resident's ID number from stdin\n"
    "                        (optional, for duplicate detection; only the masked number stays\n"
    "                        on the device, the number goes to the server encrypted)\n";

Status ReadFormFlags(Args& a, Json* form, bool* id_stdin) {
  for (auto [flag, field] : kFormFlags)
    if (auto v = a.Value(flag)) (*form)[field] = *v;
  *id_stdin = a.Flag("id-number-stdin");
  return Status::Ok();
}

void ReadIdFromStdin(Json* form) {
  std::string line;
  if (std::getline(std::cin, line)) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    (*form)["id_number"] = line;
  }
}

std::string State(const Json& n) {
  return Str(n, "state_name");
}

int Add(Ctx& ctx, Args& a) {
  Json form = Json::object();
  bool id_stdin = false;
  ReadFormFlags(a, &form, &id_stdin);
  bool json = a.Flag("json");
  bool interactive = a.Flag("interactive");
  if (a.help()) {
    std::cout << L("用法：shefu need add [字段选项] [--json]\n"
                   "在终端中运行且缺少必填项时，逐项引导填写（中文表单；--interactive "
                   "即使不在终端也逐项询问）。"
                   "在脚本中请用选项：\n",
                   "usage: shefu need add [FIELD FLAGS] [--json]\n"
                   "On a terminal, missing fields are asked for one by one (a guided form;\n"
                   "--interactive asks even off a terminal).\n"
                   "In scripts, give them as flags:\n")
              << L(kFormHelpZh, kFormHelpEn);
    return 0;
  }
  if (int rc = CheckArgs(ctx); rc >= 0) return rc;
  int exit_code = 0;
  ClientPtr c = OpenClient(ctx, false, &exit_code);
  if (!c) return exit_code;
  if (id_stdin) ReadIdFromStdin(&form);
  const bool missing =
      !form.contains("sub_item") || !form.contains("description") || !form.contains("people");
  if ((missing && ctx.stdin_tty) || interactive) {
    if (!FillNeedFormInteractively(c.get(), &form)) {
      std::cerr << L("已取消，没有保存。\n", "cancelled; nothing saved.\n");
      return kExitError;
    }
  } else if (missing) {
    std::string list;
    for (auto [field, flag] : {std::pair{"sub_item", "--sub-item"},
                               {"description", "--description"},
                               {"people", "--people"}})
      if (!form.contains(field)) list += (list.empty() ? "" : ", ") + std::string(flag);
    return UsageError(
        {"缺少必填项：" + list + "（或在终端中运行以逐项填写）",
         "required fields are missing: " + list + " (or run on a terminal for the guided form)"});
  }
  char* id = nullptr;
  std::string text = DumpJson(form);
  int rc = shefu_need_create(c.get(), text.c_str(), &id);
  if (rc != SHEFU_OK) return ApiError(c.get(), rc);
  std::string need_id = TakeString(id);
  if (json) {
    std::cout << DumpJson(Json{{"id", need_id}}) << "\n";
  } else {
    std::cout << L("已保存需求 ", "saved need ") << need_id.substr(need_id.size() - 8)
              << L("（待同步上传）\n", " (will go up at the next sync)\n");
  }
  return 0;
}

int List(Ctx& ctx, Args& a) {
  bool json = a.Flag("json");
  bool all = a.Flag("all");
  bool unsent = a.Flag("unsent");
  auto state = a.Value("state");
  auto community = a.Value("community");
  if (a.help()) {
    std::cout << L(
        "用法：shefu need list [--all] [--unsent] [--state open|linked|withdrawn|closed] "
        "[--community 代码] [--json]\n（--all 包括已撤回的；电话只显示脱敏号码）\n",
        "usage: shefu need list [--all] [--unsent] [--state open|linked|withdrawn|closed] "
        "[--community CODE] [--json]\n(--all includes withdrawn needs; phones are masked)\n");
    return 0;
  }
  if (int rc = CheckArgs(ctx); rc >= 0) return rc;
  int exit_code = 0;
  ClientPtr c = OpenClient(ctx, false, &exit_code);
  if (!c) return exit_code;
  Json filter = {{"withdrawn", all}, {"unsent", unsent}};
  if (state) filter["state"] = *state;
  if (community) filter["community"] = *community;
  char* out = nullptr;
  std::string f = DumpJson(filter);
  int rc = shefu_need_list(c.get(), f.c_str(), &out);
  if (rc != SHEFU_OK) return ApiError(c.get(), rc);
  Json list = TakeJson(out);
  if (json) {
    std::cout << DumpJson(list) << "\n";
    return 0;
  }
  if (list.empty()) {
    std::cout << L("（没有需求）\n", "(no needs)\n");
    return 0;
  }
  std::vector<std::vector<std::string>> rows = {
      {L("编号", "id"), L("社区", "community"), L("地址", "address"), L("类别", "item"),
       L("人数", "people"), L("紧急", "urgency"), L("状态", "state"), L("同步", "sync"),
       L("电话", "phone"), L("描述", "description")}};
  for (const Json& n : list) {
    rows.push_back({Str(n, "short_id"), Clip(Str(n, "community_name"), 12),
                    Clip(Str(n, "address"), 16), Clip(Str(n, "sub_item_name"), 12),
                    Str(n, "people"), Str(n, "urgency_name"), State(n),
                    n.value("unsent", false) ? L("待上传", "unsent") : L("已上传", "sent"),
                    Str(n, "phone_masked"), Clip(Str(n, "description"), 24)});
  }
  PrintTable(rows);
  std::cout << L("共 ", "") << list.size() << L(" 条\n", " needs\n");
  return 0;
}

int Show(Ctx& ctx, Args& a) {
  bool json = a.Flag("json");
  if (a.help()) {
    std::cout << L("用法：shefu need show 编号 [--json]（编号可只写末尾几位）\n",
                   "usage: shefu need show ID [--json] (the last few characters of the id do)\n");
    return 0;
  }
  if (int rc = CheckArgs(ctx); rc >= 0) return rc;
  std::string id = a.Positional(2);
  if (id.empty()) return UsageError({"需要需求编号", "a need id is required"});
  int exit_code = 0;
  ClientPtr c = OpenClient(ctx, false, &exit_code);
  if (!c) return exit_code;
  char* out = nullptr;
  int rc = shefu_need_get(c.get(), id.c_str(), &out);
  if (rc != SHEFU_OK) return ApiError(c.get(), rc);
  Json n = TakeJson(out);
  if (json) {
    std::cout << DumpJson(n) << "\n";
    return 0;
  }
  auto line = [](const std::string& k, const std::string& v) {
    if (!v.empty()) std::cout << k << v << "\n";
  };
  line(L("编号：    ", "id:          "), Str(n, "id"));
  line(L("社区：    ", "community:   "),
       Str(n, "community_name") + " (" + Str(n, "community") + ")");
  line(L("地址：    ", "address:     "), Str(n, "address"));
  line(L("类别：    ", "category:    "), Str(n, "category_name") + " / " + Str(n, "sub_item_name"));
  line(L("其他说明：", "other:       "), Str(n, "other_reason"));
  line(L("描述：    ", "description: "), Str(n, "description"));
  line(L("人数：    ", "people:      "), Str(n, "people"));
  line(L("紧急程度：", "urgency:     "), Str(n, "urgency_name"));
  line(L("电话：    ", "phone:       "), Str(n, "phone"));
  line(L("身份证：  ", "ID number:   "), Str(n, "id_masked"));
  line(L("状态：    ", "state:       "),
       State(n) + (Str(n, "state_reason").empty() ? "" : "（" + Str(n, "state_reason") + "）"));
  line(L("附议：    ", "support:     "), Str(n, "support"));
  line(L("同步：    ", "sync:        "), n.value("unsent", false)
                                             ? L("有修改待上传", "changes waiting to upload")
                                             : L("已上传", "sent"));
  return 0;
}

int Edit(Ctx& ctx, Args& a) {
  Json form = Json::object();
  bool id_stdin = false;
  ReadFormFlags(a, &form, &id_stdin);
  if (a.help()) {
    std::cout
        << L("用法：shefu need edit 编号 [字段选项]（只修改给出的字段；地址登记后不能修改）\n",
             "usage: shefu need edit ID [FIELD FLAGS] (only the fields given change; the "
             "address cannot change)\n")
        << L(kFormHelpZh, kFormHelpEn);
    return 0;
  }
  if (int rc = CheckArgs(ctx); rc >= 0) return rc;
  std::string id = a.Positional(2);
  if (id.empty()) return UsageError({"需要需求编号", "a need id is required"});
  if (id_stdin) ReadIdFromStdin(&form);
  if (form.empty()) return UsageError({"没有给出要修改的字段", "no field to change was given"});
  int exit_code = 0;
  ClientPtr c = OpenClient(ctx, false, &exit_code);
  if (!c) return exit_code;
  std::string text = DumpJson(form);
  int rc = shefu_need_edit(c.get(), id.c_str(), text.c_str());
  if (rc != SHEFU_OK) return ApiError(c.get(), rc);
  std::cout << L("已修改（待同步上传）\n", "changed (will go up at the next sync)\n");
  return 0;
}

int Withdraw(Ctx& ctx, Args& a) {
  auto reason = a.Value("reason");
  if (a.help()) {
    std::cout << L("用法：shefu need withdraw 编号 [--reason 原因]\n",
                   "usage: shefu need withdraw ID [--reason TEXT]\n");
    return 0;
  }
  if (int rc = CheckArgs(ctx); rc >= 0) return rc;
  std::string id = a.Positional(2);
  if (id.empty()) return UsageError({"需要需求编号", "a need id is required"});
  int exit_code = 0;
  ClientPtr c = OpenClient(ctx, false, &exit_code);
  if (!c) return exit_code;
  int rc = shefu_need_withdraw(c.get(), id.c_str(), reason ? reason->c_str() : nullptr);
  if (rc != SHEFU_OK) return ApiError(c.get(), rc);
  std::cout << L("已撤回（待同步上传）\n", "withdrawn (will go up at the next sync)\n");
  return 0;
}

int Support(Ctx& ctx, Args& a) {
  bool undo = a.Flag("undo");
  if (a.help()) {
    std::cout << L(
        "用法：shefu need support 编号 [--undo]（居民附议 +1；--undo 撤销 -1）\n",
        "usage: shefu need support ID [--undo] (a resident's \"me too\" +1; --undo -1)\n");
    return 0;
  }
  if (int rc = CheckArgs(ctx); rc >= 0) return rc;
  std::string id = a.Positional(2);
  if (id.empty()) return UsageError({"需要需求编号", "a need id is required"});
  int exit_code = 0;
  ClientPtr c = OpenClient(ctx, false, &exit_code);
  if (!c) return exit_code;
  int rc = shefu_need_support(c.get(), id.c_str(), undo ? -1 : 1);
  if (rc != SHEFU_OK) return ApiError(c.get(), rc);
  std::cout << (undo ? L("已撤销一次附议\n", "support taken back\n")
                     : L("已附议 +1\n", "support +1\n"));
  return 0;
}

}  // namespace

int CmdNeed(Ctx& ctx) {
  Args& a = *ctx.args;
  std::string sub = a.Positional(1);
  if (sub == "add") return Add(ctx, a);
  if (sub == "list" || sub == "ls") return List(ctx, a);
  if (sub == "show") return Show(ctx, a);
  if (sub == "edit") return Edit(ctx, a);
  if (sub == "withdraw") return Withdraw(ctx, a);
  if (sub == "support") return Support(ctx, a);
  bool help = a.help();
  std::cout << L(
      "用法：shefu need add|list|show|edit|withdraw|support ...（各子命令可加 --help）\n",
      "usage: shefu need add|list|show|edit|withdraw|support ... (each takes --help)\n");
  return help && sub.empty() ? 0 : kExitUsage;
}

}  // namespace shefu::cli
