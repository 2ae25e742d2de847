#include "rtc/SdpAnswerer.h"

#include <utility>

#include "base/Random.h"
#include "rtc/SdpWriter.h"

namespace tributary::rtc {

std::vector<SdpHeaderExtensionCapability> SdpHeaderExtensionCapability::Defaults() {
  return {
      {"urn:ietf:params:rtp-hdrext:sdes:mid", true, true},
      {"urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id", false, true},
      {"urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id", false, true},
      {"http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time", true, true},
      {"http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01", true, true},
      {"urn:ietf:params:rtp-hdrext:ssrc-audio-level", true, false},
      {"urn:ietf:params:rtp-hdrext:toffset", false, true},
      {"urn:3gpp:video-orientation", false, true},
      {"http://www.webrtc.org/experiments/rtp-hdrext/playout-delay", false, true},
      {"http://www.webrtc.org/experiments/rtp-hdrext/abs-capture-time", true, true},
  };
}

namespace {

bool IsSecureRtpProto(const std::string& proto) {
  return proto == "UDP/TLS/RTP/SAVPF" || proto == "UDP/TLS/RTP/SAVP" ||
         proto == "TCP/TLS/RTP/SAVPF" || proto == "TCP/TLS/RTP/SAVP" || proto == "RTP/SAVPF" ||
         proto == "RTP/SAVP";
}

bool IsDataChannelProto(const std::string& proto) {
  return proto == "UDP/DTLS/SCTP" || proto == "TCP/DTLS/SCTP" || proto == "DTLS/SCTP";
}

void AddUnique(std::vector<std::string>& list, const std::string& item) {
  for (const std::string& existing : list) {
    if (EqualsIgnoreCase(existing, item)) return;
  }
  list.push_back(item);
}

std::string Join(const std::vector<std::string>& items) {
  if (items.empty()) return "none";
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ", ";
    out += items[i];
  }
  return out;
}

// Names for the static payload types an offer may list without an rtpmap (RFC 3551).
std::string StaticPayloadName(uint8_t pt) {
  switch (pt) {
    case 0:
      return "PCMU";
    case 3:
      return "GSM";
    case 8:
      return "PCMA";
    case 9:
      return "G722";
    case 18:
      return "G729";
    case 26:
      return "JPEG";
    case 34:
      return "H263";
    default:
      return "payload type " + std::to_string(pt);
  }
}

bool HasFeedback(const std::vector<SdpRtcpFeedback>& list, const SdpRtcpFeedback& fb) {
  for (const SdpRtcpFeedback& f : list) {
    if (f == fb) return true;
  }
  return false;
}

SdpSetup AnswerSetup(SdpSetup offered, SdpSetup preferred) {
  switch (offered) {
    case SdpSetup::kActive:
      return SdpSetup::kPassive;
    case SdpSetup::kPassive:
      return SdpSetup::kActive;
    default:
      return preferred == SdpSetup::kActive ? SdpSetup::kActive : SdpSetup::kPassive;
  }
}

class Answerer {
 public:
  Answerer(const SessionDescription& offer, const SdpAnswerOptions& options)
      : offer_(offer), options_(options) {}

  std::optional<SdpNegotiation> Run(std::string& error);

 private:
  // Returns an empty string when accepted, else why not; fills `answer` and `result`.
  std::string AnswerRtp(const MediaDescription& offered, MediaDescription& answer,
                        SdpNegotiatedMedia& result);
  std::string AnswerData(const MediaDescription& offered, MediaDescription& answer,
                         SdpNegotiatedMedia& result);
  std::string CodecRejection(const MediaDescription& offered) const;
  bool Allowed(std::string_view name) const;
  static MediaDescription Rejected(const MediaDescription& offered);
  void AddTransport(const MediaDescription& offered, MediaDescription& answer) const;

  const SessionDescription& offer_;
  const SdpAnswerOptions& options_;
  size_t next_audio_track_ = 0;
  size_t next_video_track_ = 0;
};

bool Answerer::Allowed(std::string_view name) const {
  if (options_.allowed_codecs.empty()) return true;
  for (const std::string& allowed : options_.allowed_codecs) {
    if (EqualsIgnoreCase(allowed, name)) return true;
  }
  return false;
}

MediaDescription Answerer::Rejected(const MediaDescription& offered) {
  MediaDescription m;
  m.media = offered.media;
  m.port = 0;
  m.proto = offered.proto;
  m.formats = offered.formats;
  for (const SdpCodec& codec : offered.codecs) {
    SdpCodec bare;
    bare.payload_type = codec.payload_type;
    m.codecs.push_back(bare);
  }
  m.mid = offered.mid;
  m.direction = SdpDirection::kInactive;
  return m;
}

void Answerer::AddTransport(const MediaDescription& offered, MediaDescription& answer) const {
  const SdpLocalTransport& t = options_.transport;
  answer.port = 9;
  answer.connection = SdpConnection{"IN", "IP4", "0.0.0.0"};
  answer.ice_ufrag = t.ice_ufrag;
  answer.ice_pwd = t.ice_pwd;
  answer.ice_options = t.ice_options;
  answer.fingerprints = {t.fingerprint};
  answer.setup = AnswerSetup(offered.setup.value_or(SdpSetup::kActPass), options_.setup);
  answer.candidates = t.candidates;
  answer.end_of_candidates = t.end_of_candidates;
}

std::string Answerer::CodecRejection(const MediaDescription& offered) const {
  std::vector<std::string> allowed;
  for (const SdpCodecCapability& cap : options_.codecs) {
    if (cap.kind == offered.Kind() && Allowed(cap.name)) AddUnique(allowed, cap.name);
  }
  // Names of which some offered variant is supported (so the allowed list is what failed).
  std::vector<std::string> supported_names;
  for (const SdpCodec& codec : offered.codecs) {
    for (const SdpCodecCapability& cap : options_.codecs) {
      if (cap.Matches(offered.Kind(), codec)) AddUnique(supported_names, codec.name);
    }
  }
  std::vector<std::string> offered_names;
  for (const SdpCodec& codec : offered.codecs) {
    if (codec.name.empty()) {
      AddUnique(offered_names, StaticPayloadName(codec.payload_type));
      continue;
    }
    if (IsAuxiliaryCodec(codec.name)) continue;
    bool known_name = false, supported = false;
    for (const SdpCodecCapability& cap : options_.codecs) {
      known_name =
          known_name || (cap.kind == offered.Kind() && EqualsIgnoreCase(cap.name, codec.name));
    }
    for (const std::string& name : supported_names)
      supported = supported || name == codec.name;
    // A codec known by name of which no variant fits: show the parameters that differ.
    if (known_name && !supported && !codec.fmtp.empty()) {
      AddUnique(offered_names, codec.name + " (" + codec.fmtp + ")");
    } else {
      AddUnique(offered_names, codec.name);
    }
  }
  std::string kind(ToString(offered.Kind()));
  if (!supported_names.empty()) {
    return "no offered " + kind + " codec is allowed: offered " + Join(offered_names) +
           ", allowed " + Join(allowed);
  }
  return "no offered " + kind + " codec is supported: offered " + Join(offered_names) +
         ", supported " + Join(allowed);
}

std::string Answerer::AnswerRtp(const MediaDescription& offered, MediaDescription& answer,
                                SdpNegotiatedMedia& result) {
  if (!IsSecureRtpProto(offered.proto)) {
    return "protocol " + offered.proto + " is not DTLS-SRTP (WebRTC uses UDP/TLS/RTP/SAVPF)";
  }
  if (!offered.rtcp_mux) {
    return "no a=rtcp-mux: this endpoint carries RTP and RTCP on one port";
  }
  SdpDirection wanted = options_.direction;
  SdpDirection direction = MakeDirection(Sends(wanted) && Receives(offered.direction),
                                         Receives(wanted) && Sends(offered.direction));
  if (offered.direction == SdpDirection::kInactive) return "the offer marks it a=inactive";
  if (direction == SdpDirection::kInactive) {
    std::string hint;
    if (wanted == SdpDirection::kRecvOnly) {
      hint = " (a WHIP publisher sends: sendonly or sendrecv)";
    } else if (wanted == SdpDirection::kSendOnly) {
      hint = " (a WHEP player receives: recvonly or sendrecv)";
    }
    return "the offer is a=" + std::string(ToString(offered.direction)) + " and this endpoint is " +
           std::string(ToString(wanted)) + ": nothing would flow" + hint;
  }

  // Codecs: this endpoint's preference order, the offerer's payload types.
  std::vector<bool> taken(offered.codecs.size(), false);
  std::vector<std::pair<const SdpCodec*, const SdpCodecCapability*>> chosen;
  for (const SdpCodecCapability& cap : options_.codecs) {
    if (!Allowed(cap.name)) continue;
    for (size_t i = 0; i < offered.codecs.size(); ++i) {
      if (taken[i] || !cap.Matches(offered.Kind(), offered.codecs[i])) continue;
      taken[i] = true;
      chosen.emplace_back(&offered.codecs[i], &cap);
    }
  }
  if (options_.max_codecs_per_section != 0 && chosen.size() > options_.max_codecs_per_section) {
    chosen.resize(options_.max_codecs_per_section);
  }
  if (chosen.empty()) return CodecRejection(offered);

  answer.direction = direction;
  answer.rtcp_mux = true;
  answer.rtcp_rsize = offered.rtcp_rsize;
  answer.extmap_allow_mixed = offered.extmap_allow_mixed;
  result.direction = direction;
  result.rtcp_rsize = offered.rtcp_rsize;

  for (const auto& [codec, cap] : chosen) {
    SdpNegotiatedCodec n;
    n.payload_type = codec->payload_type;
    n.name = codec->name;
    n.clock_rate = codec->clock_rate;
    n.channels = codec->channels;
    n.fmtp = codec->fmtp;
    for (const auto* list : {&codec->feedback, &offered.feedback_all}) {
      for (const SdpRtcpFeedback& fb : *list) {
        if (HasFeedback(cap->feedback, fb) && !HasFeedback(n.feedback, fb)) {
          n.feedback.push_back(fb);
        }
      }
    }
    const SdpCodec* rtx = nullptr;
    if (cap->rtx) {
      for (const SdpCodec& candidate : offered.codecs) {
        if (EqualsIgnoreCase(candidate.name, "rtx") && candidate.clock_rate == codec->clock_rate &&
            FmtpParameter(candidate.fmtp, "apt") == std::to_string(codec->payload_type)) {
          rtx = &candidate;
          break;
        }
      }
    }
    answer.AddCodec(SdpCodec{n.payload_type, n.name, n.clock_rate, n.channels, n.fmtp, n.feedback});
    if (rtx != nullptr) {
      n.rtx_payload_type = rtx->payload_type;
      answer.AddCodec(SdpCodec{rtx->payload_type, rtx->name, rtx->clock_rate, 0, rtx->fmtp, {}});
    }
    result.codecs.push_back(std::move(n));
  }

  // Header extensions: the supported ones, with the offerer's ids.
  for (const SdpExtmap& e : offered.extmaps) {
    bool supported = false;
    for (const SdpHeaderExtensionCapability& cap : options_.header_extensions) {
      if (cap.uri == e.uri && ((offered.Kind() == MediaKind::kAudio && cap.audio) ||
                               (offered.Kind() == MediaKind::kVideo && cap.video))) {
        supported = true;
      }
    }
    // Ids above 14 need the two-byte header, which the offerer must have allowed.
    if (!supported || (e.id > 14 && !offered.extmap_allow_mixed)) continue;
    SdpExtmap a = e;
    if (a.direction) a.direction = Reverse(*a.direction);
    a.attributes.clear();
    answer.extmaps.push_back(a);
    result.extensions.push_back({e.id, e.uri});
  }

  // Simulcast: receive the layers the offerer sends.
  if (Receives(direction) && offered.simulcast && !offered.simulcast->send.empty()) {
    SdpSimulcast sc;
    for (const auto& stream : offered.simulcast->send) {
      std::vector<SdpSimulcastRid> alternatives;
      for (const SdpSimulcastRid& rid : stream) {
        for (const SdpRid& r : offered.rids) {
          if (r.id == rid.rid && r.direction == SdpDirection::kSendOnly) {
            alternatives.push_back(rid);
            answer.rids.push_back(SdpRid{r.id, SdpDirection::kRecvOnly, {}, {}});
          }
        }
      }
      if (!alternatives.empty()) sc.recv.push_back(std::move(alternatives));
    }
    if (!sc.recv.empty()) answer.simulcast = std::move(sc);
  }

  // What this endpoint sends in this section.
  if (Sends(direction)) {
    size_t& next = offered.Kind() == MediaKind::kAudio ? next_audio_track_ : next_video_track_;
    size_t seen = 0;
    for (const SdpLocalTrack& track : options_.tracks) {
      if (track.kind != offered.Kind() || seen++ != next) continue;
      ++next;
      std::string msid = track.stream_id.empty() ? std::string("-") : track.stream_id;
      if (!track.track_id.empty()) msid += " " + track.track_id;
      answer.msid = msid;
      answer.ssrcs.push_back(SdpSsrc{track.ssrc, track.cname, msid, {}});
      bool rtx = false;
      for (const SdpNegotiatedCodec& c : result.codecs)
        rtx = rtx || c.rtx_payload_type;
      if (rtx && track.rtx_ssrc != 0) {
        answer.ssrc_groups.push_back(SdpSsrcGroup{"FID", {track.ssrc, track.rtx_ssrc}});
        answer.ssrcs.push_back(SdpSsrc{track.rtx_ssrc, track.cname, msid, {}});
      }
      break;
    }
  }
  return {};
}

std::string Answerer::AnswerData(const MediaDescription& offered, MediaDescription& answer,
                                 SdpNegotiatedMedia& result) {
  if (!options_.accept_data_channels) return "data channels are not accepted here";
  if (!IsDataChannelProto(offered.proto)) {
    return "protocol " + offered.proto + " is not SCTP over DTLS (UDP/DTLS/SCTP)";
  }
  answer.direction = SdpDirection::kSendRecv;
  result.direction = SdpDirection::kSendRecv;
  result.local_sctp_port = options_.sctp_port;
  result.local_max_message_size = options_.max_message_size;
  answer.max_message_size = options_.max_message_size;
  // RFC 8841 default when the offer states no limit.
  result.remote_max_message_size = offered.max_message_size.value_or(65536);
  if (offered.proto == "DTLS/SCTP") {
    // The older form (draft-ietf-mmusic-sctp-sdp-05): the port is the format, a=sctpmap.
    uint16_t port = offered.sctpmap ? offered.sctpmap->port : 0;
    if (!offered.sctpmap && !offered.formats.empty()) {
      uint32_t parsed = 0;
      for (char c : offered.formats[0]) {
        if (c < '0' || c > '9' || parsed > 65535) {
          parsed = 0;
          break;
        }
        parsed = parsed * 10 + static_cast<uint32_t>(c - '0');
      }
      port = parsed <= 65535 ? static_cast<uint16_t>(parsed) : 0;
    }
    if (port == 0) return "m=application DTLS/SCTP without an SCTP port (a=sctpmap)";
    result.remote_sctp_port = port;
    answer.formats = {std::to_string(options_.sctp_port)};
    answer.sctpmap = SdpSctpMap{options_.sctp_port, "webrtc-datachannel", 65535};
    return {};
  }
  bool datachannel = false;
  for (const std::string& f : offered.formats)
    datachannel = datachannel || f == "webrtc-datachannel";
  if (!datachannel) return "m=application " + offered.proto + " without webrtc-datachannel";
  result.remote_sctp_port = offered.sctp_port.value_or(5000);
  answer.formats = {"webrtc-datachannel"};
  answer.sctp_port = options_.sctp_port;
  return {};
}

std::optional<SdpNegotiation> Answerer::Run(std::string& error) {
  if (offer_.media.empty()) {
    error = "the offer has no m= section: it describes no media";
    return std::nullopt;
  }
  const SdpGroup* bundle = offer_.BundleGroup();
  auto in_bundle = [&](const std::string& mid) {
    if (bundle == nullptr || mid.empty()) return false;
    for (const std::string& m : bundle->mids) {
      if (m == mid) return true;
    }
    return false;
  };

  SdpNegotiation out;
  std::vector<MediaDescription> sections;
  for (size_t i = 0; i < offer_.media.size(); ++i) {
    const MediaDescription& offered = offer_.media[i];
    SdpNegotiatedMedia result;
    result.index = i;
    result.mid = offered.mid;
    result.kind = offered.Kind();
    DescribeRemoteSection(offer_, offered, result);
    MediaDescription answer = Rejected(offered);
    std::string rejection;
    if (offered.port == 0 && !(offered.bundle_only && in_bundle(offered.mid))) {
      rejection = "the offer disabled it (port 0)";
    } else if (offered.mid.empty()) {
      rejection = "it has no a=mid, which WebRTC (and BUNDLE) need";
    } else {
      if (offered.port != 0 && !CheckRemoteTransport(offered, i, "offer", error)) {
        return std::nullopt;
      }
      if (offered.setup == SdpSetup::kHoldConn) {
        error = "the offer's " + DescribeSection(offered, i) +
                " has a=setup:holdconn; WebRTC offers use actpass";
        return std::nullopt;
      }
      MediaDescription accepted = answer;
      accepted.codecs.clear();
      accepted.formats.clear();
      if ((result.kind == MediaKind::kAudio || result.kind == MediaKind::kVideo) &&
          offered.IsRtp()) {
        rejection = AnswerRtp(offered, accepted, result);
      } else if (result.kind == MediaKind::kApplication && offered.IsSctp()) {
        rejection = AnswerData(offered, accepted, result);
      } else {
        rejection = "m=" + offered.media + " " + offered.proto + " is not supported";
      }
      if (rejection.empty()) {
        AddTransport(offered, accepted);
        answer = std::move(accepted);
        result.accepted = true;
      } else {
        result.codecs.clear();
        result.extensions.clear();
        result.direction = SdpDirection::kInactive;
      }
    }
    result.rejection = rejection;
    sections.push_back(std::move(answer));
    out.media.push_back(std::move(result));
  }

  // One transport for every accepted section.
  auto reject = [&](size_t i, std::string reason) {
    out.media[i].accepted = false;
    out.media[i].rejection = std::move(reason);
    out.media[i].codecs.clear();
    out.media[i].extensions.clear();
    out.media[i].direction = SdpDirection::kInactive;
    sections[i] = Rejected(offer_.media[i]);
  };
  std::optional<size_t> first;
  for (size_t i = 0; i < out.media.size(); ++i) {
    if (!out.media[i].accepted) continue;
    if (bundle != nullptr && !in_bundle(out.media[i].mid)) {
      reject(i,
             "not BUNDLE-able: it is not in the offer's a=group:BUNDLE, and this endpoint "
             "runs every section on one transport");
    } else if (bundle == nullptr && first) {
      reject(i,
             "not BUNDLE-able: the offer has no a=group:BUNDLE, so only one section can "
             "share this endpoint's transport");
    } else if (!first) {
      first = i;
    }
  }
  if (bundle != nullptr) {
    for (const std::string& mid : bundle->mids) {
      for (const SdpNegotiatedMedia& m : out.media) {
        if (m.accepted && m.mid == mid) out.bundle_mids.push_back(mid);
      }
    }
  } else if (first) {
    out.bundle_mids.push_back(out.media[*first].mid);
  }

  bool any_media = false, any_data = false;
  for (const SdpNegotiatedMedia& m : out.media) {
    if (!m.accepted) continue;
    any_media = any_media || m.kind == MediaKind::kAudio || m.kind == MediaKind::kVideo;
    any_data = any_data || m.kind == MediaKind::kApplication;
  }
  std::string reasons;
  size_t rejected_media = 0;
  for (const SdpNegotiatedMedia& m : out.media) {
    if (m.accepted) continue;
    if (m.kind == MediaKind::kAudio || m.kind == MediaKind::kVideo) ++rejected_media;
    if (!reasons.empty()) reasons += "; ";
    reasons += DescribeSection(offer_.media[m.index], m.index) + ": " + m.rejection;
  }
  if (!any_media && !any_data) {
    error = out.media.size() == 1 ? out.media[0].rejection
                                  : "no m= section can be accepted: " + reasons;
    return std::nullopt;
  }
  if (!any_media && options_.require_media) {
    error = rejected_media == 0
                ? "the offer has only data channels (m=application); this endpoint needs an "
                  "audio or video section"
                : "no audio or video section can be accepted, and data channels alone are not "
                  "enough here: " +
                      reasons;
    return std::nullopt;
  }

  // The transport: the BUNDLE tag, the first accepted section in the group.
  const std::string& tag_mid = out.bundle_mids.front();
  size_t tag = 0;
  for (size_t i = 0; i < out.media.size(); ++i) {
    if (out.media[i].accepted && out.media[i].mid == tag_mid) tag = i;
  }
  if (!CheckRemoteTransport(offer_.media[tag], tag, "offer", error)) return std::nullopt;
  out.remote = out.media[tag].remote;
  out.local_setup = sections[tag].setup.value_or(SdpSetup::kPassive);

  SessionDescription& answer = out.local;
  answer.origin.username = "-";
  answer.origin.session_id =
      options_.session_id.empty() ? std::to_string(base::RandomU64() >> 2) : options_.session_id;
  answer.origin.session_version = "2";
  answer.origin.address = options_.origin_address;
  answer.origin.addr_type = options_.origin_address.find(':') == std::string::npos ? "IP4" : "IP6";
  answer.session_name = "-";
  if (bundle != nullptr) answer.groups.push_back(SdpGroup{"BUNDLE", out.bundle_mids});
  answer.msid_semantic = SdpMsidSemantic{"WMS", {"*"}};
  answer.ice_lite = options_.transport.ice_lite;
  answer.media = std::move(sections);
  out.local_sdp = SdpWriter::Write(answer);
  return out;
}

}  // namespace

std::optional<SdpNegotiation> SdpAnswerer::Answer(const SessionDescription& offer,
                                                  const SdpAnswerOptions& options,
                                                  std::string& error) {
  Answerer answerer(offer, options);
  return answerer.Run(error);
}

}  // namespace tributary::rtc
