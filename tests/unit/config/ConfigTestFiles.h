#pragma once

// Test support for the config tests: a temporary directory that removes itself, files written
// into it, and an assertion on the exact file, line and key of a ConfigError.

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/ConfigError.h"

namespace tributary::config::testing {

class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "tributary-config-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  // The absolute path of `relative` inside the directory.
  std::string Path(const std::string& relative = "") const {
    return relative.empty() ? path_.string() : (path_ / relative).string();
  }
  // Writes `text` to `relative` (creating its folders) and returns its path.
  std::string Write(const std::string& relative, const std::string& text) const {
    const std::filesystem::path file = path_ / relative;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary | std::ios::trunc) << text;
    return file.string();
  }
  std::string MakeDir(const std::string& relative) const {
    std::filesystem::create_directories(path_ / relative);
    return Path(relative);
  }

 private:
  std::filesystem::path path_;
};

// `text` with its only occurrence of `from` replaced by `to` (the test fails if `from` is not
// there exactly once, so that a base config edited later cannot silently void a case).
inline std::string Replace(const std::string& text, const std::string& from,
                           const std::string& to) {
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << "'" << from << "' not in the base config";
  if (at == std::string::npos) return text;
  EXPECT_EQ(text.find(from, at + 1), std::string::npos) << "'" << from << "' is ambiguous";
  return text.substr(0, at) + to + text.substr(at + from.size());
}

inline int CountLines(const std::string& text) {
  return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

// Runs `load` and expects a ConfigError "FILE:LINE: key 'KEY': ...gist...".
inline void ExpectConfigError(const std::function<void()>& load, const std::string& file, int line,
                              const std::string& key, const std::string& gist) {
  try {
    load();
    ADD_FAILURE() << "loaded without error; expected " << file << ":" << line << " key '" << key
                  << "': ..." << gist;
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.File(), file) << e.what();
    EXPECT_EQ(e.Line(), line) << e.what();
    EXPECT_EQ(e.Key(), key) << e.what();
    const std::string prefix =
        file + ":" + std::to_string(line) + ":" + (key.empty() ? "" : " key '" + key + "':");
    EXPECT_THAT(e.what(), ::testing::StartsWith(prefix + " "));
    EXPECT_THAT(e.what(), ::testing::HasSubstr(gist));
  }
}

}  // namespace tributary::config::testing
