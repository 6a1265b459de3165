#include "shared/eligibility.h"

#include <algorithm>

#include "shared/service_catalogue.h"

namespace shefu {
namespace {

// The four conditions 第十六条 names, for messages.
enum class Forbidden { kFoundingYears, kRegistrationPlace, kSize, kGrade };

Text ForbiddenName(Forbidden f) {
  switch (f) {
    case Forbidden::kFoundingYears:
      return {"成立年限", "founding years"};
    case Forbidden::kRegistrationPlace:
      return {"注册所在地", "registration place"};
    case Forbidden::kSize:
      return {"规模", "size"};
    case Forbidden::kGrade:
      return {"评估等级", "evaluation grade"};
  }
  return {"", ""};
}

struct PhraseGroup {
  Forbidden what;
  std::vector<std::string> phrases;  // normalised: lower-case ASCII, half-width, no spaces
};

// Phrases that turn a requirement into one 第十六条 forbids. Deliberately broad: a false refusal
// costs a rewording, a false acceptance excludes an organisation unlawfully.
const std::vector<PhraseGroup>& ForbiddenPhrases() {
  // clang-format off
  static const std::vector<PhraseGroup> k = {
      {Forbidden::kFoundingYears,
       {"成立满", "成立年限", "成立时间", "成立日期", "成立以来", "成立不少于", "成立超过",
        "成立未满", "成立不满", "注册满", "登记满", "运营满", "年以上", "年及以上", "年(含)以上",
        "founded", "established", "founding", "yearsofoperation", "yearsold"}},
      {Forbidden::kRegistrationPlace,
       {"注册地", "登记地", "注册所在地", "登记所在地", "本地注册", "本地登记", "本市注册",
        "本市登记", "本区注册", "本区登记", "本地社会组织", "本地机构", "属地社会组织",
        "属地注册", "属地登记", "珠海注册", "珠海登记", "珠海市注册", "珠海市登记", "珠海市民政",
        "香洲区民政", "斗门区民政", "金湾区民政", "registeredin", "registrationplace",
        "placeofregistration", "locallyregistered", "localorganisation", "localorganization"}},
      {Forbidden::kSize,
       {"规模", "注册资本", "注册资金", "开办资金", "净资产", "资产总额", "总资产", "年收入",
        "年度收入", "营业收入", "员工人数", "职工人数", "工作人员数", "从业人员",
        "registeredcapital", "netassets", "annualincome", "annualrevenue", "staffcount",
        "headcount", "numberofemployees"}},
      {Forbidden::kGrade,
       {"评估等级", "等级评估", "1a", "2a", "3a", "4a", "5a", "aaa", "a级", "一a", "二a", "三a",
        "四a", "五a", "evaluationgrade"}},
  };
  // clang-format on
  return k;
}

// Kinds someone might try, each mapped to the condition it would smuggle in.
struct ForbiddenKind {
  const char* code;
  Forbidden what;
};
const ForbiddenKind kForbiddenKinds[] = {
    {"founding_years", Forbidden::kFoundingYears},
    {"founded_before", Forbidden::kFoundingYears},
    {"founding_date", Forbidden::kFoundingYears},
    {"established_on", Forbidden::kFoundingYears},
    {"min_years", Forbidden::kFoundingYears},
    {"registered_in", Forbidden::kRegistrationPlace},
    {"registration_place", Forbidden::kRegistrationPlace},
    {"registered_area", Forbidden::kRegistrationPlace},
    {"local_registration", Forbidden::kRegistrationPlace},
    {"registrar", Forbidden::kRegistrationPlace},
    {"registered_capital", Forbidden::kSize},
    {"net_assets", Forbidden::kSize},
    {"annual_income", Forbidden::kSize},
    {"staff_count", Forbidden::kSize},
    {"scale", Forbidden::kSize},
    {"size", Forbidden::kSize},
    {"evaluation_grade", Forbidden::kGrade},
    {"grade", Forbidden::kGrade},
};

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    *out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    *out += static_cast<char>(0xC0 | (cp >> 6));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *out += static_cast<char>(0xE0 | (cp >> 12));
    *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    *out += static_cast<char>(0xF0 | (cp >> 18));
    *out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Lower-case ASCII, full-width ASCII folded to half-width, whitespace and zero-width characters
// removed. Bytes that do not decode are dropped.
std::string Normalise(std::string_view s) {
  std::string out;
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    uint32_t cp;
    size_t len;
    if (c < 0x80) {
      cp = c, len = 1;
    } else if ((c & 0xE0) == 0xC0) {
      cp = c & 0x1F, len = 2;
    } else if ((c & 0xF0) == 0xE0) {
      cp = c & 0x0F, len = 3;
    } else if ((c & 0xF8) == 0xF0) {
      cp = c & 0x07, len = 4;
    } else {
      ++i;
      continue;
    }
    if (i + len > s.size()) break;
    for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    i += len;
    if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0;  // full-width ASCII
    if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0x3000 || cp == 0xA0 ||
        (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF)
      continue;
    if (cp >= 'A' && cp <= 'Z') cp += 'a' - 'A';
    AppendUtf8(cp, &out);
  }
  return out;
}

Status NotAllowed(const std::string& zh, const std::string& en) {
  return Status::Error("criterion_not_allowed", zh, en, "第十六条");
}

Status ForbiddenStatus(Forbidden f, const std::string& what_zh, const std::string& what_en) {
  Text n = ForbiddenName(f);
  return NotAllowed(
      "不得将社会组织" + n.zh + "作为资格必须条件（" + what_zh + "）",
      "an organisation's " + n.en + " may not be a required qualification (" + what_en + ")");
}

Status ScreenText(const std::string& text, const char* field) {
  const std::string normalised = Normalise(text);
  for (const auto& g : ForbiddenPhrases())
    for (const auto& p : g.phrases)
      if (normalised.find(p) != std::string::npos)
        return ForbiddenStatus(g.what, std::string(field) + "含“" + p + "”",
                               std::string(field) + " contains '" + p + "'");
  return Status::Ok();
}

Status BadCriterion(const std::string& zh, const std::string& en) {
  return Status::Error("bad_criterion", "资格条件无效：" + zh, "invalid criterion: " + en,
                       "第十六条");
}

bool ClaimTextOk(const std::string& s, size_t max) {
  return !s.empty() && s.size() <= max && IsValidUtf8(s);
}

}  // namespace

const char* CriterionKindCode(CriterionKind k) {
  switch (k) {
    case CriterionKind::kCreditGood:
      return "credit_good";
    case CriterionKind::kLicence:
      return "licence";
    case CriterionKind::kServiceScope:
      return "service_scope";
    case CriterionKind::kCapability:
      return "capability";
  }
  return "unknown";
}

const std::vector<CriterionKind>& AllCriterionKinds() {
  static const std::vector<CriterionKind> k = {CriterionKind::kCreditGood, CriterionKind::kLicence,
                                               CriterionKind::kServiceScope,
                                               CriterionKind::kCapability};
  return k;
}

std::optional<std::string> FindForbiddenCondition(std::string_view text) {
  std::string n = Normalise(text);
  for (const auto& g : ForbiddenPhrases())
    for (const auto& p : g.phrases)
      if (n.find(p) != std::string::npos) return p;
  return std::nullopt;
}

Status ValidateCriterion(const EligibilityCriterion& c) {
  // Only the kind's own fields may be set: an unused field is a place to hide a condition.
  bool licence = c.kind == CriterionKind::kLicence;
  bool scope = c.kind == CriterionKind::kServiceScope;
  bool capability = c.kind == CriterionKind::kCapability;
  if ((!licence && (!c.licence.empty() || !c.legal_basis.empty())) ||
      (!scope && (!c.sub_item.empty() || !c.town.empty())) || (!capability && !c.text.empty()))
    return BadCriterion("含有与类型无关的字段", "it has fields that do not belong to its kind");
  switch (c.kind) {
    case CriterionKind::kCreditGood:
      return Status::Ok();
    case CriterionKind::kLicence:
      if (!ClaimTextOk(c.licence, 200) || !ClaimTextOk(c.legal_basis, 500))
        return BadCriterion("资质条件须写明资质名称及要求该资质的法律法规",
                            "a licence criterion needs the licence and the law that requires it");
      SHEFU_RETURN_IF_ERROR(ScreenText(c.licence, "资质名称"));
      return ScreenText(c.legal_basis, "法律依据");
    case CriterionKind::kServiceScope:
      if (!FindServiceSubItem(c.sub_item))
        return BadCriterion("服务子项不存在", "the service sub-item does not exist");
      if (!ClaimTextOk(c.town, 32)) return BadCriterion("缺少镇（街道）", "the town is missing");
      return Status::Ok();
    case CriterionKind::kCapability:
      if (!ClaimTextOk(c.text, 1000))
        return BadCriterion("能力要求须用文字写明（最多1000字节）",
                            "a capability requirement needs its text (at most 1000 bytes)");
      return ScreenText(c.text, "能力要求");
  }
  return BadCriterion("未知类型", "unknown kind");
}

Json CriterionToJson(const EligibilityCriterion& c) {
  Json j = {{"kind", CriterionKindCode(c.kind)}};
  switch (c.kind) {
    case CriterionKind::kCreditGood:
      break;
    case CriterionKind::kLicence:
      j["licence"] = c.licence;
      j["legal_basis"] = c.legal_basis;
      break;
    case CriterionKind::kServiceScope:
      j["sub_item"] = c.sub_item;
      j["town"] = c.town;
      break;
    case CriterionKind::kCapability:
      j["text"] = c.text;
      break;
  }
  return j;
}

Result<EligibilityCriterion> CriterionFromJson(const Json& j) {
  auto kind = GetString(j, "kind", 64);
  if (!kind.ok())
    return NotAllowed("资格条件须写明类型：" + kind.status().zh(),
                      "a criterion needs its kind: " + kind.status().en());
  std::string k = *kind;
  for (const auto& f : kForbiddenKinds)
    if (k == f.code)
      return ForbiddenStatus(f.what, "条件类型“" + k + "”", "criterion kind '" + k + "'");
  std::optional<CriterionKind> parsed;
  for (CriterionKind ck : AllCriterionKinds())
    if (k == CriterionKindCode(ck)) parsed = ck;
  if (!parsed) {
    std::string shown = IsValidUtf8(k) ? k.substr(0, 40) : "?";
    return NotAllowed(
        "资格条件只能是：信用良好、法定资质、承接范围、项目所需能力；不接受“" + shown + "”",
        "a qualification condition can only be credit_good, licence, service_scope "
        "or capability; '" +
            shown + "' is not accepted");
  }
  static const char* kKeys[] = {"kind", "kind,licence,legal_basis", "kind,sub_item,town",
                                "kind,text"};
  Status keys = CheckKeys(j, kKeys[static_cast<size_t>(*parsed)]);
  if (!keys.ok())
    return NotAllowed("资格条件含有不允许的字段：" + keys.zh(),
                      "the criterion has a field that is not allowed: " + keys.en());
  EligibilityCriterion c;
  c.kind = *parsed;
  for (auto [key, field] :
       {std::pair{"licence", &c.licence}, std::pair{"legal_basis", &c.legal_basis},
        std::pair{"sub_item", &c.sub_item}, std::pair{"town", &c.town},
        std::pair{"text", &c.text}}) {
    auto v = OptString(j, key, 1000);
    if (!v.ok()) return v.status();
    *field = v->value_or("");
  }
  SHEFU_RETURN_IF_ERROR(ValidateCriterion(c));
  return c;
}

Result<std::vector<EligibilityCriterion>> CriteriaFromJson(const Json& array) {
  if (!array.is_array() || array.size() > 100)
    return BadCriterion("资格条件应为数组（最多100项）",
                        "criteria must be an array of at most 100");
  std::vector<EligibilityCriterion> out;
  for (const auto& j : array) {
    auto c = CriterionFromJson(j);
    if (!c.ok()) return c.status();
    out.push_back(std::move(c).value());
  }
  return out;
}

Findings CheckEligibility(const SocialOrganisation& org,
                          const std::vector<EligibilityCriterion>& criteria,
                          const EligibilityOptions& options) {
  Findings f;
  // Baseline legal compliance (遵守相关法律法规), whatever the criteria say.
  CreditStatus credit = CreditStatusOn(org, options.as_of);
  if (credit == CreditStatus::kSeriousDishonest) {
    f.Error("credit_serious_dishonest",
            {"该社会组织在严重违法失信名单内，不得承接购买服务",
             "the organisation is on the serious-dishonesty list and may not take on purchases"},
            "第十六条");
  } else if (credit == CreditStatus::kAbnormalList) {
    Text t{"该社会组织在活动异常名录内，须由镇（街道）审核并说明理由",
           "the organisation is on the abnormal-activity list; the town must review and give a "
           "reason"};
    if (options.abnormal_list_blocks)
      f.Error("credit_abnormal_list", t, "第十六条");
    else
      f.Warn("credit_abnormal_list", t, "第十六条");
  }
  for (const auto& c : criteria) {
    Status valid = ValidateCriterion(c);
    if (!valid.ok()) {
      f.Add(valid);
      continue;
    }
    switch (c.kind) {
      case CriterionKind::kCreditGood:
        if (credit != CreditStatus::kNormal && !f.Has("credit_not_good"))
          f.Error("credit_not_good",
                  {"本项目要求信用良好，该社会组织在信用名单内",
                   "the project requires good credit and the organisation is on a credit list"},
                  "第十六条");
        break;
      case CriterionKind::kLicence:
        if (std::find(org.licences.begin(), org.licences.end(), c.licence) == org.licences.end())
          f.Error("licence_missing",
                  {"缺少法定资质：" + c.licence + "（依据：" + c.legal_basis + "）",
                   "missing a licence the law requires: " + c.licence + " (" + c.legal_basis + ")"},
                  "第十六条");
        break;
      case CriterionKind::kServiceScope:
        if (!org.service_scope.Covers(c.sub_item, c.town))
          f.Error("outside_service_scope",
                  {"承接范围不含该服务（" + c.sub_item + "，" + c.town + "）",
                   "its service scope does not cover " + c.sub_item + " in " + c.town},
                  "第二十四条");
        break;
      case CriterionKind::kCapability:
        f.Warn("capability_to_confirm",
               {"需审核确认项目所需能力：" + c.text, "a reviewer must confirm: " + c.text},
               "第十六条");
        break;
    }
  }
  return f;
}

}  // namespace shefu
