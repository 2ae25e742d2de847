#pragma once

// Transport-wide congestion control feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01)
// for one ingest transport: records the arrival time of every RTP packet carrying the
// transport-wide sequence number extension, and every `interval_ms` (100 ms; or at once when
// `max_pending` arrivals wait) reports them in rtcp::TransportFeedback packets, so the
// publisher's congestion controller sees what got through and raises its bitrate.
//
// Each feedback run covers the numbers after the previous run up to the highest received;
// numbers in between that did not arrive are reported lost. When the first number of a run is
// missing, the run starts with the last packet of the previous run again (the builder can only
// start at a received packet), so that the loss is still reported; a receiver ignores the
// repeated status. A packet arriving after its number was reported is counted late and left out.
//
// The session layer owns one per publish (or upstream pull) transport, feeds it every RTP packet
// before demultiplexing, and ticks it. No allocation after construction. One thread.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "rtc/RtpPacket.h"
#include "rtc/rtcp/TransportFeedbackBuilder.h"
#include "sfu/RtcpSink.h"
#include "sfu/SeqUnwrapper.h"

namespace tributary::sfu {

struct TransportCcGeneratorOptions {
  uint64_t interval_ms = 100;
  size_t max_packet_size = rtc::rtcp::TransportFeedbackBuilder::kMaxPacketSize;
  size_t max_pending = 1024;  // about what one 1200-byte feedback packet holds
};

class TransportCcGenerator {
 public:
  using Options = TransportCcGeneratorOptions;

  struct Counters {
    uint64_t packets = 0;       // arrivals recorded
    uint64_t late = 0;          // arrived after their number was reported
    uint64_t duplicates = 0;    // a number recorded twice in one run
    uint64_t no_extension = 0;  // RTP packets without the extension (or a malformed value)
    uint64_t feedback_packets = 0;
  };

  // `sender_ssrc`: ours, in the RTCP we send on this transport.
  TransportCcGenerator(RtcpSink& sink, uint32_t sender_ssrc, Options options = {});

  // The negotiated extension id (0: none; ReceiveRtpPacket then records nothing).
  void SetExtensionId(uint8_t id) { extension_id_ = id; }
  // The media source SSRC field of the feedback (libwebrtc puts one of the publisher's SSRCs
  // there; receivers ignore it).
  void SetMediaSsrc(uint32_t ssrc);

  // Reads the transport-wide sequence number of `packet` and records its arrival.
  void ReceiveRtpPacket(const rtc::RtpPacket& packet, uint64_t arrival_us);
  void ReceivePacket(uint16_t transport_seq, uint64_t arrival_us);

  // Sends the feedback when the interval has passed since the last one.
  void Tick(uint64_t now_ms);
  // Sends what is pending now.
  void Flush();

  size_t Pending() const { return pending_.size(); }
  const Counters& GetCounters() const { return counters_; }

 private:
  struct Arrival {
    int64_t seq = 0;
    int64_t arrival_us = 0;
  };

  void Emit();

  RtcpSink& sink_;
  const uint32_t sender_ssrc_;
  uint32_t media_ssrc_ = 0;
  Options options_;
  uint8_t extension_id_ = 0;
  SeqUnwrapper unwrapper_;
  std::vector<Arrival> pending_;  // capacity max_pending, reserved
  bool reported_ = false;
  int64_t next_seq_ = 0;  // the first number not reported yet
  Arrival last_reported_;
  uint8_t feedback_count_ = 0;
  bool ticked_ = false;
  uint64_t last_flush_ms_ = 0;
  rtc::rtcp::TransportFeedbackBuilder builder_;
  Counters counters_;
};

}  // namespace tributary::sfu
