#include "base/Logging.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace tributary::base {
namespace {

// Logs through the process logger into a file with `format`, returns the lines written.
class LoggingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("tributary-logging-test-" + std::to_string(::getpid()) + ".log");
    std::filesystem::remove(path_);
  }
  void TearDown() override {
    SetupLogging(LogOptions{});  // back to stderr for the other tests
    std::filesystem::remove(path_);
  }

  std::vector<std::string> LogLines(LogFormat format, const std::vector<std::string>& messages) {
    LogOptions options;
    options.format = format;
    options.file = path_.string();
    options.node_id = "o\"1";
    SetupLogging(options);
    for (const auto& message : messages)
      spdlog::info("{}", message);
    spdlog::default_logger()->flush();
    SetupLogging(LogOptions{});  // closes the file
    std::ifstream in(path_);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);)
      lines.push_back(line);
    return lines;
  }

  std::filesystem::path path_;
};

TEST_F(LoggingTest, Json_SessionEventBecomesFields) {
  const auto lines = LogLines(
      LogFormat::kJson,
      {"session closed: vhost=demo app=live stream=cam session=abc kind=publish role=server "
       "reason=\"consent expired\" detail=\"by x: y\" duration_ms=2005 rtp_in=0"});
  ASSERT_EQ(lines.size(), 1u);
  const auto json = nlohmann::json::parse(lines[0]);
  EXPECT_EQ(json["level"], "info");
  EXPECT_EQ(json["node"], "o\"1");
  EXPECT_EQ(json["msg"], "session closed");
  EXPECT_EQ(json["vhost"], "demo");
  EXPECT_EQ(json["app"], "live");
  EXPECT_EQ(json["stream"], "cam");
  EXPECT_EQ(json["session"], "abc");
  EXPECT_EQ(json["kind"], "publish");
  EXPECT_EQ(json["reason"], "consent expired");
  EXPECT_EQ(json["detail"], "by x: y");
  EXPECT_EQ(json["duration_ms"], 2005);
  EXPECT_EQ(json["rtp_in"], 0);
  EXPECT_TRUE(json.contains("ts"));
}

TEST_F(LoggingTest, Json_OtherMessagesStayOneEscapedMsg) {
  const std::vector<std::string> messages = {
      "origin o1: 2 peer(s), 0 region rule(s)",
      "no colon at all",
      "event: key=\"unterminated",
      "event: a=1 a=2",         // a key twice
      "event: msg=overwrites",  // a reserved key
      "quote \" backslash \\ tab \t newline \n end",
  };
  const auto lines = LogLines(LogFormat::kJson, messages);
  ASSERT_EQ(lines.size(), messages.size());  // the newline in the last one is escaped
  for (size_t i = 0; i < messages.size(); ++i) {
    const auto json = nlohmann::json::parse(lines[i], nullptr, false);
    ASSERT_FALSE(json.is_discarded()) << lines[i];
    EXPECT_EQ(json["msg"], messages[i]);
  }
}

TEST_F(LoggingTest, Text_KeepsTheMessageAsWritten) {
  const auto lines = LogLines(LogFormat::kText, {"session created: vhost=demo app=live"});
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("[o\"1] info session created: vhost=demo app=live"), std::string::npos)
      << lines[0];
}

// JsonEscape: whatever bytes it is given, the result is a valid JSON string body (HTTP error
// reasons echo request paths and decoded query values).
bool IsValidJsonString(const std::string& escaped) {
  return nlohmann::json::accept("\"" + escaped + "\"");
}

TEST(JsonEscape, EscapesQuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(JsonEscape("a\"b\\c\nd\re\tf"), "a\\\"b\\\\c\\nd\\re\\tf");
  EXPECT_EQ(JsonEscape(std::string("x\x01y\x1f", 4)), "x\\u0001y\\u001f");
  EXPECT_EQ(JsonEscape(std::string("\0", 1)), "\\u0000");
}

TEST(JsonEscape, KeepsValidUtf8AsItIs) {
  const std::string text =
      "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x8E\xA5 \xEF\xBF\xBF \xF4\x8F\xBF\xBF";
  EXPECT_EQ(JsonEscape(text), text);
  EXPECT_TRUE(IsValidJsonString(JsonEscape(text)));
}

// The input that HttpRoutingFuzz found: "GET /api/v1/ready\x95": the 404's reason echoed the
// raw byte and the body was not JSON.
TEST(JsonEscape, ReplacesBytesThatAreNotUtf8_SoThatTheResultIsJson) {
  EXPECT_EQ(JsonEscape("/api/v1/ready\x95"), "/api/v1/ready\\ufffd");
  EXPECT_EQ(JsonEscape("\xFF"), "\\ufffd");                        // never a UTF-8 byte
  EXPECT_EQ(JsonEscape("\xC3"), "\\ufffd");                        // truncated at the end
  EXPECT_EQ(JsonEscape("\xC3x"), "\\ufffdx");                      // truncated in the middle
  EXPECT_EQ(JsonEscape("\xC0\xAF"), "\\ufffd\\ufffd");             // overlong '/'
  EXPECT_EQ(JsonEscape("\xE0\x80\xAF"), "\\ufffd\\ufffd\\ufffd");  // overlong, 3 bytes
  EXPECT_EQ(JsonEscape("\xED\xA0\x80"), "\\ufffd\\ufffd\\ufffd");  // a surrogate
  EXPECT_EQ(JsonEscape("\xF4\x90\x80\x80"), "\\ufffd\\ufffd\\ufffd\\ufffd");  // > U+10FFFF
  EXPECT_EQ(JsonEscape("\xE2\x82"), "\\ufffd\\ufffd");  // 3-byte sequence cut short
}

TEST(JsonEscape, AnyByteStringBecomesValidJson) {
  std::string all;
  for (int i = 0; i < 256; ++i)
    all.push_back(static_cast<char>(i));
  EXPECT_TRUE(IsValidJsonString(JsonEscape(all)));
  EXPECT_TRUE(IsValidJsonString(JsonEscape(all + all.substr(0x80) + "\xF0\x9F")));
}

}  // namespace
}  // namespace tributary::base
