#pragma once

#include <stdexcept>
#include <string>

namespace tributary::config {

// A configuration problem a person can fix: what() is "FILE:LINE: key 'a.b.c': reason".
class ConfigError : public std::runtime_error {
 public:
  ConfigError(std::string file, int line, std::string key, std::string reason)
      : std::runtime_error(Format(file, line, key, reason)),
        file_(std::move(file)),
        line_(line),
        key_(std::move(key)),
        reason_(std::move(reason)) {}

  const std::string& File() const { return file_; }
  int Line() const { return line_; }  // 1-based; 0 when the problem is the whole file
  const std::string& Key() const { return key_; }
  const std::string& Reason() const { return reason_; }

  static std::string Format(const std::string& file, int line, const std::string& key,
                            const std::string& reason) {
    std::string out = file + ":" + std::to_string(line) + ":";
    if (!key.empty()) out += " key '" + key + "':";
    return out + " " + reason;
  }

 private:
  std::string file_;
  int line_;
  std::string key_;
  std::string reason_;
};

}  // namespace tributary::config
