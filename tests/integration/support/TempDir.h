#pragma once

#include <filesystem>
#include <string>

namespace tributary::testing {

// A fresh directory under the system temp dir, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& Path() const { return path_; }
  // Writes (or overwrites) a file below the directory, creating folders; returns its path.
  std::string Write(const std::string& relative, const std::string& content) const;
  std::string Join(const std::string& relative) const { return (path_ / relative).string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace tributary::testing
