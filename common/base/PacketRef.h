#pragma once

// A counted reference to a PacketBuffer: copying it is one atomic increment, destroying it one
// atomic decrement (the last one returns the buffer to its pool). Empty when default-constructed,
// moved from, or when the pool had nothing to give.

#include <cstdint>
#include <utility>

#include "base/PacketBuffer.h"

namespace tributary::base {

class PacketRef {
 public:
  PacketRef() noexcept = default;
  PacketRef(const PacketRef& other) noexcept : buffer_(other.buffer_) {
    if (buffer_ != nullptr) buffer_->AddRef();
  }
  PacketRef(PacketRef&& other) noexcept : buffer_(std::exchange(other.buffer_, nullptr)) {}
  PacketRef& operator=(const PacketRef& other) noexcept {
    PacketBuffer* incoming = other.buffer_;  // read first: `other` may be *this
    if (incoming != nullptr) incoming->AddRef();
    Reset();
    buffer_ = incoming;
    return *this;
  }
  PacketRef& operator=(PacketRef&& other) noexcept {
    if (this != &other) {
      Reset();
      buffer_ = std::exchange(other.buffer_, nullptr);
    }
    return *this;
  }
  ~PacketRef() { Reset(); }

  void Reset() noexcept {
    if (buffer_ != nullptr) std::exchange(buffer_, nullptr)->Release();
  }

  PacketBuffer* Get() const { return buffer_; }
  PacketBuffer* operator->() const { return buffer_; }
  PacketBuffer& operator*() const { return *buffer_; }
  explicit operator bool() const { return buffer_ != nullptr; }

 private:
  friend class PacketBufferPool;
  // Takes over the reference the pool handed out.
  explicit PacketRef(PacketBuffer* adopted) noexcept : buffer_(adopted) {}

  PacketBuffer* buffer_ = nullptr;
};

}  // namespace tributary::base
