#include "sfu/Stream.h"

#include <algorithm>
#include <cstring>

namespace tributary::sfu {

Stream::Stream(StreamKey key, base::PacketBufferPool& pool, Listener& listener, Options options)
    : key_(std::move(key)), pool_(pool), listener_(listener), options_(options) {}

Stream::~Stream() {
  for (Track& track : tracks_) {
    for (Consumer* consumer : track.consumers)
      consumer->SetProducer(nullptr, 0);
  }
}

std::string_view Stream::StateName(State state) {
  switch (state) {
    case State::kNoSource:
      return "no-source";
    case State::kLive:
      return "live";
    case State::kGrace:
      return "grace";
    case State::kEnded:
      return "ended";
  }
  return "unknown";
}

Stream::Track* Stream::FindTrack(const Producer* producer) {
  for (Track& track : tracks_) {
    if (track.producer.get() == producer) return &track;
  }
  return nullptr;
}

const Stream::Track* Stream::FindTrack(const Producer* producer) const {
  for (const Track& track : tracks_) {
    if (track.producer.get() == producer) return &track;
  }
  return nullptr;
}

void Stream::SetLive() {
  if (state_ == State::kLive) return;
  state_ = State::kLive;
  listener_.OnStreamLive(*this);
}

Producer& Stream::AttachSource(ProducerParameters params, RtcpSink* sink, uint64_t /*now_ms*/) {
  for (Track& track : tracks_) {
    Producer& producer = *track.producer;
    if (!producer.IsBound() && producer.Kind() == params.kind) {
      producer.Rebind(std::move(params), sink);
      ++counters_.rebinds;
      SetLive();
      listener_.OnStreamSourceAttached(*this);
      return producer;
    }
  }
  tracks_.push_back(
      Track{std::make_unique<Producer>(std::move(params), sink, pool_,
                                       static_cast<Producer::Listener&>(*this), options_.producer),
            {}});
  SetLive();
  listener_.OnStreamSourceAttached(*this);
  return *tracks_.back().producer;
}

void Stream::DetachSource(Producer& producer, uint64_t now_ms) {
  if (FindTrack(&producer) == nullptr || !producer.IsBound()) return;
  producer.Unbind();
  if (state_ == State::kLive && BoundProducerCount() == 0) {
    state_ = State::kGrace;
    grace_deadline_ms_ = now_ms + options_.publisher_grace_ms;
    listener_.OnStreamSourceLost(*this);
  }
}

void Stream::AttachConsumer(Producer& producer, Consumer& consumer, uint64_t now_ms) {
  Track* track = FindTrack(&producer);
  if (track == nullptr) return;
  if (std::find(track->consumers.begin(), track->consumers.end(), &consumer) !=
      track->consumers.end()) {
    return;
  }
  track->consumers.push_back(&consumer);
  ++consumer_count_;
  consumer.SetProducer(&producer, now_ms);
  listener_.OnStreamConsumerCountChanged(*this, consumer_count_);
}

void Stream::DetachConsumer(Consumer& consumer) {
  for (Track& track : tracks_) {
    const auto it = std::find(track.consumers.begin(), track.consumers.end(), &consumer);
    if (it == track.consumers.end()) continue;
    track.consumers.erase(it);
    --consumer_count_;
    consumer.SetProducer(nullptr, 0);
    listener_.OnStreamConsumerCountChanged(*this, consumer_count_);
    return;
  }
}

Producer* Stream::FindProducer(rtc::MediaKind kind, size_t index) const {
  for (const Track& track : tracks_) {
    if (track.producer->Kind() != kind) continue;
    if (index == 0) return track.producer.get();
    --index;
  }
  return nullptr;
}

size_t Stream::BoundProducerCount() const {
  return static_cast<size_t>(std::count_if(tracks_.begin(), tracks_.end(),
                                           [](const Track& t) { return t.producer->IsBound(); }));
}

size_t Stream::ConsumerCount(const Producer& producer) const {
  const Track* track = FindTrack(&producer);
  return track != nullptr ? track->consumers.size() : 0;
}

void Stream::Tick(uint64_t now_ms) {
  for (Track& track : tracks_)
    track.producer->Tick(now_ms);
  if (!mirror_ && state_ == State::kGrace && now_ms >= grace_deadline_ms_) {
    state_ = State::kEnded;
    listener_.OnStreamEnded(*this);
  }
}

bool Stream::CanBeRemoved() const {
  return consumer_count_ == 0 && (state_ == State::kEnded || state_ == State::kNoSource);
}

void Stream::OnProducerRtpPacket(Producer& producer, const MediaPacket& packet) {
  ++counters_.packets_in;
  Track* track = FindTrack(&producer);
  if (track == nullptr) return;
  for (Consumer* consumer : track->consumers)
    consumer->SendRtpPacket(packet);
  counters_.deliveries += track->consumers.size();
  if (mirrors_.empty()) return;
  const auto index = static_cast<uint32_t>(track - tracks_.data());
  for (const MirrorLink& link : mirrors_) {
    if (link.ring->Push(link.token, index, producer.ParamsEpoch(), packet)) ++counters_.mirrored;
  }
}

void Stream::AddMirror(MirrorRing& ring, uint32_t token) {
  for (MirrorLink& link : mirrors_) {
    if (link.ring == &ring) {
      link.token = token;
      return;
    }
  }
  mirrors_.push_back({&ring, token});
}

void Stream::RemoveMirror(const MirrorRing& ring, uint32_t token) {
  std::erase_if(mirrors_,
                [&](const MirrorLink& link) { return link.ring == &ring && link.token == token; });
}

void Stream::MirrorTrack(size_t index, ProducerParameters params, uint32_t params_epoch) {
  if (index < tracks_.size()) {
    tracks_[index].producer->Mirror(std::move(params), params_epoch);
    return;
  }
  if (index != tracks_.size()) return;  // tracks come in order
  tracks_.push_back(
      Track{std::make_unique<Producer>(std::move(params), nullptr, pool_,
                                       static_cast<Producer::Listener&>(*this), options_.producer),
            {}});
  // The home's epoch numbering (a fresh producer starts at its own).
  tracks_.back().producer->Mirror(tracks_.back().producer->Parameters(), params_epoch);
}

void Stream::SetMirrorState(State state, uint64_t now_ms) {
  if (state == state_) return;
  state_ = state;
  switch (state) {
    case State::kLive:
      listener_.OnStreamLive(*this);
      break;
    case State::kGrace:
      grace_deadline_ms_ = now_ms + options_.publisher_grace_ms;
      listener_.OnStreamSourceLost(*this);
      break;
    case State::kEnded:
      listener_.OnStreamEnded(*this);
      break;
    case State::kNoSource:
      break;
  }
}

bool Stream::ReceiveMirrored(const MirrorPacket& packet) {
  if (packet.track >= tracks_.size()) {
    ++counters_.mirror_drops;
    return false;
  }
  base::PacketRef buffer = pool_.Acquire();
  if (!buffer || packet.size > buffer->Capacity()) {
    ++counters_.mirror_drops;
    return false;
  }
  std::memcpy(buffer->Storage().data(), packet.bytes.data(), packet.size);
  MediaPacket media = MediaPacket::Adopt(std::move(buffer), packet.size, packet.arrival_us);
  if (!media) {
    ++counters_.mirror_drops;
    return false;
  }
  media.SetExtendedSeq(packet.extended_seq);
  media.SetKeyframe(packet.keyframe);
  media.SetRecovered(packet.recovered);
  media.SetSourceEpoch(packet.source_epoch);
  return tracks_[packet.track].producer->ReceiveMirrored(media, packet.params_epoch);
}

void Stream::OnConsumerKeyframeRequest(Consumer& consumer, KeyframeRequestReason reason,
                                       uint64_t now_ms) {
  Producer* producer = consumer.GetProducer();
  const Track* track = FindTrack(producer);
  if (producer == nullptr || track == nullptr) return;
  ++counters_.keyframe_requests;
  if (mirror_) {
    // The source is the home producer's; the worker carries the request there.
    listener_.OnStreamMirrorKeyframeRequest(*this, static_cast<size_t>(track - tracks_.data()),
                                            reason, now_ms);
    return;
  }
  producer->RequestKeyframe(reason, now_ms);
}

}  // namespace tributary::sfu
