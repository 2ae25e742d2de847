#pragma once

// A session that sends a stream's media to its peer (docs/media-plane.md): a WHEP viewer
// (server role), an edge's upstream push or a WHIP client tool (client role). One Consumer per
// track of the stream, made from the negotiated section of its kind (the peer's payload types
// and extension ids, our SSRCs), attached to the track's producer once the transport is
// connected: a video consumer then asks for a keyframe at once (some viewers, aiortc among
// them, never send PLI) and forwards from that keyframe on.
//
// The tracks are fixed when the session is made: one per producer of the stream at that time,
// each with our SSRC, RTX SSRC and CNAME (LocalTracks, for the answer; OfferSections, for a
// client-role offer). ProducerCodecs gives the answerer the producers' codecs as the only
// choices, so that a viewer is answered only with what it can decode without transcoding.
//
// RTCP from the peer goes to the consumer of its media SSRC: receiver report blocks (in RR or
// SR), generic NACK, PLI and FIR. REMB and transport-wide feedback are counted and ignored
// (no congestion control toward viewers yet).
//
// The session ends with the stream: when the stream ends for viewers (the publisher's grace
// expired) the worker closes it with "source ended"; when the stream is removed the session
// forgets it (StreamGone) before anything could point into it.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "rtc/SdpAnswerer.h"
#include "rtc/SdpCodecCapability.h"
#include "rtc/SdpOfferer.h"
#include "sfu/Consumer.h"
#include "sfu/Producer.h"
#include "sfu/Session.h"
#include "sfu/Stream.h"

namespace tributary::sfu {

class EgressSession final : public Session {
 public:
  // Looks the stream up in the worker's router and plans one track per producer it has now
  // (none when there is no such stream: Start then fails).
  EgressSession(SessionInfo info, Role role, SessionEnvironment& environment, Listener& listener,
                SessionOptions options = {});
  ~EgressSession() override;

  // For SdpAnswerOptions::tracks (server role).
  const std::vector<rtc::SdpLocalTrack>& LocalTracks() const { return local_tracks_; }
  // For SdpAnswerOptions::codecs: the producers' codecs, by track, RTX and the feedback we
  // answer (NACK, PLI, FIR) included.
  std::vector<rtc::SdpCodecCapability> ProducerCodecs() const;
  // For SdpOfferOptions::sections (client role): one sendonly section per track, mids "0",
  // "1"..., the producers' codecs with their payload types, our SSRCs.
  std::vector<rtc::SdpOfferSection> OfferSections() const;

  // The stream was removed by the router: forget it (the worker calls this).
  void StreamGone(const Stream& stream);
  Stream* GetStream() const { return stream_; }
  size_t ConsumerCount() const;
  // nullptr for a track that got no consumer (its section was rejected).
  Consumer* ConsumerAt(size_t index) const { return tracks_[index].consumer.get(); }
  size_t TrackCount() const { return tracks_.size(); }

 private:
  struct Track {
    Producer* producer = nullptr;
    std::unique_ptr<Consumer> consumer;
    bool attached = false;
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

  Consumer* FindConsumer(uint32_t ssrc) const;
  void DetachAll();
  static void AddConsumerCounters(const Consumer& consumer, SessionCounters& out);

  Stream* stream_ = nullptr;
  std::string cname_;
  std::vector<Track> tracks_;  // parallel to local_tracks_
  std::vector<rtc::SdpLocalTrack> local_tracks_;
  SessionCounters frozen_media_;  // what the consumers counted, once they are gone
  bool stopped_ = false;
};

}  // namespace tributary::sfu
