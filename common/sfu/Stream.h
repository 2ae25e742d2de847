#pragma once

// The producers of one StreamKey (its tracks: audio, video, in the order their sources
// attached them) and the consumers attached to each; it fans every packet a producer delivers
// out to that producer's consumers, and routes the consumers' keyframe requests back to it.
//
// State:
//   kNoSource  created, no source attached yet;
//   kLive      at least one producer is bound to a source;
//   kGrace     the last source left (publisher gone, upstream link lost): the producers and the
//              consumers stay, for publisher_grace_ms, for a source to attach again (it rebinds
//              the producers of its kinds, in order, and consumers carry on);
//   kEnded     grace expired. A source may still attach again (kLive) until the Router removes
//              the stream, which it does once no consumer is left.
// The Listener hears about each transition and about the consumer count (for the HTTP,
// cluster and metrics layers).
//
// Cross-worker fan-out (docs/media-plane.md, "Threads"): a stream lives on its home worker; a
// worker that serves viewers of it elsewhere holds a mirror of it (BecomeMirror), whose tracks
// are mirror producers (Producer::Mirror) made from the home producers' parameters
// (MirrorTrack), whose state follows the home's (SetMirrorState) and whose packets come through
// a MirrorRing (ReceiveMirrored). The home stream copies every packet its producers deliver into
// the ring of each worker that mirrors it (AddMirror). A mirror's consumers ask the home
// producers for keyframes through the Listener (OnStreamMirrorKeyframeRequest); the worker
// carries those, the parameters and the state across with Post. A mirror never has sources,
// nor a grace timer of its own.
//
// Ownership: the stream owns its producers (they outlive the sessions that feed them); the
// viewers' sessions own the consumers and detach them before destroying them. Attach and detach
// only from outside the stream's own callbacks (not from inside a fan-out). One worker thread.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "base/PacketBufferPool.h"
#include "sfu/Consumer.h"
#include "sfu/MirrorRing.h"
#include "sfu/Producer.h"
#include "sfu/RtcpSink.h"
#include "sfu/RtpParameters.h"
#include "sfu/StreamKey.h"

namespace tributary::sfu {

struct StreamOptions {
  uint64_t publisher_grace_ms = 10000;  // media.publisher_grace_ms
  ProducerOptions producer;
};

// A consumer is created with its stream as its Listener (Consumer::Listener is public for that).
class Stream final : public Consumer::Listener, private Producer::Listener {
 public:
  using Options = StreamOptions;
  enum class State : uint8_t { kNoSource, kLive, kGrace, kEnded };

  class Listener {
   public:
    virtual ~Listener() = default;
    // A source attached (the first one, or one after the stream lost its sources).
    virtual void OnStreamLive(Stream& stream) = 0;
    // The last source left; grace starts.
    virtual void OnStreamSourceLost(Stream& stream) = 0;
    // Grace expired without a new source: the viewers' sessions should end.
    virtual void OnStreamEnded(Stream& stream) = 0;
    virtual void OnStreamConsumerCountChanged(Stream& stream, size_t consumers) = 0;
    // A source attached to a track (a new track, or new parameters for one): mirrors need them.
    virtual void OnStreamSourceAttached(Stream& /*stream*/) {}
    // Mirror: a consumer asks the home producer of track `track` for a keyframe.
    virtual void OnStreamMirrorKeyframeRequest(Stream& /*stream*/, size_t /*track*/,
                                               KeyframeRequestReason /*reason*/,
                                               uint64_t /*now_ms*/) {}
  };

  struct Counters {
    uint64_t packets_in = 0;         // packets the producers delivered
    uint64_t deliveries = 0;         // packets handed to consumers (packets_in x consumers)
    uint64_t keyframe_requests = 0;  // from consumers, passed to producers
    uint64_t rebinds = 0;            // producers given a new source
    uint64_t mirrored = 0;           // home: packets copied into mirrors' rings
    uint64_t mirror_drops = 0;       // mirror: packets for no track of ours, or no buffer
  };

  Stream(StreamKey key, base::PacketBufferPool& pool, Listener& listener, Options options = {});
  // Consumers still attached lose their producer (they drop everything from then on).
  ~Stream() override;
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;

  // A source's track: rebinds the first producer of that kind without a source (track order),
  // or adds a producer. `sink` (nullable) must stay valid until DetachSource.
  Producer& AttachSource(ProducerParameters params, RtcpSink* sink, uint64_t now_ms);
  // The source of `producer` left.
  void DetachSource(Producer& producer, uint64_t now_ms);

  // `producer` is one of ours; `consumer` must stay valid until DetachConsumer (or until the
  // stream is destroyed). A video consumer asks for a keyframe at once.
  void AttachConsumer(Producer& producer, Consumer& consumer, uint64_t now_ms);
  void DetachConsumer(Consumer& consumer);

  // The `index`-th producer of `kind`, nullptr when there is none.
  Producer* FindProducer(rtc::MediaKind kind, size_t index = 0) const;
  size_t ProducerCount() const { return tracks_.size(); }
  Producer& ProducerAt(size_t index) const { return *tracks_[index].producer; }
  size_t BoundProducerCount() const;
  size_t ConsumerCount() const { return consumer_count_; }
  size_t ConsumerCount(const Producer& producer) const;

  // Every ~10 ms: the producers' timers, the grace timer.
  void Tick(uint64_t now_ms);

  const StreamKey& Key() const { return key_; }
  State GetState() const { return state_; }
  // When grace ends (meaningful in kGrace).
  uint64_t GraceDeadlineMs() const { return grace_deadline_ms_; }
  // No consumer, and no source will come: ended, or never had one.
  bool CanBeRemoved() const;
  const Counters& GetCounters() const { return counters_; }

  static std::string_view StateName(State state);

  // --- cross-worker fan-out, home side ---

  // From now on every packet of our producers is copied into `ring` for the mirror `token`
  // (replacing the mirror on that ring, if there was one). `ring` must outlive the stream or
  // RemoveMirror.
  void AddMirror(MirrorRing& ring, uint32_t token);
  // Nothing when the mirror on `ring` has another token (a newer subscription).
  void RemoveMirror(const MirrorRing& ring, uint32_t token);
  size_t MirrorCount() const { return mirrors_.size(); }
  template <typename F>
  void ForEachMirror(F&& f) const {
    for (const MirrorLink& link : mirrors_)
      f(*link.ring, link.token);
  }

  // --- mirror side ---

  // Makes this stream a mirror; before any source or consumer attaches.
  void BecomeMirror() { mirror_ = true; }
  bool IsMirror() const { return mirror_; }
  // Track `index` (the index of the home's producer) from the home producer's parameters: made
  // when it is new (tracks are given in order), else updated (Producer::Mirror).
  void MirrorTrack(size_t index, ProducerParameters params, uint32_t params_epoch);
  // Ends the mirror without telling the listener (nobody watches it; the router removes it).
  void RetireMirror() { state_ = State::kEnded; }
  // The home stream's state, with the listener events the home stream had.
  void SetMirrorState(State state, uint64_t now_ms);
  // A packet from the home stream: parsed into a buffer of our pool, cached and fanned out by
  // the mirror producer of its track. False when dropped (counted).
  bool ReceiveMirrored(const MirrorPacket& packet);

  // Consumer::Listener: a consumer of ours asks its producer for a keyframe.
  void OnConsumerKeyframeRequest(Consumer& consumer, KeyframeRequestReason reason,
                                 uint64_t now_ms) override;

 private:
  struct Track {
    std::unique_ptr<Producer> producer;
    std::vector<Consumer*> consumers;
  };
  struct MirrorLink {
    MirrorRing* ring;
    uint32_t token;
  };

  Track* FindTrack(const Producer* producer);
  const Track* FindTrack(const Producer* producer) const;
  void SetLive();

  // Producer::Listener
  void OnProducerRtpPacket(Producer& producer, const MediaPacket& packet) override;

  const StreamKey key_;
  base::PacketBufferPool& pool_;
  Listener& listener_;
  const Options options_;
  std::vector<Track> tracks_;
  size_t consumer_count_ = 0;
  std::vector<MirrorLink> mirrors_;
  bool mirror_ = false;
  State state_ = State::kNoSource;
  uint64_t grace_deadline_ms_ = 0;
  Counters counters_;
};

}  // namespace tributary::sfu
