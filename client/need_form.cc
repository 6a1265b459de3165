#include "client/need_form.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <tuple>

#include "shared/civil_time.h"
#include "shared/crypto.h"
#include "shared/masking.h"
#include "shared/need.h"
#include "shared/service_catalogue.h"

namespace shefu::client {
namespace {

const std::set<std::string, std::less<>> kFormFields = {
    "community",    "building",    "unit",   "room",    "category", "sub_item",
    "other_reason", "description", "people", "urgency", "phone",    "id_number"};

bool Has(const Json& form, const char* key) {
  return form.contains(key) && !form[key].is_null();
}

Status Bad(const std::string& code, const std::string& zh, const std::string& en) {
  return Status::Error(code, zh, en);
}

// A text field: a string without control characters, at most `max` bytes, trimmed.
Result<std::string> FormText(const Json& form, const char* key, size_t max, const std::string& code,
                             const shefu::Text& label) {
  const Json& v = form[key];
  if (!v.is_string()) return Bad(code, label.zh + "必须是文字", label.en + " must be text");
  std::string s = v.get<std::string>();
  if (!IsValidUtf8(s))
    return Bad(code, label.zh + "不是有效的文字", label.en + " is not valid text");
  for (unsigned char ch : s)
    if (ch < 0x20 && ch != '\n')
      return Bad(code, label.zh + "含有控制字符", label.en + " contains control characters");
  size_t b = s.find_first_not_of(" \t\n"), e = s.find_last_not_of(" \t\n");
  s = b == std::string::npos ? "" : s.substr(b, e - b + 1);
  if (s.size() > max)
    return Bad(code, label.zh + "太长（最多 " + std::to_string(max) + " 字节）",
               label.en + " is too long (at most " + std::to_string(max) + " bytes)");
  return s;
}

Result<int64_t> People(const Json& v) {
  auto bad = [] {
    return Bad("bad_people", "人数应为 1 到 100000 之间的整数",
               "people must be a whole number from 1 to 100000");
  };
  int64_t n = 0;
  if (v.is_number_integer()) {
    n = v.get<int64_t>();
  } else if (v.is_string()) {
    std::string s = v.get<std::string>();
    if (s.empty() || s.size() > 7 ||
        !std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c) != 0; }))
      return bad();
    n = std::stoll(s);
  } else {
    return bad();
  }
  if (n < 1 || n > 100000) return bad();
  return n;
}

Status CheckCommunity(const std::string& code, const NeedFormContext& ctx) {
  Place p;
  if (!ctx.places.ResolvePlace(code, &p) || p.community.empty())
    return Bad("unknown_community", "社区/村代码不存在：" + code.substr(0, 32),
               "unknown community code: " + code.substr(0, 32));
  if (!ScopeContains(ctx.scope, p))
    return Bad("out_of_scope", "你只能登记自己负责范围内的社区的需求",
               "you can only record needs in the communities you serve");
  return Status::Ok();
}

std::string Upper(std::string s) {
  for (char& ch : s)
    if (ch == 'x') ch = 'X';
  return s;
}

// The category group from form fields, falling back to `current` for fields not given.
Result<Json> CategoryGroup(const Json& form, const Json* current) {
  std::string category, sub_item, reason;
  if (current && current->is_object()) {
    category = current->value("category", "");
    sub_item = current->value("sub_item", "");
    reason = current->value("other_reason", "");
  }
  if (Has(form, "sub_item")) {
    auto s = FormText(form, "sub_item", 96, "unknown_sub_item", {"服务子项", "sub_item"});
    if (!s.ok()) return s.status();
    sub_item = *s;
    category = sub_item.substr(0, sub_item.find('.'));
    if (!Has(form, "other_reason")) reason.clear();
  }
  if (Has(form, "category")) {
    auto c = FormText(form, "category", 64, "unknown_category", {"服务类别", "category"});
    if (!c.ok()) return c.status();
    if (!FindServiceCategory(*c))
      return Bad("unknown_category", "服务类别不存在：" + c->substr(0, 64),
                 "unknown service category: " + c->substr(0, 64));
    if (!Has(form, "sub_item") && *c != category)
      return Bad("missing_field", "更换服务类别时需要同时选择服务子项",
                 "changing the category needs a sub_item too");
    category = *c;
  }
  if (Has(form, "other_reason")) {
    auto r = FormText(form, "other_reason", 600, "bad_other_reason", {"其他说明", "other_reason"});
    if (!r.ok()) return r.status();
    reason = *r;
  }
  if (sub_item.empty())
    return Bad("missing_field", "缺少服务子项（sub_item）", "sub_item is missing");
  if (!FindServiceSubItem(sub_item))
    return Bad("unknown_sub_item", "服务子项不存在：" + sub_item.substr(0, 96),
               "unknown service sub-item: " + sub_item.substr(0, 96));
  SHEFU_RETURN_IF_ERROR(CheckServiceItem(category, sub_item, reason));
  Json g = {{"category", category}, {"sub_item", sub_item}};
  if (!reason.empty()) g["other_reason"] = reason;
  return g;
}

// The contact group; seals the ID number when `seal` (else only checks it).
Result<Json> ContactGroup(const Json& form, const Json* current, const NeedFormContext& ctx,
                          bool seal) {
  Json g = current && current->is_object() ? *current : Json::object();
  if (Has(form, "phone")) {
    auto p = FormText(form, "phone", 20, "bad_phone", {"电话", "phone"});
    if (!p.ok()) return p.status();
    if (p->empty()) {
      g.erase("phone");
    } else {
      SHEFU_RETURN_IF_ERROR(CheckPhone(*p));
      g["phone"] = *p;
    }
  }
  if (Has(form, "id_number")) {
    auto raw = FormText(form, "id_number", 18, "bad_id_number", {"身份证号码", "id_number"});
    if (!raw.ok())
      return Bad("bad_id_number", "身份证号码无效（应为18位，校验位正确）",
                 "invalid ID-card number (18 characters with a valid check digit)");
    std::string id = Upper(*raw);
    if (id.empty()) {
      g.erase("id_masked");
      g.erase("id_sealed");
    } else {
      SHEFU_RETURN_IF_ERROR(CheckIdNumber(id));
      if (seal) {
        if (ctx.seal_key.empty())
          return Bad(
              "not_enrolled", "设备登记后才能录入身份证号码（需要服务器的加密公钥）",
              "ID numbers can be recorded only after enrolment (the server's key is needed)");
        auto sealed = crypto::Seal(ctx.seal_key, id);
        if (!sealed.ok()) return sealed.status();
        g["id_masked"] = MaskIdNumber(id);
        g["id_sealed"] = crypto::Base64(*sealed);
      }
    }
  }
  return g;
}

Status CheckFields(const Json& form, const NeedFormContext& ctx) {
  if (!form.is_object())
    return Bad("bad_form", "需求表单必须是 JSON 对象", "a need form must be a JSON object");
  for (const auto& [k, v] : form.items()) {
    if (!kFormFields.count(k))
      return Bad("unknown_field", "未知的字段：" + k.substr(0, 40),
                 "unknown field: " + k.substr(0, 40));
  }
  if (Has(form, "community")) {
    auto c = FormText(form, "community", 32, "unknown_community", {"社区", "community"});
    if (!c.ok()) return c.status();
    SHEFU_RETURN_IF_ERROR(CheckCommunity(*c, ctx));
  }
  for (auto [key, max, label] : {std::tuple{"building", 64, shefu::Text{"楼栋", "building"}},
                                 {"unit", 32, shefu::Text{"单元", "unit"}},
                                 {"room", 32, shefu::Text{"房号", "room"}}}) {
    if (!Has(form, key)) continue;
    auto s = FormText(form, key, static_cast<size_t>(max), "bad_address", label);
    if (!s.ok()) return s.status();
  }
  if (Has(form, "description")) {
    auto d = FormText(form, "description", 6000, "bad_description", {"描述", "description"});
    if (!d.ok()) return d.status();
    if (d->empty()) return Bad("bad_description", "描述不能为空", "description must not be empty");
  }
  if (Has(form, "people")) {
    auto n = People(form["people"]);
    if (!n.ok()) return n.status();
  }
  if (Has(form, "urgency")) {
    const Json& u = form["urgency"];
    std::string s = u.is_string() ? u.get<std::string>() : "";
    if (s != "low" && s != "normal" && s != "high" && s != "urgent")
      return Bad("bad_urgency",
                 "紧急程度只能是 low（不急）、normal（一般）、high（较急）、urgent（紧急）",
                 "urgency must be low, normal, high or urgent");
  }
  if (Has(form, "sub_item") || Has(form, "category") || Has(form, "other_reason")) {
    if (Has(form, "sub_item")) {
      auto g = CategoryGroup(form, nullptr);
      if (!g.ok()) return g.status();
    } else if (Has(form, "category")) {
      auto c = FormText(form, "category", 64, "unknown_category", {"服务类别", "category"});
      if (!c.ok()) return c.status();
      if (!FindServiceCategory(*c))
        return Bad("unknown_category", "服务类别不存在：" + c->substr(0, 64),
                   "unknown service category: " + c->substr(0, 64));
    }
  }
  auto contact = ContactGroup(form, nullptr, ctx, /*seal=*/false);
  return contact.ok() ? Status::Ok() : contact.status();
}

std::string FormStr(const Json& o, const char* k) {
  if (!o.is_object()) return "";
  auto it = o.find(k);
  return it != o.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

Status CheckNeedForm(const Json& form, const NeedFormContext& ctx) {
  return CheckFields(form, ctx);
}

Result<GroupValues> NeedGroupsFromForm(const Json& form, const NeedFormContext& ctx,
                                       const StoredRecord* current) {
  SHEFU_RETURN_IF_ERROR(CheckFields(form, ctx));
  auto text = [&](const char* k) { return FormText(form, k, 6000, "bad_field", {k, k}).value(); };
  GroupValues out;
  if (!current) {
    std::vector<std::string> missing;
    if (!Has(form, "sub_item")) missing.push_back("sub_item");
    if (!Has(form, "description")) missing.push_back("description");
    if (!Has(form, "people")) missing.push_back("people");
    if (!Has(form, "community") && ctx.scope.community.empty()) missing.push_back("community");
    if (!missing.empty()) {
      std::string list;
      for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
      return Bad("missing_field", "缺少必填项：" + list, "required fields are missing: " + list);
    }
    std::string community = Has(form, "community") ? text("community") : ctx.scope.community;
    SHEFU_RETURN_IF_ERROR(CheckCommunity(community, ctx));
    Json place = {{"community", community}};
    for (const char* k : {"building", "unit", "room"})
      if (Has(form, k) && !text(k).empty()) place[k] = text(k);
    out.emplace_back("place", std::move(place));
  } else if (Has(form, "community") || Has(form, "building") || Has(form, "unit") ||
             Has(form, "room")) {
    return Bad("immutable_group", "地址在登记后不能修改；如登记错了，请撤回后重新登记",
               "the address cannot change after the need is recorded; withdraw it and record "
               "it again");
  }
  auto cur = [&](const char* g) -> const Json* {
    if (!current) return nullptr;
    const StoredGroup* s = current->Find(g);
    return s ? &s->value : nullptr;
  };
  if (Has(form, "sub_item") || Has(form, "category") || Has(form, "other_reason")) {
    auto g = CategoryGroup(form, cur("category"));
    if (!g.ok()) return g.status();
    out.emplace_back("category", std::move(*g));
  }
  if (Has(form, "description"))
    out.emplace_back("description", Json{{"text", text("description")}});
  if (Has(form, "people"))
    out.emplace_back("people", Json{{"count", People(form["people"]).value()}});
  if (Has(form, "urgency"))
    out.emplace_back("urgency", Json{{"level", form["urgency"].get<std::string>()}});
  if (Has(form, "phone") || Has(form, "id_number")) {
    auto g = ContactGroup(form, cur("contact"), ctx, /*seal=*/true);
    if (!g.ok()) return g.status();
    if (!g->empty() || current) out.emplace_back("contact", std::move(*g));
  }
  if (!current && !Has(form, "urgency")) out.emplace_back("urgency", Json{{"level", "normal"}});
  if (current && out.empty())
    return Bad("nothing_to_change", "没有要修改的内容", "nothing to change");
  return out;
}

std::string FormatAddress(const Json& place, Lang lang) {
  auto alnum = [](const std::string& s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isalnum(c); });
  };
  std::string b = FormStr(place, "building"), u = FormStr(place, "unit"),
              r = FormStr(place, "room");
  std::string out;
  auto add = [&](const std::string& part, const char* zh_suffix, const char* en_prefix) {
    if (part.empty()) return;
    if (lang == Lang::kZh) {
      out += (out.empty() ? "" : " ") + part + (alnum(part) ? zh_suffix : "");
    } else {
      out += (out.empty() ? "" : ", ") + (alnum(part) ? std::string(en_prefix) : "") + part;
    }
  };
  add(b, "栋", "Bldg ");
  add(u, "单元", "Unit ");
  add(r, "室", "Room ");
  return out;
}

std::string ShortId(const std::string& id) {
  return id.size() <= 8 ? id : id.substr(id.size() - 8);
}

Text NeedFieldName(const std::string& group) {
  if (group == "place") return {"地址", "address"};
  if (group == "category") return {"服务类别", "category"};
  if (group == "description") return {"描述", "description"};
  if (group == "people") return {"人数", "number of people"};
  if (group == "urgency") return {"紧急程度", "urgency"};
  if (group == "contact") return {"联系方式", "contact"};
  if (group == "status") return {"状态", "status"};
  if (group == "_deleted") return {"删除标记", "deletion"};
  if (group == "record") return {"记录", "record"};
  return {group, group};
}

std::string NeedValueText(const std::string& group, const Json& v, Lang lang) {
  if (group == "people" && v.is_object() && v.contains("count") && v["count"].is_number_integer())
    return std::to_string(v["count"].get<int64_t>());
  if (group == "description") {
    std::string t = FormStr(v, "text");
    // At most ~30 characters (UTF-8 safe cut).
    size_t chars = 0, i = 0;
    for (; i < t.size() && chars < 30; ++chars) {
      unsigned char c = static_cast<unsigned char>(t[i]);
      i += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    }
    return "“" + t.substr(0, i) + (i < t.size() ? "…" : "") + "”";
  }
  if (group == "urgency") return UrgencyName(FormStr(v, "level")).in(lang);
  if (group == "status") return NeedStateName(FormStr(v, "state")).in(lang);
  if (group == "category") {
    const ServiceSubItem* s = FindServiceSubItem(FormStr(v, "sub_item"));
    return s ? s->name.in(lang) : FormStr(v, "sub_item");
  }
  if (group == "contact") {
    std::string p = FormStr(v, "phone"), id = FormStr(v, "id_masked");
    std::string out = p.empty() ? "" : MaskPhone(p);
    if (!id.empty()) out += (out.empty() ? "" : " ") + id;
    return out.empty() ? (lang == Lang::kZh ? "（无）" : "(none)") : out;
  }
  if (group == "place") return FormatAddress(v, lang);
  if (group == "_deleted")
    return v.is_boolean() && v.get<bool>() ? (lang == Lang::kZh ? "删除" : "deleted")
                                           : (lang == Lang::kZh ? "恢复" : "restored");
  return DumpJson(v);
}

Json NeedToJson(const StoredRecord& r, const Divisions& places, const NeedViewOptions& opt) {
  auto group = [&](const char* g) -> Json {
    const StoredGroup* s = r.Find(g);
    return s ? s->value : Json::object();
  };
  Json place = group("place"), cat = group("category"), contact = group("contact"),
       status = group("status");
  std::string community = FormStr(place, "community");
  const Community* cm = places.FindCommunity(community);
  std::string sub = FormStr(cat, "sub_item");
  const ServiceSubItem* si = FindServiceSubItem(sub);
  const ServiceCategory* sc = FindServiceCategory(FormStr(cat, "category"));
  std::string state = FormStr(status, "state");
  if (state.empty()) state = "open";
  std::string level = FormStr(group("urgency"), "level");
  if (level.empty()) level = "normal";
  const Json people = group("people");
  const StoredGroup* pg = r.Find("place");
  Json j = {{"id", r.id},
            {"short_id", ShortId(r.id)},
            {"community", community},
            {"community_name", cm ? cm->name : community},
            {"building", FormStr(place, "building")},
            {"unit", FormStr(place, "unit")},
            {"room", FormStr(place, "room")},
            {"address", FormatAddress(place, opt.lang)},
            {"category", FormStr(cat, "category")},
            {"category_name", sc ? sc->name.in(opt.lang) : FormStr(cat, "category")},
            {"sub_item", sub},
            {"sub_item_name", si ? si->name.in(opt.lang) : sub},
            {"other_reason", FormStr(cat, "other_reason")},
            {"description", FormStr(group("description"), "text")},
            {"people", people.is_object() && people.contains("count") ? people["count"] : Json(0)},
            {"urgency", level},
            {"urgency_name", UrgencyName(level).in(opt.lang)},
            {"phone_masked",
             FormStr(contact, "phone").empty() ? "" : MaskPhone(FormStr(contact, "phone"))},
            {"id_masked", FormStr(contact, "id_masked")},
            {"state", state},
            {"state_name", NeedStateName(state).in(opt.lang)},
            {"state_reason", FormStr(status, "reason")},
            {"support", opt.support},
            {"created", pg ? FormatUtcIso(pg->stamp_ms) : ""},
            {"unsent", opt.unsent},
            {"deleted", r.deleted}};
  if (opt.with_phone) j["phone"] = FormStr(contact, "phone");
  return j;
}

}  // namespace shefu::client
