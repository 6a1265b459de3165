// The rules under which a value is logged (docs/merge-rules.md): why a value lost, was refused or
// was flagged. Each conflict-log entry and each per-record upload result names one.
#pragma once

#include <optional>
#include <string_view>

#include "shared/i18n.h"

namespace shefu::sync {

enum class Rule {
  kLwwConcurrent,      // concurrent edits of one field group: the lower stamp lost
  kEditVsDelete,       // an edit the deleter had not seen (delete wins; the edit is kept)
  kAppendOnlyRewrite,  // different content under an existing append-only id
  kDuplicateKey,       // a second record for a unique key (kept, not counted)
  kValidationReject,   // refused: fails the entity's checks on the server
  kPermissionReject,   // refused: the writer's role may not write this entity type
  kScopeReject,        // refused: the record lies outside the writer's scope
  kClockSkew,          // flagged: stamp too far ahead of the server, capped
};

// What happened to the write a rule is about, as reported to its device.
enum class Outcome {
  kApplied,   // applied (not reported: the ordinary case)
  kConflict,  // the write lost or was kept aside; the losing side is in the conflict log
  kRefused,   // not applied; logged; the seq is consumed
  kFlagged,   // applied, but a person should look (clock skew)
};

const char* RuleCode(Rule r);  // "lww_concurrent", ...
std::optional<Rule> ParseRule(std::string_view code);
// The outcome a rule gives the write it is about.
Outcome RuleOutcome(Rule r);
const char* OutcomeCode(Outcome o);  // "applied", "conflict", "refused", "flagged"
std::optional<Outcome> ParseOutcome(std::string_view code);
// A one-line explanation for people.
Text RuleText(Rule r);

inline constexpr Rule kAllRules[] = {
    Rule::kLwwConcurrent,    Rule::kEditVsDelete,     Rule::kAppendOnlyRewrite, Rule::kDuplicateKey,
    Rule::kValidationReject, Rule::kPermissionReject, Rule::kScopeReject,       Rule::kClockSkew};

}  // namespace shefu::sync
