#include "rtc/RtpPacketBuilder.h"

#include <cstring>

#include "base/ByteIo.h"
#include "rtc/RtpPacket.h"

namespace tributary::rtc {

RtpPacketBuilder::RtpPacketBuilder(std::span<uint8_t> out) : out_(out) {
  if (!Reserve(RtpPacket::kFixedHeaderSize)) return;
  std::memset(out_.data(), 0, RtpPacket::kFixedHeaderSize);
  out_[0] = RtpPacket::kVersion << 6;
  size_ = RtpPacket::kFixedHeaderSize;
}

bool RtpPacketBuilder::Reserve(size_t bytes) {
  if (failed_ || finished_ || out_.size() - size_ < bytes) {
    failed_ = true;
    return false;
  }
  return true;
}

bool RtpPacketBuilder::Writable() {
  if (finished_) failed_ = true;
  return !failed_;
}

void RtpPacketBuilder::CopyHeader(const RtpPacket& packet) {
  if (!Writable() || size_ != RtpPacket::kFixedHeaderSize) {
    failed_ = true;
    return;
  }
  const size_t csrc_bytes = 4 * packet.CsrcCount();
  if (!Reserve(csrc_bytes)) return;
  const uint8_t* in = packet.Data().data();
  out_[0] = static_cast<uint8_t>((RtpPacket::kVersion << 6) | packet.CsrcCount());
  std::memcpy(out_.data() + 1, in + 1, RtpPacket::kFixedHeaderSize - 1 + csrc_bytes);
  size_ += csrc_bytes;
}

void RtpPacketBuilder::SetMarker(bool marker) {
  if (!Writable()) return;
  out_[1] = static_cast<uint8_t>((out_[1] & 0x7F) | (marker ? 0x80 : 0));
}

void RtpPacketBuilder::SetPayloadType(uint8_t payload_type) {
  if (!Writable()) return;
  out_[1] = static_cast<uint8_t>((out_[1] & 0x80) | (payload_type & 0x7F));
}

void RtpPacketBuilder::SetSequenceNumber(uint16_t seq) {
  if (Writable()) base::Write16(out_.data() + 2, seq);
}

void RtpPacketBuilder::SetTimestamp(uint32_t timestamp) {
  if (Writable()) base::Write32(out_.data() + 4, timestamp);
}

void RtpPacketBuilder::SetSsrc(uint32_t ssrc) {
  if (Writable()) base::Write32(out_.data() + 8, ssrc);
}

void RtpPacketBuilder::AddCsrc(uint32_t csrc) {
  if (!Writable()) return;
  const size_t count = out_[0] & 0x0F;
  if (extension_start_ != 0 || count == 15) {
    failed_ = true;
    return;
  }
  if (!Reserve(4)) return;
  base::Write32(out_.data() + size_, csrc);
  size_ += 4;
  out_[0] = static_cast<uint8_t>((out_[0] & 0xF0) | (count + 1));
}

void RtpPacketBuilder::AddExtension(uint8_t id, std::span<const uint8_t> value) {
  if (!Writable()) return;
  if (id == 0 || value.size() > 255) {
    failed_ = true;
    return;
  }
  if (extension_start_ == 0) {
    if (!Reserve(4)) return;
    extension_start_ = size_;
    size_ += 4;
  }
  const bool fits_one_byte = id <= RtpHeaderExtensions::kOneByteMaxId && !value.empty() &&
                             value.size() <= RtpHeaderExtensions::kOneByteMaxValueSize;
  if (!two_byte_form_ && !fits_one_byte) {
    if (!Reserve(extension_count_)) return;
    ConvertToTwoByteForm();
  }
  const size_t element_header = two_byte_form_ ? 2 : 1;
  if (!Reserve(element_header + value.size())) return;
  uint8_t* p = out_.data() + size_;
  if (two_byte_form_) {
    p[0] = id;
    p[1] = static_cast<uint8_t>(value.size());
  } else {
    p[0] = static_cast<uint8_t>((id << 4) | (value.size() - 1));
  }
  if (!value.empty()) std::memmove(p + element_header, value.data(), value.size());
  size_ += element_header + value.size();
  ++extension_count_;
}

// Elements were written back to back with one-byte headers. Shift the block right by one byte per
// element, then walk it forwards moving each element to its final place: element i moves right
// by i, reading from where it was shifted to (right by count), so writes never overtake reads.
void RtpPacketBuilder::ConvertToTwoByteForm() {
  two_byte_form_ = true;
  if (extension_count_ == 0) return;
  const size_t block_start = extension_start_ + 4;
  const size_t block_size = size_ - block_start;
  uint8_t* block = out_.data() + block_start;
  std::memmove(block + extension_count_, block, block_size);
  size_t read = extension_count_;
  size_t write = 0;
  for (size_t i = 0; i < extension_count_; ++i) {
    const uint8_t header = block[read];
    const size_t value_size = static_cast<size_t>(header & 0x0F) + 1;
    block[write] = header >> 4;
    block[write + 1] = static_cast<uint8_t>(value_size);
    std::memmove(block + write + 2, block + read + 1, value_size);
    read += 1 + value_size;
    write += 2 + value_size;
  }
  size_ += extension_count_;
}

void RtpPacketBuilder::CopyExtensions(const RtpPacket& packet, const RtpExtensionIdMap& map) {
  for (const RtpHeaderExtension& element : packet.Extensions()) {
    const uint8_t id = map[element.id];
    if (id != 0) AddExtension(id, element.value);
  }
}

size_t RtpPacketBuilder::Finish(std::span<const uint8_t> payload, uint8_t padding_size) {
  if (!Writable()) return 0;
  if (extension_start_ != 0) {
    const size_t block_size = size_ - extension_start_ - 4;
    const size_t pad = (4 - block_size % 4) % 4;
    if (!Reserve(pad) || (block_size + pad) / 4 > 0xFFFF) {
      failed_ = true;
      return 0;
    }
    std::memset(out_.data() + size_, 0, pad);
    size_ += pad;
    uint8_t* header = out_.data() + extension_start_;
    base::Write16(header, two_byte_form_ ? RtpHeaderExtensions::kTwoByteProfile
                                         : RtpHeaderExtensions::kOneByteProfile);
    base::Write16(header + 2, static_cast<uint16_t>((block_size + pad) / 4));
    out_[0] |= 0x10;
  }
  if (!Reserve(payload.size() + padding_size)) return 0;
  if (!payload.empty()) std::memmove(out_.data() + size_, payload.data(), payload.size());
  size_ += payload.size();
  if (padding_size > 0) {
    std::memset(out_.data() + size_, 0, padding_size - 1);
    out_[size_ + padding_size - 1] = padding_size;
    size_ += padding_size;
    out_[0] |= 0x20;
  }
  finished_ = true;  // later calls fail instead of touching the finished packet
  return size_;
}

}  // namespace tributary::rtc
