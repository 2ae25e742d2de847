#include "base/PacketBufferPool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace tributary::base {
namespace {

PacketBufferPool::Options SmallPool(size_t initial, size_t grow, size_t max) {
  PacketBufferPool::Options options;
  options.buffer_capacity = 1500;
  options.initial_buffers = initial;
  options.grow_buffers = grow;
  options.max_buffers = max;
  return options;
}

TEST(PacketBufferPool, HandsOutEmptyBuffersWithOneReference_WhenAcquiring) {
  PacketBufferPool pool(SmallPool(4, 4, 16));
  PacketRef ref = pool.Acquire();
  ASSERT_TRUE(ref);
  EXPECT_EQ(ref->Capacity(), 1500u);
  EXPECT_EQ(ref->Size(), 0u);
  EXPECT_EQ(ref->UseCount(), 1u);
  EXPECT_EQ(pool.InUse(), 1u);
  std::memset(ref->Data(), 0xab, ref->Capacity());  // the whole capacity is writable
  ref->SetSize(1200);
  EXPECT_EQ(ref->Bytes().size(), 1200u);
}

TEST(PacketBufferPool, CountsReferences_WhenCopyingMovingAndResettingHandles) {
  PacketBufferPool pool(SmallPool(2, 2, 2));
  PacketRef a = pool.Acquire();
  PacketRef b = a;
  EXPECT_EQ(a.Get(), b.Get());
  EXPECT_EQ(a->UseCount(), 2u);
  PacketRef c = std::move(b);
  EXPECT_FALSE(b);  // NOLINT(bugprone-use-after-move): moved-from handles are empty
  EXPECT_EQ(a->UseCount(), 2u);
  PacketRef d;
  d = c;
  EXPECT_EQ(a->UseCount(), 3u);
  const PacketRef& alias = d;
  d = alias;  // self-assignment keeps the count
  EXPECT_EQ(a->UseCount(), 3u);
  c.Reset();
  d.Reset();
  EXPECT_EQ(a->UseCount(), 1u);
  EXPECT_EQ(pool.InUse(), 1u);
  a = PacketRef();
  EXPECT_EQ(pool.InUse(), 0u);
}

TEST(PacketBufferPool, ReusesTheSameMemory_WhenABufferComesBack) {
  PacketBufferPool pool(SmallPool(1, 1, 1));
  const uint8_t* first = nullptr;
  {
    PacketRef ref = pool.Acquire();
    ref->SetSize(100);
    first = ref->Data();
  }
  PacketRef again = pool.Acquire();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->Data(), first);
  EXPECT_EQ(again->Size(), 0u);  // reset on the way out
  EXPECT_EQ(pool.TotalBuffers(), 1u);
}

TEST(PacketBufferPool, GrowsToItsLimitThenCountsExhaustion_WhenHeldBuffersPileUp) {
  PacketBufferPool pool(SmallPool(2, 3, 6));
  std::vector<PacketRef> held;
  for (int i = 0; i < 6; ++i) {
    held.push_back(pool.Acquire());
    ASSERT_TRUE(held.back()) << i;
  }
  EXPECT_EQ(pool.TotalBuffers(), 6u);
  EXPECT_EQ(pool.GetCounters().grown, 3u);  // 2 at construction, then 3, then the last 1
  EXPECT_FALSE(pool.Acquire());
  EXPECT_EQ(pool.GetCounters().exhausted, 1u);
  // Distinct, non-overlapping buffers.
  std::set<const uint8_t*> distinct;
  for (const auto& ref : held)
    distinct.insert(ref->Data());
  EXPECT_EQ(distinct.size(), 6u);
  held.pop_back();
  EXPECT_TRUE(pool.Acquire());
  EXPECT_EQ(pool.TotalBuffers(), 6u);
}

// The owner thread acquires and fills buffers and hands a copy of each reference to another
// thread, then drops its own copy while the other thread reads and drops the other: the last
// release happens on either thread, racing on the count. A small pool forces every buffer
// through the lock-free free list many times. Every byte read must be the byte written.
TEST(PacketBufferPool, RecyclesAcrossThreads_WhenTheLastReleaseIsOnAnotherThread) {
  constexpr size_t kPackets = 200000;
  constexpr size_t kMaxBuffers = 64;
  PacketBufferPool pool(SmallPool(16, 16, kMaxBuffers));

  std::mutex mutex;
  std::condition_variable ready;
  std::deque<PacketRef> queue;
  bool done = false;
  std::atomic<size_t> corrupted{0};
  std::atomic<size_t> consumed{0};

  std::thread reader([&] {
    for (;;) {
      PacketRef ref;
      {
        std::unique_lock lock(mutex);
        ready.wait(lock, [&] { return !queue.empty() || done; });
        if (queue.empty()) return;
        ref = std::move(queue.front());
        queue.pop_front();
      }
      const auto bytes = ref->Bytes();
      const uint8_t tag = bytes[0];
      for (const uint8_t byte : bytes) {
        if (byte != tag) {
          corrupted.fetch_add(1);
          break;
        }
      }
      consumed.fetch_add(1);
      // `ref` dies here, on this thread.
    }
  });

  size_t produced = 0;
  while (produced < kPackets) {
    PacketRef ref = pool.Acquire();
    if (!ref) {
      std::this_thread::yield();  // every buffer is out: wait for the reader to drop some
      continue;
    }
    const size_t size = 100 + produced % 1000;
    std::memset(ref->Data(), static_cast<uint8_t>(produced), size);
    ref->SetSize(size);
    {
      std::lock_guard lock(mutex);
      queue.push_back(ref);
    }
    ready.notify_one();
    ++produced;
    // `ref` dies here, on the owner thread, racing with the reader's release.
  }
  {
    std::lock_guard lock(mutex);
    done = true;
  }
  ready.notify_one();
  reader.join();

  EXPECT_EQ(consumed.load(), kPackets);
  EXPECT_EQ(corrupted.load(), 0u);
  EXPECT_EQ(pool.InUse(), 0u);
  EXPECT_LE(pool.TotalBuffers(), kMaxBuffers);
  EXPECT_EQ(pool.GetCounters().acquired, kPackets);
  // Everything came back: the pool can hand out all of its buffers again.
  std::vector<PacketRef> all;
  for (size_t i = 0; i < pool.TotalBuffers(); ++i) {
    all.push_back(pool.Acquire());
    EXPECT_TRUE(all.back());
  }
}

}  // namespace
}  // namespace tributary::base
