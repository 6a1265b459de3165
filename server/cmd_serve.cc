// shefu-server serve: the long-running server.
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <iostream>
#include <iterator>
#include <thread>

#include "server/cli_util.h"
#include "server/commands.h"
#include "server/routes.h"
#include "server/server_app.h"
#include "server/sync_service.h"

namespace shefu::server {
namespace {

std::atomic<bool> g_stop{false};
void OnSignal(int) {
  g_stop.store(true);
}

// DATA/server.json (or --config FILE): {"listen", "tls_cert", "tls_key", "insecure_http",
// "max_body_bytes", "threads", "access_log"}. Flags given on the command line win.
Status LoadConfig(const std::string& path, bool required, HttpOptions* opt, std::string* listen) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (!required) return Status::Ok();
    return Status::Error("config_error", "无法读取配置文件：" + path,
                         "cannot read config file: " + path);
  }
  std::string text((std::istreambuf_iterator<char>(in)), {});
  auto j = ParseJson(text);
  if (!j.ok())
    return Status::Error("config_error",
                         "配置文件格式错误：" + path + "（" + j.status().zh() + "）",
                         "bad config file: " + path + " (" + j.status().en() + ")");
  SHEFU_RETURN_IF_ERROR(
      CheckKeys(*j, "listen,tls_cert,tls_key,insecure_http,max_body_bytes,threads,access_log"));
  if (auto v = OptString(*j, "listen", 300); !v.ok())
    return v.status();
  else if (*v)
    *listen = **v;
  if (auto v = OptString(*j, "tls_cert", 4096); !v.ok())
    return v.status();
  else if (*v)
    opt->tls_cert = **v;
  if (auto v = OptString(*j, "tls_key", 4096); !v.ok())
    return v.status();
  else if (*v)
    opt->tls_key = **v;
  if (auto v = OptBool(*j, "insecure_http"); !v.ok())
    return v.status();
  else if (*v)
    opt->insecure_http = **v;
  if (auto v = OptInt(*j, "max_body_bytes", 1024, 256LL << 20); !v.ok())
    return v.status();
  else if (*v)
    opt->max_body_bytes = static_cast<size_t>(**v);
  if (auto v = OptInt(*j, "threads", 2, 1024); !v.ok())
    return v.status();
  else if (*v)
    opt->threads = static_cast<int>(**v);
  if (auto v = OptBool(*j, "access_log"); !v.ok())
    return v.status();
  else if (*v && !**v)
    opt->access_log_path.clear();
  return Status::Ok();
}

}  // namespace

int CmdServe(Args& a, std::ostream& out, std::ostream& err) {
  if (a.help()) {
    out << Tr(
        {"用法：shefu-server serve --data 目录 [--listen 主机:端口] [--tls-cert 证书 --tls-key "
         "私钥]\n"
         "  [--insecure-http] [--config 配置文件]\n"
         "默认监听 127.0.0.1:8080。非本机地址必须使用 TLS，除非明确指定 --insecure-http。\n"
         "--listen 127.0.0.1:0 选择任意空闲端口；实际端口写入 目录/serve.json。\n",
         "usage: shefu-server serve --data DIR [--listen HOST:PORT] [--tls-cert CERT --tls-key "
         "KEY]\n"
         "  [--insecure-http] [--config FILE]\n"
         "Listens on 127.0.0.1:8080 by default. A non-loopback address needs TLS unless\n"
         "--insecure-http is given. --listen 127.0.0.1:0 picks a free port, written to\n"
         "DIR/serve.json.\n"});
    return 0;
  }
  auto data = a.Value("data");
  auto listen_flag = a.Value("listen");
  auto cert = a.Value("tls-cert");
  auto key = a.Value("tls-key");
  bool insecure = a.Flag("insecure-http");
  auto config = a.Value("config");
  if (auto st = a.Finish(); !st.ok()) return PrintError(err, st);
  if (!data)
    return PrintError(err, Status::Error("usage", "缺少 --data 目录", "missing --data DIR"));

  HttpOptions opt;
  opt.access_log_path = *data + "/logs/access.log";
  std::string listen = "127.0.0.1:8080";
  if (auto st =
          LoadConfig(config.value_or(*data + "/server.json"), config.has_value(), &opt, &listen);
      !st.ok())
    return PrintError(err, st);
  if (listen_flag) listen = *listen_flag;
  if (cert) opt.tls_cert = *cert;
  if (key) opt.tls_key = *key;
  if (insecure) opt.insecure_http = true;
  if (opt.tls_cert.empty() != opt.tls_key.empty()) {
    return PrintError(err, Status::Error("usage", "--tls-cert 与 --tls-key 必须同时提供",
                                         "--tls-cert and --tls-key go together"));
  }
  if (auto st = ParseListen(listen, &opt.host, &opt.port); !st.ok()) return PrintError(err, st);

  auto app = ServerApp::Open(*data, SystemClock::Instance(), SystemRng::Instance(),
                             DataDirLock::Mode::kServe);
  if (!app.ok()) return PrintError(err, app.status());
  auto sync = SyncService::Open((*app)->store(), (*app)->clock(), (*app)->rng(), (*app)->places(),
                                {}, &(*app)->keys());
  if (!sync.ok()) return PrintError(err, sync.status());
  HttpService http(opt, &(*app)->accounts(), (*app)->clock());
  RegisterAuthRoutes(http, **app);
  RegisterSyncRoutes(http, **app, **sync);
  RegisterConflictRoutes(http, **app, **sync);
  RegisterProjectRoutes(http, **app, **sync);
  RegisterContractRoutes(http, **app, **sync);
  RegisterCatalogueRoutes(http, **app, **sync);
  RegisterNeedRoutes(http, **app, **sync);
  // Satisfaction surveys (issue 7).
  RegisterSurveyRoutes(http, **app, **sync);
  RegisterEvaluationRoute(http, **app, **sync);
  RegisterPaymentAlertRoute(http, **app, **sync);
  // Meetings and votes (issue 6).
  RegisterMeetingRoutes(http, **app, **sync);
  RegisterDemonstrationRoutes(http, **app, **sync);
  if (auto st = http.Bind(); !st.ok()) return PrintError(err, st);

  std::string scheme = http.tls() ? "https" : "http";
  std::string url = scheme + "://" + opt.host + ":" + std::to_string(http.port());
  {
    std::ofstream f(*data + "/serve.json", std::ios::trunc);
    f << DumpJson({{"url", url}, {"port", http.port()}, {"pid", static_cast<int64_t>(getpid())}})
      << "\n";
  }
  out << Tr({"shefu-server 正在监听 " + url + "（按 Ctrl-C 或发送 SIGTERM 停止）\n",
             "shefu-server listening on " + url + " (Ctrl-C or SIGTERM stops it)\n"})
      << std::flush;

  struct sigaction sa {};
  sa.sa_handler = OnSignal;
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);
  std::thread watcher([&http] {
    while (!g_stop.load()) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    http.Stop();  // stops accepting; in-flight requests finish before Run() returns
  });
  Status st = http.Run();
  g_stop.store(true);
  watcher.join();
  if (!st.ok()) return PrintError(err, st);
  out << Tr({"shefu-server 已停止\n", "shefu-server stopped\n"});
  return 0;
}

}  // namespace shefu::server
