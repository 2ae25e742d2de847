#include "sfu/Session.h"

#include <spdlog/spdlog.h>

#include "base/Clock.h"
#include "rtc/IceCandidate.h"
#include "rtc/IceClient.h"
#include "rtc/IceServer.h"
#include "rtc/SdpWriter.h"

namespace tributary::sfu {

namespace {

using TransportCloseReason = rtc::WebRtcTransport::CloseReason;

SessionCloseReason FromTransport(TransportCloseReason reason) {
  switch (reason) {
    case TransportCloseReason::kConsentExpired:
      return SessionCloseReason::kConsentExpired;
    case TransportCloseReason::kDtlsClosed:
      return SessionCloseReason::kDtlsClosed;
    case TransportCloseReason::kDtlsFailed:
      return SessionCloseReason::kDtlsFailed;
    case TransportCloseReason::kIceFailed:
      return SessionCloseReason::kIceFailed;
    case TransportCloseReason::kConnectTimeout:
      return SessionCloseReason::kConnectTimeout;
    case TransportCloseReason::kNone:
    case TransportCloseReason::kLocal:
      break;
  }
  return SessionCloseReason::kError;
}

// Bytes SRTP adds to an RTP packet (the authentication tag) and SRTCP to an RTCP packet (the
// tag and the 4-byte E+index word), by profile (RFC 3711 3.4, RFC 7714 9).
size_t SrtpTagLength(rtc::SrtpProfile profile) {
  switch (profile) {
    case rtc::SrtpProfile::kAesCm128HmacSha1_80:
      return 10;
    case rtc::SrtpProfile::kAesCm128HmacSha1_32:
      return 4;
    case rtc::SrtpProfile::kAeadAes128Gcm:
    case rtc::SrtpProfile::kAeadAes256Gcm:
      return 16;
    case rtc::SrtpProfile::kNone:
      break;
  }
  return 0;
}

std::optional<rtc::DtlsFingerprint> PickFingerprint(const rtc::SdpRemoteTransport& remote) {
  std::optional<rtc::DtlsFingerprint> first;
  for (const auto& fingerprint : remote.fingerprints) {
    auto parsed = rtc::DtlsFingerprint::Parse(fingerprint.algorithm + " " + fingerprint.value);
    if (!parsed) continue;
    if (parsed->GetAlgorithm() == rtc::DtlsFingerprint::Algorithm::kSha256) return parsed;
    if (!first) first = parsed;
  }
  return first;
}

std::vector<rtc::IceCandidate> UdpCandidates(const std::vector<rtc::SdpCandidate>& candidates) {
  std::vector<rtc::IceCandidate> out;
  for (const auto& candidate : candidates) {
    if (candidate.transport != "udp" || candidate.component != 1) continue;
    auto parsed = rtc::IceCandidate::Parse("candidate:" + candidate.ToAttributeValue());
    if (parsed) out.push_back(*parsed);  // host names (mDNS) do not parse: skipped
  }
  return out;
}

}  // namespace

std::string_view SessionKindLabel(SessionKind kind) {
  return kind == SessionKind::kIngest ? "publish" : "play";
}

std::string_view ToString(SessionCloseReason reason) {
  switch (reason) {
    case SessionCloseReason::kNone:
      return "none";
    case SessionCloseReason::kDeleted:
      return "deleted";
    case SessionCloseReason::kConsentExpired:
      return "consent expired";
    case SessionCloseReason::kDtlsClosed:
      return "dtls closed";
    case SessionCloseReason::kDtlsFailed:
      return "dtls failed";
    case SessionCloseReason::kIceFailed:
      return "ice failed";
    case SessionCloseReason::kConnectTimeout:
      return "connect timeout";
    case SessionCloseReason::kKicked:
      return "kicked";
    case SessionCloseReason::kSourceEnded:
      return "source ended";
    case SessionCloseReason::kShutdown:
      return "shutdown";
    case SessionCloseReason::kBitrateExceeded:
      return "bitrate limit exceeded";
    case SessionCloseReason::kError:
      return "error";
  }
  return "unknown";
}

rtc::WebRtcTransportOptions Session::TransportOptions(const SessionInfo& info,
                                                      const SessionOptions& options) {
  rtc::WebRtcTransportOptions out = options.transport;
  out.id = info.id;
  return out;
}

Session::Session(SessionKind kind, SessionInfo info, Role role, SessionEnvironment& environment,
                 Listener& listener, SessionOptions options)
    : kind_(kind),
      info_(std::move(info)),
      role_(role),
      environment_(environment),
      listener_(listener),
      options_(std::move(options)),
      created_ms_(base::NowMs()) {
  net::UdpSocket* socket = &environment_.socket;
  rtc::UdpDemux* demux = &environment_.demux;
  if (role_ == Role::kClient) {
    own_demux_ = std::make_unique<rtc::UdpDemux>();
    own_socket_ = std::make_unique<net::UdpSocket>(environment_.io, options_.client_bind,
                                                   *own_demux_, options_.client_socket);
    socket = own_socket_.get();
    demux = own_demux_.get();
  }
  transport_ = std::make_unique<rtc::WebRtcTransport>(
      role_, *socket, *demux, environment_.dtls,
      static_cast<rtc::WebRtcTransport::Listener&>(*this), TransportOptions(info_, options_));
}

Session::~Session() = default;

const net::UdpSocket& Session::Socket() const {
  return own_socket_ ? *own_socket_ : environment_.socket;
}

std::string Session::LogContext() const {
  return "vhost=" + info_.key.vhost + " app=" + info_.key.app + " stream=" + info_.key.stream +
         " session=" + info_.id + " kind=" + std::string(SessionKindLabel(kind_)) +
         " role=" + std::string(rtc::WebRtcTransport::RoleName(role_));
}

rtc::SdpLocalTransport Session::LocalSdpTransport() const {
  rtc::SdpLocalTransport out;
  out.ice_ufrag = transport_->LocalIceParameters().ufrag;
  out.ice_pwd = transport_->LocalIceParameters().password;
  out.ice_lite = role_ == Role::kServer;
  const rtc::DtlsFingerprint& fingerprint = transport_->LocalFingerprint();
  out.fingerprint.algorithm =
      std::string(rtc::DtlsFingerprint::AlgorithmName(fingerprint.GetAlgorithm()));
  out.fingerprint.value = fingerprint.HexValue();
  for (const auto& candidate : transport_->LocalCandidates()) {
    std::string ignored;
    auto parsed = rtc::SdpCandidate::Parse(candidate.ToString(), ignored);
    if (parsed) out.candidates.push_back(std::move(*parsed));
  }
  out.end_of_candidates = true;
  return out;
}

void Session::FillOfferTransport(rtc::SdpOfferOptions& options) const {
  rtc::SdpLocalTransport local = LocalSdpTransport();
  options.ice_ufrag = std::move(local.ice_ufrag);
  options.ice_pwd = std::move(local.ice_pwd);
  options.fingerprint = std::move(local.fingerprint);
  options.candidates = std::move(local.candidates);
  options.end_of_candidates = true;
}

bool Session::Start(const rtc::SdpNegotiation& negotiation, uint64_t now_ms, std::string& error) {
  if (state_ != State::kNew) {
    error = "the session was already started";
    return false;
  }
  if (transport_->IsClosed()) {
    error = "the session's transport is closed";
    return false;
  }
  const auto fingerprint = PickFingerprint(negotiation.remote);
  if (!fingerprint) {
    error = "the remote description has no usable a=fingerprint";
    return false;
  }
  if (negotiation.remote.ice_ufrag.empty() || negotiation.remote.ice_pwd.empty()) {
    error = "the remote description has no a=ice-ufrag/a=ice-pwd";
    return false;
  }
  if (!StartMedia(negotiation, now_ms, error)) {
    spdlog::info("session failed: {} error=\"{}\"", LogContext(), error);
    return false;
  }
  for (const auto& media : negotiation.media) {
    if (media.accepted && !negotiation.bundle_mids.empty() &&
        media.mid == negotiation.bundle_mids.front()) {
      const rtc::MediaDescription* section = negotiation.local.FindMedia(media.mid);
      if (section != nullptr) bundle_section_ = *section;
    }
  }
  const auto local_dtls_role = negotiation.local_setup == rtc::SdpSetup::kActive
                                   ? rtc::DtlsTransport::Role::kClient
                                   : rtc::DtlsTransport::Role::kServer;
  transport_->SetRemoteDtlsParameters(local_dtls_role, *fingerprint);
  const auto candidates = UdpCandidates(negotiation.remote.candidates);
  remote_ice_ = {negotiation.remote.ice_ufrag, negotiation.remote.ice_pwd};
  transport_->SetRemoteIceParameters(remote_ice_, candidates);
  state_ = State::kStarted;
  spdlog::info("session created: {} {}", LogContext(), DescribeMedia());
  return true;
}

std::optional<std::string> Session::RestartIce(const rtc::SdpFragment& remote, std::string& error) {
  if (role_ != Role::kServer) {
    error = "ICE restarts are requested by the offering side";
    return std::nullopt;
  }
  if (IsClosed() || CloseRequested()) {
    error = "the session is closing";
    return std::nullopt;
  }
  std::string ufrag = remote.ice_ufrag;
  std::string pwd = remote.ice_pwd;
  for (const auto& section : remote.media) {
    if (!section.ice_ufrag.empty()) ufrag = remote.UfragFor(section);
    if (!section.ice_pwd.empty()) pwd = remote.PwdFor(section);
    if (!ufrag.empty() && !pwd.empty()) break;
  }
  if (ufrag.empty() || pwd.empty()) {
    error = "the fragment restarts ICE without both a=ice-ufrag and a=ice-pwd";
    return std::nullopt;
  }
  const rtc::IceParameters& local = transport_->RestartIce();
  remote_ice_ = {ufrag, pwd};
  transport_->SetRemoteIceParameters(remote_ice_);
  rtc::SdpLocalTransport ours = LocalSdpTransport();
  const rtc::SdpFragment answer = rtc::SdpFragment::ForSection(
      bundle_section_, local.ufrag, local.password, std::move(ours.candidates), true);
  spdlog::info("session ICE restart: {} ufrag={}", LogContext(), local.ufrag);
  return rtc::SdpWriter::WriteFragment(answer);
}

std::optional<std::string> Session::RequestIceRestart(std::string& error) {
  if (role_ != Role::kClient) {
    error = "the answering side restarts ICE when the offerer asks";
    return std::nullopt;
  }
  if (state_ == State::kNew || IsClosed() || CloseRequested()) {
    error = "the session is not running";
    return std::nullopt;
  }
  const rtc::IceParameters& local = transport_->RestartIce();
  rtc::SdpLocalTransport ours = LocalSdpTransport();
  const rtc::SdpFragment offer = rtc::SdpFragment::ForSection(
      bundle_section_, local.ufrag, local.password, std::move(ours.candidates), true);
  spdlog::info("session ICE restart requested: {} ufrag={}", LogContext(), local.ufrag);
  return rtc::SdpWriter::WriteFragment(offer);
}

bool Session::ApplyIceRestartAnswer(const rtc::SdpFragment& answer, std::string& error) {
  if (role_ != Role::kClient || IsClosed()) {
    error = "no ICE restart of ours is waiting for an answer";
    return false;
  }
  std::string ufrag = answer.ice_ufrag;
  std::string pwd = answer.ice_pwd;
  std::vector<rtc::SdpCandidate> all;
  for (const auto& section : answer.media) {
    if (!section.ice_ufrag.empty()) ufrag = answer.UfragFor(section);
    if (!section.ice_pwd.empty()) pwd = answer.PwdFor(section);
    all.insert(all.end(), section.candidates.begin(), section.candidates.end());
  }
  if (ufrag.empty() || pwd.empty()) {
    error = "the answer carries no a=ice-ufrag/a=ice-pwd";
    return false;
  }
  remote_ice_ = {ufrag, pwd};
  transport_->SetRemoteIceParameters(remote_ice_, UdpCandidates(all));
  return true;
}

size_t Session::AddRemoteCandidates(const rtc::SdpFragment& fragment) {
  std::vector<rtc::SdpCandidate> all;
  for (const auto& section : fragment.media) {
    for (const auto& candidate : section.candidates)
      all.push_back(candidate);
  }
  trickled_candidates_ += all.size();
  if (role_ == Role::kClient && state_ != State::kNew && !IsClosed()) {
    const auto candidates = UdpCandidates(all);
    if (!candidates.empty()) transport_->SetRemoteIceParameters(remote_ice_, candidates);
  }
  return all.size();
}

void Session::RequestClose(SessionCloseReason reason, std::string_view detail) {
  if (CloseRequested() || IsClosed()) return;
  close_reason_ = reason == SessionCloseReason::kNone ? SessionCloseReason::kError : reason;
  close_detail_ = std::string(detail);
  listener_.OnSessionCloseRequested(*this);
}

void Session::Close(SessionCloseReason reason) {
  if (IsClosed()) return;
  if (!CloseRequested()) close_reason_ = reason;
  const State previous = state_;
  if (previous != State::kNew) StopMedia(base::NowMs());
  transport_->Close();
  state_ = State::kClosed;
  if (previous == State::kNew) return;  // never started: not announced either
  const SessionCounters counters = GetCounters();
  const bool failure = close_reason_ == SessionCloseReason::kDtlsFailed ||
                       close_reason_ == SessionCloseReason::kIceFailed ||
                       close_reason_ == SessionCloseReason::kConnectTimeout ||
                       close_reason_ == SessionCloseReason::kError;
  spdlog::log(failure ? spdlog::level::warn : spdlog::level::info,
              "session closed: {} reason=\"{}\"{}{} duration_ms={} rtp_in={} rtp_out={} "
              "dropped={}",
              LogContext(), ToString(close_reason_), close_detail_.empty() ? "" : " detail=\"",
              close_detail_.empty() ? "" : close_detail_ + "\"", base::NowMs() - created_ms_,
              counters.rtp_packets_in, counters.rtp_packets_out, counters.TotalDrops());
}

void Session::Tick(uint64_t now_ms) {
  if (IsClosed()) return;
  transport_->Tick(now_ms);
  if (state_ != State::kNew && !IsClosed()) TickMedia(now_ms);
}

void Session::AddTransportCounters(SessionCounters& out) const {
  const auto& counters = transport_->GetCounters();
  const auto& drops = counters.drops;
  out.AddDrops(DropReason::kSrtp, drops.srtp_auth + drops.srtp_replay + drops.srtp_protect);
  out.AddDrops(DropReason::kUnknownAddress, drops.dtls_unknown_address + drops.rtp_unknown_address);
  out.AddDrops(DropReason::kNotConnected, drops.not_connected);
  out.AddDrops(DropReason::kMalformed, drops.malformed);
  out.AddDrops(DropReason::kQueueFull, drops.send_failed);
  uint64_t bad_integrity = 0;
  if (const rtc::IceServer* ice = transport_->GetIceServer()) {
    bad_integrity += ice->GetCounters().bad_integrity;
  }
  if (const rtc::IceClient* ice = transport_->GetIceClient()) {
    bad_integrity += ice->GetCounters().bad_integrity;
  }
  out.AddDrops(DropReason::kStunIntegrity, bad_integrity);
}

SessionCounters Session::GetCounters() const {
  SessionCounters out = own_;
  AddTransportCounters(out);
  AddMediaCounters(out);
  return out;
}

// ---------------------------------------------------------------------------------------------
// The transport's events

void Session::OnTransportIceConnected(rtc::WebRtcTransport& /*transport*/) {}

void Session::OnTransportConnected(rtc::WebRtcTransport& transport) {
  if (IsClosed() || CloseRequested()) return;
  const size_t tag = SrtpTagLength(transport.GetSrtpProfile());
  srtp_overhead_ = tag;
  srtcp_overhead_ = tag + 4;
  state_ = State::kConnected;
  connected_ms_ = base::NowMs();
  spdlog::info("session connected: {} remote={} srtp={} setup_ms={}", LogContext(),
               transport.SelectedRemote().ToString(),
               rtc::SrtpProfileName(transport.GetSrtpProfile()), connected_ms_ - created_ms_);
  OnMediaConnected(connected_ms_);
  listener_.OnSessionConnected(*this);
}

void Session::OnTransportClosed(rtc::WebRtcTransport& /*transport*/,
                                rtc::WebRtcTransport::CloseReason reason, std::string_view detail) {
  RequestClose(FromTransport(reason), detail);
}

void Session::OnTransportRtpPacket(rtc::WebRtcTransport& /*transport*/, std::span<uint8_t> rtp) {
  if (state_ != State::kConnected) return;
  ReceiveRtp(rtp, base::NowUs());
}

void Session::OnTransportRtcpPacket(rtc::WebRtcTransport& /*transport*/, std::span<uint8_t> rtcp) {
  ++own_.rtcp_packets_in;
  if (state_ != State::kConnected) return;
  ReceiveRtcp(rtcp, base::NowUs());
}

// ---------------------------------------------------------------------------------------------
// Adapters

void Session::TransportRtcpSink::SendRtcp(std::span<const uint8_t> packet) {
  if (session_.transport_->SendRtcpPacket(packet)) ++session_.own_.rtcp_packets_out;
}

std::span<uint8_t> Session::TransportRtpSender::PrepareSend() {
  return session_.transport_->PrepareSend();
}

bool Session::TransportRtpSender::CommitSend(size_t size) {
  if (!session_.transport_->CommitRtpPacket(size)) return false;
  ++session_.own_.rtp_packets_out;
  session_.own_.rtp_bytes_out += size + session_.srtp_overhead_;
  return true;
}

}  // namespace tributary::sfu
