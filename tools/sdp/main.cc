// tributary-sdp: look at, answer and check SDP offers with the same code the servers run.
//
//   tributary-sdp check offer.sdp                      parse; print a summary or the reason
//   tributary-sdp answer --direction recvonly offer.sdp [--allow opus,vp8] [--result r.json]
//                                                      answer as a WHIP (recvonly) or WHEP
//                                                      (sendonly) server would; SDP on stdout
//   tributary-sdp offer --direction sendonly            a client offer (audio + video) on stdout
//   tributary-sdp apply --offer offer.sdp answer.sdp   read a server's answer to our offer
//
// "-" reads standard input. Results are JSON. Exit status 1 with the reason on stderr when the
// input is refused. ICE credentials and the fingerprint are random unless given.

#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "base/Random.h"
#include "rtc/SdpAnswerer.h"
#include "rtc/SdpOfferer.h"
#include "rtc/SdpParser.h"
#include "rtc/SdpWriter.h"

using namespace tributary;
using namespace tributary::rtc;
using nlohmann::json;

namespace {

std::string ReadInput(const std::string& path) {
  if (path == "-") {
    return std::string(std::istreambuf_iterator<char>(std::cin), {});
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::optional<SessionDescription> ParseOrReport(const std::string& path) {
  std::string error;
  auto parsed = SdpParser::Parse(ReadInput(path), error);
  if (!parsed) std::cerr << path << ": " << error << "\n";
  return parsed;
}

SdpDirection DirectionFrom(const std::string& text) {
  auto d = ParseSdpDirection(text);
  if (!d) throw std::runtime_error("direction must be sendrecv, sendonly, recvonly or inactive");
  return *d;
}

std::string RandomFingerprint() {
  std::string hex = base::RandomHex(32), out;
  for (size_t i = 0; i < hex.size(); i += 2) {
    if (i > 0) out += ':';
    out += static_cast<char>(std::toupper(hex[i]));
    out += static_cast<char>(std::toupper(hex[i + 1]));
  }
  return out;
}

json TransportJson(const SdpRemoteTransport& t) {
  json fps = json::array();
  for (const SdpFingerprint& fp : t.fingerprints) {
    fps.push_back({{"algorithm", fp.algorithm}, {"value", fp.value}});
  }
  json candidates = json::array();
  for (const SdpCandidate& c : t.candidates)
    candidates.push_back(c.ToAttributeValue());
  return {{"ice_ufrag", t.ice_ufrag}, {"ice_pwd", t.ice_pwd},
          {"ice_lite", t.ice_lite},   {"ice_options", t.ice_options},
          {"fingerprints", fps},      {"setup", ToString(t.setup)},
          {"candidates", candidates}, {"end_of_candidates", t.end_of_candidates}};
}

json NegotiationJson(const SdpNegotiation& n) {
  json media = json::array();
  for (const SdpNegotiatedMedia& m : n.media) {
    json codecs = json::array();
    for (const SdpNegotiatedCodec& c : m.codecs) {
      json fb = json::array();
      for (const SdpRtcpFeedback& f : c.feedback) {
        fb.push_back(f.parameter.empty() ? f.type : f.type + " " + f.parameter);
      }
      codecs.push_back(
          {{"payload_type", c.payload_type},
           {"name", c.name},
           {"clock_rate", c.clock_rate},
           {"channels", c.channels},
           {"fmtp", c.fmtp},
           {"feedback", fb},
           {"rtx_payload_type", c.rtx_payload_type ? json(*c.rtx_payload_type) : json(nullptr)}});
    }
    json extensions = json::array();
    for (const SdpNegotiatedExtension& e : m.extensions) {
      extensions.push_back({{"id", e.id}, {"uri", e.uri}});
    }
    json ssrcs = json::array();
    for (const SdpRemoteSsrc& s : m.remote_ssrcs) {
      ssrcs.push_back({{"ssrc", s.ssrc},
                       {"rtx_ssrc", s.rtx_ssrc ? json(*s.rtx_ssrc) : json(nullptr)},
                       {"cname", s.cname},
                       {"msid_stream", s.msid_stream},
                       {"msid_track", s.msid_track}});
    }
    json rids = json::array();
    for (const SdpRid& r : m.remote_rids)
      rids.push_back(r.id);
    media.push_back({{"index", m.index},
                     {"mid", m.mid},
                     {"kind", ToString(m.kind)},
                     {"accepted", m.accepted},
                     {"rejection", m.rejection},
                     {"direction", ToString(m.direction)},
                     {"codecs", codecs},
                     {"extensions", extensions},
                     {"remote_ssrcs", ssrcs},
                     {"remote_rids", rids},
                     {"remote", TransportJson(m.remote)},
                     {"remote_sctp_port", m.remote_sctp_port},
                     {"remote_max_message_size", m.remote_max_message_size}});
  }
  return {{"bundle_mids", n.bundle_mids},
          {"remote", TransportJson(n.remote)},
          {"local_setup", ToString(n.local_setup)},
          {"media", media}};
}

void WriteJson(const json& j, const std::string& path) {
  if (path.empty()) return;
  if (path == "-") {
    std::cerr << j.dump(2) << "\n";
    return;
  }
  std::ofstream out(path);
  out << j.dump(2) << "\n";
}

std::vector<SdpCandidate> CandidatesFrom(const std::vector<std::string>& texts) {
  std::vector<SdpCandidate> out;
  for (const std::string& text : texts) {
    std::string error;
    auto c = SdpCandidate::Parse(text, error);
    if (!c) throw std::runtime_error("--candidate '" + text + "': " + error);
    out.push_back(*c);
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Parse, answer and check WebRTC SDP with Tributary's negotiator"};
  app.require_subcommand(1);

  std::string input = "-";
  auto* check = app.add_subcommand("check", "parse an SDP; print a summary or why it is refused");
  check->add_option("file", input, "SDP file, - for stdin");

  std::string direction = "recvonly", result_path, ufrag, pwd, fingerprint;
  std::vector<std::string> allow, candidate_texts;
  bool full_ice = false;
  auto* answer = app.add_subcommand("answer", "answer an offer as the server would");
  answer->add_option("file", input, "offer file, - for stdin");
  answer->add_option("--direction", direction, "recvonly (WHIP) or sendonly (WHEP)");
  answer->add_option("--allow", allow, "allowed codec names")
      ->delimiter(',')
      ->allow_extra_args(false);
  answer->add_option("--result", result_path, "write the negotiation result as JSON here");
  answer->add_option("--ufrag", ufrag);
  answer->add_option("--pwd", pwd);
  answer->add_option("--fingerprint", fingerprint, "sha-256 fingerprint, AB:CD:...");
  answer->add_option("--candidate", candidate_texts, "a candidate value to announce")
      ->allow_extra_args(false);
  answer->add_flag("--full-ice", full_ice, "do not announce ice-lite");

  std::string offer_direction = "sendonly";
  bool data = false;
  auto* offer = app.add_subcommand("offer", "print a client offer (audio + video)");
  offer->add_option("--direction", offer_direction, "sendonly (WHIP) or recvonly (WHEP)");
  offer->add_flag("--data", data, "add a data channel section");
  offer->add_option("--ufrag", ufrag);
  offer->add_option("--pwd", pwd);
  offer->add_option("--fingerprint", fingerprint);

  std::string offer_path;
  auto* apply = app.add_subcommand("apply", "read an answer to one of our offers");
  apply->add_option("--offer", offer_path, "the offer that was sent")->required();
  apply->add_option("file", input, "answer file, - for stdin");
  apply->add_option("--result", result_path, "write the result as JSON here (- for stderr)");

  CLI11_PARSE(app, argc, argv);
  try {
    if (ufrag.empty()) ufrag = base::RandomAlnum(8);
    if (pwd.empty()) pwd = base::RandomAlnum(24);
    if (fingerprint.empty()) fingerprint = RandomFingerprint();

    if (check->parsed()) {
      auto d = ParseOrReport(input);
      if (!d) return 1;
      std::cout << "ok: " << d->media.size() << " m= sections\n";
      for (const MediaDescription& m : d->media) {
        std::cout << "  mid " << m.mid << ": " << m.media << " " << m.proto << " "
                  << ToString(m.direction) << ", " << m.codecs.size() << " payload types, "
                  << m.candidates.size() << " candidates\n";
      }
      return 0;
    }
    if (answer->parsed()) {
      auto d = ParseOrReport(input);
      if (!d) return 1;
      SdpAnswerOptions options;
      options.direction = DirectionFrom(direction);
      options.allowed_codecs = allow;
      options.transport.ice_ufrag = ufrag;
      options.transport.ice_pwd = pwd;
      options.transport.ice_lite = !full_ice;
      options.transport.fingerprint = {"sha-256", fingerprint};
      options.transport.candidates = CandidatesFrom(candidate_texts);
      options.tracks = {
          {MediaKind::kAudio, base::RandomU32(), 0, "tributary", "tributary", "a"},
          {MediaKind::kVideo, base::RandomU32(), base::RandomU32(), "tributary", "tributary", "v"}};
      std::string error;
      auto n = SdpAnswerer::Answer(*d, options, error);
      if (!n) {
        std::cerr << "refused: " << error << "\n";
        return 1;
      }
      std::cout << n->local_sdp;
      WriteJson(NegotiationJson(*n), result_path);
      return 0;
    }
    if (offer->parsed()) {
      SdpOfferOptions options;
      options.ice_ufrag = ufrag;
      options.ice_pwd = pwd;
      options.fingerprint = {"sha-256", fingerprint};
      SdpDirection dir = DirectionFrom(offer_direction);
      SdpOfferSection audio = SdpOfferSection::Defaults(MediaKind::kAudio, dir, "0");
      SdpOfferSection video = SdpOfferSection::Defaults(MediaKind::kVideo, dir, "1");
      audio.ssrc = base::RandomU32();
      video.ssrc = base::RandomU32();
      video.rtx_ssrc = base::RandomU32();
      audio.cname = video.cname = "tributary";
      audio.stream_id = video.stream_id = "tributary";
      audio.track_id = "a";
      video.track_id = "v";
      options.sections = {audio, video};
      options.data_channel = data;
      std::cout << SdpWriter::Write(SdpOfferer::BuildOffer(options));
      return 0;
    }
    if (apply->parsed()) {
      auto o = ParseOrReport(offer_path);
      auto a = ParseOrReport(input);
      if (!o || !a) return 1;
      std::string error;
      auto n = SdpOfferer::ApplyAnswer(*o, *a, error);
      if (!n) {
        std::cerr << "refused: " << error << "\n";
        return 1;
      }
      WriteJson(NegotiationJson(*n), result_path.empty() ? "-" : result_path);
      return 0;
    }
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 2;
  }
  return 0;
}
