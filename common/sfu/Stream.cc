#include "sfu/Stream.h"

#include <algorithm>

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
      return producer;
    }
  }
  tracks_.push_back(
      Track{std::make_unique<Producer>(std::move(params), sink, pool_,
                                       static_cast<Producer::Listener&>(*this), options_.producer),
            {}});
  SetLive();
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
  if (state_ == State::kGrace && now_ms >= grace_deadline_ms_) {
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
}

void Stream::OnConsumerKeyframeRequest(Consumer& consumer, KeyframeRequestReason reason,
                                       uint64_t now_ms) {
  Producer* producer = consumer.GetProducer();
  if (producer == nullptr || FindTrack(producer) == nullptr) return;
  ++counters_.keyframe_requests;
  producer->RequestKeyframe(reason, now_ms);
}

}  // namespace tributary::sfu
