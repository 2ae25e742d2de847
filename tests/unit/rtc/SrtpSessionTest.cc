// SrtpSession against published vectors and against an independent SRTP implementation written
// here from RFC 3711 and RFC 7714 over OpenSSL's AES primitives. The reference is itself
// checked against the RFCs' own vectors first (RFC 3711 B.2/B.3, RFC 7714 16.1.1/17.1), so that
// a disagreement with libsrtp means libsrtp (or our policy) is wrong, not the reference.

#include "rtc/SrtpSession.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <cstring>
#include <memory>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "base/ByteIo.h"
#include "rtc/deps/DepOpenSsl.h"

namespace tributary::rtc {
namespace {

using Bytes = std::vector<uint8_t>;
using Result = SrtpSession::Result;
using Direction = SrtpSession::Direction;

Bytes Hex(std::string_view hex) {
  Bytes out;
  int high = -1;
  for (char c : hex) {
    int v;
    if (c >= '0' && c <= '9') {
      v = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      v = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      v = c - 'A' + 10;
    } else {
      continue;  // spaces
    }
    if (high < 0) {
      high = v;
    } else {
      out.push_back(static_cast<uint8_t>(high << 4 | v));
      high = -1;
    }
  }
  return out;
}

Bytes Concat(const Bytes& a, const Bytes& b) {
  Bytes out = a;
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

Bytes Slice(const Bytes& a, size_t from, size_t len) {
  return Bytes(a.begin() + static_cast<long>(from), a.begin() + static_cast<long>(from + len));
}

// ---- The reference implementation --------------------------------------------------------------

struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};

// AES in counter mode (RFC 3711 4.1.1): the IV is the initial 128-bit counter block.
Bytes AesCtr(const Bytes& key, const Bytes& iv, const Bytes& data) {
  std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree> ctx(EVP_CIPHER_CTX_new());
  const EVP_CIPHER* cipher = key.size() == 32 ? EVP_aes_256_ctr() : EVP_aes_128_ctr();
  Bytes out(data.size() + 16);
  int len = 0;
  int final_len = 0;
  EXPECT_EQ(EVP_EncryptInit_ex(ctx.get(), cipher, nullptr, key.data(), iv.data()), 1);
  EXPECT_EQ(
      EVP_EncryptUpdate(ctx.get(), out.data(), &len, data.data(), static_cast<int>(data.size())),
      1);
  EXPECT_EQ(EVP_EncryptFinal_ex(ctx.get(), out.data() + len, &final_len), 1);
  out.resize(static_cast<size_t>(len + final_len));
  return out;
}

// AES-GCM with a 96-bit IV and a 128-bit tag appended (RFC 7714 5).
Bytes AesGcm(const Bytes& key, const Bytes& iv, const Bytes& aad, const Bytes& plaintext) {
  std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree> ctx(EVP_CIPHER_CTX_new());
  const EVP_CIPHER* cipher = key.size() == 32 ? EVP_aes_256_gcm() : EVP_aes_128_gcm();
  Bytes out(plaintext.size() + 16);
  int len = 0;
  EXPECT_EQ(EVP_EncryptInit_ex(ctx.get(), cipher, nullptr, nullptr, nullptr), 1);
  EXPECT_EQ(
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(iv.size()), nullptr),
      1);
  EXPECT_EQ(EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, key.data(), iv.data()), 1);
  EXPECT_EQ(EVP_EncryptUpdate(ctx.get(), nullptr, &len, aad.data(), static_cast<int>(aad.size())),
            1);
  EXPECT_EQ(EVP_EncryptUpdate(ctx.get(), out.data(), &len, plaintext.data(),
                              static_cast<int>(plaintext.size())),
            1);
  int final_len = 0;
  EXPECT_EQ(EVP_EncryptFinal_ex(ctx.get(), out.data() + len, &final_len), 1);
  EXPECT_EQ(EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, 16, out.data() + plaintext.size()),
            1);
  return out;
}

// RFC 3711 4.3.1 with key_derivation_rate 0: x = (label << 48) XOR master_salt (112 bits,
// right-aligned), session key = AES-CM(master_key, x * 2^16) over n zero bytes. A 96-bit
// AEAD master salt (RFC 7714 11) is padded with zeros on the right to 112 bits, as libsrtp
// and browsers do.
Bytes DeriveSessionKey(const Bytes& master_key, const Bytes& master_salt, uint8_t label, size_t n) {
  Bytes iv(16, 0);
  std::memcpy(iv.data(), master_salt.data(), std::min<size_t>(master_salt.size(), 14));
  iv[7] ^= label;
  return AesCtr(master_key, iv, Bytes(n, 0));
}

struct SessionKeys {
  Bytes cipher_key;
  Bytes salt;
  Bytes auth_key;  // AES-CM only
};

enum : uint8_t {
  kLabelRtpCipher = 0,
  kLabelRtpAuth = 1,
  kLabelRtpSalt = 2,
  kLabelRtcpCipher = 3,
  kLabelRtcpAuth = 4,
  kLabelRtcpSalt = 5
};

bool IsGcm(SrtpProfile profile) {
  return profile == SrtpProfile::kAeadAes128Gcm || profile == SrtpProfile::kAeadAes256Gcm;
}

SessionKeys Derive(SrtpProfile profile, const Bytes& keying_material, bool rtcp) {
  const size_t key_length = SrtpProfileMasterKeyLength(profile);
  const Bytes master_key = Slice(keying_material, 0, key_length);
  const Bytes master_salt = Slice(keying_material, key_length, keying_material.size() - key_length);
  SessionKeys keys;
  keys.cipher_key = DeriveSessionKey(master_key, master_salt,
                                     rtcp ? kLabelRtcpCipher : kLabelRtpCipher, key_length);
  keys.salt = DeriveSessionKey(master_key, master_salt, rtcp ? kLabelRtcpSalt : kLabelRtpSalt,
                               IsGcm(profile) ? 12 : 14);
  if (!IsGcm(profile)) {
    keys.auth_key =
        DeriveSessionKey(master_key, master_salt, rtcp ? kLabelRtcpAuth : kLabelRtpAuth, 20);
  }
  return keys;
}

size_t RtpHeaderLength(const Bytes& packet) {
  size_t length = 12 + 4 * (packet[0] & 0x0f);
  if (packet[0] & 0x10) length += 4 + 4 * base::Read16(packet.data() + length + 2);
  return length;
}

// SRTP (RFC 3711 3.1 / RFC 7714 8.1) of one RTP packet whose 48-bit index is `index`.
Bytes ReferenceProtectRtp(SrtpProfile profile, const Bytes& keying_material, const Bytes& packet,
                          uint64_t index) {
  const SessionKeys keys = Derive(profile, keying_material, false);
  const size_t header_length = RtpHeaderLength(packet);
  const Bytes header = Slice(packet, 0, header_length);
  const Bytes payload = Slice(packet, header_length, packet.size() - header_length);
  const uint32_t ssrc = base::Read32(packet.data() + 8);
  if (IsGcm(profile)) {
    // IV = (00 00 || SSRC || ROC || SEQ) XOR salt.
    Bytes iv(12, 0);
    base::Write32(iv.data() + 2, ssrc);
    base::Write32(iv.data() + 6, static_cast<uint32_t>(index >> 16));
    base::Write16(iv.data() + 10, static_cast<uint16_t>(index));
    for (size_t i = 0; i < 12; ++i)
      iv[i] ^= keys.salt[i];
    return Concat(header, AesGcm(keys.cipher_key, iv, header, payload));
  }
  // IV = (salt * 2^16) XOR (SSRC * 2^64) XOR (index * 2^16).
  Bytes iv(16, 0);
  std::memcpy(iv.data(), keys.salt.data(), 14);
  for (int i = 0; i < 4; ++i)
    iv[4 + i] ^= static_cast<uint8_t>(ssrc >> (24 - 8 * i));
  for (int i = 0; i < 6; ++i)
    iv[8 + i] ^= static_cast<uint8_t>(index >> (40 - 8 * i));
  Bytes out = Concat(header, AesCtr(keys.cipher_key, iv, payload));
  // Tag = HMAC-SHA1(auth key, packet || ROC), truncated.
  uint8_t roc[4];
  base::Write32(roc, static_cast<uint32_t>(index >> 16));
  const auto tag = DepOpenSsl::HmacSha1(keys.auth_key, {out, std::span<const uint8_t>(roc, 4)});
  const size_t tag_length = profile == SrtpProfile::kAesCm128HmacSha1_32 ? 4 : 10;
  out.insert(out.end(), tag.begin(), tag.begin() + static_cast<long>(tag_length));
  return out;
}

// SRTCP (RFC 3711 3.4 / RFC 7714 9) with the E flag set and SRTCP index `index`.
Bytes ReferenceProtectRtcp(SrtpProfile profile, const Bytes& keying_material, const Bytes& packet,
                           uint32_t index) {
  const SessionKeys keys = Derive(profile, keying_material, true);
  const Bytes header = Slice(packet, 0, 8);
  const Bytes payload = Slice(packet, 8, packet.size() - 8);
  const uint32_t ssrc = base::Read32(packet.data() + 4);
  Bytes e_index(4);
  base::Write32(e_index.data(), 0x80000000u | index);
  if (IsGcm(profile)) {
    // IV = (00 00 || SSRC || 00 00 || 0 || index) XOR salt; AAD = header || E || index.
    Bytes iv(12, 0);
    base::Write32(iv.data() + 2, ssrc);
    base::Write32(iv.data() + 8, index);
    for (size_t i = 0; i < 12; ++i)
      iv[i] ^= keys.salt[i];
    return Concat(Concat(header, AesGcm(keys.cipher_key, iv, Concat(header, e_index), payload)),
                  e_index);
  }
  Bytes iv(16, 0);
  std::memcpy(iv.data(), keys.salt.data(), 14);
  for (int i = 0; i < 4; ++i)
    iv[4 + i] ^= static_cast<uint8_t>(ssrc >> (24 - 8 * i));
  for (int i = 0; i < 4; ++i)
    iv[10 + i] ^= static_cast<uint8_t>(index >> (24 - 8 * i));
  Bytes out = Concat(Concat(header, AesCtr(keys.cipher_key, iv, payload)), e_index);
  const auto tag = DepOpenSsl::HmacSha1(keys.auth_key, {out});
  out.insert(out.end(), tag.begin(), tag.begin() + 10);  // SRTCP always has the 80-bit tag
  return out;
}

// ---- Reference self-checks against the RFCs -----------------------------------------------------

TEST(SrtpReference, KeyDerivation_MatchesRfc3711AppendixB3) {
  const Bytes master_key = Hex("E1F97A0D3E018BE0D64FA32C06DE4139");
  const Bytes master_salt = Hex("0EC675AD498AFEEBB6960B3AABE6");
  EXPECT_EQ(DeriveSessionKey(master_key, master_salt, kLabelRtpCipher, 16),
            Hex("C61E7A93744F39EE10734AFE3FF7A087"));
  EXPECT_EQ(DeriveSessionKey(master_key, master_salt, kLabelRtpSalt, 14),
            Hex("30CBBC08863D8C85D49DB34A9AE1"));
  EXPECT_EQ(DeriveSessionKey(master_key, master_salt, kLabelRtpAuth, 20),
            Hex("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4"));
}

TEST(SrtpReference, AesCounterMode_MatchesRfc3711AppendixB2) {
  // Session key and salt given directly, SSRC 0, index 0: the first keystream block.
  Bytes iv(16, 0);
  const Bytes salt = Hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD");
  std::memcpy(iv.data(), salt.data(), 14);
  EXPECT_EQ(AesCtr(Hex("2B7E151628AED2A6ABF7158809CF4F3C"), iv, Bytes(16, 0)),
            Hex("E03EAD0935C95E80E166B16DD92B4EB4"));
}

TEST(SrtpReference, AesGcm_MatchesRfc7714Section16_1_1And17_1) {
  const Bytes key = Hex("000102030405060708090a0b0c0d0e0f");
  const Bytes salt = Hex("517569642070726f2071756f");
  // 16.1.1: RTP, SSRC 0x5501a0b2, ROC 0, SEQ 0xf17b.
  const Bytes rtp = Hex(
      "8040f17b 8041f8d3 5501a0b2 47616c6c 69612065 7374206f 6d6e6973 20646976 69736120 696e2070"
      "61727465 73207472 6573");
  Bytes iv = Hex("0000 5501a0b2 00000000 f17b");
  for (size_t i = 0; i < 12; ++i)
    iv[i] ^= salt[i];
  EXPECT_EQ(iv, Hex("51753c6580c2726f20718414"));
  EXPECT_EQ(Concat(Slice(rtp, 0, 12), AesGcm(key, iv, Slice(rtp, 0, 12), Slice(rtp, 12, 38))),
            Hex("8040f17b8041f8d35501a0b2f24de3a3fb34de6cacba861c9d7e4bcabe633bd50d294e6f"
                "42a5f47a51c7d19b36de3adf8833899d7f27beb16a9152cf765ee4390cce"));
  // 17.1: RTCP, SSRC "Mars", SRTCP index 0x5d4, encrypted.
  const Bytes rtcp = Hex(
      "81c8000d 4d617273 4e545031 4e545032 52545020 0000042a 0000e930 4c756e61 deadbeef deadbeef"
      "deadbeef deadbeef deadbeef");
  Bytes rtcp_iv = Hex("0000 4d617273 0000 000005d4");
  for (size_t i = 0; i < 12; ++i)
    rtcp_iv[i] ^= salt[i];
  const Bytes e_index = Hex("800005d4");
  EXPECT_EQ(
      Concat(Concat(Slice(rtcp, 0, 8), AesGcm(key, rtcp_iv, Concat(Slice(rtcp, 0, 8), e_index),
                                              Slice(rtcp, 8, rtcp.size() - 8))),
             e_index),
      Hex("81c8000d4d61727363e94885dcdab67ca727d7662f6b7e997ff5c0f76c06f32dc676a5f1730d6fda4c"
          "e09b4686303ded0bb9275bc84aa45896cf4d2fc5abf87245d9eade800005d4"));
}

// ---- SrtpSession --------------------------------------------------------------------------------

// The master key and salt of RFC 3711 B.3, used by libsrtp's own driver for its reference packet.
const Bytes kRfc3711KeyingMaterial =
    Hex("E1F97A0D3E018BE0D64FA32C06DE4139 0EC675AD498AFEEBB6960B3AABE6");

Bytes KeyingMaterial(SrtpProfile profile, uint8_t seed) {
  Bytes out(SrtpProfileKeyingMaterialLength(profile));
  for (size_t i = 0; i < out.size(); ++i)
    out[i] = static_cast<uint8_t>(seed + 7 * i);
  return out;
}

// A VP8-sized RTP packet with one CSRC and a one-byte header extension, so that header length
// handling is exercised too.
Bytes MakeRtp(uint16_t seq, uint32_t ssrc = 0x11223344, size_t payload_size = 1000) {
  Bytes packet = Hex("91 60 0000 00000000 00000000 cafebabe BEDE0001 10ff0000");
  base::Write16(packet.data() + 2, seq);
  base::Write32(packet.data() + 4, 90000u * seq);
  base::Write32(packet.data() + 8, ssrc);
  for (size_t i = 0; i < payload_size; ++i)
    packet.push_back(static_cast<uint8_t>(i * 31 + seq));
  return packet;
}

// A receiver report (PT 201) followed by nothing else: minimal but real.
Bytes MakeRtcp(uint32_t ssrc = 0x11223344) {
  Bytes packet = Hex("81c90007 00000000 55667788 00000001 0000abcd 00000010 00000000 00000000");
  base::Write32(packet.data() + 4, ssrc);
  return packet;
}

Result Protect(SrtpSession& session, Bytes& packet, bool rtcp = false) {
  size_t len = packet.size();
  packet.resize(len + 64);
  const Result result = rtcp ? session.ProtectRtcp(packet.data(), len, packet.size())
                             : session.ProtectRtp(packet.data(), len, packet.size());
  packet.resize(len);
  return result;
}

Result Unprotect(SrtpSession& session, Bytes& packet, bool rtcp = false) {
  size_t len = packet.size();
  const Result result =
      rtcp ? session.UnprotectRtcp(packet.data(), len) : session.UnprotectRtp(packet.data(), len);
  packet.resize(len);
  return result;
}

TEST(SrtpSession, ProtectRtp_MatchesLibsrtpReferencePacket) {
  // RFC 3711 B.3 keys; plaintext and ciphertext as published with libsrtp's test driver.
  SrtpSession session(Direction::kOutbound, SrtpProfile::kAesCm128HmacSha1_80,
                      kRfc3711KeyingMaterial);
  Bytes packet = Hex("800f1234decafbadcafebabe abababababababababababababababab");
  const Bytes expected =
      Hex("800f1234decafbadcafebabe 4e55dc4ce79978d88ca4d215949d2402 b78d6acc99ea179b8dbb");
  ASSERT_EQ(Protect(session, packet), Result::kOk);
  EXPECT_EQ(packet, expected);
  EXPECT_EQ(
      ReferenceProtectRtp(SrtpProfile::kAesCm128HmacSha1_80, kRfc3711KeyingMaterial,
                          Hex("800f1234decafbadcafebabe abababababababababababababababab"), 0x1234),
      expected);
}

TEST(SrtpSession, ProtectRtcp_MatchesLibsrtpReferencePacket) {
  SrtpSession session(Direction::kOutbound, SrtpProfile::kAesCm128HmacSha1_80,
                      kRfc3711KeyingMaterial);
  Bytes packet = Hex("81c8000bcafebabe abababababababababababababababab");
  const Bytes expected =
      Hex("81c8000bcafebabe 7128035be487b9bdbef89041f977a5a8 80000001 993e08cd54d6c1230798");
  ASSERT_EQ(Protect(session, packet, true), Result::kOk);
  EXPECT_EQ(packet, expected);
}

TEST(SrtpSession, UnprotectRtp_ReadsLibsrtpReferencePacket) {
  SrtpSession session(Direction::kInbound, SrtpProfile::kAesCm128HmacSha1_80,
                      kRfc3711KeyingMaterial);
  Bytes packet =
      Hex("800f1234decafbadcafebabe 4e55dc4ce79978d88ca4d215949d2402 b78d6acc99ea179b8dbb");
  ASSERT_EQ(Unprotect(session, packet), Result::kOk);
  EXPECT_EQ(packet, Hex("800f1234decafbadcafebabe abababababababababababababababab"));
}

class SrtpSessionProfileTest : public ::testing::TestWithParam<SrtpProfile> {};

TEST_P(SrtpSessionProfileTest, ProtectRtp_MatchesReferenceAndRoundTrips) {
  const SrtpProfile profile = GetParam();
  const Bytes keys = KeyingMaterial(profile, 0x42);
  SrtpSession sender(Direction::kOutbound, profile, keys);
  SrtpSession receiver(Direction::kInbound, profile, keys);
  // Across a sequence number wrap, so that the rollover counter enters the IV.
  uint64_t index = 65533;
  for (int i = 0; i < 5; ++i, ++index) {
    const Bytes plain = MakeRtp(static_cast<uint16_t>(index));
    Bytes packet = plain;
    ASSERT_EQ(Protect(sender, packet), Result::kOk);
    EXPECT_EQ(packet.size(), plain.size() + sender.RtpTrailerLength());
    EXPECT_EQ(packet, ReferenceProtectRtp(profile, keys, plain, index)) << "index " << index;
    ASSERT_EQ(Unprotect(receiver, packet), Result::kOk);
    EXPECT_EQ(packet, plain);
  }
}

TEST_P(SrtpSessionProfileTest, ProtectRtcp_MatchesReferenceAndRoundTrips) {
  const SrtpProfile profile = GetParam();
  const Bytes keys = KeyingMaterial(profile, 0x17);
  SrtpSession sender(Direction::kOutbound, profile, keys);
  SrtpSession receiver(Direction::kInbound, profile, keys);
  for (uint32_t index = 1; index <= 3; ++index) {
    const Bytes plain = MakeRtcp();
    Bytes packet = plain;
    ASSERT_EQ(Protect(sender, packet, true), Result::kOk);
    EXPECT_EQ(packet.size(), plain.size() + sender.RtcpTrailerLength());
    EXPECT_EQ(packet, ReferenceProtectRtcp(profile, keys, plain, index)) << "index " << index;
    ASSERT_EQ(Unprotect(receiver, packet, true), Result::kOk);
    EXPECT_EQ(packet, plain);
  }
}

TEST_P(SrtpSessionProfileTest, UnprotectRtp_ReportsAuthFail_WhenAnyPartIsTampered) {
  const SrtpProfile profile = GetParam();
  const Bytes keys = KeyingMaterial(profile, 0x01);
  SrtpSession sender(Direction::kOutbound, profile, keys);
  Bytes packet = MakeRtp(100);
  ASSERT_EQ(Protect(sender, packet), Result::kOk);
  // Header (payload type), payload, and tag.
  for (size_t at : {size_t{1}, size_t{40}, packet.size() - 1}) {
    SrtpSession receiver(Direction::kInbound, profile, keys);
    Bytes tampered = packet;
    tampered[at] ^= 0x01;
    EXPECT_EQ(Unprotect(receiver, tampered), Result::kAuthFail) << "byte " << at;
    Bytes intact = packet;
    EXPECT_EQ(Unprotect(receiver, intact), Result::kOk) << "a failed packet leaves no trace";
  }
  // The wrong keys.
  SrtpSession stranger(Direction::kInbound, profile, KeyingMaterial(profile, 0x02));
  Bytes copy = packet;
  EXPECT_EQ(Unprotect(stranger, copy), Result::kAuthFail);
}

TEST_P(SrtpSessionProfileTest, UnprotectRtcp_ReportsAuthFailAndReplay) {
  const SrtpProfile profile = GetParam();
  const Bytes keys = KeyingMaterial(profile, 0x33);
  SrtpSession sender(Direction::kOutbound, profile, keys);
  SrtpSession receiver(Direction::kInbound, profile, keys);
  Bytes packet = MakeRtcp();
  ASSERT_EQ(Protect(sender, packet, true), Result::kOk);
  Bytes tampered = packet;
  tampered[10] ^= 0x80;
  EXPECT_EQ(Unprotect(receiver, tampered, true), Result::kAuthFail);
  Bytes first = packet;
  EXPECT_EQ(Unprotect(receiver, first, true), Result::kOk);
  Bytes again = packet;
  EXPECT_EQ(Unprotect(receiver, again, true), Result::kReplayFail);
}

TEST_P(SrtpSessionProfileTest, UnprotectRtp_ReportsReplay_AndAcceptsLateRetransmissions) {
  const SrtpProfile profile = GetParam();
  const Bytes keys = KeyingMaterial(profile, 0x55);
  SrtpSession sender(Direction::kOutbound, profile, keys);
  SrtpSession receiver(Direction::kInbound, profile, keys);
  auto protect = [&](uint16_t seq) {
    Bytes packet = MakeRtp(seq, 0x11223344, 100);
    EXPECT_EQ(Protect(sender, packet), Result::kOk);
    return packet;
  };
  // Sent in order; received out of order.
  const Bytes p1000 = protect(1000);
  const Bytes p2500 = protect(2500);  // to arrive late, as a NACKed packet would
  const Bytes p3000 = protect(3000);
  const Bytes p4000 = protect(4000);

  Bytes packet = p3000;
  ASSERT_EQ(Unprotect(receiver, packet), Result::kOk);
  packet = p3000;
  EXPECT_EQ(Unprotect(receiver, packet), Result::kReplayFail);
  packet = p2500;  // 500 behind: inside the 1024-packet window
  EXPECT_EQ(Unprotect(receiver, packet), Result::kOk);
  packet = p1000;  // 2000 behind: outside it
  EXPECT_EQ(Unprotect(receiver, packet), Result::kReplayOld);
  packet = p4000;
  EXPECT_EQ(Unprotect(receiver, packet), Result::kOk);
}

TEST_P(SrtpSessionProfileTest, ProtectRtp_AllowsRetransmittingTheSamePacket) {
  const SrtpProfile profile = GetParam();
  SrtpSession sender(Direction::kOutbound, profile, KeyingMaterial(profile, 0x66));
  const Bytes plain = MakeRtp(500);
  Bytes first = plain;
  Bytes second = plain;
  ASSERT_EQ(Protect(sender, first), Result::kOk);
  Bytes later = MakeRtp(501);
  ASSERT_EQ(Protect(sender, later), Result::kOk);
  ASSERT_EQ(Protect(sender, second), Result::kOk);
  EXPECT_EQ(first, second);
}

TEST_P(SrtpSessionProfileTest, ProtectRtp_RefusesPacketsOlderThanTheWindow) {
  // libsrtp keeps a replay window on the sending side too: a retransmission from a packet cache
  // must be within kReplayWindowSize of the newest packet sent on that SSRC.
  const SrtpProfile profile = GetParam();
  SrtpSession sender(Direction::kOutbound, profile, KeyingMaterial(profile, 0x68));
  Bytes newest = MakeRtp(5000, 0x11223344, 100);
  ASSERT_EQ(Protect(sender, newest), Result::kOk);
  Bytes inside = MakeRtp(5000 - SrtpSession::kReplayWindowSize + 1, 0x11223344, 100);
  EXPECT_EQ(Protect(sender, inside), Result::kOk);
  Bytes outside = MakeRtp(5000 - SrtpSession::kReplayWindowSize - 1, 0x11223344, 100);
  EXPECT_EQ(Protect(sender, outside), Result::kReplayOld);
}

TEST_P(SrtpSessionProfileTest, SessionsKeepOneStreamPerSsrc) {
  const SrtpProfile profile = GetParam();
  const Bytes keys = KeyingMaterial(profile, 0x77);
  SrtpSession sender(Direction::kOutbound, profile, keys);
  SrtpSession receiver(Direction::kInbound, profile, keys);
  // The same sequence number on two SSRCs is no replay.
  for (uint32_t ssrc : {0xaaaa0001u, 0xbbbb0002u}) {
    const Bytes plain = MakeRtp(7, ssrc);
    Bytes packet = plain;
    ASSERT_EQ(Protect(sender, packet), Result::kOk);
    EXPECT_EQ(packet, ReferenceProtectRtp(profile, keys, plain, 7));
    ASSERT_EQ(Unprotect(receiver, packet), Result::kOk);
    EXPECT_EQ(packet, plain);
  }
  // Forgetting a stream forgets its replay window.
  Bytes packet = MakeRtp(7, 0xaaaa0001u);
  ASSERT_EQ(Protect(sender, packet), Result::kOk);
  Bytes replay = packet;
  EXPECT_EQ(Unprotect(receiver, replay), Result::kReplayFail);
  receiver.RemoveStream(0xaaaa0001u);
  replay = packet;
  EXPECT_EQ(Unprotect(receiver, replay), Result::kOk);
}

INSTANTIATE_TEST_SUITE_P(Profiles, SrtpSessionProfileTest,
                         ::testing::Values(SrtpProfile::kAesCm128HmacSha1_80,
                                           SrtpProfile::kAesCm128HmacSha1_32,
                                           SrtpProfile::kAeadAes128Gcm,
                                           SrtpProfile::kAeadAes256Gcm),
                         [](const auto& info) { return std::string(SrtpProfileName(info.param)); });

TEST(SrtpSession, Protect_ReportsBufferTooSmall_AndLeavesThePacketAlone) {
  SrtpSession sender(Direction::kOutbound, SrtpProfile::kAeadAes128Gcm,
                     KeyingMaterial(SrtpProfile::kAeadAes128Gcm, 1));
  Bytes packet = MakeRtp(1);
  const Bytes original = packet;
  size_t len = packet.size();
  packet.resize(len + 15);  // one byte short of the GCM tag
  EXPECT_EQ(sender.ProtectRtp(packet.data(), len, packet.size()), Result::kBufferTooSmall);
  EXPECT_EQ(len, original.size());
  EXPECT_TRUE(std::equal(original.begin(), original.end(), packet.begin()));
  packet.resize(original.size() + 16);
  EXPECT_EQ(sender.ProtectRtp(packet.data(), len, packet.size()), Result::kOk);
  EXPECT_EQ(len, packet.size());
}

TEST(SrtpSession, Rejects_WrongDirectionAndShortPackets) {
  const Bytes keys = KeyingMaterial(SrtpProfile::kAesCm128HmacSha1_80, 9);
  SrtpSession inbound(Direction::kInbound, SrtpProfile::kAesCm128HmacSha1_80, keys);
  SrtpSession outbound(Direction::kOutbound, SrtpProfile::kAesCm128HmacSha1_80, keys);
  Bytes packet = MakeRtp(1);
  EXPECT_EQ(Protect(inbound, packet), Result::kOther);
  EXPECT_EQ(Unprotect(outbound, packet), Result::kOther);
  Bytes tiny = Hex("80 00 0001");
  EXPECT_EQ(Unprotect(inbound, tiny), Result::kOther);
  EXPECT_EQ(Protect(outbound, tiny), Result::kOther);
  EXPECT_EQ(Unprotect(inbound, tiny, true), Result::kOther);
}

TEST(SrtpSession, Constructor_RejectsWrongKeyLengthAndNoProfile) {
  EXPECT_THROW(SrtpSession(Direction::kInbound, SrtpProfile::kAeadAes128Gcm,
                           KeyingMaterial(SrtpProfile::kAesCm128HmacSha1_80, 1)),
               std::invalid_argument);
  EXPECT_THROW(SrtpSession(Direction::kInbound, SrtpProfile::kNone, Bytes{}),
               std::invalid_argument);
}

TEST(SrtpProfile, NamesAndLengths) {
  EXPECT_EQ(ParseSrtpProfile("AEAD_AES_128_GCM"), SrtpProfile::kAeadAes128Gcm);
  EXPECT_EQ(ParseSrtpProfile("SRTP_AES128_CM_HMAC_SHA1_80"), SrtpProfile::kAesCm128HmacSha1_80);
  EXPECT_EQ(ParseSrtpProfile("AES_CM_128_HMAC_SHA1_32"), SrtpProfile::kAesCm128HmacSha1_32);
  EXPECT_FALSE(ParseSrtpProfile("aead_aes_128_gcm").has_value());
  EXPECT_EQ(SrtpProfileFromId(0x0007), SrtpProfile::kAeadAes128Gcm);
  EXPECT_EQ(SrtpProfileFromId(0x0008), SrtpProfile::kAeadAes256Gcm);
  EXPECT_FALSE(SrtpProfileFromId(0x0003).has_value());
  EXPECT_EQ(SrtpProfileId(SrtpProfile::kAesCm128HmacSha1_80), 0x0001);
  EXPECT_EQ(SrtpProfileKeyingMaterialLength(SrtpProfile::kAesCm128HmacSha1_80), 30u);
  EXPECT_EQ(SrtpProfileKeyingMaterialLength(SrtpProfile::kAeadAes128Gcm), 28u);
  EXPECT_EQ(SrtpProfileKeyingMaterialLength(SrtpProfile::kAeadAes256Gcm), 44u);
  EXPECT_EQ(SrtpProfileKeyingMaterialLength(SrtpProfile::kNone), 0u);
  EXPECT_EQ(SrtpProfileDtlsName(SrtpProfile::kAeadAes256Gcm), "SRTP_AEAD_AES_256_GCM");
}

}  // namespace
}  // namespace tributary::rtc
