#include "sfu/Router.h"

namespace tributary::sfu {

Router::Router(base::PacketBufferPool& pool, Listener& listener, Stream::Options options)
    : pool_(pool), listener_(listener), options_(options) {}

Stream& Router::GetOrCreateStream(const StreamKey& key) {
  auto it = streams_.find(key);
  if (it == streams_.end()) {
    it = streams_.emplace(key, std::make_unique<Stream>(key, pool_, listener_, options_)).first;
  }
  return *it->second;
}

Stream* Router::FindStream(const StreamKey& key) const {
  const auto it = streams_.find(key);
  return it != streams_.end() ? it->second.get() : nullptr;
}

void Router::Tick(uint64_t now_ms) {
  // Listeners may create streams from inside a stream's callbacks: tick a snapshot.
  ticking_.clear();
  for (auto& [key, stream] : streams_)
    ticking_.push_back(stream.get());
  for (Stream* stream : ticking_)
    stream->Tick(now_ms);
  for (auto it = streams_.begin(); it != streams_.end();) {
    if (it->second->CanBeRemoved()) {
      listener_.OnStreamRemoved(*it->second);
      it = streams_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace tributary::sfu
