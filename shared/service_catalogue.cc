#include "shared/service_catalogue.h"

namespace shefu {

const std::vector<ServiceCategory>& ServiceCategories() {
  static const std::vector<ServiceCategory> k = {
      {"party", {"党组织服务类", "Party-organisation services"}},
      {"basic", {"基本服务类", "basic services"}},
      {"special_groups", {"特殊群体服务类", "services for special groups"}},
      {"safety", {"平安建设类", "safety and security"}},
      {"community_building", {"社区营造类", "community building"}},
  };
  return k;
}

const std::vector<ServiceSubItem>& ServiceSubItems() {
  static const std::vector<ServiceSubItem> k = {
      // 第八条（一）
      {"party.hardship_aid", "party", {"困难群众帮扶", "help for people in hardship"}, false},
      {"party.cultural_sports", "party", {"群众性文体活动", "community culture and sports"}, false},
      {"party.micro_projects", "party", {"民生微实事", "livelihood micro-projects"}, false},
      {"party.other", "party", {"其他党组织服务", "other Party-organisation services"}, true},
      // 第八条（二）
      {"basic.social_assistance", "basic", {"社会救助", "social assistance"}, false},
      {"basic.elderly_care", "basic", {"居家养老", "home-based elderly care"}, false},
      {"basic.health", "basic", {"卫生健康", "health"}, false},
      {"basic.counselling", "basic", {"心理咨询", "psychological counselling"}, false},
      {"basic.education", "basic", {"社区教育", "community education"}, false},
      {"basic.employment", "basic", {"社区就业", "community employment"}, false},
      {"basic.other", "basic", {"其他基本服务", "other basic services"}, true},
      // 第八条（三）
      {"special_groups.disabled",
       "special_groups",
       {"残疾人服务", "services for people with disabilities"},
       false},
      {"special_groups.women_children",
       "special_groups",
       {"妇女儿童服务", "services for women and children"},
       false},
      {"special_groups.infants", "special_groups", {"婴幼儿服务", "services for infants"}, false},
      {"special_groups.veterans",
       "special_groups",
       {"退役军人服务", "services for veterans"},
       false},
      {"special_groups.other",
       "special_groups",
       {"其他特殊群体服务", "other special-group services"},
       true},
      // 第八条（四）
      {"safety.legal_aid", "safety", {"法律援助", "legal aid"}, false},
      {"safety.emergency", "safety", {"应急管理", "emergency management"}, false},
      {"safety.mediation", "safety", {"矛盾调解", "dispute mediation"}, false},
      {"safety.drug_rehab", "safety", {"社区戒毒", "community drug rehabilitation"}, false},
      {"safety.corrections", "safety", {"社区矫正", "community corrections"}, false},
      {"safety.resettlement", "safety", {"安置帮教", "resettlement and support"}, false},
      {"safety.other", "safety", {"其他平安建设服务", "other safety services"}, true},
      // 第八条（五）
      {"community_building.deliberation",
       "community_building",
       {"议事协商", "deliberation and consultation"},
       false},
      {"community_building.self_organisation",
       "community_building",
       {"自组织培育", "fostering self-organisation"},
       false},
      {"community_building.culture",
       "community_building",
       {"社区文化", "community culture"},
       false},
      {"community_building.space",
       "community_building",
       {"空间营造", "shaping shared spaces"},
       false},
      {"community_building.environment",
       "community_building",
       {"社区环境", "community environment"},
       false},
      {"community_building.volunteering",
       "community_building",
       {"志愿服务", "volunteering"},
       false},
      {"community_building.other",
       "community_building",
       {"其他社区营造服务", "other community building"},
       true},
  };
  return k;
}

const ServiceCategory* FindServiceCategory(std::string_view code) {
  for (const auto& c : ServiceCategories())
    if (code == c.code) return &c;
  return nullptr;
}

const ServiceSubItem* FindServiceSubItem(std::string_view code) {
  for (const auto& s : ServiceSubItems())
    if (code == s.code) return &s;
  return nullptr;
}

Status CheckServiceItem(std::string_view category, std::string_view sub_item,
                        std::string_view other_reason) {
  const ServiceCategory* c = FindServiceCategory(category);
  if (!c) {
    return Status::Error(
        "unknown_category", "服务类别“" + std::string(category.substr(0, 40)) + "”不在五类之内",
        "service category '" + std::string(category.substr(0, 40)) + "' is not one of the five",
        "第八条");
  }
  const ServiceSubItem* s = FindServiceSubItem(sub_item);
  if (!s) {
    return Status::Error(
        "unknown_sub_item", "服务子项“" + std::string(sub_item.substr(0, 60)) + "”不存在",
        "service sub-item '" + std::string(sub_item.substr(0, 60)) + "' does not exist", "第八条");
  }
  if (category != s->category) {
    return Status::Error("sub_item_category_mismatch",
                         "服务子项“" + s->name.zh + "”不属于“" + c->name.zh + "”",
                         "sub-item '" + s->name.en + "' is not in '" + c->name.en + "'", "第八条");
  }
  if (s->is_other) {
    bool blank = true;
    for (char ch : other_reason)
      if (ch != ' ' && ch != '\t' && ch != '\n') blank = false;
    if (blank) {
      return Status::Error("other_needs_reason", "选择“其他”子项时须说明理由",
                           "an 'other' sub-item needs a written reason", "第八条");
    }
  }
  return Status::Ok();
}

}  // namespace shefu
