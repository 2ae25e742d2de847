#include "rtc/SdpOfferer.h"

#include <utility>

#include "base/Random.h"
#include "rtc/SdpCodecCapability.h"
#include "rtc/SdpWriter.h"

namespace tributary::rtc {

namespace {

const char kMidUri[] = "urn:ietf:params:rtp-hdrext:sdes:mid";
const char kAbsSendTimeUri[] = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";
const char kTransportCcUri[] =
    "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
const char kAudioLevelUri[] = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
const char kRidUri[] = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";
const char kRepairedRidUri[] = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id";

SdpNegotiatedCodec VideoCodec(uint8_t pt, std::string name, std::string fmtp, uint8_t rtx) {
  SdpNegotiatedCodec c;
  c.payload_type = pt;
  c.name = std::move(name);
  c.clock_rate = 90000;
  c.fmtp = std::move(fmtp);
  c.feedback = {
      {"goog-remb", ""}, {"transport-cc", ""}, {"ccm", "fir"}, {"nack", ""}, {"nack", "pli"}};
  c.rtx_payload_type = rtx;
  return c;
}

std::string SectionName(const MediaDescription& m, size_t index) {
  return DescribeSection(m, index);
}

}  // namespace

SdpOfferSection SdpOfferSection::Defaults(MediaKind kind, SdpDirection direction, std::string mid) {
  SdpOfferSection s;
  s.kind = kind;
  s.direction = direction;
  s.mid = std::move(mid);
  if (kind == MediaKind::kAudio) {
    SdpNegotiatedCodec opus;
    opus.payload_type = 111;
    opus.name = "opus";
    opus.clock_rate = 48000;
    opus.channels = 2;
    opus.fmtp = "minptime=10;useinbandfec=1";
    opus.feedback = {{"transport-cc", ""}};
    s.codecs = {opus};
    s.extensions = {{1, kMidUri}, {2, kAbsSendTimeUri}, {3, kTransportCcUri}, {4, kAudioLevelUri}};
  } else {
    s.codecs = {
        VideoCodec(96, "VP8", "", 97),
        VideoCodec(98, "VP9", "profile-id=0", 99),
        VideoCodec(102, "H264",
                   "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f", 103),
        VideoCodec(45, "AV1", "level-idx=5;profile=0;tier=0", 46),
    };
    s.extensions = {{1, kMidUri},
                    {2, kAbsSendTimeUri},
                    {3, kTransportCcUri},
                    {10, kRidUri},
                    {11, kRepairedRidUri}};
  }
  return s;
}

SessionDescription SdpOfferer::BuildOffer(const SdpOfferOptions& options) {
  SessionDescription offer;
  offer.origin.session_id =
      options.session_id.empty() ? std::to_string(base::RandomU64() >> 2) : options.session_id;
  offer.origin.session_version = "2";
  offer.origin.address = options.origin_address;
  offer.origin.addr_type = options.origin_address.find(':') == std::string::npos ? "IP4" : "IP6";
  offer.msid_semantic = SdpMsidSemantic{"WMS", {"*"}};
  SdpGroup bundle{"BUNDLE", {}};

  auto add_transport = [&](MediaDescription& m) {
    m.port = 9;
    m.connection = SdpConnection{"IN", "IP4", "0.0.0.0"};
    m.ice_ufrag = options.ice_ufrag;
    m.ice_pwd = options.ice_pwd;
    m.ice_options = options.ice_options;
    m.fingerprints = {options.fingerprint};
    m.setup = SdpSetup::kActPass;
    m.candidates = options.candidates;
    m.end_of_candidates = options.end_of_candidates;
  };

  for (const SdpOfferSection& s : options.sections) {
    MediaDescription m;
    m.media = std::string(ToString(s.kind));
    m.proto = "UDP/TLS/RTP/SAVPF";
    add_transport(m);
    m.mid = s.mid;
    m.direction = s.direction;
    m.rtcp_mux = true;
    m.rtcp_rsize = s.rtcp_rsize;
    for (const SdpNegotiatedExtension& e : s.extensions) {
      m.extmaps.push_back(SdpExtmap{e.id, std::nullopt, e.uri, {}});
    }
    bool any_rtx = false;
    for (const SdpNegotiatedCodec& c : s.codecs) {
      m.AddCodec(SdpCodec{c.payload_type, c.name, c.clock_rate, c.channels, c.fmtp, c.feedback});
      if (c.rtx_payload_type) {
        any_rtx = true;
        m.AddCodec(SdpCodec{*c.rtx_payload_type,
                            "rtx",
                            c.clock_rate,
                            0,
                            "apt=" + std::to_string(c.payload_type),
                            {}});
      }
    }
    if (Sends(s.direction)) {
      std::string msid = s.stream_id.empty() ? std::string("-") : s.stream_id;
      if (!s.track_id.empty()) msid += " " + s.track_id;
      m.msid = msid;
      if (!s.simulcast_rids.empty()) {
        SdpSimulcast sc;
        for (const std::string& rid : s.simulcast_rids) {
          m.rids.push_back(SdpRid{rid, SdpDirection::kSendOnly, {}, {}});
          sc.send.push_back({SdpSimulcastRid{rid, false}});
        }
        m.simulcast = std::move(sc);
      } else if (s.ssrc != 0) {
        if (any_rtx && s.rtx_ssrc != 0) {
          m.ssrc_groups.push_back(SdpSsrcGroup{"FID", {s.ssrc, s.rtx_ssrc}});
        }
        m.ssrcs.push_back(SdpSsrc{s.ssrc, s.cname, msid, {}});
        if (any_rtx && s.rtx_ssrc != 0) m.ssrcs.push_back(SdpSsrc{s.rtx_ssrc, s.cname, msid, {}});
      }
    }
    bundle.mids.push_back(m.mid);
    offer.media.push_back(std::move(m));
  }
  if (options.data_channel) {
    MediaDescription m;
    m.media = "application";
    m.proto = "UDP/DTLS/SCTP";
    m.formats = {"webrtc-datachannel"};
    add_transport(m);
    m.mid = options.data_mid.empty() ? std::to_string(offer.media.size()) : options.data_mid;
    m.sctp_port = options.sctp_port;
    m.max_message_size = options.max_message_size;
    bundle.mids.push_back(m.mid);
    offer.media.push_back(std::move(m));
  }
  offer.groups.push_back(std::move(bundle));
  return offer;
}

std::optional<SdpNegotiation> SdpOfferer::ApplyAnswer(const SessionDescription& offer,
                                                      const SessionDescription& answer,
                                                      std::string& error) {
  if (answer.media.size() != offer.media.size()) {
    error = "the answer has " + std::to_string(answer.media.size()) + " m= sections, the offer " +
            std::to_string(offer.media.size());
    return std::nullopt;
  }
  SdpNegotiation out;
  out.local = offer;
  out.local_sdp = SdpWriter::Write(offer);
  for (size_t i = 0; i < offer.media.size(); ++i) {
    const MediaDescription& o = offer.media[i];
    const MediaDescription& a = answer.media[i];
    std::string where = "the answer's " + SectionName(a, i);
    if (a.media != o.media || (!o.mid.empty() && a.mid != o.mid)) {
      error = where + " does not match the offer's " + SectionName(o, i);
      return std::nullopt;
    }
    SdpNegotiatedMedia result;
    result.index = i;
    result.mid = o.mid;
    result.kind = o.Kind();
    if (a.port == 0 && !a.bundle_only) {
      result.rejection = "the answerer rejected it (port 0)";
      out.media.push_back(std::move(result));
      continue;
    }
    DescribeRemoteSection(answer, a, result);
    if (a.port != 0 && !CheckRemoteTransport(a, i, "answer", error)) return std::nullopt;
    if (!a.setup) {
      result.remote.setup = SdpSetup::kActive;  // RFC 4145's default
    } else if (*a.setup != SdpSetup::kActive && *a.setup != SdpSetup::kPassive) {
      error = where + " has a=setup:" + std::string(ToString(*a.setup)) +
              "; an answer must say active or passive (RFC 8842)";
      return std::nullopt;
    }

    if (o.IsRtp()) {
      SdpDirection local = Reverse(a.direction);
      if ((Sends(local) && !Sends(o.direction)) || (Receives(local) && !Receives(o.direction))) {
        error = where + " is a=" + std::string(ToString(a.direction)) +
                ", which does not fit the offer's a=" + std::string(ToString(o.direction));
        return std::nullopt;
      }
      for (const SdpCodec& ac : a.codecs) {
        const SdpCodec* oc = o.FindCodec(ac.payload_type);
        if (oc == nullptr) {
          error = where + " uses payload type " + std::to_string(ac.payload_type) +
                  ", which the offer does not list";
          return std::nullopt;
        }
        std::string name = ac.name.empty() ? oc->name : ac.name;
        if (!ac.name.empty() &&
            (!EqualsIgnoreCase(ac.name, oc->name) || ac.clock_rate != oc->clock_rate)) {
          error = where + " maps payload type " + std::to_string(ac.payload_type) + " to " +
                  ac.name + "/" + std::to_string(ac.clock_rate) + ", the offer to " + oc->name +
                  "/" + std::to_string(oc->clock_rate);
          return std::nullopt;
        }
        if (name.empty() || IsAuxiliaryCodec(name)) continue;
        SdpNegotiatedCodec n;
        n.payload_type = ac.payload_type;
        n.name = oc->name;
        n.clock_rate = oc->clock_rate;
        n.channels = oc->channels;
        n.fmtp = ac.name.empty() ? oc->fmtp : ac.fmtp;
        n.feedback = ac.feedback;
        for (const SdpRtcpFeedback& fb : a.feedback_all)
          n.feedback.push_back(fb);
        for (const SdpCodec& rtx : a.codecs) {
          const SdpCodec* offered_rtx = o.FindCodec(rtx.payload_type);
          std::string rtx_name = rtx.name.empty() && offered_rtx ? offered_rtx->name : rtx.name;
          std::string rtx_fmtp = rtx.name.empty() && offered_rtx ? offered_rtx->fmtp : rtx.fmtp;
          if (EqualsIgnoreCase(rtx_name, "rtx") &&
              FmtpParameter(rtx_fmtp, "apt") == std::to_string(ac.payload_type)) {
            n.rtx_payload_type = rtx.payload_type;
          }
        }
        result.codecs.push_back(std::move(n));
      }
      if (result.codecs.empty()) {
        error = where + " accepts the section but lists no codec the offer has";
        return std::nullopt;
      }
      for (const SdpExtmap& e : a.extmaps) {
        bool offered = false;
        for (const SdpExtmap& oe : o.extmaps)
          offered = offered || (oe.id == e.id && oe.uri == e.uri);
        if (!offered) {
          error = where + " uses header extension id " + std::to_string(e.id) + " for " + e.uri +
                  ", which the offer does not";
          return std::nullopt;
        }
        result.extensions.push_back({e.id, e.uri});
      }
      result.direction = local;
      result.rtcp_rsize = a.rtcp_rsize && o.rtcp_rsize;
      if (local == SdpDirection::kInactive) {
        result.rejection = "the answerer made it inactive";
        out.media.push_back(std::move(result));
        continue;
      }
    } else if (o.IsSctp()) {
      result.direction = SdpDirection::kSendRecv;
      result.local_sctp_port = o.sctp_port ? *o.sctp_port : (o.sctpmap ? o.sctpmap->port : 5000);
      result.local_max_message_size = o.max_message_size.value_or(65536);
      result.remote_sctp_port =
          a.sctp_port ? *a.sctp_port : (a.sctpmap ? a.sctpmap->port : uint16_t{5000});
      result.remote_max_message_size = a.max_message_size.value_or(65536);
    }
    result.accepted = true;
    out.media.push_back(std::move(result));
  }

  if (out.AcceptedCount() == 0) {
    std::string reasons;
    for (const SdpNegotiatedMedia& m : out.media) {
      if (!reasons.empty()) reasons += "; ";
      reasons += SectionName(offer.media[m.index], m.index) + ": " + m.rejection;
    }
    error = "the answer accepts no section: " + reasons;
    return std::nullopt;
  }
  if (const SdpGroup* bundle = answer.BundleGroup()) {
    for (const std::string& mid : bundle->mids) {
      const SdpNegotiatedMedia* m = out.FindMedia(mid);
      if (m != nullptr && m->accepted) out.bundle_mids.push_back(mid);
    }
  }
  if (out.bundle_mids.empty() && out.AcceptedCount() == 1) {
    for (const SdpNegotiatedMedia& m : out.media) {
      if (m.accepted) out.bundle_mids.push_back(m.mid);
    }
  }
  if (out.bundle_mids.size() != out.AcceptedCount()) {
    error = "the answer accepts " + std::to_string(out.AcceptedCount()) +
            " sections but does not BUNDLE them all; this client runs one transport";
    return std::nullopt;
  }
  const SdpNegotiatedMedia* tag = out.FindMedia(out.bundle_mids.front());
  const MediaDescription& tag_section = answer.media[tag->index];
  if (!CheckRemoteTransport(tag_section, tag->index, "answer", error)) return std::nullopt;
  out.remote = tag->remote;
  out.local_setup = out.remote.setup == SdpSetup::kActive ? SdpSetup::kPassive : SdpSetup::kActive;
  return out;
}

}  // namespace tributary::rtc
