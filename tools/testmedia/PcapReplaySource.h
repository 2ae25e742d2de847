#pragma once

// Replays the RTP packets of one stream from a capture (PcapReader): the UDP payloads that parse
// as RTP, of one SSRC (given, or the one with the most packets), sent again with our SSRC and
// payload type, sequence numbers and timestamps moved to our bases (their differences kept, so
// the capture's own gaps and reordering stay), at the capture's pace from the first Generate().
// CSRCs, header extensions and padding are not carried over. At the end of the capture it starts
// again (when looping), numbering on from where it stopped. Keyframes are whatever the capture
// holds. One thread.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "testmedia/PcapReader.h"
#include "testmedia/SyntheticVideoSource.h"

namespace tributary::testmedia {

struct PcapReplayOptions {
  std::optional<uint32_t> source_ssrc;  // the capture's stream to replay; default: the largest
  uint8_t payload_type = 96;
  uint32_t ssrc = 0;
  uint16_t first_sequence_number = 0;
  uint32_t first_timestamp = 0;
  bool loop = true;
  uint32_t clock_rate = 90000;  // to space the loops' timestamps
};

class PcapReplaySource {
 public:
  using Options = PcapReplayOptions;

  struct Counters {
    uint64_t packets = 0;
    uint64_t bytes = 0;
    uint64_t loops = 0;  // times the capture started over
  };

  // Reads every datagram of `reader`. nullopt, with `error` set, when the capture holds no RTP
  // (of the requested SSRC).
  static std::optional<PcapReplaySource> Load(PcapReader& reader, Options options,
                                              std::string& error);

  // Emits every packet due by now_us (monotonic). Returns when the next one is due, or
  // UINT64_MAX at the end of a capture that does not loop.
  template <typename Emit>
  uint64_t Generate(uint64_t now_us, Emit&& emit) {
    if (!started_) {
      started_ = true;
      start_us_ = now_us;
    }
    for (;;) {
      if (next_ == packets_.size()) {
        if (!options_.loop) return UINT64_MAX;
        StartOver();
      }
      const uint64_t due = start_us_ + loop_offset_us_ + packets_[next_].offset_us;
      if (due > now_us) return due;
      emit(BuildPacket(packets_[next_]));
      ++next_;
    }
  }

  bool Finished() const { return !options_.loop && next_ == packets_.size(); }
  uint32_t SourceSsrc() const { return source_ssrc_; }
  uint8_t SourcePayloadType() const { return source_payload_type_; }
  size_t PacketCount() const { return packets_.size(); }
  uint64_t DurationUs() const { return packets_.empty() ? 0 : packets_.back().offset_us; }
  const Counters& GetCounters() const { return counters_; }

 private:
  struct Packet {
    uint64_t offset_us = 0;  // since the stream's first packet
    int32_t seq_delta = 0;   // from the first packet's, unwrapped
    uint32_t ts_delta = 0;   // from the first packet's
    bool marker = false;
    size_t payload_offset = 0;  // in payloads_
    size_t payload_size = 0;
  };

  explicit PcapReplaySource(Options options) : options_(options) {}
  void StartOver();
  SyntheticPacket BuildPacket(const Packet& packet);

  Options options_;
  std::vector<Packet> packets_;
  std::vector<uint8_t> payloads_;
  uint32_t source_ssrc_ = 0;
  uint8_t source_payload_type_ = 0;
  int32_t seq_span_ = 0;  // highest seq_delta + 1
  uint32_t ts_span_ = 0;  // highest ts_delta

  bool started_ = false;
  uint64_t start_us_ = 0;
  size_t next_ = 0;
  uint64_t loop_offset_us_ = 0;
  uint32_t loop_seq_ = 0;
  uint32_t loop_ts_ = 0;
  std::vector<uint8_t> packet_;
  Counters counters_;
};

}  // namespace tributary::testmedia
