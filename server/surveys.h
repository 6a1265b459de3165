// Satisfaction surveys on the server (第二十六、二十七条; docs/voting.md §2.1): the published
// template versions of a project, the respondent token, and the survey results — the answers of
// the anonymous stream counted through the shared rules (survey_template.h ValidateResponse,
// survey_records.h TallyIndexAnswer, satisfaction.h SummariseSatisfaction), per project, per
// community and overall. The routes, the shefu-server command, the reports and the evaluation
// all read results through SurveyResults, so they show the same digits.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/server_keys.h"
#include "shared/satisfaction.h"
#include "shared/survey_template.h"
#include "sync/sync_server.h"

namespace shefu::server {

struct SurveyInfo {
  std::string id;  // the survey record's id
  std::string project;
  std::string index_question;
  int64_t min_n = 30;
  std::string published_on;
  Place place;
  SurveyTemplate tmpl;
  Json value;  // the stored record value
};

// not_found when there is no such survey.
Result<SurveyInfo> LoadSurvey(sync::SyncServer& s, std::string_view id);
// Every published version of every template of `project` ("" = all projects), oldest first.
Result<std::vector<SurveyInfo>> LoadSurveys(sync::SyncServer& s, std::string_view project);
// The frame records of a survey (one per community).
Result<std::vector<sync::RecordView>> LoadFrames(sync::SyncServer& s, std::string_view survey);

// The keyed respondent token of service recipient `ref` in `survey`: HMAC-SHA256 with the
// server's id-hmac key (DATA/keys, never on a device), domain-separated, 128 bits in hex. The
// same recipient drawn for the same survey always has the same token; without the key nobody
// can compute it from a recipient reference.
std::string RespondentToken(const ServerKeys& keys, std::string_view survey, std::string_view ref);

// One survey's review facts.
struct SurveyReview {
  std::string survey, project, template_id;
  int64_t version = 0;
  int64_t answers = 0;    // answer items received
  int64_t invalid = 0;    // refused by ValidateResponse against their template version
  int64_t non_frame = 0;  // answered outside the frame of a survey that has one (not counted)
  int64_t frame_size = 0, contacted = 0;  // frame entries, distinct entries interviewed
  int64_t unknown_tokens = 0;             // contacts whose token is not in the frame
  std::map<std::string, int64_t> flags;   // paradata flag -> answers carrying it
  struct Duplicate {
    std::string community, label;
    int64_t times = 0;
  };
  std::vector<Duplicate> duplicates;  // the same respondent interviewed more than once
  int64_t excess = 0;                 // Σ (times - 1): answers that cannot be told apart
};

struct SurveyResultsQuery {
  std::string project;           // "" = every project
  std::string town;              // "" = every town
  std::optional<Scope> scope;    // only surveys the scope can see
  std::optional<int64_t> min_n;  // default: the (last) survey's min_n, else 30
};

struct SurveyResults {
  SatisfactionConfig config;
  std::map<std::string, SatisfactionReport> by_project;
  std::map<std::string, SatisfactionReport> by_community;
  std::map<std::pair<std::string, std::string>, SatisfactionReport> cells;  // project, community
  SatisfactionReport overall;
  std::vector<SurveyReview> surveys;
};

Result<SurveyResults> ComputeSurveyResults(sync::SyncServer& s, const SurveyResultsQuery& q);

Json SurveyResultsJson(const SurveyResults& r);
Json SurveyInfoJson(const SurveyInfo& s);

}  // namespace shefu::server
