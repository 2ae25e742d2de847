#pragma once

// STUN (RFC 8489) as ICE uses it: a view parser over one received datagram and a builder that
// serializes into a caller's buffer. Only what ICE needs is interpreted (Binding, short-term
// credentials, FINGERPRINT, XOR-MAPPED-ADDRESS, the ICE attributes of RFC 8445); every other
// attribute is walked over, and unknown comprehension-required ones are reported so that the
// caller can answer 420. Nothing here allocates, throws or logs.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "net/Endpoint.h"

namespace tributary::rtc {

enum class StunClass : uint8_t {
  kRequest = 0,
  kIndication = 1,
  kSuccessResponse = 2,
  kErrorResponse = 3,
};

// Methods are 12-bit numbers; Binding is the only one ICE uses.
inline constexpr uint16_t kStunMethodBinding = 0x001;

// Attribute types (RFC 8489 18.3, RFC 8445 16.1). Types below 0x8000 are comprehension-required.
enum class StunAttr : uint16_t {
  kMappedAddress = 0x0001,
  kUsername = 0x0006,
  kMessageIntegrity = 0x0008,
  kErrorCode = 0x0009,
  kUnknownAttributes = 0x000A,
  kRealm = 0x0014,
  kNonce = 0x0015,
  kMessageIntegritySha256 = 0x001C,
  kPasswordAlgorithm = 0x001D,
  kUserhash = 0x001E,
  kXorMappedAddress = 0x0020,
  kPriority = 0x0024,
  kUseCandidate = 0x0025,
  kPasswordAlgorithms = 0x8002,
  kAlternateDomain = 0x8003,
  kSoftware = 0x8022,
  kAlternateServer = 0x8023,
  kFingerprint = 0x8028,
  kIceControlled = 0x8029,
  kIceControlling = 0x802A,
};

// Error codes ICE uses (RFC 8489 14.8, RFC 8445 16.2).
inline constexpr uint16_t kStunErrorBadRequest = 400;
inline constexpr uint16_t kStunErrorUnauthorized = 401;
inline constexpr uint16_t kStunErrorUnknownAttribute = 420;
inline constexpr uint16_t kStunErrorRoleConflict = 487;
inline constexpr uint16_t kStunErrorServerError = 500;

inline constexpr uint32_t kStunMagicCookie = 0x2112A442;
inline constexpr uint32_t kStunFingerprintXor = 0x5354554e;

using StunTransactionId = std::array<uint8_t, 12>;

struct StunErrorCode {
  uint16_t code = 0;  // 300..699
  std::string_view reason;
};

// One attribute as it sits in the message (value without padding).
struct StunAttribute {
  uint16_t type = 0;
  std::span<const uint8_t> value;
};

class StunMessage {
 public:
  static constexpr size_t kHeaderSize = 20;
  static constexpr size_t kMaxUsernameSize = 512;
  static constexpr size_t kMaxUnknownReported = 8;

  // RFC 7983 demultiplexing plus the magic cookie: first byte 0..3, at least a header, cookie
  // in place. Cheap enough to run on every datagram before the full parse.
  static bool IsStun(std::span<const uint8_t> data);

  // Parses one STUN message that fills `data` exactly (one UDP datagram). The result points into
  // `data`, which must outlive it. nullopt when anything is malformed: bad header, a length that
  // does not add up, an attribute past the end, a known attribute of the wrong size, anything but
  // nothing after FINGERPRINT.
  static std::optional<StunMessage> Parse(std::span<const uint8_t> data);

  uint16_t Method() const { return method_; }
  StunClass Class() const { return class_; }
  bool IsBindingRequest() const {
    return method_ == kStunMethodBinding && class_ == StunClass::kRequest;
  }
  std::span<const uint8_t, 12> TransactionId() const {
    return std::span<const uint8_t, 12>(data_.data() + 8, 12);
  }
  std::span<const uint8_t> Bytes() const { return data_; }

  // Attributes (the first occurrence of each; RFC 8489 allows the later ones to be ignored).
  // Attributes after MESSAGE-INTEGRITY other than FINGERPRINT and MESSAGE-INTEGRITY-SHA256 are
  // ignored, as RFC 8489 14.5 requires.
  std::optional<std::string_view> Username() const { return Text(username_); }
  std::optional<std::string_view> Software() const { return Text(software_); }
  std::optional<std::string_view> Realm() const { return Text(realm_); }
  std::optional<std::string_view> Nonce() const { return Text(nonce_); }
  std::optional<uint32_t> Priority() const { return priority_; }
  bool HasUseCandidate() const { return use_candidate_; }
  std::optional<uint64_t> IceControlling() const { return ice_controlling_; }
  std::optional<uint64_t> IceControlled() const { return ice_controlled_; }
  std::optional<net::Endpoint> XorMappedAddress() const { return xor_mapped_address_; }
  std::optional<net::Endpoint> MappedAddress() const { return mapped_address_; }
  std::optional<StunErrorCode> ErrorCode() const { return error_code_; }
  bool HasMessageIntegrity() const { return integrity_offset_ != 0; }
  bool HasMessageIntegritySha256() const { return has_integrity_sha256_; }
  bool HasFingerprint() const { return fingerprint_offset_ != 0; }

  // Unknown comprehension-required attribute types (< 0x8000), at most kMaxUnknownReported of
  // them, for the UNKNOWN-ATTRIBUTES of a 420 answer.
  std::span<const uint16_t> UnknownRequiredAttributes() const {
    return {unknown_required_.data(), unknown_required_count_};
  }

  // MESSAGE-INTEGRITY (HMAC-SHA1) checked with `key`: for short-term credentials (ICE) the key
  // is the password itself (ICE passwords are ice-chars, which SASLprep leaves alone); for
  // long-term credentials it is MD5(username ":" realm ":" password), computed by the caller.
  // False when the attribute is absent. The comparison is constant-time.
  bool CheckIntegrity(std::span<const uint8_t> key) const;
  bool CheckIntegrity(std::string_view password) const;
  // FINGERPRINT (CRC-32 xor 0x5354554e) over the message; false when absent.
  bool CheckFingerprint() const;

  // Visits the attributes this parser honours, in order (so the ones that MESSAGE-INTEGRITY
  // makes ignorable are not visited). visit(const StunAttribute&).
  template <typename Visit>
  void ForEachAttribute(Visit&& visit) const;

 private:
  struct Range {
    uint32_t offset = 0;  // 0: absent (no attribute value can start inside the header)
    uint32_t length = 0;
  };
  std::optional<std::string_view> Text(Range r) const {
    if (r.offset == 0) return std::nullopt;
    return std::string_view(reinterpret_cast<const char*>(data_.data() + r.offset), r.length);
  }
  bool ParseAttribute(uint16_t type, uint32_t value_offset, uint32_t length);

  std::span<const uint8_t> data_;
  uint16_t method_ = 0;
  StunClass class_ = StunClass::kRequest;
  Range username_, software_, realm_, nonce_;
  std::optional<uint32_t> priority_;
  bool use_candidate_ = false;
  std::optional<uint64_t> ice_controlling_, ice_controlled_;
  std::optional<net::Endpoint> xor_mapped_address_, mapped_address_;
  std::optional<StunErrorCode> error_code_;
  uint32_t integrity_offset_ = 0;    // offset of the MESSAGE-INTEGRITY attribute header
  uint32_t fingerprint_offset_ = 0;  // offset of the FINGERPRINT attribute header
  uint32_t honoured_end_ = 0;        // end of the last honoured attribute
  bool has_integrity_sha256_ = false;
  std::array<uint16_t, kMaxUnknownReported> unknown_required_{};
  uint8_t unknown_required_count_ = 0;
};

// Serializes one STUN message into a caller's buffer. Attributes are appended in call order;
// MESSAGE-INTEGRITY and then FINGERPRINT come last. Any overflow or misuse (an attribute after
// FINGERPRINT, anything but FINGERPRINT after MESSAGE-INTEGRITY) latches a failure and Finish()
// returns 0.
class StunMessageBuilder {
 public:
  StunMessageBuilder(std::span<uint8_t> out, StunClass cls, uint16_t method,
                     std::span<const uint8_t, 12> transaction_id);

  StunMessageBuilder& AddAttribute(uint16_t type, std::span<const uint8_t> value);
  StunMessageBuilder& AddUsername(std::string_view username);
  StunMessageBuilder& AddSoftware(std::string_view software);
  StunMessageBuilder& AddPriority(uint32_t priority);
  StunMessageBuilder& AddUseCandidate();
  StunMessageBuilder& AddIceControlling(uint64_t tie_breaker);
  StunMessageBuilder& AddIceControlled(uint64_t tie_breaker);
  StunMessageBuilder& AddXorMappedAddress(const net::Endpoint& endpoint);
  StunMessageBuilder& AddErrorCode(uint16_t code, std::string_view reason);
  StunMessageBuilder& AddUnknownAttributes(std::span<const uint16_t> types);
  // HMAC-SHA1 with `key` (the password, for ICE) over everything written so far.
  StunMessageBuilder& AddMessageIntegrity(std::span<const uint8_t> key);
  StunMessageBuilder& AddMessageIntegrity(std::string_view password);
  StunMessageBuilder& AddFingerprint();

  // Bytes written (the whole message), or 0 after a failure.
  size_t Finish() const { return failed_ ? 0 : size_; }
  bool Ok() const { return !failed_; }

 private:
  uint8_t* Reserve(uint16_t type, size_t length);
  void SetLength(size_t body_length);

  std::span<uint8_t> out_;
  size_t size_ = 0;
  bool failed_ = false;
  bool has_integrity_ = false;
  bool has_fingerprint_ = false;
};

// Encodes a method and class into the 14-bit message type (RFC 8489 5).
constexpr uint16_t StunMessageType(uint16_t method, StunClass cls) {
  const auto c = static_cast<uint16_t>(cls);
  return static_cast<uint16_t>((method & 0x000F) | ((method & 0x0070) << 1) |
                               ((method & 0x0F80) << 2) | ((c & 0x1) << 4) | ((c & 0x2) << 7));
}

template <typename Visit>
void StunMessage::ForEachAttribute(Visit&& visit) const {
  // Parse() proved every attribute header and length up to honoured_end_.
  uint32_t offset = kHeaderSize;
  bool after_integrity = false;
  while (offset + 4 <= honoured_end_) {
    const uint16_t type = static_cast<uint16_t>((data_[offset] << 8) | data_[offset + 1]);
    const uint16_t length = static_cast<uint16_t>((data_[offset + 2] << 8) | data_[offset + 3]);
    if (!after_integrity || type == static_cast<uint16_t>(StunAttr::kFingerprint) ||
        type == static_cast<uint16_t>(StunAttr::kMessageIntegritySha256)) {
      visit(StunAttribute{type, data_.subspan(offset + 4, length)});
    }
    if (type == static_cast<uint16_t>(StunAttr::kMessageIntegrity)) after_integrity = true;
    offset += 4 + ((length + 3u) & ~3u);
  }
}

}  // namespace tributary::rtc
