#include "testmedia/ViewerStats.h"

#include <algorithm>
#include <cstdio>

namespace tributary::testmedia {

namespace {

constexpr size_t kMaxSamples = 4'000'000;  // latency samples kept per track

nlohmann::json PercentilesJson(const ViewerStats::Percentiles& p) {
  return {{"count", p.count},
          {"p50", p.p50_ms},
          {"p99", p.p99_ms},
          {"max", p.max_ms},
          {"mean", p.mean_ms}};
}

std::string Hex32(uint32_t value) {
  char text[11];
  std::snprintf(text, sizeof(text), "0x%08x", value);
  return text;
}

}  // namespace

double ViewerStats::SinceStartMs(uint64_t now_us) const {
  return now_us >= start_us_ ? static_cast<double>(now_us - start_us_) / 1000.0 : 0.0;
}

void ViewerStats::OnRtpArrived(uint64_t now_us, bool dropped) {
  ++rtp_arrived_;
  if (dropped) ++rtp_dropped_;
  if (!first_rtp_ms_) first_rtp_ms_ = SinceStartMs(now_us);
}

ViewerStats::Publisher* ViewerStats::FindPublisher(TrackState& state, uint32_t id, bool create) {
  for (Publisher& p : state.publishers) {
    if (p.id == id) return &p;
  }
  if (!create) return nullptr;
  state.publishers.emplace_back();
  state.publishers.back().id = id;
  return &state.publishers.back();
}

void ViewerStats::OnMediaPacket(Track track, int64_t extended_seq, bool keyframe,
                                std::span<const uint8_t> payload, uint64_t now_us,
                                uint64_t wall_us) {
  TrackState& state = State(track);
  TrackReport& counts = state.counts;
  const auto probe =
      track == Track::kVideo ? ProbePayload::ReadVp8(payload) : ProbePayload::ReadOpus(payload);

  // The measured window: after Freeze(), only what is older than what had arrived by then.
  if (frozen_) {
    bool inside = state.frozen_seq_max && extended_seq <= *state.frozen_seq_max;
    if (probe) {
      const Publisher* publisher = FindPublisher(state, probe->publisher, false);
      inside = publisher && publisher->frozen_max && probe->counter <= *publisher->frozen_max;
    }
    if (!inside) {
      ++counts.after_window;
      return;
    }
  }

  if (state.last_delivery_us != 0 && now_us > state.last_delivery_us) {
    counts.max_gap_ms = std::max(counts.max_gap_ms, (now_us - state.last_delivery_us) / 1000.0);
  }
  state.last_delivery_us = std::max(state.last_delivery_us, now_us);
  ++counts.packets;
  const bool late = !state.seqs.Empty() && extended_seq < state.seqs.Max();
  const SeenSet::Insert seq_insert = state.seqs.Add(extended_seq);
  if (seq_insert == SeenSet::Insert::kOutOfRange) ++counts.out_of_range;
  if (!counts.first_packet_ms) counts.first_packet_ms = SinceStartMs(now_us);
  if (keyframe) {
    ++counts.keyframes;
    if (!counts.first_keyframe_ms) counts.first_keyframe_ms = SinceStartMs(now_us);
  }
  if (!probe) {
    ++counts.unprobed;
    if (seq_insert == SeenSet::Insert::kDuplicate) {
      ++counts.duplicates;
    } else if (late) {
      ++counts.late;
    }
    return;
  }
  // With a probe, duplicates are told by counter (a server may resend under a new number).
  if (!probe->filler_ok) ++counts.corrupt;
  Publisher& publisher = *FindPublisher(state, probe->publisher, true);
  switch (publisher.counters.Add(probe->counter)) {
    case SeenSet::Insert::kNew:
      break;
    case SeenSet::Insert::kDuplicate:
      ++counts.duplicates;
      return;
    case SeenSet::Insert::kOutOfRange:
      ++counts.out_of_range;
      return;
  }
  if (late) ++counts.late;
  const int64_t latency = static_cast<int64_t>(wall_us) - static_cast<int64_t>(probe->send_time_us);
  const uint32_t sample =
      static_cast<uint32_t>(std::clamp<int64_t>(latency, 0, int64_t{UINT32_MAX}));
  auto& samples = late ? state.late_latency_us : state.latency_us;
  if (samples.size() < kMaxSamples) samples.push_back(sample);
}

void ViewerStats::Freeze() {
  if (frozen_) return;
  frozen_ = true;
  for (TrackState* state : {&video_, &audio_}) {
    if (!state->seqs.Empty()) state->frozen_seq_max = state->seqs.Max();
    for (Publisher& p : state->publishers) {
      if (!p.counters.Empty()) p.frozen_max = p.counters.Max();
    }
  }
}

uint64_t ViewerStats::MediaPackets() const {
  return video_.counts.packets + audio_.counts.packets;
}

ViewerStats::Percentiles ViewerStats::ComputePercentiles(std::vector<uint32_t> samples) {
  Percentiles p;
  if (samples.empty()) return p;
  std::sort(samples.begin(), samples.end());
  auto at = [&](double q) {
    // Nearest rank.
    size_t rank = static_cast<size_t>(q * static_cast<double>(samples.size()) + 0.999999);
    rank = std::clamp<size_t>(rank, 1, samples.size());
    return static_cast<double>(samples[rank - 1]) / 1000.0;
  };
  double sum = 0;
  for (const uint32_t s : samples)
    sum += s;
  p.count = samples.size();
  p.p50_ms = at(0.50);
  p.p99_ms = at(0.99);
  p.max_ms = static_cast<double>(samples.back()) / 1000.0;
  p.mean_ms = sum / static_cast<double>(samples.size()) / 1000.0;
  return p;
}

ViewerStats::TrackReport ViewerStats::Report(Track track) const {
  const TrackState& state = State(track);
  TrackReport report = state.counts;
  report.unique = 0;
  report.lost = 0;
  report.publishers.clear();
  for (const Publisher& p : state.publishers) {
    PublisherReport pr;
    pr.id = p.id;
    pr.unique = p.counters.Count();
    if (!p.counters.Empty()) {
      pr.first_counter = p.counters.Min();
      pr.last_counter = p.counters.Max();
      pr.lost = p.counters.Missing();
    }
    report.unique += pr.unique;
    report.lost += pr.lost;
    report.publishers.push_back(pr);
  }
  if (!state.seqs.Empty()) {
    report.seq_first = state.seqs.Min();
    report.seq_last = state.seqs.Max();
    report.seq_unique = state.seqs.Count();
    report.seq_gaps = state.seqs.Missing();
  }
  report.latency = ComputePercentiles(state.latency_us);
  report.late_latency = ComputePercentiles(state.late_latency_us);
  return report;
}

nlohmann::json ViewerStats::TrackJson(Track track) const {
  const TrackReport r = Report(track);
  nlohmann::json publishers = nlohmann::json::array();
  for (const PublisherReport& p : r.publishers) {
    publishers.push_back({{"id", Hex32(p.id)},
                          {"first_counter", p.first_counter},
                          {"last_counter", p.last_counter},
                          {"unique", p.unique},
                          {"lost", p.lost}});
  }
  nlohmann::json out = {
      {"packets", r.packets},
      {"unique", r.unique},
      {"lost", r.lost},
      {"late", r.late},
      {"duplicates", r.duplicates},
      {"corrupt", r.corrupt},
      {"unprobed", r.unprobed},
      {"keyframes", r.keyframes},
      {"after_window", r.after_window},
      {"out_of_range", r.out_of_range},
      {"seq",
       {{"first", r.seq_first},
        {"last", r.seq_last},
        {"unique", r.seq_unique},
        {"gaps", r.seq_gaps}}},
      {"publishers", publishers},
      {"latency_ms", PercentilesJson(r.latency)},
      {"late_latency_ms", PercentilesJson(r.late_latency)},
      {"first_packet_ms", r.first_packet_ms ? nlohmann::json(*r.first_packet_ms) : nullptr},
      {"first_keyframe_ms", r.first_keyframe_ms ? nlohmann::json(*r.first_keyframe_ms) : nullptr},
      {"max_gap_ms", r.max_gap_ms},
  };
  return out;
}

nlohmann::json ViewerStats::ToJson() const {
  nlohmann::json out = {
      {"rtp_arrived", rtp_arrived_},
      {"rtp_dropped", rtp_dropped_},
      {"first_rtp_ms", first_rtp_ms_ ? nlohmann::json(*first_rtp_ms_) : nullptr},
  };
  if (video_.counts.packets + video_.counts.after_window > 0) {
    out["video"] = TrackJson(Track::kVideo);
  }
  if (audio_.counts.packets + audio_.counts.after_window > 0) {
    out["audio"] = TrackJson(Track::kAudio);
  }
  return out;
}

}  // namespace tributary::testmedia
