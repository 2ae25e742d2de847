// MirrorRing, the cross-worker hand-over on top of SpscRing: what a slot carries, drops when
// full or too large, the eventfd wake-up only when the mirror worker armed the ring, and a
// consumer thread sleeping on the eventfd that must never miss a packet.

#include "sfu/MirrorRing.h"

#include <gtest/gtest.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cstdint>
#include <thread>
#include <vector>

#include "SfuTestSupport.h"
#include "base/PacketBufferPool.h"
#include "sfu/MediaPacket.h"

namespace tributary::sfu {
namespace {

class MirrorRingTest : public ::testing::Test {
 protected:
  MirrorRingTest() : wake_fd_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {}
  ~MirrorRingTest() override { ::close(wake_fd_); }

  MediaPacket Packet(uint16_t seq, size_t payload_size = 1000) {
    testing::RtpSpec spec;
    spec.seq = seq;
    spec.timestamp = 90 * seq;
    const auto bytes = testing::BuildRtp(spec, std::vector<uint8_t>(payload_size, 0xab));
    auto rtp = rtc::RtpPacket::Parse(bytes);
    MediaPacket packet = MediaPacket::CopyFrom(pool_, *rtp, 1234);
    packet.SetExtendedSeq(65536 + seq);
    packet.SetSourceEpoch(3);
    packet.SetKeyframe(seq % 2 == 0);
    return packet;
  }

  // How many times the ring woke the worker since the last call (the eventfd's counter).
  uint64_t Wakes() {
    uint64_t value = 0;
    return ::read(wake_fd_, &value, sizeof(value)) == sizeof(value) ? value : 0;
  }

  base::PacketBufferPool pool_{base::PacketBufferPoolOptions{2048, 16, 16, 64}};
  int wake_fd_;
};

TEST_F(MirrorRingTest, SlotCarriesTheBytesAndWhatTheProducerLearned) {
  MirrorRing ring(4, wake_fd_);
  const MediaPacket packet = Packet(7);
  ASSERT_TRUE(ring.Push(42, 1, 2, packet));
  const MirrorPacket* slot = ring.Front();
  ASSERT_NE(slot, nullptr);
  EXPECT_EQ(slot->token, 42u);
  EXPECT_EQ(slot->track, 1u);
  EXPECT_EQ(slot->params_epoch, 2u);
  EXPECT_EQ(slot->source_epoch, 3u);
  EXPECT_EQ(slot->extended_seq, 65536 + 7);
  EXPECT_EQ(slot->arrival_us, 1234u);
  EXPECT_FALSE(slot->keyframe);
  ASSERT_EQ(slot->size, packet.Size());
  EXPECT_TRUE(std::equal(packet.Data().begin(), packet.Data().end(), slot->bytes.begin()));
  ring.Pop();
  EXPECT_EQ(ring.Front(), nullptr);
}

TEST_F(MirrorRingTest, FullRingDropsAndCounts_TooLargeToo) {
  MirrorRing ring(2, wake_fd_);
  EXPECT_TRUE(ring.Push(1, 0, 1, Packet(1)));
  EXPECT_TRUE(ring.Push(1, 0, 1, Packet(2)));
  EXPECT_FALSE(ring.Push(1, 0, 1, Packet(3)));
  // Larger than a slot: a bare 12-byte header and 1600 bytes of payload.
  std::vector<uint8_t> large(12 + 1600, 0);
  large[0] = 0x80;
  large[1] = 96;
  const auto rtp = rtc::RtpPacket::Parse(large);
  ASSERT_TRUE(rtp);
  EXPECT_FALSE(ring.Push(1, 0, 1, MediaPacket::CopyFrom(pool_, *rtp, 1)));
  const MirrorRingCounters counters = ring.GetCounters();
  EXPECT_EQ(counters.packets, 2u);
  EXPECT_EQ(counters.full, 1u);
  EXPECT_EQ(counters.too_large, 1u);
}

TEST_F(MirrorRingTest, WakesOnlyWhenArmed_OncePerBurst) {
  MirrorRing ring(16, wake_fd_);
  // Armed from the start: the first packet wakes, the rest of the burst does not.
  for (uint16_t i = 0; i < 5; ++i)
    ASSERT_TRUE(ring.Push(1, 0, 1, Packet(i)));
  EXPECT_EQ(Wakes(), 1u);
  // Arming a ring that still holds packets says so (drain first).
  EXPECT_FALSE(ring.Arm());
  while (ring.Front() != nullptr)
    ring.Pop();
  EXPECT_TRUE(ring.Arm());
  EXPECT_EQ(Wakes(), 0u);
  ASSERT_TRUE(ring.Push(1, 0, 1, Packet(9)));
  ASSERT_TRUE(ring.Push(1, 0, 1, Packet(10)));
  EXPECT_EQ(Wakes(), 1u);
  // Drained but not armed (the mirror worker is still busy): no wake-up.
  while (ring.Front() != nullptr)
    ring.Pop();
  ASSERT_TRUE(ring.Push(1, 0, 1, Packet(11)));
  EXPECT_EQ(Wakes(), 0u);
  EXPECT_EQ(ring.GetCounters().wakeups, 2u);
}

// A producer thread and a consumer thread that sleeps in poll() on the eventfd whenever it
// drained and armed the ring: no packet may be left behind in an armed, unwoken ring.
TEST_F(MirrorRingTest, TwoThreads_ConsumerSleepingOnTheEventFdMissesNothing) {
  constexpr uint32_t kPackets = 20000;
  MirrorRing ring(32, wake_fd_);
  std::vector<MediaPacket> packets;
  for (uint16_t i = 0; i < 8; ++i)
    packets.push_back(Packet(i));
  std::thread producer([&] {
    for (uint32_t i = 0; i < kPackets;) {
      // The token carries the counter.
      if (ring.Push(i, 0, 1, packets[i % packets.size()])) {
        ++i;
      } else {
        std::this_thread::yield();
      }
    }
  });
  uint32_t expected = 0;
  uint32_t errors = 0;
  while (expected < kPackets) {
    while (const MirrorPacket* slot = ring.Front()) {
      if (slot->token != expected) ++errors;
      expected = slot->token + 1;
      ring.Pop();
    }
    if (expected == kPackets || !ring.Arm()) continue;
    pollfd fd{wake_fd_, POLLIN, 0};
    ASSERT_EQ(::poll(&fd, 1, 5000), 1) << "asleep with " << expected << " of " << kPackets;
    Wakes();
  }
  producer.join();
  EXPECT_EQ(errors, 0u);
  EXPECT_EQ(expected, kPackets);
  EXPECT_EQ(ring.GetCounters().packets, kPackets);
}

}  // namespace
}  // namespace tributary::sfu
