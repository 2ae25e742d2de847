#include "rtc/RtpHeaderExtensions.h"

namespace tributary::rtc {

bool RtpHeaderExtensions::NextElement(Form form, std::span<const uint8_t> block, size_t& pos,
                                      RtpHeaderExtension& element) {
  if (form != Form::kOneByte && form != Form::kTwoByte) return false;
  const uint8_t* p = block.data();
  const size_t size = block.size();
  while (pos < size && p[pos] == 0)
    ++pos;  // padding bytes, in both forms
  if (pos >= size) return false;
  size_t value_pos;
  size_t value_size;
  uint8_t id;
  if (form == Form::kOneByte) {
    id = p[pos] >> 4;
    // 15 is reserved: stop processing the block (RFC 8285 4.2). Id 0 is padding, whose bytes
    // are all zero (skipped above): one with a length is malformed.
    if (id == 15 || id == 0) return false;
    value_size = static_cast<size_t>(p[pos] & 0x0F) + 1;
    value_pos = pos + 1;
  } else {
    if (size - pos < 2) return false;
    id = p[pos];
    value_size = p[pos + 1];
    value_pos = pos + 2;
  }
  if (value_size > size - value_pos) return false;
  element.id = id;
  element.value = block.subspan(value_pos, value_size);
  pos = value_pos + value_size;
  return true;
}

RtpHeaderExtensions::Iterator& RtpHeaderExtensions::Iterator::operator++() {
  if (!done_ && !NextElement(form_, block_, pos_, current_)) done_ = true;
  return *this;
}

// The forwarding path looks up one or two ids per packet: a loop per form, without the
// generality of NextElement, keeps that to a few loads per element.
std::optional<RtpHeaderExtension> RtpHeaderExtensions::Find(uint8_t id) const {
  if (id == 0) return std::nullopt;
  const uint8_t* p = block_.data();
  const size_t size = block_.size();
  size_t pos = 0;
  switch (form()) {
    case Form::kOneByte:
      while (pos < size) {
        const uint8_t header = p[pos];
        if (header == 0) {
          ++pos;
          continue;
        }
        const uint8_t element_id = header >> 4;
        const size_t value_size = static_cast<size_t>(header & 0x0F) + 1;
        if (element_id == 15 || element_id == 0 || value_size > size - pos - 1) break;
        if (element_id == id) return RtpHeaderExtension{id, block_.subspan(pos + 1, value_size)};
        pos += 1 + value_size;
      }
      break;
    case Form::kTwoByte:
      while (pos < size) {
        if (p[pos] == 0) {
          ++pos;
          continue;
        }
        if (size - pos < 2) break;
        const size_t value_size = p[pos + 1];
        if (value_size > size - pos - 2) break;
        if (p[pos] == id) return RtpHeaderExtension{id, block_.subspan(pos + 2, value_size)};
        pos += 2 + value_size;
      }
      break;
    case Form::kNone:
    case Form::kUnknownProfile:
      break;
  }
  return std::nullopt;
}

bool RtpHeaderExtensions::WellFormed() const {
  const Form f = form();
  if (f == Form::kNone || f == Form::kUnknownProfile) return true;  // opaque, nothing to walk
  size_t pos = 0;
  RtpHeaderExtension element;
  while (NextElement(f, block_, pos, element)) {
  }
  while (pos < block_.size() && block_[pos] == 0)
    ++pos;
  return pos == block_.size();
}

}  // namespace tributary::rtc
