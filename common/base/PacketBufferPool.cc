#include "base/PacketBufferPool.h"

#include <algorithm>
#include <cassert>

namespace tributary::base {

namespace {
constexpr size_t kCacheLine = 64;
}

PacketBufferPool::PacketBufferPool(Options options)
    : options_(options),
      stride_((std::max<size_t>(options.buffer_capacity, 1) + kCacheLine - 1) / kCacheLine *
              kCacheLine) {
  Grow(std::min(options_.initial_buffers, options_.max_buffers));
}

PacketBufferPool::~PacketBufferPool() {
  assert(InUse() == 0 && "a PacketRef outlives its pool");
}

bool PacketBufferPool::Grow(size_t count) {
  count = std::min(count, options_.max_buffers - total_);
  if (count == 0) return false;
  Chunk chunk;
  chunk.buffers.reset(new PacketBuffer[count]);
  chunk.bytes.reset(new uint8_t[count * stride_]);
  for (size_t i = 0; i < count; ++i) {
    PacketBuffer& buffer = chunk.buffers[i];
    buffer.capacity_ = static_cast<uint32_t>(options_.buffer_capacity);
    buffer.data_ = chunk.bytes.get() + i * stride_;
    buffer.pool_ = this;
    buffer.next_free_ = local_free_;
    local_free_ = &buffer;
  }
  chunks_.push_back(std::move(chunk));
  total_ += count;
  ++counters_.grown;
  return true;
}

PacketRef PacketBufferPool::Acquire() {
  if (local_free_ == nullptr) {
    // Take everything released since the last time at once (acquire: pairs with the releasing
    // CAS, so the links and the releasers' last reads are ordered before our reuse).
    local_free_ = recycled_head_.exchange(nullptr, std::memory_order_acquire);
    if (local_free_ == nullptr && !Grow(options_.grow_buffers)) {
      ++counters_.exhausted;
      return PacketRef();
    }
  }
  PacketBuffer* buffer = local_free_;
  local_free_ = buffer->next_free_;
  buffer->next_free_ = nullptr;
  buffer->size_ = 0;
  buffer->refs_.store(1, std::memory_order_relaxed);
  ++counters_.acquired;
  return PacketRef(buffer);
}

void PacketBufferPool::Recycle(PacketBuffer* buffer) {
  PacketBuffer* head = recycled_head_.load(std::memory_order_relaxed);
  do {
    buffer->next_free_ = head;
  } while (!recycled_head_.compare_exchange_weak(head, buffer, std::memory_order_release,
                                                 std::memory_order_relaxed));
  recycled_count_.fetch_add(1, std::memory_order_relaxed);
}

size_t PacketBufferPool::InUse() const {
  return static_cast<size_t>(counters_.acquired - recycled_count_.load(std::memory_order_relaxed));
}

}  // namespace tributary::base
