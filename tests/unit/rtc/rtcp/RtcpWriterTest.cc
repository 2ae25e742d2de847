#include "rtc/rtcp/RtcpWriter.h"

#include <gtest/gtest.h>

#include <vector>

#include "../AiortcCaptures.h"
#include "../TestBytes.h"
#include "rtc/rtcp/Pli.h"
#include "rtc/rtcp/ReceiverReport.h"
#include "rtc/rtcp/Remb.h"
#include "rtc/rtcp/RtcpCompound.h"
#include "rtc/rtcp/Sdes.h"
#include "rtc/rtcp/SenderReport.h"

namespace tributary::rtc::rtcp {
namespace {

using namespace captures;
using testing::Bytes;

TEST(RtcpWriter, ReproducesAiortcSrSdesCompound) {
  const auto sr = SenderReport::Parse(kAiortcSenderReport);
  const auto sdes = Sdes::Parse(kAiortcSdes);
  std::vector<uint8_t> buffer(1500);
  RtcpWriter writer(buffer);
  EXPECT_TRUE(writer.Append(*sr));
  EXPECT_TRUE(writer.Append(*sdes));
  EXPECT_EQ(Bytes(writer.Data()), Bytes(kAiortcSrSdesCompound));
}

TEST(RtcpWriter, AppendsBuiltSrAndSdes_IntoOneWalkableCompound) {
  SenderReport sr;
  sr.SetSenderSsrc(0x5ca1ab1e);
  sr.SetNtpTimestamp(0xe8d4a51012345678ull);
  const SdesChunk chunk{0x5ca1ab1e, "{tributary-cname}"};
  Sdes sdes;
  sdes.SetChunks(std::span(&chunk, 1));
  std::vector<uint8_t> buffer(1500);
  RtcpWriter writer(buffer);
  ASSERT_TRUE(writer.Append(sr));
  ASSERT_TRUE(writer.Append(sdes));
  EXPECT_EQ(writer.Size(), 28u + 28);
  RtcpCompound compound(writer.Data());
  const auto first = compound.Next();
  const auto second = compound.Next();
  ASSERT_TRUE(first && second);
  EXPECT_FALSE(compound.Next());
  EXPECT_EQ(compound.Error(), RtcpError::kNone);
  EXPECT_EQ(SenderReport::Parse(first->Data())->NtpTimestamp(), 0xe8d4a51012345678ull);
  EXPECT_EQ(Sdes::Parse(second->Data())->CnameOf(0x5ca1ab1e), "{tributary-cname}");
}

TEST(RtcpWriter, ReproducesAiortcRrRembCompound) {
  const auto rr = ReceiverReport::Parse(kAiortcReceiverReport);
  const auto remb = Remb::Parse(kAiortcRemb);
  std::vector<uint8_t> buffer(1500);
  RtcpWriter writer(buffer);
  EXPECT_TRUE(writer.Append(*rr));
  EXPECT_TRUE(writer.Append(*remb));
  EXPECT_EQ(Bytes(writer.Data()), Bytes(kAiortcRrRembCompound));
  EXPECT_EQ(writer.Size() % 4, 0u);
}

TEST(RtcpWriter, KeepsWhatFits_WhenThePacketAfterDoesNot) {
  std::vector<uint8_t> buffer(30);
  RtcpWriter writer(buffer);
  Pli pli;
  pli.SetMediaSsrc(9);
  EXPECT_TRUE(writer.Append(pli));
  EXPECT_TRUE(writer.Append(pli));
  EXPECT_FALSE(writer.Append(pli));  // 36 bytes would not fit in 30
  EXPECT_EQ(writer.Size(), 24u);
  EXPECT_EQ(writer.Remaining(), 6u);
  RtcpCompound compound(writer.Data());
  int count = 0;
  while (compound.Next())
    ++count;
  EXPECT_EQ(count, 2);
  EXPECT_EQ(compound.Error(), RtcpError::kNone);
}

}  // namespace
}  // namespace tributary::rtc::rtcp
