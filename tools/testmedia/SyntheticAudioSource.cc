#include "testmedia/SyntheticAudioSource.h"

#include <stdexcept>
#include <string>

#include "rtc/RtpPacketBuilder.h"

namespace tributary::testmedia {

SyntheticAudioSource::SyntheticAudioSource(Options options)
    : options_(options), sequence_number_(options.first_sequence_number) {
  const size_t min = SyntheticVideoSource::kRtpHeaderSize + ProbePayload::kMinOpusPayload;
  if (options_.packet_size < min || options_.packet_size > 1500) {
    throw std::invalid_argument("audio packet size must be " + std::to_string(min) +
                                "..1500 bytes");
  }
  payload_.resize(options_.packet_size);
  packet_.resize(options_.packet_size + 64);
}

SyntheticPacket SyntheticAudioSource::BuildPacket(uint64_t wall_us) {
  ProbeInfo info;
  info.publisher = options_.publisher;
  info.counter = static_cast<uint32_t>(next_);
  info.frame = static_cast<uint32_t>(next_);
  info.send_time_us = wall_us;
  info.audio = true;
  info.keyframe = true;
  info.frame_start = true;
  info.frame_end = true;
  const size_t payload_size = options_.packet_size - SyntheticVideoSource::kRtpHeaderSize;
  ProbePayload::WriteOpus(std::span<uint8_t>(payload_).first(payload_size), info);

  const uint32_t timestamp =
      options_.first_timestamp + static_cast<uint32_t>(next_ * kTicksPerPacket);
  rtc::RtpPacketBuilder builder(packet_);
  builder.SetMarker(next_ == 0);
  builder.SetPayloadType(options_.payload_type);
  builder.SetSequenceNumber(sequence_number_);
  builder.SetTimestamp(timestamp);
  builder.SetSsrc(options_.ssrc);
  const size_t written = builder.Finish(std::span<const uint8_t>(payload_).first(payload_size));

  SyntheticPacket packet;
  packet.rtp = std::span<const uint8_t>(packet_).first(written);
  packet.info = info;
  packet.sequence_number = sequence_number_++;
  packet.timestamp = timestamp;
  packet.marker = next_ == 0;
  ++counters_.packets;
  counters_.bytes += written;
  return packet;
}

}  // namespace tributary::testmedia
