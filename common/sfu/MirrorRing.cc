#include "sfu/MirrorRing.h"

#include <unistd.h>

#include <cstring>

namespace tributary::sfu {

MirrorRing::MirrorRing(size_t slots, int wake_fd) : ring_(slots), wake_fd_(wake_fd) {}

bool MirrorRing::Push(uint32_t token, uint32_t track, uint32_t params_epoch,
                      const MediaPacket& packet) {
  const std::span<const uint8_t> data = packet.Data();
  if (data.size() > MirrorPacket::kMaxSize) {
    Bump(too_large_);
    return false;
  }
  MirrorPacket* slot = ring_.BeginPush();
  if (slot == nullptr) {
    Bump(full_);
    return false;
  }
  slot->token = token;
  slot->track = track;
  slot->params_epoch = params_epoch;
  slot->source_epoch = packet.SourceEpoch();
  slot->extended_seq = packet.ExtendedSeq();
  slot->arrival_us = packet.ArrivalUs();
  slot->size = static_cast<uint16_t>(data.size());
  slot->keyframe = packet.IsKeyframe();
  slot->recovered = packet.IsRecovered();
  std::memcpy(slot->bytes.data(), data.data(), data.size());
  ring_.CommitPush();
  Bump(packets_);
  // Publish the slot before looking at the flag (pairs with the fence in Arm).
  std::atomic_thread_fence(std::memory_order_seq_cst);
  if (armed_.load(std::memory_order_relaxed) && armed_.exchange(false)) {
    const uint64_t one = 1;
    // The only failure would be a counter at its maximum: the worker is being woken anyway.
    [[maybe_unused]] const ssize_t written = ::write(wake_fd_, &one, sizeof(one));
    Bump(wakeups_);
  }
  return true;
}

bool MirrorRing::Arm() {
  armed_.store(true, std::memory_order_relaxed);
  // Set the flag before looking at the ring (pairs with the fence in Push).
  std::atomic_thread_fence(std::memory_order_seq_cst);
  return ring_.Empty();
}

MirrorRingCounters MirrorRing::GetCounters() const {
  MirrorRingCounters counters;
  counters.packets = packets_.load(std::memory_order_relaxed);
  counters.full = full_.load(std::memory_order_relaxed);
  counters.too_large = too_large_.load(std::memory_order_relaxed);
  counters.wakeups = wakeups_.load(std::memory_order_relaxed);
  return counters;
}

}  // namespace tributary::sfu
