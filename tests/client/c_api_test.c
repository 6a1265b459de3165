/* The C API from C: this file is compiled as C11, includes only shefu/shefu.h and links the
 * library the way an Android (JNI) or iOS app would. It runs a real shefu-server (path in
 * argv[1]) on 127.0.0.1 and drives a whole field day through the API: open, enrol, needs,
 * visits, votes, a secret ballot, sync with a progress callback, status, conflicts, the outbox,
 * export and wipe — plus the error paths (codes, messages in both languages, NULL arguments). */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "shefu/shefu.h"

static int failures = 0;
#define CHECK(cond)                                                    \
  do {                                                                 \
    if (!(cond)) {                                                     \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                      \
    }                                                                  \
  } while (0)
#define REQUIRE(cond)                                                  \
  do {                                                                 \
    if (!(cond)) {                                                     \
      fprintf(stderr, "%s:%d: REQUIRE failed: %s\n", __FILE__, __LINE__, #cond); \
      cleanup();                                                       \
      exit(1);                                                         \
    }                                                                  \
  } while (0)

static char work[256];
static pid_t server_pid = -1;

static void cleanup(void) {
  if (server_pid > 0) {
    kill(server_pid, SIGTERM);
    waitpid(server_pid, NULL, 0);
    server_pid = -1;
  }
  if (work[0] && !getenv("SHEFU_KEEP_TMP")) {
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", work);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", work);
  }
}

/* Runs argv with stdout and stderr to `out_path` (NULL: inherited); returns the exit status. */
static int run(char* const argv[], const char* out_path, int background) {
  pid_t pid = fork();
  if (pid == 0) {
    if (out_path) {
      if (!freopen(out_path, "w", stdout) || !freopen(out_path, "a", stderr)) _exit(126);
    }
    execv(argv[0], argv);
    _exit(127);
  }
  if (background) {
    server_pid = pid;
    return 0;
  }
  int st = 0;
  waitpid(pid, &st, 0);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static char* slurp(const char* path) {
  FILE* f = fopen(path, "rb");
  if (!f) return NULL;
  char* buf = calloc(1, 1 << 16);
  size_t n = fread(buf, 1, (1 << 16) - 1, f);
  buf[n] = '\0';
  fclose(f);
  return buf;
}

static int contains(const char* hay, const char* needle) {
  return hay && needle && strstr(hay, needle) != NULL;
}

struct progress_log {
  int calls;
  int saw_upload;
  int saw_done;
  int64_t last_total;
};

static void on_progress(void* user, const char* phase, int64_t done, int64_t total) {
  struct progress_log* p = user;
  (void)done;
  ++p->calls;
  if (strcmp(phase, "upload") == 0) {
    p->saw_upload = 1;
    p->last_total = total;
  }
  if (strcmp(phase, "done") == 0) p->saw_done = 1;
}

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: shefu_c_api_test PATH/TO/shefu-server\n");
    return 2;
  }
  char* server = argv[1];
  snprintf(work, sizeof work, "%s/shefu-capi-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
  REQUIRE(mkdtemp(work) != NULL);
  char srv[300], dev[300], log[300], serve_json[320], url[64];
  snprintf(srv, sizeof srv, "%s/srv", work);
  snprintf(dev, sizeof dev, "%s/dev", work);
  snprintf(log, sizeof log, "%s/cmd.log", work);
  snprintf(serve_json, sizeof serve_json, "%s/serve.json", srv);

  /* A town server with one community worker and one enrolment code. */
  setenv("SHEFU_ADMIN_PASSWORD", "admin-password-123", 1);
  setenv("SHEFU_USER_PASSWORD", "wang-password-1", 1);
  setenv("LANG", "en_US.UTF-8", 1);
  {
    char* init[] = {server, "init", "--data", srv, NULL};
    REQUIRE(run(init, log, 0) == 0);
    char* add[] = {server, "user", "add", "--data", srv, "--login", "wang", "--name", "王社工",
                   "--role", "community_worker", "--place", "440404100204", NULL};
    REQUIRE(run(add, log, 0) == 0);
    char* enrol[] = {server, "device", "enrol", "--data", srv, "--user", "wang",
                     "--label", "pad", "--no-qr", NULL};
    REQUIRE(run(enrol, log, 0) == 0);
  }
  char code[32] = {0};
  {
    char* out = slurp(log);
    const char* at = out ? strstr(out, "enrolment code: ") : NULL;
    REQUIRE(at != NULL);
    memcpy(code, at + 16, 14);
    free(out);
  }
  {
    char* serve[] = {server, "serve", "--data", srv, "--listen", "127.0.0.1:0", NULL};
    unlink(serve_json);
    run(serve, log, 1);
    int port = 0;
    for (int i = 0; i < 3000 && port == 0; ++i) {
      char* j = slurp(serve_json);
      const char* p = j ? strstr(j, "\"port\":") : NULL;
      if (p) port = atoi(p + 7);
      free(j);
      if (port == 0) usleep(10000);
    }
    REQUIRE(port > 0);
    snprintf(url, sizeof url, "http://127.0.0.1:%d", port);
  }

  /* Opening: no profile yet. A handle comes back anyway, carrying the error. */
  CHECK(shefu_version() != NULL && shefu_version()[0] != '\0');
  shefu_client* c = NULL;
  CHECK(shefu_open(dev, NULL, 0, &c) == SHEFU_E_NOT_FOUND);
  REQUIRE(c != NULL);
  CHECK(strcmp(shefu_last_error_code(c), "no_profile") == 0);
  CHECK(contains(shefu_last_error(c), "shefu enrol"));
  CHECK(shefu_set_language(c, "zh") == SHEFU_OK);
  CHECK(contains(shefu_last_error(c), "shefu enrol"));
  shefu_close(c);

  REQUIRE(shefu_open(dev, NULL, SHEFU_OPEN_CREATE, &c) == SHEFU_OK);
  CHECK(shefu_set_language(c, "xx") == SHEFU_E_INVALID);
  CHECK(shefu_set_language(c, "en") == SHEFU_OK);
  char* id = NULL;
  CHECK(shefu_need_create(c, "{\"sub_item\":\"basic.health\",\"description\":\"d\",\"people\":1}",
                          &id) == SHEFU_E_NOT_ENROLLED);
  CHECK(id == NULL);

  /* Enrolment: a wrong code is refused with its code and message; the right one works. */
  CHECK(shefu_enrol(c, url, "ZZZZ-ZZZZ-ZZZZ", NULL, "C test") == SHEFU_E_REFUSED);
  CHECK(strcmp(shefu_last_error_code(c), "enrol_code_invalid") == 0);
  CHECK(contains(shefu_last_error(c), "invalid enrolment code"));
  CHECK(shefu_set_language(c, "zh") == SHEFU_OK);
  CHECK(contains(shefu_last_error(c), "注册码无效"));
  CHECK(shefu_set_language(c, "en") == SHEFU_OK);
  REQUIRE(shefu_enrol(c, url, code, NULL, "C test") == SHEFU_OK);
  CHECK(shefu_enrol(c, url, code, NULL, NULL) == SHEFU_E_STATE); /* already enrolled */

  /* Reference data for the form. */
  char* json = NULL;
  REQUIRE(shefu_catalogue(c, &json) == SHEFU_OK);
  CHECK(contains(json, "\"basic.elderly_care\""));
  CHECK(contains(json, "\"source\":\"static\""));
  shefu_free(json);
  REQUIRE(shefu_communities(c, &json) == SHEFU_OK);
  CHECK(contains(json, "440404100204"));
  shefu_free(json);

  /* Needs. */
  CHECK(shefu_need_check(c, "{\"people\":0}") == SHEFU_E_INVALID);
  CHECK(strcmp(shefu_last_error_code(c), "bad_people") == 0);
  CHECK(shefu_need_check(c, "{\"phone\":\"13812341234\"}") == SHEFU_OK);
  CHECK(shefu_need_check(c, "{not json") == SHEFU_E_INVALID);
  REQUIRE(shefu_need_create(c,
                            "{\"sub_item\":\"basic.elderly_care\",\"description\":\"独居老人需要助餐\","
                            "\"people\":2,\"building\":\"3\",\"room\":\"301\","
                            "\"phone\":\"13812341234\",\"id_number\":\"440402199001011762\"}",
                            &id) == SHEFU_OK);
  REQUIRE(id != NULL);
  char* id2 = NULL;
  REQUIRE(shefu_need_create(c, "{\"sub_item\":\"safety.legal_aid\",\"description\":\"咨询\",\"people\":1}",
                            &id2) == SHEFU_OK);
  CHECK(shefu_need_edit(c, id, "{\"people\":4}") == SHEFU_OK);
  CHECK(shefu_need_edit(c, id, "{\"room\":\"302\"}") == SHEFU_E_INVALID);
  CHECK(strcmp(shefu_last_error_code(c), "immutable_group") == 0);
  CHECK(shefu_need_support(c, id, 1) == SHEFU_OK);
  CHECK(shefu_need_support(c, id, 5) == SHEFU_E_INVALID);
  CHECK(shefu_need_withdraw(c, id2, "duplicate") == SHEFU_OK);
  CHECK(shefu_need_get(c, "no-such-need", &json) == SHEFU_E_NOT_FOUND);
  CHECK(json == NULL);
  REQUIRE(shefu_need_get(c, id + strlen(id) - 8, &json) == SHEFU_OK); /* a short id works */
  CHECK(contains(json, "\"people\":4"));
  CHECK(contains(json, "\"support\":1"));
  CHECK(contains(json, "\"id_masked\":\"4404**********1762\""));
  CHECK(contains(json, "\"phone\":\"13812341234\""));
  CHECK(!contains(json, "440402199001011762"));
  shefu_free(json);
  REQUIRE(shefu_need_list(c, NULL, &json) == SHEFU_OK);
  CHECK(contains(json, "\"phone_masked\":\"138****1234\""));
  CHECK(!contains(json, "13812341234"));
  CHECK(!contains(json, "咨询")); /* withdrawn needs are left out */
  shefu_free(json);
  REQUIRE(shefu_need_list(c, "{\"withdrawn\":true}", &json) == SHEFU_OK);
  CHECK(contains(json, "咨询"));
  shefu_free(json);

  /* Visits, an open-ballot vote, a secret ballot, a generic record. */
  char* rec = NULL;
  CHECK(shefu_visit_add(c, "{\"building\":\"3\",\"room\":\"303\",\"outcome\":\"visited\"}", &rec) ==
        SHEFU_OK);
  shefu_free(rec);
  CHECK(shefu_visit_add(c, "{\"outcome\":\"perhaps\"}", &rec) == SHEFU_E_INVALID);
  CHECK(shefu_vote_record(c, "ballot-1", "roll-7", "yes", NULL, &rec) == SHEFU_OK);
  shefu_free(rec);
  CHECK(shefu_secret_choice_add(c, "ballot-2", "yes") == SHEFU_OK);
  CHECK(shefu_secret_choice_add(c, "ballot-2", "no") == SHEFU_OK);
  int64_t sealed = 0;
  CHECK(shefu_anon_close(c, "ballot-2", &sealed) == SHEFU_OK);
  CHECK(sealed == 2);
  CHECK(shefu_record_create(c, "visit",
                            "{\"record\":{\"community\":\"440404100204\",\"date\":\"2026-03-01\","
                            "\"outcome\":\"declined\"}}",
                            &rec) == SHEFU_OK);
  REQUIRE(rec != NULL);
  REQUIRE(shefu_record_get(c, "visit", rec, &json) == SHEFU_OK);
  CHECK(contains(json, "declined"));
  shefu_free(json);
  shefu_free(rec);
  CHECK(shefu_record_list(c, "no_such_type", &json) == SHEFU_E_INVALID);
  REQUIRE(shefu_record_list(c, "visit", &json) == SHEFU_OK);
  CHECK(contains(json, "visited") && contains(json, "declined"));
  shefu_free(json);

  /* Status and outbox before the sync. */
  REQUIRE(shefu_status(c, &json) == SHEFU_OK);
  CHECK(contains(json, "\"enrolled\":true"));
  CHECK(contains(json, "\"anon_unsent\":2"));
  CHECK(!contains(json, "token"));
  shefu_free(json);
  REQUIRE(shefu_outbox(c, 0, &json) == SHEFU_OK);
  CHECK(contains(json, "\"state\":\"pending\""));
  shefu_free(json);

  /* Sync with a progress callback. */
  struct progress_log p = {0, 0, 0, 0};
  char* summary = NULL;
  CHECK(shefu_sync(c, "{\"batch\":5}", on_progress, &p, &summary) == SHEFU_OK);
  CHECK(contains(summary, "\"result\":\"ok\""));
  CHECK(contains(summary, "\"anon_batches\":1"));
  CHECK(p.calls > 2 && p.saw_upload && p.saw_done && p.last_total > 10);
  shefu_free(summary);
  CHECK(shefu_sync(c, "{\"batch\":\"many\"}", NULL, NULL, &summary) == SHEFU_E_INVALID);
  REQUIRE(shefu_status(c, &json) == SHEFU_OK);
  CHECK(contains(json, "\"pending_changes\":0"));
  CHECK(contains(json, "\"anon_unsent\":0"));
  shefu_free(json);
  REQUIRE(shefu_conflicts(c, 0, &json) == SHEFU_OK);
  CHECK(strcmp(json, "[]") == 0);
  shefu_free(json);

  /* Export: CSV with a BOM for Excel, masked phone unless asked. */
  REQUIRE(shefu_export_csv(c, NULL, 0, &json) == SHEFU_OK);
  CHECK(strncmp(json, "\xEF\xBB\xBF", 3) == 0);
  CHECK(contains(json, "description") && contains(json, "138****1234"));
  CHECK(!contains(json, "13812341234"));
  shefu_free(json);
  REQUIRE(shefu_export_csv(c, "need", SHEFU_EXPORT_FULL_PHONE, &json) == SHEFU_OK);
  CHECK(contains(json, "13812341234"));
  shefu_free(json);

  /* NULL arguments are errors, never crashes. */
  CHECK(shefu_need_list(NULL, NULL, &json) == SHEFU_E_INVALID);
  CHECK(shefu_need_get(c, NULL, &json) == SHEFU_E_INVALID);
  CHECK(strcmp(shefu_last_error(NULL), "") == 0);
  shefu_free(NULL);

  /* Wipe: nothing unsent after the sync, so it goes ahead; the handle is then closed. */
  CHECK(shefu_wipe(c, 0) == SHEFU_OK);
  CHECK(shefu_need_list(c, NULL, &json) == SHEFU_E_STATE);
  shefu_close(c);
  REQUIRE(shefu_list_profiles(dev, &json) == SHEFU_OK);
  CHECK(strcmp(json, "[]") == 0);
  shefu_free(json);
  shefu_free(id);
  shefu_free(id2);

  cleanup();
  if (failures) fprintf(stderr, "%d check(s) failed\n", failures);
  else printf("C API test passed\n");
  return failures ? 1 : 0;
}
