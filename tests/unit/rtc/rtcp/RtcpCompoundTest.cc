#include "rtc/rtcp/RtcpCompound.h"

#include <gtest/gtest.h>

#include <vector>

#include "../AiortcCaptures.h"
#include "../TestBytes.h"

namespace tributary::rtc::rtcp {
namespace {

using namespace captures;
using testing::Bytes;

struct Walk {
  std::vector<uint8_t> types;
  std::vector<size_t> sizes;
  RtcpError error = RtcpError::kNone;
  size_t offset = 0;
};

Walk WalkAll(std::span<const uint8_t> datagram) {
  Walk walk;
  RtcpCompound compound(datagram);
  while (auto packet = compound.Next()) {
    walk.types.push_back(packet->Type());
    walk.sizes.push_back(packet->Data().size());
    EXPECT_GE(packet->Data().data(), datagram.data());
    EXPECT_LE(packet->Data().data() + packet->Data().size(), datagram.data() + datagram.size());
    EXPECT_LE(packet->Body().size() + RtcpPacket::kHeaderSize, packet->Data().size());
  }
  walk.error = compound.Error();
  walk.offset = compound.Offset();
  return walk;
}

TEST(RtcpCompound, WalksEveryPacket_WhenGivenAiortcSrAndSdes) {
  const Walk walk = WalkAll(kAiortcSrSdesCompound);
  EXPECT_EQ(walk.types, (std::vector<uint8_t>{200, 202}));
  EXPECT_EQ(walk.sizes, (std::vector<size_t>{52, 32}));
  EXPECT_EQ(walk.error, RtcpError::kNone);
  EXPECT_EQ(walk.offset, sizeof(kAiortcSrSdesCompound));
}

TEST(RtcpCompound, WalksEveryPacket_WhenGivenAiortcRrAndRemb) {
  const Walk walk = WalkAll(kAiortcRrRembCompound);
  EXPECT_EQ(walk.types, (std::vector<uint8_t>{201, 206}));
  EXPECT_EQ(walk.error, RtcpError::kNone);
}

TEST(RtcpCompound, StopsAtTheTruncatedPacket_ForEveryPrefix) {
  const auto bytes = Bytes(kAiortcSrSdesCompound);
  testing::ForEachPrefix(bytes, [](std::span<const uint8_t> prefix) {
    const Walk walk = WalkAll(prefix);
    if (prefix.empty()) {
      EXPECT_EQ(walk.error, RtcpError::kNone);
    } else if (prefix.size() < 52) {
      EXPECT_TRUE(walk.types.empty());
      EXPECT_NE(walk.error, RtcpError::kNone);
      EXPECT_EQ(walk.offset, 0u);
    } else if (prefix.size() > 52) {
      EXPECT_EQ(walk.types, (std::vector<uint8_t>{200}));
      EXPECT_EQ(walk.error,
                prefix.size() < 56 ? RtcpError::kTruncatedHeader : RtcpError::kLengthPastEnd);
      EXPECT_EQ(walk.offset, 52u);
    }
  });
}

TEST(RtcpCompound, SaysWhy_WhenTheSecondPacketIsMalformed) {
  auto bytes = Bytes(kAiortcSrSdesCompound);
  bytes[52] = 0x41;  // version 1
  Walk walk = WalkAll(bytes);
  EXPECT_EQ(walk.types, (std::vector<uint8_t>{200}));
  EXPECT_EQ(walk.error, RtcpError::kBadVersion);
  EXPECT_EQ(walk.offset, 52u);

  bytes = Bytes(kAiortcSrSdesCompound);
  bytes[52] |= 0x20;  // padding, but the last byte of the SDES (0) says 0 bytes of it
  walk = WalkAll(bytes);
  EXPECT_EQ(walk.error, RtcpError::kBadPadding);

  bytes = Bytes(kAiortcSrSdesCompound);
  bytes.back() = 29;  // more padding than the SDES body has
  bytes[52] |= 0x20;
  walk = WalkAll(bytes);
  EXPECT_EQ(walk.error, RtcpError::kBadPadding);
}

TEST(RtcpCompound, ExcludesPadding_FromThePacketBody) {
  const auto packet = RtcpPacket::Parse(kRfcPaddedReceiverReport);
  ASSERT_TRUE(packet);
  EXPECT_TRUE(packet->HasPadding());
  EXPECT_EQ(packet->Data().size(), 12u);
  EXPECT_EQ(packet->Body().size(), 4u);
}

TEST(RtcpCompound, StaysInBounds_WhenAnyBitIsFlipped) {
  testing::ForEachBitFlip(Bytes(kAiortcRrRembCompound),
                          [](std::span<const uint8_t> corrupted) { WalkAll(corrupted); });
}

TEST(RtcpCompound, TellsRtcpFromRtp_WhenDemultiplexing) {
  EXPECT_TRUE(RtcpCompound::IsRtcp(kAiortcSrSdesCompound));
  EXPECT_TRUE(RtcpCompound::IsRtcp(kAiortcPli));
  EXPECT_FALSE(RtcpCompound::IsRtcp(kAiortcOpus));
  EXPECT_FALSE(RtcpCompound::IsRtcp(kAiortcRidPacket));
}

TEST(RtcpPacket, RejectsTrailingBytes_WhenParsingExactlyOnePacket) {
  EXPECT_TRUE(RtcpPacket::Parse(kAiortcPli));
  EXPECT_FALSE(RtcpPacket::Parse(kAiortcSrSdesCompound));
  EXPECT_TRUE(RtcpPacket::ParseFirst(kAiortcSrSdesCompound));
}

}  // namespace
}  // namespace tributary::rtc::rtcp
