#include "shared/prohibited.h"

namespace shefu {
namespace {

// Phrases that contain a keyword without meaning it. They are blanked out before matching.
const std::vector<std::string>& FalseFriends() {
  static const std::vector<std::string> k = {
      "确保安全", "保安全",  // "ensure safety" contains 保安 (security guard)
      "社会工程",            // social engineering as a discipline, not construction works
  };
  return k;
}

std::string Blank(std::string text) {
  for (const auto& phrase : FalseFriends()) {
    for (size_t pos = text.find(phrase); pos != std::string::npos; pos = text.find(phrase, pos))
      text.replace(pos, phrase.size(), std::string(phrase.size(), ' '));
  }
  return text;
}

std::string ItemLabelZh(const ProhibitedItem& p) {
  return std::string(p.clause) + p.name.zh;
}

}  // namespace

const std::vector<ProhibitedItem>& ProhibitedItems() {
  static const std::vector<ProhibitedItem> k = {
      {ProhibitedKind::kBusinessInvestment,
       "business_investment",
       "（一）",
       {"股本投入、现金投资等经营性项目",
        "equity or cash investment and other commercial projects"},
       {"入股", "股本", "参股", "投资", "理财产品", "经营性"}},
      {ProhibitedKind::kDebtRepayment,
       "debt_repayment",
       "（二）",
       {"偿还城乡社区债务", "repaying debts of urban or rural communities"},
       {"债务", "还款", "还债", "偿还", "欠款"}},
      {ProhibitedKind::kRoadMaintenance,
       "road_maintenance",
       "（三）",
       {"市政道路及附属设施的维护维修",
        "maintenance and repair of municipal roads and their ancillary facilities"},
       {"道路", "维修", "工程", "路面", "路灯", "井盖", "市政设施"}},
      {ProhibitedKind::kStaffHiring,
       "staff_hiring",
       "（四）",
       {"镇（街道）、城乡社区聘用专职消防员、保洁员、治安巡逻员等费用",
        "costs of towns or communities hiring full-time firefighters, cleaners, security patrols "
        "and the like"},
       {"消防员", "保洁", "巡逻", "保安", "治安员", "派遣", "用工", "聘用", "公益性岗位"}},
      {ProhibitedKind::kNotResponsible,
       "not_responsible",
       "（五）",
       {"相关文件明确规定镇（街道）、城乡社区不是责任主体的公共服务项目",
        "public services for which the rules say the town or community is not responsible"},
       {}},
      {ProhibitedKind::kUnsuitable,
       "unsuitable",
       "（六）",
       {"不适合购买社会组织服务的项目",
        "projects unsuitable for purchase from social organisations"},
       {}},
  };
  return k;
}

const ProhibitedItem* FindProhibitedItem(std::string_view code) {
  for (const auto& p : ProhibitedItems())
    if (code == p.code) return &p;
  return nullptr;
}

const ProhibitedItem& GetProhibitedItem(ProhibitedKind kind) {
  return ProhibitedItems()[static_cast<size_t>(kind)];
}

Findings CheckDeclaredProhibited(const std::vector<std::string>& declared_codes) {
  Findings f;
  for (const auto& code : declared_codes) {
    const ProhibitedItem* p = FindProhibitedItem(code);
    if (!p) {
      std::string c = code.substr(0, 40);
      f.Error("unknown_prohibited_item",
              {"未知的禁止项目类别：" + c, "unknown prohibited kind: " + c}, "第十一条");
      continue;
    }
    f.Error("prohibited_item",
            {"禁止列为镇（街道）购买社会组织服务项目：" + ItemLabelZh(*p),
             std::string("may not be bought as a social-organisation service: item ") + p->clause +
                 " " + p->name.en},
            "第十一条");
  }
  return f;
}

Findings ScreenProhibited(std::string_view title, std::string_view description) {
  Findings f;
  std::string text = Blank(std::string(title) + "\n" + std::string(description));
  for (const auto& p : ProhibitedItems()) {
    for (const auto& word : p.keywords) {
      if (text.find(word) == std::string::npos) continue;
      f.Warn("suspected_prohibited_item",
             {"标题或内容含“" + word + "”，可能属于禁止项目" + ItemLabelZh(p) + "，请审核确认",
              "the title or description contains '" + word + "': this may be prohibited item " +
                  p.clause + " " + p.name.en + "; a reviewer must confirm"},
             "第十一条");
      break;  // one warning per item is enough
    }
  }
  return f;
}

Findings CheckProhibited(const std::vector<std::string>& declared_codes, std::string_view title,
                         std::string_view description) {
  Findings f = CheckDeclaredProhibited(declared_codes);
  f.Merge(ScreenProhibited(title, description));
  return f;
}

}  // namespace shefu
