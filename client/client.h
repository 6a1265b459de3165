// The field client core: one open profile and everything a worker does with it. The C API
// (c_api.cc, include/shefu/shefu.h) is a thin exception-safe wrapper around this class; the
// JSON shapes it returns are documented there.
//
// A Client owns: the profile lock, the profile database (records, outbox and configuration in
// one 0600 file), the Zhuhai divisions as the device's DomainContext (validation and the
// community picker), and the engine's store behind LocalStore. Everything except Enrol and Sync
// is local and works with the server unreachable.
//
// Not thread-safe (one thread at a time), like the engine below it.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "client/local_store.h"
#include "client/profile_config.h"
#include "client/profile_paths.h"
#include "client/sync_runner.h"
#include "shared/db.h"
#include "shared/divisions.h"
#include "shared/env.h"
#include "shared/json_util.h"
#include "shared/meeting_tally.h"
#include "shared/survey_template.h"

namespace shefu::client {

struct OpenOptions {
  std::string data_dir;  // "" = default (XDG)
  std::string profile;   // "" = the only one, else "default"
  bool create = false;
};

enum ConflictFlags { kConflictsAll = 1, kConflictsResolved = 2 };
enum ExportFlags { kExportUnsent = 1, kExportFullPhone = 2 };

class Client {
 public:
  static Result<std::unique_ptr<Client>> Open(const OpenOptions& opt);
  static Result<Json> ListProfiles(const std::string& data_dir);
  ~Client();

  void set_lang(Lang l) { lang_ = l; }
  Lang lang() const { return lang_; }

  // ---- enrolment and configuration ----
  Status Enrol(const std::string& url_or_uri, const std::string& code, const std::string& pin,
               const std::string& label);
  Status SetServerUrl(const std::string& url);

  // ---- forms ----
  Json Catalogue() const;
  Json Communities() const;

  // ---- needs ----
  Result<std::string> NeedCreate(const Json& form);
  Status NeedEdit(const std::string& id, const Json& form);
  Status NeedCheck(const Json& form) const;
  Status NeedWithdraw(const std::string& id, const std::string& reason);
  Result<Json> NeedGet(const std::string& id);
  // `with_phone`: also the full phone numbers (exports asked for them; lists never do).
  Result<Json> NeedList(const Json& filter, bool with_phone = false);
  Status NeedSupport(const std::string& id, int delta);

  // ---- visits, votes, anonymous stream ----
  Result<std::string> VisitAdd(const Json& visit);
  Result<std::string> VoteRecord(const std::string& ballot, const std::string& voter,
                                 const std::string& choice, const std::string& assisted_by);
  Status SecretChoiceAdd(const std::string& ballot, const std::string& choice);
  Status AnonAdd(const std::string& session, const std::string& entity, Json value);
  Result<int64_t> AnonClose(const std::string& session);

  // ---- generic records ----
  Result<std::string> RecordCreate(const std::string& entity, const Json& groups);
  Status RecordWrite(const std::string& entity, const std::string& id, const std::string& group,
                     Json value);
  Status RecordDelete(const std::string& entity, const std::string& id);
  Result<Json> RecordGet(const std::string& entity, const std::string& id);
  Result<Json> RecordList(const std::string& entity);

  // ---- sync and state ----
  SyncReport Sync(const SyncOptions& opt, const ProgressFn& progress);
  Json SyncReportJson(const SyncReport& r) const;
  Result<Json> StatusJson();
  Result<Json> Conflicts(int flags);
  Result<Json> Outbox(int limit);
  Result<std::string> ExportCsv(const std::string& entity, int flags);
  // After success the client is closed (every other call fails with `wiped`).
  Status Wipe(bool force);

  // ---- satisfaction surveys (issue 7; client_survey.cc) ----
  Result<Json> SurveyList();
  Result<Json> SurveyGet(const std::string& id);
  // options: {"entry"?, "non_frame"?, "started_ms"?, "ended_ms"?, "duration_s"?}
  Result<Json> SurveyTake(const std::string& id, const Json& answers, const Json& options);
  Result<int64_t> SurveyClose(const std::string& id);
  // The next question to ask after `after` ("" = from the start) given the answers so far,
  // following the skip logic; {"done": true} when none is left.
  Result<Json> SurveyNext(const std::string& id, const Json& answers, const std::string& after);
  // ---- meetings (issue 6; client_meeting.cc) ----
  Result<Json> MeetingList();
  Result<Json> MeetingGet(const std::string& meeting, bool with_roll);
  Result<Json> MeetingOpen(const std::string& meeting, const std::string& ballot);
  // in: check-in (true) or check-out (false) of a roll entry (id or sheet number).
  Result<Json> MeetingCheck(const std::string& meeting, const std::string& entry, bool in,
                            const std::string& assisted_by);
  // vote: {ballot, entry, choice | marks, assisted_by?, proxy?}
  Result<Json> MeetingVote(const std::string& meeting, const Json& vote);
  Result<Json> MeetingClose(const std::string& meeting, const std::string& ballot);
  Result<Json> MeetingResult(const std::string& meeting, const std::string& ballot);

 private:
  Client() = default;
  Status Usable() const;
  Status RequireEnrolled() const;
  // A full record id from an id or a unique abbreviation (prefix or suffix, 4+ characters).
  Result<std::string> ResolveId(const std::string& entity, const std::string& id_or_short);
  Result<StoredRecord> ReadNeed(const std::string& id);
  Status SaveConfig();
  std::string OwnCommunity() const { return config_.user.scope.community; }
  // Surveys (client_survey.cc).
  Result<Json> SurveyFrameEntries(const std::string& survey);
  Result<std::vector<std::pair<std::string, Json>>> SurveyLocalItems(const std::string& survey);
  Result<Json> SurveyProvisional(const std::string& survey, const SurveyTemplate& t,
                                 const std::string& index_question, int64_t min_n);
  // Meetings: the meeting with its roll and rules as this device holds them.
  struct LocalMeeting;
  Result<LocalMeeting> LoadLocalMeeting(const std::string& meeting);
  Result<BallotInputs> MeetingInputs(const LocalMeeting& m, const MeetingBallot* b);
  Result<Json> MeetingLive(const LocalMeeting& m);
  Status MeetingEventWrite(const LocalMeeting& m, Json v);

  std::string data_dir_, profile_;
  std::optional<ProfileLock> lock_;
  std::unique_ptr<Db> db_;
  std::unique_ptr<Divisions> places_;
  std::unique_ptr<LocalStore> store_;
  ProfileConfig config_;
  Lang lang_ = Lang::kZh;
  bool wiped_ = false;
};

}  // namespace shefu::client
