// The wire format: every message round-trips; the decoders refuse anything malformed with a
// typed error (and never throw); versions N and N-1 are accepted and nothing else.
#include "sync/wire.h"
#include "sync/cursor.h"
#include "sync/gzip.h"
#include "sync/uuid.h"
#include "tests/sync/sync_fixture.h"

using namespace shefu;
using namespace shefu::sync;
using namespace shefu::sync::test;

namespace {

UploadRequest SampleUpload() {
  UploadRequest r;
  r.client_id = "dev-7f3a";
  r.epoch = "9c1e5a0d44b2e0f1";
  r.first_seq = 41;
  r.last_seq = 42;
  r.changes.push_back(MakeChange(41, "need", "0193a5c2-e1f4-7abc-9def-0123456789ab", "people",
                                 Json{{"count", 3}}, Hlc::Make(1764374400000, 2), 1207));
  r.changes.push_back(MakeChange(42, "need", "0193a5c2-e1f4-7abc-9def-0123456789ab", "_deleted",
                                 true, Hlc::Make(1764374400000, 3), 1209));
  return r;
}

std::string CodeOf(Json j) {
  auto r = DecodeUploadRequest(std::move(j));
  return r.ok() ? "ok" : r.status().code();
}

}  // namespace

TEST_CASE("Wire: an upload request round-trips and values get their canonical text") {
  UploadRequest r = SampleUpload();
  auto back = DecodeUploadRequest(Encode(r));
  REQUIRE(back.ok());
  CHECK(back->client_id == r.client_id);
  CHECK(back->epoch == r.epoch);
  REQUIRE(back->changes.size() == 2);
  CHECK(back->changes[0].hlc == r.changes[0].hlc);
  CHECK(back->changes[0].base == 1207);
  CHECK(back->changes[0].value_text == R"({"count":3})");
  CHECK(back->changes[1].value_text == "true");
  // Keys are sorted in the canonical text whatever order they came in.
  auto j = ParseMessage(
      R"({"protocol":1,"schema":1,"client_id":"d","epoch":"","first_seq":1,"last_seq":1,"changes":[{"seq":1,"entity":"need","id":"x","group":"place","value":{"z":1,"a":2},"hlc":"0000000000000001","base":0}],"later_field":{"x":1}})");
  REQUIRE(j.ok());
  auto d = DecodeUploadRequest(std::move(*j));
  REQUIRE(d.ok());  // an unknown top-level field from a newer client is ignored
  CHECK(d->changes[0].value_text == R"({"a":2,"z":1})");
}

TEST_CASE("Wire: malformed upload requests are refused as bad_request — never thrown") {
  Json good = Encode(SampleUpload());
  CHECK(CodeOf(good) == "ok");
  auto with = [&](auto edit) {
    Json j = good;
    edit(j);
    return CodeOf(std::move(j));
  };
  CHECK(with([](Json& j) { j.erase("client_id"); }) == "bad_request");
  CHECK(with([](Json& j) { j["client_id"] = 5; }) == "bad_request");
  CHECK(with([](Json& j) { j["client_id"] = "has space"; }) == "bad_request");
  CHECK(with([](Json& j) { j["epoch"] = "NOTHEX"; }) == "bad_request");
  CHECK(with([](Json& j) { j["first_seq"] = 41.5; }) == "bad_request");
  CHECK(with([](Json& j) { j["first_seq"] = 0; }) == "bad_request");
  CHECK(with([](Json& j) { j["last_seq"] = 40; }) == "bad_request");
  CHECK(with([](Json& j) { j["last_seq"] = 43; }) == "bad_request");           // count mismatch
  CHECK(with([](Json& j) { j["changes"][1]["seq"] = 44; }) == "bad_request");  // not contiguous
  CHECK(with([](Json& j) { j["changes"][0]["hlc"] = "12345"; }) == "bad_request");
  CHECK(with([](Json& j) { j["changes"][0]["hlc"] = "zz00000000000000"; }) == "bad_request");
  CHECK(with([](Json& j) { j["changes"][0]["hlc"] = "ffffffffffffffff"; }) == "bad_request");
  CHECK(with([](Json& j) { j["changes"][0]["entity"] = "Need"; }) == "bad_request");
  CHECK(with([](Json& j) { j["changes"][0]["id"] = std::string(65, 'a'); }) == "bad_request");
  CHECK(with([](Json& j) { j["changes"][0]["group"] = ""; }) == "bad_request");
  CHECK(with([](Json& j) { j["changes"][0].erase("value"); }) == "bad_request");
  CHECK(with([](Json& j) { j["changes"][0]["base"] = -1; }) == "bad_request");
  CHECK(with([](Json& j) { j["changes"][0]["value"] = std::string(70000, 'x'); }) == "bad_request");
  CHECK(with([](Json& j) { j["changes"] = Json::object(); }) == "bad_request");
  CHECK(with([](Json& j) { j["changes"][0] = 7; }) == "bad_request");
  CHECK(with([](Json& j) { j["protocol"] = "1"; }) == "bad_request");
  CHECK(with([](Json& j) { j.erase("schema"); }) == "bad_request");
  CHECK(CodeOf(Json::array()) == "bad_request");
  CHECK(CodeOf(Json(nullptr)) == "bad_request");
}

TEST_CASE("Wire: more than 1000 changes is batch_too_large") {
  UploadRequest r;
  r.client_id = "d";
  r.first_seq = 1;
  for (int i = 1; i <= 1001; ++i)
    r.changes.push_back(MakeChange(i, "need", "x", "people", Json{{"count", 1}}, Hlc::Make(1, 0)));
  r.last_seq = 1001;
  CHECK(CodeOf(Encode(r)) == "batch_too_large");
}

TEST_CASE("Wire: versions N and N-1 are accepted — anything else is protocol_unsupported") {
  VersionPolicy v{3, 5};
  auto msg = [](int p, int s) { return Json{{"protocol", p}, {"schema", s}}; };
  CHECK(CheckVersions(msg(3, 5), v).ok());
  CHECK(CheckVersions(msg(2, 4), v).ok());
  CHECK(CheckVersions(msg(2, 5), v).ok());
  CHECK(CheckVersions(msg(4, 5), v).code() == "protocol_unsupported");
  CHECK(CheckVersions(msg(1, 5), v).code() == "protocol_unsupported");
  CHECK(CheckVersions(msg(3, 3), v).code() == "protocol_unsupported");
  CHECK(CheckVersions(msg(0, 5), VersionPolicy{1, 1}).code() == "protocol_unsupported");
  CHECK(VersionAccepted(1, 1));
  CHECK_FALSE(VersionAccepted(0, 1));
}

TEST_CASE("Wire: replies and pages and anonymous batches and errors round-trip") {
  UploadReply up;
  up.epoch = "00000000000000aa";
  up.acked_seq = 9;
  up.server_hlc = Hlc::Make(77, 1);
  up.checkpoint = 1311;
  up.results.push_back(
      RecordResult{8, Outcome::kRefused, "scope_reject", "scope", {"范围", "scope"}});
  auto up2 = DecodeUploadReply(Encode(up));
  REQUIRE(up2.ok());
  CHECK(up2->epoch == up.epoch);
  CHECK(up2->results.size() == 1);
  CHECK(up2->results[0].outcome == Outcome::kRefused);
  CHECK(up2->results[0].message.zh == "范围");

  DownloadReply page;
  page.epoch = "00000000000000aa";
  page.server_hlc = Hlc::Make(78, 0);
  page.changes.push_back(
      FeedRow{"need", "x", "people", Json{{"count", 2}}, Hlc::Make(5, 0), "dev", 3, 12, 0});
  page.next_cursor = "c1.00000000000000aa.12.0000000000000001";
  page.checkpoint = 12;
  page.has_more = true;
  auto page2 = DecodeDownloadReply(Encode(page));
  REQUIRE(page2.ok());
  CHECK(page2->changes[0].version == 12);
  CHECK(page2->has_more);

  DownloadRequest dr;
  dr.cursor = page.next_cursor;
  dr.limit = 1001;
  CHECK(DecodeDownloadRequest(Encode(dr)).status().code() == "bad_request");
  dr.limit = 1000;
  CHECK(DecodeDownloadRequest(Encode(dr)).ok());

  AnonUploadRequest anon;
  anon.batch_id = std::string(32, 'a');
  anon.date = "2026-03-01";
  anon.items.push_back(AnonItem{"secret_choice", SecretChoice("b1", "yes")});
  CHECK(DecodeAnonUploadRequest(Encode(anon)).ok());
  anon.date = "2026-03-01T10:00";
  CHECK_FALSE(DecodeAnonUploadRequest(Encode(anon)).ok());
  anon.date = "2026-03-01";
  anon.batch_id = "short";
  CHECK_FALSE(DecodeAnonUploadRequest(Encode(anon)).ok());

  ErrorReply e = ToErrorReply(ProtocolError(kExpectedSeq), 37);
  auto e2 = DecodeErrorReply(Encode(e));
  REQUIRE(e2.ok());
  REQUIRE(*e2);
  CHECK((*e2)->code == "expected_seq");
  CHECK((*e2)->action == Action::kRetry);
  CHECK((*e2)->expected_seq == 37);
  auto none = DecodeErrorReply(Encode(up));
  REQUIRE(none.ok());
  CHECK_FALSE(*none);
}

TEST_CASE("Wire: ParseMessage refuses bad UTF-8 — deep nesting and non-JSON") {
  CHECK(ParseMessage("{\"a\":\"\xff\"}").status().code() == "bad_request");
  CHECK(ParseMessage(std::string(40, '[') + std::string(40, ']')).status().code() == "bad_request");
  CHECK(ParseMessage("{").status().code() == "bad_request");
  CHECK(ParseMessage("").status().code() == "bad_request");
  CHECK(ParseMessage("{}").ok());
}

TEST_CASE("Wire: cursors are opaque tokens that refuse tampering") {
  Cursor c{"0123456789abcdef", 42, ScopeHash(WorkerOf("d").scope)};
  auto back = Cursor::Decode(c.Encode());
  REQUIRE(back.ok());
  CHECK(back->position == 42);
  CHECK(back->epoch == c.epoch);
  CHECK(Cursor::Decode("")->empty());
  for (const char* bad :
       {"c2.0123456789abcdef.1.0123456789abcdef", "c1.0123456789abcdef.-1.0123456789abcdef",
        "c1.0123456789abcdef..0123456789abcdef", "c1.0123.1.0123456789abcdef",
        "c1.0123456789abcdef.1", "c1.0123456789ABCDEF.1.0123456789abcdef",
        "c1.0123456789abcdef.99999999999999999.0123456789abcdef"}) {
    INFO(bad);
    CHECK(Cursor::Decode(bad).status().code() == "bad_request");
  }
  CHECK(ScopeHash(WorkerOf("d", "C1").scope) != ScopeHash(WorkerOf("d", "C2").scope));
}

TEST_CASE("Wire: gzip round-trips and inflating is bounded") {
  std::string body(100000, 'x');
  auto gz = Gzip(body, 1);
  REQUIRE(gz.ok());
  CHECK(gz->size() < 2000);
  auto back = Gunzip(*gz, body.size());
  REQUIRE(back.ok());
  CHECK(*back == body);
  CHECK(Gunzip(*gz, body.size() - 1).status().code() == "body_too_large");
  CHECK(Gunzip("not gzip", 100).status().code() == "bad_gzip");
  CHECK(Gunzip(gz->substr(0, gz->size() / 2), body.size()).status().code() == "bad_gzip");
}

TEST_CASE("Ids: UUIDv7 from the injected clock and randomness") {
  FakeClock clock;
  SeededRng rng(1);
  std::string a = NewUuidV7(clock, rng), b = NewUuidV7(clock, rng);
  CHECK(a.size() == 36);
  CHECK(a != b);
  CHECK(a[14] == '7');
  CHECK(std::string("89ab").find(a[19]) != std::string::npos);
  clock.Advance(1);
  CHECK(NewUuidV7(clock, rng) > b);  // sorts by time
  CHECK(IsValidRecordId(a));
  CHECK_FALSE(IsValidRecordId(""));
  CHECK_FALSE(IsValidRecordId("a/b"));
  CHECK(IsValidName("need_support"));
  CHECK_FALSE(IsValidName("Need"));
}

TEST_CASE(
    "Errors: every catalogue entry has a code and zh/en text and an HTTP status and an action") {
  size_t n = 0;
  const ErrorSpec* all = ErrorCatalogue(&n);
  CHECK(n == 10);
  for (size_t i = 0; i < n; ++i) {
    INFO(all[i].code);
    CHECK_FALSE(all[i].message.zh.empty());
    CHECK_FALSE(all[i].message.en.empty());
    CHECK(all[i].http_status >= 400);
    CHECK(FindError(all[i].code) == &all[i]);
  }
  for (Rule r : kAllRules) {
    CHECK(ParseRule(RuleCode(r)) == r);
    CHECK_FALSE(RuleText(r).zh.empty());
  }
}

TEST_CASE("Wire: IsCanonicalJsonText is never wrong when it says yes") {
  // Known answers first.
  struct Known {
    const char* text;
    bool canonical;
  };
  const Known known[] = {
      {R"({"a":[1,-2,true,null],"b":{"c":"社区"}})", true},
      {"0", true},
      {"-7", true},
      {R"("")", true},
      {"[]", true},
      {"{}", true},
      {"999999999999999999", true},    // 18 digits
      {"9999999999999999999", false},  // 19: "not known" (unsigned, fine, but not checked)
      {"-0", false},
      {"01", false},
      {"1.5", false},
      {"1e3", false},
      {R"({"b":1,"a":2})", false},  // keys out of order
      {R"({"a":1,"a":2})", false},  // a repeated key
      {R"([1, 2])", false},         // whitespace
      {R"("a\nb")", false},         // an escape (canonical, but not claimed)
      {R"({"a":1})x)", false},
      {"", false},
      {"nul", false},
      {"tru", false},
  };
  for (const Known& k : known) {
    INFO(k.text);
    CHECK(IsCanonicalJsonText(k.text) == k.canonical);
  }
  // Then: a yes always means the text survives a parse and a dump unchanged. Canonical texts of
  // random values, and random one-byte mutations of them. Seeded.
  uint64_t seed = shefu::test::TestSeed();
  WARN("seed " << seed);
  SeededRng rng(seed);
  auto pick = [&](uint64_t n) { return rng.Uniform(n); };
  std::function<Json(int)> random_value = [&](int depth) -> Json {
    switch (pick(depth > 4 ? 5 : 7)) {
      case 0:
        return pick(2) == 1;
      case 1:
        return nullptr;
      case 2:
        return static_cast<int64_t>(pick(2000000)) - 1000000;
      case 3: {
        const char* texts[] = {"", "a", "社区", "x\ny", "\"q\"", "/", "😀"};
        return texts[pick(std::size(texts))];
      }
      case 4:
        return pick(4) == 0 ? Json(0.5) : Json(static_cast<uint64_t>(1) << 63);
      case 5: {
        Json o = Json::object();
        for (uint64_t n = pick(4); n > 0; --n)
          o["k" + std::to_string(pick(20))] = random_value(depth + 1);
        return o;
      }
      default: {
        Json a = Json::array();
        for (uint64_t n = pick(4); n > 0; --n) a.push_back(random_value(depth + 1));
        return a;
      }
    }
  };
  const char mutations[] = {' ', '"', '\\', ',', ':', '{', '}', '[', ']', '0', '1', '-', 'e', '.'};
  int yes = 0;
  for (int i = 0; i < 5000; ++i) {
    std::string t = CanonicalJson(random_value(0));
    if (i % 2 == 1 && !t.empty()) t[pick(t.size())] = mutations[pick(std::size(mutations))];
    if (!IsValidUtf8(t) || !IsCanonicalJsonText(t)) continue;
    ++yes;
    auto parsed = ParseJson(t);
    INFO(t);
    REQUIRE(parsed.ok());
    REQUIRE(CanonicalJson(*parsed) == t);
  }
  CHECK(yes > 1000);
}
