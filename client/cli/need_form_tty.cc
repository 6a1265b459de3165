// The guided need form on a terminal: numbered choices for community, category and sub-item
// (from the catalogue the API offers, so a synced district catalogue replaces the static one
// without a change here), every answer checked at once through shefu_need_check with the
// reason shown inline, and a summary to confirm before anything is saved.
#include <termios.h>
#include <unistd.h>

#include <iostream>

#include "client/cli/cli.h"

namespace shefu::cli {
namespace {

struct Cancelled {};

std::string Ask(const std::string& prompt, const std::string& def = "") {
  std::cout << prompt << (def.empty() ? "" : " [" + def + "]") << L("：", ": ") << std::flush;
  std::string line;
  if (!std::getline(std::cin, line)) throw Cancelled{};
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
  size_t b = line.find_first_not_of(' ');
  line = b == std::string::npos ? "" : line.substr(b);
  if (line == "q" || line == "Q") throw Cancelled{};
  return line.empty() ? def : line;
}

// Shows "  1. name" lines and returns the chosen index.
size_t Choose(const std::string& title, const std::vector<std::string>& names, size_t def) {
  std::cout << title << "\n";
  for (size_t i = 0; i < names.size(); ++i) std::cout << "  " << i + 1 << ". " << names[i] << "\n";
  for (;;) {
    std::string a = Ask(L("  请选择编号", "  choose a number"), std::to_string(def + 1));
    char* end = nullptr;
    long n = std::strtol(a.c_str(), &end, 10);
    if (end && *end == '\0' && n >= 1 && static_cast<size_t>(n) <= names.size())
      return static_cast<size_t>(n - 1);
    std::cout << L("  ✗ 请输入 1 到 ", "  ✗ enter a number from 1 to ") << names.size()
              << L(" 之间的编号\n", "\n");
  }
}

// Asks until shefu_need_check accepts {field: answer} merged into `form`.
void AskChecked(shefu_client* c, Json* form, const char* field, const std::string& prompt,
                bool optional, const std::string& def = "") {
  for (;;) {
    std::string a = Ask(prompt, def);
    if (a.empty() && optional) return;
    Json trial = {{field, a}};
    if (std::string(field) == "other_reason" && form->contains("sub_item"))
      trial["sub_item"] = (*form)["sub_item"];
    std::string text = DumpJson(trial);
    if (shefu_need_check(c, text.c_str()) == SHEFU_OK) {
      (*form)[field] = a;
      return;
    }
    std::cout << "  ✗ " << shefu_last_error(c) << "\n";
  }
}

}  // namespace

std::string ReadHidden(const std::string& prompt) {
  // Echo goes off BEFORE the prompt appears: a worker (or a script on a pty) who types as soon as
  // the prompt shows must never see the ID number echoed, however slow this process is.
  termios old{};
  bool tty = tcgetattr(0, &old) == 0;
  if (tty) {
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(0, TCSANOW, &quiet);
  }
  std::cout << prompt << std::flush;
  std::string line;
  bool ok = static_cast<bool>(std::getline(std::cin, line));
  if (tty) tcsetattr(0, TCSANOW, &old);
  std::cout << "\n";
  if (!ok) throw Cancelled{};
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
  return line;
}

bool FillNeedFormInteractively(shefu_client* c, Json* form) {
  try {
    std::cout << L("—— 新需求登记 ——（回车取方括号中的默认值；输入 q 取消）\n",
                   "—— new need —— (Enter takes the [default]; q cancels)\n");
    char* raw = nullptr;
    if (!form->contains("community") && shefu_communities(c, &raw) == SHEFU_OK) {
      Json list = TakeJson(raw);
      if (list.size() > 1) {
        std::vector<std::string> names;
        size_t def = 0;
        for (size_t i = 0; i < list.size(); ++i) {
          bool own = list[i].value("own", false);
          names.push_back(Str(list[i], "name") + (own ? L("（本社区）", " (yours)") : ""));
          if (own) def = i;
        }
        (*form)["community"] = Str(list[Choose(L("社区/村：", "community:"), names, def)], "code");
      } else if (list.size() == 1) {
        std::cout << L("社区：", "community: ") << Str(list[0], "name") << "\n";
        (*form)["community"] = Str(list[0], "code");
      }
    }
    if (!form->contains("building"))
      AskChecked(c, form, "building", L("楼栋（可空）", "building (optional)"), true);
    if (!form->contains("unit"))
      AskChecked(c, form, "unit", L("单元（可空）", "unit (optional)"), true);
    if (!form->contains("room"))
      AskChecked(c, form, "room", L("房号（可空）", "room (optional)"), true);

    if (!form->contains("sub_item")) {
      Json cat = TakeJson([&] {
        char* s = nullptr;
        shefu_catalogue(c, &s);
        return s;
      }());
      const Json& cats = cat["categories"];
      std::vector<std::string> names;
      for (const Json& k : cats) names.push_back(Str(k, "name"));
      size_t ci = Choose(L("服务类别（第八条）：", "service category (Art. 8):"), names, 0);
      std::vector<std::string> subs;
      for (const Json& s : cats[ci]["sub_items"]) subs.push_back(Str(s, "name"));
      size_t si = Choose(L("服务子项：", "sub-item:"), subs, 0);
      const Json& item = cats[ci]["sub_items"][si];
      (*form)["category"] = Str(cats[ci], "code");
      (*form)["sub_item"] = Str(item, "code");
      if (item.value("other", false) && !form->contains("other_reason"))
        AskChecked(c, form, "other_reason", L("请说明具体是什么服务", "describe the service"),
                   false);
    }
    if (!form->contains("description"))
      AskChecked(c, form, "description", L("需求描述", "description"), false);
    if (!form->contains("people"))
      AskChecked(c, form, "people", L("受影响人数", "people affected"), false, "1");
    if (!form->contains("urgency")) {
      const char* codes[] = {"low", "normal", "high", "urgent"};
      size_t u = Choose(
          L("紧急程度：", "urgency:"),
          {L("不急", "low"), L("一般", "normal"), L("较急", "high"), L("紧急", "urgent")}, 1);
      (*form)["urgency"] = codes[u];
    }
    if (!form->contains("phone"))
      AskChecked(c, form, "phone", L("居民电话（可空）", "resident's phone (optional)"), true);
    if (!form->contains("id_number")) {
      for (;;) {
        std::string id =
            ReadHidden(L("身份证号（可空，不回显；本机只保存脱敏号码）：",
                         "ID-card number (optional, not echoed; only the masked form is kept): "));
        if (id.empty()) break;
        std::string text = DumpJson(Json{{"id_number", id}});
        if (shefu_need_check(c, text.c_str()) == SHEFU_OK) {
          (*form)["id_number"] = id;
          break;
        }
        std::cout << "  ✗ " << shefu_last_error(c) << "\n";
      }
    }
    std::cout << L("\n请确认：\n", "\nplease check:\n") << L("  描述：", "  description: ")
              << Str(*form, "description") << "\n"
              << L("  人数：", "  people: ") << Str(*form, "people") << "\n";
    std::string ok = Ask(L("保存？(Y/n)", "save? (Y/n)"), "Y");
    return ok == "Y" || ok == "y" || ok == "是";
  } catch (const Cancelled&) {
    std::cout << "\n";
    return false;
  }
}

}  // namespace shefu::cli
