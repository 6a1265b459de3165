#include "shared/policy.h"

#include <fstream>
#include <sstream>

namespace shefu::embedded {
extern const unsigned char policy_versions[];
extern const unsigned long policy_versions_size;
}  // namespace shefu::embedded

namespace shefu {

GradeThresholds GradeThresholdsOf(const PolicyParams& p) {
  return GradeThresholds{p.grade_excellent_tenths, p.grade_good_tenths, p.grade_pass_tenths};
}

Grade GradeOf(int score_tenths, const PolicyParams& p) {
  return GradeFor(score_tenths, GradeThresholdsOf(p));
}

const char* AdvanceBaseCode(AdvanceBase b) {
  return b == AdvanceBase::kContractTotal ? "contract_total" : "contract_year";
}

namespace {

Status PolicyDataError(const std::string& where, const Status& inner) {
  return Status::Error("bad_policy_data", "政策版本数据有误（" + where + "）：" + inner.zh(),
                       "policy version data is invalid (" + where + "): " + inner.en(), "第三十条");
}

Status PolicyDataError(const std::string& where, const std::string& zh, const std::string& en) {
  return PolicyDataError(where, Status::Error("bad_field", zh, en));
}

Result<Date> GetPolicyDate(const Json& obj, std::string_view key) {
  auto s = GetString(obj, key, 10);
  if (!s.ok()) return s.status();
  auto d = ParseDate(*s);
  if (!d.ok()) return FieldError(key, "不是有效日期（YYYY-MM-DD）", "is not a date (YYYY-MM-DD)");
  return *d;
}

// Reads an int param into *out; `required` params must be present.
Status ReadInt(const Json& obj, std::string_view key, int64_t min, int64_t max, bool required,
               int* out) {
  auto v = OptInt(obj, key, min, max);
  if (!v.ok()) return v.status();
  if (!v->has_value()) {
    if (required) return FieldError(key, "缺失", "is missing");
    return Status::Ok();
  }
  *out = static_cast<int>(**v);
  return Status::Ok();
}

Result<PolicyVersion> ParsePolicyVersion(const Json& v) {
  SHEFU_RETURN_IF_ERROR(
      CheckKeys(v, "id,title,doc_no,signed_on,effective_from,effective_to,source,params"));
  PolicyVersion out;
  auto id = GetString(v, "id", 64, 1);
  if (!id.ok()) return id.status();
  out.id = *id;
  auto title = GetString(v, "title", 512, 1);
  if (!title.ok()) return title.status();
  out.title = *title;
  auto doc = GetString(v, "doc_no", 128, 1);
  if (!doc.ok()) return doc.status();
  out.doc_no = *doc;
  auto source = OptString(v, "source", 4096);
  if (!source.ok()) return source.status();
  auto signed_on = GetPolicyDate(v, "signed_on");
  if (!signed_on.ok()) return signed_on.status();
  auto from = GetPolicyDate(v, "effective_from");
  if (!from.ok()) return from.status();
  auto to = GetPolicyDate(v, "effective_to");
  if (!to.ok()) return to.status();
  out.signed_on = *signed_on;
  out.effective_from = *from;
  out.effective_to = *to;
  if (out.effective_to < out.effective_from)
    return FieldError("effective_to", "早于 effective_from", "is before effective_from");
  if (!v.contains("params") || !v["params"].is_object())
    return FieldError("params", "缺失或不是对象", "is missing or not an object");
  auto params = ParsePolicyParams(v["params"]);
  if (!params.ok()) return params.status();
  out.params = *params;
  out.raw_params = v["params"];
  return out;
}

}  // namespace

Result<PolicyParams> ParsePolicyParams(const Json& j) {
  if (!j.is_object()) return FieldError("params", "必须是对象", "must be an object");
  PolicyParams p;
  SHEFU_RETURN_IF_ERROR(ReadInt(j, "advance_cap_pct", 1, 100, true, &p.advance_cap_pct));
  auto base = GetString(j, "advance_base", 32);
  if (!base.ok()) return base.status();
  if (*base == "contract_year") {
    p.advance_base = AdvanceBase::kContractYear;
  } else if (*base == "contract_total") {
    p.advance_base = AdvanceBase::kContractTotal;
  } else {
    return FieldError("advance_base", "应为 contract_year 或 contract_total",
                      "must be contract_year or contract_total");
  }
  SHEFU_RETURN_IF_ERROR(ReadInt(j, "max_contract_months", 1, 120, true, &p.max_contract_months));
  SHEFU_RETURN_IF_ERROR(
      ReadInt(j, "justification_over_months", 1, 120, true, &p.justification_over_months));
  if (p.justification_over_months > p.max_contract_months)
    return FieldError("justification_over_months", "不能大于 max_contract_months",
                      "must not exceed max_contract_months");
  if (!j.contains("catalogue_deadline") || !j["catalogue_deadline"].is_object())
    return FieldError("catalogue_deadline", "缺失或不是对象", "is missing or not an object");
  const Json& cd = j["catalogue_deadline"];
  SHEFU_RETURN_IF_ERROR(CheckKeys(cd, "month,day"));
  SHEFU_RETURN_IF_ERROR(ReadInt(cd, "month", 1, 12, true, &p.catalogue_deadline_month));
  // Checked against a common year: a deadline of 29 February would not exist most years.
  SHEFU_RETURN_IF_ERROR(ReadInt(cd, "day", 1, DaysInMonth(2001, p.catalogue_deadline_month), true,
                                &p.catalogue_deadline_day));
  SHEFU_RETURN_IF_ERROR(ReadInt(j, "publicity_days", 1, 365, true, &p.publicity_days));
  if (!j.contains("grade_thresholds_tenths") || !j["grade_thresholds_tenths"].is_object())
    return FieldError("grade_thresholds_tenths", "缺失或不是对象", "is missing or not an object");
  const Json& g = j["grade_thresholds_tenths"];
  SHEFU_RETURN_IF_ERROR(CheckKeys(g, "excellent,good,pass"));
  SHEFU_RETURN_IF_ERROR(ReadInt(g, "excellent", 0, 1000, true, &p.grade_excellent_tenths));
  SHEFU_RETURN_IF_ERROR(ReadInt(g, "good", 0, 1000, true, &p.grade_good_tenths));
  SHEFU_RETURN_IF_ERROR(ReadInt(g, "pass", 0, 1000, true, &p.grade_pass_tenths));
  if (!(p.grade_excellent_tenths > p.grade_good_tenths &&
        p.grade_good_tenths > p.grade_pass_tenths))
    return FieldError("grade_thresholds_tenths", "须满足 优 > 良 > 中",
                      "must satisfy excellent > good > pass");
  SHEFU_RETURN_IF_ERROR(ReadInt(j, "payment_overdue_days", 0, 366, false, &p.payment_overdue_days));
  SHEFU_RETURN_IF_ERROR(
      ReadInt(j, "year_end_lead_tolerance_pct", 0, 100, false, &p.year_end_lead_tolerance_pct));
  return p;
}

Result<PolicyBook> PolicyBook::FromJsonText(std::string_view text) {
  auto parsed = ParseJson(text);
  if (!parsed.ok()) return PolicyDataError("file", parsed.status());
  const Json& j = *parsed;
  Status keys = CheckKeys(j, "format,note,versions");
  if (!keys.ok()) return PolicyDataError("file", keys);
  auto format = GetInt(j, "format", 1, 1);
  if (!format.ok()) return PolicyDataError("file", format.status());
  if (!j.contains("versions") || !j["versions"].is_array() || j["versions"].empty())
    return PolicyDataError("file", "versions 必须是非空数组", "versions must be a non-empty array");
  if (j["versions"].size() > 100)
    return PolicyDataError("file", "版本过多（最多100个）", "too many versions (max 100)");
  PolicyBook book;
  for (size_t i = 0; i < j["versions"].size(); ++i) {
    std::string where = "versions[" + std::to_string(i) + "]";
    auto v = ParsePolicyVersion(j["versions"][i]);
    if (!v.ok()) return PolicyDataError(where, v.status());
    if (book.Find(v->id))
      return PolicyDataError(where, "id 重复：" + v->id, "duplicate id: " + v->id);
    if (!book.versions_.empty()) {
      const PolicyVersion& prev = book.versions_.back();
      // Sorted and non-overlapping: a date must never be governed by two versions at once.
      if (v->effective_from <= prev.effective_to)
        return PolicyDataError(where,
                               "生效期与上一版本重叠或顺序错误（" + FormatDate(v->effective_from) +
                                   " 不晚于 " + FormatDate(prev.effective_to) + "）",
                               "window overlaps or precedes the previous version (" +
                                   FormatDate(v->effective_from) + " is not after " +
                                   FormatDate(prev.effective_to) + ")");
    }
    book.versions_.push_back(std::move(*v));
  }
  return book;
}

Result<PolicyBook> PolicyBook::LoadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return Status::Error("policy_file_unreadable", "无法读取政策版本文件：" + path,
                         "cannot read the policy version file: " + path, "第三十条");
  std::stringstream ss;
  ss << in.rdbuf();
  return FromJsonText(ss.str());
}

Result<PolicyBook> PolicyBook::LoadEmbedded() {
  return FromJsonText(std::string_view(reinterpret_cast<const char*>(embedded::policy_versions),
                                       embedded::policy_versions_size));
}

const PolicyVersion* PolicyBook::Find(std::string_view id) const {
  for (const auto& v : versions_)
    if (v.id == id) return &v;
  return nullptr;
}

Result<PolicyResolution> PolicyBook::Resolve(const Date& decision_date) const {
  // The latest version that had started by the decision date governs it.
  const PolicyVersion* governing = nullptr;
  for (const auto& v : versions_)
    if (v.effective_from <= decision_date) governing = &v;
  if (!governing) {
    const PolicyVersion& first = versions_.front();
    return Status::Error("policy_not_in_force",
                         FormatDate(decision_date) + " 早于《" + first.title + "》的施行日期 " +
                             FormatDate(first.effective_from) + "，当时没有可适用的政策版本",
                         FormatDate(decision_date) + " is before the policy took effect on " +
                             FormatDate(first.effective_from) +
                             "; no policy version governs that date",
                         "第三十条");
  }
  PolicyResolution r;
  r.version = *governing;
  if (decision_date > governing->effective_to) {
    // No newer version is loaded: the old rules continue rather than no rules at all, and
    // the decision says so.
    r.assumed_extended = true;
    r.note = {"按原版本延续执行：" + governing->doc_no + " 有效期至 " +
                  FormatDate(governing->effective_to) + "，未载入新版本",
              "version assumed extended: " + governing->doc_no + " was valid to " +
                  FormatDate(governing->effective_to) + " and no newer version is loaded"};
  }
  return r;
}

}  // namespace shefu
