#include "base/Logging.h"

#include <memory>
#include <stdexcept>
#include <string_view>
#include <utility>
#include <vector>

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>

namespace tributary::base {

bool ParseLogLevel(const std::string& name, spdlog::level::level_enum& out) {
  static const std::pair<const char*, spdlog::level::level_enum> kLevels[] = {
      {"trace", spdlog::level::trace}, {"debug", spdlog::level::debug},
      {"info", spdlog::level::info},   {"warn", spdlog::level::warn},
      {"error", spdlog::level::err},   {"critical", spdlog::level::critical},
      {"off", spdlog::level::off}};
  for (const auto& [text, level] : kLevels) {
    if (name == text) {
      out = level;
      return true;
    }
  }
  return false;
}

namespace {

// The length of the valid UTF-8 sequence at in[i] (a byte >= 0x80), or 0 when it is not one:
// a stray continuation byte, a truncated sequence, an overlong form, a surrogate or a code point
// above U+10FFFF (RFC 3629, section 4).
size_t Utf8SequenceLength(const std::string& in, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(in[k]); };
  const unsigned char lead = byte(i);
  size_t length = 0;
  unsigned char low = 0x80;  // the second byte's range, narrowed to refuse the invalid forms
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;   // overlong
    if (lead == 0xED) high = 0x9F;  // surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;   // overlong
    if (lead == 0xF4) high = 0x8F;  // above U+10FFFF
  } else {
    return 0;
  }
  if (i + length > in.size()) return 0;
  if (byte(i + 1) < low || byte(i + 1) > high) return 0;
  for (size_t k = 2; k < length; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return length;
}

}  // namespace

std::string JsonEscape(const std::string& in) {
  std::string out;
  out.reserve(in.size() + 8);
  for (size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (static_cast<unsigned char>(c) >= 0x80) {
      const size_t length = Utf8SequenceLength(in, i);
      if (length == 0) {
        out += "\\ufffd";  // U+FFFD, escaped: the result stays ASCII where the input was not UTF-8
      } else {
        out.append(in, i, length);
        i += length - 1;
      }
      continue;
    }
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          snprintf(buf, sizeof(buf), "\\u%04x", c);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out;
}

namespace {

// Splits "event: key=value key=\"quoted value\" ..." into the event and its fields; false when
// the message has another shape (then it stays one "msg").
bool SplitFields(std::string_view message, std::string_view& event,
                 std::vector<std::pair<std::string_view, std::string_view>>& fields) {
  const size_t colon = message.find(": ");
  if (colon == std::string_view::npos || colon == 0) return false;
  event = message.substr(0, colon);
  std::string_view rest = message.substr(colon + 2);
  while (!rest.empty()) {
    while (!rest.empty() && rest.front() == ' ')
      rest.remove_prefix(1);
    if (rest.empty()) break;
    const size_t equals = rest.find('=');
    if (equals == std::string_view::npos || equals == 0) return false;
    const std::string_view key = rest.substr(0, equals);
    for (char c : key) {
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
    }
    if (key == "ts" || key == "level" || key == "node" || key == "msg") return false;
    for (const auto& field : fields) {
      if (field.first == key) return false;  // each key once
    }
    rest.remove_prefix(equals + 1);
    std::string_view value;
    if (!rest.empty() && rest.front() == '"') {
      const size_t close = rest.find('"', 1);
      if (close == std::string_view::npos) return false;
      value = rest.substr(1, close - 1);
      rest.remove_prefix(close + 1);
      if (!rest.empty() && rest.front() != ' ') return false;
    } else {
      const size_t space = rest.find(' ');
      value = rest.substr(0, space);
      rest.remove_prefix(space == std::string_view::npos ? rest.size() : space);
    }
    fields.emplace_back(key, value);
  }
  return !fields.empty();
}

bool IsJsonInteger(std::string_view value) {
  if (value.empty() || value.size() > 18) return false;
  if (value.size() > 1 && value.front() == '0') return false;
  for (char c : value) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// %* in a pattern: ,"msg":"<the message>" (escaped for a JSON string); a message shaped
// "event: key=value ..." (the session lifecycle lines) becomes ,"msg":"event" with each key as
// a field of its own (digits as numbers).
class JsonMessageFlag : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    const std::string_view message(msg.payload.data(), msg.payload.size());
    std::string out = ",\"msg\":\"";
    std::string_view event;
    std::vector<std::pair<std::string_view, std::string_view>> fields;
    if (SplitFields(message, event, fields)) {
      out += JsonEscape(std::string(event)) + "\"";
      for (const auto& [key, value] : fields) {
        out += ",\"" + std::string(key) + "\":";
        out += IsJsonInteger(value) ? std::string(value)
                                    : "\"" + JsonEscape(std::string(value)) + "\"";
      }
    } else {
      out += JsonEscape(std::string(message)) + "\"";
    }
    dest.append(out.data(), out.data() + out.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<JsonMessageFlag>();
  }
};

}  // namespace

void SetupLogging(const LogOptions& options) {
  spdlog::level::level_enum level;
  if (!ParseLogLevel(options.level, level)) {
    throw std::invalid_argument("unknown log level '" + options.level + "'");
  }
  spdlog::sink_ptr sink;
  if (options.file.empty()) {
    sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  } else {
    sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(options.file);
  }
  auto logger = std::make_shared<spdlog::logger>("tributary", sink);
  const std::string node = options.node_id.empty() ? "-" : options.node_id;
  if (options.format == LogFormat::kJson) {
    auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
    formatter->add_flag<JsonMessageFlag>('*').set_pattern(
        R"({"ts":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","node":")" + JsonEscape(node) + R"("%*})");
    logger->set_formatter(std::move(formatter));
  } else {
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e [" + node + "] %^%l%$ %v");
  }
  logger->set_level(level);
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
}

}  // namespace tributary::base
