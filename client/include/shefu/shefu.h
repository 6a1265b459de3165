/* shefu field client: the C API.
 *
 * This is the whole surface a field application sees: the `shefu` command line is built only on
 * it, and an Android (JNI) or iOS (Swift/Objective-C) app can embed the same library.
 *
 * Conventions
 *   - Plain C (C11), `extern "C"`; no C++ type and no exception crosses it.
 *   - Opaque handle: one `shefu_client` per open profile. A handle is not thread-safe: use it
 *     from one thread at a time. A profile can be open in one handle (one process) at a time;
 *     a second open gets SHEFU_E_BUSY.
 *   - Strings in and out are UTF-8, NUL-terminated.
 *   - Every fallible function returns an int: SHEFU_OK (0) or one of the SHEFU_E_* codes below.
 *     After a failure, shefu_last_error() says what went wrong in the handle's language
 *     (zh-CN or English) and shefu_last_error_code() gives a stable snake_case code
 *     ("enrol_code_used", "device_revoked", "bad_phone", ...) to branch on.
 *   - Strings returned through a `char **out` parameter are allocated by the library and belong
 *     to the caller, who frees them with shefu_free(). On failure *out is set to NULL.
 *   - Strings returned directly (shefu_last_error, shefu_version, ...) belong to the library:
 *     valid until the next call on the same handle (or forever for shefu_version).
 *   - Records, lists and reports are JSON text; their schemas are documented beside each
 *     function. Unknown keys may be added in later versions: ignore keys you do not know.
 *   - Times in JSON are UTC ISO-8601 strings ("2026-05-03T02:15:00.000Z"); dates shown to
 *     people are Shanghai local time.
 *
 * Personal information (PIPL, 个人信息保护法)
 *   - A resident's ID-card number is given to shefu_need_create / shefu_need_edit as
 *     "id_number". It is checked, masked (4404**********1768) and sealed to the server's public
 *     key before anything is written: the device keeps only the masked form and the sealed
 *     bytes, never the number in clear (not in the outbox either).
 *   - Phone numbers are masked in lists ("phone_masked"); the full number is only in
 *     shefu_need_get (the worker needs it to call back) and, on request, in exports.
 *   - The library writes no log files. The device token is kept in the profile database
 *     (file mode 0600, directory 0700) and is never returned by any function.
 */
#ifndef SHEFU_SHEFU_H_
#define SHEFU_SHEFU_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Result codes ------------------------------------------------------------------------ */
enum {
  SHEFU_OK = 0,
  SHEFU_E_INVALID = 1,      /* a bad argument, or input that fails validation */
  SHEFU_E_NOT_FOUND = 2,    /* no such record / profile */
  SHEFU_E_NOT_ENROLLED = 3, /* the profile has not been enrolled with a server yet */
  SHEFU_E_NETWORK = 4,      /* the server could not be reached (after retries), or 5xx */
  SHEFU_E_TLS = 5,          /* the server's certificate is not the pinned one / not trusted */
  SHEFU_E_REFUSED = 6,      /* the server refused the request (e.g. enrol code used/expired) */
  SHEFU_E_REJECTED = 7,     /* sync finished, but the server rejected some records */
  SHEFU_E_REVOKED = 8,      /* this device was revoked; unsent records stay and can be exported */
  SHEFU_E_REENROL = 9,      /* the device must be enrolled again (a new code from the town) */
  SHEFU_E_UNSENT = 10,      /* refused because records are still unsent (wipe without force) */
  SHEFU_E_STORAGE = 11,     /* the local database could not be read or written */
  SHEFU_E_STATE = 12,       /* not possible in this state (already enrolled, several profiles) */
  SHEFU_E_BUSY = 13,        /* the profile is open in another process (e.g. a running sync) */
  SHEFU_E_INTERNAL = 99     /* an unexpected failure (a bug); nothing was half-written */
};

typedef struct shefu_client shefu_client;

/* "0.1.0". */
const char* shefu_version(void);

/* Frees a string returned through a `char **out` parameter. NULL is fine. */
void shefu_free(void* p);

/* ---- Profiles ------------------------------------------------------------------------------
 * A profile is one enrolment: one SQLite file DATA/profiles/<name>.db holding the records, the
 * outbox and the profile's configuration (server, device id, token, pinned certificate, seal
 * key, user and scope). DATA is `data_dir`, else $XDG_DATA_HOME/shefu, else
 * ~/.local/share/shefu. Profile names: 1-64 characters of [A-Za-z0-9_-].
 */
enum {
  SHEFU_OPEN_CREATE = 1 /* create the profile when it does not exist (for enrolment) */
};

/* Opens `profile` in `data_dir` (either may be NULL). With profile NULL: the only profile if
 * exactly one exists, else "default" (SHEFU_E_STATE when there are several to choose from).
 * Like sqlite3_open, *out receives a handle even on failure (unless memory ran out), so the
 * caller can read shefu_last_error(); always shefu_close() it. Opening never touches the
 * network. Errors: SHEFU_E_NOT_FOUND (no such profile, without SHEFU_OPEN_CREATE),
 * SHEFU_E_BUSY, SHEFU_E_STORAGE, SHEFU_E_INVALID (bad name). */
int shefu_open(const char* data_dir, const char* profile, int flags, shefu_client** out);
void shefu_close(shefu_client* c);

/* The profiles in `data_dir` (NULL: the default directory), as JSON:
 *   [{"name":"default","enrolled":true,"server":"https://...","user":"王社工"}]
 * Profiles open in another process are listed with "busy":true and no details. */
int shefu_list_profiles(const char* data_dir, char** out_json);

/* "zh" (default from LANG/LC_ALL/LC_MESSAGES) or "en": the language of messages and texts. */
int shefu_set_language(shefu_client* c, const char* lang);
const char* shefu_last_error(const shefu_client* c);      /* "" after success */
const char* shefu_last_error_code(const shefu_client* c); /* "" after success */

/* ---- Enrolment ------------------------------------------------------------------------------
 * Claims a device token with a one-time code issued by town staff (shefu-server device enrol).
 * `url_or_uri` is either the server URL ("https://host:8443") with `code`, or the whole QR
 * payload "shefu-enrol:?url=...&code=XXXX-XXXX-XXXX[&pin=sha256//...]" with `code` NULL.
 * `pin` (may be NULL) is the server certificate's public-key pin "sha256//BASE64"; a pin in
 * the URI is used when `pin` is NULL. Once pinned, the device talks only to a server whose
 * certificate has that key (a self-signed certificate is fine). `device_label` may be NULL.
 * A profile that is already enrolled is refused (SHEFU_E_STATE) unless its enrolment was
 * revoked or must be renewed: then its unsent records move to the new enrolment.
 * Errors: SHEFU_E_REFUSED (codes enrol_code_used, enrol_code_expired, enrol_code_invalid),
 * SHEFU_E_TLS (tls_pin_mismatch, tls_untrusted), SHEFU_E_NETWORK, SHEFU_E_INVALID. */
int shefu_enrol(shefu_client* c, const char* url_or_uri, const char* code, const char* pin,
                const char* device_label);

/* Points the profile at another address of the same server (it moved, or a new port). The
 * pin stays. SHEFU_E_INVALID for anything but an http(s) URL. */
int shefu_set_server_url(shefu_client* c, const char* url);

/* ---- Reference data for forms ---------------------------------------------------------------
 * The service catalogue the need form offers (category and sub-item):
 *   {"source":"static","categories":[{"code":"basic","name":"基本公共服务类",
 *     "sub_items":[{"code":"basic.elderly_care","name":"居家养老","other":false}, ...]}, ...]}
 * "source" is "static" (第八条's list compiled in) until the district's annual catalogue is
 * synced; the shape stays the same then. */
int shefu_catalogue(shefu_client* c, char** out_json);
/* The communities the user may record needs in, own community first:
 *   [{"code":"440404100204","name":"...社区","town":"440404100","own":true}, ...] */
int shefu_communities(shefu_client* c, char** out_json);

/* ---- Needs (需求征集, 第九条) ----------------------------------------------------------------
 * A need form is a JSON object with any of these fields (create needs the ones marked *):
 *   community*   community code (default: the user's own community)
 *   building, unit, room   address parts (strings, optional)
 *   category     category code (optional when sub_item is given)
 *   sub_item*    sub-item code ("basic.elderly_care"); "<category>.other" needs other_reason
 *   other_reason text
 *   description* text
 *   people*      integer 1..100000, people affected
 *   urgency      "low" | "normal" (default) | "high" | "urgent"
 *   phone        resident's phone (optional; "" removes it)
 *   id_number    resident's ID-card number (optional, for duplicate detection; "" removes it):
 *                sealed to the server and masked before anything is stored
 * Validation errors name the field (shefu_last_error_code: "bad_field", "bad_phone",
 * "bad_id_number", "unknown_sub_item", "other_needs_reason", "unknown_community", ...). */
int shefu_need_create(shefu_client* c, const char* form_json, char** out_id);
/* Changes only the fields given; each field group merges on its own during sync, so two
 * workers editing different fields of one need both keep their edit. The address cannot change
 * after creation. `id` may be the full id or a unique abbreviation (see short_id). */
int shefu_need_edit(shefu_client* c, const char* id, const char* form_json);
/* Checks the fields given without writing anything (for inline validation in a form). */
int shefu_need_check(shefu_client* c, const char* form_json);
/* Marks the need withdrawn (status "withdrawn" with the reason; the record stays). */
int shefu_need_withdraw(shefu_client* c, const char* id, const char* reason);
/* One need:
 *   {"id","short_id","community","community_name","building","unit","room","address",
 *    "category","category_name","sub_item","sub_item_name","other_reason","description",
 *    "people","urgency","urgency_name","phone","phone_masked","id_masked",
 *    "state","state_name","state_reason","support","created","unsent":bool,"deleted":bool}
 * Absent optional fields are "" (phone, id_masked, ...). "unsent": some change of this need has
 * not reached the server yet. */
int shefu_need_get(shefu_client* c, const char* id, char** out_json);
/* Needs as a JSON array of the objects above, without "phone" (only "phone_masked"), newest
 * first. filter_json may be NULL or {"state":"open","community":"...","withdrawn":true,
 * "unsent":true}: withdrawn needs are left out unless "withdrawn" is true. */
int shefu_need_list(shefu_client* c, const char* filter_json, char** out_json);
/* A neighbour's "me too" (+1) or taking it back (-1): a counter, summed on read ("support"). */
int shefu_need_support(shefu_client* c, const char* id, int delta);

/* ---- Visits, votes, ballots, surveys ----------------------------------------------------------
 * Door-to-door visit log (append-only):
 *   {"community"?,"building"?,"unit"?,"room"?,"date"?:"YYYY-MM-DD" (default today),
 *    "outcome":"visited"|"no_one_home"|"declined"} */
int shefu_visit_add(shefu_client* c, const char* visit_json, char** out_id);
/* An open-ballot (记名) vote: one per ballot and voter; a second one is kept but not counted.
 * `assisted_by` may be NULL. The community is the user's own. */
int shefu_vote_record(shefu_client* c, const char* ballot, const char* voter, const char* choice,
                      const char* assisted_by, char** out_id);
/* A secret-ballot (无记名) choice: goes into the ballot's anonymous batch, with no voter, no
 * sequence number and no time finer than the day. Close the ballot to seal and queue it. */
int shefu_secret_choice_add(shefu_client* c, const char* ballot, const char* choice);
/* Seals the ballot's (or survey sitting's) anonymous batch; *out_count = items sealed. */
int shefu_anon_close(shefu_client* c, const char* session, int64_t* out_count);
/* Any anonymous-stream item (secret choices; anonymous survey answers once the survey module
 * defines their entity type): `value_json` is the record as the entity type defines it. */
int shefu_anon_add(shefu_client* c, const char* session, const char* entity,
                   const char* value_json);

/* ---- Generic records (any synced entity type of shared/entity_types.h) ----------------------
 * groups_json: {"group": value, ...}; append-only, unique-key and counter types have the single
 * group "record". A record as JSON:
 *   {"entity","id","short_id","deleted":bool,"unsent":bool,"counted":bool,
 *    "groups":{"people":{"value":{...},"unsent":bool,"by":"c_…","stamp":"…"}}}  */
int shefu_record_create(shefu_client* c, const char* entity, const char* groups_json,
                        char** out_id);
int shefu_record_write(shefu_client* c, const char* entity, const char* id, const char* group,
                       const char* value_json);
int shefu_record_delete(shefu_client* c, const char* entity, const char* id);
int shefu_record_get(shefu_client* c, const char* entity, const char* id, char** out_json);
int shefu_record_list(shefu_client* c, const char* entity, char** out_json);

/* ---- Sync -------------------------------------------------------------------------------------
 * Progress: `phase` is "upload", "anon", "download", "retry" or "done"; `done`/`total` count
 * outbox changes for "upload" (total = pending at start), rows for "download" (total -1 =
 * unknown), and the attempt number for "retry". Called on the calling thread. */
typedef void (*shefu_progress_fn)(void* user, const char* phase, int64_t done, int64_t total);

/* Uploads the outbox, then the sealed anonymous batches, then downloads the changes in scope.
 * Transport errors and 5xx/429 are retried with exponential backoff and jitter; a 4xx is never
 * retried. Interrupted at any point, the next sync resumes without loss or duplication.
 * options_json may be NULL or {"retries":6,"batch":200,"timeout_s":120}.
 * *out_summary (may be NULL; set even on failure) receives:
 *   {"result":"ok"|"rejected"|"failed"|"revoked"|"reenrol"|"upgrade",
 *    "uploaded","downloaded","conflicts","flagged","anon_batches",
 *    "rejected":[{"entity","id","short_id","field","field_name","code","detail","message"}],
 *    "error":{"code","message"}|null}
 * Returns SHEFU_OK, SHEFU_E_REJECTED (done, but some records were refused: see "rejected"),
 * SHEFU_E_REVOKED, SHEFU_E_REENROL, SHEFU_E_NETWORK, SHEFU_E_TLS, SHEFU_E_REFUSED,
 * SHEFU_E_NOT_ENROLLED. */
int shefu_sync(shefu_client* c, const char* options_json, shefu_progress_fn progress, void* user,
               char** out_summary);

/* The state of this device, all local (works offline):
 *   {"profile","server","client_id","enrolled":bool,"revoked":bool,"needs_reenrolment":bool,
 *    "user":{"login","name","role"},"scope":{"district","town","community"},
 *    "last_sync":ISO|null,"last_sync_result":"ok"|...|null,
 *    "pending_changes":n,"unsent_records":n,"anon_unsent":n,
 *    "oldest_unsent":ISO|null,"oldest_unsent_age_s":n|null,
 *    "clock_offset_ms":n|null (server minus device, as seen at the last sync),
 *    "open_conflicts":n,"rejected":n} */
int shefu_status(shefu_client* c, char** out_json);

enum {
  SHEFU_CONFLICTS_ALL = 1,     /* every conflict in scope, not only those involving this device */
  SHEFU_CONFLICTS_RESOLVED = 2 /* include resolved ones */
};
/* Conflicts received from the server (after sync), in plain words:
 *   [{"id","entity","record_id","short_id","field","field_name","rule","status",
 *     "mine":"lost"|"won"|"refused"|"none","text":"王社工 5月3日 把人数改成 4；你改成
 * 3（未被采用）", "winner":{"by","by_name","date","value_text"}|null,
 *     "loser":{"by","by_name","date","value_text"},"detected"}] */
int shefu_conflicts(shefu_client* c, int flags, char** out_json);

/* What happened to this device's writes, newest first (at most `limit`, 0 = 1000):
 *   [{"seq","entity","id","short_id","field","field_name","state":"pending"|"applied"|
 *     "conflict"|"refused"|"flagged","code","message","created","acked"}]  */
int shefu_outbox(shefu_client* c, int limit, char** out_json);

/* ---- Export and wipe ------------------------------------------------------------------------ */
enum {
  SHEFU_EXPORT_UNSENT = 1,    /* only records with changes the server has not received */
  SHEFU_EXPORT_FULL_PHONE = 2 /* full phone numbers instead of masked ones */
};
/* CSV (UTF-8 with BOM, CRLF, formula injection neutralised) of the needs, or of another entity
 * type ("visit", "vote"; NULL = "need"), for the township to re-enter or archive. ID numbers
 * appear masked only (the device never has them in clear). */
int shefu_export_csv(shefu_client* c, const char* entity, int flags, char** out_csv);

/* Removes this profile's local data (database and its WAL files). Refused with SHEFU_E_UNSENT
 * while anything is unsent, unless `force` is non-zero. After a successful wipe the handle is
 * closed for everything except shefu_close(). */
int shefu_wipe(shefu_client* c, int force);

/* ---- Satisfaction surveys (第二十六条; issue 7) ------------------------------------------------
 * Published template versions and this community's respondent sample arrive by sync.
 * shefu_survey_list: [{"id","short_id","project","template_id","version","title",
 *   "published_on","frame_size","open_unsealed","provisional":{report}}] where a report is
 *   {"n","respondents","frame_size","distribution":{"very_satisfied",...,"dont_know","skipped"},
 *    "suppressed","response_rate"?,"rate"?:"77.8%","interval"?:{"low_permille","high_permille",
 *    "text"},"index"?:"73.3","provisional":true} over this device's own answers, computed by
 *   the same functions as the server's final figure.
 * shefu_survey_get: {"id","project","index_question","min_n","published_on","template":
 *   shefu-survey/1, "frame":[{"entry","label"}]}  (the worker sees whom to visit, no tokens). */
int shefu_survey_list(shefu_client* c, char** out_json);
int shefu_survey_get(shefu_client* c, const char* id, char** out_json);
/* Records one interview, validated against the template version (survey_template.h: codes
 * wrong_template, required_missing, answer_to_hidden_question, bad_answer, unknown_question).
 * answers_json: {"q1":"satisfied","q2":["a","b"],"q3":true,"q4":42,"q5":"text"}.
 * options_json (may be NULL): {"entry":"<frame entry or a 4+ character prefix>",
 *   "non_frame":true (a respondent outside the sample; not counted in the rate),
 *   "started_ms","ended_ms" (UTC ms) or "duration_s"}. With a frame, entry or non_frame is
 * required (frame_entry_required). Nothing identifying is stored with the answers: they go to
 * the survey's anonymous batch; the frame entry's token travels as a separate item.
 * *out_json (may be NULL): {"survey","flags":["too_short"|"burst"...],
 *   "warnings":["already_interviewed_here"] (this household answered on this device before;
 *   kept, the server flags duplicates across devices),"in_frame",
 *   "provisional":{report}}. Flags are for review; the interview is always kept. */
int shefu_survey_take(shefu_client* c, const char* id, const char* answers_json,
                      const char* options_json, char** out_json);
/* For a guided form: the next question to ask after question `after` (NULL or "" = the first)
 * given the answers so far, following the template's skip logic:
 *   {"done":false,"question":{"id","type","text":{"zh","en"},"required","options"?,...}}
 * or {"done":true}. */
int shefu_survey_next(shefu_client* c, const char* id, const char* answers_json, const char* after,
                      char** out_json);
/* Seals the survey's anonymous batch (shuffled, dated by the day only) for the next sync;
 * *out_count = interviews sealed. A batch of fewer than 5 interviews is weakly anonymous (its day
 * and community narrow who answered): the CLI warns; close sittings with several interviews. */
int shefu_survey_close(shefu_client* c, const char* id, int64_t* out_count);
/* ---- Meetings and votes (issue 6; docs/voting.md, docs/client.md) -------------------------
 * A community meeting prepared by town staff (its ballots and a frozen roll package: masked
 * names, random roll entry ids, the proxies listed in advance) arrives by sync. Everything below
 * works offline and writes to this device's own log; the server's final tally merges every
 * device's records after sync. `meeting` is the meeting id or a unique abbreviation; roll
 * entries are given by id or by their number on the sign-in sheet ("17").
 *
 * Live state (returned by most calls), one object per ballot:
 *   {"ballot","title","secret","expected","present","cast","quorum_met",
 *    "quorum":[{"code","rule_zh","rule_en","inequality_zh","inequality_en","holds",...}],
 *    "closed_here":bool,
 *    "outlook":{"state":"open"|"already_passed"|"cannot_pass","yes_needed","more_yes_needed",
 *               "warnings":[{"code":"motion_cannot_pass","message_zh","message_en"}]}?}
 * "outlook" is given for motions; for a secret ballot only the yes votes needed are known. */
/* [{"id","short_id","community","kind","title","date","policy_version","ballots":[...],
 *   "roll_version","roll_size"}] */
int shefu_meeting_list(shefu_client* c, char** out_json);
/* The meeting with its roll (entries only when with_roll != 0), "live" and "final" (the
 * server's final result per ballot once synced, else {}). Errors: SHEFU_E_NOT_FOUND,
 * SHEFU_E_INVALID (no_roll: sync first; missing_rules: upgrade). */
int shefu_meeting_get(shefu_client* c, const char* meeting, int with_roll, char** out_json);
/* Records the opening (of a ballot when `ballot` is not NULL) and returns shefu_meeting_get. */
int shefu_meeting_open(shefu_client* c, const char* meeting, const char* ballot, char** out_json);
/* Check-in / check-out of a roll entry; `assisted_by` may be NULL. Returns
 * {"meeting","entry":{"id","no","name","household"},"live":[...]}. Errors (SHEFU_E_INVALID):
 * not_on_roll, already_checked_in, not_checked_in. */
int shefu_meeting_checkin(shefu_client* c, const char* meeting, const char* entry,
                          const char* assisted_by, char** out_json);
int shefu_meeting_checkout(shefu_client* c, const char* meeting, const char* entry,
                           char** out_json);
/* Casts one ballot: {"ballot":"b1","entry":"17","choice":"adopt"|"reject"|"yes"|"no"|"abstain"|
 * "blank"} or {"ballot","entry","marks":["p1","p3"]} (choose-k), with optional "assisted_by"
 * (who helped: recorded with the participation, never with a secret choice) and "proxy" (the
 * listed proxy casting the principal `entry`'s vote). Open ballots become a named vote record;
 * secret ballots a participation event plus an anonymous choice. Returns {"meeting","entry",
 * "live"}. Errors (SHEFU_E_INVALID): already_voted (a second ballot by the same roll entry),
 * ballot_closed (after this device's close), not_checked_in, proxy_not_listed,
 * principal_present, bad_choice, not_on_roll, unknown_ballot. */
int shefu_meeting_vote(shefu_client* c, const char* meeting, const char* vote_json,
                       char** out_json);
/* Closes a ballot on this device: an event in its own log (whatever it records for the ballot
 * after it is late); a secret ballot's choices are shuffled and sealed for the next sync.
 * Returns shefu_meeting_result for the ballot plus "warnings" (small_secret_batch: fewer than 5
 * secret ballots in this device's box, which its check-ins could link: let one device take all
 * secret ballots). Error: ballot_closed (already closed here). */
int shefu_meeting_close(shefu_client* c, const char* meeting, const char* ballot, char** out_json);
/* The provisional tally over what this device holds (every ballot when `ballot` is NULL):
 *   {"meeting","title","ballots":[{"ballot","title","provisional":true,
 *     "record":{"verdict","verdict_zh","verdict_en","expected","present","present_at_vote",
 *               "voters","returned","valid","blank","invalid","quorum_met","quorum":[...],
 *               "options":[{"option","label","votes","status","decision"?}],"excess",
 *               "findings":[...],"text_zh","text_en"},
 *     "irregularities":[{"code","message_zh","message_en","voter","records"}],
 *     "review":[...],"late","final":{...}|null}]}
 * text_zh / text_en are the printable result record (表决结果记录). */
int shefu_meeting_result(shefu_client* c, const char* meeting, const char* ballot, char** out_json);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* SHEFU_SHEFU_H_ */
