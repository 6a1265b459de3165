// The state-dependent rules on a project record (EntityTypeSpec::guard), enforced by the sync
// engine for every write — so a device cannot bypass through sync what the staff API refuses:
//   - a device may create only a community-deliberated proposal (第十九条（二）: the community
//     drafts it; town plans and SO designs are entered by their authors on the platform), and
//     may not claim the town's consent to an SO design (第十九条（三）);
//   - a device may edit the proposer's groups only while the project is a draft or was returned
//     for changes: after submission the town reviews what was submitted (第二十条), and the
//     lifecycle moves only through the staff API.
#include "shared/lifecycle.h"
#include "shared/project_record.h"

namespace shefu {

Status GuardProjectWrite(const DomainContext&, const RecordState& current, std::string_view group,
                         const Json& value, bool from_device) {
  if (!from_device) return Status::Ok();  // staff writes are checked by the staff API
  if (!current.exists || !current.Find("proposal")) {
    if (group == "proposal") {
      auto origin = value.is_object() ? value.value("origin", "") : "";
      if (origin != "community_deliberated") {
        return Status::Error(
            "origin_not_from_device",
            "设备上只能起草社区议事产生的项目；镇街统筹项目和社会组织设计的项目须在平台上录入",
            "a device may only draft a community-deliberated project; town "
            "plans and SO designs are entered on the platform",
            "第十九条");
      }
    }
  }
  if (group == "evidence" && value.is_object() && value.value("library_consent", false)) {
    const Json* ev = current.Find("evidence");
    bool already = ev && ev->is_object() && ev->value("library_consent", false);
    if (!already) {
      return Status::Error("consent_is_the_towns", "纳入项目库的同意只能由镇（街道）作出",
                           "only the town can consent to an SO design entering its library",
                           "第十九条");
    }
  }
  if (current.exists && IsProposerGroup(group)) {
    const Json* lc = current.Find("lifecycle");
    std::string state =
        lc && lc->is_object() ? lc->value("state", "proposal_draft") : "proposal_draft";
    if (state != "proposal_draft" && state != "returned") {
      auto s = ParseState(state);
      Text name = s ? StateName(*s) : Text{state, state};
      return Status::Error(
          "not_editable", "项目处于“" + name.zh + "”状态，申报内容不能再修改（退回修改后才可编辑）",
          "the project is '" + name.en +
              "'; its proposal can no longer change (only after it is returned)",
          "第二十条");
    }
  }
  return Status::Ok();
}

}  // namespace shefu
