#include "rtc/rtcp/Bye.h"

#include <gtest/gtest.h>

#include <vector>

#include "../AiortcCaptures.h"
#include "../TestBytes.h"

namespace tributary::rtc::rtcp {
namespace {

using namespace captures;
using testing::Bytes;

TEST(Bye, ReadsSsrcs_WhenParsingAiortcBye) {
  const auto bye = Bye::Parse(kAiortcBye);
  ASSERT_TRUE(bye);
  ASSERT_EQ(bye->Ssrcs().size(), 2u);
  EXPECT_EQ(bye->Ssrcs()[0], 0x5ca1ab1eu);
  EXPECT_EQ(bye->Ssrcs()[1], 0x0badf00du);
  EXPECT_TRUE(bye->Reason().empty());
  std::vector<uint8_t> out(bye->SerializedSize());
  ASSERT_EQ(bye->Serialize(out), sizeof(kAiortcBye));
  EXPECT_EQ(out, Bytes(kAiortcBye));
}

TEST(Bye, RoundTripsAReason_PaddedWithZeros) {
  const uint32_t ssrcs[] = {42};
  Bye bye;
  bye.SetSsrcs(ssrcs);
  bye.SetReason("kicked");
  std::vector<uint8_t> out(100);
  out.resize(bye.Serialize(out));
  ASSERT_EQ(out.size(), 4u + 4 + 8);  // length byte + 6 characters + 1 byte of padding
  EXPECT_EQ(out.back(), 0);
  const auto parsed = Bye::Parse(out);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->Reason(), "kicked");
  EXPECT_EQ(parsed->Ssrcs()[0], 42u);
}

TEST(Bye, Rejects_WhenTheReasonOrSsrcsRunPastThePacket) {
  const uint8_t bytes[] = {0x81, 0xcb, 0x00, 0x02, 0, 0, 0, 42, 0x04, 'a', 'b', 'c'};
  EXPECT_FALSE(Bye::Parse(bytes));
  testing::ForEachPrefix(kAiortcBye,
                         [](std::span<const uint8_t> prefix) { EXPECT_FALSE(Bye::Parse(prefix)); });
  auto three = Bytes(kAiortcBye);
  three[0] = 0x83;
  EXPECT_FALSE(Bye::Parse(three));
}

}  // namespace
}  // namespace tributary::rtc::rtcp
