#include "sfu/RtpParameters.h"

#include <algorithm>

#include "rtc/SdpCodecCapability.h"

namespace tributary::sfu {

namespace {

void SetError(std::string* out, std::string text) {
  if (out != nullptr) *out = std::move(text);
}

std::string Param(const std::string& fmtp, std::string_view key, std::string_view fallback) {
  auto value = rtc::FmtpParameter(fmtp, key);
  return value ? rtc::ToLower(*value) : std::string(fallback);
}

std::vector<RtpHeaderExtensionParameters> Extensions(const rtc::SdpNegotiatedMedia& media) {
  std::vector<RtpHeaderExtensionParameters> out;
  for (const auto& extension : media.extensions) {
    if (extension.id == 0 || extension.id > 255) continue;
    out.push_back({static_cast<uint8_t>(extension.id), extension.uri});
  }
  return out;
}

bool IsRtpKind(rtc::MediaKind kind) {
  return kind == rtc::MediaKind::kAudio || kind == rtc::MediaKind::kVideo;
}

}  // namespace

RtcpFeedbackSupport RtcpFeedbackSupport::FromSdp(
    const std::vector<rtc::SdpRtcpFeedback>& feedback) {
  RtcpFeedbackSupport support;
  for (const auto& fb : feedback) {
    const std::string type = rtc::ToLower(fb.type);
    const std::string parameter = rtc::ToLower(fb.parameter);
    if (type == "nack" && parameter.empty()) support.nack = true;
    if (type == "nack" && parameter == "pli") support.nack_pli = true;
    if (type == "ccm" && parameter == "fir") support.ccm_fir = true;
    if (type == "transport-cc") support.transport_cc = true;
    if (type == "goog-remb") support.goog_remb = true;
  }
  return support;
}

RtpCodecParameters RtpCodecParameters::FromSdp(const rtc::SdpNegotiatedCodec& codec) {
  RtpCodecParameters out;
  out.codec = rtc::codecs::CodecKindFromMimeName(codec.name);
  out.name = codec.name;
  out.payload_type = codec.payload_type;
  out.clock_rate = codec.clock_rate;
  out.channels = codec.channels;
  out.fmtp = codec.fmtp;
  out.rtx_payload_type = codec.rtx_payload_type;
  out.feedback = RtcpFeedbackSupport::FromSdp(codec.feedback);
  return out;
}

bool RtpCodecParameters::SameFormat(const RtpCodecParameters& other) const {
  if (codec != other.codec) return false;
  if (codec == rtc::codecs::CodecKind::kUnknown && !rtc::EqualsIgnoreCase(name, other.name)) {
    return false;
  }
  if (clock_rate != other.clock_rate) return false;
  if (std::max<uint16_t>(channels, 1) != std::max<uint16_t>(other.channels, 1)) return false;
  switch (codec) {
    case rtc::codecs::CodecKind::kH264: {
      if (Param(fmtp, "packetization-mode", "0") != Param(other.fmtp, "packetization-mode", "0")) {
        return false;
      }
      return rtc::H264ProfileFromProfileLevelId(Param(fmtp, "profile-level-id", "42000a")) ==
             rtc::H264ProfileFromProfileLevelId(Param(other.fmtp, "profile-level-id", "42000a"));
    }
    case rtc::codecs::CodecKind::kVp9:
      return Param(fmtp, "profile-id", "0") == Param(other.fmtp, "profile-id", "0");
    case rtc::codecs::CodecKind::kAv1:
      return Param(fmtp, "profile", "0") == Param(other.fmtp, "profile", "0");
    default:
      return true;
  }
}

RtpExtensionIds RtpExtensionIds::From(const std::vector<RtpHeaderExtensionParameters>& extensions) {
  RtpExtensionIds ids;
  for (const auto& extension : extensions) {
    switch (extension.Kind()) {
      case rtc::RtpExtensionKind::kMid:
        ids.mid = extension.id;
        break;
      case rtc::RtpExtensionKind::kRid:
        ids.rid = extension.id;
        break;
      case rtc::RtpExtensionKind::kRepairedRid:
        ids.repaired_rid = extension.id;
        break;
      case rtc::RtpExtensionKind::kAbsSendTime:
        ids.abs_send_time = extension.id;
        break;
      case rtc::RtpExtensionKind::kTransportWideCc:
        ids.transport_wide_cc = extension.id;
        break;
      case rtc::RtpExtensionKind::kAudioLevel:
        ids.audio_level = extension.id;
        break;
      case rtc::RtpExtensionKind::kUnknown:
        break;
    }
  }
  return ids;
}

const RtpCodecParameters* ProducerParameters::FindCodec(uint8_t payload_type) const {
  for (const auto& codec : codecs) {
    if (codec.payload_type == payload_type) return &codec;
  }
  return nullptr;
}

std::optional<ProducerParameters> ProducerParameters::FromNegotiatedMedia(
    const rtc::SdpNegotiatedMedia& media, std::string* error) {
  if (!media.accepted || !IsRtpKind(media.kind)) {
    SetError(error, "section " + media.mid + " is not an accepted audio or video section");
    return std::nullopt;
  }
  if (!rtc::Receives(media.direction)) {
    SetError(error, "section " + media.mid + " does not send us media");
    return std::nullopt;
  }
  if (media.codecs.empty()) {
    SetError(error, "section " + media.mid + " has no codec");
    return std::nullopt;
  }
  ProducerParameters params;
  params.kind = media.kind;
  params.mid = media.mid;
  for (const auto& codec : media.codecs)
    params.codecs.push_back(RtpCodecParameters::FromSdp(codec));
  params.extensions = Extensions(media);
  params.rtcp_reduced_size = media.rtcp_rsize;
  if (!media.remote_ssrcs.empty()) {
    const auto& first = media.remote_ssrcs.front();
    params.ssrc = first.ssrc;
    params.rtx_ssrc = first.rtx_ssrc.value_or(0);
    params.cname = first.cname;
  }
  if (media.remote_simulcast && !media.remote_rids.empty()) {
    params.rid = media.remote_rids.front().id;  // simulcast: the first layer only, for now
    params.ssrc = params.rtx_ssrc = 0;
  }
  return params;
}

std::optional<ConsumerParameters> ConsumerParameters::FromNegotiatedMedia(
    const rtc::SdpNegotiatedMedia& media, uint32_t ssrc, uint32_t rtx_ssrc, std::string cname,
    std::string* error) {
  if (!media.accepted || !IsRtpKind(media.kind)) {
    SetError(error, "section " + media.mid + " is not an accepted audio or video section");
    return std::nullopt;
  }
  if (!rtc::Sends(media.direction)) {
    SetError(error, "section " + media.mid + " does not let us send media");
    return std::nullopt;
  }
  ConsumerParameters params;
  params.kind = media.kind;
  params.mid = media.mid;
  bool any_rtx = false;
  for (const auto& codec : media.codecs) {
    params.codecs.push_back(RtpCodecParameters::FromSdp(codec));
    any_rtx = any_rtx || codec.rtx_payload_type.has_value();
  }
  params.ssrc = ssrc;
  params.rtx_ssrc = any_rtx ? rtx_ssrc : 0;
  params.extensions = Extensions(media);
  params.cname = std::move(cname);
  return params;
}

}  // namespace tributary::sfu
