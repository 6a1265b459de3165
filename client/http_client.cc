#include "client/http_client.h"

#include <curl/curl.h>

#include <mutex>

#include "shared/crypto.h"

namespace shefu::client {
namespace {

constexpr size_t kMaxReplyBytes = 32u << 20;

size_t Collect(char* data, size_t size, size_t n, void* user) {
  auto* out = static_cast<std::string*>(user);
  size_t len = size * n;
  if (out->size() + len > kMaxReplyBytes) return 0;  // aborts the transfer
  out->append(data, len);
  return len;
}

Status NetworkError(const std::string& what) {
  return Status::Error("network_error", "无法连接服务器（" + what + "），稍后再试",
                       "cannot reach the server (" + what + "); try again later");
}

}  // namespace

HttpClient::HttpClient(HttpOptions opt) : opt_(std::move(opt)) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  curl_ = curl_easy_init();
}

HttpClient::~HttpClient() {
  if (curl_) curl_easy_cleanup(static_cast<CURL*>(curl_));
}

Result<HttpReply> HttpClient::Post(std::string_view path, const Json& body) {
  std::string text = DumpJson(body);
  return Do(true, path, &text);
}

Result<HttpReply> HttpClient::Get(std::string_view path) {
  return Do(false, path, nullptr);
}

Result<HttpReply> HttpClient::Do(bool post, std::string_view path, const std::string* body) {
  CURL* h = static_cast<CURL*>(curl_);
  if (!h) return Status::Error("internal", "无法初始化网络库", "cannot initialise libcurl");
  std::string url = opt_.base_url + std::string(path);
  std::string reply;
  char errbuf[CURL_ERROR_SIZE] = {0};

  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, "Accept: application/json");
  headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip
  if (post) headers = curl_slist_append(headers, "Content-Type: application/json");
  std::string auth;
  if (!opt_.token.empty()) {
    auth = "Authorization: Bearer " + opt_.token;
    headers = curl_slist_append(headers, auth.c_str());
  }

  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(opt_.connect_timeout_ms));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(opt_.total_timeout_ms));
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &Collect);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &reply);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(h, CURLOPT_USERAGENT, "shefu-client");
  if (!opt_.pin.empty()) {
    curl_easy_setopt(h, CURLOPT_PINNEDPUBLICKEY, opt_.pin.c_str());
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
  } else {
    curl_easy_setopt(h, CURLOPT_PINNEDPUBLICKEY, nullptr);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
  }
  if (post) {
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body->data());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body->size()));
  } else {
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
  }

  CURLcode rc = curl_easy_perform(h);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, nullptr);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);
  curl_slist_free_all(headers);

  switch (rc) {
    case CURLE_OK:
      break;
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
      return Status::Error("tls_pin_mismatch",
                           "服务器证书与登记时固定的指纹不符，已拒绝连接（可能是冒充的服务器）",
                           "the server's certificate does not match the pinned fingerprint; "
                           "connection refused (the server may be an impostor)");
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
      return Status::Error("tls_untrusted", "服务器证书不受信任，已拒绝连接",
                           "the server's certificate is not trusted; connection refused");
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
      return Status::Error("bad_url", "服务器地址无效：" + opt_.base_url,
                           "invalid server address: " + opt_.base_url);
    default:
      return NetworkError(errbuf[0] ? errbuf : curl_easy_strerror(rc));
  }
  long code = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
  HttpReply r;
  r.status = static_cast<int>(code);
  auto j = ParseJson(reply, 64);
  if (j.ok()) {
    r.body = std::move(*j);
  } else {
    r.body = Json{{"_raw", reply.substr(0, 200)}};
    if (!IsValidUtf8(r.body["_raw"].get<std::string>())) r.body = Json::object();
  }
  return r;
}

Status ErrorFromReply(const HttpReply& r) {
  const Json& b = r.body;
  auto str = [](const Json& o, const char* k) {
    if (!o.is_object()) return std::string();
    auto it = o.find(k);
    return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  if (b.is_object()) {
    if (auto e = b.find("error"); e != b.end() && e->is_object()) {
      std::string code = str(*e, "code");
      if (!code.empty()) return Status::Error(code, str(*e, "zh"), str(*e, "en"));
    }
    std::string code = str(b, "code");
    if (!code.empty()) return Status::Error(code, str(b, "message_zh"), str(b, "message_en"));
  }
  std::string s = std::to_string(r.status);
  return Status::Error("http_error", "服务器返回了错误（HTTP " + s + "）",
                       "the server answered with an error (HTTP " + s + ")");
}

Result<std::string> NormaliseServerUrl(std::string_view url) {
  std::string u(url);
  while (!u.empty() && u.back() == '/') u.pop_back();
  auto bad = [&] {
    return Status::Error(
        "bad_url", "服务器地址应以 http:// 或 https:// 开头：" + u.substr(0, 200),
        "the server address must start with http:// or https://: " + u.substr(0, 200));
  };
  size_t host_at = 0;
  if (u.rfind("https://", 0) == 0)
    host_at = 8;
  else if (u.rfind("http://", 0) == 0)
    host_at = 7;
  else
    return bad();
  if (u.size() <= host_at || u.size() > 512) return bad();
  for (char ch : u)
    if (static_cast<unsigned char>(ch) <= ' ' || ch == '?' || ch == '#') return bad();
  return u;
}

Status CheckPin(std::string_view pin) {
  std::string raw;
  if (pin.rfind("sha256//", 0) == 0 && crypto::FromBase64(pin.substr(8), &raw) && raw.size() == 32)
    return Status::Ok();
  return Status::Error("bad_pin", "证书指纹格式无效（应为 sha256//…）",
                       "malformed certificate pin (expected sha256//...)");
}

}  // namespace shefu::client
