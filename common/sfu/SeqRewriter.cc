#include "sfu/SeqRewriter.h"

#include "base/ByteIo.h"

namespace tributary::sfu {

size_t SeqRewriter::DropsBelow(int64_t seq) const {
  // Drops are ascending and almost always all below a forwarded packet: check that first.
  if (drop_count_ == 0 || DropAt(drop_count_ - 1) < seq) return drop_count_;
  size_t low = 0;
  size_t high = drop_count_;
  while (low < high) {
    const size_t mid = (low + high) / 2;
    if (DropAt(mid) < seq) {
      low = mid + 1;
    } else {
      high = mid;
    }
  }
  return low;
}

bool SeqRewriter::IsDropped(int64_t seq) const {
  const size_t i = DropsBelow(seq);
  return i < drop_count_ && DropAt(i) == seq;
}

std::optional<SeqRewriter::Output> SeqRewriter::Forward(int64_t seq, uint32_t timestamp,
                                                        uint32_t epoch, uint64_t now_us) {
  if (epoch_started_ && epoch < epoch_) return std::nullopt;  // a late packet of a replaced source
  if (!epoch_started_ || epoch != epoch_) {
    epoch_started_ = true;
    epoch_ = epoch;
    in_base_ = floor_ = highest_in_ = seq;
    drop_head_ = drop_count_ = 0;
    if (!have_output_) {
      out_base_ = seq;
      ts_offset_ = 0;
    } else {
      out_base_ = highest_out_ + 1;
      const uint64_t elapsed_us = now_us > last_out_ts_us_ ? now_us - last_out_ts_us_ : 0;
      uint32_t advance = static_cast<uint32_t>(elapsed_us * clock_rate_ / 1000000);
      if (advance == 0) advance = 1;
      ts_offset_ = last_out_ts_ + advance - timestamp;
      ++switches_;
    }
  } else if (seq < floor_ || IsDropped(seq)) {
    return std::nullopt;
  }
  const int64_t out = out_base_ + (seq - in_base_) - static_cast<int64_t>(DropsBelow(seq));
  const uint32_t out_ts = timestamp + ts_offset_;
  if (seq > highest_in_) highest_in_ = seq;
  if (!have_output_ || out > highest_out_) highest_out_ = out;
  if (!have_output_ || base::TimestampNewer(out_ts, last_out_ts_)) {
    last_out_ts_ = out_ts;
    last_out_ts_us_ = now_us;
  }
  have_output_ = true;
  return Output{static_cast<uint16_t>(out), out_ts};
}

bool SeqRewriter::Drop(int64_t seq, uint32_t epoch) {
  // An epoch not started yet has no slot for it; a replaced one is not sent at all.
  if (!epoch_started_ || epoch != epoch_) return true;
  if (seq <= highest_in_) return IsDropped(seq);
  if (drop_count_ == kMaxDrops) {
    // Fold the oldest drop into the base; numbers up to it are no longer mapped.
    floor_ = DropAt(0) + 1;
    --out_base_;
    drop_head_ = (drop_head_ + 1) % kMaxDrops;
    --drop_count_;
  }
  drops_[(drop_head_ + drop_count_) % kMaxDrops] = seq;
  ++drop_count_;
  highest_in_ = seq;
  ++drops_absorbed_;
  return true;
}

std::optional<int64_t> SeqRewriter::ToSource(uint16_t out_seq) const {
  if (!epoch_started_) return std::nullopt;
  const int64_t out =
      highest_out_ + static_cast<int16_t>(static_cast<uint16_t>(out_seq - HighestSeq()));
  if (out > highest_out_) return std::nullopt;
  int64_t seq = in_base_ + (out - out_base_);
  for (size_t i = 0; i < drop_count_ && DropAt(i) <= seq; ++i)
    ++seq;
  if (seq < floor_ || seq < in_base_ || seq > highest_in_) return std::nullopt;
  return seq;
}

}  // namespace tributary::sfu
