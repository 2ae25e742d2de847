#pragma once

// Cross-worker fan-out (docs/media-plane.md, "Threads"): the link from one worker (a stream's
// home worker, where its producers run) to another worker that serves viewers of that stream
// (its mirror). One ring per ordered pair of workers carries the packets of every stream the
// second worker mirrors from the first: the home worker copies each packet a producer delivers,
// with what the mirror's consumers need to know about it, into a slot (Push); the mirror worker
// drains the slots (Front/Pop), parses each packet once into a pooled buffer of its own and fans
// it out to its local consumers (Stream::ReceiveMirrored).
//
// Copying (about 1.2 KB per packet and mirror worker) instead of sharing the home worker's
// pooled buffer keeps each pool single-threaded and each worker's packet cache local, so NACKs
// from a mirror's viewers are answered on the mirror's thread without touching the home's
// cache; the copy costs less than one SRTP protect.
//
// Waking the mirror worker: an eventfd of the mirror worker, written only when the ring goes
// from drained to non-empty. The mirror worker arms the ring once it drained it (Arm) and
// sleeps in epoll; the home worker, after publishing a slot, wakes it only if the ring is armed
// (one write(2) for a burst, none while the mirror is busy draining). A seq_cst fence on both
// sides (publish, fence, read the flag / set the flag, fence, look at the ring) makes sure a
// packet is never left in an armed-but-unwoken ring.
//
// No allocation, lock or log per packet; a full ring drops the packet and counts it (a mirror's
// viewers see a loss and NACK it: answered from the mirror's cache only if an earlier copy came
// through, else the loss stays).
//
// Threads: Push on the home worker's thread, Front/Pop/Arm on the mirror worker's thread;
// the counters are written by the home worker only and readable from any thread.

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>

#include "sfu/MediaPacket.h"
#include "sfu/SpscRing.h"

namespace tributary::sfu {

// One slot: a packet's bytes and what the home producer learned about it.
struct MirrorPacket {
  static constexpr size_t kMaxSize = 1500;  // a pool buffer's default capacity

  uint32_t token;         // the mirror's subscription (MediaWorker's mirror table)
  uint32_t track;         // the producer's index in its stream
  uint32_t params_epoch;  // the source epoch of the producer's parameters (Producer::ParamsEpoch)
  uint32_t source_epoch;
  int64_t extended_seq;
  uint64_t arrival_us;  // on the home worker, monotonic (the same clock on every thread)
  uint16_t size;
  bool keyframe;
  bool recovered;
  std::array<uint8_t, kMaxSize> bytes;  // not initialized: only the first `size` are written
};

struct MirrorRingCounters {
  uint64_t packets = 0;    // pushed
  uint64_t full = 0;       // dropped: the ring was full (the mirror worker fell behind)
  uint64_t too_large = 0;  // dropped: larger than a slot
  uint64_t wakeups = 0;    // eventfd writes
};

class MirrorRing {
 public:
  // `wake_fd`: the mirror worker's eventfd (it outlives the ring's use).
  MirrorRing(size_t slots, int wake_fd);
  MirrorRing(const MirrorRing&) = delete;
  MirrorRing& operator=(const MirrorRing&) = delete;

  // --- home worker ---

  // Copies `packet` (of track `track` of the mirror `token`) into the next slot and wakes the
  // mirror worker if it sleeps. False when dropped (counted).
  bool Push(uint32_t token, uint32_t track, uint32_t params_epoch, const MediaPacket& packet);

  // --- mirror worker ---

  // The oldest packet, nullptr when none; valid until Pop.
  const MirrorPacket* Front() { return ring_.Front(); }
  void Pop() { ring_.Pop(); }
  // Asks for a wake-up on the next Push. False when a packet is already there: drain it first
  // (the ring is then armed anyway; the next Push may wake for nothing, which is harmless).
  bool Arm();

  // --- any thread ---

  MirrorRingCounters GetCounters() const;
  size_t Capacity() const { return ring_.Capacity(); }

 private:
  static void Bump(std::atomic<uint64_t>& counter) {
    counter.store(counter.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  }

  SpscRing<MirrorPacket> ring_;
  const int wake_fd_;
  alignas(64) std::atomic<bool> armed_{true};
  // Written by the home worker only (a plain store, no locked instruction), read by anyone.
  alignas(64) std::atomic<uint64_t> packets_{0};
  std::atomic<uint64_t> full_{0};
  std::atomic<uint64_t> too_large_{0};
  std::atomic<uint64_t> wakeups_{0};
};

}  // namespace tributary::sfu
