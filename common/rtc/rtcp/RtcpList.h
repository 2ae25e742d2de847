#pragma once

// A list in an RTCP packet whose items have a fixed wire size (report blocks, SSRCs, NACK
// items, FIR entries). A parsed packet's list reads its items from the wire bytes on demand; a
// list for a packet being built views the caller's values. Either way it is a view: the bytes
// or the values must outlive it.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <span>

#include "base/ByteIo.h"

namespace tributary::rtc::rtcp {

// How an item is read and written: T::kWireSize, T::Read(const uint8_t*), t.Write(uint8_t*).
template <typename T>
struct WireFormat {
  static constexpr size_t kSize = T::kWireSize;
  static T Read(const uint8_t* p) { return T::Read(p); }
  static void Write(uint8_t* p, const T& item) { item.Write(p); }
};

// SSRC lists.
template <>
struct WireFormat<uint32_t> {
  static constexpr size_t kSize = 4;
  static uint32_t Read(const uint8_t* p) { return base::Read32(p); }
  static void Write(uint8_t* p, uint32_t item) { base::Write32(p, item); }
};

template <typename T>
class RtcpList {
 public:
  static constexpr size_t kItemSize = WireFormat<T>::kSize;

  class Iterator {
   public:
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    Iterator() = default;
    Iterator(const RtcpList* list, size_t index) : list_(list), index_(index) {}
    T operator*() const { return (*list_)[index_]; }
    Iterator& operator++() {
      ++index_;
      return *this;
    }
    Iterator operator++(int) {
      Iterator before = *this;
      ++index_;
      return before;
    }
    bool operator==(const Iterator& other) const { return index_ == other.index_; }

   private:
    const RtcpList* list_ = nullptr;
    size_t index_ = 0;
  };

  RtcpList() = default;
  explicit RtcpList(std::span<const T> values) : values_(values), size_(values.size()) {}
  // `bytes` holds whole items (its size a multiple of kItemSize; a remainder is ignored).
  static RtcpList FromWire(std::span<const uint8_t> bytes) {
    RtcpList list;
    list.wire_ = bytes.data();
    list.size_ = bytes.size() / kItemSize;
    return list;
  }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  T operator[](size_t index) const {
    return wire_ != nullptr ? WireFormat<T>::Read(wire_ + index * kItemSize) : values_[index];
  }
  Iterator begin() const { return Iterator(this, 0); }
  Iterator end() const { return Iterator(this, size_); }

  size_t WireSize() const { return size_ * kItemSize; }
  // Writes WireSize() bytes.
  void Write(uint8_t* out) const {
    if (wire_ != nullptr) {
      std::memmove(out, wire_, WireSize());
      return;
    }
    for (size_t i = 0; i < size_; ++i)
      WireFormat<T>::Write(out + i * kItemSize, (*this)[i]);
  }

 private:
  const uint8_t* wire_ = nullptr;
  std::span<const T> values_;
  size_t size_ = 0;
};

}  // namespace tributary::rtc::rtcp
