#include "support/NodeProcess.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "net/HttpClient.h"

extern char** environ;

namespace tributary::testing {

namespace {

std::string ReadWhole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

NodeProcess::NodeProcess(std::string binary, std::vector<std::string> args)
    : binary_(std::move(binary)), args_(std::move(args)) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  const std::string out = output_.Join("stdout");
  const std::string err = output_.Join("stderr");
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  // Nothing else of the test process: a listening socket the test opened (Asio does not mark
  // them close-on-exec) would otherwise stay open in the child after the test closes it.
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);
  std::vector<char*> argv;
  argv.push_back(binary_.data());
  for (auto& arg : args_)
    argv.push_back(arg.data());
  argv.push_back(nullptr);
  const int rc = posix_spawn(&pid_, binary_.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    pid_ = -1;
    throw std::runtime_error("cannot start " + binary_ + ": " + strerror(rc));
  }
}

NodeProcess::~NodeProcess() {
  if (pid_ > 0 && !exit_code_) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
}

std::string NodeProcess::BinaryPath(const std::string& name) {
  const std::string dir = TRIBUTARY_BINARY_DIR;
  if (name == "tributary-origin") return dir + "/origin/" + name;
  if (name == "tributary-edge") return dir + "/edge/" + name;
  if (name == "tributary-linkemu") return dir + "/tests/" + name;
  return dir + "/tools/" + name;
}

void NodeProcess::Reap(int status) {
  if (WIFEXITED(status)) {
    exit_code_ = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    exit_code_ = 128 + WTERMSIG(status);
  }
}

bool NodeProcess::Running() {
  if (pid_ <= 0 || exit_code_) return false;
  int status = 0;
  const pid_t done = ::waitpid(pid_, &status, WNOHANG);
  if (done == pid_) {
    Reap(status);
    return false;
  }
  return true;
}

void NodeProcess::Signal(int signal) {
  if (Running()) ::kill(pid_, signal);
}

std::optional<int> NodeProcess::WaitExit(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (Running()) {
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return exit_code_;
}

std::string NodeProcess::Stdout() const {
  return ReadWhole(output_.Join("stdout"));
}

std::string NodeProcess::Stderr() const {
  return ReadWhole(output_.Join("stderr"));
}

bool NodeProcess::WaitForStderr(const std::string& needle, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const bool running = Running();
    if (Stderr().find(needle) != std::string::npos) return true;
    if (!running || std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

bool NodeProcess::WaitHealthy(const std::string& base_url, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (!Running()) return false;
    net::HttpClientRequest request;
    request.url = base_url + "/api/v1/health";
    request.timeout = std::chrono::milliseconds(1000);
    if (net::HttpClient::Fetch(request).status == 200) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

std::string NodeProcess::Describe() const {
  std::ostringstream out;
  out << binary_;
  for (const auto& arg : args_)
    out << " " << arg;
  out << "\n--- stdout ---\n" << Stdout() << "--- stderr ---\n" << Stderr();
  return out.str();
}

ProcessResult RunProcess(const std::string& binary, const std::vector<std::string>& args,
                         std::chrono::milliseconds timeout) {
  NodeProcess process(binary, args);
  ProcessResult result;
  result.exit_code = process.WaitExit(timeout).value_or(-1);
  result.out = process.Stdout();
  result.err = process.Stderr();
  return result;
}

}  // namespace tributary::testing
