#pragma once

// What a viewer of a synthetic stream (ProbePayload) measured, for tributary-whep and load
// generators: per track, the packets delivered by the ingest path (after NACK recovery), the
// probe counters they carry, and from those loss, late arrivals, duplicates and latency; the
// RTP sequence numbers the server sent, and their gaps; time from the request to the first
// packet and the first keyframe.
//
//   loss        counters never received, between the lowest and highest counter received
//               of each publisher (a reconnecting publisher counts from 0 again, under a new
//               publisher id). Packets the server legitimately skips before a viewer's first
//               keyframe lie below the lowest counter and are not counted.
//   seq gaps    extended RTP sequence numbers never received between the lowest and highest:
//               the server keeps them continuous across a publisher change, so gaps without
//               counter loss mean the server numbered wrong.
//   late        a packet with a lower sequence number than one already delivered: recovered
//               by a retransmission, or reordered on the way (the caller, who knows how many
//               were recovered, tells them apart).
//   max gap     the longest time without a delivery between the first and the last one
//               (a failover's interruption, as the viewer saw it).
//   latency     arrival wall clock minus the probe's send time, of packets that came in order
//               (late ones are timed separately).
//
// Freeze() closes the measured window: packets newer than those received by then are ignored
// (counted as after_window) while retransmissions of older ones still count, so that a viewer
// can stop, wait for the last recoveries, and report. One thread.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include <nlohmann/json.hpp>

#include "testmedia/ProbePayload.h"
#include "testmedia/SeenSet.h"

namespace tributary::testmedia {

class ViewerStats {
 public:
  enum class Track { kAudio, kVideo };

  struct Percentiles {
    uint64_t count = 0;
    double p50_ms = 0;
    double p99_ms = 0;
    double max_ms = 0;
    double mean_ms = 0;
  };

  struct PublisherReport {
    uint32_t id = 0;
    int64_t first_counter = 0;
    int64_t last_counter = 0;
    uint64_t unique = 0;
    uint64_t lost = 0;
  };

  struct TrackReport {
    uint64_t packets = 0;  // delivered by the ingest path (first arrivals and recoveries)
    uint64_t unique = 0;   // distinct probe counters (over all publishers)
    uint64_t lost = 0;
    uint64_t late = 0;  // after a packet with a higher sequence number
    uint64_t duplicates = 0;
    uint64_t corrupt = 0;   // a probe whose filler bytes were wrong
    uint64_t unprobed = 0;  // not one of our payloads (a replayed capture)
    uint64_t keyframes = 0;
    uint64_t after_window = 0;
    uint64_t out_of_range = 0;  // numbers too far from the others to track
    int64_t seq_first = 0;
    int64_t seq_last = 0;
    uint64_t seq_unique = 0;
    uint64_t seq_gaps = 0;
    std::vector<PublisherReport> publishers;
    Percentiles latency;
    Percentiles late_latency;
    std::optional<double> first_packet_ms;    // since the start
    std::optional<double> first_keyframe_ms;  // since the start
    // The longest silence: time between two consecutive deliveries (an interruption).
    double max_gap_ms = 0;
  };

  // `start_us`: monotonic time the session request went out, for the first-packet times.
  explicit ViewerStats(uint64_t start_us = 0) : start_us_(start_us) {}

  void SetStart(uint64_t start_us) { start_us_ = start_us; }
  // Every RTP datagram that arrived, before anything else looks at it; `dropped` when the
  // viewer threw it away on purpose (simulated loss).
  void OnRtpArrived(uint64_t now_us, bool dropped);
  // A packet the ingest path delivered (media, or recovered from a retransmission): its
  // extended sequence number, whether it starts a keyframe, and its payload.
  void OnMediaPacket(Track track, int64_t extended_seq, bool keyframe,
                     std::span<const uint8_t> payload, uint64_t now_us, uint64_t wall_us);
  void Freeze();
  bool Frozen() const { return frozen_; }

  uint64_t RtpArrived() const { return rtp_arrived_; }
  uint64_t RtpDropped() const { return rtp_dropped_; }
  std::optional<double> FirstRtpMs() const { return first_rtp_ms_; }
  uint64_t MediaPackets() const;

  TrackReport Report(Track track) const;
  nlohmann::json TrackJson(Track track) const;
  // {"rtp_arrived", "rtp_dropped", "first_rtp_ms", "video": {...}, "audio": {...}}; a track
  // that received nothing is left out.
  nlohmann::json ToJson() const;

  static Percentiles ComputePercentiles(std::vector<uint32_t> samples_us);

 private:
  struct Publisher {
    uint32_t id = 0;
    SeenSet counters;
    std::optional<int64_t> frozen_max;
  };
  struct TrackState {
    TrackReport counts;
    SeenSet seqs;
    std::optional<int64_t> frozen_seq_max;
    std::vector<Publisher> publishers;
    std::vector<uint32_t> latency_us;
    std::vector<uint32_t> late_latency_us;
    uint64_t last_delivery_us = 0;  // 0: nothing delivered yet
  };

  TrackState& State(Track track) { return track == Track::kVideo ? video_ : audio_; }
  const TrackState& State(Track track) const { return track == Track::kVideo ? video_ : audio_; }
  double SinceStartMs(uint64_t now_us) const;
  Publisher* FindPublisher(TrackState& state, uint32_t id, bool create);

  uint64_t start_us_;
  bool frozen_ = false;
  uint64_t rtp_arrived_ = 0;
  uint64_t rtp_dropped_ = 0;
  std::optional<double> first_rtp_ms_;
  TrackState video_;
  TrackState audio_;
};

}  // namespace tributary::testmedia
