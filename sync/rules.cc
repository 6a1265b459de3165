#include "sync/rules.h"

namespace shefu::sync {

const char* RuleCode(Rule r) {
  switch (r) {
    case Rule::kLwwConcurrent:
      return "lww_concurrent";
    case Rule::kEditVsDelete:
      return "edit_vs_delete";
    case Rule::kAppendOnlyRewrite:
      return "append_only_rewrite";
    case Rule::kDuplicateKey:
      return "duplicate_key";
    case Rule::kValidationReject:
      return "validation_reject";
    case Rule::kPermissionReject:
      return "permission_reject";
    case Rule::kScopeReject:
      return "scope_reject";
    case Rule::kClockSkew:
      return "clock_skew";
  }
  return "unknown";
}

std::optional<Rule> ParseRule(std::string_view code) {
  for (Rule r : kAllRules)
    if (code == RuleCode(r)) return r;
  return std::nullopt;
}

Outcome RuleOutcome(Rule r) {
  switch (r) {
    case Rule::kValidationReject:
    case Rule::kPermissionReject:
    case Rule::kScopeReject:
      return Outcome::kRefused;
    case Rule::kClockSkew:
      return Outcome::kFlagged;
    default:
      return Outcome::kConflict;
  }
}

const char* OutcomeCode(Outcome o) {
  switch (o) {
    case Outcome::kApplied:
      return "applied";
    case Outcome::kConflict:
      return "conflict";
    case Outcome::kRefused:
      return "refused";
    case Outcome::kFlagged:
      return "flagged";
  }
  return "applied";
}

std::optional<Outcome> ParseOutcome(std::string_view code) {
  for (Outcome o : {Outcome::kApplied, Outcome::kConflict, Outcome::kRefused, Outcome::kFlagged})
    if (code == OutcomeCode(o)) return o;
  return std::nullopt;
}

Text RuleText(Rule r) {
  switch (r) {
    case Rule::kLwwConcurrent:
      return {"同一字段组被同时修改，时间较晚的值生效，另一值已记入冲突记录",
              "the same field group was edited concurrently; the later value stands and the other "
              "is in the conflict log"};
    case Rule::kEditVsDelete:
      return {"记录已被删除，此修改已保存但不显示，恢复记录后可见",
              "the record was deleted concurrently; the edit is kept and shows again if the record "
              "is restored"};
    case Rule::kAppendOnlyRewrite:
      return {"此编号下已有不同内容的记录，只保留最早的一份",
              "another content already exists under this id; the earliest is kept"};
    case Rule::kDuplicateKey:
      return {"同一投票人在同一表决中已有一票，此票保留但不计入",
              "this voter already has a vote in this ballot; this one is kept but not counted"};
    case Rule::kValidationReject:
      return {"数据未通过服务器校验，未生效",
              "the value failed the server's checks and was not applied"};
    case Rule::kPermissionReject:
      return {"当前角色无权提交此类记录", "this role may not write records of this kind"};
    case Rule::kScopeReject:
      return {"记录不在本账号的管辖范围内", "the record lies outside this account's scope"};
    case Rule::kClockSkew:
      return {
          "设备时间比服务器快太多，已按服务器收到的时间处理",
          "the device clock is too far ahead of the server; the server's receive time was used"};
  }
  return {"", ""};
}

}  // namespace shefu::sync
