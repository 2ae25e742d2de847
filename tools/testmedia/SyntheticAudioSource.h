#pragma once

// A synthetic Opus-like audio track: one packet every 20 ms (960 ticks of 48 kHz), a TOC byte
// then a probe (ProbePayload) and filler up to the packet size. Every audio packet decodes on
// its own, so there are no keyframes. Paced like SyntheticVideoSource (packet i is due at
// start + 20 ms * i, at most kMaxLatePackets caught up). One thread.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "testmedia/SyntheticVideoSource.h"

namespace tributary::testmedia {

struct SyntheticAudioOptions {
  size_t packet_size = 172;  // RTP header + 160 bytes: 64 kbit/s of payload
  uint8_t payload_type = 111;
  uint32_t ssrc = 0;
  uint32_t publisher = 0;
  uint16_t first_sequence_number = 0;
  uint32_t first_timestamp = 0;
};

class SyntheticAudioSource {
 public:
  using Options = SyntheticAudioOptions;
  static constexpr uint32_t kClockRate = 48000;
  static constexpr uint64_t kPacketUs = 20000;
  static constexpr uint32_t kTicksPerPacket = 960;
  static constexpr uint64_t kMaxLatePackets = 5;

  struct Counters {
    uint64_t packets = 0;
    uint64_t bytes = 0;
    uint64_t skipped_packets = 0;
  };

  // Throws std::invalid_argument when packet_size cannot hold a probe (or exceeds 1500).
  explicit SyntheticAudioSource(Options options);

  template <typename Emit>
  uint64_t Generate(uint64_t now_us, uint64_t wall_us, Emit&& emit) {
    if (!started_) {
      started_ = true;
      start_us_ = now_us;
    }
    const uint64_t due = (now_us - start_us_) / kPacketUs;
    if (due > next_ + kMaxLatePackets) {
      counters_.skipped_packets += due - next_ - 1;
      next_ = due - 1;
    }
    while (start_us_ + next_ * kPacketUs <= now_us) {
      emit(BuildPacket(wall_us));
      ++next_;
    }
    return start_us_ + next_ * kPacketUs;
  }

  const Options& GetOptions() const { return options_; }
  const Counters& GetCounters() const { return counters_; }

 private:
  SyntheticPacket BuildPacket(uint64_t wall_us);

  const Options options_;
  bool started_ = false;
  uint64_t start_us_ = 0;
  uint64_t next_ = 0;
  uint16_t sequence_number_;
  std::vector<uint8_t> payload_;
  std::vector<uint8_t> packet_;
  Counters counters_;
};

}  // namespace tributary::testmedia
