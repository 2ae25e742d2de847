#include "rtc/StunMessage.h"

#include <cstring>

#include "base/ByteIo.h"
#include "rtc/Crc32.h"
#include "rtc/deps/DepOpenSsl.h"

namespace tributary::rtc {

using base::Read16;
using base::Read32;
using base::Read64;
using base::Write16;
using base::Write32;
using base::Write64;

namespace {

constexpr size_t kIntegritySize = 20;
constexpr size_t kFingerprintSize = 4;
constexpr size_t kMaxSoftwareSize = 763;  // RFC 8489 14.14: fewer than 128 characters, <= 763 B
constexpr size_t kMaxReasonSize = 763;
constexpr size_t kMaxRealmSize = 763;
constexpr size_t kMaxNonceSize = 763;

constexpr uint16_t Type(StunAttr a) {
  return static_cast<uint16_t>(a);
}

constexpr size_t Padded(size_t n) {
  return (n + 3) & ~size_t{3};
}

// Decodes (XOR-)MAPPED-ADDRESS: 0, family, port, address. nullopt on a bad family or size.
std::optional<net::Endpoint> DecodeAddress(const uint8_t* value, uint32_t length, bool xored,
                                           const uint8_t* header) {
  if (length < 4) return std::nullopt;
  const uint8_t family = value[1];
  uint16_t port = Read16(value + 2);
  if (xored) port ^= static_cast<uint16_t>(kStunMagicCookie >> 16);
  if (family == 0x01 && length == 8) {
    uint8_t address[4];
    std::memcpy(address, value + 4, 4);
    if (xored) {
      for (size_t i = 0; i < 4; ++i)
        address[i] ^= header[4 + i];  // magic cookie
    }
    return net::Endpoint::Ipv4(address, port);
  }
  if (family == 0x02 && length == 20) {
    uint8_t address[16];
    std::memcpy(address, value + 4, 16);
    if (xored) {
      for (size_t i = 0; i < 16; ++i)
        address[i] ^= header[4 + i];  // cookie + transaction id
    }
    return net::Endpoint::Ipv6(address, port);
  }
  return std::nullopt;
}

}  // namespace

bool StunMessage::IsStun(std::span<const uint8_t> data) {
  return data.size() >= kHeaderSize && data[0] < 4 && Read32(data.data() + 4) == kStunMagicCookie;
}

std::optional<StunMessage> StunMessage::Parse(std::span<const uint8_t> data) {
  if (data.size() < kHeaderSize || data.size() > kHeaderSize + 0xFFFF) return std::nullopt;
  const uint8_t* p = data.data();
  const uint16_t type = Read16(p);
  if ((type & 0xC000) != 0) return std::nullopt;
  const uint16_t length = Read16(p + 2);
  if ((length & 3) != 0 || kHeaderSize + length != data.size()) return std::nullopt;
  if (Read32(p + 4) != kStunMagicCookie) return std::nullopt;

  StunMessage msg;
  msg.data_ = data;
  msg.method_ =
      static_cast<uint16_t>((type & 0x000F) | ((type & 0x00E0) >> 1) | ((type & 0x3E00) >> 2));
  msg.class_ = static_cast<StunClass>(((type >> 4) & 0x1) | ((type >> 7) & 0x2));

  uint32_t offset = kHeaderSize;
  const auto end = static_cast<uint32_t>(data.size());
  while (offset < end) {
    // offset and end are multiples of 4, so an attribute header always fits.
    if (msg.fingerprint_offset_ != 0) return std::nullopt;  // FINGERPRINT must be last
    const uint16_t attr_type = Read16(p + offset);
    const uint16_t attr_length = Read16(p + offset + 2);
    const uint32_t value_offset = offset + 4;
    if (Padded(attr_length) > end - value_offset) return std::nullopt;

    if (msg.integrity_offset_ == 0 || attr_type == Type(StunAttr::kFingerprint) ||
        attr_type == Type(StunAttr::kMessageIntegritySha256)) {
      if (!msg.ParseAttribute(attr_type, value_offset, attr_length)) return std::nullopt;
      if (attr_type == Type(StunAttr::kMessageIntegrity) && msg.integrity_offset_ == 0) {
        msg.integrity_offset_ = offset;
      }
      if (attr_type == Type(StunAttr::kFingerprint)) msg.fingerprint_offset_ = offset;
    }
    offset = value_offset + static_cast<uint32_t>(Padded(attr_length));
    msg.honoured_end_ = offset;
  }
  return msg;
}

bool StunMessage::ParseAttribute(uint16_t type, uint32_t value_offset, uint32_t length) {
  const uint8_t* value = data_.data() + value_offset;
  const Range range{value_offset, length};
  switch (static_cast<StunAttr>(type)) {
    case StunAttr::kUsername:
      if (length > kMaxUsernameSize) return false;
      if (username_.offset == 0) username_ = range;
      return true;
    case StunAttr::kSoftware:
      if (length > kMaxSoftwareSize) return false;
      if (software_.offset == 0) software_ = range;
      return true;
    case StunAttr::kRealm:
      if (length > kMaxRealmSize) return false;
      if (realm_.offset == 0) realm_ = range;
      return true;
    case StunAttr::kNonce:
      if (length > kMaxNonceSize) return false;
      if (nonce_.offset == 0) nonce_ = range;
      return true;
    case StunAttr::kMessageIntegrity:
      return length == kIntegritySize;
    case StunAttr::kMessageIntegritySha256:
      // RFC 8489 14.6: 16 to 32 bytes, a multiple of 4. Recognised, not verified.
      if (length < 16 || length > 32 || (length & 3) != 0) return false;
      has_integrity_sha256_ = true;
      return true;
    case StunAttr::kFingerprint:
      return length == kFingerprintSize;
    case StunAttr::kPriority:
      if (length != 4) return false;
      if (!priority_) priority_ = Read32(value);
      return true;
    case StunAttr::kUseCandidate:
      if (length != 0) return false;
      use_candidate_ = true;
      return true;
    case StunAttr::kIceControlling:
      if (length != 8) return false;
      if (!ice_controlling_) ice_controlling_ = Read64(value);
      return true;
    case StunAttr::kIceControlled:
      if (length != 8) return false;
      if (!ice_controlled_) ice_controlled_ = Read64(value);
      return true;
    case StunAttr::kXorMappedAddress: {
      auto endpoint = DecodeAddress(value, length, true, data_.data());
      if (!endpoint) return false;
      if (!xor_mapped_address_) xor_mapped_address_ = endpoint;
      return true;
    }
    case StunAttr::kMappedAddress: {
      auto endpoint = DecodeAddress(value, length, false, data_.data());
      if (!endpoint) return false;
      if (!mapped_address_) mapped_address_ = endpoint;
      return true;
    }
    case StunAttr::kErrorCode: {
      if (length < 4 || length - 4 > kMaxReasonSize) return false;
      const uint8_t error_class = value[2] & 0x07;
      const uint8_t number = value[3];
      if (error_class < 3 || error_class > 6 || number > 99) return false;
      if (!error_code_) {
        error_code_ =
            StunErrorCode{static_cast<uint16_t>(error_class * 100 + number),
                          std::string_view(reinterpret_cast<const char*>(value + 4), length - 4)};
      }
      return true;
    }
    case StunAttr::kUnknownAttributes:
      return (length & 1) == 0;
    default:
      break;
  }
  if (type < 0x8000) {
    // Unknown comprehension-required attribute: report it (once) for a 420 answer.
    for (uint8_t i = 0; i < unknown_required_count_; ++i) {
      if (unknown_required_[i] == type) return true;
    }
    if (unknown_required_count_ < kMaxUnknownReported) {
      unknown_required_[unknown_required_count_++] = type;
    }
  }
  return true;
}

bool StunMessage::CheckIntegrity(std::span<const uint8_t> key) const {
  if (integrity_offset_ == 0) return false;
  // RFC 8489 14.5: the HMAC covers the header and the attributes before MESSAGE-INTEGRITY, with
  // the header's length field set as if MESSAGE-INTEGRITY ended the message.
  uint8_t adjusted_length[2];
  Write16(adjusted_length,
          static_cast<uint16_t>(integrity_offset_ + 4 + kIntegritySize - kHeaderSize));
  const uint8_t* p = data_.data();
  const auto digest = DepOpenSsl::HmacSha1(
      key, {std::span<const uint8_t>(p, 2), std::span<const uint8_t>(adjusted_length, 2),
            std::span<const uint8_t>(p + 4, integrity_offset_ - 4)});
  return DepOpenSsl::ConstantTimeEqual(
      std::span<const uint8_t>(digest),
      std::span<const uint8_t>(p + integrity_offset_ + 4, kIntegritySize));
}

bool StunMessage::CheckIntegrity(std::string_view password) const {
  return CheckIntegrity(AsBytes(password));
}

bool StunMessage::CheckFingerprint() const {
  if (fingerprint_offset_ == 0) return false;
  // FINGERPRINT is last, so the header's length already counts it.
  const uint32_t crc = Crc32::Compute(data_.first(fingerprint_offset_)) ^ kStunFingerprintXor;
  return crc == Read32(data_.data() + fingerprint_offset_ + 4);
}

// ---------------------------------------------------------------------------------------------

StunMessageBuilder::StunMessageBuilder(std::span<uint8_t> out, StunClass cls, uint16_t method,
                                       std::span<const uint8_t, 12> transaction_id)
    : out_(out) {
  if (out.size() < StunMessage::kHeaderSize || method > 0x0FFF) {
    failed_ = true;
    return;
  }
  Write16(out.data(), StunMessageType(method, cls));
  Write16(out.data() + 2, 0);
  Write32(out.data() + 4, kStunMagicCookie);
  std::memcpy(out.data() + 8, transaction_id.data(), 12);
  size_ = StunMessage::kHeaderSize;
}

uint8_t* StunMessageBuilder::Reserve(uint16_t type, size_t length) {
  if (failed_ || has_fingerprint_ || length > 0xFFFF) {
    failed_ = true;
    return nullptr;
  }
  if (has_integrity_ && type != Type(StunAttr::kFingerprint)) {
    failed_ = true;
    return nullptr;
  }
  const size_t needed = 4 + Padded(length);
  if (out_.size() - size_ < needed || size_ + needed - StunMessage::kHeaderSize > 0xFFFF) {
    failed_ = true;
    return nullptr;
  }
  uint8_t* p = out_.data() + size_;
  Write16(p, type);
  Write16(p + 2, static_cast<uint16_t>(length));
  std::memset(p + 4 + length, 0, Padded(length) - length);  // padding is zeros
  size_ += needed;
  SetLength(size_ - StunMessage::kHeaderSize);
  return p + 4;
}

void StunMessageBuilder::SetLength(size_t body_length) {
  Write16(out_.data() + 2, static_cast<uint16_t>(body_length));
}

StunMessageBuilder& StunMessageBuilder::AddAttribute(uint16_t type,
                                                     std::span<const uint8_t> value) {
  uint8_t* p = Reserve(type, value.size());
  if (p != nullptr && !value.empty()) std::memcpy(p, value.data(), value.size());
  return *this;
}

StunMessageBuilder& StunMessageBuilder::AddUsername(std::string_view username) {
  if (username.size() > StunMessage::kMaxUsernameSize) {
    failed_ = true;
    return *this;
  }
  return AddAttribute(Type(StunAttr::kUsername), AsBytes(username));
}

StunMessageBuilder& StunMessageBuilder::AddSoftware(std::string_view software) {
  if (software.size() > kMaxSoftwareSize) {
    failed_ = true;
    return *this;
  }
  return AddAttribute(Type(StunAttr::kSoftware), AsBytes(software));
}

StunMessageBuilder& StunMessageBuilder::AddPriority(uint32_t priority) {
  if (uint8_t* p = Reserve(Type(StunAttr::kPriority), 4)) Write32(p, priority);
  return *this;
}

StunMessageBuilder& StunMessageBuilder::AddUseCandidate() {
  Reserve(Type(StunAttr::kUseCandidate), 0);
  return *this;
}

StunMessageBuilder& StunMessageBuilder::AddIceControlling(uint64_t tie_breaker) {
  if (uint8_t* p = Reserve(Type(StunAttr::kIceControlling), 8)) Write64(p, tie_breaker);
  return *this;
}

StunMessageBuilder& StunMessageBuilder::AddIceControlled(uint64_t tie_breaker) {
  if (uint8_t* p = Reserve(Type(StunAttr::kIceControlled), 8)) Write64(p, tie_breaker);
  return *this;
}

StunMessageBuilder& StunMessageBuilder::AddXorMappedAddress(const net::Endpoint& endpoint) {
  if (!endpoint.IsValid()) {
    failed_ = true;
    return *this;
  }
  const auto address = endpoint.AddressBytes();
  uint8_t* p = Reserve(Type(StunAttr::kXorMappedAddress), 4 + address.size());
  if (p == nullptr) return *this;
  p[0] = 0;
  p[1] = endpoint.IsIpv4() ? 0x01 : 0x02;
  Write16(p + 2, static_cast<uint16_t>(endpoint.Port() ^ (kStunMagicCookie >> 16)));
  // XOR with the cookie (IPv4) or the cookie followed by the transaction id (IPv6): bytes 4..
  // of the header we wrote.
  for (size_t i = 0; i < address.size(); ++i)
    p[4 + i] = address[i] ^ out_[4 + i];
  return *this;
}

StunMessageBuilder& StunMessageBuilder::AddErrorCode(uint16_t code, std::string_view reason) {
  if (code < 300 || code > 699 || reason.size() > kMaxReasonSize) {
    failed_ = true;
    return *this;
  }
  uint8_t* p = Reserve(Type(StunAttr::kErrorCode), 4 + reason.size());
  if (p == nullptr) return *this;
  p[0] = 0;
  p[1] = 0;
  p[2] = static_cast<uint8_t>(code / 100);
  p[3] = static_cast<uint8_t>(code % 100);
  if (!reason.empty()) std::memcpy(p + 4, reason.data(), reason.size());
  return *this;
}

StunMessageBuilder& StunMessageBuilder::AddUnknownAttributes(std::span<const uint16_t> types) {
  uint8_t* p = Reserve(Type(StunAttr::kUnknownAttributes), 2 * types.size());
  if (p == nullptr) return *this;
  for (size_t i = 0; i < types.size(); ++i)
    Write16(p + 2 * i, types[i]);
  return *this;
}

StunMessageBuilder& StunMessageBuilder::AddMessageIntegrity(std::span<const uint8_t> key) {
  if (has_integrity_) {
    failed_ = true;
    return *this;
  }
  const size_t covered = size_;  // header + attributes so far
  uint8_t* p = Reserve(Type(StunAttr::kMessageIntegrity), kIntegritySize);
  if (p == nullptr) return *this;
  // The length field now counts MESSAGE-INTEGRITY but not a FINGERPRINT yet: as 14.5 wants.
  const auto digest = DepOpenSsl::HmacSha1(key, {std::span<const uint8_t>(out_.data(), covered)});
  std::memcpy(p, digest.data(), kIntegritySize);
  has_integrity_ = true;
  return *this;
}

StunMessageBuilder& StunMessageBuilder::AddMessageIntegrity(std::string_view password) {
  return AddMessageIntegrity(AsBytes(password));
}

StunMessageBuilder& StunMessageBuilder::AddFingerprint() {
  const size_t covered = size_;
  uint8_t* p = Reserve(Type(StunAttr::kFingerprint), kFingerprintSize);
  if (p == nullptr) return *this;
  Write32(p, Crc32::Compute(std::span<const uint8_t>(out_.data(), covered)) ^ kStunFingerprintXor);
  has_fingerprint_ = true;
  return *this;
}

}  // namespace tributary::rtc
