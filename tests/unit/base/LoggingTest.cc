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

}  // namespace
}  // namespace tributary::base
