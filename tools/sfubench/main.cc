// tributary-sfubench: what the media routing layer costs per delivered packet, without crypto
// or sockets. One VP8 producer on a Stream, N consumers with their own payload types, SSRCs and
// extension ids; every packet is received once (copied into a pooled buffer, parsed, cached,
// NACK-tracked) and rewritten + copied into a send slot once per consumer, as on a worker. The
// send slots are a ring shared by all consumers, like one socket's send queue.
//
// Reported in nanoseconds of this thread's CPU time: the producer's receive path per packet
// (measured with no consumer), the whole path per delivered packet, and the consumers' part per
// delivered packet (the difference): the rewrite + copy figure of PERF.md's budget.
//
//   tributary-sfubench                              100 consumers, 1200-byte packets
//   tributary-sfubench --consumers 1,10,1000 --json

#include <time.h>

#include <CLI/CLI.hpp>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "base/ByteIo.h"
#include "base/PacketBufferPool.h"
#include "base/Random.h"
#include "rtc/RtpExtensionKind.h"
#include "rtc/RtpExtensionValue.h"
#include "rtc/RtpPacket.h"
#include "rtc/RtpPacketBuilder.h"
#include "sfu/Consumer.h"
#include "sfu/Producer.h"
#include "sfu/RtcpSink.h"
#include "sfu/RtpSender.h"
#include "sfu/Stream.h"

namespace {

using namespace tributary;

uint64_t ThreadCpuNs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000ull + static_cast<uint64_t>(ts.tv_nsec);
}

// A socket's send queue without the socket: a ring of slots that CommitSend moves along.
class SlotRing : public sfu::RtpSender {
 public:
  static constexpr size_t kSlots = 256;
  static constexpr size_t kSlotSize = 1500;

  SlotRing() : bytes_(kSlots * kSlotSize) {}
  std::span<uint8_t> PrepareSend() override {
    return {bytes_.data() + next_ * kSlotSize, kSlotSize};
  }
  bool CommitSend(size_t size) override {
    committed_bytes_ += size;
    next_ = (next_ + 1) % kSlots;
    ++committed_;
    return true;
  }
  uint64_t Committed() const { return committed_; }

 private:
  std::vector<uint8_t> bytes_;
  size_t next_ = 0;
  uint64_t committed_ = 0;
  uint64_t committed_bytes_ = 0;
};

class NullRtcp : public sfu::RtcpSink {
 public:
  void SendRtcp(std::span<const uint8_t>) override {}
};

class NullEvents : public sfu::Stream::Listener {
 public:
  void OnStreamLive(sfu::Stream&) override {}
  void OnStreamSourceLost(sfu::Stream&) override {}
  void OnStreamEnded(sfu::Stream&) override {}
  void OnStreamConsumerCountChanged(sfu::Stream&, size_t) override {}
};

sfu::RtpHeaderExtensionParameters Extension(uint8_t id, rtc::RtpExtensionKind kind) {
  return {id, std::string(rtc::RtpExtensionUri(kind))};
}

sfu::RtpCodecParameters Vp8(uint8_t pt, uint8_t rtx_pt) {
  sfu::RtpCodecParameters codec;
  codec.codec = rtc::codecs::CodecKind::kVp8;
  codec.name = "VP8";
  codec.payload_type = pt;
  codec.clock_rate = 90000;
  codec.rtx_payload_type = rtx_pt;
  codec.feedback = {true, true, true, true, true};
  return codec;
}

// A publisher as Chrome is one: mid, abs-send-time, transport-cc; PT 96 with RTX 97.
sfu::ProducerParameters Publisher() {
  sfu::ProducerParameters params;
  params.kind = rtc::MediaKind::kVideo;
  params.mid = "0";
  params.codecs.push_back(Vp8(96, 97));
  params.ssrc = 0x11223344;
  params.rtx_ssrc = 0x55667788;
  params.extensions = {Extension(1, rtc::RtpExtensionKind::kMid),
                       Extension(2, rtc::RtpExtensionKind::kAbsSendTime),
                       Extension(3, rtc::RtpExtensionKind::kTransportWideCc)};
  params.rtcp_reduced_size = true;
  return params;
}

// Viewers alternate between the publisher's ids and other ones, so both kinds of mapping run.
sfu::ConsumerParameters Viewer(size_t i) {
  sfu::ConsumerParameters params;
  params.kind = rtc::MediaKind::kVideo;
  params.mid = i % 2 == 0 ? "0" : "video";
  params.codecs.push_back(Vp8(i % 2 == 0 ? 96 : 100, i % 2 == 0 ? 97 : 101));
  params.ssrc = 0x10000000u + static_cast<uint32_t>(i);
  params.rtx_ssrc = 0x20000000u + static_cast<uint32_t>(i);
  if (i % 2 == 0) {
    params.extensions = {Extension(1, rtc::RtpExtensionKind::kMid),
                         Extension(2, rtc::RtpExtensionKind::kAbsSendTime)};
  } else {
    params.extensions = {Extension(4, rtc::RtpExtensionKind::kMid),
                         Extension(9, rtc::RtpExtensionKind::kAbsSendTime)};
  }
  params.cname = "bench";
  return params;
}

// An RTP packet of `size` bytes: the extensions, then a VP8 payload (a keyframe's first
// packet when asked, so that the consumers start forwarding), random bytes after it.
std::vector<uint8_t> Packet(size_t size, uint16_t seq, uint32_t timestamp, bool keyframe) {
  std::vector<uint8_t> payload(size);
  base::RandomBytes(payload);
  // VP8 descriptor (S=1, PID 0) then a frame tag: P=0 and the start code for a keyframe.
  payload[0] = 0x10;
  payload[1] = keyframe ? 0x50 : 0x51;
  payload[4] = 0x9d;
  payload[5] = 0x01;
  payload[6] = 0x2a;
  std::vector<uint8_t> out(size + 64);
  rtc::RtpPacketBuilder builder(out);
  builder.SetPayloadType(96);
  builder.SetSequenceNumber(seq);
  builder.SetTimestamp(timestamp);
  builder.SetSsrc(0x11223344);
  builder.AddExtension(1, rtc::RtpExtensionValue::EncodeSdesString("0"));
  builder.AddExtension(2, rtc::RtpExtensionValue::EncodeAbsSendTime(0x123456));
  builder.AddExtension(3, rtc::RtpExtensionValue::EncodeTransportWideSeq(seq));
  const size_t header = 12 + 4 + 12;  // fixed header, extension word, 3 elements padded
  payload.resize(size > header ? size - header : 1);
  out.resize(builder.Finish(payload));
  return out;
}

struct Result {
  size_t consumers = 0;
  uint64_t packets = 0;
  uint64_t deliveries = 0;
  double cpu_ns_per_packet = 0;    // everything, per received packet
  double cpu_ns_per_delivery = 0;  // everything, per delivered packet
};

// Feeds packets for `seconds` of CPU time. Packets arrive 1 ms apart (synthetic clock), so the
// cache holds its 1000 ms of them, as in a 1000 packet/s stream.
Result Run(size_t consumer_count, size_t size, double seconds) {
  base::PacketBufferPool pool;
  NullEvents events;
  NullRtcp rtcp;
  sfu::Stream stream({"bench", "live", "stream"}, pool, events);
  sfu::Producer& producer = stream.AttachSource(Publisher(), &rtcp, 0);
  SlotRing ring;
  std::vector<std::unique_ptr<sfu::Consumer>> consumers;
  for (size_t i = 0; i < consumer_count; ++i) {
    consumers.push_back(std::make_unique<sfu::Consumer>(Viewer(i), ring, rtcp, stream));
    stream.AttachConsumer(producer, *consumers.back(), 0);
  }
  // Packet templates: one keyframe, then deltas whose numbers are written per packet.
  const std::vector<uint8_t> keyframe = Packet(size, 0, 0, true);
  std::vector<uint8_t> delta = Packet(size, 1, 3000, false);
  producer.ReceiveRtpPacket(std::span<const uint8_t>(keyframe), 1000);
  uint16_t seq = 1;
  uint64_t arrival_us = 2000;
  auto run = [&](uint64_t count) {
    for (uint64_t i = 0; i < count; ++i) {
      base::Write16(delta.data() + 2, seq);
      base::Write32(delta.data() + 4, seq * 3000u);
      base::Write16(delta.data() + 12 + 4 + 10, seq);  // transport-cc value
      producer.ReceiveRtpPacket(std::span<const uint8_t>(delta), arrival_us);
      ++seq;
      arrival_us += 1000;
      if (seq % 10 == 0) stream.Tick(arrival_us / 1000);
    }
  };
  run(2000);  // warm up: the cache fills to its horizon, buffers come from the pool
  const uint64_t budget = static_cast<uint64_t>(seconds * 1e9);
  const uint64_t delivered_before = ring.Committed();
  Result result;
  result.consumers = consumer_count;
  const uint64_t start = ThreadCpuNs();
  uint64_t cpu = 0;
  const uint64_t batch = consumer_count >= 100 ? 200 : 5000;
  while (cpu < budget) {
    run(batch);
    result.packets += batch;
    cpu = ThreadCpuNs() - start;
  }
  result.deliveries = ring.Committed() - delivered_before;
  result.cpu_ns_per_packet = static_cast<double>(cpu) / static_cast<double>(result.packets);
  if (result.deliveries > 0) {
    result.cpu_ns_per_delivery = static_cast<double>(cpu) / static_cast<double>(result.deliveries);
  }
  for (auto& consumer : consumers)
    stream.DetachConsumer(*consumer);
  return result;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Cost of the media routing layer per delivered RTP packet (no crypto, no socket)"};
  std::vector<size_t> consumer_counts = {100};
  size_t size = 1200;
  double seconds = 1.0;
  bool json = false;
  app.add_option("--consumers", consumer_counts, "consumers of the one producer (a list)")
      ->delimiter(',')
      ->check(CLI::Range(size_t{1}, size_t{100000}));
  app.add_option("--size", size, "RTP packet size in bytes")->check(CLI::Range(64, 1400));
  app.add_option("--seconds", seconds, "CPU seconds per measurement")
      ->check(CLI::Range(0.1, 600.0));
  app.add_flag("--json", json, "print one JSON object instead of a table");
  CLI11_PARSE(app, argc, argv);

  const Result producer_only = Run(0, size, seconds);
  if (json) {
    std::printf("{\"packet_size\":%zu,\"producer_ns_per_packet\":%.1f,\"results\":[", size,
                producer_only.cpu_ns_per_packet);
  } else {
    std::printf("%zu-byte RTP packets, >= %.1f s of CPU time per figure\n", size, seconds);
    std::printf("producer receive path: %.1f ns per packet\n", producer_only.cpu_ns_per_packet);
    std::printf("%10s %16s %18s %20s %16s\n", "consumers", "ns per packet", "ns per delivery",
                "consumer ns/deliv.", "deliveries/s");
  }
  bool first = true;
  for (const size_t count : consumer_counts) {
    const Result r = Run(count, size, seconds);
    const double consumer_ns =
        (r.cpu_ns_per_packet - producer_only.cpu_ns_per_packet) / static_cast<double>(count);
    if (json) {
      std::printf(
          "%s{\"consumers\":%zu,\"packets\":%llu,\"deliveries\":%llu,\"cpu_ns_per_packet\":%.1f,"
          "\"cpu_ns_per_delivery\":%.1f,\"consumer_ns_per_delivery\":%.1f}",
          first ? "" : ",", count, static_cast<unsigned long long>(r.packets),
          static_cast<unsigned long long>(r.deliveries), r.cpu_ns_per_packet, r.cpu_ns_per_delivery,
          consumer_ns);
    } else {
      std::printf("%10zu %16.1f %18.1f %20.1f %16.0f\n", count, r.cpu_ns_per_packet,
                  r.cpu_ns_per_delivery, consumer_ns, 1e9 / r.cpu_ns_per_delivery);
    }
    std::fflush(stdout);
    first = false;
  }
  if (json) std::printf("]}\n");
  return 0;
}
