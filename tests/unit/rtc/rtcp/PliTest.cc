#include "rtc/rtcp/Pli.h"

#include <gtest/gtest.h>

#include <vector>

#include "../AiortcCaptures.h"
#include "../TestBytes.h"

namespace tributary::rtc::rtcp {
namespace {

using namespace captures;
using testing::Bytes;

TEST(Pli, ReadsSsrcs_AndRebuildsAiortcBytes) {
  const auto pli = Pli::Parse(kAiortcPli);
  ASSERT_TRUE(pli);
  EXPECT_EQ(pli->SenderSsrc(), 1u);
  EXPECT_EQ(pli->MediaSsrc(), 0x5ca1ab1eu);
  Pli built;
  built.SetSenderSsrc(1);
  built.SetMediaSsrc(0x5ca1ab1e);
  std::vector<uint8_t> out(Pli::kSize);
  ASSERT_EQ(built.Serialize(out), Pli::kSize);
  EXPECT_EQ(out, Bytes(kAiortcPli));
  std::vector<uint8_t> small(Pli::kSize - 1);
  EXPECT_EQ(built.Serialize(small), 0u);
}

TEST(Pli, Rejects_TruncationsAndOtherFormats) {
  testing::ForEachPrefix(kAiortcPli,
                         [](std::span<const uint8_t> prefix) { EXPECT_FALSE(Pli::Parse(prefix)); });
  EXPECT_FALSE(Pli::Parse(kRfcFir));
  EXPECT_FALSE(Pli::Parse(kAiortcRemb));
  auto rtpfb = Bytes(kAiortcPli);
  rtpfb[1] = 205;  // FMT 1 of RTPFB is a NACK, not a PLI
  EXPECT_FALSE(Pli::Parse(rtpfb));
}

}  // namespace
}  // namespace tributary::rtc::rtcp
