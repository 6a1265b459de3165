// The policy as versioned data (第三十条): which version of 珠府〔2021〕10号 — or of its successor
// — governs a decision, and the numbers it sets.
//
// 第三十条 puts the policy in force from 2021-04-01 "有效期3年", i.e. to 2024-03-31 inclusive. No
// extension or successor was found (policy-domain-model.md OI-2), so the numbers must not be
// constants: a successor may change the 40 % advance cap or the 36-month term. Versions live in
// shared/data/policy-versions.json (compiled in) or in a file an administrator loads.
//
// Resolution is by *decision date* (the Shanghai day the decision is taken):
//   - inside a version's window            -> that version;
//   - after a window, before the next one  -> the earlier version, marked assumed_extended;
//   - after the last window                -> the last version, marked assumed_extended, with the
//                                             note "按原版本延续执行 / version assumed extended";
//   - before the first window              -> error policy_not_in_force (第三十条).
//
//   auto book = PolicyBook::LoadEmbedded();
//   auto r = book->Resolve(Date{2026, 5, 1});
//   if (r->assumed_extended) ShowNote(r->note);
//   int cap = r->version.params.advance_cap_pct;  // 40
#pragma once

#include "shared/grade.h"

#include <string>
#include <string_view>
#include <vector>

#include "shared/civil_time.h"
#include "shared/json_util.h"
#include "shared/status.h"

namespace shefu {

// The base of the 40 % advance (第二十三条) for contracts longer than one year. The policy does
// not say; OI-4 defaults to the current contract year's amount because budgets are annual.
enum class AdvanceBase { kContractYear, kContractTotal };

const char* AdvanceBaseCode(AdvanceBase b);  // "contract_year" | "contract_total"

// The numbers a version sets. Required ones come from the policy text; the payment-alert
// numbers are not in the policy ([I] design defaults) and may be omitted from the data.
struct PolicyParams {
  int advance_cap_pct = 40;                               // 第二十三条 "不超过40%"
  AdvanceBase advance_base = AdvanceBase::kContractYear;  // OI-4
  int max_contract_months = 36;        // 第二十二条 "最长可以设定为3年"
  int justification_over_months = 12;  // 102号令: normally ≤ 1 year
  int catalogue_deadline_month = 3;    // 第七条 "当年第一季度"
  int catalogue_deadline_day = 31;
  int publicity_days = 7;  // 公示 default (voting-and-surveys §3.5)
  // Evaluation grades on a 0–100 score kept in tenths (90.0 -> 900): 优 / 良 / 中, else 差.
  int grade_excellent_tenths = 900;
  int grade_good_tenths = 800;
  int grade_pass_tenths = 600;
  // Optional [I]: a planned installment unpaid this many days after it fell due is overdue
  // (杜绝久拖不付), and a December payment that puts cumulative payments more than this many
  // percentage points ahead of progress is a year-end lump (杜绝突击支付).
  int payment_overdue_days = 30;
  int year_end_lead_tolerance_pct = 20;
};

struct PolicyVersion {
  std::string id;      // stable, e.g. "zhufu-2021-10"
  std::string title;   // 珠海市镇（街道）购买社会组织服务实施办法（试行）
  std::string doc_no;  // 珠府〔2021〕10号
  Date signed_on;
  Date effective_from;
  Date effective_to;  // inclusive
  PolicyParams params;
  // The whole "params" object as loaded, so a later module can read parameters of its own
  // (procurement thresholds, satisfaction minimums, ...) without this header knowing them.
  Json raw_params = Json::object();

  bool Covers(const Date& d) const { return effective_from <= d && d <= effective_to; }
};

struct PolicyResolution {
  PolicyVersion version;
  // True when the decision date lies after the version's window: no newer version is loaded,
  // so the version is assumed to continue. Every decision taken this way carries `note`.
  bool assumed_extended = false;
  Text note;  // empty unless assumed_extended
};

// 优 / 良 / 中 / 差 for a score in tenths, by the version's thresholds.
// The version's default grade thresholds (contracts may set their own).
GradeThresholds GradeThresholdsOf(const PolicyParams& params);
Grade GradeOf(int score_tenths, const PolicyParams& params);

// A validated, ordered set of policy versions.
class PolicyBook {
 public:
  // Parses and validates: {"format": 1, "versions": [...]}. Versions must be sorted by
  // effective_from with windows that do not overlap, ids unique, required params present and
  // in range. Errors: bad_policy_data (naming the version and field).
  static Result<PolicyBook> FromJsonText(std::string_view text);
  static Result<PolicyBook> LoadFile(const std::string& path);
  // The versions compiled in from shared/data/policy-versions.json.
  static Result<PolicyBook> LoadEmbedded();

  // The version governing a decision taken on `decision_date` (see the file comment).
  Result<PolicyResolution> Resolve(const Date& decision_date) const;

  const std::vector<PolicyVersion>& versions() const { return versions_; }
  const PolicyVersion* Find(std::string_view id) const;

 private:
  std::vector<PolicyVersion> versions_;
};

// Parses one "params" object (exposed for tests and for tools that edit the data).
Result<PolicyParams> ParsePolicyParams(const Json& params);

}  // namespace shefu
