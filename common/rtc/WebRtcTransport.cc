#include "rtc/WebRtcTransport.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <utility>

#include <spdlog/spdlog.h>

#include "base/Clock.h"
#include "base/Random.h"
#include "rtc/UdpDemux.h"

namespace tributary::rtc {

namespace {

// Stale registrations (tuples ICE no longer considers valid) are dropped this often.
constexpr uint64_t kPruneIntervalMs = 1000;
constexpr size_t kRtpHeaderSize = 12;  // RFC 3550 5.1
constexpr size_t kRtcpHeaderSize = 8;  // RFC 3550 6.4: header and SSRC

// RFC 5761 4: RTCP packet types 192..223 are RTP payload types 64..95 with the marker bit.
bool IsRtcp(std::span<const uint8_t> data) {
  const uint8_t type = data[1] & 0x7f;
  return type >= 64 && type <= 95;
}

bool IsUnspecified(const net::Endpoint& endpoint) {
  const auto bytes = endpoint.AddressBytes();
  return std::all_of(bytes.begin(), bytes.end(), [](uint8_t b) { return b == 0; });
}

}  // namespace

WebRtcTransport::WebRtcTransport(Role role, net::UdpSocket& socket, UdpDemux& demux,
                                 DtlsTransport::Context& dtls_context, Listener& listener,
                                 Options options)
    : role_(role),
      socket_(socket),
      demux_(demux),
      dtls_context_(dtls_context),
      listener_(listener),
      options_(std::move(options)),
      id_(options_.id.empty() ? base::RandomHex(4) : options_.id) {
  const net::Endpoint& local = socket_.LocalEndpoint();
  std::vector<net::Endpoint> addresses;
  for (const auto& ip : options_.announced_ips) {
    const auto endpoint = net::Endpoint::Parse(ip, local.Port());
    if (!endpoint) {
      throw std::invalid_argument("WebRtcTransport: announced IP \"" + ip +
                                  "\" is not an IPv4 or IPv6 address");
    }
    addresses.push_back(*endpoint);
  }
  if (addresses.empty() && local.IsValid() && !IsUnspecified(local)) addresses.push_back(local);
  for (size_t i = 0; i < addresses.size(); ++i) {
    IceCandidate candidate;
    candidate.foundation = std::to_string(i + 1);
    candidate.component = 1;
    candidate.transport = IceCandidate::Transport::kUdp;
    candidate.priority = IceCandidate::ComputePriority(IceCandidate::Type::kHost,
                                                       static_cast<uint16_t>(65535 - i), 1);
    candidate.endpoint = addresses[i];
    candidate.type = IceCandidate::Type::kHost;
    local_candidates_.push_back(std::move(candidate));
  }

  // Everything that can throw comes before the demux learns about us.
  dtls_ = std::make_unique<DtlsTransport>(
      dtls_context_, static_cast<DtlsTransport::Listener&>(*this), options_.dtls);
  local_ice_ = NewIceParameters();  // registers the ufrag
  if (role_ == Role::kServer) {
    ice_server_ = std::make_unique<IceServer>(static_cast<IceServer::Listener&>(*this),
                                              local_ice_.ufrag, local_ice_.password,
                                              IceServerOptions{options_.consent_timeout_ms});
  }
  registered_remotes_.reserve(IceServer::kMaxTuples + IceClient::kMaxPairs);
  created_ms_ = base::NowMs();
  next_prune_ms_ = created_ms_ + kPruneIntervalMs;
  spdlog::debug("WebRtcTransport {}: created ({}, {} candidate(s), ufrag {})", id_, RoleName(role_),
                local_candidates_.size(), local_ice_.ufrag);
}

WebRtcTransport::~WebRtcTransport() {
  UnregisterAll();
}

IceParameters WebRtcTransport::NewIceParameters() {
  IceParameters parameters;
  do {
    parameters.ufrag = base::RandomAlnum(kUfragLength);
  } while (!demux_.RegisterUfrag(parameters.ufrag, *this));
  parameters.password = base::RandomAlnum(kPasswordLength);
  return parameters;
}

const DtlsFingerprint& WebRtcTransport::LocalFingerprint() const {
  return dtls_context_.LocalFingerprint();
}

DtlsTransport::Role WebRtcTransport::DefaultDtlsRole() const {
  return role_ == Role::kServer ? DtlsTransport::Role::kServer : DtlsTransport::Role::kClient;
}

SrtpProfile WebRtcTransport::GetSrtpProfile() const {
  return dtls_->GetSrtpProfile();
}

// ---------------------------------------------------------------------------------------------
// Remote parameters, ICE restart

void WebRtcTransport::SetRemoteIceParameters(const IceParameters& remote,
                                             std::span<const IceCandidate> candidates) {
  if (IsClosed()) return;
  remote_ice_ = remote;
  if (role_ == Role::kServer) return;  // ICE-lite learns the peer's tuples from its checks
  if (ice_client_ && !ice_restart_pending_) {
    // More candidates for the running checks (trickled).
    for (const auto& candidate : candidates) {
      remote_candidates_.push_back(candidate);
      ice_client_->AddRemoteCandidate(candidate);
    }
    return;
  }
  remote_candidates_.assign(candidates.begin(), candidates.end());
  StartIceClient();
}

void WebRtcTransport::StartIceClient() {
  IceClientOptions options = options_.ice_client;
  options.consent_timeout_ms = options_.consent_timeout_ms;
  options.ipv4 = socket_.LocalEndpoint().IsIpv4();
  options.ipv6 = socket_.LocalEndpoint().IsIpv6();
  auto client = std::make_unique<IceClient>(static_cast<IceClient::Listener&>(*this),
                                            local_ice_.ufrag, local_ice_.password, options);
  client->SetRemoteCredentials(remote_ice_.ufrag, remote_ice_.password);
  for (const auto& candidate : remote_candidates_)
    client->AddRemoteCandidate(candidate);
  // The client being replaced may be on the stack (a listener restarting ICE from a callback).
  if (ice_client_) retired_ice_clients_.push_back(std::move(ice_client_));
  ice_client_ = std::move(client);
  if (ice_restart_pending_) {
    ice_restart_pending_ = false;
    if (!old_local_ufrag_.empty()) {
      demux_.UnregisterUfrag(old_local_ufrag_, *this);
      old_local_ufrag_.clear();
    }
  }
  ice_client_->Start(base::NowMs());
}

void WebRtcTransport::SetRemoteDtlsParameters(DtlsTransport::Role local_role,
                                              const DtlsFingerprint& remote_fingerprint) {
  if (IsClosed() || dtls_role_) return;
  dtls_role_ = local_role;
  remote_fingerprint_ = remote_fingerprint;
  MaybeStartDtls();
}

void WebRtcTransport::MaybeStartDtls() {
  if (dtls_started_ || !dtls_role_ || IsClosed()) return;
  // A DTLS client needs a tuple to send its ClientHello to.
  if (*dtls_role_ == DtlsTransport::Role::kClient && !selected_remote_.IsValid()) return;
  dtls_started_ = true;
  spdlog::debug("WebRtcTransport {}: DTLS {} starting", id_, DtlsTransport::RoleName(*dtls_role_));
  dtls_->Start(*dtls_role_, *remote_fingerprint_);
  if (!IsClosed()) ArmDtlsTimer(base::NowMs());
}

const IceParameters& WebRtcTransport::RestartIce() {
  if (IsClosed()) return local_ice_;
  // At most one previous ufrag stays routable: IceServer remembers one generation too.
  if (!old_local_ufrag_.empty()) demux_.UnregisterUfrag(old_local_ufrag_, *this);
  old_local_ufrag_ = local_ice_.ufrag;
  local_ice_ = NewIceParameters();
  if (role_ == Role::kServer) {
    ice_server_->RestartIce(local_ice_.ufrag, local_ice_.password);
  } else {
    ice_restart_pending_ = true;  // the checks restart with the peer's new credentials
  }
  spdlog::info("WebRtcTransport {}: ICE restart (ufrag {})", id_, local_ice_.ufrag);
  return local_ice_;
}

// ---------------------------------------------------------------------------------------------
// Receiving

void WebRtcTransport::ReceivePacket(std::span<uint8_t> data, const net::Endpoint& from) {
  if (IsClosed()) return;
  ++counters_.packets_in;
  counters_.bytes_in += data.size();
  if (data.empty()) {
    ++counters_.drops.malformed;
    return;
  }
  const uint8_t first = data[0];
  if (first >= 128 && first <= 191) {  // RFC 7983: RTP/RTCP, the common case first
    ReceiveSrtp(data, from);
  } else if (first >= 20 && first <= 63) {
    ReceiveDtls(data, from);
  } else if (first <= 3) {
    const auto message = StunMessage::Parse(data);
    if (!message) {
      ++counters_.drops.malformed;
      return;
    }
    ProcessStun(*message, from);
  } else {
    ++counters_.drops.malformed;
  }
}

void WebRtcTransport::ReceiveStunMessage(const StunMessage& message, const net::Endpoint& from) {
  if (IsClosed()) return;
  ++counters_.packets_in;
  counters_.bytes_in += message.Bytes().size();
  ProcessStun(message, from);
}

void WebRtcTransport::ProcessStun(const StunMessage& message, const net::Endpoint& from) {
  ++counters_.stun_packets_in;
  const uint64_t now_ms = base::NowMs();
  if (role_ == Role::kClient) {
    if (ice_client_) ice_client_->ProcessStunPacket(message, from, now_ms);
    return;
  }
  const auto& server_counters = ice_server_->GetCounters();
  const uint64_t answered_before =
      server_counters.responses_sent + server_counters.error_responses_sent;
  ice_server_->ProcessStunPacket(message, net::FiveTuple{socket_.LocalEndpoint(), from}, now_ms);
  if (IsClosed() || old_local_ufrag_.empty()) return;
  // After an ICE restart the old ufrag stays routable until the peer authenticates with the new
  // one (IceServer forgets the old credentials at that moment too).
  const bool answered =
      server_counters.responses_sent + server_counters.error_responses_sent > answered_before;
  const auto username = message.Username();
  if (answered && username && IceServer::LocalUfragOf(*username) == local_ice_.ufrag) {
    demux_.UnregisterUfrag(old_local_ufrag_, *this);
    old_local_ufrag_.clear();
  }
}

void WebRtcTransport::ReceiveDtls(std::span<const uint8_t> data, const net::Endpoint& from) {
  const bool validated =
      role_ == Role::kServer
          ? ice_server_->IsValidTuple(net::FiveTuple{socket_.LocalEndpoint(), from})
          : (selected_remote_.IsValid() && from == selected_remote_);
  if (!validated) {
    ++counters_.drops.dtls_unknown_address;
    return;
  }
  if (!dtls_started_) {
    ++counters_.drops.not_connected;  // the ClientHello came before our remote parameters
    return;
  }
  ++counters_.dtls_packets_in;
  dtls_->ProcessDtlsData(data);
  if (IsClosed()) return;
  if (dtls_->GetState() == DtlsTransport::State::kConnecting) {
    ArmDtlsTimer(base::NowMs());
  } else {
    dtls_deadline_ms_.reset();
  }
}

void WebRtcTransport::ReceiveSrtp(std::span<uint8_t> data, const net::Endpoint& from) {
  if (state_ != State::kConnected) {
    ++counters_.drops.not_connected;
    return;
  }
  if (from != selected_remote_) {
    ++counters_.drops.rtp_unknown_address;
    return;
  }
  if (data.size() < 2) {
    ++counters_.drops.malformed;
    return;
  }
  const bool rtcp = IsRtcp(data);
  size_t length = data.size();
  SrtpSession::Result result;
  if (rtcp) {
    if (length < kRtcpHeaderSize) {
      ++counters_.drops.malformed;
      return;
    }
    result = srtp_inbound_->UnprotectRtcp(data.data(), length);
  } else {
    if (length < kRtpHeaderSize) {
      ++counters_.drops.malformed;
      return;
    }
    result = srtp_inbound_->UnprotectRtp(data.data(), length);
  }
  switch (result) {
    case SrtpSession::Result::kOk:
      break;
    case SrtpSession::Result::kAuthFail:
      ++counters_.drops.srtp_auth;
      return;
    case SrtpSession::Result::kReplayFail:
    case SrtpSession::Result::kReplayOld:
      ++counters_.drops.srtp_replay;
      return;
    default:
      ++counters_.drops.malformed;
      return;
  }
  if (rtcp) {
    ++counters_.rtcp_packets_in;
    listener_.OnTransportRtcpPacket(*this, data.first(length));
  } else {
    ++counters_.rtp_packets_in;
    listener_.OnTransportRtpPacket(*this, data.first(length));
  }
}

// ---------------------------------------------------------------------------------------------
// Sending

bool WebRtcTransport::SendDatagram(std::span<const uint8_t> data, const net::Endpoint& to) {
  if (!to.IsValid() || !socket_.Send(data, to)) {
    ++counters_.drops.send_failed;
    return false;
  }
  ++counters_.packets_out;
  counters_.bytes_out += data.size();
  return true;
}

bool WebRtcTransport::SendRtpPacket(std::span<const uint8_t> rtp) {
  const std::span<uint8_t> slot = PrepareSend();
  if (slot.empty()) return false;
  if (rtp.size() > slot.size()) {
    prepared_slot_ = {};
    ++counters_.drops.send_failed;
    return false;
  }
  std::memcpy(slot.data(), rtp.data(), rtp.size());
  return CommitRtpPacket(rtp.size());
}

bool WebRtcTransport::SendRtcpPacket(std::span<const uint8_t> rtcp) {
  const std::span<uint8_t> slot = PrepareSend();
  if (slot.empty()) return false;
  if (rtcp.size() > slot.size()) {
    prepared_slot_ = {};
    ++counters_.drops.send_failed;
    return false;
  }
  std::memcpy(slot.data(), rtcp.data(), rtcp.size());
  return CommitRtcpPacket(rtcp.size());
}

std::span<uint8_t> WebRtcTransport::PrepareSend() {
  prepared_slot_ = {};
  if (state_ != State::kConnected) {
    ++counters_.drops.not_connected;
    return {};
  }
  const std::span<uint8_t> slot = socket_.PrepareSend();
  if (slot.size() <= SrtpSession::kMaxRtcpTrailerLength) {
    ++counters_.drops.send_failed;  // the socket's queue is full (it counts that too)
    return {};
  }
  prepared_slot_ = slot;
  return slot.first(slot.size() - SrtpSession::kMaxRtcpTrailerLength);
}

bool WebRtcTransport::CommitRtpPacket(size_t length) {
  const std::span<uint8_t> slot = std::exchange(prepared_slot_, {});
  return ProtectAndCommit(slot, length, /*rtcp=*/false);
}

bool WebRtcTransport::CommitRtcpPacket(size_t length) {
  const std::span<uint8_t> slot = std::exchange(prepared_slot_, {});
  return ProtectAndCommit(slot, length, /*rtcp=*/true);
}

bool WebRtcTransport::ProtectAndCommit(std::span<uint8_t> slot, size_t length, bool rtcp) {
  if (state_ != State::kConnected) {
    ++counters_.drops.not_connected;
    return false;
  }
  if (slot.empty() || length + SrtpSession::kMaxRtcpTrailerLength > slot.size()) {
    ++counters_.drops.send_failed;  // no PrepareSend() before, or more than it lent
    return false;
  }
  size_t protected_length = length;
  const SrtpSession::Result result =
      rtcp ? srtp_outbound_->ProtectRtcp(slot.data(), protected_length, slot.size())
           : srtp_outbound_->ProtectRtp(slot.data(), protected_length, slot.size());
  if (result != SrtpSession::Result::kOk) {
    ++counters_.drops.srtp_protect;
    return false;
  }
  if (!socket_.CommitSend(protected_length, selected_remote_)) {
    ++counters_.drops.send_failed;
    return false;
  }
  ++counters_.packets_out;
  counters_.bytes_out += protected_length;
  if (rtcp) {
    ++counters_.rtcp_packets_out;
  } else {
    ++counters_.rtp_packets_out;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Timers, closing

void WebRtcTransport::Tick(uint64_t now_ms) {
  retired_ice_clients_.clear();
  if (IsClosed()) return;
  if (options_.connect_timeout_ms != 0 && !connected_once_ &&
      now_ms >= created_ms_ + options_.connect_timeout_ms) {
    CloseWithReason(CloseReason::kConnectTimeout,
                    "not connected after " + std::to_string(options_.connect_timeout_ms) + " ms");
    return;
  }
  if (ice_server_) {
    ice_server_->Tick(now_ms);
  } else if (ice_client_ && now_ms >= ice_client_->NextTickMs()) {
    ice_client_->Tick(now_ms);
  }
  if (IsClosed()) return;
  if (dtls_deadline_ms_ && now_ms >= *dtls_deadline_ms_) {
    dtls_deadline_ms_.reset();
    dtls_->HandleTimeout();
    if (IsClosed()) return;
    ArmDtlsTimer(now_ms);
  }
  if (now_ms >= next_prune_ms_) {
    next_prune_ms_ = now_ms + kPruneIntervalMs;
    PruneRemotes();
  }
}

void WebRtcTransport::ArmDtlsTimer(uint64_t now_ms) {
  const auto timeout = dtls_->NextTimeoutMs();
  if (timeout) {
    dtls_deadline_ms_ = now_ms + *timeout;
  } else {
    dtls_deadline_ms_.reset();
  }
}

void WebRtcTransport::Close() {
  if (IsClosed()) return;
  close_reason_ = CloseReason::kLocal;
  close_detail_ = "closed by the owner";
  dtls_->Close();  // close_notify, when connected
  state_ = State::kClosed;
  prepared_slot_ = {};
  dtls_deadline_ms_.reset();
  UnregisterAll();
  spdlog::debug("WebRtcTransport {}: closed by the owner", id_);
}

void WebRtcTransport::CloseWithReason(CloseReason reason, std::string detail) {
  if (IsClosed()) return;
  close_reason_ = reason;
  close_detail_ = std::move(detail);
  // Tell the peer when it may still listen (consent lost, ICE failed, timeout). After a
  // close_notify or a failure DtlsTransport has nothing to send.
  dtls_->Close();
  state_ = State::kClosed;
  prepared_slot_ = {};
  dtls_deadline_ms_.reset();
  UnregisterAll();
  spdlog::info("WebRtcTransport {}: closed: {} ({})", id_, CloseReasonName(reason), close_detail_);
  listener_.OnTransportClosed(*this, reason, close_detail_);
}

// ---------------------------------------------------------------------------------------------
// Demux registrations

void WebRtcTransport::RegisterRemote(const net::Endpoint& remote) {
  // Always (re)claimed: STUN we send to `remote` is authenticated with our credentials.
  demux_.RegisterRemote(remote, *this);
  if (std::find(registered_remotes_.begin(), registered_remotes_.end(), remote) ==
      registered_remotes_.end()) {
    registered_remotes_.push_back(remote);
  }
}

void WebRtcTransport::PruneRemotes() {
  const bool checking = ice_client_ && ice_client_->GetState() == IceClient::State::kChecking;
  auto stale = [&](const net::Endpoint& remote) {
    if (remote == selected_remote_) return false;
    if (ice_server_) return !ice_server_->IsValidTuple({socket_.LocalEndpoint(), remote});
    return !checking;
  };
  for (auto it = registered_remotes_.begin(); it != registered_remotes_.end();) {
    if (stale(*it)) {
      demux_.UnregisterRemote(*it, *this);
      it = registered_remotes_.erase(it);
    } else {
      ++it;
    }
  }
}

void WebRtcTransport::UnregisterAll() {
  demux_.UnregisterUfrag(local_ice_.ufrag, *this);
  if (!old_local_ufrag_.empty()) demux_.UnregisterUfrag(old_local_ufrag_, *this);
  for (const auto& remote : registered_remotes_)
    demux_.UnregisterRemote(remote, *this);
  registered_remotes_.clear();
}

// ---------------------------------------------------------------------------------------------
// ICE events

void WebRtcTransport::OnIceServerSendStunPacket(const IceServer& /*server*/,
                                                std::span<const uint8_t> bytes,
                                                const net::Endpoint& to) {
  // The server answers only authenticated checks: `to` is a candidate tuple of ours now.
  RegisterRemote(to);
  SendDatagram(bytes, to);
}

void WebRtcTransport::OnIceServerSelectedTuple(IceServer& /*server*/, const net::FiveTuple& tuple) {
  if (tuple.remote != selected_remote_) {
    spdlog::debug("WebRtcTransport {}: selected tuple {}", id_, tuple.ToString());
  }
  selected_remote_ = tuple.remote;
  RegisterRemote(tuple.remote);
}

void WebRtcTransport::OnIceServerConnected(IceServer& /*server*/) {
  IceConnected(selected_remote_);
}

void WebRtcTransport::OnIceServerDisconnected(IceServer& /*server*/) {
  CloseWithReason(CloseReason::kConsentExpired,
                  "no valid ICE check for " + std::to_string(options_.consent_timeout_ms) + " ms");
}

void WebRtcTransport::OnIceClientSendStunPacket(const IceClient& /*client*/,
                                                std::span<const uint8_t> bytes,
                                                const net::Endpoint& to) {
  // Its answers come back from `to`.
  RegisterRemote(to);
  SendDatagram(bytes, to);
}

void WebRtcTransport::OnIceClientConnected(IceClient& /*client*/, const net::Endpoint& remote) {
  if (remote != selected_remote_) {
    spdlog::debug("WebRtcTransport {}: selected remote {}", id_, remote.ToString());
  }
  selected_remote_ = remote;
  RegisterRemote(remote);
  IceConnected(remote);
}

void WebRtcTransport::OnIceClientDisconnected(IceClient& /*client*/) {
  CloseWithReason(
      CloseReason::kConsentExpired,
      "no ICE consent response for " + std::to_string(options_.consent_timeout_ms) + " ms");
}

void WebRtcTransport::OnIceClientFailed(IceClient& /*client*/) {
  CloseWithReason(CloseReason::kIceFailed, remote_candidates_.empty()
                                               ? "no usable remote candidate"
                                               : "every connectivity check failed (" +
                                                     std::to_string(remote_candidates_.size()) +
                                                     " candidate(s))");
}

void WebRtcTransport::IceConnected(const net::Endpoint& remote) {
  if (!ice_connected_) {
    ice_connected_ = true;
    if (state_ == State::kNew) state_ = State::kIceConnected;
    spdlog::debug("WebRtcTransport {}: ICE connected to {}", id_, remote.ToString());
    listener_.OnTransportIceConnected(*this);
    if (IsClosed()) return;
  }
  MaybeStartDtls();
}

// ---------------------------------------------------------------------------------------------
// DTLS events

void WebRtcTransport::OnDtlsSendData(DtlsTransport& /*transport*/,
                                     std::span<const uint8_t> datagram) {
  SendDatagram(datagram, selected_remote_);
}

void WebRtcTransport::OnDtlsConnected(DtlsTransport& /*transport*/, SrtpProfile profile,
                                      std::span<const uint8_t> local_keying_material,
                                      std::span<const uint8_t> remote_keying_material) {
  try {
    srtp_outbound_ = std::make_unique<SrtpSession>(SrtpSession::Direction::kOutbound, profile,
                                                   local_keying_material);
    srtp_inbound_ = std::make_unique<SrtpSession>(SrtpSession::Direction::kInbound, profile,
                                                  remote_keying_material);
  } catch (const std::exception& e) {
    CloseWithReason(CloseReason::kDtlsFailed, std::string("SRTP: ") + e.what());
    return;
  }
  state_ = State::kConnected;
  connected_once_ = true;
  spdlog::debug("WebRtcTransport {}: connected ({}, DTLS {})", id_, SrtpProfileName(profile),
                DtlsTransport::RoleName(*dtls_role_));
  listener_.OnTransportConnected(*this);
}

void WebRtcTransport::OnDtlsApplicationData(DtlsTransport& /*transport*/,
                                            std::span<const uint8_t> /*data*/) {
  ++counters_.dtls_application_data_in;  // SCTP (data channels) is not wired up yet
}

void WebRtcTransport::OnDtlsClosed(DtlsTransport& /*transport*/) {
  CloseWithReason(CloseReason::kDtlsClosed, "the peer sent DTLS close_notify");
}

void WebRtcTransport::OnDtlsFailed(DtlsTransport& /*transport*/, std::string_view reason) {
  CloseWithReason(CloseReason::kDtlsFailed, std::string(reason));
}

// ---------------------------------------------------------------------------------------------
// Names

std::string_view WebRtcTransport::RoleName(Role role) {
  return role == Role::kServer ? "server" : "client";
}

std::string_view WebRtcTransport::StateName(State state) {
  switch (state) {
    case State::kNew:
      return "new";
    case State::kIceConnected:
      return "ice-connected";
    case State::kConnected:
      return "connected";
    case State::kClosed:
      return "closed";
  }
  return "unknown";
}

std::string_view WebRtcTransport::CloseReasonName(CloseReason reason) {
  switch (reason) {
    case CloseReason::kNone:
      return "none";
    case CloseReason::kLocal:
      return "local";
    case CloseReason::kConsentExpired:
      return "consent-expired";
    case CloseReason::kDtlsClosed:
      return "dtls-closed";
    case CloseReason::kDtlsFailed:
      return "dtls-failed";
    case CloseReason::kIceFailed:
      return "ice-failed";
    case CloseReason::kConnectTimeout:
      return "connect-timeout";
  }
  return "unknown";
}

}  // namespace tributary::rtc
