#include "sfu/PacketCache.h"

#include <gtest/gtest.h>

#include "SfuTestSupport.h"
#include "sfu/SeqUnwrapper.h"

namespace tributary::sfu {
namespace {

using namespace testing;

class PacketCacheTest : public ::testing::Test {
 protected:
  // A real VP8 packet with sequence number `seq` (extended `extended`) arriving at `arrival_ms`.
  MediaPacket Packet(int64_t extended, uint64_t arrival_ms) {
    RtpSpec spec;
    spec.seq = static_cast<uint16_t>(extended);
    spec.timestamp = static_cast<uint32_t>(extended * 3000);
    const auto bytes = BuildRtp(spec, Vp8DeltaPayload());
    MediaPacket packet =
        MediaPacket::CopyFrom(pool_, *rtc::RtpPacket::Parse(bytes), arrival_ms * 1000);
    packet.SetExtendedSeq(extended);
    return packet;
  }

  base::PacketBufferPool pool_;
};

TEST_F(PacketCacheTest, ReturnsThePacketsItHolds_WhenAskedBySequenceNumber) {
  PacketCache cache;
  for (int64_t seq = 100; seq < 110; ++seq) {
    if (seq == 104) continue;
    EXPECT_TRUE(cache.Insert(Packet(seq, static_cast<uint64_t>(seq))));
  }
  EXPECT_EQ(cache.Size(), 9u);
  for (int64_t seq = 100; seq < 110; ++seq) {
    const MediaPacket* packet = cache.Get(seq);
    if (seq == 104) {
      EXPECT_EQ(packet, nullptr);
      continue;
    }
    ASSERT_NE(packet, nullptr) << seq;
    EXPECT_EQ(packet->Rtp().SequenceNumber(), seq);
    EXPECT_EQ(packet->ExtendedSeq(), seq);
  }
  EXPECT_EQ(cache.Get(99), nullptr);
  EXPECT_EQ(cache.Get(110), nullptr);
  EXPECT_EQ(cache.GetCounters().hits, 9u);
  EXPECT_EQ(cache.GetCounters().misses, 3u);
}

TEST_F(PacketCacheTest, FillsAHole_WhenALatePacketArrives_AndRefusesDuplicates) {
  PacketCache cache;
  cache.Insert(Packet(10, 0));
  cache.Insert(Packet(12, 2));
  EXPECT_FALSE(cache.Contains(11));
  EXPECT_TRUE(cache.Insert(Packet(11, 50)));  // recovered through RTX
  EXPECT_TRUE(cache.Contains(11));
  EXPECT_FALSE(cache.Insert(Packet(11, 60)));
  EXPECT_FALSE(cache.Insert(Packet(12, 60)));
  EXPECT_EQ(cache.GetCounters().duplicates, 2u);
  EXPECT_EQ(cache.Get(11)->ArrivalUs(), 50000u);  // the first copy stays
}

TEST_F(PacketCacheTest, KeepsItsIndexAcrossTheWrap_WhenFedUnwrappedNumbers) {
  PacketCache cache;
  SeqUnwrapper unwrapper;
  for (uint32_t i = 0; i < 20; ++i) {
    const uint16_t seq = static_cast<uint16_t>(65530 + i);  // 65530 .. 65535, 0 .. 13
    cache.Insert(Packet(unwrapper.Unwrap(seq), i));
  }
  const MediaPacket* after_wrap = cache.Get(unwrapper.Peek(3));
  ASSERT_NE(after_wrap, nullptr);
  EXPECT_EQ(after_wrap->Rtp().SequenceNumber(), 3);
  const MediaPacket* before_wrap = cache.Get(unwrapper.Peek(65534));
  ASSERT_NE(before_wrap, nullptr);
  EXPECT_EQ(before_wrap->Rtp().SequenceNumber(), 65534);
  EXPECT_EQ(unwrapper.Peek(3) - unwrapper.Peek(65534), 5);
}

TEST_F(PacketCacheTest, LetsGoOfPacketsOlderThanItsHorizon_AndTheirBuffers) {
  PacketCache::Options options;
  options.max_age_ms = 1000;
  PacketCache cache(options);
  for (int64_t seq = 0; seq < 10; ++seq)
    cache.Insert(Packet(seq, static_cast<uint64_t>(seq) * 100));  // 0 .. 900 ms
  EXPECT_EQ(pool_.InUse(), 10u);
  cache.Insert(Packet(10, 1250));  // 0, 100 and 200 are now older than 1000 ms
  EXPECT_EQ(cache.Size(), 8u);
  EXPECT_EQ(cache.Get(2), nullptr);
  EXPECT_NE(cache.Get(3), nullptr);
  EXPECT_EQ(cache.GetCounters().expired, 3u);
  EXPECT_EQ(pool_.InUse(), 8u);
  EXPECT_FALSE(cache.Insert(Packet(1, 1250)));  // below the window now
  EXPECT_EQ(cache.GetCounters().too_old, 1u);
  // A stream that stops: Expire with the current time empties it.
  cache.Expire(2251 * 1000);
  EXPECT_EQ(cache.Size(), 0u);
  EXPECT_EQ(pool_.InUse(), 0u);
}

TEST_F(PacketCacheTest, KeepsAHoleFillable_WhenExpiryPassesLostPackets) {
  PacketCache::Options options;
  options.max_age_ms = 1000;
  PacketCache cache(options);
  cache.Insert(Packet(0, 0));
  cache.Insert(Packet(3, 900));   // 1 and 2 lost
  cache.Insert(Packet(4, 1100));  // 0 expires; the holes after it are younger than 3
  EXPECT_EQ(cache.Get(0), nullptr);
  EXPECT_TRUE(cache.Insert(Packet(2, 1150)));  // its retransmission still gets in
}

TEST_F(PacketCacheTest, GrowsToHoldItsHorizon_WhenTheRateOutgrowsTheRing) {
  PacketCache::Options options;
  options.max_age_ms = 1000;
  options.initial_capacity = 16;
  options.max_capacity = 64;
  PacketCache cache(options);
  for (int64_t seq = 0; seq < 50; ++seq)
    cache.Insert(Packet(seq, static_cast<uint64_t>(seq)));  // 1000 packets/s: all younger
  EXPECT_EQ(cache.Capacity(), 64u);
  EXPECT_EQ(cache.GetCounters().grown, 2u);
  EXPECT_EQ(cache.Size(), 50u);
  for (int64_t seq = 0; seq < 50; ++seq)
    EXPECT_NE(cache.Get(seq), nullptr) << seq;
  // At max_capacity the oldest young packets are overwritten (and counted).
  for (int64_t seq = 50; seq < 70; ++seq)
    cache.Insert(Packet(seq, static_cast<uint64_t>(seq)));
  EXPECT_EQ(cache.Capacity(), 64u);
  EXPECT_EQ(cache.Size(), 64u);
  EXPECT_EQ(cache.GetCounters().overwritten, 6u);
  EXPECT_EQ(cache.Get(5), nullptr);
  EXPECT_NE(cache.Get(6), nullptr);
}

TEST_F(PacketCacheTest, StartsOver_WhenTheNumbersJumpPastTheRing) {
  PacketCache::Options options;
  options.initial_capacity = 16;
  options.max_capacity = 16;
  PacketCache cache(options);
  for (int64_t seq = 0; seq < 10; ++seq)
    cache.Insert(Packet(seq, 0));
  cache.Insert(Packet(5000, 1));
  EXPECT_EQ(cache.Size(), 1u);
  EXPECT_EQ(pool_.InUse(), 1u);
  EXPECT_NE(cache.Get(5000), nullptr);
  cache.Clear();
  EXPECT_EQ(pool_.InUse(), 0u);
  EXPECT_FALSE(cache.NewestSeq());
}

}  // namespace
}  // namespace tributary::sfu
