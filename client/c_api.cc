// The C API (include/shefu/shefu.h) over client::Client. Every entry point catches everything:
// no C++ exception crosses into C, Java or Swift. Errors become an int code plus the Status's
// message (in the handle's language) and stable code string, kept in the handle.
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <string>

#include "client/client.h"
#include "shared/version.h"
#include "shefu/shefu.h"

using shefu::Json;
using shefu::Lang;
using shefu::Status;
using shefu::client::Client;

struct shefu_client {
  std::unique_ptr<Client> core;
  Lang lang = shefu::CurrentLang();
  // The last failure, rendered in the handle's language when asked for (so choosing the
  // language after a failed open still gives the message in that language).
  Status last;
  mutable std::string rendered;
};

namespace {

int CodeFor(const std::string& code) {
  if (code.empty()) return SHEFU_OK;
  if (code == "profile_busy") return SHEFU_E_BUSY;
  if (code == "not_enrolled") return SHEFU_E_NOT_ENROLLED;
  if (code == "not_found" || code == "record_not_found" || code == "no_profile")
    return SHEFU_E_NOT_FOUND;
  if (code == "network_error" || code == "transport_error" || code == "server_busy" ||
      code == "internal" || code == "storage_busy_server")
    return SHEFU_E_NETWORK;
  if (code == "tls_pin_mismatch" || code == "tls_untrusted") return SHEFU_E_TLS;
  if (code == "device_revoked") return SHEFU_E_REVOKED;
  if (code == "needs_reenrolment" || code == "seq_reuse" || code == "outbox_pruned")
    return SHEFU_E_REENROL;
  if (code == "unsent_records") return SHEFU_E_UNSENT;
  if (code.rfind("storage_", 0) == 0 || code == "schema_too_new" || code == "tx_closed")
    return SHEFU_E_STORAGE;
  if (code == "already_enrolled" || code == "several_profiles" || code == "wiped" ||
      code == "protocol_unsupported")
    return SHEFU_E_STATE;
  if (code == "internal_error") return SHEFU_E_INTERNAL;
  if (code.rfind("enrol_code_", 0) == 0 || code == "unauthenticated" || code == "forbidden" ||
      code == "rate_limited" || code == "client_mismatch" || code == "bad_reply" ||
      code == "http_error" || code == "user_disabled" || code == "bad_request" ||
      code == "batch_too_large")
    return SHEFU_E_REFUSED;
  return SHEFU_E_INVALID;
}

int Fail(shefu_client* c, const Status& st) {
  c->last = st;
  return CodeFor(st.code());
}

int Invalid(shefu_client* c, const char* what) {
  return Fail(c, Status::Error("bad_argument", std::string("参数无效：") + what,
                               std::string("invalid argument: ") + what));
}

char* Dup(const std::string& s) {
  char* p = static_cast<char*>(std::malloc(s.size() + 1));
  if (!p) throw std::bad_alloc();
  std::memcpy(p, s.data(), s.size());
  p[s.size()] = '\0';
  return p;
}

// Runs `f` (returning an int code) with every exception turned into SHEFU_E_INTERNAL.
template <typename F>
int Guard(shefu_client* c, F&& f) {
  if (!c) return SHEFU_E_INVALID;
  c->last = Status::Ok();
  try {
    if (!c->core)
      return Fail(c, Status::Error("not_open", "配置未能打开", "the profile is not open"));
    return f(*c->core);
  } catch (const std::bad_alloc&) {
    return Fail(c, Status::Error("internal_error", "内存不足", "out of memory"));
  } catch (const std::exception& e) {
    return Fail(c, Status::Error("internal_error", std::string("内部错误：") + e.what(),
                                 std::string("internal error: ") + e.what()));
  } catch (...) {
    return Fail(c, Status::Error("internal_error", "内部错误", "internal error"));
  }
}

// Parses JSON text from the caller; NULL gives `null`.
bool ParseArg(shefu_client* c, const char* text, Json* out, int* rc) {
  if (!text) {
    *out = Json();
    return true;
  }
  auto j = shefu::ParseJson(text);
  if (!j.ok()) {
    *rc = Fail(c, j.status());
    return false;
  }
  *out = std::move(*j);
  return true;
}

std::string OrEmpty(const char* p) {
  return p ? std::string(p) : std::string();
}

// Sets *out to the JSON text of `r` (or its error).
int ReturnJson(shefu_client* c, const shefu::Result<Json>& r, char** out) {
  if (!r.ok()) return Fail(c, r.status());
  *out = Dup(shefu::DumpJson(*r));
  return SHEFU_OK;
}

int ReturnString(shefu_client* c, const shefu::Result<std::string>& r, char** out) {
  if (!r.ok()) return Fail(c, r.status());
  if (out) *out = Dup(*r);
  return SHEFU_OK;
}

}  // namespace

extern "C" {

const char* shefu_version(void) {
  return shefu::kProductVersion;
}

void shefu_free(void* p) {
  std::free(p);
}

int shefu_open(const char* data_dir, const char* profile, int flags, shefu_client** out) {
  if (!out) return SHEFU_E_INVALID;
  *out = nullptr;
  shefu_client* c = new (std::nothrow) shefu_client();
  if (!c) return SHEFU_E_INTERNAL;
  *out = c;
  try {
    shefu::client::OpenOptions o{OrEmpty(data_dir), OrEmpty(profile),
                                 (flags & SHEFU_OPEN_CREATE) != 0};
    auto r = Client::Open(o);
    if (!r.ok()) return Fail(c, r.status());
    c->core = std::move(*r);
    c->core->set_lang(c->lang);
    return SHEFU_OK;
  } catch (...) {
    return Fail(c, Status::Error("internal_error", "内部错误", "internal error"));
  }
}

void shefu_close(shefu_client* c) {
  try {
    delete c;
  } catch (...) {
  }
}

int shefu_list_profiles(const char* data_dir, char** out_json) {
  if (!out_json) return SHEFU_E_INVALID;
  *out_json = nullptr;
  try {
    auto r = Client::ListProfiles(OrEmpty(data_dir));
    if (!r.ok()) return CodeFor(r.status().code());
    *out_json = Dup(shefu::DumpJson(*r));
    return SHEFU_OK;
  } catch (...) {
    return SHEFU_E_INTERNAL;
  }
}

int shefu_set_language(shefu_client* c, const char* lang) {
  if (!c) return SHEFU_E_INVALID;
  Lang l;
  if (!lang || !shefu::ParseLang(lang, &l))
    return Fail(c,
                Status::Error("bad_argument", "语言只能是 zh 或 en", "language must be zh or en"));
  c->lang = l;
  if (c->core) c->core->set_lang(l);
  return SHEFU_OK;
}

const char* shefu_last_error(const shefu_client* c) {
  if (!c) return "";
  c->rendered = c->last.ok() ? std::string() : c->last.message(c->lang);
  return c->rendered.c_str();
}

const char* shefu_last_error_code(const shefu_client* c) {
  return c ? c->last.code().c_str() : "";
}

int shefu_enrol(shefu_client* c, const char* url_or_uri, const char* code, const char* pin,
                const char* device_label) {
  return Guard(c, [&](Client& k) -> int {
    if (!url_or_uri || !*url_or_uri) return Invalid(c, "url_or_uri");
    return Fail(c, k.Enrol(url_or_uri, OrEmpty(code), OrEmpty(pin), OrEmpty(device_label)));
  });
}

int shefu_set_server_url(shefu_client* c, const char* url) {
  return Guard(c, [&](Client& k) -> int {
    if (!url) return Invalid(c, "url");
    return Fail(c, k.SetServerUrl(url));
  });
}

int shefu_catalogue(shefu_client* c, char** out_json) {
  if (out_json) *out_json = nullptr;
  return Guard(c, [&](Client& k) -> int {
    if (!out_json) return Invalid(c, "out_json");
    *out_json = Dup(shefu::DumpJson(k.Catalogue()));
    return SHEFU_OK;
  });
}

int shefu_communities(shefu_client* c, char** out_json) {
  if (out_json) *out_json = nullptr;
  return Guard(c, [&](Client& k) -> int {
    if (!out_json) return Invalid(c, "out_json");
    *out_json = Dup(shefu::DumpJson(k.Communities()));
    return SHEFU_OK;
  });
}

int shefu_need_create(shefu_client* c, const char* form_json, char** out_id) {
  if (out_id) *out_id = nullptr;
  return Guard(c, [&](Client& k) -> int {
    if (!form_json) return Invalid(c, "form_json");
    Json form;
    int rc = SHEFU_OK;
    if (!ParseArg(c, form_json, &form, &rc)) return rc;
    return ReturnString(c, k.NeedCreate(form), out_id);
  });
}

int shefu_need_edit(shefu_client* c, const char* id, const char* form_json) {
  return Guard(c, [&](Client& k) -> int {
    if (!id || !form_json) return Invalid(c, "id, form_json");
    Json form;
    int rc = SHEFU_OK;
    if (!ParseArg(c, form_json, &form, &rc)) return rc;
    return Fail(c, k.NeedEdit(id, form));
  });
}

int shefu_need_check(shefu_client* c, const char* form_json) {
  return Guard(c, [&](Client& k) -> int {
    if (!form_json) return Invalid(c, "form_json");
    Json form;
    int rc = SHEFU_OK;
    if (!ParseArg(c, form_json, &form, &rc)) return rc;
    return Fail(c, k.NeedCheck(form));
  });
}

int shefu_need_withdraw(shefu_client* c, const char* id, const char* reason) {
  return Guard(c, [&](Client& k) -> int {
    if (!id) return Invalid(c, "id");
    return Fail(c, k.NeedWithdraw(id, OrEmpty(reason)));
  });
}

int shefu_need_get(shefu_client* c, const char* id, char** out_json) {
  if (out_json) *out_json = nullptr;
  return Guard(c, [&](Client& k) -> int {
    if (!id || !out_json) return Invalid(c, "id, out_json");
    return ReturnJson(c, k.NeedGet(id), out_json);
  });
}

int shefu_need_list(shefu_client* c, const char* filter_json, char** out_json) {
  if (out_json) *out_json = nullptr;
  return Guard(c, [&](Client& k) -> int {
    if (!out_json) return Invalid(c, "out_json");
    Json filter;
    int rc = SHEFU_OK;
    if (!ParseArg(c, filter_json, &filter, &rc)) return rc;
    return ReturnJson(c, k.NeedList(filter), out_json);
  });
}

int shefu_need_support(shefu_client* c, const char* id, int delta) {
  return Guard(c, [&](Client& k) -> int {
    if (!id) return Invalid(c, "id");
    return Fail(c, k.NeedSupport(id, delta));
  });
}

int shefu_visit_add(shefu_client* c, const char* visit_json, char** out_id) {
  if (out_id) *out_id = nullptr;
  return Guard(c, [&](Client& k) -> int {
    if (!visit_json) return Invalid(c, "visit_json");
    Json v;
    int rc = SHEFU_OK;
    if (!ParseArg(c, visit_json, &v, &rc)) return rc;
    return ReturnString(c, k.VisitAdd(v), out_id);
  });
}

int shefu_vote_record(shefu_client* c, const char* ballot, const char* voter, const char* choice,
                      const char* assisted_by, char** out_id) {
  if (out_id) *out_id = nullptr;
  return Guard(c, [&](Client& k) -> int {
    if (!ballot || !voter || !choice) return Invalid(c, "ballot, voter, choice");
    return ReturnString(c, k.VoteRecord(ballot, voter, choice, OrEmpty(assisted_by)), out_id);
  });
}

int shefu_secret_choice_add(shefu_client* c, const char* ballot, const char* choice) {
  return Guard(c, [&](Client& k) -> int {
    if (!ballot || !choice) return Invalid(c, "ballot, choice");
    return Fail(c, k.SecretChoiceAdd(ballot, choice));
  });
}

int shefu_anon_close(shefu_client* c, const char* session, int64_t* out_count) {
  return Guard(c, [&](Client& k) -> int {
    if (!session) return Invalid(c, "session");
    auto r = k.AnonClose(session);
    if (!r.ok()) return Fail(c, r.status());
    if (out_count) *out_count = *r;
    return SHEFU_OK;
  });
}

int shefu_anon_add(shefu_client* c, const char* session, const char* entity,
                   const char* value_json) {
  return Guard(c, [&](Client& k) -> int {
    if (!session || !entity || !value_json) return Invalid(c, "session, entity, value_json");
    Json v;
    int rc = SHEFU_OK;
    if (!ParseArg(c, value_json, &v, &rc)) return rc;
    return Fail(c, k.AnonAdd(session, entity, std::move(v)));
  });
}

int shefu_record_create(shefu_client* c, const char* entity, const char* groups_json,
                        char** out_id) {
  if (out_id) *out_id = nullptr;
  return Guard(c, [&](Client& k) -> int {
    if (!entity || !groups_json) return Invalid(c, "entity, groups_json");
    Json g;
    int rc = SHEFU_OK;
    if (!ParseArg(c, groups_json, &g, &rc)) return rc;
    return ReturnString(c, k.RecordCreate(entity, g), out_id);
  });
}

int shefu_record_write(shefu_client* c, const char* entity, const char* id, const char* group,
                       const char* value_json) {
  return Guard(c, [&](Client& k) -> int {
    if (!entity || !id || !group || !value_json) return Invalid(c, "entity, id, group, value_json");
    Json v;
    int rc = SHEFU_OK;
    if (!ParseArg(c, value_json, &v, &rc)) return rc;
    return Fail(c, k.RecordWrite(entity, id, group, std::move(v)));
  });
}

int shefu_record_delete(shefu_client* c, const char* entity, const char* id) {
  return Guard(c, [&](Client& k) -> int {
    if (!entity || !id) return Invalid(c, "entity, id");
    return Fail(c, k.RecordDelete(entity, id));
  });
}

int shefu_record_get(shefu_client* c, const char* entity, const char* id, char** out_json) {
  if (out_json) *out_json = nullptr;
  return Guard(c, [&](Client& k) -> int {
    if (!entity || !id || !out_json) return Invalid(c, "entity, id, out_json");
    return ReturnJson(c, k.RecordGet(entity, id), out_json);
  });
}

int shefu_record_list(shefu_client* c, const char* entity, char** out_json) {
  if (out_json) *out_json = nullptr;
  return Guard(c, [&](Client& k) -> int {
    if (!entity || !out_json) return Invalid(c, "entity, out_json");
    return ReturnJson(c, k.RecordList(entity), out_json);
  });
}

int shefu_sync(shefu_client* c, const char* options_json, shefu_progress_fn progress, void* user,
               char** out_summary) {
  if (out_summary) *out_summary = nullptr;
  return Guard(c, [&](Client& k) -> int {
    Json o;
    int rc = SHEFU_OK;
    if (!ParseArg(c, options_json, &o, &rc)) return rc;
    shefu::client::SyncOptions opt;
    if (o.is_object()) {
      auto attempts = shefu::OptInt(o, "retries", 1, 100);
      auto batch = shefu::OptInt(o, "batch", 1, 1000);
      if (!attempts.ok()) return Fail(c, attempts.status());
      if (!batch.ok()) return Fail(c, batch.status());
      if (*attempts) opt.attempts = static_cast<int>(**attempts);
      if (*batch) opt.batch = static_cast<size_t>(**batch);
    } else if (!o.is_null()) {
      return Invalid(c, "options_json");
    }
    shefu::client::ProgressFn fn;
    if (progress) {
      fn = [progress, user](const char* phase, int64_t done, int64_t total) {
        progress(user, phase, done, total);
      };
    }
    shefu::client::SyncReport r = k.Sync(opt, fn);
    if (out_summary) *out_summary = Dup(shefu::DumpJson(k.SyncReportJson(r)));
    if (r.result == "ok") return SHEFU_OK;
    if (r.result == "rejected") {
      Fail(c,
           Status::Error("rejected", "服务器拒收了部分记录", "the server rejected some records"));
      return SHEFU_E_REJECTED;
    }
    if (r.result == "revoked" || r.result == "reenrol") {
      Fail(c, r.error);
      return r.result == "revoked" ? SHEFU_E_REVOKED : SHEFU_E_REENROL;
    }
    int code = Fail(c, r.error);
    return code == SHEFU_E_INVALID ? SHEFU_E_REFUSED : code;
  });
}

int shefu_status(shefu_client* c, char** out_json) {
  if (out_json) *out_json = nullptr;
  return Guard(c, [&](Client& k) -> int {
    if (!out_json) return Invalid(c, "out_json");
    return ReturnJson(c, k.StatusJson(), out_json);
  });
}

int shefu_conflicts(shefu_client* c, int flags, char** out_json) {
  if (out_json) *out_json = nullptr;
  return Guard(c, [&](Client& k) -> int {
    if (!out_json) return Invalid(c, "out_json");
    return ReturnJson(c, k.Conflicts(flags), out_json);
  });
}

int shefu_outbox(shefu_client* c, int limit, char** out_json) {
  if (out_json) *out_json = nullptr;
  return Guard(c, [&](Client& k) -> int {
    if (!out_json || limit < 0) return Invalid(c, "limit, out_json");
    return ReturnJson(c, k.Outbox(limit), out_json);
  });
}

int shefu_export_csv(shefu_client* c, const char* entity, int flags, char** out_csv) {
  if (out_csv) *out_csv = nullptr;
  return Guard(c, [&](Client& k) -> int {
    if (!out_csv) return Invalid(c, "out_csv");
    return ReturnString(c, k.ExportCsv(OrEmpty(entity), flags), out_csv);
  });
}

int shefu_wipe(shefu_client* c, int force) {
  return Guard(c, [&](Client& k) -> int { return Fail(c, k.Wipe(force != 0)); });
}

/* ---- Satisfaction surveys (issue 7) ---- */

int shefu_survey_list(shefu_client* c, char** out_json) {
  if (out_json) *out_json = nullptr;
  return Guard(c, [&](Client& k) -> int {
    if (!out_json) return Invalid(c, "out_json");
    return ReturnJson(c, k.SurveyList(), out_json);
  });
}

int shefu_survey_get(shefu_client* c, const char* id, char** out_json) {
  if (out_json) *out_json = nullptr;
  return Guard(c, [&](Client& k) -> int {
    if (!id || !out_json) return Invalid(c, "id, out_json");
    return ReturnJson(c, k.SurveyGet(id), out_json);
  });
}

int shefu_survey_take(shefu_client* c, const char* id, const char* answers_json,
                      const char* options_json, char** out_json) {
  if (out_json) *out_json = nullptr;
  return Guard(c, [&](Client& k) -> int {
    if (!id || !answers_json) return Invalid(c, "id, answers_json");
    Json answers, options;
    int rc = SHEFU_OK;
    if (!ParseArg(c, answers_json, &answers, &rc)) return rc;
    if (!ParseArg(c, options_json, &options, &rc)) return rc;
    if (options.is_null()) options = Json::object();
    auto r = k.SurveyTake(id, answers, options);
    if (!out_json) return r.ok() ? SHEFU_OK : Fail(c, r.status());
    return ReturnJson(c, std::move(r), out_json);
  });
}

int shefu_survey_next(shefu_client* c, const char* id, const char* answers_json, const char* after,
                      char** out_json) {
  if (out_json) *out_json = nullptr;
  return Guard(c, [&](Client& k) -> int {
    if (!id || !answers_json || !out_json) return Invalid(c, "id, answers_json, out_json");
    Json answers;
    int rc = SHEFU_OK;
    if (!ParseArg(c, answers_json, &answers, &rc)) return rc;
    return ReturnJson(c, k.SurveyNext(id, answers, OrEmpty(after)), out_json);
  });
}

int shefu_survey_close(shefu_client* c, const char* id, int64_t* out_count) {
  return Guard(c, [&](Client& k) -> int {
    if (!id) return Invalid(c, "id");
    auto r = k.SurveyClose(id);
    if (!r.ok()) return Fail(c, r.status());
    if (out_count) *out_count = *r;
    return SHEFU_OK;
  });
}

// ---- Meetings and votes (issue 6) ----

int shefu_meeting_list(shefu_client* c, char** out_json) {
  if (out_json) *out_json = nullptr;
  return Guard(c, [&](Client& k) -> int {
    if (!out_json) return Invalid(c, "out_json");
    return ReturnJson(c, k.MeetingList(), out_json);
  });
}

int shefu_meeting_get(shefu_client* c, const char* meeting, int with_roll, char** out_json) {
  if (out_json) *out_json = nullptr;
  return Guard(c, [&](Client& k) -> int {
    if (!meeting || !out_json) return Invalid(c, "meeting, out_json");
    return ReturnJson(c, k.MeetingGet(meeting, with_roll != 0), out_json);
  });
}

int shefu_meeting_open(shefu_client* c, const char* meeting, const char* ballot, char** out_json) {
  if (out_json) *out_json = nullptr;
  return Guard(c, [&](Client& k) -> int {
    if (!meeting || !out_json) return Invalid(c, "meeting, out_json");
    return ReturnJson(c, k.MeetingOpen(meeting, OrEmpty(ballot)), out_json);
  });
}

int shefu_meeting_checkin(shefu_client* c, const char* meeting, const char* entry,
                          const char* assisted_by, char** out_json) {
  if (out_json) *out_json = nullptr;
  return Guard(c, [&](Client& k) -> int {
    if (!meeting || !entry || !out_json) return Invalid(c, "meeting, entry, out_json");
    return ReturnJson(c, k.MeetingCheck(meeting, entry, true, OrEmpty(assisted_by)), out_json);
  });
}

int shefu_meeting_checkout(shefu_client* c, const char* meeting, const char* entry,
                           char** out_json) {
  if (out_json) *out_json = nullptr;
  return Guard(c, [&](Client& k) -> int {
    if (!meeting || !entry || !out_json) return Invalid(c, "meeting, entry, out_json");
    return ReturnJson(c, k.MeetingCheck(meeting, entry, false, ""), out_json);
  });
}

int shefu_meeting_vote(shefu_client* c, const char* meeting, const char* vote_json,
                       char** out_json) {
  if (out_json) *out_json = nullptr;
  return Guard(c, [&](Client& k) -> int {
    if (!meeting || !vote_json || !out_json) return Invalid(c, "meeting, vote_json, out_json");
    Json v;
    int rc = SHEFU_OK;
    if (!ParseArg(c, vote_json, &v, &rc)) return rc;
    return ReturnJson(c, k.MeetingVote(meeting, v), out_json);
  });
}

int shefu_meeting_close(shefu_client* c, const char* meeting, const char* ballot, char** out_json) {
  if (out_json) *out_json = nullptr;
  return Guard(c, [&](Client& k) -> int {
    if (!meeting || !ballot || !out_json) return Invalid(c, "meeting, ballot, out_json");
    return ReturnJson(c, k.MeetingClose(meeting, ballot), out_json);
  });
}

int shefu_meeting_result(shefu_client* c, const char* meeting, const char* ballot,
                         char** out_json) {
  if (out_json) *out_json = nullptr;
  return Guard(c, [&](Client& k) -> int {
    if (!meeting || !out_json) return Invalid(c, "meeting, out_json");
    return ReturnJson(c, k.MeetingResult(meeting, OrEmpty(ballot)), out_json);
  });
}

}  // extern "C"
