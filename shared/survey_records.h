// The synced records of the satisfaction-survey module (第二十六、二十七条; docs/voting.md §2.1)
// and the one place that turns a response into the satisfaction distribution.
//
//   survey          server-only, append-only: one published template version attached to a
//                   project. Immutable (append-only, server-only group): a change is a new
//                   record with version + 1. Devices in the project's place download it.
//                   {project, place, template: shefu-survey/1, index_question, min_n,
//                    published_on}
//   survey_frame    server-only, append-only: the server-drawn sample of service recipients of
//                   one community for one survey, shipped to that community's devices.
//                   {survey, project, community, entries: [{entry, label, token}]}
//                   label is what the worker needs to find the household (masked), token the
//                   keyed respondent token (HMAC on the server; the key never leaves it).
//   survey_answer   anonymous stream: one interview's answers. No respondent, no token, no
//                   device, no time (the batch carries the day only).
//                   {survey, community, template_id, template_version, answers, flags,
//                    in_frame}
//   survey_contact  anonymous stream: "a frame entry was interviewed" — the token only, in the
//                   same shuffled batch as the answers but as a separate item, so the server
//                   can count the same person twice without being able to tell which answer
//                   was theirs. {survey, community, token}
#pragma once

#include <string>
#include <string_view>

#include "shared/entity_types.h"
#include "shared/satisfaction.h"
#include "shared/survey_template.h"

namespace shefu {

inline constexpr size_t kMaxFrameEntries = 5000;
inline constexpr int64_t kMaxSurveyMinN = 100000;

Status ValidateSurveyGroup(const DomainContext& ctx, std::string_view group, const Json& v);
Status ValidateSurveyFrameGroup(const DomainContext& ctx, std::string_view group, const Json& v);
Status ValidateSurveyAnswerGroup(const DomainContext& ctx, std::string_view group, const Json& v);
Status ValidateSurveyContactGroup(const DomainContext& ctx, std::string_view group, const Json& v);

// The template of a survey record's value. Errors as SurveyTemplateFromJson, plus
// bad_index_question when index_question is not a satisfaction5 question of the template.
Result<SurveyTemplate> SurveyRecordTemplate(const Json& survey_value);

// Adds one response's answer to the index question to `d`: the level, "dont_know", or skipped
// when the question was not answered (hidden or left out). The device (provisional figure) and
// the server (final figure) both count through this. Error bad_satisfaction_answer.
Status TallyIndexAnswer(const Json& answers, std::string_view index_question, Distribution* d);

// A survey cell's report: the rates from the counted answers (`interviews` of them), the
// response rate from the frame — distinct frame entries interviewed (`contacted`) over entries
// drawn (`frame_size`, 0 = no frame). Both through SummariseSatisfaction. A respondent
// interviewed twice is one respondent but two answers that cannot be told apart (docs/voting.md
// §2.1), so answers are not checked against the frame count. Errors as SummariseSatisfaction.
Result<SatisfactionReport> SummariseSurveyCell(const Distribution& d, int64_t interviews,
                                               int64_t contacted, int64_t frame_size,
                                               const SatisfactionConfig& cfg);

// {"n","respondents","frame_size","distribution":{"very_satisfied":…,"dont_know","skipped"},
//  "suppressed", "response_rate"?, "rate"?, "rate_exact"?, "interval"?: {low_permille,
//  high_permille, text}, "index"?} — the same shape on the device and on the server.
Json SatisfactionReportToJson(const SatisfactionReport& r);

}  // namespace shefu
