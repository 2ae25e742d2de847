// The single-producer single-consumer ring under one thread (order, full, wraparound) and under
// two (a producer and a consumer thread racing through a small ring: every item arrives once, in
// order).

#include "sfu/SpscRing.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <thread>

namespace tributary::sfu {
namespace {

TEST(SpscRingTest, PopsInPushOrder_AndRefusesWhenFull) {
  SpscRing<int> ring(3);  // rounded up to 4
  EXPECT_EQ(ring.Capacity(), 4u);
  EXPECT_TRUE(ring.Empty());
  EXPECT_EQ(ring.Front(), nullptr);
  for (int i = 0; i < 4; ++i) {
    int* slot = ring.BeginPush();
    ASSERT_NE(slot, nullptr) << i;
    *slot = i;
    ring.CommitPush();
  }
  EXPECT_EQ(ring.BeginPush(), nullptr);  // full
  EXPECT_EQ(ring.Size(), 4u);
  for (int i = 0; i < 4; ++i) {
    const int* front = ring.Front();
    ASSERT_NE(front, nullptr);
    EXPECT_EQ(*front, i);
    ring.Pop();
  }
  EXPECT_EQ(ring.Front(), nullptr);
  EXPECT_TRUE(ring.Empty());
}

TEST(SpscRingTest, WrapsAroundManyTimes) {
  SpscRing<uint64_t> ring(8);
  uint64_t next_in = 0;
  uint64_t next_out = 0;
  for (int round = 0; round < 1000; ++round) {
    // Fill a varying part of it, then drain a varying part.
    for (int i = 0; i < round % 9; ++i) {
      uint64_t* slot = ring.BeginPush();
      if (slot == nullptr) break;
      *slot = next_in++;
      ring.CommitPush();
    }
    for (int i = 0; i < round % 7; ++i) {
      const uint64_t* front = ring.Front();
      if (front == nullptr) break;
      ASSERT_EQ(*front, next_out++);
      ring.Pop();
    }
  }
  while (const uint64_t* front = ring.Front()) {
    ASSERT_EQ(*front, next_out++);
    ring.Pop();
  }
  EXPECT_EQ(next_in, next_out);
  EXPECT_GT(next_in, 1000u);
}

// Two threads through a 64-slot ring: the consumer must see 0, 1, 2, ... with nothing lost or
// repeated, whatever the interleaving (the producer retries when the ring is full).
TEST(SpscRingTest, TwoThreads_DeliverEveryItemOnceInOrder) {
  struct Item {
    uint64_t value;
    uint64_t check;  // written together with value: a torn slot would show
  };
  constexpr uint64_t kItems = 300'000;
  SpscRing<Item> ring(64);
  uint64_t full = 0;
  std::thread producer([&] {
    for (uint64_t i = 0; i < kItems;) {
      Item* slot = ring.BeginPush();
      if (slot == nullptr) {
        ++full;
        std::this_thread::yield();
        continue;
      }
      slot->value = i;
      slot->check = ~i;
      ring.CommitPush();
      ++i;
    }
  });
  uint64_t expected = 0;
  uint64_t errors = 0;
  while (expected < kItems) {
    const Item* item = ring.Front();
    if (item == nullptr) {
      std::this_thread::yield();  // the two threads may share a core
      continue;
    }
    if (item->value != expected || item->check != ~expected) ++errors;
    expected = item->value + 1;
    ring.Pop();
  }
  producer.join();
  EXPECT_EQ(errors, 0u);
  EXPECT_EQ(expected, kItems);
  EXPECT_TRUE(ring.Empty());
  EXPECT_EQ(ring.Front(), nullptr);
}

}  // namespace
}  // namespace tributary::sfu
