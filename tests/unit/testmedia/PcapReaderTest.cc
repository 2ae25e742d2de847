#include "testmedia/PcapReader.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "base/ByteIo.h"
#include "rtc/RtpPacket.h"
#include "rtc/codecs/Vp8.h"
#include "testmedia/PcapReplaySource.h"

namespace tributary::testmedia {
namespace {

using Bytes = std::vector<uint8_t>;

void Append(Bytes& out, std::initializer_list<uint8_t> bytes) {
  out.insert(out.end(), bytes);
}
void Be16(Bytes& out, uint16_t v) {
  Append(out, {uint8_t(v >> 8), uint8_t(v)});
}
void Be32(Bytes& out, uint32_t v) {
  Append(out, {uint8_t(v >> 24), uint8_t(v >> 16), uint8_t(v >> 8), uint8_t(v)});
}
void Le16(Bytes& out, uint16_t v) {
  Append(out, {uint8_t(v), uint8_t(v >> 8)});
}
void Le32(Bytes& out, uint32_t v) {
  Append(out, {uint8_t(v), uint8_t(v >> 8), uint8_t(v >> 16), uint8_t(v >> 24)});
}

// An IPv4 header + UDP header + payload, as a kernel would put it on the wire (checksums 0,
// which UDP over IPv4 allows).
Bytes Ipv4Udp(const Bytes& payload, uint16_t src_port, uint16_t dst_port, uint8_t protocol = 17,
              uint16_t fragment = 0) {
  Bytes out;
  const uint16_t total = static_cast<uint16_t>(20 + 8 + payload.size());
  Append(out, {0x45, 0x00});
  Be16(out, total);
  Append(out, {0x12, 0x34});
  Be16(out, fragment);
  Append(out, {64, protocol, 0, 0, 127, 0, 0, 1, 127, 0, 0, 2});
  Be16(out, src_port);
  Be16(out, dst_port);
  Be16(out, static_cast<uint16_t>(8 + payload.size()));
  Be16(out, 0);
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

Bytes Ipv6Udp(const Bytes& payload, uint16_t src_port, uint16_t dst_port, bool hop_by_hop) {
  Bytes udp;
  Be16(udp, src_port);
  Be16(udp, dst_port);
  Be16(udp, static_cast<uint16_t>(8 + payload.size()));
  Be16(udp, 0);
  udp.insert(udp.end(), payload.begin(), payload.end());
  Bytes ext;
  if (hop_by_hop) ext = {17, 0, 1, 4, 0, 0, 0, 0};  // next UDP, 8 bytes, PadN
  Bytes out = {0x60, 0, 0, 0};
  Be16(out, static_cast<uint16_t>(ext.size() + udp.size()));
  Append(out, {uint8_t(hop_by_hop ? 0 : 17), 64});
  for (int i = 0; i < 15; ++i)
    out.push_back(0);
  out.push_back(1);  // ::1
  for (int i = 0; i < 15; ++i)
    out.push_back(0);
  out.push_back(1);
  out.insert(out.end(), ext.begin(), ext.end());
  out.insert(out.end(), udp.begin(), udp.end());
  return out;
}

Bytes Ethernet(const Bytes& ip, uint16_t ether_type, bool vlan = false) {
  Bytes out(12, 0xAA);
  if (vlan) {
    Be16(out, 0x8100);
    Be16(out, 0x0064);
  }
  Be16(out, ether_type);
  out.insert(out.end(), ip.begin(), ip.end());
  return out;
}

// Classic pcap, little endian, microseconds (what tcpdump writes on x86).
Bytes PcapLe(uint32_t link_type, const std::vector<std::pair<uint64_t, Bytes>>& frames) {
  Bytes out;
  Le32(out, 0xa1b2c3d4);
  Le16(out, 2);
  Le16(out, 4);
  Le32(out, 0);
  Le32(out, 0);
  Le32(out, 262144);
  Le32(out, link_type);
  for (const auto& [time_us, frame] : frames) {
    Le32(out, static_cast<uint32_t>(time_us / 1000000));
    Le32(out, static_cast<uint32_t>(time_us % 1000000));
    Le32(out, static_cast<uint32_t>(frame.size()));
    Le32(out, static_cast<uint32_t>(frame.size()));
    out.insert(out.end(), frame.begin(), frame.end());
  }
  return out;
}

// Classic pcap, big endian, nanoseconds.
Bytes PcapBeNanos(uint32_t link_type, const std::vector<std::pair<uint64_t, Bytes>>& frames) {
  Bytes out;
  Be32(out, 0xa1b23c4d);
  Be16(out, 2);
  Be16(out, 4);
  Be32(out, 0);
  Be32(out, 0);
  Be32(out, 262144);
  Be32(out, link_type);
  for (const auto& [time_ns, frame] : frames) {
    Be32(out, static_cast<uint32_t>(time_ns / 1000000000));
    Be32(out, static_cast<uint32_t>(time_ns % 1000000000));
    Be32(out, static_cast<uint32_t>(frame.size()));
    Be32(out, static_cast<uint32_t>(frame.size()));
    out.insert(out.end(), frame.begin(), frame.end());
  }
  return out;
}

void PcapngBlock(Bytes& out, uint32_t type, const Bytes& body) {
  const uint32_t length = static_cast<uint32_t>(12 + ((body.size() + 3) & ~size_t{3}));
  Le32(out, type);
  Le32(out, length);
  out.insert(out.end(), body.begin(), body.end());
  while ((out.size() % 4) != 0)
    out.push_back(0);
  Le32(out, length);
}

// pcapng as Wireshark writes it: section header, one interface with nanosecond resolution,
// enhanced packet blocks (and a name resolution block to skip).
Bytes Pcapng(uint16_t link_type, const std::vector<std::pair<uint64_t, Bytes>>& frames) {
  Bytes out;
  Bytes shb;
  Le32(shb, 0x1A2B3C4D);
  Le16(shb, 1);
  Le16(shb, 0);
  Le32(shb, 0xFFFFFFFF);
  Le32(shb, 0xFFFFFFFF);
  PcapngBlock(out, 0x0A0D0D0A, shb);
  Bytes idb;
  Le16(idb, link_type);
  Le16(idb, 0);
  Le32(idb, 0);
  Le16(idb, 9);  // if_tsresol
  Le16(idb, 1);
  Append(idb, {9, 0, 0, 0});
  Le16(idb, 0);  // opt_endofopt
  Le16(idb, 0);
  PcapngBlock(out, 1, idb);
  PcapngBlock(out, 4, Bytes(8, 0));  // name resolution: skipped
  for (const auto& [time_ns, frame] : frames) {
    Bytes epb;
    Le32(epb, 0);
    Le32(epb, static_cast<uint32_t>(time_ns >> 32));
    Le32(epb, static_cast<uint32_t>(time_ns));
    Le32(epb, static_cast<uint32_t>(frame.size()));
    Le32(epb, static_cast<uint32_t>(frame.size()));
    epb.insert(epb.end(), frame.begin(), frame.end());
    while ((epb.size() % 4) != 0)
      epb.push_back(0);
    PcapngBlock(out, 6, epb);
  }
  return out;
}

std::vector<PcapDatagram> ReadAll(PcapReader& reader) {
  std::vector<PcapDatagram> out;
  PcapDatagram d;
  while (reader.Next(d))
    out.push_back(d);
  return out;
}

TEST(PcapReader, ReadsUdpFromEthernetPcap_SkippingFragmentsAndOtherProtocols) {
  const Bytes payload = {0x80, 0x60, 0x00, 0x01};
  const Bytes capture =
      PcapLe(1, {
                    {1'700'000'000'000'001, Ethernet(Ipv4Udp(payload, 5000, 6000), 0x0800)},
                    {1'700'000'000'000'002, Ethernet(Ipv4Udp(payload, 1, 2, 6), 0x0800)},
                    {1'700'000'000'000'003, Ethernet(Ipv4Udp(payload, 1, 2, 17, 0x2000), 0x0800)},
                    {1'700'000'000'000'004, Ethernet(Ipv4Udp(payload, 7, 8), 0x0800, true)},
                    {1'700'000'000'000'005, Ethernet(Bytes(28, 0), 0x0806)},  // ARP
                });
  std::string error;
  auto reader = PcapReader::FromBytes(capture, error);
  ASSERT_TRUE(reader) << error;
  const auto datagrams = ReadAll(*reader);
  EXPECT_TRUE(reader->Error().empty()) << reader->Error();
  ASSERT_EQ(datagrams.size(), 2u);
  EXPECT_EQ(datagrams[0].time_us, 1'700'000'000'000'001u);
  EXPECT_EQ(datagrams[0].source.ToString(), "127.0.0.1:5000");
  EXPECT_EQ(datagrams[0].destination.ToString(), "127.0.0.2:6000");
  EXPECT_EQ(Bytes(datagrams[0].payload.begin(), datagrams[0].payload.end()), payload);
  EXPECT_EQ(datagrams[1].source.Port(), 7);  // behind an 802.1Q tag
  EXPECT_EQ(reader->GetCounters().frames, 5u);
  EXPECT_EQ(reader->GetCounters().fragments, 1u);
  EXPECT_EQ(reader->GetCounters().not_udp, 2u);
}

TEST(PcapReader, ReadsBigEndianNanosecondPcapOfRawIpv6AndLinuxCookedCaptures) {
  const Bytes payload = {1, 2, 3};
  auto reader = [&](const Bytes& capture) {
    std::string error;
    auto r = PcapReader::FromBytes(capture, error);
    EXPECT_TRUE(r) << error;
    return r;
  };
  auto raw = reader(PcapBeNanos(101, {{1'500'000'000'123'456'789, Ipv6Udp(payload, 1, 2, true)}}));
  auto datagrams = ReadAll(*raw);
  ASSERT_EQ(datagrams.size(), 1u);
  EXPECT_EQ(datagrams[0].time_us, 1'500'000'000'123'456u);
  EXPECT_EQ(datagrams[0].source.ToString(), "[::1]:1");
  EXPECT_EQ(datagrams[0].payload.size(), 3u);

  Bytes sll(14, 0);
  Be16(sll, 0x0800);
  const Bytes ip = Ipv4Udp(payload, 3, 4);
  sll.insert(sll.end(), ip.begin(), ip.end());
  auto cooked = reader(PcapLe(113, {{1, sll}}));
  datagrams = ReadAll(*cooked);
  ASSERT_EQ(datagrams.size(), 1u);
  EXPECT_EQ(datagrams[0].destination.Port(), 4);

  Bytes null_frame;
  Le32(null_frame, 2);  // AF_INET, little-endian host
  null_frame.insert(null_frame.end(), ip.begin(), ip.end());
  auto loopback = reader(PcapLe(0, {{1, null_frame}}));
  EXPECT_EQ(ReadAll(*loopback).size(), 1u);
}

TEST(PcapReader, ReadsPcapngWithItsInterfaceResolution) {
  const Bytes payload = {0x80, 0x60, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1};
  auto capture =
      Pcapng(1, {{1'600'000'000'000'000'500, Ethernet(Ipv4Udp(payload, 9, 10), 0x0800)},
                 {1'600'000'000'001'000'000, Ethernet(Ipv4Udp(payload, 9, 10), 0x0800)}});
  std::string error;
  auto reader = PcapReader::FromBytes(capture, error);
  ASSERT_TRUE(reader) << error;
  const auto datagrams = ReadAll(*reader);
  EXPECT_TRUE(reader->Error().empty()) << reader->Error();
  ASSERT_EQ(datagrams.size(), 2u);
  EXPECT_EQ(datagrams[0].time_us, 1'600'000'000'000'000u);
  EXPECT_EQ(datagrams[1].time_us, 1'600'000'000'001'000u);
  EXPECT_EQ(datagrams[1].payload.size(), payload.size());
}

TEST(PcapReader, StopsAtACorruptRecord_WithoutReadingPastTheEnd) {
  const Bytes capture = PcapLe(1, {{1, Ethernet(Ipv4Udp({1, 2, 3}, 1, 2), 0x0800)},
                                   {2, Ethernet(Ipv4Udp({4, 5, 6}, 1, 2), 0x0800)}});
  // Every truncation of the file: never a crash, at most the whole records before the cut.
  for (size_t size = 0; size < capture.size(); ++size) {
    std::string error;
    auto reader = PcapReader::FromBytes(Bytes(capture.begin(), capture.begin() + size), error);
    if (!reader) {
      EXPECT_FALSE(error.empty());
      continue;
    }
    const auto datagrams = ReadAll(*reader);
    EXPECT_LE(datagrams.size(), 1u) << size;
  }
  // A record claiming more than the file holds.
  Bytes lying = capture;
  lying[24 + 8] = 0xFF;
  lying[24 + 9] = 0xFF;
  std::string error;
  auto reader = PcapReader::FromBytes(lying, error);
  ASSERT_TRUE(reader);
  EXPECT_TRUE(ReadAll(*reader).empty());
  EXPECT_NE(reader->Error().find("claims"), std::string::npos) << reader->Error();
  // Not a capture at all.
  EXPECT_FALSE(PcapReader::FromBytes(Bytes{'v', '=', '0', '\n', 0, 0, 0, 0}, error));
  EXPECT_NE(error.find("not a pcap"), std::string::npos);
}

TEST(PcapReader, OpensAFile_AndNamesItInErrors) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("tributary-pcap-test-" + std::to_string(::getpid()) + ".pcap");
  const Bytes capture = PcapLe(101, {{5, Ipv4Udp({1}, 1, 2)}});
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(capture.data()),
             static_cast<std::streamsize>(capture.size()));
  std::string error;
  auto reader = PcapReader::Open(path.string(), error);
  ASSERT_TRUE(reader) << error;
  EXPECT_EQ(ReadAll(*reader).size(), 1u);
  std::filesystem::remove(path);
  EXPECT_FALSE(PcapReader::Open(path.string(), error));
  EXPECT_NE(error.find(path.string()), std::string::npos);
}

Bytes Rtp(uint16_t seq, uint32_t timestamp, uint32_t ssrc, bool marker, uint8_t fill,
          bool extension = false) {
  Bytes out = {uint8_t(0x80 | (extension ? 0x10 : 0)), uint8_t((marker ? 0x80 : 0) | 100)};
  Be16(out, seq);
  Be32(out, timestamp);
  Be32(out, ssrc);
  if (extension) Append(out, {0xBE, 0xDE, 0x00, 0x01, 0x10, 0xAB, 0x00, 0x00});
  for (int i = 0; i < 20; ++i)
    out.push_back(fill);
  return out;
}

TEST(PcapReplaySource, ReplaysTheLargestStreamRetimedAndRenumbered_AndLoops) {
  std::vector<std::pair<uint64_t, Bytes>> frames;
  // Stream 0xAAAA: 4 packets over 60 ms, seq 65534..1 with one reordered; 0xBBBB: 1 packet;
  // RTCP and STUN that must be skipped.
  frames.push_back({1'000'000, Ipv4Udp(Rtp(65534, 1000, 0xAAAA, false, 1, true), 1, 2)});
  frames.push_back({1'020'000, Ipv4Udp(Rtp(0, 4000, 0xAAAA, true, 3), 1, 2)});
  frames.push_back({1'021'000, Ipv4Udp(Rtp(65535, 1000, 0xAAAA, false, 2), 1, 2)});
  frames.push_back({1'030'000, Ipv4Udp(Rtp(7, 1, 0xBBBB, false, 9), 1, 2)});
  frames.push_back({1'040'000, Ipv4Udp({0x80, 200, 0, 6, 0, 0, 0xAA, 0xAA, 0, 0, 0, 0}, 1, 2)});
  frames.push_back({1'050'000, Ipv4Udp({0, 1, 0, 0, 0x21, 0x12, 0xA4, 0x42, 0, 0, 0, 0}, 1, 2)});
  frames.push_back({1'060'000, Ipv4Udp(Rtp(1, 7000, 0xAAAA, true, 4), 1, 2)});
  std::string error;
  auto reader = PcapReader::FromBytes(PcapLe(101, frames), error);
  ASSERT_TRUE(reader) << error;
  PcapReplayOptions options;
  options.ssrc = 0x5555;
  options.payload_type = 96;
  options.first_sequence_number = 100;
  options.first_timestamp = 50;
  auto replay = PcapReplaySource::Load(*reader, options, error);
  ASSERT_TRUE(replay) << error;
  EXPECT_EQ(replay->SourceSsrc(), 0xAAAAu);
  EXPECT_EQ(replay->SourcePayloadType(), 100);
  EXPECT_EQ(replay->PacketCount(), 4u);
  EXPECT_EQ(replay->DurationUs(), 60'000u);

  struct Out {
    uint64_t at;
    uint16_t seq;
    uint32_t ts;
    bool marker;
    size_t size;
  };
  std::vector<Out> out;
  for (uint64_t t = 0; t <= 200'000; t += 1000) {
    replay->Generate(10'000'000 + t, [&](const SyntheticPacket& p) {
      const auto rtp = rtc::RtpPacket::Parse(p.rtp);
      ASSERT_TRUE(rtp);
      EXPECT_EQ(rtp->Ssrc(), 0x5555u);
      EXPECT_EQ(rtp->PayloadType(), 96);
      EXPECT_FALSE(rtp->HasExtensions());
      out.push_back({t, rtp->SequenceNumber(), rtp->Timestamp(), rtp->Marker(), rtp->Size()});
    });
  }
  ASSERT_GE(out.size(), 8u);
  EXPECT_EQ(out[0].at, 0u);
  EXPECT_EQ(out[0].seq, 100);
  EXPECT_EQ(out[1].at, 20'000u);
  EXPECT_EQ(out[1].seq, 102);  // the capture's order and gaps kept
  EXPECT_TRUE(out[1].marker);
  EXPECT_EQ(out[1].ts, 50u + 3000);
  EXPECT_EQ(out[2].seq, 101);
  EXPECT_EQ(out[3].at, 60'000u);
  EXPECT_EQ(out[3].seq, 103);
  EXPECT_EQ(out[0].size, 32u);  // 12-byte header and the payload, no extension
  // The second loop starts 33 ms after the end and numbers on.
  EXPECT_EQ(out[4].at, 93'000u);
  EXPECT_EQ(out[4].seq, 104);
  EXPECT_EQ(out[4].ts, 50u + 6000 + 2970);
  EXPECT_EQ(replay->GetCounters().loops, 2u);
}

TEST(PcapReplaySource, SaysWhenTheCaptureHoldsNoRtp) {
  std::string error;
  auto reader = PcapReader::FromBytes(PcapLe(101, {{1, Ipv4Udp({1, 2, 3}, 1, 2)}}), error);
  ASSERT_TRUE(reader);
  EXPECT_FALSE(PcapReplaySource::Load(*reader, {}, error));
  EXPECT_EQ(error, "the capture holds no RTP packet");
}

}  // namespace
}  // namespace tributary::testmedia

namespace tributary::testmedia {
namespace {

// A capture of real VP8 (libvpx through aiortc; tests/integration/data/make_aiortc_vp8_pcap.py).
TEST(PcapReplaySource, ReplaysRealVp8FromACapture_WithItsKeyframes) {
  std::string error;
  auto reader = PcapReader::Open(
      std::string(TRIBUTARY_SOURCE_DIR) + "/tests/integration/data/aiortc-vp8.pcap", error);
  ASSERT_TRUE(reader) << error;
  PcapReplayOptions options;
  options.ssrc = 42;
  options.loop = false;
  auto replay = PcapReplaySource::Load(*reader, options, error);
  ASSERT_TRUE(replay) << error;
  EXPECT_EQ(replay->SourceSsrc(), 0x1234ABCDu);
  EXPECT_EQ(replay->SourcePayloadType(), 100);
  EXPECT_EQ(replay->PacketCount(), 115u);
  EXPECT_NEAR(static_cast<double>(replay->DurationUs()), 59 * 33'333.0, 1000);
  EXPECT_EQ(reader->GetCounters().udp, 116u);  // and the RTCP sender report

  size_t keyframes = 0, packets = 0;
  uint16_t last_seq = 0;
  for (uint64_t t = 0; t <= 3'000'000 && !replay->Finished(); t += 10'000) {
    replay->Generate(t, [&](const SyntheticPacket& p) {
      const auto rtp = rtc::RtpPacket::Parse(p.rtp);
      ASSERT_TRUE(rtp);
      if (packets > 0) {
        EXPECT_EQ(rtp->SequenceNumber(), static_cast<uint16_t>(last_seq + 1));
      }
      last_seq = rtp->SequenceNumber();
      keyframes += rtc::codecs::Vp8::IsKeyframe(rtp->Payload());
      ++packets;
    });
  }
  EXPECT_EQ(packets, 115u);
  EXPECT_EQ(keyframes, 4u);  // frames 0, 15, 30, 45
  EXPECT_TRUE(replay->Finished());
}

}  // namespace
}  // namespace tributary::testmedia
