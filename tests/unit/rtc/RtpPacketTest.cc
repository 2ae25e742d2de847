#include "rtc/RtpPacket.h"

#include <gtest/gtest.h>

#include <string_view>
#include <vector>

#include "AiortcCaptures.h"
#include "TestBytes.h"
#include "rtc/RtpExtensionValue.h"

namespace tributary::rtc {
namespace {

using namespace captures;
using testing::Bytes;

std::string_view AsText(std::span<const uint8_t> value) {
  return {reinterpret_cast<const char*>(value.data()), value.size()};
}

// Whatever parsed must describe the bytes it was given, and walking its extensions must stay
// inside the header.
void ExpectConsistent(const RtpPacket& packet, std::span<const uint8_t> bytes) {
  EXPECT_EQ(packet.Size(), bytes.size());
  EXPECT_EQ(packet.HeaderSize() + packet.Payload().size() + packet.PaddingSize(), bytes.size());
  EXPECT_GE(packet.HeaderSize(), RtpPacket::kFixedHeaderSize + 4 * packet.CsrcCount());
  EXPECT_EQ(packet.Payload().data(), bytes.data() + packet.HeaderSize());
  for (const RtpHeaderExtension& element : packet.Extensions()) {
    EXPECT_GE(element.value.data(), bytes.data() + RtpPacket::kFixedHeaderSize);
    EXPECT_LE(element.value.data() + element.value.size(), bytes.data() + packet.HeaderSize());
  }
}

TEST(RtpPacket, ReadsHeaderFields_WhenParsingAiortcOpusPacket) {
  const auto bytes = Bytes(kAiortcOpus);
  const auto packet = RtpPacket::Parse(bytes);
  ASSERT_TRUE(packet);
  EXPECT_TRUE(packet->Marker());
  EXPECT_EQ(packet->PayloadType(), 111);
  EXPECT_EQ(packet->SequenceNumber(), 0xfffe);
  EXPECT_EQ(packet->Timestamp(), 0x12345678u);
  EXPECT_EQ(packet->Ssrc(), 0x5ca1ab1eu);
  EXPECT_EQ(packet->CsrcCount(), 0u);
  EXPECT_TRUE(packet->HasExtensions());
  EXPECT_FALSE(packet->HasPadding());
  EXPECT_EQ(packet->HeaderSize(), 12u + 4 + 12);
  EXPECT_EQ(packet->Payload().size(), sizeof(kAiortcOpus) - 28);
  EXPECT_EQ(packet->Payload()[0], 0xfc);  // Opus TOC: config 31, stereo, one frame
  ExpectConsistent(*packet, bytes);
}

TEST(RtpPacket, FindsOneByteExtensions_WhenParsingAiortcOpusPacket) {
  const auto bytes = Bytes(kAiortcOpus);
  const auto packet = RtpPacket::Parse(bytes);
  ASSERT_TRUE(packet);
  const RtpHeaderExtensions extensions = packet->Extensions();
  EXPECT_EQ(extensions.form(), RtpHeaderExtensions::Form::kOneByte);
  EXPECT_TRUE(extensions.WellFormed());

  std::vector<uint8_t> ids;
  for (const auto& element : extensions)
    ids.push_back(element.id);
  EXPECT_EQ(ids, (std::vector<uint8_t>{1, 2, 4, 3}));  // aiortc writes audio level before tcc

  EXPECT_EQ(AsText(packet->FindExtension(1)->value), "0");
  EXPECT_EQ(RtpExtensionValue::ReadAbsSendTime(packet->FindExtension(2)->value), 0x123456u);
  EXPECT_EQ(RtpExtensionValue::ReadTransportWideSeq(packet->FindExtension(3)->value), 0xfffd);
  const auto level = RtpExtensionValue::ReadAudioLevel(packet->FindExtension(4)->value);
  ASSERT_TRUE(level);
  EXPECT_TRUE(level->voice_activity);
  EXPECT_EQ(level->level, 42);
  EXPECT_FALSE(packet->FindExtension(5));
  EXPECT_FALSE(packet->FindExtension(0));
}

TEST(RtpPacket, ReadsCsrcsAndPadding_WhenParsingAiortcPacket) {
  const auto bytes = Bytes(kAiortcCsrcPadding);
  const auto packet = RtpPacket::Parse(bytes);
  ASSERT_TRUE(packet);
  EXPECT_FALSE(packet->HasExtensions());
  EXPECT_EQ(packet->Extensions().form(), RtpHeaderExtensions::Form::kNone);
  EXPECT_EQ(packet->CsrcCount(), 2u);
  EXPECT_EQ(packet->Csrc(0), 0x01020304u);
  EXPECT_EQ(packet->Csrc(1), 0x05060708u);
  EXPECT_TRUE(packet->HasPadding());
  EXPECT_EQ(packet->PaddingSize(), 3u);
  EXPECT_EQ(packet->Payload().size(), 5u);
  for (const uint8_t b : packet->Payload())
    EXPECT_EQ(b, 0xff);
  ExpectConsistent(*packet, bytes);
}

TEST(RtpPacket, FindsTwoByteExtensions_WhenParsingAiortcPacket) {
  const auto bytes = Bytes(kAiortcTwoByteExtensions);
  const auto packet = RtpPacket::Parse(bytes);
  ASSERT_TRUE(packet);
  EXPECT_EQ(packet->Extensions().form(), RtpHeaderExtensions::Form::kTwoByte);
  EXPECT_EQ(packet->Extensions().Profile(), 0x1000);
  EXPECT_EQ(AsText(packet->FindExtension(1)->value), "a-seventeen-b-mid");
  EXPECT_EQ(RtpExtensionValue::ReadTransportWideSeq(packet->FindExtension(3)->value), 0x0102);
  EXPECT_EQ(packet->Payload().size(), 3u);
}

TEST(RtpPacket, FindsRidAndMid_WhenParsingAiortcSimulcastPacket) {
  const auto bytes = Bytes(kAiortcRidPacket);
  const auto packet = RtpPacket::Parse(bytes);
  ASSERT_TRUE(packet);
  EXPECT_EQ(RtpExtensionValue::ReadSdesString(packet->FindExtension(1)->value), "video");
  EXPECT_EQ(RtpExtensionValue::ReadSdesString(packet->FindExtension(10)->value), "hi");
  EXPECT_EQ(RtpExtensionValue::ReadSdesString(packet->FindExtension(11)->value), "lo");
}

TEST(RtpPacket, ParsesOrRejectsEveryPrefix_WithoutReadingPastIt) {
  for (const auto& capture :
       {Bytes(kAiortcOpus), Bytes(kAiortcCsrcPadding), Bytes(kAiortcTwoByteExtensions),
        Bytes(kAiortcRidPacket), Bytes(kAiortcVp8KeyframePacket)}) {
    const size_t header_size = RtpPacket::Parse(capture)->HeaderSize();
    testing::ForEachPrefix(capture, [&](std::span<const uint8_t> prefix) {
      const auto packet = RtpPacket::Parse(prefix);
      if (prefix.size() < header_size) {
        EXPECT_FALSE(packet) << prefix.size();
      }
      if (packet) ExpectConsistent(*packet, prefix);
    });
  }
}

TEST(RtpPacket, StaysConsistent_WhenAnyBitIsFlipped) {
  for (const auto& capture : {Bytes(kAiortcOpus), Bytes(kAiortcCsrcPadding),
                              Bytes(kAiortcTwoByteExtensions), Bytes(kAiortcRidPacket)}) {
    testing::ForEachBitFlip(capture, [&](std::span<const uint8_t> corrupted) {
      if (const auto packet = RtpPacket::Parse(corrupted)) ExpectConsistent(*packet, corrupted);
    });
  }
}

TEST(RtpPacket, Rejects_WhenVersionIsNot2) {
  auto bytes = Bytes(kAiortcRidPacket);
  for (const uint8_t version : {0, 1, 3}) {
    bytes[0] = static_cast<uint8_t>((bytes[0] & 0x3f) | (version << 6));
    EXPECT_FALSE(RtpPacket::Parse(bytes));
  }
}

TEST(RtpPacket, Rejects_WhenCsrcsRunPastTheEnd) {
  auto bytes = Bytes(kAiortcCsrcPadding);
  bytes[0] = static_cast<uint8_t>((bytes[0] & 0xf0) | 15);  // 60 bytes of CSRCs in 28 bytes
  EXPECT_FALSE(RtpPacket::Parse(bytes));
}

TEST(RtpPacket, Rejects_WhenExtensionLengthRunsPastTheEnd) {
  auto bytes = Bytes(kAiortcRidPacket);
  bytes[15] = 5;  // 20 bytes of extensions; only 16 follow
  EXPECT_FALSE(RtpPacket::Parse(bytes));
  bytes[15] = 4;  // exactly the rest: valid, empty payload
  const auto packet = RtpPacket::Parse(bytes);
  ASSERT_TRUE(packet);
  EXPECT_TRUE(packet->Payload().empty());
}

TEST(RtpPacket, Rejects_WhenPaddingCountIsZeroOrTooLarge) {
  auto bytes = Bytes(kAiortcCsrcPadding);
  bytes.back() = 0;
  EXPECT_FALSE(RtpPacket::Parse(bytes));
  bytes.back() = 9;  // payload (5) + padding (3) = 8 bytes after the header
  EXPECT_FALSE(RtpPacket::Parse(bytes));
  bytes.back() = 8;  // all padding: a valid padding-only packet (bandwidth probes)
  const auto packet = RtpPacket::Parse(bytes);
  ASSERT_TRUE(packet);
  EXPECT_TRUE(packet->Payload().empty());
  EXPECT_EQ(packet->PaddingSize(), 8u);
}

TEST(RtpPacket, Rejects_WhenPaddingBitIsSetOnAHeaderOnlyPacket) {
  const uint8_t bytes[] = {0xa0, 0x60, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3};
  EXPECT_FALSE(RtpPacket::Parse(bytes));
  const uint8_t no_padding[] = {0x80, 0x60, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3};
  EXPECT_TRUE(RtpPacket::Parse(no_padding));
}

TEST(RtpPacket, TellsRtpFromRtcp_WhenDemultiplexing) {
  EXPECT_TRUE(RtpPacket::IsRtp(Bytes(kAiortcOpus)));
  EXPECT_TRUE(RtpPacket::IsRtp(Bytes(kAiortcRidPacket)));
  EXPECT_FALSE(RtpPacket::IsRtp(Bytes(kAiortcSenderReport)));
  EXPECT_FALSE(RtpPacket::IsRtp(Bytes(kAiortcRemb)));
  EXPECT_FALSE(RtpPacket::IsRtp(std::span<const uint8_t>(kAiortcOpus, 11)));
}

}  // namespace
}  // namespace tributary::rtc
