#pragma once

// Small helpers for the rtc tests that touch files and the openssl command-line tool.

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "base/Random.h"

namespace tributary::rtc::test {

// A fresh directory under the system temp dir, removed with everything in it on destruction.
class TempDirectory {
 public:
  TempDirectory()
      : path_(std::filesystem::temp_directory_path() / ("tributary-test-" + base::RandomHex(8))) {
    std::filesystem::create_directories(path_);
  }
  ~TempDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDirectory(const TempDirectory&) = delete;
  TempDirectory& operator=(const TempDirectory&) = delete;

  const std::filesystem::path& Path() const { return path_; }
  std::string File(std::string_view name) const { return (path_ / name).string(); }
  std::string Write(std::string_view name, std::string_view content) const {
    const std::string path = File(name);
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }

 private:
  std::filesystem::path path_;
};

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout (stderr goes to the test's stderr)
};

// Runs a shell command and collects its stdout.
inline CommandResult RunCommand(const std::string& command) {
  CommandResult result;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0)
    result.output.append(buffer, n);
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

inline bool HaveOpenSslTool() {
  return RunCommand("openssl version 2>/dev/null").exit_code == 0;
}

// "SHA256 Fingerprint=AB:CD:..." (openssl x509 -fingerprint) -> "sha-256 AB:CD:...".
inline std::string OpenSslFingerprint(const std::string& certificate_path,
                                      std::string_view digest /* sha1, sha256, ... */) {
  const auto result = RunCommand("openssl x509 -noout -fingerprint -" + std::string(digest) +
                                 " -in '" + certificate_path + "'");
  const size_t equals = result.output.find('=');
  if (result.exit_code != 0 || equals == std::string::npos) return "";
  std::string value = result.output.substr(equals + 1);
  while (!value.empty() && (value.back() == '\n' || value.back() == '\r'))
    value.pop_back();
  std::string name(digest);
  name.insert(3, "-");  // sha256 -> sha-256
  return name + " " + value;
}

}  // namespace tributary::rtc::test
