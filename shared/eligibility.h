// Who may take on a purchase: 第十六条.
//
// "支持遵守相关法律法规、符合资质要求的社会组织公平参与承接镇（街道）购买服务，不得将社会组织成立年限、
//  注册所在地、规模、评估等级等作为资格必须条件。"
//
// The rule is enforced by construction:
//   - CriterionKind has only lawful kinds: credit in good standing, a licence the law requires
//     for the service, a service scope that covers the project, and a project-specific capability
//     requirement stated in words (which a reviewer checks). There is no kind for founding
//     years, registration place, size or evaluation grade, so no code can build one.
//   - Criteria arriving as data (procurement documents, JSON) are parsed by CriterionFromJson,
//     which refuses those kinds — and any unknown kind or extra field — naming 第十六条.
//   - Free text (a capability requirement, a licence name, its legal basis) is screened: text
//     that smuggles a forbidden condition back in ("成立满3年", "本地注册", "注册资本", "规模",
//     "评估等级", "4A" ...) is refused too.
//   - CheckEligibility reads only the organisation's credit listings, licences and service
//     scope. It never looks at NonGatingAttributes, the registrar or the registration kind, so two
//     organisations that differ only in founding date, registration place, size and grade always
//     get the same answer (the randomised test proves it).
// Baseline legal compliance applies to every purchase whatever the criteria: an organisation on
// the serious-dishonesty list (严重违法失信名单) is refused; one on the abnormal-activity list
// (活动异常名录) gets a warning, or is refused when EligibilityOptions says so (reference notes
// OI-9: the default is warn and let the town decide, with a reason).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/civil_time.h"
#include "shared/findings.h"
#include "shared/json_util.h"
#include "shared/organisation.h"

namespace shefu {

enum class CriterionKind {
  kCreditGood,    // not on the abnormal-activity list nor the serious-dishonesty list
  kLicence,       // holds `licence`, which `legal_basis` (a law or regulation) requires
  kServiceScope,  // its service scope covers `sub_item` in `town`
  kCapability,    // a project-specific capability requirement, `text`, checked by a reviewer
};

// "credit_good" | "licence" | "service_scope" | "capability"
const char* CriterionKindCode(CriterionKind k);
// Every kind there is; a test pins this list so a new kind is a deliberate, reviewed change.
const std::vector<CriterionKind>& AllCriterionKinds();

struct EligibilityCriterion {
  CriterionKind kind = CriterionKind::kCreditGood;
  std::string licence;      // kLicence
  std::string legal_basis;  // kLicence: the law that requires the licence for this service
  std::string sub_item;     // kServiceScope
  std::string town;         // kServiceScope
  std::string text;         // kCapability
};

// Fields present for the kind and only those; known sub-item; free text screened for forbidden
// conditions. Error: criterion_not_allowed (第十六条) or bad_criterion.
Status ValidateCriterion(const EligibilityCriterion& c);

// If `text` names a condition 第十六条 forbids, the offending phrase; else nullopt. Ignores case,
// full-width forms and spaces ("４ Ａ" is "4A").
std::optional<std::string> FindForbiddenCondition(std::string_view text);

Json CriterionToJson(const EligibilityCriterion& c);
// {"kind": ..., plus the kind's fields}. Refuses forbidden kinds ("founding_years",
// "registered_in", "registered_capital", "staff_count", "evaluation_grade", ...), unknown kinds
// and extra fields with criterion_not_allowed naming 第十六条.
Result<EligibilityCriterion> CriterionFromJson(const Json& j);
Result<std::vector<EligibilityCriterion>> CriteriaFromJson(const Json& array);

struct EligibilityOptions {
  Date as_of;                         // the day credit lists are read for
  bool abnormal_list_blocks = false;  // OI-9: warn by default
};

// Errors block the award; warnings go to the town's reviewer. Codes: credit_serious_dishonest,
// credit_abnormal_list, credit_not_good, licence_missing, outside_service_scope,
// capability_to_confirm (warning), criterion_not_allowed.
Findings CheckEligibility(const SocialOrganisation& org,
                          const std::vector<EligibilityCriterion>& criteria,
                          const EligibilityOptions& options);

}  // namespace shefu
