#pragma once

// A bounded, lock-free, single-producer single-consumer ring of fixed slots (T), for handing
// work from one worker thread to another without a lock or an allocation: the producer fills
// the next free slot in place (BeginPush, then CommitPush), the consumer reads the oldest one in
// place (Front, then Pop). A full ring refuses (BeginPush returns nullptr); the caller counts.
//
// The slots are allocated once at construction and default-initialized (a T of plain bytes is
// not touched, so pages nobody writes stay unmapped). head_ is written only by the consumer,
// tail_ only by the producer; each side keeps a cached copy of the other's index so that the
// shared cache line is read only when the ring looks full (producer) or empty (consumer).
//
// Threads: exactly one producer thread and one consumer thread (they may be the same thread).

#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <memory>

namespace tributary::sfu {

template <typename T>
class SpscRing {
 public:
  // `capacity` is rounded up to a power of two, at least 2.
  explicit SpscRing(size_t capacity)
      : capacity_(std::bit_ceil(capacity < 2 ? size_t{2} : capacity)),
        mask_(capacity_ - 1),
        slots_(new T[capacity_]) {}
  SpscRing(const SpscRing&) = delete;
  SpscRing& operator=(const SpscRing&) = delete;

  // --- producer thread ---

  // The next free slot, nullptr when the ring is full. Nothing is visible to the consumer until
  // CommitPush.
  T* BeginPush() {
    const uint64_t tail = tail_.load(std::memory_order_relaxed);
    if (tail - head_cache_ >= capacity_) {
      head_cache_ = head_.load(std::memory_order_acquire);
      if (tail - head_cache_ >= capacity_) return nullptr;
    }
    return &slots_[tail & mask_];
  }
  // Publishes the slot BeginPush returned.
  void CommitPush() {
    tail_.store(tail_.load(std::memory_order_relaxed) + 1, std::memory_order_release);
  }

  // --- consumer thread ---

  // The oldest slot, nullptr when the ring is empty. Valid until Pop.
  T* Front() {
    const uint64_t head = head_.load(std::memory_order_relaxed);
    if (head == tail_cache_) {
      tail_cache_ = tail_.load(std::memory_order_acquire);
      if (head == tail_cache_) return nullptr;
    }
    return &slots_[head & mask_];
  }
  // Gives the slot Front returned back to the producer.
  void Pop() { head_.store(head_.load(std::memory_order_relaxed) + 1, std::memory_order_release); }
  // Whether the producer published anything not yet popped (reads the producer's index).
  bool Empty() const {
    return head_.load(std::memory_order_relaxed) == tail_.load(std::memory_order_acquire);
  }

  // --- any thread (approximate while both sides run) ---

  size_t Capacity() const { return capacity_; }
  size_t Size() const {
    return static_cast<size_t>(tail_.load(std::memory_order_acquire) -
                               head_.load(std::memory_order_acquire));
  }

 private:
  static constexpr size_t kCacheLine = 64;

  const size_t capacity_;
  const size_t mask_;
  std::unique_ptr<T[]> slots_;
  // The consumer's line: its index and its copy of the producer's.
  alignas(kCacheLine) std::atomic<uint64_t> head_{0};
  uint64_t tail_cache_ = 0;
  // The producer's line.
  alignas(kCacheLine) std::atomic<uint64_t> tail_{0};
  uint64_t head_cache_ = 0;
};

}  // namespace tributary::sfu
