#pragma once

// One published track. It receives the publisher's RTP (from the session, already unprotected
// and demultiplexed by SSRC or MID), and for each packet:
//   - tells media from RTX by SSRC (latched from MID/RID when the offer had no SSRC) and
//     decapsulates RTX (RFC 4588) straight into a pooled buffer;
//   - copies a media packet once into a pooled buffer (MediaPacket), detects keyframes
//     (rtc::codecs), unwraps its sequence number and stamps the source epoch;
//   - keeps reception statistics (RtpStreamReceiver), generates NACKs for gaps (NackGenerator,
//     the first request at once), caches the packet (PacketCache) and hands it to its listener
//     (the Stream, which fans it out to the consumers).
// Toward the publisher it sends, through its RtcpSink: receiver reports (+ REMB when a maximum
// bitrate is set) every rtcp_interval_ms, NACKs, and PLI or FIR from its KeyframeRequester.
//
// Sources: a Producer outlives the session feeding it. Unbind() when the source leaves (the
// stream starts its grace period); Rebind() gives the same track a new source (new SSRCs,
// payload types, extension ids, RTCP sink) and bumps the source epoch, which consumers see on
// the next packet and use to keep their output continuous. A sequence restart on the same SSRC
// (RFC 3550 A.1: a large jump followed by a sequential packet) bumps the epoch too; the packet
// that made the jump is held back and delivered first once the restart is confirmed. A packet
// older than the newest but inside the packet cache's window is a late one of the current
// sequence however far behind it is (a duplicate when the cache holds it), and so is one below
// the window whose timestamp is at most 30 s behind the newest (too old, dropped): neither
// counts toward a jump, so an original that comes seconds after its RTX copy is dropped, not
// taken for a restart.
//
// Mirrors (cross-worker fan-out, MirrorRing): on a worker that serves viewers of a stream homed
// on another worker, each track is a mirror Producer: made with the home producer's parameters
// and no RTCP sink, it takes packets the home producer already numbered (ReceiveMirrored), keeps
// its own PacketCache for its consumers' NACKs and hands them to its listener; it never sends
// RTCP (the home producer talks to the source).
//
// Times: arrival_us and now_us monotonic microseconds, now_ms milliseconds, of base::NowUs().
// One thread (the stream's home worker, or the mirror's worker); no allocation per packet.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "base/PacketBufferPool.h"
#include "rtc/RtpPacket.h"
#include "rtc/rtcp/RtcpWriter.h"
#include "rtc/rtcp/SenderReport.h"
#include "sfu/KeyframeRequester.h"
#include "sfu/MediaPacket.h"
#include "sfu/NackGenerator.h"
#include "sfu/PacketCache.h"
#include "sfu/RtcpSink.h"
#include "sfu/RtpParameters.h"
#include "sfu/RtpStreamReceiver.h"
#include "sfu/SeqUnwrapper.h"

namespace tributary::sfu {

struct ProducerOptions {
  PacketCacheOptions cache;   // cache.max_age_ms is media.packet_cache_ms
  NackGeneratorOptions nack;  // its max_age_ms is cache.max_age_ms
  uint64_t keyframe_throttle_ms = 500;
  uint64_t rtcp_interval_ms = 1000;
  size_t max_nacks_per_packet = 128;  // sequence numbers per NACK sent; the rest wait a tick
};

class Producer {
 public:
  using Options = ProducerOptions;

  class Listener {
   public:
    virtual ~Listener() = default;
    // A packet for the consumers: in arrival order, so a recovered packet comes late. The
    // listener may keep copies of it.
    virtual void OnProducerRtpPacket(Producer& producer, const MediaPacket& packet) = 0;
  };

  struct Counters {
    uint64_t rtp_packets_in = 0;  // media SSRC, as received
    uint64_t rtp_bytes_in = 0;
    uint64_t rtx_packets_in = 0;  // RTX SSRC, as received (padding probes included)
    uint64_t rtx_bytes_in = 0;
    uint64_t recovered_packets = 0;  // media packets recovered from RTX
    uint64_t keyframes = 0;
    uint64_t nack_packets_out = 0;
    uint64_t nack_seqs_out = 0;  // sequence numbers requested (first requests and retries)
    uint64_t pli_out = 0;
    uint64_t fir_out = 0;
    uint64_t remb_out = 0;
    uint64_t rr_out = 0;
    uint64_t sender_reports_in = 0;
    uint64_t restarts = 0;  // sequence restarts on one SSRC
    struct Drops {
      uint64_t unbound = 0;               // no source bound
      uint64_t unknown_ssrc = 0;          // neither our SSRCs nor our MID/RID
      uint64_t unknown_payload_type = 0;  // not a negotiated (RTX) payload type
      uint64_t too_large = 0;             // larger than a pool buffer
      uint64_t pool_exhausted = 0;
      uint64_t malformed = 0;          // RTX that decapsulates to garbage
      uint64_t duplicate = 0;          // already received (or recovered twice)
      uint64_t too_old = 0;            // older than the packet cache's window
      uint64_t rtx_padding = 0;        // RTX without an original sequence number (probes)
      uint64_t rtx_without_media = 0;  // RTX before the media SSRC is known
      uint64_t sequence_jump = 0;      // a large jump, held back (see RtpStreamReceiver)
      uint64_t mirror_parameters = 0;  // mirror: of parameters not (yet) received
    } drops;
  };

  // Bound to its first source. `sink` (nullable) receives the RTCP toward the publisher and must
  // stay valid until Unbind() or Rebind(); `pool` and `listener` must outlive the producer.
  Producer(ProducerParameters params, RtcpSink* sink, base::PacketBufferPool& pool,
           Listener& listener, Options options = {});
  Producer(const Producer&) = delete;
  Producer& operator=(const Producer&) = delete;

  // A new source for this track; false (nothing changes) when `params` is of another kind.
  bool Rebind(ProducerParameters params, RtcpSink* sink);
  // The source left: no RTCP is sent and packets are dropped until Rebind().
  void Unbind();
  bool IsBound() const { return bound_; }

  // One unprotected RTP packet of this track (media or RTX). False when it was dropped
  // (counted).
  bool ReceiveRtpPacket(const rtc::RtpPacket& packet, uint64_t arrival_us);
  bool ReceiveRtpPacket(std::span<const uint8_t> bytes, uint64_t arrival_us);
  // Mirror: the home producer's parameters, current since its source epoch `params_epoch`
  // (its ParamsEpoch); the cache starts over. Nothing changes when they are the ones we have.
  void Mirror(ProducerParameters params, uint32_t params_epoch);
  // Mirror: a packet of the home producer (its sequence number, keyframe flag and epoch set
  // there), `params_epoch` the home producer's ParamsEpoch when it delivered it. Cached and
  // delivered; false when it was dropped (counted): of other parameters than ours, stale,
  // duplicate or below the cache window.
  bool ReceiveMirrored(MediaPacket& packet, uint32_t params_epoch);
  // The source epoch in which the current parameters were given (construction, Rebind).
  uint32_t ParamsEpoch() const { return params_epoch_; }

  // A sender report whose SSRC is our media SSRC.
  void ReceiveSenderReport(const rtc::rtcp::SenderReport& report, uint64_t arrival_us);

  // Asks the publisher for a keyframe, throttled (video only).
  void RequestKeyframe(KeyframeRequestReason reason, uint64_t now_ms);
  // REMB toward the publisher (0: none), sent with each receiver report and once at once when
  // it changes.
  void SetMaxBitrate(uint64_t bits_per_second);
  // Every ~10 ms: NACK retries, the trailing keyframe request, receiver reports, cache expiry.
  void Tick(uint64_t now_ms);

  const ProducerParameters& Parameters() const { return params_; }
  rtc::MediaKind Kind() const { return params_.kind; }
  bool IsVideo() const { return params_.kind == rtc::MediaKind::kVideo; }
  // 0 until signalled or latched (see HasMediaSsrc).
  uint32_t MediaSsrc() const { return media_ssrc_; }
  uint32_t RtxSsrc() const { return rtx_ssrc_; }
  bool HasMediaSsrc() const { return has_media_ssrc_; }
  bool HasRtxSsrc() const { return has_rtx_ssrc_; }
  uint32_t SourceEpoch() const { return epoch_; }
  const RtpCodecParameters* CodecOf(uint8_t payload_type) const;
  const PacketCache& Cache() const { return cache_; }
  // Statistics of the media SSRC; nullptr until it is known.
  const RtpStreamReceiver* Receiver() const { return receiver_ ? &*receiver_ : nullptr; }
  const NackGenerator& Nacks() const { return nack_; }
  const KeyframeRequester& Keyframes() const { return keyframes_; }
  uint64_t MaxBitrate() const { return max_bitrate_; }
  const Counters& GetCounters() const { return counters_; }

 private:
  static constexpr size_t kRtcpBufferSize = 1200;
  static constexpr int8_t kNoCodec = -1;
  // How far behind the newest packet's timestamp a packet older than the cache's window may be
  // and still be taken for a late one (not a restart): 30 s of the clock.
  static constexpr uint32_t kLateHorizonSeconds = 30;

  void ApplyParameters();
  void NewEpoch();
  bool LatchSsrc(const rtc::RtpPacket& packet);
  bool ReceiveMedia(const rtc::RtpPacket& packet, uint64_t arrival_us);
  bool ReceiveRtx(const rtc::RtpPacket& packet, uint64_t arrival_us);
  // Unwraps, detects keyframes, caches, NACKs and delivers. False for a duplicate or a packet
  // older than the cache's window.
  bool Deliver(MediaPacket& packet, const RtpCodecParameters& codec, bool recovered);
  void CountError(MediaPacket::Error error);

  // RTCP toward the publisher. Feedback starts with a receiver report unless the publisher
  // negotiated reduced-size RTCP.
  void StartCompound(rtc::rtcp::RtcpWriter& writer, uint64_t now_us, bool always);
  void AppendRemb(rtc::rtcp::RtcpWriter& writer);
  void Send(const rtc::rtcp::RtcpWriter& writer);
  void SendNacks(uint64_t now_ms);
  void SendKeyframeRequest(uint64_t now_ms);
  void SendReport(uint64_t now_ms);

  ProducerParameters params_;
  RtcpSink* sink_;
  base::PacketBufferPool& pool_;
  Listener& listener_;
  Options options_;
  bool bound_ = true;

  // From the parameters.
  std::array<int8_t, 128> codec_by_pt_{};
  std::array<int8_t, 128> codec_by_rtx_pt_{};
  RtpExtensionIds extension_ids_;
  bool nack_enabled_ = false;
  uint32_t media_ssrc_ = 0;
  uint32_t rtx_ssrc_ = 0;
  bool has_media_ssrc_ = false;
  bool has_rtx_ssrc_ = false;

  // The current source.
  uint32_t epoch_ = 0;
  uint32_t params_epoch_ = 0;
  SeqUnwrapper unwrapper_;
  uint32_t newest_timestamp_ = 0;              // of the packet with the highest sequence number
  std::optional<RtpStreamReceiver> receiver_;  // made when the media SSRC is known
  MediaPacket held_;                           // a packet that jumped (see the header comment)
  PacketCache cache_;
  NackGenerator nack_;
  KeyframeRequester keyframes_;

  uint64_t max_bitrate_ = 0;
  bool remb_changed_ = false;
  uint64_t next_report_ms_ = 0;
  Counters counters_;
};

}  // namespace tributary::sfu
