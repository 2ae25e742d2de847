#include "rtc/RtpPacketBuilder.h"

#include <gtest/gtest.h>

#include <numeric>
#include <vector>

#include "AiortcCaptures.h"
#include "TestBytes.h"
#include "rtc/RtpExtensionValue.h"
#include "rtc/RtpPacket.h"

namespace tributary::rtc {
namespace {

using namespace captures;
using testing::Bytes;

RtpExtensionIdMap IdentityMap() {
  RtpExtensionIdMap map;
  std::iota(map.begin(), map.end(), 0);
  return map;
}

std::vector<uint8_t> Ids(const RtpPacket& packet) {
  std::vector<uint8_t> ids;
  for (const auto& element : packet.Extensions())
    ids.push_back(element.id);
  return ids;
}

std::span<const uint8_t> Text(std::string_view text) {
  return RtpExtensionValue::EncodeSdesString(text);
}

TEST(RtpPacketBuilder, ReproducesAiortcBytes_WhenCopyingHeaderExtensionsAndPayload) {
  const auto original = Bytes(kAiortcOpus);
  const auto source = RtpPacket::Parse(original);
  std::vector<uint8_t> out(1500);
  RtpPacketBuilder builder(out);
  builder.CopyHeader(*source);
  builder.CopyExtensions(*source, IdentityMap());
  const size_t size = builder.Finish(source->Payload());
  ASSERT_EQ(size, original.size());
  out.resize(size);
  EXPECT_EQ(out, original);
}

TEST(RtpPacketBuilder, ReproducesAiortcBytes_WhenTheFirstElementNeedsTheTwoByteForm) {
  const auto original = Bytes(kAiortcTwoByteExtensions);
  std::vector<uint8_t> out(100);
  RtpPacketBuilder builder(out);
  builder.SetPayloadType(96);
  builder.SetSequenceNumber(9);
  builder.SetTimestamp(1);
  builder.SetSsrc(1);
  builder.AddExtension(1, Text("a-seventeen-b-mid"));
  builder.AddExtension(3, RtpExtensionValue::EncodeTransportWideSeq(0x0102));
  const uint8_t payload[] = {0x90, 0x80, 0x01};
  const size_t size = builder.Finish(payload);
  ASSERT_EQ(size, original.size());
  out.resize(size);
  EXPECT_EQ(out, original);
}

TEST(RtpPacketBuilder, ConvertsWrittenElements_WhenALaterOneNeedsTheTwoByteForm) {
  std::vector<uint8_t> out(200);
  RtpPacketBuilder builder(out);
  builder.SetSsrc(5);
  builder.AddExtension(3, RtpExtensionValue::EncodeTransportWideSeq(0xbeef));
  builder.AddExtension(1, Text("m"));
  builder.AddExtension(2, RtpExtensionValue::EncodeAbsSendTime(0xabcdef));
  builder.AddExtension(30, Text("needs-two-bytes"));    // id above 14
  builder.AddExtension(4, std::span<const uint8_t>());  // empty: two-byte form only
  const uint8_t payload[] = {1, 2, 3, 4, 5};
  const size_t size = builder.Finish(payload);
  ASSERT_NE(size, 0u);
  const auto packet = RtpPacket::Parse(std::span(out).first(size));
  ASSERT_TRUE(packet);
  EXPECT_EQ(packet->Extensions().form(), RtpHeaderExtensions::Form::kTwoByte);
  EXPECT_TRUE(packet->Extensions().WellFormed());
  EXPECT_EQ(Ids(*packet), (std::vector<uint8_t>{3, 1, 2, 30, 4}));
  EXPECT_EQ(RtpExtensionValue::ReadTransportWideSeq(packet->FindExtension(3)->value), 0xbeef);
  EXPECT_EQ(RtpExtensionValue::ReadSdesString(packet->FindExtension(1)->value), "m");
  EXPECT_EQ(RtpExtensionValue::ReadAbsSendTime(packet->FindExtension(2)->value), 0xabcdefu);
  EXPECT_EQ(RtpExtensionValue::ReadSdesString(packet->FindExtension(30)->value), "needs-two-bytes");
  EXPECT_TRUE(packet->FindExtension(4)->value.empty());
  EXPECT_EQ(packet->Payload().size(), 5u);
  EXPECT_EQ(packet->Payload()[4], 5);
}

TEST(RtpPacketBuilder, MapsStripsAndAddsExtensions_ForAConsumer) {
  const auto original = Bytes(kAiortcOpus);
  const auto source = RtpPacket::Parse(original);
  RtpExtensionIdMap map{};
  map[1] = 5;  // mid -> the consumer's id 5; abs-send-time, transport-cc and audio level dropped
  std::vector<uint8_t> out(1500);
  RtpPacketBuilder builder(out);
  builder.CopyHeader(*source);
  builder.SetSequenceNumber(1234);
  builder.SetSsrc(0x0c0ffee0);
  builder.CopyExtensions(*source, map);
  builder.AddExtension(6, RtpExtensionValue::EncodeTransportWideSeq(77));
  const size_t size = builder.Finish(source->Payload());
  ASSERT_NE(size, 0u);

  const auto packet = RtpPacket::Parse(std::span(out).first(size));
  ASSERT_TRUE(packet);
  EXPECT_EQ(Ids(*packet), (std::vector<uint8_t>{5, 6}));
  EXPECT_EQ(packet->SequenceNumber(), 1234);
  EXPECT_EQ(packet->Ssrc(), 0x0c0ffee0u);
  EXPECT_EQ(packet->Timestamp(), source->Timestamp());
  EXPECT_TRUE(packet->Marker());
  EXPECT_EQ(packet->PayloadType(), 111);
  EXPECT_TRUE(std::equal(packet->Payload().begin(), packet->Payload().end(),
                         source->Payload().begin(), source->Payload().end()));
}

TEST(RtpPacketBuilder, OmitsTheExtensionHeader_WhenEveryExtensionIsStripped) {
  const auto source = RtpPacket::Parse(kAiortcOpus);
  std::vector<uint8_t> out(1500);
  RtpPacketBuilder builder(out);
  builder.CopyHeader(*source);
  builder.CopyExtensions(*source, RtpExtensionIdMap{});
  const size_t size = builder.Finish(source->Payload());
  const auto packet = RtpPacket::Parse(std::span(out).first(size));
  ASSERT_TRUE(packet);
  EXPECT_FALSE(packet->HasExtensions());
  EXPECT_EQ(size, 12 + source->Payload().size());
}

TEST(RtpPacketBuilder, ReproducesCsrcsAndWritesPadding) {
  const auto source = RtpPacket::Parse(kAiortcCsrcPadding);
  std::vector<uint8_t> out(100);
  RtpPacketBuilder builder(out);
  builder.CopyHeader(*source);
  const size_t size = builder.Finish(source->Payload(), 3);
  ASSERT_EQ(size, sizeof(kAiortcCsrcPadding));
  // aiortc fills padding with random bytes; only the count byte is defined.
  EXPECT_TRUE(std::equal(out.begin(), out.begin() + 25, kAiortcCsrcPadding));
  EXPECT_EQ(out[27], 3);
  const auto packet = RtpPacket::Parse(std::span(out).first(size));
  EXPECT_EQ(packet->Csrc(1), 0x05060708u);
  EXPECT_EQ(packet->PaddingSize(), 3u);
}

TEST(RtpPacketBuilder, ReturnsZero_WhenAnyPartDoesNotFit) {
  const auto source = RtpPacket::Parse(kAiortcOpus);
  const size_t needed = sizeof(kAiortcOpus) + 4 + 2;  // + an extension element, + padding
  for (size_t capacity = 0; capacity < needed; ++capacity) {
    std::vector<uint8_t> out(capacity);
    RtpPacketBuilder builder(out);
    builder.CopyHeader(*source);
    builder.CopyExtensions(*source, IdentityMap());
    builder.AddExtension(9, Text("abc"));
    EXPECT_EQ(builder.Finish(source->Payload(), 2), 0u) << capacity;
    EXPECT_TRUE(builder.Failed());
  }
  std::vector<uint8_t> out(needed);
  RtpPacketBuilder builder(out);
  builder.CopyHeader(*source);
  builder.CopyExtensions(*source, IdentityMap());
  builder.AddExtension(9, Text("abc"));
  EXPECT_EQ(builder.Finish(source->Payload(), 2), needed);
  EXPECT_FALSE(builder.Failed());
}

TEST(RtpPacketBuilder, Fails_WhenCallsComeOutOfOrder) {
  std::vector<uint8_t> out(100);
  {
    RtpPacketBuilder builder(out);
    builder.AddExtension(1, Text("x"));
    builder.AddCsrc(1);  // CSRCs precede the extension header
    EXPECT_EQ(builder.Finish({}), 0u);
  }
  {
    RtpPacketBuilder builder(out);
    builder.AddExtension(0, Text("x"));  // id 0 is padding
    EXPECT_EQ(builder.Finish({}), 0u);
  }
  {
    RtpPacketBuilder builder(out);
    EXPECT_EQ(builder.Finish({}), 12u);
    builder.SetSequenceNumber(3);  // after Finish
    EXPECT_TRUE(builder.Failed());
    EXPECT_EQ(builder.Finish({}), 0u);
  }
  {
    RtpPacketBuilder builder(out);
    for (uint32_t i = 0; i < 15; ++i)
      builder.AddCsrc(i);
    EXPECT_FALSE(builder.Failed());
    builder.AddCsrc(15);  // CC is 4 bits
    EXPECT_TRUE(builder.Failed());
  }
}

}  // namespace
}  // namespace tributary::rtc
