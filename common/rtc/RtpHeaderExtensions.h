#pragma once

// The header extension block of an RTP packet (RFC 8285): the one-byte form (profile 0xBEDE) and
// the two-byte form (profile 0x100X). A view over the packet's bytes; elements are found by
// walking the block, which is a few bytes long in practice, so nothing is stored per element.

#include <array>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <span>

namespace tributary::rtc {

// One extension element: its local id (1..14 one-byte, 1..255 two-byte) and its value.
struct RtpHeaderExtension {
  uint8_t id = 0;
  std::span<const uint8_t> value;
};

// Id translation for forwarding: map[source id] = destination id, 0 to strip the element.
using RtpExtensionIdMap = std::array<uint8_t, 256>;

class RtpHeaderExtensions {
 public:
  static constexpr uint16_t kOneByteProfile = 0xBEDE;
  static constexpr uint16_t kTwoByteProfile = 0x1000;  // the low 4 bits are "appbits"
  static constexpr uint8_t kOneByteMaxId = 14;
  static constexpr size_t kOneByteMaxValueSize = 16;

  enum class Form : uint8_t { kNone, kOneByte, kTwoByte, kUnknownProfile };

  class Iterator {
   public:
    using value_type = RtpHeaderExtension;
    using difference_type = std::ptrdiff_t;

    Iterator() = default;
    Iterator(Form form, std::span<const uint8_t> block) : block_(block), form_(form), done_(false) {
      ++*this;
    }
    const RtpHeaderExtension& operator*() const { return current_; }
    const RtpHeaderExtension* operator->() const { return &current_; }
    Iterator& operator++();
    void operator++(int) { ++*this; }
    bool operator==(std::default_sentinel_t) const { return done_; }

   private:
    std::span<const uint8_t> block_;
    Form form_ = Form::kNone;
    bool done_ = true;
    size_t pos_ = 0;
    RtpHeaderExtension current_;
  };

  RtpHeaderExtensions() = default;
  // `block` is the extension data after the 4-byte profile/length word.
  RtpHeaderExtensions(uint16_t profile, std::span<const uint8_t> block)
      : block_(block), profile_(profile) {}

  static Form FormOf(uint16_t profile) {
    if (profile == kOneByteProfile) return Form::kOneByte;
    if ((profile & 0xFFF0) == kTwoByteProfile) return Form::kTwoByte;
    return Form::kUnknownProfile;
  }
  Form form() const { return block_.data() == nullptr ? Form::kNone : FormOf(profile_); }
  uint16_t Profile() const { return profile_; }
  std::span<const uint8_t> Block() const { return block_; }

  // The first element with this id; nothing for id 0 or when the block has no such element
  // before its end (or before a malformed element, where walking stops).
  std::optional<RtpHeaderExtension> Find(uint8_t id) const;

  // Iterates the elements in order, skipping padding, and stops at the end of the block or at
  // the first malformed element (a value running past the block, one-byte id 15, or a one-byte
  // id 0 with a nonzero length).
  Iterator begin() const { return Iterator(form(), block_); }
  std::default_sentinel_t end() const { return {}; }

  // True when every element is well formed (walking reaches the end of the block).
  bool WellFormed() const;

  // Reads the element at `pos` in `block`, skipping padding bytes first. On success sets
  // `element` and advances `pos` past it. False at the end of the block, on malformed data, or
  // when `form` is neither kOneByte nor kTwoByte.
  static bool NextElement(Form form, std::span<const uint8_t> block, size_t& pos,
                          RtpHeaderExtension& element);

 private:
  std::span<const uint8_t> block_;
  uint16_t profile_ = 0;
};

}  // namespace tributary::rtc
