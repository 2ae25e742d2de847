#include "sfu/IngestSession.h"

#include "base/Clock.h"
#include "base/Random.h"
#include "rtc/RtpExtensionValue.h"
#include "rtc/rtcp/RtcpCompound.h"
#include "rtc/rtcp/SenderReport.h"
#include "sfu/Router.h"

namespace tributary::sfu {

namespace {

constexpr size_t kMaxRoutes = 32;

uint32_t NonZeroSsrc() {
  uint32_t ssrc = 0;
  while (ssrc == 0)
    ssrc = base::RandomU32();
  return ssrc;
}

uint64_t Delta(uint64_t now, uint64_t then) {
  return now >= then ? now - then : 0;
}

}  // namespace

IngestSession::IngestSession(SessionInfo info, Role role, SessionEnvironment& environment,
                             Listener& listener, SessionOptions options)
    : Session(SessionKind::kIngest, std::move(info), role, environment, listener,
              std::move(options)),
      rtcp_ssrc_(NonZeroSsrc()) {
  routes_.reserve(kMaxRoutes);
}

IngestSession::~IngestSession() {
  // The owner closes a started session before destroying it; this is the safety net.
  if (stream_ != nullptr && !detached_) {
    for (Track& track : tracks_)
      stream_->DetachSource(*track.producer, base::NowMs());
  }
}

std::vector<rtc::SdpOfferSection> IngestSession::ReceiveOfferSections() {
  return {
      rtc::SdpOfferSection::Defaults(rtc::MediaKind::kAudio, rtc::SdpDirection::kRecvOnly, "0"),
      rtc::SdpOfferSection::Defaults(rtc::MediaKind::kVideo, rtc::SdpDirection::kRecvOnly, "1")};
}

bool IngestSession::StartMedia(const rtc::SdpNegotiation& negotiation, uint64_t now_ms,
                               std::string& error) {
  std::vector<ProducerParameters> sources;
  for (const auto& media : negotiation.media) {
    if (!media.accepted || !rtc::Receives(media.direction)) continue;
    if (media.kind != rtc::MediaKind::kAudio && media.kind != rtc::MediaKind::kVideo) continue;
    std::string reason;
    auto params = ProducerParameters::FromNegotiatedMedia(media, &reason);
    if (!params) {
      error = reason;
      return false;
    }
    params->rtcp_ssrc = rtcp_ssrc_;
    sources.push_back(std::move(*params));
  }
  if (sources.empty()) {
    error = "the peer sends no audio or video track";
    return false;
  }
  Stream& stream = GetRouter().GetOrCreateStream(Key());
  if (stream.GetState() == Stream::State::kLive) {
    error = "stream " + Key().ToString() + " is already being published";
    return false;
  }
  stream_ = &stream;
  for (ProducerParameters& params : sources) {
    const RtpExtensionIds ids = RtpExtensionIds::From(params.extensions);
    bool tcc = false;
    for (const auto& codec : params.codecs)
      tcc = tcc || codec.feedback.transport_cc;
    Track track;
    track.mid = params.mid;
    track.mid_id = ids.mid;
    track.tcc_id = tcc ? ids.transport_wide_cc : 0;
    const uint32_t ssrc = params.ssrc;
    const uint32_t rtx_ssrc = params.rtx_ssrc;
    Producer& producer = stream.AttachSource(std::move(params), &Rtcp(), now_ms);
    track.producer = &producer;
    track.baseline = producer.GetCounters();
    tracks_.push_back(std::move(track));
    if (ssrc != 0) AddRoute(ssrc, tracks_.size() - 1);
    if (rtx_ssrc != 0) AddRoute(rtx_ssrc, tracks_.size() - 1);
    if (tracks_.back().tcc_id != 0 && !tcc_) {
      tcc_ = std::make_unique<TransportCcGenerator>(Rtcp(), rtcp_ssrc_);
      tcc_->SetMediaSsrc(ssrc);
    }
  }
  return true;
}

void IngestSession::OnMediaConnected(uint64_t now_ms) {
  if (stream_ == nullptr) return;
  // A returning publisher's viewers wait for a keyframe of the new source: ask at once.
  for (const Track& track : tracks_) {
    if (!track.producer->IsVideo()) continue;
    const auto reason = stream_->ConsumerCount(*track.producer) > 0
                            ? KeyframeRequestReason::kSourceSwitched
                            : KeyframeRequestReason::kOther;
    track.producer->RequestKeyframe(reason, now_ms);
  }
}

void IngestSession::StopMedia(uint64_t now_ms) {
  if (stream_ == nullptr || detached_) return;
  SessionCounters media;
  for (const Track& track : tracks_)
    AddProducerCounters(track, media);
  frozen_media_ = media;
  for (Track& track : tracks_)
    stream_->DetachSource(*track.producer, now_ms);
  detached_ = true;
  stream_ = nullptr;
}

void IngestSession::AddRoute(uint32_t ssrc, size_t track_index) {
  for (const auto& route : routes_) {
    if (route.first == ssrc) return;
  }
  if (routes_.size() < kMaxRoutes) routes_.emplace_back(ssrc, track_index);
}

IngestSession::Track* IngestSession::FindBySsrc(uint32_t ssrc) {
  for (const auto& route : routes_) {
    if (route.first == ssrc) return &tracks_[route.second];
  }
  return nullptr;
}

IngestSession::Track* IngestSession::FindByMid(const rtc::RtpPacket& packet) {
  if (!packet.HasExtensions()) return nullptr;
  for (Track& track : tracks_) {
    if (track.mid_id == 0 || track.mid.empty()) continue;
    const auto element = packet.FindExtension(track.mid_id);
    if (!element) continue;
    const auto mid = rtc::RtpExtensionValue::ReadSdesString(element->value);
    if (mid && *mid == track.mid) return &track;
  }
  return nullptr;
}

void IngestSession::LearnSsrcs(size_t track_index) {
  const Producer& producer = *tracks_[track_index].producer;
  if (producer.HasMediaSsrc()) AddRoute(producer.MediaSsrc(), track_index);
  if (producer.HasRtxSsrc()) AddRoute(producer.RtxSsrc(), track_index);
}

void IngestSession::ReceiveRtp(std::span<uint8_t> bytes, uint64_t now_us) {
  SessionCounters& counters = OwnCounters();
  ++counters.rtp_packets_in;
  counters.rtp_bytes_in += bytes.size() + SrtpOverhead();
  if (detached_) return;
  if (!policer_.Admit(bytes.size() + SrtpOverhead(), now_us)) {
    counters.AddDrops(DropReason::kLimit, 1);
    return;
  }
  const auto packet = rtc::RtpPacket::Parse(bytes);
  if (!packet) {
    counters.AddDrops(DropReason::kMalformed, 1);
    return;
  }
  Track* track = FindBySsrc(packet->Ssrc());
  bool latched = false;
  if (track == nullptr) {
    track = FindByMid(*packet);
    if (track == nullptr) {
      counters.AddDrops(DropReason::kUnknownSsrc, 1);
      return;
    }
    latched = true;
  }
  if (tcc_ && track->tcc_id != 0) {
    tcc_->SetExtensionId(track->tcc_id);
    tcc_->ReceiveRtpPacket(*packet, now_us);
  }
  track->producer->ReceiveRtpPacket(*packet, now_us);
  if (latched) LearnSsrcs(static_cast<size_t>(track - tracks_.data()));
}

void IngestSession::ReceiveRtcp(std::span<const uint8_t> bytes, uint64_t now_us) {
  if (detached_) return;
  rtc::rtcp::RtcpCompound compound(bytes);
  while (auto packet = compound.Next()) {
    if (!packet->Is(rtc::rtcp::RtcpType::kSenderReport)) continue;
    const auto report = rtc::rtcp::SenderReport::Parse(packet->Data());
    if (!report) {
      OwnCounters().AddDrops(DropReason::kMalformed, 1);
      continue;
    }
    Track* track = FindBySsrc(report->SenderSsrc());
    if (track != nullptr && track->producer->HasMediaSsrc() &&
        track->producer->MediaSsrc() == report->SenderSsrc()) {
      track->producer->ReceiveSenderReport(*report, now_us);
    }
  }
  if (compound.Error() != rtc::rtcp::RtcpError::kNone) {
    OwnCounters().AddDrops(DropReason::kMalformed, 1);
  }
}

void IngestSession::TickMedia(uint64_t now_ms) {
  if (tcc_ && !detached_ && IsConnected()) tcc_->Tick(now_ms);
  if (policer_.Enabled() && !detached_ && policer_.ShouldEnd(now_ms * 1000)) {
    RequestClose(SessionCloseReason::kBitrateExceeded,
                 "sent " + std::to_string(policer_.MeasuredBps() / 1000) + " kbit/s, limit " +
                     std::to_string(policer_.LimitBps() / 1000) + " kbit/s");
  }
}

void IngestSession::SetBitrateLimit(uint64_t bits_per_second) {
  policer_.SetLimit(bits_per_second);
  for (const Track& track : tracks_) {
    if (track.producer->IsVideo()) track.producer->SetMaxBitrate(bits_per_second);
  }
}

void IngestSession::AddProducerCounters(const Track& track, SessionCounters& out) const {
  const Producer::Counters& now = track.producer->GetCounters();
  const Producer::Counters& then = track.baseline;
  out.nacks_out += Delta(now.nack_packets_out, then.nack_packets_out);
  out.keyframe_requests += Delta(now.pli_out, then.pli_out) + Delta(now.fir_out, then.fir_out);
  const auto& d = now.drops;
  const auto& b = then.drops;
  out.AddDrops(DropReason::kUnknownSsrc, Delta(d.unknown_ssrc, b.unknown_ssrc) +
                                             Delta(d.rtx_without_media, b.rtx_without_media));
  out.AddDrops(DropReason::kUnknownPayloadType,
               Delta(d.unknown_payload_type, b.unknown_payload_type));
  out.AddDrops(DropReason::kLimit,
               Delta(d.too_large, b.too_large) + Delta(d.pool_exhausted, b.pool_exhausted));
  out.AddDrops(DropReason::kMalformed, Delta(d.malformed, b.malformed));
  out.AddDrops(DropReason::kDuplicate, Delta(d.duplicate, b.duplicate));
  out.AddDrops(DropReason::kTooOld, Delta(d.too_old, b.too_old));
  out.AddDrops(DropReason::kOther,
               Delta(d.unbound, b.unbound) + Delta(d.sequence_jump, b.sequence_jump));
}

void IngestSession::AddMediaCounters(SessionCounters& out) const {
  if (detached_ || stream_ == nullptr) {
    out += frozen_media_;
    return;
  }
  for (const Track& track : tracks_)
    AddProducerCounters(track, out);
}

std::string IngestSession::DescribeMedia() const {
  std::string out = "tracks=";
  for (size_t i = 0; i < tracks_.size(); ++i) {
    const Producer& producer = *tracks_[i].producer;
    if (i != 0) out += ",";
    out += std::string(rtc::ToString(producer.Kind())) + ":" +
           (producer.Parameters().codecs.empty() ? "-" : producer.Parameters().codecs[0].name);
  }
  if (tcc_) out += " transport-cc=yes";
  return out;
}

}  // namespace tributary::sfu
