#pragma once

// One worker's streams, by StreamKey: created on demand, removed on Tick once nothing holds
// them (no consumer, and the stream ended after its grace period or never had a source). The
// listener hears every stream's events, and about each removal just before it happens.
// One worker thread.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "base/PacketBufferPool.h"
#include "sfu/Stream.h"
#include "sfu/StreamKey.h"

namespace tributary::sfu {

class Router {
 public:
  class Listener : public Stream::Listener {
   public:
    // `stream` is about to be destroyed: drop every pointer to it.
    virtual void OnStreamRemoved(Stream& stream) = 0;
  };

  // `pool` and `listener` must outlive the router.
  Router(base::PacketBufferPool& pool, Listener& listener, Stream::Options options = {});
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  Stream& GetOrCreateStream(const StreamKey& key);
  // nullptr when there is none.
  Stream* FindStream(const StreamKey& key) const;
  size_t StreamCount() const { return streams_.size(); }

  // Ticks every stream, then removes those that can be.
  void Tick(uint64_t now_ms);

  template <typename F>
  void ForEachStream(F&& f) const {
    for (const auto& [key, stream] : streams_)
      f(*stream);
  }

 private:
  base::PacketBufferPool& pool_;
  Listener& listener_;
  const Stream::Options options_;
  std::unordered_map<StreamKey, std::unique_ptr<Stream>, StreamKey::Hash> streams_;
  std::vector<Stream*> ticking_;  // reused by Tick
};

}  // namespace tributary::sfu
