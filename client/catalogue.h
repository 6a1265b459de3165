// What the need form offers as category and sub-item.
//
// Today that is the static list of 第八条 (shared/service_catalogue.h). Each district publishes
// an annual catalogue (第七条, shared/annual_catalogue.h) that narrows and describes it; once
// those records sync to devices, FormCatalogueFor() returns the district's published items
// instead, with source "synced" — the form and the C API read this structure and do not
// change. Codes are always the stable 第八条 sub-item codes, so needs stay comparable.
#pragma once

#include <string>
#include <vector>

#include "shared/i18n.h"
#include "shared/json_util.h"

namespace shefu::client {

struct FormSubItem {
  std::string code;
  Text name;
  bool other = false;  // needs a written reason (the "等" of 第八条)
};

struct FormCategory {
  std::string code;
  Text name;
  std::vector<FormSubItem> sub_items;
};

struct FormCatalogue {
  std::string source;  // "static" or "synced"
  std::vector<FormCategory> categories;
  Json ToJson(Lang lang) const;
};

// The catalogue for a user in `district` (synced one when there is one; static now).
FormCatalogue FormCatalogueFor(const std::string& district);

}  // namespace shefu::client
