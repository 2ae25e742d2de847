#include "testmedia/SyntheticVideoSource.h"

#include <cmath>
#include <stdexcept>
#include <string>

#include "rtc/RtpPacketBuilder.h"

namespace tributary::testmedia {

SyntheticVideoSource::SyntheticVideoSource(Options options)
    : options_(options), sequence_number_(options.first_sequence_number) {
  min_packet_ = kRtpHeaderSize + ProbePayload::MinVp8Payload(true, true);
  if (options_.packet_size < min_packet_ || options_.packet_size > 1500) {
    throw std::invalid_argument("packet size must be " + std::to_string(min_packet_) +
                                "..1500 bytes");
  }
  if (!(options_.fps > 0 && options_.fps <= 240)) {
    throw std::invalid_argument("fps must be above 0 and at most 240");
  }
  if (options_.bitrate_bps == 0) throw std::invalid_argument("bitrate must be above 0");
  frame_bytes_ =
      static_cast<size_t>(static_cast<double>(options_.bitrate_bps) / 8.0 / options_.fps);
  if (frame_bytes_ < min_packet_) frame_bytes_ = min_packet_;
  payload_.resize(options_.packet_size);
  packet_.resize(options_.packet_size + 64);
}

void SyntheticVideoSource::RequestKeyframe() {
  ++counters_.keyframe_requests;
  keyframe_requested_ = true;
}

uint64_t SyntheticVideoSource::FrameTimeUs(uint64_t frame) const {
  return start_us_ +
         static_cast<uint64_t>(std::llround(static_cast<double>(frame) * 1e6 / options_.fps));
}

uint64_t SyntheticVideoSource::DueFrame(uint64_t now_us) const {
  if (now_us < start_us_) return 0;
  return static_cast<uint64_t>(static_cast<double>(now_us - start_us_) * options_.fps / 1e6);
}

void SyntheticVideoSource::BeginFrame() {
  const uint64_t frame_us = FrameTimeUs(next_frame_);
  frame_keyframe_ =
      keyframe_requested_ || (options_.keyframe_interval_ms != 0 &&
                              frame_us - last_keyframe_us_ >= options_.keyframe_interval_ms * 1000);
  if (frame_keyframe_) {
    keyframe_requested_ = false;
    last_keyframe_us_ = frame_us;
    ++counters_.keyframes;
  }
  ++counters_.frames;
  frame_timestamp_ = options_.first_timestamp +
                     static_cast<uint32_t>(static_cast<uint64_t>(std::llround(
                         static_cast<double>(next_frame_) * kClockRate / options_.fps)));
  const size_t bytes = frame_keyframe_ ? 2 * frame_bytes_ : frame_bytes_;
  frame_packet_count_ = (bytes + options_.packet_size - 1) / options_.packet_size;
  frame_last_size_ = bytes - (frame_packet_count_ - 1) * options_.packet_size;
  if (frame_last_size_ < min_packet_) frame_last_size_ = min_packet_;
}

SyntheticPacket SyntheticVideoSource::BuildPacket(size_t index, uint64_t wall_us) {
  const bool last = index + 1 == frame_packet_count_;
  const size_t size = last ? frame_last_size_ : options_.packet_size;
  ProbeInfo info;
  info.publisher = options_.publisher;
  info.counter = counter_++;
  info.frame = static_cast<uint32_t>(next_frame_);
  info.send_time_us = wall_us;
  info.keyframe = frame_keyframe_;
  info.frame_start = index == 0;
  info.frame_end = last;
  const size_t payload_size = size - kRtpHeaderSize;
  ProbePayload::WriteVp8(std::span<uint8_t>(payload_).first(payload_size), info);

  rtc::RtpPacketBuilder builder(packet_);
  builder.SetMarker(last);
  builder.SetPayloadType(options_.payload_type);
  builder.SetSequenceNumber(sequence_number_);
  builder.SetTimestamp(frame_timestamp_);
  builder.SetSsrc(options_.ssrc);
  const size_t written = builder.Finish(std::span<const uint8_t>(payload_).first(payload_size));

  SyntheticPacket packet;
  packet.rtp = std::span<const uint8_t>(packet_).first(written);
  packet.info = info;
  packet.sequence_number = sequence_number_++;
  packet.timestamp = frame_timestamp_;
  packet.marker = last;
  ++counters_.packets;
  counters_.bytes += written;
  return packet;
}

}  // namespace tributary::testmedia
