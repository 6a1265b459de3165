// Running the real binaries from tests: run a command to completion capturing its output, or
// start a long-running server and stop it with SIGTERM or SIGKILL.
#pragma once

#include <sys/types.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace shefu::test {

struct RunResult {
  int exit_code = -1;  // 128+N when killed by signal N
  std::string out, err;
};

// Runs argv[0] with the given arguments and extra environment; stdin is `input`.
RunResult Run(const std::vector<std::string>& argv,
              const std::map<std::string, std::string>& env = {}, const std::string& input = "");

class Process {
 public:
  Process(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env = {});
  ~Process();  // SIGKILL if still running
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;
  pid_t pid() const { return pid_; }
  bool Running();
  // Sends sig and waits for exit; returns the exit code (128+N for a signal).
  int Stop(int sig);
  // Waits up to timeout_ms for exit. Returns -1 when still running.
  int Wait(int timeout_ms);
  std::string Output() const;  // stdout+stderr so far

 private:
  pid_t pid_ = -1;
  int status_ = -1;
  bool exited_ = false;
  std::string log_path_;
};

// A shefu-server started on 127.0.0.1 with an ephemeral port in `data_dir` (initialised
// beforehand). Waits until /healthz answers.
class ServerProcess {
 public:
  explicit ServerProcess(const std::string& data_dir, std::vector<std::string> extra_args = {});
  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  Process& process() { return *proc_; }
  int Stop(int sig);

 private:
  std::unique_ptr<Process> proc_;
  int port_ = 0;
};

// `shefu-server init` in data_dir with a known admin password ("admin-password-123").
void InitServerData(const std::string& data_dir);
inline const char* kAdminPassword = "admin-password-123";

}  // namespace shefu::test
