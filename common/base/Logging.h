#pragma once

#include <string>

#include <spdlog/spdlog.h>

namespace tributary::base {

enum class LogFormat { kText, kJson };

struct LogOptions {
  std::string level = "info";  // trace, debug, info, warn, error, critical, off
  LogFormat format = LogFormat::kText;
  std::string file;     // empty: stderr
  std::string node_id;  // stamped on every line so that merged logs stay readable
};

// Installs the default spdlog logger for the process. Safe to call again (a reload replaces it).
// Throws std::invalid_argument for an unknown level.
void SetupLogging(const LogOptions& options);

// Parses a level name; returns false for an unknown one.
bool ParseLogLevel(const std::string& name, spdlog::level::level_enum& out);

// Escapes a string for inclusion in a JSON string (a JSON log line's message, an HTTP error's
// reason): quotes, backslashes and control characters escaped, and bytes that are not valid
// UTF-8 (a request's raw path or a decoded %FF may carry them) replaced by U+FFFD, so that the
// result is always valid JSON (RFC 8259 wants UTF-8).
std::string JsonEscape(const std::string& in);

}  // namespace tributary::base
