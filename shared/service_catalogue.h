// The five service categories of 第八条 and their sub-items, with stable codes.
//
// Codes never change and are never reused: they are stored in records and sent over the wire.
// Each list in the article ends in "等", so every category has an "<category>.other" sub-item
// that is allowed only with a written reason (OTHER + reason).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "shared/i18n.h"
#include "shared/status.h"

namespace shefu {

struct ServiceSubItem {
  const char* code;      // "basic.elderly_care"
  const char* category;  // "basic"
  Text name;             // 居家养老 / home-based elderly care
  bool is_other;         // the "等" sub-item: needs a reason
};

struct ServiceCategory {
  const char* code;  // "party", "basic", "special_groups", "safety", "community_building"
  Text name;         // 党组织服务类 / Party-organisation services
};

const std::vector<ServiceCategory>& ServiceCategories();
const std::vector<ServiceSubItem>& ServiceSubItems();
const ServiceCategory* FindServiceCategory(std::string_view code);
const ServiceSubItem* FindServiceSubItem(std::string_view code);

// Checks that sub_item belongs to category, and that an "other" sub-item carries a reason.
// Errors: unknown_category, unknown_sub_item, sub_item_category_mismatch, other_needs_reason
// (all 第八条).
Status CheckServiceItem(std::string_view category, std::string_view sub_item,
                        std::string_view other_reason);

}  // namespace shefu
