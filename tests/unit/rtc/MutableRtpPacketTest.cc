#include "rtc/MutableRtpPacket.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "AiortcCaptures.h"
#include "TestBytes.h"
#include "rtc/RtpExtensionValue.h"

namespace tributary::rtc {
namespace {

using namespace captures;
using testing::Bytes;

std::vector<uint8_t> Ids(const RtpPacket& packet) {
  std::vector<uint8_t> ids;
  for (const auto& element : packet.Extensions())
    ids.push_back(element.id);
  return ids;
}

TEST(MutableRtpPacket, RewritesHeaderFields_WithoutTouchingTheRest) {
  const auto original = Bytes(kAiortcOpus);
  std::vector<uint8_t> buffer(1500);
  auto packet = MutableRtpPacket::CopyFrom(*RtpPacket::Parse(original), buffer);
  ASSERT_TRUE(packet);
  packet->SetMarker(false);
  packet->SetPayloadType(100);
  packet->SetSequenceNumber(7);
  packet->SetTimestamp(0xcafebabe);
  packet->SetSsrc(0x01020304);

  const auto reparsed = RtpPacket::Parse(std::span(buffer).first(original.size()));
  ASSERT_TRUE(reparsed);
  EXPECT_FALSE(reparsed->Marker());
  EXPECT_EQ(reparsed->PayloadType(), 100);
  EXPECT_EQ(reparsed->SequenceNumber(), 7);
  EXPECT_EQ(reparsed->Timestamp(), 0xcafebabeu);
  EXPECT_EQ(reparsed->Ssrc(), 0x01020304u);
  // Byte 0 and everything after the SSRC are unchanged.
  EXPECT_EQ(buffer[0], original[0]);
  EXPECT_TRUE(std::equal(original.begin() + 12, original.end(), buffer.begin() + 12));

  packet->SetMarker(true);
  packet->SetPayloadType(111);
  EXPECT_EQ(buffer[1], original[1]);
}

TEST(MutableRtpPacket, RefusesToCopy_WhenTheBufferIsTooSmall) {
  const auto original = Bytes(kAiortcRidPacket);
  std::vector<uint8_t> buffer(original.size() - 1);
  EXPECT_FALSE(MutableRtpPacket::CopyFrom(*RtpPacket::Parse(original), buffer));
}

TEST(MutableRtpPacket, RewritesExtensionIdAndValue_InPlace) {
  auto bytes = Bytes(kAiortcOpus);
  auto packet = MutableRtpPacket::Parse(bytes);
  ASSERT_TRUE(packet);
  EXPECT_TRUE(packet->SetExtensionId(3, 9));
  EXPECT_FALSE(packet->SetExtensionId(3, 9));   // no element with id 3 any more
  EXPECT_FALSE(packet->SetExtensionId(9, 15));  // 15 is reserved in the one-byte form
  EXPECT_FALSE(packet->SetExtensionId(9, 0));
  EXPECT_TRUE(packet->SetExtensionValue(9, RtpExtensionValue::EncodeTransportWideSeq(0x0042)));
  EXPECT_FALSE(packet->SetExtensionValue(9, std::vector<uint8_t>{1, 2, 3}));  // size differs

  const auto reparsed = RtpPacket::Parse(bytes);
  EXPECT_EQ(Ids(*reparsed), (std::vector<uint8_t>{1, 2, 4, 9}));
  EXPECT_EQ(RtpExtensionValue::ReadTransportWideSeq(reparsed->FindExtension(9)->value), 0x0042);
  EXPECT_EQ(reparsed->Payload().size(), sizeof(kAiortcOpus) - 28);
}

TEST(MutableRtpPacket, AllowsIdsAbove14_InTheTwoByteForm) {
  auto bytes = Bytes(kAiortcTwoByteExtensions);
  auto packet = MutableRtpPacket::Parse(bytes);
  ASSERT_TRUE(packet);
  EXPECT_TRUE(packet->SetExtensionId(3, 200));
  EXPECT_EQ(RtpExtensionValue::ReadTransportWideSeq(packet->FindExtension(200)->value), 0x0102);
}

TEST(MutableRtpPacket, MapsIdsAndBlanksStrippedElements_WhenMappingExtensionIds) {
  auto bytes = Bytes(kAiortcOpus);
  auto packet = MutableRtpPacket::Parse(bytes);
  ASSERT_TRUE(packet);
  RtpExtensionIdMap map{};
  map[1] = 7;   // mid
  map[3] = 3;   // transport-cc keeps its id
  map[4] = 20;  // audio level: 20 does not fit the one-byte form, so it is stripped
  packet->MapExtensionIds(map);  // abs-send-time (2) maps to 0: stripped

  const auto reparsed = RtpPacket::Parse(bytes);
  ASSERT_TRUE(reparsed);
  EXPECT_TRUE(reparsed->Extensions().WellFormed());
  EXPECT_EQ(Ids(*reparsed), (std::vector<uint8_t>{7, 3}));
  EXPECT_EQ(RtpExtensionValue::ReadSdesString(reparsed->FindExtension(7)->value), "0");
  EXPECT_EQ(RtpExtensionValue::ReadTransportWideSeq(reparsed->FindExtension(3)->value), 0xfffd);
  // The abs-send-time element (4 bytes at 18) became padding.
  EXPECT_EQ(bytes[18], 0);
  EXPECT_EQ(bytes[21], 0);
}

TEST(MutableRtpPacket, MutatesThePayload) {
  auto bytes = Bytes(kAiortcRidPacket);
  auto packet = MutableRtpPacket::Parse(bytes);
  ASSERT_TRUE(packet);
  packet->MutablePayload()[0] = 0x99;
  EXPECT_EQ(bytes[28], 0x99);
}

}  // namespace
}  // namespace tributary::rtc
