// The one-pass upload decoder (sync/upload_decoder.h) against the two-step path it stands in for
// (ParseMessage + DecodeUploadRequest): on device-written bodies, on bodies re-spaced, re-ordered
// and re-typed, and on random mutations of them, both must give the same request — every field,
// the value and its canonical text — or the same typed error. Deterministic from the printed
// seed (SHEFU_SEED=<n> to reproduce).
#include "sync/upload_decoder.h"

#include <algorithm>

#include "sync/uuid.h"
#include "tests/sync/sync_fixture.h"

using namespace shefu;
using namespace shefu::sync;
using namespace shefu::sync::test;

namespace {

// The two-step answer, as DecodeUploadBody must reproduce it.
Result<DecodedUpload> TwoStep(std::string_view body) {
  auto msg = ParseMessage(body);
  if (!msg.ok()) return msg.status();
  DecodedUpload d;
  d.spoke = ReplyVersions(*msg, {});
  auto req = DecodeUploadRequest(std::move(*msg));
  if (!req.ok()) return req.status();
  d.request = std::move(*req);
  return d;
}

// Empty when both paths agree; otherwise what differs.
std::string Disagreement(std::string_view body, bool* fast = nullptr) {
  auto a = DecodeUploadBody(body);
  auto b = TwoStep(body);
  if (fast) *fast = a.ok() && a->fast;
  if (a.ok() != b.ok())
    return std::string("ok ") + (a.ok() ? "fast" : a.status().code()) + " vs " +
           (b.ok() ? "two-step" : b.status().code());
  if (!a.ok()) {
    if (a.status().code() != b.status().code() || a.status().en() != b.status().en())
      return "errors " + a.status().en() + " vs " + b.status().en();
    return {};
  }
  const UploadRequest &x = a->request, &y = b->request;
  if (a->spoke.protocol != b->spoke.protocol || a->spoke.schema != b->spoke.schema)
    return "versions";
  if (x.client_id != y.client_id || x.epoch != y.epoch || x.first_seq != y.first_seq ||
      x.last_seq != y.last_seq || x.changes.size() != y.changes.size())
    return "header";
  for (size_t i = 0; i < x.changes.size(); ++i) {
    const Change &c = x.changes[i], &d = y.changes[i];
    if (c.seq != d.seq || c.entity != d.entity || c.id != d.id || c.group != d.group ||
        c.hlc != d.hlc || c.base != d.base)
      return "change " + std::to_string(i) + " fields";
    if (c.value_text != d.value_text) return "value text " + c.value_text + " vs " + d.value_text;
    // Same DOM, and numbers typed alike (an unsigned where nlohmann makes one).
    if (c.value != d.value || c.value.dump() != d.value.dump()) return "value";
    if (c.value_text != CanonicalJson(c.value)) return "value text not canonical";
  }
  return {};
}

struct BodyGen {
  explicit BodyGen(uint64_t seed) : rng(seed) {}
  SeededRng rng;
  int Pick(int n) { return static_cast<int>(rng.Uniform(static_cast<uint64_t>(n))); }

  Json RandomValue(int depth) {
    switch (Pick(depth > 3 ? 6 : 9)) {
      case 0:
        return Pick(2) == 1;
      case 1:
        return nullptr;
      case 2:
        return Pick(1000);
      case 3:
        return -1 - Pick(1000);
      case 4: {
        static const char* kTexts[] = {"",
                                       "C1",
                                       "独居老人需要上门助餐服务",
                                       "a \"quote\"",
                                       "line\nbreak",
                                       "tab\there",
                                       "back\\slash",
                                       "\x7f",
                                       "emoji 😀"};
        return kTexts[Pick(9)];
      }
      case 5:
        return Pick(4) == 0 ? Json(0.5) : Json(int64_t{1} << 40);
      case 6:
      case 7: {
        Json o = Json::object();
        int n = Pick(4);
        for (int i = 0; i < n; ++i) o["k" + std::to_string(Pick(6))] = RandomValue(depth + 1);
        return o;
      }
      default: {
        Json a = Json::array();
        int n = Pick(3);
        for (int i = 0; i < n; ++i) a.push_back(RandomValue(depth + 1));
        return a;
      }
    }
  }

  UploadRequest RandomRequest() {
    UploadRequest r;
    r.client_id = "dev-" + std::to_string(Pick(100));
    r.epoch = Pick(3) == 0 ? "" : "9c1e5a0d44b2e0f1";
    r.first_seq = 1 + Pick(50);
    int n = 1 + Pick(6);
    for (int i = 0; i < n; ++i) {
      static const char* kEntities[] = {"need", "vote", "visit"};
      Json v = Pick(4) == 0 ? RandomValue(0)
                            : Json{{"community", "C1"}, {"count", Pick(9)}, {"note", "好"}};
      r.changes.push_back(MakeChange(r.first_seq + i, kEntities[Pick(3)],
                                     "0193a5c2-e1f4-7abc-9def-01234567890" + std::to_string(i),
                                     Pick(2) ? "record" : "people", std::move(v),
                                     Hlc::Make(1764374400000 + Pick(100), 0), Pick(3)));
    }
    r.last_seq = r.first_seq + n - 1;
    return r;
  }

  // A body as a device writes it, or re-spaced, or with a field re-typed or repeated.
  std::string Variant(const UploadRequest& r) {
    Json j = Encode(r);
    switch (Pick(6)) {
      case 0:
        return j.dump(Pick(2) ? 2 : 0);  // whitespace everywhere
      case 1:
        j["changes"][0]["base"] = Pick(2) ? Json(-1) : Json(1.0);
        break;
      case 2:
        j["protocol"] = Pick(2) ? 99 : 0;
        break;
      case 3:
        j["extra"] = 1;
        break;
      default:
        break;
    }
    return DumpJson(j);
  }

  std::string Mutate(std::string s) {
    int edits = 1 + Pick(3);
    for (int e = 0; e < edits && !s.empty(); ++e) {
      size_t at = static_cast<size_t>(Pick(static_cast<int>(s.size())));
      static const char kBytes[] = "{}[]\":,0-9ae \\\x01\xff";
      char b = kBytes[Pick(static_cast<int>(sizeof kBytes) - 1)];
      switch (Pick(4)) {
        case 0:
          s[at] = b;
          break;
        case 1:
          s.insert(at, 1, b);
          break;
        case 2:
          s.erase(at, 1);
          break;
        default:
          s.resize(at);
          break;
      }
    }
    return s;
  }
};

}  // namespace

TEST_CASE("Upload decoder: a device's body takes the one-pass path and decodes as before") {
  UploadRequest r;
  r.client_id = "dev-7f3a";
  r.epoch = "9c1e5a0d44b2e0f1";
  r.first_seq = 41;
  r.last_seq = 42;
  r.changes.push_back(MakeChange(41, "need", "0193a5c2-e1f4-7abc-9def-0123456789ab", "place",
                                 Json{{"room", "302"}, {"building", "3"}, {"community", "C1"}},
                                 Hlc::Make(1764374400000, 2), 1207));
  r.changes.push_back(MakeChange(42, "need", "0193a5c2-e1f4-7abc-9def-0123456789ab", "_deleted",
                                 true, Hlc::Make(1764374400000, 3), 1209));
  std::string body = DumpJson(Encode(r));
  auto d = DecodeUploadBody(body);
  REQUIRE(d.ok());
  CHECK(d->fast);
  CHECK(d->spoke.protocol == kProtocolVersion);
  REQUIRE(d->request.changes.size() == 2);
  CHECK(d->request.changes[0].value_text == R"({"building":"3","community":"C1","room":"302"})");
  CHECK(d->request.changes[0].value["room"] == "302");
  CHECK(d->request.changes[1].value_text == "true");
  CHECK(d->request.changes[1].base == 1209);
  CHECK(Disagreement(body).empty());
}

TEST_CASE("Upload decoder: what the one-pass path does not take, the two-step path decides") {
  UploadRequest r;
  r.client_id = "dev-1";
  r.first_seq = 1;
  r.last_seq = 1;
  r.changes.push_back(MakeChange(1, "need", "n-1", "description", Json{{"text", "ab"}},
                                 Hlc::Make(1764374400000, 0)));
  Json j = Encode(r);
  struct Case {
    const char* what;
    std::string body;
    bool fast;
    const char* code;  // "" = decodes
  };
  Json escaped = j;
  escaped["changes"][0]["value"]["text"] = "a\nb \"c\"";
  Json no_epoch = j;
  no_epoch.erase("epoch");
  Json unknown = j;
  unknown["changes"][0]["note"] = "x";
  Json too_many = j;
  too_many["last_seq"] = 1001;
  std::string mz = DumpJson(j);
  mz.replace(mz.find("\"base\":0"), 8, "\"base\":-0");
  Json plain = j;
  plain["changes"][0]["value"] = Json{{"b", 1}, {"a", Json::array({1, -2, true, nullptr})}};
  std::string reordered = DumpJson(plain);
  const std::string sorted = R"({"a":[1,-2,true,null],"b":1})";
  reordered.replace(reordered.find(sorted), sorted.size(), R"({"b":1,"a":[1,-2,true,null]})");
  // Long integers: up to 18 digits the one-pass path reads them; a 19th digit (where 18 nines
  // times ten would overflow int64_t — the fuzzer's crash-24b496e2…) sends the body to the
  // two-step path, which keeps nlohmann's answer (an unsigned, or a double past 64 bits).
  auto with_number = [&](const std::string& digits) {
    std::string b = DumpJson(j);
    b.replace(b.find("\"ab\""), 4, digits);
    return b;
  };
  const std::string nines18(18, '9'), nines19(19, '9'), nines60(60, '9');
  const Case cases[] = {
      {"18 digits", with_number(nines18), true, ""},
      {"-18 digits", with_number("-" + nines18), true, ""},
      {"19 digits", with_number(nines19), false, ""},
      {"-19 digits", with_number("-" + nines19), false, ""},
      {"60 digits", with_number(nines60), false, ""},
      {"as a device writes it", DumpJson(j), true, ""},
      {"escapes in a value string", DumpJson(escaped), false, ""},
      {"pretty-printed", j.dump(2), true, ""},
      {"no epoch (never downloaded)", DumpJson(no_epoch), true, ""},
      {"an unknown change field", DumpJson(unknown), false, ""},
      {"seqs that do not match the changes", DumpJson(too_many), false, "batch_too_large"},
      {"-0", mz, false, ""},
      {"value keys out of order", reordered, true, ""},
      {"not JSON", "{\"protocol\":", false, "bad_request"},
      {"trailing bytes", DumpJson(plain) + "x", false, "bad_request"},
      {"bad UTF-8", std::string("{\"a\":\"\xff\"}"), false, "bad_request"},
  };
  for (const Case& c : cases) {
    INFO(c.what << ": " << c.body);
    bool fast = false;
    CHECK(Disagreement(c.body, &fast).empty());
    CHECK(fast == c.fast);
    auto d = DecodeUploadBody(c.body);
    CHECK((d.ok() ? std::string() : d.status().code()) == c.code);
  }
  // Keys out of order decode to the canonical text, not to the bytes received.
  auto d = DecodeUploadBody(reordered);
  REQUIRE(d.ok());
  CHECK(d->request.changes[0].value_text == R"({"a":[1,-2,true,null],"b":1})");
}

TEST_CASE("Upload decoder: random and mutated bodies decode exactly as the two-step path") {
  uint64_t seed = shefu::test::TestSeed();
  WARN("seed " << seed);
  BodyGen g(seed);
  int fast = 0, decoded = 0, mutated_ok = 0;
  for (int i = 0; i < 4000; ++i) {
    UploadRequest r = g.RandomRequest();
    std::string body = g.Variant(r);
    bool was_fast = false;
    std::string why = Disagreement(body, &was_fast);
    INFO("case " << i << " body " << body);
    REQUIRE(why.empty());
    fast += was_fast;
    decoded += DecodeUploadBody(body).ok();
    for (int m = 0; m < 4; ++m) {
      std::string bad = g.Mutate(body);
      INFO("mutated " << bad);
      REQUIRE(Disagreement(bad, &was_fast).empty());
      mutated_ok += was_fast;
    }
  }
  // The generator must exercise both paths (or this test proves nothing about the fast one).
  CHECK(fast > 1000);
  CHECK(decoded > fast);
  CHECK(mutated_ok > 100);
}
