#include "rtc/DtlsRecord.h"

#include "base/ByteIo.h"

namespace tributary::rtc {

namespace {

// The handshake messages of a plaintext record: each a 12-byte header (msg_type, length,
// message_seq, fragment_offset, fragment_length) and fragment_length bytes, filling the record
// exactly; a fragment must lie within its message.
bool HandshakeMessagesFill(std::span<const uint8_t> fragment) {
  if (fragment.empty()) return false;
  while (!fragment.empty()) {
    if (fragment.size() < DtlsRecord::kHandshakeHeaderSize) return false;
    const uint8_t* p = fragment.data();
    const uint32_t length = base::Read24(p + 1);
    const uint32_t fragment_offset = base::Read24(p + 6);
    const uint32_t fragment_length = base::Read24(p + 9);
    if (static_cast<uint64_t>(fragment_offset) + fragment_length > length) return false;
    if (fragment.size() - DtlsRecord::kHandshakeHeaderSize < fragment_length) return false;
    fragment = fragment.subspan(DtlsRecord::kHandshakeHeaderSize + fragment_length);
  }
  return true;
}

}  // namespace

std::optional<DtlsRecord> DtlsRecord::Parse(std::span<const uint8_t> data) {
  if (data.size() < kHeaderSize) return std::nullopt;
  const uint8_t type = data[0];
  if (type < static_cast<uint8_t>(ContentType::kChangeCipherSpec) ||
      type > static_cast<uint8_t>(ContentType::kHeartbeat)) {
    return std::nullopt;
  }
  const uint16_t version = base::Read16(data.data() + 1);
  if (version != kVersionDtls10 && version != kVersionDtls12) return std::nullopt;
  const uint16_t length = base::Read16(data.data() + 11);
  if (length > kMaxFragmentLength || data.size() - kHeaderSize < length) return std::nullopt;

  DtlsRecord record(data.first(kHeaderSize + length));
  if (record.GetEpoch() == 0) {
    // Plaintext: the structure inside is checkable.
    switch (record.GetContentType()) {
      case ContentType::kHandshake:
        if (!HandshakeMessagesFill(record.GetFragment())) return std::nullopt;
        break;
      case ContentType::kChangeCipherSpec:
        // A single byte of value 1 (RFC 5246 7.1).
        if (length != 1 || record.GetFragment()[0] != 1) return std::nullopt;
        break;
      case ContentType::kAlert:
        if (length != 2) return std::nullopt;
        break;
      case ContentType::kApplicationData:
      case ContentType::kHeartbeat:
        // Never sent before keys are set: nothing legitimate travels in epoch 0.
        return std::nullopt;
    }
  }
  return record;
}

bool DtlsRecord::IsWellFormedDatagram(std::span<const uint8_t> datagram) {
  if (datagram.empty()) return false;
  Reader reader(datagram);
  while (reader.Next()) {
  }
  return reader.AtEnd();
}

std::optional<DtlsRecord> DtlsRecord::Reader::Next() {
  if (failed_ || rest_.empty()) return std::nullopt;
  auto record = DtlsRecord::Parse(rest_);
  if (!record) {
    failed_ = true;
    return std::nullopt;
  }
  rest_ = rest_.subspan(record->GetSize());
  return record;
}

uint16_t DtlsRecord::GetVersion() const {
  return base::Read16(data_.data() + 1);
}

uint16_t DtlsRecord::GetEpoch() const {
  return base::Read16(data_.data() + 3);
}

uint64_t DtlsRecord::GetSequenceNumber() const {
  const uint8_t* p = data_.data() + 5;
  return (static_cast<uint64_t>(base::Read16(p)) << 32) | base::Read32(p + 2);
}

uint16_t DtlsRecord::GetLength() const {
  return base::Read16(data_.data() + 11);
}

std::optional<DtlsRecord::HandshakeType> DtlsRecord::GetHandshakeType() const {
  if (GetContentType() != ContentType::kHandshake || GetEpoch() != 0) return std::nullopt;
  // Parse() proved that a full handshake header is there.
  return static_cast<HandshakeType>(data_[kHeaderSize]);
}

}  // namespace tributary::rtc
