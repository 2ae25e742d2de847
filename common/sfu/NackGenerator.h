#pragma once

// Decides which packets of one incoming stream to ask again for (generic NACK, RFC 4585 6.2.1),
// from the extended sequence numbers of the packets that arrive. The models are libwebrtc's
// NackRequester and mediasoup's NackGenerator; the policy here:
//
// - A packet newer than the highest one so far opens a gap: each missing number becomes an
//   entry, requested at once (the next CollectNacks returns it, whatever the time). No delay for
//   reordering: a packet that was merely late arrives, removes its entry, and costs one
//   superfluous request at most.
// - An entry is asked again every max(RTT, min_retry_interval_ms) (20 ms), up to max_retries
//   (10) requests; after the last one it is forgotten (given up).
// - An entry whose gap opened more than max_age_ms ago (the packet cache horizon, 1000 ms) is
//   forgotten: a retransmission that late would be useless to the viewers behind us too; so is
//   one more than max_seq_age (10000) numbers behind the newest.
// - The list holds at most max_entries (1000). When a gap would overflow it, the entries older
//   than the last keyframe received are dropped first (a decoder restarts from that keyframe);
//   if that is not enough the list is cleared, the new gap is not listed, and the caller is told
//   to ask for a keyframe (the decoder cannot go on without one).
// - RTT: whatever SetRtt() says; without it, 100 ms. When a packet arrives through RTX after
//   exactly one request, the time since that request is an RTT sample (Karn's rule: after a
//   repeated request the answer is ambiguous), smoothed 1/8 like TCP's SRTT.
//
// Output: sequence numbers in increasing (wraparound) order, ready for
// rtcp::Nack::PackLostSequences. No allocation after construction. One thread.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace tributary::sfu {

struct NackGeneratorOptions {
  size_t max_entries = 1000;
  uint32_t max_retries = 10;
  uint64_t min_retry_interval_ms = 20;
  uint64_t default_rtt_ms = 100;
  uint64_t max_age_ms = 1000;
  int64_t max_seq_age = 10000;
};

class NackGenerator {
 public:
  using Options = NackGeneratorOptions;

  struct Result {
    size_t missing = 0;            // new entries (a gap opened)
    bool recovered = false;        // the packet filled an entry
    bool keyframe_needed = false;  // the list overflowed and was cleared
  };

  struct Counters {
    uint64_t missing = 0;         // numbers that went into the list
    uint64_t requests = 0;        // numbers handed out by CollectNacks (first requests and retries)
    uint64_t recovered = 0;       // entries filled by a late or retransmitted packet
    uint64_t given_up = 0;        // entries dropped after max_retries requests
    uint64_t expired = 0;         // entries dropped by age (time or numbers)
    uint64_t keyframe_drops = 0;  // entries dropped because a newer keyframe made them useless
    uint64_t overflows = 0;       // list cleared, keyframe needed
  };

  explicit NackGenerator(Options options = {});

  // A packet arrived. `retransmission`: it came through RTX. `keyframe`: it starts a keyframe.
  Result ReceivePacket(int64_t extended_seq, bool keyframe, bool retransmission, uint64_t now_ms);

  // Writes the numbers due now (never requested yet, or requested longer than the retry interval
  // ago) into `out`, oldest first, and marks them requested. Entries that do not fit stay due.
  // Also forgets entries past max_age_ms. Returns how many were written.
  size_t CollectNacks(uint64_t now_ms, std::span<uint16_t> out);

  // Whether CollectNacks would return something now.
  bool HasDue(uint64_t now_ms) const;

  void SetRtt(uint64_t rtt_ms) { rtt_ms_ = rtt_ms; }
  uint64_t RttMs() const { return rtt_ms_; }
  uint64_t RetryIntervalMs() const;
  size_t Size() const { return entries_.size(); }
  const Counters& GetCounters() const { return counters_; }
  // A new source: forgets everything but the counters and the RTT.
  void Reset();

 private:
  struct Entry {
    int64_t seq = 0;
    uint64_t created_ms = 0;
    uint64_t sent_ms = 0;
    uint32_t retries = 0;
  };

  bool Due(const Entry& entry, uint64_t now_ms) const;
  // Makes room for `count` more entries by dropping those older than the last keyframe; when
  // that is not enough, clears the list and returns false (a keyframe is needed).
  bool MakeRoom(size_t count);
  void DropOlderThan(int64_t seq, uint64_t& counter);

  Options options_;
  std::vector<Entry> entries_;  // sorted by seq; capacity reserved up front
  bool started_ = false;
  int64_t highest_ = 0;
  bool have_keyframe_ = false;
  int64_t last_keyframe_ = 0;
  uint64_t rtt_ms_;
  Counters counters_;
};

}  // namespace tributary::sfu
