// Real datagrams from our own DtlsTransport handshakes (DtlsTransportTest writes them to
// tests/fuzz/corpus/DtlsRecordFuzz/), and truncated and corrupted copies of them.

#include "rtc/DtlsRecord.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string_view>
#include <vector>

namespace tributary::rtc {
namespace {

using Bytes = std::vector<uint8_t>;
using ContentType = DtlsRecord::ContentType;
using HandshakeType = DtlsRecord::HandshakeType;

Bytes Hex(std::string_view hex) {
  Bytes out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<uint8_t>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

// The ClientHello (DTLS 1.0 record version, as OpenSSL and browsers send it), offering
// use_srtp 0x0007 (AEAD_AES_128_GCM) and 0x0001 (AES128_CM_HMAC_SHA1_80).
const Bytes kClientHello = Hex(
    "16feff000000000000000000a1010000950000000000000095fefdf54d5bb735afc0fb894a56f1e0e47376740f20"
    "a90e4603a86a9e80dda27267fe00000016c02bcca9c02cc02fcca8c030c009c00ac013c01400ff01000055000b00"
    "0403000102000a00080006001d00170018000e0007000400070001000016000000170000000d002a002804030503"
    "0603080708080809080a080b080408050806040105010601030303010302040205020602");

// The server's last flight: ChangeCipherSpec (epoch 0) and an encrypted Finished (epoch 1).
const Bytes kChangeCipherSpecAndFinished = Hex(
    "14fefd000000000000000500010116fefd000100000000000000300cceada33d26ed21906bbdea3668cf399c270b"
    "25586b01ff24e8b07ef53cf9f6b4763a937894dafd18f6f6ab621d2ee0");

// Application data, epoch 1.
const Bytes kApplicationData = Hex(
    "17fefd00010000000000010021134ced7dc1fd2188be5425a3442295139b98db6e424a4f097e12033335f5f269e1");

TEST(DtlsRecord, Parse_ReadsAClientHello) {
  ASSERT_EQ(kClientHello.size(), 174u);
  const auto record = DtlsRecord::Parse(kClientHello);
  ASSERT_TRUE(record.has_value());
  EXPECT_EQ(record->GetContentType(), ContentType::kHandshake);
  EXPECT_EQ(record->GetVersion(), DtlsRecord::kVersionDtls10);
  EXPECT_EQ(record->GetEpoch(), 0);
  EXPECT_EQ(record->GetSequenceNumber(), 0u);
  EXPECT_EQ(record->GetLength(), 161);
  EXPECT_EQ(record->GetSize(), 174u);
  EXPECT_EQ(record->GetFragment().size(), 161u);
  EXPECT_EQ(record->GetHandshakeType(), HandshakeType::kClientHello);
  EXPECT_TRUE(DtlsRecord::IsWellFormedDatagram(kClientHello));
  EXPECT_TRUE(DtlsRecord::LooksLikeDtls(kClientHello));
}

TEST(DtlsRecord, Reader_WalksSeveralRecordsOfOneDatagram) {
  DtlsRecord::Reader reader(kChangeCipherSpecAndFinished);
  const auto ccs = reader.Next();
  ASSERT_TRUE(ccs.has_value());
  EXPECT_EQ(ccs->GetContentType(), ContentType::kChangeCipherSpec);
  EXPECT_EQ(ccs->GetEpoch(), 0);
  EXPECT_EQ(ccs->GetSequenceNumber(), 5u);
  EXPECT_EQ(ccs->GetSize(), 14u);
  EXPECT_EQ(ccs->GetHandshakeType(), std::nullopt);

  const auto finished = reader.Next();
  ASSERT_TRUE(finished.has_value());
  EXPECT_EQ(finished->GetContentType(), ContentType::kHandshake);
  EXPECT_EQ(finished->GetVersion(), DtlsRecord::kVersionDtls12);
  EXPECT_EQ(finished->GetEpoch(), 1);
  EXPECT_EQ(finished->GetSequenceNumber(), 0u);
  EXPECT_EQ(finished->GetLength(), 48);
  EXPECT_EQ(finished->GetHandshakeType(), std::nullopt) << "encrypted: no type to read";

  EXPECT_FALSE(reader.Next().has_value());
  EXPECT_TRUE(reader.AtEnd());
  EXPECT_TRUE(DtlsRecord::IsWellFormedDatagram(kChangeCipherSpecAndFinished));
}

TEST(DtlsRecord, Parse_ReadsEpochAndFullSequenceNumber) {
  Bytes record = kApplicationData;
  // Epoch 0x0102, sequence number 0x0000a1b2c3d4e5f6 -> 48 bits: a1b2c3d4e5f6.
  record[3] = 0x01;
  record[4] = 0x02;
  for (int i = 0; i < 6; ++i)
    record[5 + i] = static_cast<uint8_t>(0xa1 + 0x11 * i);
  const auto parsed = DtlsRecord::Parse(record);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->GetContentType(), ContentType::kApplicationData);
  EXPECT_EQ(parsed->GetEpoch(), 0x0102);
  EXPECT_EQ(parsed->GetSequenceNumber(), 0xa1b2c3d4e5f6u);
}

TEST(DtlsRecord, Parse_RejectsEveryTruncation) {
  for (const Bytes* datagram : {&kClientHello, &kChangeCipherSpecAndFinished, &kApplicationData}) {
    for (size_t size = 0; size < datagram->size(); ++size) {
      const std::span<const uint8_t> truncated(datagram->data(), size);
      // Cut exactly between two records, what is left is whole.
      const bool at_record_boundary = datagram == &kChangeCipherSpecAndFinished && size == 14;
      EXPECT_EQ(DtlsRecord::IsWellFormedDatagram(truncated), at_record_boundary) << size;
    }
  }
  // A truncated first record is no record at all.
  EXPECT_FALSE(DtlsRecord::Parse(std::span(kClientHello).first(12)).has_value());
  EXPECT_FALSE(DtlsRecord::Parse(std::span(kClientHello).first(173)).has_value());
}

TEST(DtlsRecord, Parse_RejectsCorruptedHeaders) {
  auto corrupt = [](const Bytes& datagram, size_t at, uint8_t value) {
    Bytes copy = datagram;
    copy[at] = value;
    return copy;
  };
  EXPECT_FALSE(DtlsRecord::Parse(corrupt(kClientHello, 0, 19)).has_value());     // content type
  EXPECT_FALSE(DtlsRecord::Parse(corrupt(kClientHello, 0, 25)).has_value());     // tls12_cid
  EXPECT_FALSE(DtlsRecord::Parse(corrupt(kClientHello, 1, 0x03)).has_value());   // TLS version
  EXPECT_FALSE(DtlsRecord::Parse(corrupt(kClientHello, 2, 0xfc)).has_value());   // DTLS 1.3 value
  EXPECT_FALSE(DtlsRecord::Parse(corrupt(kClientHello, 12, 0xa2)).has_value());  // length + 1
  // A longer length than the datagram holds, and an absurd one.
  EXPECT_FALSE(DtlsRecord::Parse(corrupt(kApplicationData, 11, 0x50)).has_value());
  Bytes huge(13 + 20000, 0);
  huge[0] = 23;
  huge[1] = 0xfe;
  huge[2] = 0xfd;
  huge[4] = 1;
  huge[11] = static_cast<uint8_t>(20000 >> 8);
  huge[12] = static_cast<uint8_t>(20000 & 0xff);
  EXPECT_FALSE(DtlsRecord::Parse(huge).has_value());

  // A record one byte shorter than its content: the rest of the datagram is a malformed tail.
  Bytes shorter = corrupt(kApplicationData, 12, 0x20);
  EXPECT_TRUE(DtlsRecord::Parse(shorter).has_value());
  EXPECT_FALSE(DtlsRecord::IsWellFormedDatagram(shorter));
}

TEST(DtlsRecord, Parse_ChecksPlaintextHandshakeMessages) {
  // The handshake header inside: fragment_length one more than the record carries.
  Bytes bad_fragment = kClientHello;
  bad_fragment[13 + 11] = 0x96;
  EXPECT_FALSE(DtlsRecord::Parse(bad_fragment).has_value());
  // fragment_offset + fragment_length beyond the message length.
  Bytes bad_offset = kClientHello;
  bad_offset[13 + 8] = 0x01;
  EXPECT_FALSE(DtlsRecord::Parse(bad_offset).has_value());
  // An empty handshake record.
  const Bytes empty = Hex("16fefd00000000000000000000");
  EXPECT_FALSE(DtlsRecord::Parse(empty).has_value());
  // A ChangeCipherSpec other than the single byte 1; plaintext application data.
  EXPECT_FALSE(DtlsRecord::Parse(Hex("14fefd0000000000000000000102")).has_value());
  EXPECT_FALSE(DtlsRecord::Parse(Hex("17fefd0000000000000000000101")).has_value());
  // A plaintext alert: 2 bytes (warning, close_notify).
  EXPECT_TRUE(DtlsRecord::Parse(Hex("15fefd00000000000000000002"
                                    "0100"))
                  .has_value());
  EXPECT_FALSE(DtlsRecord::Parse(Hex("15fefd00000000000000000003"
                                     "010000"))
                   .has_value());
}

TEST(DtlsRecord, LooksLikeDtls_FollowsRfc7983) {
  for (int first = 0; first < 256; ++first) {
    const Bytes datagram = {static_cast<uint8_t>(first), 0, 0};
    EXPECT_EQ(DtlsRecord::LooksLikeDtls(datagram), first >= 20 && first <= 63) << first;
  }
  EXPECT_FALSE(DtlsRecord::LooksLikeDtls({}));
  EXPECT_FALSE(DtlsRecord::IsWellFormedDatagram({}));
}

TEST(DtlsRecord, Corpus_EverySeedIsAWellFormedDatagram) {
  const std::filesystem::path dir =
      std::filesystem::path(TRIBUTARY_SOURCE_DIR) / "tests/fuzz/corpus/DtlsRecordFuzz";
  size_t seeds = 0;
  size_t client_hellos = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(entry.path(), std::ios::binary);
    const Bytes datagram((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_TRUE(DtlsRecord::IsWellFormedDatagram(datagram)) << entry.path();
    const auto first = DtlsRecord::Parse(datagram);
    if (first && first->GetHandshakeType() == HandshakeType::kClientHello) ++client_hellos;
    ++seeds;
  }
  EXPECT_GE(seeds, 10u);
  EXPECT_GE(client_hellos, 1u);
}

}  // namespace
}  // namespace tributary::rtc
