// Parsing and validation of division data. Everything that could make a lookup wrong is checked
// here once, so the lookups in divisions.cc can trust the data:
//   - codes are unique across city, districts, towns and communities (ResolvePlace takes any);
//   - NBS codes have the right length and nest (a town code starts with its district's code);
//   - synthetic codes look synthetic ("ZH-..." districts, "<town>X<nn>" communities);
//   - every reference (town → district, community → town, management → both) exists;
//   - date windows are ordered and a town's management periods do not overlap;
//   - statistical units carry no communities (their NBS "virtual communities" are not 城乡社区).
#include <algorithm>
#include <cstdio>
#include <set>

#include "shared/divisions.h"
#include "shared/json_util.h"

namespace shefu {
namespace embedded {
extern const unsigned char zhuhai_divisions[];
extern const unsigned long zhuhai_divisions_size;
}  // namespace embedded

namespace {

Status BadDivisions(const std::string& where, const std::string& zh, const std::string& en) {
  return Status::Error("bad_divisions", "区划数据错误（" + where + "）：" + zh,
                       "bad division data (" + where + "): " + en);
}

// Re-labels a json_util error with the entry it happened in.
Status AtDivisions(const std::string& where, const Status& s) {
  return BadDivisions(where, s.zh(), s.en());
}

bool AllDigits(std::string_view s, size_t n) {
  return s.size() == n &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Status OptDivisionDate(const Json& obj, const char* key, const std::string& where,
                       std::optional<Date>* out) {
  auto s = OptString(obj, key, 10);
  if (!s.ok()) return AtDivisions(where, s.status());
  out->reset();
  if (!s->has_value()) return Status::Ok();
  auto d = ParseDate(**s);
  if (!d.ok()) return AtDivisions(where + "." + key, d.status());
  *out = *d;
  return Status::Ok();
}

Status CheckWindow(const std::optional<Date>& from, const std::optional<Date>& to,
                   const std::string& where) {
  if (from && to && *to < *from)
    return BadDivisions(where, "结束日期早于开始日期", "the window ends before it starts");
  return Status::Ok();
}

bool Overlap(const TownManagement& a, const TownManagement& b) {
  // Open ends reach infinitely far; windows are inclusive.
  bool a_before_b = a.to && b.from && *a.to < *b.from;
  bool b_before_a = b.to && a.from && *b.to < *a.from;
  return !a_before_b && !b_before_a;
}

}  // namespace

// Friend of Divisions: fills the private members.
class DivisionsLoader {
 public:
  static Result<Divisions> Load(const Json& root);

 private:
  Status Claim(const std::string& code, const std::string& where) {
    if (!codes_.insert(code).second)
      return BadDivisions(where, "代码重复：" + code, "duplicate code: " + code);
    return Status::Ok();
  }
  Status LoadCity(const Json& root);
  Status LoadDistrict(const Json& j, const std::string& where);
  Status LoadTown(const Json& j, const std::string& where);
  Status LoadCommunity(const Json& j, const Town& town, size_t index, const std::string& where);
  Status LoadManagement(const Json& j, const std::string& where);

  Divisions d_;
  std::set<std::string> codes_;
};

Status DivisionsLoader::LoadCity(const Json& root) {
  auto format = GetString(root, "format", 64);
  if (!format.ok()) return AtDivisions("format", format.status());
  if (*format != "shefu.divisions/1")
    return BadDivisions("format", "不支持的格式：" + *format, "unsupported format: " + *format);
  auto date = GetString(root, "data_date", 10);
  if (!date.ok()) return AtDivisions("data_date", date.status());
  if (!ParseDate(*date).ok())
    return BadDivisions("data_date", "日期无效：" + *date, "invalid date: " + *date);
  d_.data_date_ = *date;
  if (root.contains("notes")) {
    const Json& notes = root["notes"];
    if (!notes.is_array())
      return BadDivisions("notes", "应为字符串数组", "must be an array of strings");
    for (const auto& n : notes)
      if (!n.is_string())
        return BadDivisions("notes", "应为字符串数组", "must be an array of strings");
  }
  if (!root.contains("city") || !root["city"].is_object())
    return BadDivisions("city", "缺少市级信息", "the city entry is missing");
  const Json& city = root["city"];
  Status keys = CheckKeys(city, "code,name");
  if (!keys.ok()) return AtDivisions("city", keys);
  auto code = GetString(city, "code", 6);
  if (!code.ok()) return AtDivisions("city", code.status());
  if (!AllDigits(*code, 6))
    return BadDivisions("city.code", "市级代码应为6位数字", "the city code must be 6 digits");
  auto name = GetString(city, "name", 200, 1);
  if (!name.ok()) return AtDivisions("city", name.status());
  d_.city_code_ = *code;
  d_.city_name_ = *name;
  return Claim(*code, "city");
}

Status DivisionsLoader::LoadDistrict(const Json& j, const std::string& where) {
  Status keys = CheckKeys(j, "code,name,short_name,kind,synthetic,low_confidence,names,note");
  if (!keys.ok()) return AtDivisions(where, keys);
  District d;
  auto code = GetString(j, "code", 32, 1);
  if (!code.ok()) return AtDivisions(where, code.status());
  d.code = *code;
  std::string w = where + " " + d.code;
  auto name = GetString(j, "name", 200, 1);
  if (!name.ok()) return AtDivisions(w, name.status());
  d.name = *name;
  auto short_name = OptString(j, "short_name", 200);
  if (!short_name.ok()) return AtDivisions(w, short_name.status());
  d.short_name = short_name->value_or("");
  auto kind = GetString(j, "kind", 32);
  if (!kind.ok()) return AtDivisions(w, kind.status());
  if (*kind == "administrative") {
    d.kind = DistrictKind::kAdministrative;
  } else if (*kind == "hengqin") {
    d.kind = DistrictKind::kHengqin;
  } else if (*kind == "functional_zone") {
    d.kind = DistrictKind::kFunctionalZone;
  } else {
    return BadDivisions(w, "未知的区类型：" + *kind, "unknown district kind: " + *kind);
  }
  auto synthetic = OptBool(j, "synthetic");
  if (!synthetic.ok()) return AtDivisions(w, synthetic.status());
  d.synthetic = synthetic->value_or(false);
  auto low = OptBool(j, "low_confidence");
  if (!low.ok()) return AtDivisions(w, low.status());
  d.low_confidence = low->value_or(false);
  auto note = OptString(j, "note", 2000);
  if (!note.ok()) return AtDivisions(w, note.status());
  d.note = note->value_or("");

  // An administrative district has an NBS county code under the city; 横琴 and the functional
  // zones have none, so their codes are synthetic and must say so.
  if (d.kind == DistrictKind::kAdministrative) {
    if (d.synthetic || !AllDigits(d.code, 6) || d.code.compare(0, 4, d_.city_code_, 0, 4) != 0)
      return BadDivisions(w, "行政区应使用本市6位国家统计局代码",
                          "an administrative district needs a 6-digit NBS code of this city");
  } else {
    bool shaped = d.code.size() > 3 && d.code.compare(0, 3, "ZH-") == 0 &&
                  std::all_of(d.code.begin() + 3, d.code.end(), [](char c) {
                    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
                  });
    if (!d.synthetic || !shaped)
      return BadDivisions(
          w, "横琴和经济功能区没有统计代码，应使用标明为合成的“ZH-”代码",
          "横琴 and functional zones have no NBS code: use a 'ZH-' code marked synthetic");
  }
  if (j.contains("names")) {
    const Json& names = j["names"];
    if (!names.is_array()) return BadDivisions(w + ".names", "应为数组", "must be an array");
    for (const auto& n : names) {
      Status k = CheckKeys(n, "name,from,to");
      if (!k.ok()) return AtDivisions(w + ".names", k);
      NamePeriod p;
      auto pn = GetString(n, "name", 200, 1);
      if (!pn.ok()) return AtDivisions(w + ".names", pn.status());
      p.name = *pn;
      SHEFU_RETURN_IF_ERROR(OptDivisionDate(n, "from", w + ".names", &p.from));
      SHEFU_RETURN_IF_ERROR(OptDivisionDate(n, "to", w + ".names", &p.to));
      SHEFU_RETURN_IF_ERROR(CheckWindow(p.from, p.to, w + ".names " + p.name));
      d.names.push_back(std::move(p));
    }
  }
  SHEFU_RETURN_IF_ERROR(Claim(d.code, w));
  d_.district_index_.emplace(d.code, d_.districts_.size());
  d_.districts_.push_back(std::move(d));
  return Status::Ok();
}

Status DivisionsLoader::LoadCommunity(const Json& j, const Town& town, size_t index,
                                      const std::string& where) {
  Status keys = CheckKeys(j, "code,name,kind,synthetic,active_from,active_to");
  if (!keys.ok()) return AtDivisions(where, keys);
  Community c;
  c.town = town.code;
  auto code = GetString(j, "code", 32, 1);
  if (!code.ok()) return AtDivisions(where, code.status());
  c.code = *code;
  std::string w = where + " " + c.code;
  auto name = GetString(j, "name", 200, 1);
  if (!name.ok()) return AtDivisions(w, name.status());
  c.name = *name;
  auto kind = GetString(j, "kind", 32);
  if (!kind.ok()) return AtDivisions(w, kind.status());
  if (*kind == "residents_committee") {
    c.kind = CommunityKind::kResidentsCommittee;
  } else if (*kind == "villagers_committee") {
    c.kind = CommunityKind::kVillagersCommittee;
  } else {
    return BadDivisions(w, "未知的社区类型：" + *kind, "unknown community kind: " + *kind);
  }
  auto synthetic = OptBool(j, "synthetic");
  if (!synthetic.ok()) return AtDivisions(w, synthetic.status());
  c.synthetic = synthetic->value_or(false);
  // A synthetic code is exactly <town>X<nn>, nn the 1-based position in the town's list, so it
  // can never be mistaken for (or collide with) a 12-digit NBS code.
  if (c.synthetic) {
    char want[8];
    std::snprintf(want, sizeof want, "X%02zu", index + 1);
    if (c.code != town.code + want)
      return BadDivisions(w, "合成代码应为 " + town.code + want,
                          "a synthetic code must be " + town.code + want);
  } else if (!AllDigits(c.code, 12) || c.code.compare(0, 9, town.code) != 0) {
    return BadDivisions(w, "社区/村代码应为所属镇街代码开头的12位数字",
                        "a community code must be 12 digits starting with its town's code");
  }
  SHEFU_RETURN_IF_ERROR(OptDivisionDate(j, "active_from", w, &c.active_from));
  SHEFU_RETURN_IF_ERROR(OptDivisionDate(j, "active_to", w, &c.active_to));
  SHEFU_RETURN_IF_ERROR(CheckWindow(c.active_from, c.active_to, w));
  for (const auto& other : d_.communities_)
    if (other.town == c.town && other.name == c.name)
      return BadDivisions(w, "同一镇街内社区名称重复：" + c.name,
                          "duplicate community name in town: " + c.name);
  SHEFU_RETURN_IF_ERROR(Claim(c.code, w));
  d_.community_index_.emplace(c.code, d_.communities_.size());
  d_.communities_.push_back(std::move(c));
  return Status::Ok();
}

Status DivisionsLoader::LoadTown(const Json& j, const std::string& where) {
  Status keys = CheckKeys(j, "code,name,kind,district,communities");
  if (!keys.ok()) return AtDivisions(where, keys);
  Town t;
  auto code = GetString(j, "code", 32, 1);
  if (!code.ok()) return AtDivisions(where, code.status());
  t.code = *code;
  std::string w = where + " " + t.code;
  auto name = GetString(j, "name", 200, 1);
  if (!name.ok()) return AtDivisions(w, name.status());
  t.name = *name;
  auto kind = GetString(j, "kind", 32);
  if (!kind.ok()) return AtDivisions(w, kind.status());
  if (*kind == "town") {
    t.kind = TownKind::kTown;
  } else if (*kind == "subdistrict") {
    t.kind = TownKind::kSubdistrict;
  } else if (*kind == "stat_unit") {
    t.kind = TownKind::kStatUnit;
  } else {
    return BadDivisions(w, "未知的镇街类型：" + *kind, "unknown town kind: " + *kind);
  }
  auto district = GetString(j, "district", 32, 1);
  if (!district.ok()) return AtDivisions(w, district.status());
  t.statutory_district = *district;
  const District* d = d_.FindDistrict(t.statutory_district);
  if (!d)
    return BadDivisions(w, "所属区不存在：" + t.statutory_district,
                        "its district does not exist: " + t.statutory_district);
  if (d->kind != DistrictKind::kAdministrative)
    return BadDivisions(
        w, "法定所属区必须是行政区（功能区的托管关系写在 management 中）",
        "the statutory district must be administrative (functional-zone management goes "
        "in 'management')");
  if (!AllDigits(t.code, 9) || t.code.compare(0, 6, t.statutory_district) != 0)
    return BadDivisions(w, "镇街代码应为所属区代码开头的9位数字",
                        "a town code must be 9 digits starting with its district's code");
  SHEFU_RETURN_IF_ERROR(Claim(t.code, w));
  d_.town_index_.emplace(t.code, d_.towns_.size());
  d_.towns_.push_back(t);
  if (j.contains("communities")) {
    const Json& list = j["communities"];
    if (!list.is_array()) return BadDivisions(w + ".communities", "应为数组", "must be an array");
    if (t.kind == TownKind::kStatUnit && !list.empty())
      return BadDivisions(
          w, "统计单位下的虚拟社区不是城乡社区，不应列入",
          "a statistical unit's virtual communities are not 城乡社区 and must not be listed");
    for (size_t i = 0; i < list.size(); ++i)
      SHEFU_RETURN_IF_ERROR(
          LoadCommunity(list[i], t, i, w + ".communities[" + std::to_string(i) + "]"));
  }
  return Status::Ok();
}

Status DivisionsLoader::LoadManagement(const Json& j, const std::string& where) {
  Status keys = CheckKeys(j, "town,district,from,to");
  if (!keys.ok()) return AtDivisions(where, keys);
  TownManagement m;
  auto town = GetString(j, "town", 32, 1);
  if (!town.ok()) return AtDivisions(where, town.status());
  auto district = GetString(j, "district", 32, 1);
  if (!district.ok()) return AtDivisions(where, district.status());
  m.town = *town;
  m.district = *district;
  std::string w = where + " " + m.town + "→" + m.district;
  if (!d_.FindTown(m.town)) return BadDivisions(w, "镇街不存在", "the town does not exist");
  if (!d_.FindDistrict(m.district))
    return BadDivisions(w, "区不存在", "the district does not exist");
  SHEFU_RETURN_IF_ERROR(OptDivisionDate(j, "from", w, &m.from));
  SHEFU_RETURN_IF_ERROR(OptDivisionDate(j, "to", w, &m.to));
  SHEFU_RETURN_IF_ERROR(CheckWindow(m.from, m.to, w));
  for (const auto& other : d_.management_)
    if (other.town == m.town && Overlap(other, m))
      return BadDivisions(w, "同一镇街的托管期间重叠", "management periods of one town overlap");
  d_.management_.push_back(std::move(m));
  return Status::Ok();
}

Result<Divisions> DivisionsLoader::Load(const Json& root) {
  DivisionsLoader l;
  Status keys = CheckKeys(root, "format,data_date,notes,city,districts,management,towns");
  if (!keys.ok()) return AtDivisions("root", keys);
  SHEFU_RETURN_IF_ERROR(l.LoadCity(root));
  for (const char* list : {"districts", "towns"})
    if (!root.contains(list) || !root[list].is_array() || root[list].empty())
      return BadDivisions(list, "缺少或为空", "missing or empty");
  const Json& districts = root["districts"];
  for (size_t i = 0; i < districts.size(); ++i)
    SHEFU_RETURN_IF_ERROR(l.LoadDistrict(districts[i], "districts[" + std::to_string(i) + "]"));
  const Json& towns = root["towns"];
  for (size_t i = 0; i < towns.size(); ++i)
    SHEFU_RETURN_IF_ERROR(l.LoadTown(towns[i], "towns[" + std::to_string(i) + "]"));
  if (root.contains("management")) {
    const Json& m = root["management"];
    if (!m.is_array()) return BadDivisions("management", "应为数组", "must be an array");
    for (size_t i = 0; i < m.size(); ++i)
      SHEFU_RETURN_IF_ERROR(l.LoadManagement(m[i], "management[" + std::to_string(i) + "]"));
  }
  return std::move(l.d_);
}

Result<Divisions> Divisions::Parse(std::string_view json_text) {
  auto j = ParseJson(json_text);
  if (!j.ok()) return BadDivisions("json", j.status().zh(), j.status().en());
  return DivisionsLoader::Load(*j);
}

Result<Divisions> Divisions::LoadFile(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f)
    return Status::Error("divisions_file_unreadable", "无法读取区划数据文件：" + path,
                         "cannot read the division data file: " + path);
  std::string text;
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) {
    text.append(buf, n);
    if (text.size() > (64u << 20)) break;  // no real division file is anywhere near 64 MiB
  }
  bool err = std::ferror(f) != 0;
  std::fclose(f);
  if (err || text.size() > (64u << 20))
    return Status::Error("divisions_file_unreadable", "无法读取区划数据文件：" + path,
                         "cannot read the division data file: " + path);
  return Parse(text);
}

Result<Divisions> Divisions::LoadEmbedded() {
  return Parse(std::string_view(reinterpret_cast<const char*>(embedded::zhuhai_divisions),
                                embedded::zhuhai_divisions_size));
}

}  // namespace shefu
