#pragma once

// One fixed-capacity packet buffer from a PacketBufferPool, with an atomic reference count. Held
// through PacketRef handles: the buffer goes back to its pool when the last handle lets go, on
// whichever thread that happens (the release path is lock-free, see PacketBufferPool).
//
// The bytes are written once, by the thread that took the buffer from the pool, before the first
// handle is shared; afterwards every holder only reads them. The refcount's release/acquire
// ordering makes those writes visible to the thread that recycles the buffer.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <span>

namespace tributary::base {

class PacketBufferPool;

class PacketBuffer {
 public:
  PacketBuffer(const PacketBuffer&) = delete;
  PacketBuffer& operator=(const PacketBuffer&) = delete;

  uint8_t* Data() { return data_; }
  const uint8_t* Data() const { return data_; }
  size_t Capacity() const { return capacity_; }
  // The bytes in use (set by the writer; 0 when the buffer leaves the pool).
  size_t Size() const { return size_; }
  // `size` <= Capacity().
  void SetSize(size_t size) { size_ = static_cast<uint32_t>(size); }

  // The whole capacity, for writing.
  std::span<uint8_t> Storage() { return {data_, capacity_}; }
  // The first Size() bytes.
  std::span<const uint8_t> Bytes() const { return {data_, size_}; }

  // Handles currently sharing the buffer (a snapshot; exact only when no other thread holds it).
  uint32_t UseCount() const { return refs_.load(std::memory_order_relaxed); }

 private:
  friend class PacketBufferPool;
  friend class PacketRef;

  PacketBuffer() = default;

  void AddRef() { refs_.fetch_add(1, std::memory_order_relaxed); }
  // Recycles the buffer into its pool when this was the last reference.
  void Release();

  std::atomic<uint32_t> refs_{0};
  uint32_t size_ = 0;
  uint32_t capacity_ = 0;
  uint8_t* data_ = nullptr;
  PacketBufferPool* pool_ = nullptr;
  PacketBuffer* next_free_ = nullptr;  // free-list link, meaningful only while in the pool
};

}  // namespace tributary::base
