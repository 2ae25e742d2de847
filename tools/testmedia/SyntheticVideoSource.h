#pragma once

// A synthetic VP8 video track for tributary-whip and load generators: frames at a fixed rate,
// sized for a target bitrate, cut into RTP packets of a fixed size whose payloads are probes
// (ProbePayload) a viewer can count and time. Keyframes every keyframe_interval_ms and on
// request (a PLI or FIR from the server), twice the size of other frames.
//
//   SyntheticVideoSource video(options);
//   next_us = video.Generate(now_us, wall_us, [&](const SyntheticPacket& packet) { send(...); });
//
// Frame i is due at start + i / fps (start: the first Generate); every packet of a frame is
// emitted at once, as an encoder without a pacer hands them over. A caller that fell behind by
// more than kMaxLateFrames frames skips the rest (counted) rather than bursting. One thread.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "testmedia/ProbePayload.h"

namespace tributary::testmedia {

// One RTP packet of a synthetic track, in the source's buffer: valid during the callback only.
struct SyntheticPacket {
  std::span<const uint8_t> rtp;
  ProbeInfo info;
  uint16_t sequence_number = 0;
  uint32_t timestamp = 0;
  bool marker = false;
};

struct SyntheticVideoOptions {
  uint64_t bitrate_bps = 1'000'000;
  size_t packet_size = 1200;  // whole RTP packets (12-byte header + payload), except frame ends
  double fps = 30;
  uint64_t keyframe_interval_ms = 2000;  // 0: keyframes only when requested (and the first)
  uint8_t payload_type = 96;
  uint32_t ssrc = 0;
  uint32_t publisher = 0;  // ProbeInfo::publisher
  uint16_t first_sequence_number = 0;
  uint32_t first_timestamp = 0;
};

class SyntheticVideoSource {
 public:
  using Options = SyntheticVideoOptions;
  static constexpr uint32_t kClockRate = 90000;
  static constexpr uint64_t kMaxLateFrames = 5;
  static constexpr size_t kRtpHeaderSize = 12;

  struct Counters {
    uint64_t packets = 0;
    uint64_t bytes = 0;
    uint64_t frames = 0;
    uint64_t keyframes = 0;
    uint64_t keyframe_requests = 0;
    uint64_t skipped_frames = 0;  // the caller fell behind
  };

  // Throws std::invalid_argument when packet_size cannot hold a probe, fps or bitrate is 0.
  explicit SyntheticVideoSource(Options options);

  // Emits every frame due by `now_us` (monotonic microseconds), stamped with `wall_us` (wall
  // clock, for the probes). Returns when the next frame is due (monotonic microseconds).
  template <typename Emit>
  uint64_t Generate(uint64_t now_us, uint64_t wall_us, Emit&& emit) {
    if (!started_) {
      started_ = true;
      start_us_ = now_us;
    }
    if (DueFrame(now_us) > next_frame_ + kMaxLateFrames) {
      const uint64_t skip = DueFrame(now_us) - next_frame_ - 1;
      counters_.skipped_frames += skip;
      next_frame_ += skip;
    }
    while (FrameTimeUs(next_frame_) <= now_us) {
      BeginFrame();
      for (size_t i = 0; i < frame_packet_count_; ++i)
        emit(BuildPacket(i, wall_us));
      ++next_frame_;
    }
    return FrameTimeUs(next_frame_);
  }

  // The next frame is a keyframe.
  void RequestKeyframe();

  const Options& GetOptions() const { return options_; }
  const Counters& GetCounters() const { return counters_; }
  // Bytes of RTP (headers included) of a frame that is not a keyframe.
  size_t FrameBytes() const { return frame_bytes_; }

 private:
  uint64_t FrameTimeUs(uint64_t frame) const;
  uint64_t DueFrame(uint64_t now_us) const;
  void BeginFrame();
  SyntheticPacket BuildPacket(size_t index, uint64_t wall_us);

  const Options options_;
  size_t frame_bytes_ = 0;
  size_t min_packet_ = 0;
  bool started_ = false;
  uint64_t start_us_ = 0;
  uint64_t next_frame_ = 0;
  uint64_t last_keyframe_us_ = 0;
  bool keyframe_requested_ = true;  // the first frame is one

  // The frame being emitted.
  bool frame_keyframe_ = false;
  uint32_t frame_timestamp_ = 0;
  size_t frame_packet_count_ = 0;
  size_t frame_last_size_ = 0;

  uint16_t sequence_number_;
  uint32_t counter_ = 0;
  std::vector<uint8_t> payload_;
  std::vector<uint8_t> packet_;
  Counters counters_;
};

}  // namespace tributary::testmedia
