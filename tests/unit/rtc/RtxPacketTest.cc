#include "rtc/RtxPacket.h"

#include <gtest/gtest.h>

#include <vector>

#include "AiortcCaptures.h"
#include "TestBytes.h"
#include "rtc/RtpPacket.h"

namespace tributary::rtc {
namespace {

using namespace captures;
using testing::Bytes;

TEST(RtxPacket, ProducesAiortcBytes_WhenEncapsulating) {
  const auto original = RtpPacket::Parse(kAiortcOpus);
  std::vector<uint8_t> out(1500);
  const size_t size = RtxPacket::Encapsulate(*original, 97, 0x0badf00d, 0x0100, out);
  ASSERT_EQ(size, sizeof(kAiortcOpusRtx));
  out.resize(size);
  EXPECT_EQ(out, Bytes(kAiortcOpusRtx));
}

TEST(RtxPacket, RestoresTheOriginal_WhenDecapsulatingAiortcRtx) {
  const auto rtx = RtpPacket::Parse(kAiortcOpusRtx);
  ASSERT_TRUE(rtx);
  EXPECT_EQ(RtxPacket::OriginalSequenceNumber(*rtx), 0xfffe);
  std::vector<uint8_t> out(1500);
  const size_t size = RtxPacket::Decapsulate(*rtx, 111, 0x5ca1ab1e, out);
  ASSERT_EQ(size, sizeof(kAiortcOpus));
  out.resize(size);
  EXPECT_EQ(out, Bytes(kAiortcOpus));
}

TEST(RtxPacket, EncapsulatesInPlace_WhenTheBufferHasRoom) {
  auto buffer = Bytes(kAiortcOpus);
  buffer.resize(buffer.size() + 2);
  const auto original = RtpPacket::Parse(std::span(buffer).first(sizeof(kAiortcOpus)));
  const size_t size = RtxPacket::Encapsulate(*original, 97, 0x0badf00d, 0x0100, buffer);
  ASSERT_EQ(size, buffer.size());
  EXPECT_EQ(buffer, Bytes(kAiortcOpusRtx));
}

TEST(RtxPacket, DropsPadding_WhenEncapsulating) {
  const auto original = RtpPacket::Parse(kAiortcCsrcPadding);
  std::vector<uint8_t> out(100);
  const size_t size = RtxPacket::Encapsulate(*original, 97, 2, 3, out);
  const auto rtx = RtpPacket::Parse(std::span(out).first(size));
  ASSERT_TRUE(rtx);
  EXPECT_FALSE(rtx->HasPadding());
  EXPECT_EQ(rtx->CsrcCount(), 2u);
  EXPECT_EQ(rtx->Payload().size(), 2u + 5);
  EXPECT_EQ(RtxPacket::OriginalSequenceNumber(*rtx), 1);
}

TEST(RtxPacket, ReturnsZero_WhenThereIsNoOsnOrNoRoom) {
  // A padding-only RTX probe: no payload at all.
  const uint8_t probe[] = {0xa0, 0x61, 0, 9, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 4};
  const auto rtx = RtpPacket::Parse(probe);
  ASSERT_TRUE(rtx);
  EXPECT_FALSE(RtxPacket::OriginalSequenceNumber(*rtx));
  std::vector<uint8_t> out(100);
  EXPECT_EQ(RtxPacket::Decapsulate(*rtx, 96, 1, out), 0u);

  const auto original = RtpPacket::Parse(kAiortcOpus);
  std::vector<uint8_t> small(sizeof(kAiortcOpusRtx) - 1);
  EXPECT_EQ(RtxPacket::Encapsulate(*original, 97, 1, 1, small), 0u);
  const auto aiortc_rtx = RtpPacket::Parse(kAiortcOpusRtx);
  std::vector<uint8_t> smaller(sizeof(kAiortcOpus) - 1);
  EXPECT_EQ(RtxPacket::Decapsulate(*aiortc_rtx, 111, 1, smaller), 0u);
}

}  // namespace
}  // namespace tributary::rtc
