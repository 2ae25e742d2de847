#pragma once

// A pool of fixed-capacity PacketBuffers for the media path: a received packet is copied once
// into a pooled buffer and shared by reference (PacketRef) between the packet cache and every
// consumer, possibly on other worker threads.
//
// Threads: Acquire() belongs to the pool's owner thread (the worker that receives the packets);
// the last reference to a buffer may be dropped on any thread. Recycled buffers go onto a
// lock-free stack (a Treiber stack with a single consumer: pushes are CAS loops from any thread,
// the owner takes the whole stack with one exchange when its private free list runs dry, so there
// is no pop and therefore no ABA). Nothing locks; the steady state allocates nothing.
//
// Growth: the pool starts with `initial_buffers` and, when empty, adds `grow_buffers` more (one
// allocation, on the owner thread) up to `max_buffers`; past that Acquire() returns an empty
// reference and counts it. Memory is never returned before destruction.
//
// The pool must outlive every PacketRef it handed out (it owns the memory): destroy the objects
// that hold packets (caches, queues, sessions) first.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "base/PacketBuffer.h"
#include "base/PacketRef.h"

namespace tributary::base {

struct PacketBufferPoolOptions {
  size_t buffer_capacity = 1500;  // bytes per buffer: one MTU-sized datagram
  size_t initial_buffers = 256;
  size_t grow_buffers = 256;
  size_t max_buffers = 65536;  // about 100 MB of 1500-byte buffers
};

class PacketBufferPool {
 public:
  using Options = PacketBufferPoolOptions;

  struct Counters {
    uint64_t acquired = 0;   // buffers handed out
    uint64_t exhausted = 0;  // Acquire() calls that found nothing (max_buffers reached)
    uint64_t grown = 0;      // times the pool allocated more buffers
  };

  explicit PacketBufferPool(Options options = {});
  // Every buffer must be back (checked with assert in debug builds).
  ~PacketBufferPool();
  PacketBufferPool(const PacketBufferPool&) = delete;
  PacketBufferPool& operator=(const PacketBufferPool&) = delete;

  // Owner thread only. A buffer with Size() 0 and one reference; empty when the pool is exhausted.
  PacketRef Acquire();

  size_t BufferCapacity() const { return options_.buffer_capacity; }
  // Buffers allocated so far.
  size_t TotalBuffers() const { return total_; }
  // Buffers out of the pool; exact on the owner thread when no other thread is releasing.
  size_t InUse() const;
  // Owner thread only.
  const Counters& GetCounters() const { return counters_; }

 private:
  friend class PacketBuffer;

  // Any thread: the buffer's last reference is gone.
  void Recycle(PacketBuffer* buffer);
  bool Grow(size_t count);

  struct Chunk {
    std::unique_ptr<PacketBuffer[]> buffers;
    std::unique_ptr<uint8_t[]> bytes;
  };

  const Options options_;
  size_t stride_ = 0;  // capacity rounded up to a cache line
  std::vector<Chunk> chunks_;
  size_t total_ = 0;
  PacketBuffer* local_free_ = nullptr;  // owner thread only
  Counters counters_;
  // Written by releasing threads; kept off the owner's cache lines.
  alignas(64) std::atomic<PacketBuffer*> recycled_head_{nullptr};
  alignas(64) std::atomic<uint64_t> recycled_count_{0};
};

}  // namespace tributary::base
