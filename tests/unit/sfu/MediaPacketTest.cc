#include "sfu/MediaPacket.h"

#include <gtest/gtest.h>

#include <vector>

#include "../rtc/AiortcCaptures.h"
#include "../rtc/TestBytes.h"
#include "rtc/RtxPacket.h"

namespace tributary::sfu {
namespace {

using namespace rtc::captures;
using rtc::testing::Bytes;

TEST(MediaPacket, ViewsItsOwnCopyWithTheSameParse_WhenCopiedFromAReceivedPacket) {
  base::PacketBufferPool pool;
  auto received = Bytes(kAiortcOpus);
  const auto view = rtc::RtpPacket::Parse(received);
  ASSERT_TRUE(view);
  const MediaPacket packet = MediaPacket::CopyFrom(pool, *view, 123456);
  ASSERT_TRUE(packet);
  received.assign(received.size(), 0);  // the socket buffer is reused: the copy must not care
  EXPECT_EQ(Bytes(packet.Data()), Bytes(kAiortcOpus));
  EXPECT_EQ(packet.Rtp().SequenceNumber(), 0xfffe);
  EXPECT_EQ(packet.Rtp().PayloadType(), 111);
  EXPECT_EQ(packet.Rtp().Ssrc(), 0x5ca1ab1eu);
  EXPECT_EQ(packet.Rtp().HeaderSize(), view->HeaderSize());
  EXPECT_EQ(packet.Rtp().Payload().size(), view->Payload().size());
  EXPECT_EQ(packet.Rtp().Payload().data(), packet.Buffer()->Data() + view->HeaderSize());
  EXPECT_EQ(packet.ArrivalUs(), 123456u);
  EXPECT_FALSE(packet.IsPaddingOnly());
  EXPECT_EQ(pool.InUse(), 1u);
}

TEST(MediaPacket, SharesOneBuffer_WhenCopied) {
  base::PacketBufferPool pool;
  MediaPacket first =
      MediaPacket::CopyFrom(pool, *rtc::RtpPacket::Parse(kAiortcVp8KeyframePacket), 1);
  first.SetExtendedSeq(70000);
  first.SetKeyframe(true);
  first.SetSourceEpoch(3);
  {
    const MediaPacket second = first;
    EXPECT_EQ(second.Buffer().Get(), first.Buffer().Get());
    EXPECT_EQ(second.Data().data(), first.Data().data());
    EXPECT_EQ(first.Buffer()->UseCount(), 2u);
    EXPECT_EQ(second.ExtendedSeq(), 70000);
    EXPECT_TRUE(second.IsKeyframe());
    EXPECT_EQ(second.SourceEpoch(), 3u);
    EXPECT_EQ(pool.InUse(), 1u);
  }
  EXPECT_EQ(first.Buffer()->UseCount(), 1u);
  first = MediaPacket();
  EXPECT_EQ(pool.InUse(), 0u);
}

TEST(MediaPacket, IsEmptyWithTheReason_WhenThePoolCannotHoldThePacket) {
  base::PacketBufferPool::Options small;
  small.buffer_capacity = 100;
  small.initial_buffers = 1;
  small.max_buffers = 1;
  base::PacketBufferPool pool(small);
  MediaPacket::Error error = MediaPacket::Error::kNone;
  EXPECT_FALSE(MediaPacket::CopyFrom(pool, *rtc::RtpPacket::Parse(kAiortcOpus), 0, &error));
  EXPECT_EQ(error, MediaPacket::Error::kTooLarge);
  const auto small_packet = rtc::RtpPacket::Parse(kAiortcRidPacket);  // 32 bytes
  const MediaPacket held = MediaPacket::CopyFrom(pool, *small_packet, 0, &error);
  EXPECT_TRUE(held);
  EXPECT_EQ(error, MediaPacket::Error::kNone);
  EXPECT_FALSE(MediaPacket::CopyFrom(pool, *small_packet, 0, &error));
  EXPECT_EQ(error, MediaPacket::Error::kPoolExhausted);
}

TEST(MediaPacket, ParsesTheAdoptedBuffer_WhenRtxWasDecapsulatedIntoIt) {
  base::PacketBufferPool pool;
  base::PacketRef buffer = pool.Acquire();
  const auto rtx = rtc::RtpPacket::Parse(kAiortcOpusRtx);
  const size_t size = rtc::RtxPacket::Decapsulate(*rtx, 111, 0x5ca1ab1e, buffer->Storage());
  ASSERT_NE(size, 0u);
  const MediaPacket packet = MediaPacket::Adopt(std::move(buffer), size, 42);
  ASSERT_TRUE(packet);
  // aiortc's wrap_rtx of kAiortcOpus, unwrapped: the original bytes exactly.
  EXPECT_EQ(Bytes(packet.Data()), Bytes(kAiortcOpus));
  EXPECT_EQ(packet.ArrivalUs(), 42u);
}

TEST(MediaPacket, IsEmpty_WhenTheAdoptedBytesAreNotRtp) {
  base::PacketBufferPool pool;
  base::PacketRef buffer = pool.Acquire();
  const uint8_t garbage[] = {0x80, 0x60, 0x00};  // shorter than a fixed header
  std::copy(std::begin(garbage), std::end(garbage), buffer->Data());
  MediaPacket::Error error = MediaPacket::Error::kNone;
  EXPECT_FALSE(MediaPacket::Adopt(std::move(buffer), sizeof(garbage), 0, &error));
  EXPECT_EQ(error, MediaPacket::Error::kMalformed);
  EXPECT_EQ(pool.InUse(), 0u);  // the buffer went back
}

}  // namespace
}  // namespace tributary::sfu
