#include "sfu/EgressSession.h"

#include <algorithm>

#include "base/Clock.h"
#include "base/Random.h"
#include "rtc/RtpExtensionKind.h"
#include "rtc/rtcp/Fir.h"
#include "rtc/rtcp/Nack.h"
#include "rtc/rtcp/Pli.h"
#include "rtc/rtcp/ReceiverReport.h"
#include "rtc/rtcp/RtcpCompound.h"
#include "rtc/rtcp/SenderReport.h"
#include "sfu/Router.h"

namespace tributary::sfu {

namespace {

constexpr uint8_t kTransportFeedbackFormat = 15;  // RTPFB FMT 15 (transport-wide cc)
constexpr uint8_t kRembFormat = 15;               // PSFB FMT 15 (application layer: REMB)

uint32_t NonZeroSsrc() {
  uint32_t ssrc = 0;
  while (ssrc == 0)
    ssrc = base::RandomU32();
  return ssrc;
}

// The RTCP feedback we answer on a track of `kind`.
std::vector<rtc::SdpRtcpFeedback> FeedbackFor(rtc::MediaKind kind) {
  if (kind == rtc::MediaKind::kVideo) return {{"nack", ""}, {"nack", "pli"}, {"ccm", "fir"}};
  return {{"nack", ""}};
}

bool AnySameFormat(const std::vector<RtpCodecParameters>& a,
                   const std::vector<RtpCodecParameters>& b) {
  for (const auto& x : a) {
    for (const auto& y : b) {
      if (x.SameFormat(y)) return true;
    }
  }
  return false;
}

// Header extension ids that the bundled sections of `negotiation` give different URIs (aiortc
// 1.4 numbers audio and video extensions independently, yet parses every packet of the bundle
// with one map: a packet carrying such an id would be misread, so none is sent).
std::vector<uint16_t> ConflictingExtensionIds(const rtc::SdpNegotiation& negotiation) {
  std::vector<std::pair<uint16_t, std::string>> seen;
  std::vector<uint16_t> conflicting;
  for (const auto& media : negotiation.media) {
    if (!media.accepted) continue;
    for (const auto& extension : media.extensions) {
      for (const auto& [id, uri] : seen) {
        if (id == extension.id && uri != extension.uri &&
            std::find(conflicting.begin(), conflicting.end(), id) == conflicting.end()) {
          conflicting.push_back(id);
        }
      }
      seen.emplace_back(extension.id, extension.uri);
    }
  }
  return conflicting;
}

std::string CodecNames(const std::vector<RtpCodecParameters>& codecs) {
  std::string out;
  for (const auto& codec : codecs) {
    if (!out.empty()) out += ", ";
    out += codec.name + "/" + std::to_string(codec.clock_rate);
  }
  return out;
}

}  // namespace

EgressSession::EgressSession(SessionInfo info, Role role, SessionEnvironment& environment,
                             Listener& listener, SessionOptions options)
    : Session(SessionKind::kEgress, std::move(info), role, environment, listener,
              std::move(options)),
      cname_(base::RandomAlnum(16)) {
  stream_ = GetRouter().FindStream(Key());
  if (stream_ == nullptr) return;
  size_t audio = 0;
  size_t video = 0;
  for (size_t i = 0; i < stream_->ProducerCount(); ++i) {
    Producer& producer = stream_->ProducerAt(i);
    rtc::SdpLocalTrack local;
    local.kind = producer.Kind();
    local.ssrc = NonZeroSsrc();
    local.rtx_ssrc = producer.IsVideo() ? NonZeroSsrc() : 0;
    local.cname = cname_;
    local.stream_id = Key().stream;
    local.track_id =
        producer.IsVideo() ? "video" + std::to_string(video++) : "audio" + std::to_string(audio++);
    local_tracks_.push_back(std::move(local));
    Track track;
    track.producer = &producer;
    tracks_.push_back(std::move(track));
  }
}

EgressSession::~EgressSession() {
  if (!stopped_) DetachAll();
}

std::vector<rtc::SdpCodecCapability> EgressSession::ProducerCodecs() const {
  std::vector<rtc::SdpCodecCapability> out;
  for (const Track& track : tracks_) {
    if (track.producer == nullptr) continue;
    for (const RtpCodecParameters& codec : track.producer->Parameters().codecs) {
      rtc::SdpCodecCapability capability;
      capability.kind = track.producer->Kind();
      capability.name = codec.name;
      capability.clock_rate = codec.clock_rate;
      capability.channels = codec.channels;
      capability.fmtp = codec.fmtp;
      capability.feedback = FeedbackFor(capability.kind);
      capability.rtx = capability.kind == rtc::MediaKind::kVideo;
      if (std::find(out.begin(), out.end(), capability) == out.end()) out.push_back(capability);
    }
  }
  return out;
}

std::vector<rtc::SdpOfferSection> EgressSession::OfferSections() const {
  std::vector<rtc::SdpOfferSection> out;
  for (size_t i = 0; i < tracks_.size(); ++i) {
    if (tracks_[i].producer == nullptr) continue;
    const Producer& producer = *tracks_[i].producer;
    const rtc::SdpLocalTrack& local = local_tracks_[i];
    rtc::SdpOfferSection section = rtc::SdpOfferSection::Defaults(
        producer.Kind(), rtc::SdpDirection::kSendOnly, std::to_string(i));
    section.codecs.clear();
    bool rtx = false;
    for (const RtpCodecParameters& codec : producer.Parameters().codecs) {
      rtc::SdpNegotiatedCodec offered;
      offered.payload_type = codec.payload_type;
      offered.name = codec.name;
      offered.clock_rate = codec.clock_rate;
      offered.channels = codec.channels;
      offered.fmtp = codec.fmtp;
      offered.feedback = FeedbackFor(producer.Kind());
      offered.rtx_payload_type = codec.rtx_payload_type;
      rtx = rtx || codec.rtx_payload_type.has_value();
      section.codecs.push_back(std::move(offered));
    }
    std::erase_if(section.extensions, [](const rtc::SdpNegotiatedExtension& extension) {
      return rtc::RtpExtensionKindFromUri(extension.uri) == rtc::RtpExtensionKind::kTransportWideCc;
    });
    section.ssrc = local.ssrc;
    section.rtx_ssrc = rtx ? local.rtx_ssrc : 0;
    section.cname = local.cname;
    section.stream_id = local.stream_id;
    section.track_id = local.track_id;
    out.push_back(std::move(section));
  }
  return out;
}

bool EgressSession::StartMedia(const rtc::SdpNegotiation& negotiation, uint64_t /*now_ms*/,
                               std::string& error) {
  if (stream_ == nullptr || tracks_.empty() || GetRouter().FindStream(Key()) != stream_) {
    error = "stream " + Key().ToString() + " is not live here";
    return false;
  }
  const std::vector<uint16_t> conflicting = ConflictingExtensionIds(negotiation);
  std::vector<bool> taken(tracks_.size(), false);
  std::string mismatch;
  size_t consumers = 0;
  for (const auto& media : negotiation.media) {
    if (!media.accepted || !rtc::Sends(media.direction)) continue;
    if (media.kind != rtc::MediaKind::kAudio && media.kind != rtc::MediaKind::kVideo) continue;
    size_t index = 0;
    while (index < tracks_.size() && (taken[index] || local_tracks_[index].kind != media.kind))
      ++index;
    if (index == tracks_.size()) continue;  // more sections of this kind than tracks
    taken[index] = true;
    const rtc::SdpLocalTrack& local = local_tracks_[index];
    std::string reason;
    auto params = ConsumerParameters::FromNegotiatedMedia(media, local.ssrc, local.rtx_ssrc,
                                                          local.cname, &reason);
    if (!params) {
      mismatch = reason;
      continue;
    }
    std::erase_if(params->extensions, [&](const RtpHeaderExtensionParameters& extension) {
      return std::find(conflicting.begin(), conflicting.end(), extension.id) != conflicting.end();
    });
    const auto& source = tracks_[index].producer->Parameters().codecs;
    if (!AnySameFormat(source, params->codecs)) {
      mismatch = "section " + media.mid + " accepts none of the stream's " +
                 std::string(rtc::ToString(media.kind)) + " codecs (" + CodecNames(source) + ")";
      continue;
    }
    tracks_[index].consumer = std::make_unique<Consumer>(std::move(*params), Sender(), Rtcp(),
                                                         *stream_, Options().consumer);
    ++consumers;
  }
  if (consumers == 0) {
    error = mismatch.empty() ? "the offer receives none of the stream's tracks" : mismatch;
    return false;
  }
  return true;
}

void EgressSession::OnMediaConnected(uint64_t now_ms) {
  if (stream_ == nullptr) return;
  // Attached only now: a keyframe that came before the viewer could receive it would be lost.
  for (Track& track : tracks_) {
    if (!track.consumer || track.producer == nullptr || track.attached) continue;
    stream_->AttachConsumer(*track.producer, *track.consumer, now_ms);
    track.attached = true;
  }
}

void EgressSession::DetachAll() {
  for (Track& track : tracks_) {
    if (track.attached && stream_ != nullptr) stream_->DetachConsumer(*track.consumer);
    track.attached = false;
  }
}

void EgressSession::StopMedia(uint64_t /*now_ms*/) {
  if (stopped_) return;
  SessionCounters media;
  for (const Track& track : tracks_) {
    if (track.consumer) AddConsumerCounters(*track.consumer, media);
  }
  frozen_media_ = media;
  DetachAll();
  stopped_ = true;
  stream_ = nullptr;
}

void EgressSession::StreamGone(const Stream& stream) {
  if (stream_ != &stream) return;
  DetachAll();
  for (Track& track : tracks_)
    track.producer = nullptr;
  stream_ = nullptr;
}

size_t EgressSession::ConsumerCount() const {
  return static_cast<size_t>(
      std::count_if(tracks_.begin(), tracks_.end(), [](const Track& t) { return !!t.consumer; }));
}

Consumer* EgressSession::FindConsumer(uint32_t ssrc) const {
  for (const Track& track : tracks_) {
    if (track.attached && track.consumer->Parameters().ssrc == ssrc) return track.consumer.get();
  }
  return nullptr;
}

void EgressSession::ReceiveRtp(std::span<uint8_t> /*packet*/, uint64_t /*now_us*/) {
  OwnCounters().AddDrops(DropReason::kUnknownSsrc, 1);  // we receive nothing here
}

void EgressSession::ReceiveRtcp(std::span<const uint8_t> bytes, uint64_t now_us) {
  if (stopped_) return;
  const uint64_t now_ms = now_us / 1000;
  SessionCounters& counters = OwnCounters();
  auto report_blocks = [&](const auto& blocks) {
    for (const rtc::rtcp::ReportBlock block : blocks) {
      if (Consumer* consumer = FindConsumer(block.ssrc)) {
        consumer->ReceiveReceiverReport(block, now_ms);
      }
    }
  };
  rtc::rtcp::RtcpCompound compound(bytes);
  while (auto packet = compound.Next()) {
    switch (static_cast<rtc::rtcp::RtcpType>(packet->Type())) {
      case rtc::rtcp::RtcpType::kReceiverReport:
        if (auto rr = rtc::rtcp::ReceiverReport::Parse(packet->Data())) {
          report_blocks(rr->ReportBlocks());
        } else {
          counters.AddDrops(DropReason::kMalformed, 1);
        }
        break;
      case rtc::rtcp::RtcpType::kSenderReport:
        if (auto sr = rtc::rtcp::SenderReport::Parse(packet->Data())) {
          report_blocks(sr->ReportBlocks());
        } else {
          counters.AddDrops(DropReason::kMalformed, 1);
        }
        break;
      case rtc::rtcp::RtcpType::kRtpFeedback:
        if (packet->Count() == rtc::rtcp::Nack::kFormat) {
          const auto nack = rtc::rtcp::Nack::Parse(packet->Data());
          if (!nack) {
            counters.AddDrops(DropReason::kMalformed, 1);
            break;
          }
          ++counters.nacks_in;
          if (Consumer* consumer = FindConsumer(nack->MediaSsrc())) {
            consumer->ReceiveNack(*nack, now_ms);
          }
        } else if (packet->Count() == kTransportFeedbackFormat) {
          ++counters.transport_cc_in;
        }
        break;
      case rtc::rtcp::RtcpType::kPayloadFeedback:
        if (packet->Count() == rtc::rtcp::Pli::kFormat) {
          const auto pli = rtc::rtcp::Pli::Parse(packet->Data());
          if (!pli) {
            counters.AddDrops(DropReason::kMalformed, 1);
            break;
          }
          ++counters.plis_in;
          if (Consumer* consumer = FindConsumer(pli->MediaSsrc())) consumer->ReceivePli(now_ms);
        } else if (packet->Count() == rtc::rtcp::Fir::kFormat) {
          const auto fir = rtc::rtcp::Fir::Parse(packet->Data());
          if (!fir) {
            counters.AddDrops(DropReason::kMalformed, 1);
            break;
          }
          ++counters.plis_in;
          for (Track& track : tracks_) {
            if (track.attached) track.consumer->ReceiveFir(*fir, now_ms);
          }
        } else if (packet->Count() == kRembFormat) {
          ++counters.remb_in;
        }
        break;
      default:
        break;  // SDES, BYE, APP, XR: nothing to do
    }
  }
  if (compound.Error() != rtc::rtcp::RtcpError::kNone) {
    counters.AddDrops(DropReason::kMalformed, 1);
  }
}

void EgressSession::TickMedia(uint64_t now_ms) {
  for (Track& track : tracks_) {
    if (track.attached) track.consumer->Tick(now_ms);
  }
}

void EgressSession::AddConsumerCounters(const Consumer& consumer, SessionCounters& out) {
  const Consumer::Counters& c = consumer.GetCounters();
  out.retransmissions += c.retransmissions;
  out.AddDrops(DropReason::kKeyframeWait, c.drops.keyframe_wait);
  out.AddDrops(DropReason::kUnsupportedCodec, c.drops.unsupported_codec);
  out.AddDrops(DropReason::kQueueFull, c.drops.send_unavailable + c.drops.send_failed);
  out.AddDrops(DropReason::kLimit, c.drops.too_large);
  out.AddDrops(DropReason::kOther, c.drops.stale + c.drops.no_producer);
}

void EgressSession::AddMediaCounters(SessionCounters& out) const {
  if (stopped_) {
    out += frozen_media_;
    return;
  }
  for (const Track& track : tracks_) {
    if (track.consumer) AddConsumerCounters(*track.consumer, out);
  }
}

std::string EgressSession::DescribeMedia() const {
  std::string out = "tracks=";
  bool first = true;
  for (const Track& track : tracks_) {
    if (!track.consumer) continue;
    if (!first) out += ",";
    first = false;
    const ConsumerParameters& params = track.consumer->Parameters();
    out += std::string(rtc::ToString(params.kind)) + ":" +
           (params.codecs.empty() ? "-" : params.codecs[0].name) +
           (params.rtx_ssrc != 0 ? "+rtx" : "");
  }
  return out;
}

}  // namespace tributary::sfu
