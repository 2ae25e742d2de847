#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "support/TempDir.h"

namespace tributary::testing {

// A child process (a node binary, a tool) with its stdout and stderr captured to files. The
// destructor kills (SIGKILL) and reaps a child still running, so a failing test never leaves
// one behind.
class NodeProcess {
 public:
  NodeProcess(std::string binary, std::vector<std::string> args);
  ~NodeProcess();
  NodeProcess(const NodeProcess&) = delete;
  NodeProcess& operator=(const NodeProcess&) = delete;

  // The path of a binary of the build: "tributary-origin", "tributary-edge", or a tool.
  static std::string BinaryPath(const std::string& name);

  pid_t Pid() const { return pid_; }
  bool Running();
  void Signal(int signal);
  // The exit code (128 + signal if killed by one), or nullopt if it is still running then.
  std::optional<int> WaitExit(std::chrono::milliseconds timeout);

  std::string Stdout() const;
  std::string Stderr() const;
  // Polls stderr until it holds `needle`; false on timeout or when the process exited without.
  bool WaitForStderr(const std::string& needle, std::chrono::milliseconds timeout);
  // Polls GET base_url/api/v1/health until it answers 200; false on timeout or early exit.
  bool WaitHealthy(const std::string& base_url,
                   std::chrono::milliseconds timeout = std::chrono::seconds(10));

  // For test failure messages: the command and what it wrote.
  std::string Describe() const;

 private:
  void Reap(int status);

  std::string binary_;
  std::vector<std::string> args_;
  TempDir output_;
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
};

// Runs a binary to completion (bounded), capturing its output.
struct ProcessResult {
  int exit_code = -1;  // -1: did not finish in time (it was killed)
  std::string out;
  std::string err;
};
ProcessResult RunProcess(const std::string& binary, const std::vector<std::string>& args,
                         std::chrono::milliseconds timeout = std::chrono::seconds(10));

}  // namespace tributary::testing
