#pragma once

// A view over one DTLS 1.0/1.2 record (RFC 6347 4.1) inside a datagram:
//
//   0                   1                   2                   3
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |  ContentType  |    ProtocolVersion (FE FD / FE FF)  |  epoch  :
//   :     epoch     |            sequence_number (48 bits)          :
//   :                               |            length             |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |                   fragment (length bytes) ...                 |
//
// One datagram may carry several records back to back. Used to classify a datagram (RFC 7983:
// first byte 20..63 is DTLS) and to reject malformed ones before they reach OpenSSL. Epoch 0
// handshake records are plaintext, so their handshake messages (RFC 6347 4.2.2) are checked too.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace tributary::rtc {

class DtlsRecord {
 public:
  static constexpr size_t kHeaderSize = 13;
  static constexpr size_t kHandshakeHeaderSize = 12;
  // DTLSCiphertext.length may reach 2^14 + 2048 (RFC 6347 4.1, RFC 5246 6.2.3).
  static constexpr size_t kMaxFragmentLength = 16384 + 2048;
  static constexpr uint16_t kVersionDtls10 = 0xfeff;
  static constexpr uint16_t kVersionDtls12 = 0xfefd;

  enum class ContentType : uint8_t {
    kChangeCipherSpec = 20,
    kAlert = 21,
    kHandshake = 22,
    kApplicationData = 23,
    kHeartbeat = 24,
  };
  enum class HandshakeType : uint8_t {
    kHelloRequest = 0,
    kClientHello = 1,
    kServerHello = 2,
    kHelloVerifyRequest = 3,
    kCertificate = 11,
    kServerKeyExchange = 12,
    kCertificateRequest = 13,
    kServerHelloDone = 14,
    kCertificateVerify = 15,
    kClientKeyExchange = 16,
    kFinished = 20,
  };

  // RFC 7983 demultiplexing: a first byte in [20, 63] means DTLS.
  static bool LooksLikeDtls(std::span<const uint8_t> datagram) {
    return !datagram.empty() && datagram[0] >= 20 && datagram[0] <= 63;
  }

  // The record at the start of `data` (more may follow). nullopt when the header is truncated,
  // the content type or version is not DTLS 1.0/1.2's, the length exceeds the data or
  // kMaxFragmentLength, or an epoch 0 handshake record's messages do not exactly fill it.
  static std::optional<DtlsRecord> Parse(std::span<const uint8_t> data);

  // True when the datagram is one or more well-formed records with nothing left over.
  static bool IsWellFormedDatagram(std::span<const uint8_t> datagram);

  // Walks the records of one datagram.
  //   DtlsRecord::Reader reader(datagram);
  //   while (auto record = reader.Next()) { ... }
  //   if (!reader.AtEnd()) { malformed tail }
  class Reader {
   public:
    explicit Reader(std::span<const uint8_t> datagram) : rest_(datagram) {}
    // The next record, or nullopt at the end or at a malformed record (then AtEnd() is false).
    std::optional<DtlsRecord> Next();
    bool AtEnd() const { return rest_.empty(); }

   private:
    std::span<const uint8_t> rest_;
    bool failed_ = false;
  };

  ContentType GetContentType() const { return static_cast<ContentType>(data_[0]); }
  uint16_t GetVersion() const;
  uint16_t GetEpoch() const;
  uint64_t GetSequenceNumber() const;  // 48 bits
  uint16_t GetLength() const;          // of the fragment
  std::span<const uint8_t> GetFragment() const { return data_.subspan(kHeaderSize); }
  // Header plus fragment: how far the next record starts.
  size_t GetSize() const { return data_.size(); }
  std::span<const uint8_t> GetBytes() const { return data_; }

  // The type of the record's first handshake message, for an epoch 0 handshake record (later
  // epochs are encrypted); nullopt otherwise.
  std::optional<HandshakeType> GetHandshakeType() const;

 private:
  explicit DtlsRecord(std::span<const uint8_t> data) : data_(data) {}

  std::span<const uint8_t> data_;  // header and fragment
};

}  // namespace tributary::rtc
