#include "tests/support/process_util.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "shared/json_util.h"
#include "tests/support/test_util.h"

namespace shefu::test {
namespace {

std::vector<char*> CArgs(const std::vector<std::string>& v) {
  std::vector<char*> out;
  for (const auto& s : v) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

void ApplyEnv(const std::map<std::string, std::string>& env) {
  for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
}

int DecodeStatus(int st) {
  if (WIFEXITED(st)) return WEXITSTATUS(st);
  if (WIFSIGNALED(st)) return 128 + WTERMSIG(st);
  return -1;
}

std::string Slurp(int fd) {
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  return out;
}

}  // namespace

RunResult Run(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
              const std::string& input) {
  char out_tmpl[] = "/tmp/shefu-run-out-XXXXXX";
  char err_tmpl[] = "/tmp/shefu-run-err-XXXXXX";
  char in_tmpl[] = "/tmp/shefu-run-in-XXXXXX";
  int out_fd = mkstemp(out_tmpl), err_fd = mkstemp(err_tmpl), in_fd = mkstemp(in_tmpl);
  if (out_fd < 0 || err_fd < 0 || in_fd < 0) throw std::runtime_error("mkstemp");
  if (write(in_fd, input.data(), input.size()) != static_cast<ssize_t>(input.size()))
    throw std::runtime_error("write");
  lseek(in_fd, 0, SEEK_SET);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(in_fd, 0);
    dup2(out_fd, 1);
    dup2(err_fd, 2);
    ApplyEnv(env);
    auto args = CArgs(argv);
    execv(args[0], args.data());
    _exit(127);
  }
  int st = 0;
  waitpid(pid, &st, 0);
  RunResult r;
  r.exit_code = DecodeStatus(st);
  lseek(out_fd, 0, SEEK_SET);
  lseek(err_fd, 0, SEEK_SET);
  r.out = Slurp(out_fd);
  r.err = Slurp(err_fd);
  close(out_fd);
  close(err_fd);
  close(in_fd);
  unlink(out_tmpl);
  unlink(err_tmpl);
  unlink(in_tmpl);
  return r;
}

Process::Process(const std::vector<std::string>& argv,
                 const std::map<std::string, std::string>& env) {
  char tmpl[] = "/tmp/shefu-proc-XXXXXX";
  int fd = mkstemp(tmpl);
  if (fd < 0) throw std::runtime_error("mkstemp");
  log_path_ = tmpl;
  pid_ = fork();
  if (pid_ == 0) {
    int devnull = open("/dev/null", O_RDONLY);
    dup2(devnull, 0);
    dup2(fd, 1);
    dup2(fd, 2);
    ApplyEnv(env);
    auto args = CArgs(argv);
    execv(args[0], args.data());
    _exit(127);
  }
  close(fd);
}

Process::~Process() {
  if (!exited_ && pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, &status_, 0);
  }
  unlink(log_path_.c_str());
}

bool Process::Running() {
  return Wait(0) == -1;
}

int Process::Wait(int timeout_ms) {
  if (exited_) return DecodeStatus(status_);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    pid_t r = waitpid(pid_, &status_, WNOHANG);
    if (r == pid_) {
      exited_ = true;
      return DecodeStatus(status_);
    }
    if (std::chrono::steady_clock::now() >= deadline) return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

int Process::Stop(int sig) {
  if (exited_) return DecodeStatus(status_);
  kill(pid_, sig);
  int code = Wait(30000);
  if (code == -1) {
    kill(pid_, SIGKILL);
    code = Wait(30000);
  }
  return code;
}

std::string Process::Output() const {
  return ReadFile(log_path_);
}

ServerProcess::ServerProcess(const std::string& data_dir, std::vector<std::string> extra_args) {
  std::string serve_json = data_dir + "/serve.json";
  unlink(serve_json.c_str());
  std::vector<std::string> argv = {
      BinaryPath("shefu-server"), "serve", "--data", data_dir, "--listen", "127.0.0.1:0"};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  proc_ = std::make_unique<Process>(argv);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    std::string text = ReadFile(serve_json);
    auto j = ParseJson(text);
    if (j.ok() && j->contains("port")) {
      port_ = (*j)["port"].get<int>();
      return;
    }
    if (!proc_->Running()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  FAIL("shefu-server did not start: " << proc_->Output());
}

int ServerProcess::Stop(int sig) {
  return proc_->Stop(sig);
}

void InitServerData(const std::string& data_dir) {
  auto r = Run({BinaryPath("shefu-server"), "init", "--data", data_dir},
               {{"SHEFU_ADMIN_PASSWORD", kAdminPassword}});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
}

}  // namespace shefu::test
