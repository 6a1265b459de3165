// Runs a program on a pseudo-terminal (so isatty() is true, as for a worker at a tablet's
// terminal) and answers its prompts one by one: each answer is typed only once the prompt it
// answers has appeared, as a person would (so echo settings apply to what is typed).
#pragma once

#include <poll.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace shefu::test {

struct PtyResult {
  int exit_code = -1;
  std::string out;
  bool timed_out = false;  // a prompt never came
  size_t steps_done = 0;
  // Why no terminal could be had (forkpty failed: e.g. a chroot without /dev/pts mounted). Tests
  // print it, so a machine without pseudo-terminals fails with its reason, not a bare -1.
  std::string error;
};

// steps: (text to wait for, line to type then). Waits at most 20 s for each prompt.
inline PtyResult RunOnPty(const std::vector<std::string>& argv,
                          const std::map<std::string, std::string>& env,
                          const std::vector<std::pair<std::string, std::string>>& steps) {
  int master = -1;
  pid_t pid = forkpty(&master, nullptr, nullptr, nullptr);
  if (pid == 0) {
    for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  PtyResult r;
  if (pid < 0) {
    r.error = std::string("no pseudo-terminal: forkpty failed: ") + std::strerror(errno) +
              " (is /dev/pts mounted?)";
    return r;
  }
  auto read_some = [&](int timeout_ms) {
    pollfd p{master, POLLIN, 0};
    if (poll(&p, 1, timeout_ms) <= 0) return false;
    char buf[4096];
    ssize_t n = read(master, buf, sizeof buf);
    if (n <= 0) return false;
    r.out.append(buf, static_cast<size_t>(n));
    return true;
  };
  size_t seen = 0;  // prompts are looked for after the previous answer
  for (const auto& [expect, answer] : steps) {
    int waited = 0;
    while (r.out.find(expect, seen) == std::string::npos && waited < 20000) {
      if (!read_some(100)) waited += 100;
    }
    if (r.out.find(expect, seen) == std::string::npos) {
      r.timed_out = true;
      break;
    }
    seen = r.out.find(expect, seen) + expect.size();
    std::string line = answer + "\n";
    if (write(master, line.data(), line.size()) != static_cast<ssize_t>(line.size())) break;
    ++r.steps_done;
  }
  // The rest of the output, until the program exits (at most 30 s). After the child closes the
  // terminal, poll() reports a hang-up at once, so each idle round also sleeps a little.
  for (int round = 0; round < 3000; ++round) {
    bool got = read_some(10);
    int st = 0;
    if (waitpid(pid, &st, WNOHANG) == pid) {
      while (read_some(50)) {
      }
      close(master);
      r.exit_code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
      return r;
    }
    if (!got) usleep(10000);
  }
  kill(pid, SIGKILL);
  int st = 0;
  waitpid(pid, &st, 0);
  close(master);
  r.timed_out = true;
  return r;
}

}  // namespace shefu::test
