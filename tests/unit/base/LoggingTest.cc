// JsonEscape: what it returns is always a valid JSON string body, whatever bytes it is given
// (HTTP error reasons echo request paths and decoded query values).

#include <gtest/gtest.h>

#include <string>

#include <nlohmann/json.hpp>

#include "base/Logging.h"

namespace tributary::base {
namespace {

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
