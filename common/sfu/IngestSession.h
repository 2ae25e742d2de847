#pragma once

// A session whose peer sends us media (docs/media-plane.md): a WHIP publisher (server role),
// an edge's upstream pull or a WHEP client tool (client role). Each audio/video section the peer
// sends becomes a track of the stream: Stream::AttachSource gives it a Producer (a new one, or
// one waiting in its grace period for a returning publisher, which rebinds it).
//
// Receiving: RTP is routed to a track by SSRC (the media SSRC or the RTX SSRC the SDP announced,
// or that the producer latched); a packet of an unknown SSRC is matched by its MID (and RID)
// header extension, as each section numbered it, so offers without a=ssrc work. Packets of no
// track are counted (unknown_ssrc) and dropped. RTCP: sender reports go to the producer of
// their SSRC; the rest is not needed from a sender. Transport-wide congestion feedback is
// generated (TransportCcGenerator) when the peer negotiated transport-cc.
//
// Toward the peer: receiver reports, NACKs and PLI/FIR from the producers, through the
// transport. When the session connects it asks each video producer for a keyframe at once, so
// that viewers waiting across a publisher's reconnect resume without delay.
//
// Closing detaches the producers (Stream::DetachSource): the stream keeps them for the
// publisher grace period, and its viewers with them.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "rtc/SdpOfferer.h"
#include "sfu/BitratePolicer.h"
#include "sfu/Producer.h"
#include "sfu/Session.h"
#include "sfu/Stream.h"
#include "sfu/TransportCcGenerator.h"

namespace tributary::sfu {

class IngestSession final : public Session {
 public:
  IngestSession(SessionInfo info, Role role, SessionEnvironment& environment, Listener& listener,
                SessionOptions options = {});
  ~IngestSession() override;

  // A client-role offer to receive audio and video (mids "0" and "1", the codecs and extensions
  // of SdpOfferSection::Defaults), for SdpOfferOptions::sections.
  static std::vector<rtc::SdpOfferSection> ReceiveOfferSections();

  // The stream fed, while the session is started and not closed (else nullptr).
  Stream* GetStream() const { return stream_; }
  size_t TrackCount() const { return tracks_.size(); }
  Producer& TrackProducer(size_t index) const { return *tracks_[index].producer; }
  // nullptr unless transport-cc was negotiated.
  const TransportCcGenerator* TransportCc() const { return tcc_.get(); }

  // The vhost's limit for this publisher (0: none), once started: REMB toward the publisher
  // on each video track (Producer::SetMaxBitrate) and the BitratePolicer on what arrives.
  void SetBitrateLimit(uint64_t bits_per_second);
  const BitratePolicer& Policer() const { return policer_; }

 private:
  struct Track {
    Producer* producer = nullptr;
    std::string mid;
    uint8_t mid_id = 0;
    uint8_t tcc_id = 0;
    Producer::Counters baseline;  // the producer's counters when this session attached
  };

  bool StartMedia(const rtc::SdpNegotiation& negotiation, uint64_t now_ms,
                  std::string& error) override;
  void OnMediaConnected(uint64_t now_ms) override;
  void StopMedia(uint64_t now_ms) override;
  void ReceiveRtp(std::span<uint8_t> packet, uint64_t now_us) override;
  void ReceiveRtcp(std::span<const uint8_t> packet, uint64_t now_us) override;
  void TickMedia(uint64_t now_ms) override;
  void AddMediaCounters(SessionCounters& out) const override;
  std::string DescribeMedia() const override;

  Track* FindBySsrc(uint32_t ssrc);
  Track* FindByMid(const rtc::RtpPacket& packet);
  void LearnSsrcs(size_t track_index);
  void AddRoute(uint32_t ssrc, size_t track_index);
  void AddProducerCounters(const Track& track, SessionCounters& out) const;

  const uint32_t rtcp_ssrc_;
  Stream* stream_ = nullptr;
  std::vector<Track> tracks_;
  // SSRC -> index in tracks_: a handful of entries, scanned.
  std::vector<std::pair<uint32_t, size_t>> routes_;
  std::unique_ptr<TransportCcGenerator> tcc_;
  BitratePolicer policer_;
  SessionCounters frozen_media_;  // what the producers counted for us, once detached
  bool detached_ = false;
};

}  // namespace tributary::sfu
