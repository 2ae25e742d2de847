#include "rtc/SdpWriter.h"

#include <string_view>

namespace tributary::rtc {

namespace {

class Lines {
 public:
  explicit Lines(std::string& out) : out_(out) {}
  Lines& Begin(std::string_view prefix) {
    out_ += prefix;
    return *this;
  }
  Lines& operator<<(std::string_view text) {
    out_ += text;
    return *this;
  }
  Lines& operator<<(uint64_t value) {
    out_ += std::to_string(value);
    return *this;
  }
  void End() { out_ += "\r\n"; }
  void Line(std::string_view prefix, std::string_view value) {
    Begin(prefix) << value;
    End();
  }

 private:
  std::string& out_;
};

std::string Join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += separator;
    out += items[i];
  }
  return out;
}

void WriteGroup(Lines& w, const SdpGroup& group) {
  w.Begin("a=group:") << group.semantics;
  for (const std::string& mid : group.mids)
    w << " " << mid;
  w.End();
}

void WriteIce(Lines& w, const std::string& ufrag, const std::string& pwd,
              const std::vector<std::string>& options) {
  if (!ufrag.empty()) w.Line("a=ice-ufrag:", ufrag);
  if (!pwd.empty()) w.Line("a=ice-pwd:", pwd);
  if (!options.empty()) w.Line("a=ice-options:", Join(options, " "));
}

void WriteTransport(Lines& w, const std::string& ufrag, const std::string& pwd,
                    const std::vector<std::string>& options,
                    const std::vector<SdpFingerprint>& fingerprints,
                    const std::optional<SdpSetup>& setup) {
  WriteIce(w, ufrag, pwd, options);
  for (const SdpFingerprint& fp : fingerprints) {
    w.Begin("a=fingerprint:") << fp.algorithm << " " << fp.value;
    w.End();
  }
  if (setup) w.Line("a=setup:", ToString(*setup));
}

void WriteExtmap(Lines& w, const SdpExtmap& e) {
  w.Begin("a=extmap:") << e.id;
  if (e.direction) w << "/" << ToString(*e.direction);
  w << " " << e.uri;
  if (!e.attributes.empty()) w << " " << e.attributes;
  w.End();
}

void WriteConnection(Lines& w, const SdpConnection& c) {
  w.Begin("c=") << c.net_type << " " << c.addr_type << " " << c.address;
  w.End();
}

void WriteMediaLine(Lines& w, const MediaDescription& m) {
  w.Begin("m=") << m.media << " " << m.port;
  if (m.port_count) w << "/" << *m.port_count;
  w << " " << m.proto;
  for (const std::string& format : m.formats)
    w << " " << format;
  w.End();
}

void WriteCandidates(Lines& w, const std::vector<SdpCandidate>& candidates,
                     bool end_of_candidates) {
  for (const SdpCandidate& c : candidates)
    w.Line("a=candidate:", c.ToAttributeValue());
  if (end_of_candidates) w.Line("a=end-of-candidates", "");
}

void WriteSimulcastList(Lines& w, const std::vector<std::vector<SdpSimulcastRid>>& streams) {
  for (size_t i = 0; i < streams.size(); ++i) {
    if (i > 0) w << ";";
    for (size_t k = 0; k < streams[i].size(); ++k) {
      if (k > 0) w << ",";
      if (streams[i][k].paused) w << "~";
      w << streams[i][k].rid;
    }
  }
}

void WriteMedia(Lines& w, const MediaDescription& m, bool session_direction) {
  WriteMediaLine(w, m);
  if (m.connection) WriteConnection(w, *m.connection);
  for (const std::string& b : m.bandwidths)
    w.Line("b=", b);
  if (!m.mid.empty()) w.Line("a=mid:", m.mid);
  WriteTransport(w, m.ice_ufrag, m.ice_pwd, m.ice_options, m.fingerprints, m.setup);
  // Data sections leave out the default direction, as browsers do (unless the session sets
  // another default, which the section's would then silently take).
  if (m.IsRtp() || m.direction != SdpDirection::kSendRecv || session_direction) {
    w.Line("a=", ToString(m.direction));
  }
  if (!m.msid.empty()) w.Line("a=msid:", m.msid);
  if (m.rtcp_mux) w.Line("a=rtcp-mux", "");
  if (m.rtcp_mux_only) w.Line("a=rtcp-mux-only", "");
  if (m.rtcp_rsize) w.Line("a=rtcp-rsize", "");
  if (m.bundle_only) w.Line("a=bundle-only", "");
  if (m.extmap_allow_mixed) w.Line("a=extmap-allow-mixed", "");
  for (const SdpExtmap& e : m.extmaps)
    WriteExtmap(w, e);
  for (const SdpCodec& codec : m.codecs) {
    if (!codec.name.empty()) {
      w.Begin("a=rtpmap:") << codec.payload_type << " " << codec.name << "/" << codec.clock_rate;
      if (codec.channels != 0) w << "/" << codec.channels;
      w.End();
    }
    for (const SdpRtcpFeedback& fb : codec.feedback) {
      w.Begin("a=rtcp-fb:") << codec.payload_type << " " << fb.type;
      if (!fb.parameter.empty()) w << " " << fb.parameter;
      w.End();
    }
    if (!codec.fmtp.empty()) {
      w.Begin("a=fmtp:") << codec.payload_type << " " << codec.fmtp;
      w.End();
    }
  }
  for (const SdpRtcpFeedback& fb : m.feedback_all) {
    w.Begin("a=rtcp-fb:* ") << fb.type;
    if (!fb.parameter.empty()) w << " " << fb.parameter;
    w.End();
  }
  for (const SdpSsrcGroup& group : m.ssrc_groups) {
    w.Begin("a=ssrc-group:") << group.semantics;
    for (uint32_t ssrc : group.ssrcs)
      w << " " << ssrc;
    w.End();
  }
  for (const SdpSsrc& s : m.ssrcs) {
    bool wrote = false;
    if (!s.cname.empty()) {
      w.Begin("a=ssrc:") << s.ssrc << " cname:" << s.cname;
      w.End();
      wrote = true;
    }
    if (!s.msid.empty()) {
      w.Begin("a=ssrc:") << s.ssrc << " msid:" << s.msid;
      w.End();
      wrote = true;
    }
    for (const std::string& attribute : s.attributes) {
      w.Begin("a=ssrc:") << s.ssrc << " " << attribute;
      w.End();
      wrote = true;
    }
    if (!wrote) {
      w.Begin("a=ssrc:") << s.ssrc;
      w.End();
    }
  }
  for (const SdpRid& rid : m.rids) {
    w.Begin("a=rid:") << rid.id << (rid.direction == SdpDirection::kRecvOnly ? " recv" : " send");
    if (!rid.restrictions.empty()) w << " " << rid.restrictions;
    w.End();
  }
  if (m.simulcast) {
    w.Begin("a=simulcast:");
    if (!m.simulcast->send.empty()) {
      w << "send ";
      WriteSimulcastList(w, m.simulcast->send);
    }
    if (!m.simulcast->recv.empty()) {
      w << (m.simulcast->send.empty() ? "recv " : " recv ");
      WriteSimulcastList(w, m.simulcast->recv);
    }
    w.End();
  }
  if (m.sctp_port) w.Line("a=sctp-port:", std::to_string(*m.sctp_port));
  if (m.sctpmap) {
    w.Begin("a=sctpmap:") << m.sctpmap->port << " " << m.sctpmap->protocol;
    if (m.sctpmap->streams != 0) w << " " << m.sctpmap->streams;
    w.End();
  }
  if (m.max_message_size) w.Line("a=max-message-size:", std::to_string(*m.max_message_size));
  WriteCandidates(w, m.candidates, m.end_of_candidates);
  for (const std::string& attribute : m.attributes)
    w.Line("a=", attribute);
}

}  // namespace

std::string SdpWriter::Write(const SessionDescription& d) {
  std::string out;
  out.reserve(1024 + 1024 * d.media.size());
  Lines w(out);
  w.Line("v=", "0");
  const SdpOrigin& o = d.origin;
  w.Begin("o=") << o.username << " " << o.session_id << " " << o.session_version << " "
                << o.net_type << " " << o.addr_type << " " << o.address;
  w.End();
  w.Line("s=", d.session_name);
  if (d.connection) WriteConnection(w, *d.connection);
  for (const std::string& b : d.bandwidths)
    w.Line("b=", b);
  w.Begin("t=") << d.start_time << " " << d.stop_time;
  w.End();
  for (const SdpGroup& group : d.groups)
    WriteGroup(w, group);
  if (d.extmap_allow_mixed) w.Line("a=extmap-allow-mixed", "");
  if (d.msid_semantic) {
    w.Begin("a=msid-semantic:") << d.msid_semantic->semantic;
    for (const std::string& id : d.msid_semantic->ids)
      w << " " << id;
    w.End();
  }
  if (d.ice_lite) w.Line("a=ice-lite", "");
  WriteTransport(w, d.ice_ufrag, d.ice_pwd, d.ice_options, d.fingerprints, d.setup);
  if (d.direction) w.Line("a=", ToString(*d.direction));
  for (const SdpExtmap& e : d.extmaps)
    WriteExtmap(w, e);
  if (d.end_of_candidates) w.Line("a=end-of-candidates", "");
  for (const std::string& attribute : d.attributes)
    w.Line("a=", attribute);
  for (const MediaDescription& m : d.media)
    WriteMedia(w, m, d.direction.has_value());
  return out;
}

std::string SdpWriter::WriteFragment(const SdpFragment& f) {
  std::string out;
  Lines w(out);
  if (f.ice_lite) w.Line("a=ice-lite", "");
  WriteIce(w, f.ice_ufrag, f.ice_pwd, f.ice_options);
  for (const SdpGroup& group : f.groups)
    WriteGroup(w, group);
  if (f.end_of_candidates) w.Line("a=end-of-candidates", "");
  for (const MediaDescription& m : f.media) {
    WriteMediaLine(w, m);
    if (!m.mid.empty()) w.Line("a=mid:", m.mid);
    WriteIce(w, m.ice_ufrag, m.ice_pwd, m.ice_options);
    WriteCandidates(w, m.candidates, m.end_of_candidates);
  }
  return out;
}

}  // namespace tributary::rtc
