#pragma once

// One viewer's track: it sends what one Producer receives to one viewer, rewritten for that
// viewer, and answers the viewer's RTCP.
//
// SendRtpPacket, for each packet the stream fans out (the packet's arrival time is taken as
// the send time: fan-out runs right after the arrival, on the same worker):
//   - a new source epoch rebuilds the mappings from the producer's current parameters: the
//     producer's payload types to the viewer's (by codec format, so a new publisher with other
//     payload types still maps), and the header extension ids by URI (those the viewer did not
//     negotiate are stripped; transport-wide-cc and rid are never forwarded);
//   - video waits for a keyframe after the consumer joins and after a source switch, and asks
//     for one at once (Listener), again every keyframe_retry_ms while it waits;
//   - padding-only packets and packets of a codec the viewer lacks are skipped, the SeqRewriter
//     closing up the sequence numbers behind them;
//   - the header is rewritten (payload type, SSRC, sequence number, timestamp; our mid value;
//     abs-send-time with our send time when the viewer negotiated it) while the packet is
//     written into the sender's slot: RtpSender::PrepareSend() then CommitSend(), the only copy.
// ReceiveNack answers from the producer's PacketCache through the SeqRewriter's reverse
// mapping, RTX-encapsulated (RFC 4588) when the viewer negotiated RTX, at most once per RTT per
// packet. ReceivePli/ReceiveFir go to the Listener (which asks the producer, throttled).
// Tick sends SR + SDES every rtcp_interval_ms once something was sent.
//
// The consumer is owned by the viewer's session; Stream::AttachConsumer gives it its producer
// (which outlives the attachment) and is its Listener. One thread; no allocation per packet.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "base/Clock.h"
#include "rtc/RtpHeaderExtensions.h"
#include "rtc/RtpPacket.h"
#include "rtc/rtcp/Fir.h"
#include "rtc/rtcp/Nack.h"
#include "rtc/rtcp/ReportBlock.h"
#include "sfu/KeyframeRequester.h"
#include "sfu/MediaPacket.h"
#include "sfu/RtcpSink.h"
#include "sfu/RtpParameters.h"
#include "sfu/RtpSender.h"
#include "sfu/RtpStreamSender.h"
#include "sfu/SeqRewriter.h"

namespace tributary::sfu {

class Producer;

struct ConsumerOptions {
  uint64_t rtcp_interval_ms = 1000;
  uint64_t keyframe_retry_ms = 1000;  // while waiting for a keyframe
  // Our 64-bit NTP wall clock, for sender reports and RTT (tests substitute a fixed one).
  uint64_t (*ntp_clock)() = &base::NtpNow;
};

class Consumer {
 public:
  using Options = ConsumerOptions;

  class Listener {
   public:
    virtual ~Listener() = default;
    // The viewer needs a keyframe from the producer.
    virtual void OnConsumerKeyframeRequest(Consumer& consumer, KeyframeRequestReason reason,
                                           uint64_t now_ms) = 0;
  };

  struct Counters {
    uint64_t rtp_packets_out = 0;  // media packets sent (not retransmissions)
    uint64_t rtp_bytes_out = 0;
    uint64_t retransmissions = 0;  // packets sent in answer to NACKs (plain or RTX)
    uint64_t retransmitted_bytes = 0;
    uint64_t nack_packets_in = 0;
    uint64_t nack_seqs_in = 0;
    uint64_t nack_misses = 0;     // not mapped, or no longer in the cache
    uint64_t nack_throttled = 0;  // asked again within one RTT of the last retransmission
    uint64_t pli_in = 0;
    uint64_t fir_in = 0;
    uint64_t keyframe_requests = 0;  // passed to the listener
    uint64_t sender_reports_out = 0;
    uint64_t receiver_reports_in = 0;
    uint64_t source_switches = 0;
    struct Drops {
      uint64_t no_producer = 0;
      uint64_t keyframe_wait = 0;      // video before the first keyframe
      uint64_t unsupported_codec = 0;  // a payload type the viewer has no codec for
      uint64_t padding = 0;            // padding-only packets
      uint64_t stale = 0;              // refused by the SeqRewriter (old epoch, before start)
      uint64_t send_unavailable = 0;   // PrepareSend gave no slot
      uint64_t send_failed = 0;        // CommitSend refused
      uint64_t too_large = 0;          // the rewritten packet did not fit the slot
    } drops;
  };

  // `sender`, `rtcp` and `listener` must outlive the consumer.
  Consumer(ConsumerParameters params, RtpSender& sender, RtcpSink& rtcp, Listener& listener,
           Options options = {});
  Consumer(const Consumer&) = delete;
  Consumer& operator=(const Consumer&) = delete;

  // Stream::AttachConsumer/DetachConsumer. Attaching a video consumer asks for a keyframe.
  void SetProducer(Producer* producer, uint64_t now_ms);
  Producer* GetProducer() const { return producer_; }

  void SendRtpPacket(const MediaPacket& packet);

  // RTCP from the viewer about our SSRC.
  void ReceiveNack(const rtc::rtcp::Nack& nack, uint64_t now_ms);
  void ReceivePli(uint64_t now_ms);
  void ReceiveFir(const rtc::rtcp::Fir& fir, uint64_t now_ms);
  void ReceiveReceiverReport(const rtc::rtcp::ReportBlock& block, uint64_t now_ms);

  // Every ~10 ms: keyframe retries, sender reports.
  void Tick(uint64_t now_ms);

  const ConsumerParameters& Parameters() const { return params_; }
  bool IsVideo() const { return params_.kind == rtc::MediaKind::kVideo; }
  bool WaitingForKeyframe() const { return waiting_keyframe_; }
  const RtpStreamSender& StreamStats() const { return stream_; }
  const SeqRewriter& Rewriter() const { return rewriter_; }
  const Counters& GetCounters() const { return counters_; }

 private:
  struct PayloadMapping {
    bool valid = false;
    bool rtx = false;
    uint8_t payload_type = 0;
    uint8_t rtx_payload_type = 0;
  };
  struct ResendRecord {
    bool used = false;
    uint16_t seq = 0;
    uint32_t sent_ms = 0;  // low 32 bits: compared by difference
  };
  static constexpr size_t kResendRecords = 512;

  void OnSourceEpoch(uint32_t epoch, uint64_t now_ms);
  void BuildMappings();
  void RequestKeyframe(KeyframeRequestReason reason, uint64_t now_ms);
  // Writes `packet` rewritten for the viewer into `out`; its size, 0 when it does not fit.
  size_t WritePacket(const rtc::RtpPacket& packet, uint8_t payload_type, uint16_t seq,
                     uint32_t timestamp, uint64_t now_us, std::span<uint8_t> out) const;
  void Retransmit(uint16_t seq, uint64_t now_ms);
  void SendReport(uint64_t now_ms);

  ConsumerParameters params_;
  RtpSender& sender_;
  RtcpSink& rtcp_;
  Listener& listener_;
  Options options_;
  Producer* producer_ = nullptr;

  // From our parameters.
  uint8_t mid_id_ = 0;
  uint8_t abs_send_time_id_ = 0;
  // From the producer's parameters, rebuilt per source epoch.
  uint32_t epoch_ = 0;  // 0: no packet seen yet
  std::array<PayloadMapping, 128> payload_map_{};
  rtc::RtpExtensionIdMap extension_map_{};

  bool waiting_keyframe_ = false;
  KeyframeRequestReason wait_reason_ = KeyframeRequestReason::kConsumerJoined;
  uint64_t last_keyframe_request_ms_ = 0;
  bool have_fir_seq_ = false;
  uint8_t last_fir_seq_ = 0;

  SeqRewriter rewriter_;
  RtpStreamSender stream_;
  uint16_t rtx_seq_;
  std::array<ResendRecord, kResendRecords> resent_{};
  uint64_t next_report_ms_ = 0;
  Counters counters_;
};

}  // namespace tributary::sfu
