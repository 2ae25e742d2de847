#include "sfu/NackGenerator.h"

#include <algorithm>

namespace tributary::sfu {

NackGenerator::NackGenerator(Options options) : options_(options), rtt_ms_(options.default_rtt_ms) {
  entries_.reserve(options_.max_entries);
}

void NackGenerator::Reset() {
  entries_.clear();
  started_ = false;
  highest_ = 0;
  have_keyframe_ = false;
  last_keyframe_ = 0;
}

uint64_t NackGenerator::RetryIntervalMs() const {
  return std::max(rtt_ms_, options_.min_retry_interval_ms);
}

void NackGenerator::DropOlderThan(int64_t seq, uint64_t& counter) {
  const auto end = std::lower_bound(entries_.begin(), entries_.end(), seq,
                                    [](const Entry& e, int64_t s) { return e.seq < s; });
  counter += static_cast<uint64_t>(end - entries_.begin());
  entries_.erase(entries_.begin(), end);
}

bool NackGenerator::MakeRoom(size_t count) {
  if (entries_.size() + count <= options_.max_entries) return true;
  if (have_keyframe_) DropOlderThan(last_keyframe_, counters_.keyframe_drops);
  if (entries_.size() + count <= options_.max_entries) return true;
  counters_.keyframe_drops += entries_.size();
  entries_.clear();
  return false;
}

NackGenerator::Result NackGenerator::ReceivePacket(int64_t extended_seq, bool keyframe,
                                                   bool retransmission, uint64_t now_ms) {
  Result result;
  if (keyframe && (!have_keyframe_ || extended_seq > last_keyframe_)) {
    have_keyframe_ = true;
    last_keyframe_ = extended_seq;
  }
  if (!started_) {
    started_ = true;
    highest_ = extended_seq;
    return result;
  }
  if (extended_seq <= highest_) {
    // Late, retransmitted or duplicate: fill its entry if it has one.
    const auto it = std::lower_bound(entries_.begin(), entries_.end(), extended_seq,
                                     [](const Entry& e, int64_t s) { return e.seq < s; });
    if (it != entries_.end() && it->seq == extended_seq) {
      if (retransmission && it->retries == 1 && now_ms >= it->sent_ms) {
        const uint64_t sample = now_ms - it->sent_ms;
        rtt_ms_ = (7 * rtt_ms_ + sample + 4) / 8;
      }
      entries_.erase(it);
      ++counters_.recovered;
      result.recovered = true;
    }
    return result;
  }
  const int64_t gap = extended_seq - highest_ - 1;
  highest_ = extended_seq;
  if (gap > 0) {
    if (!MakeRoom(static_cast<size_t>(gap))) {
      ++counters_.overflows;
      result.keyframe_needed = true;
    } else {
      for (int64_t seq = extended_seq - gap; seq < extended_seq; ++seq)
        entries_.push_back(Entry{seq, now_ms, 0, 0});
      counters_.missing += static_cast<uint64_t>(gap);
      result.missing = static_cast<size_t>(gap);
    }
  }
  DropOlderThan(highest_ - options_.max_seq_age, counters_.expired);
  return result;
}

bool NackGenerator::Due(const Entry& entry, uint64_t now_ms) const {
  return entry.retries == 0 || now_ms >= entry.sent_ms + RetryIntervalMs();
}

bool NackGenerator::HasDue(uint64_t now_ms) const {
  for (const Entry& entry : entries_) {
    if (Due(entry, now_ms)) return true;
  }
  return false;
}

size_t NackGenerator::CollectNacks(uint64_t now_ms, std::span<uint16_t> out) {
  size_t written = 0;
  auto keep = entries_.begin();
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    Entry entry = *it;
    if (now_ms > entry.created_ms + options_.max_age_ms) {
      ++counters_.expired;
      continue;
    }
    if (written < out.size() && Due(entry, now_ms)) {
      out[written++] = static_cast<uint16_t>(entry.seq);
      entry.sent_ms = now_ms;
      ++entry.retries;
      ++counters_.requests;
      if (entry.retries >= options_.max_retries) {
        ++counters_.given_up;
        continue;
      }
    }
    *keep++ = entry;
  }
  entries_.erase(keep, entries_.end());
  return written;
}

}  // namespace tributary::sfu
