// 第十一条: the six kinds of project that may never be bought as a social-organisation service.
//
//   （一）股本投入、现金投资等经营性项目            business_investment
//   （二）偿还城乡社区债务                          debt_repayment
//   （三）市政道路及附属设施的维护维修              road_maintenance
//   （四）聘用专职消防员、保洁员、治安巡逻员等费用  staff_hiring
//   （五）镇街、社区不是责任主体的公共服务项目      not_responsible
//   （六）不适合购买社会组织服务的项目              unsuitable
//
// Two checks, of different strength:
//   - A proposal that DECLARES one of the kinds (the proposer or reviewer ticks it on the
//     checklist) is rejected: an error naming 第十一条 and the item. This is the hard block.
//   - Keyword screening of the title and description only WARNS ("保洁" may be a cleaning
//     programme run by volunteers, "投资" a financial-literacy class): a person decides, and the
//     warning names the item it suspects. Items (五) and (六) have no keywords: they need the
//     reviewer's judgement and a written reason.
// Codes are stable wire values; never renumber or reuse them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "shared/findings.h"
#include "shared/i18n.h"

namespace shefu {

enum class ProhibitedKind {
  kBusinessInvestment,  // （一）
  kDebtRepayment,       // （二）
  kRoadMaintenance,     // （三）
  kStaffHiring,         // （四）
  kNotResponsible,      // （五）
  kUnsuitable,          // （六）
};

struct ProhibitedItem {
  ProhibitedKind kind;
  const char* code;    // "staff_hiring"
  const char* clause;  // "（四）"
  Text name;           // the article's wording, and an English rendering
  // Words in a title or description that suggest this item (screening warns, never blocks).
  std::vector<std::string> keywords;
};

// The six items in the article's order.
const std::vector<ProhibitedItem>& ProhibitedItems();
const ProhibitedItem* FindProhibitedItem(std::string_view code);
const ProhibitedItem& GetProhibitedItem(ProhibitedKind kind);

// Errors, one per declared item: "prohibited_item" (第十一条, naming the clause and item), or
// "unknown_prohibited_item" for a code that is not one of the six.
Findings CheckDeclaredProhibited(const std::vector<std::string>& declared_codes);

// Warnings "suspected_prohibited_item" (第十一条), at most one per item, naming the item and the
// word that matched. Phrases that merely contain a keyword ("确保安全" contains "保安") are
// ignored.
Findings ScreenProhibited(std::string_view title, std::string_view description);

// Both checks: what a proposal goes through at submission and at review.
Findings CheckProhibited(const std::vector<std::string>& declared_codes, std::string_view title,
                         std::string_view description);

}  // namespace shefu
