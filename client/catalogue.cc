#include "client/catalogue.h"

#include <cstring>

#include "shared/service_catalogue.h"

namespace shefu::client {

Json FormCatalogue::ToJson(Lang lang) const {
  Json cats = Json::array();
  for (const auto& c : categories) {
    Json items = Json::array();
    for (const auto& s : c.sub_items)
      items.push_back({{"code", s.code}, {"name", s.name.in(lang)}, {"other", s.other}});
    cats.push_back({{"code", c.code}, {"name", c.name.in(lang)}, {"sub_items", std::move(items)}});
  }
  return {{"source", source}, {"categories", std::move(cats)}};
}

FormCatalogue FormCatalogueFor(const std::string& district) {
  (void)district;  // the synced annual catalogue is looked up here once it syncs
  FormCatalogue out;
  out.source = "static";
  for (const ServiceCategory& c : ServiceCategories()) {
    FormCategory fc{c.code, c.name, {}};
    for (const ServiceSubItem& s : ServiceSubItems())
      if (std::strcmp(s.category, c.code) == 0)
        fc.sub_items.push_back({s.code, s.name, s.is_other});
    out.categories.push_back(std::move(fc));
  }
  return out;
}

}  // namespace shefu::client
