#include "testmedia/PcapReplaySource.h"

#include <map>

#include "rtc/RtpPacket.h"
#include "rtc/RtpPacketBuilder.h"

namespace tributary::testmedia {

namespace {

constexpr uint64_t kLoopGapUs = 33000;  // between the last packet and the first of the next loop

}  // namespace

std::optional<PcapReplaySource> PcapReplaySource::Load(PcapReader& reader, Options options,
                                                       std::string& error) {
  struct Captured {
    uint64_t time_us;
    std::vector<uint8_t> bytes;
  };
  std::map<uint32_t, std::vector<Captured>> streams;
  PcapDatagram datagram;
  while (reader.Next(datagram)) {
    if (!rtc::RtpPacket::IsRtp(datagram.payload)) continue;
    const auto rtp = rtc::RtpPacket::Parse(datagram.payload);
    if (!rtp) continue;
    if (options.source_ssrc && rtp->Ssrc() != *options.source_ssrc) continue;
    streams[rtp->Ssrc()].push_back(
        {datagram.time_us, {datagram.payload.begin(), datagram.payload.end()}});
  }
  if (!reader.Error().empty()) {
    error = "the capture is corrupt: " + reader.Error();
    return std::nullopt;
  }
  if (streams.empty()) {
    error = options.source_ssrc
                ? "the capture holds no RTP packet of SSRC " + std::to_string(*options.source_ssrc)
                : "the capture holds no RTP packet";
    return std::nullopt;
  }
  auto largest = streams.begin();
  for (auto it = streams.begin(); it != streams.end(); ++it) {
    if (it->second.size() > largest->second.size()) largest = it;
  }

  PcapReplaySource source(options);
  source.source_ssrc_ = largest->first;
  const auto& captured = largest->second;
  const auto first = *rtc::RtpPacket::Parse(captured.front().bytes);
  source.source_payload_type_ = first.PayloadType();
  const uint64_t first_time = captured.front().time_us;
  int32_t unwrapped = 0;
  uint16_t last_seq = first.SequenceNumber();
  size_t largest_payload = 0;
  for (const Captured& c : captured) {
    const auto rtp = *rtc::RtpPacket::Parse(c.bytes);
    unwrapped += static_cast<int16_t>(static_cast<uint16_t>(rtp.SequenceNumber() - last_seq));
    last_seq = rtp.SequenceNumber();
    Packet packet;
    packet.offset_us = c.time_us >= first_time ? c.time_us - first_time : 0;
    if (!source.packets_.empty() && packet.offset_us < source.packets_.back().offset_us) {
      packet.offset_us = source.packets_.back().offset_us;  // a capture clock that stepped back
    }
    packet.seq_delta = unwrapped;
    packet.ts_delta = rtp.Timestamp() - first.Timestamp();
    packet.marker = rtp.Marker();
    packet.payload_offset = source.payloads_.size();
    packet.payload_size = rtp.Payload().size();
    source.payloads_.insert(source.payloads_.end(), rtp.Payload().begin(), rtp.Payload().end());
    largest_payload = std::max(largest_payload, packet.payload_size);
    source.seq_span_ = std::max(source.seq_span_, unwrapped + 1);
    if (static_cast<int32_t>(packet.ts_delta) > static_cast<int32_t>(source.ts_span_)) {
      source.ts_span_ = packet.ts_delta;
    }
    source.packets_.push_back(packet);
  }
  source.packet_.resize(largest_payload + SyntheticVideoSource::kRtpHeaderSize + 16);
  return source;
}

void PcapReplaySource::StartOver() {
  next_ = 0;
  ++counters_.loops;
  loop_offset_us_ += DurationUs() + kLoopGapUs;
  loop_seq_ += static_cast<uint32_t>(seq_span_);
  loop_ts_ += ts_span_ + static_cast<uint32_t>(options_.clock_rate * kLoopGapUs / 1000000);
}

SyntheticPacket PcapReplaySource::BuildPacket(const Packet& packet) {
  const uint16_t seq = static_cast<uint16_t>(options_.first_sequence_number + loop_seq_ +
                                             static_cast<uint32_t>(packet.seq_delta));
  const uint32_t timestamp = options_.first_timestamp + loop_ts_ + packet.ts_delta;
  rtc::RtpPacketBuilder builder(packet_);
  builder.SetMarker(packet.marker);
  builder.SetPayloadType(options_.payload_type);
  builder.SetSequenceNumber(seq);
  builder.SetTimestamp(timestamp);
  builder.SetSsrc(options_.ssrc);
  const size_t written = builder.Finish(
      std::span<const uint8_t>(payloads_).subspan(packet.payload_offset, packet.payload_size));
  SyntheticPacket out;
  out.rtp = std::span<const uint8_t>(packet_).first(written);
  out.sequence_number = seq;
  out.timestamp = timestamp;
  out.marker = packet.marker;
  ++counters_.packets;
  counters_.bytes += written;
  return out;
}

}  // namespace tributary::testmedia
