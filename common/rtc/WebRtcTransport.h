#pragma once

// One WebRTC transport: ICE, DTLS and SRTP over one selected UDP 5-tuple on a worker's socket.
//
// Roles (docs/media-plane.md):
//   kServer  ICE-lite (IceServer) for WHIP publishers and WHEP viewers; DTLS server by default
//            (we answer a=setup:passive).
//   kClient  controlling ICE agent (IceClient) for upstream pulls and pushes; DTLS client by
//            default (we offer a=setup:active).
// The DTLS role is whatever the owner sets from the negotiated SDP (SetRemoteDtlsParameters).
//
// Receiving: the worker's UdpDemux hands each datagram to the transport that owns it, which
// demultiplexes on the first byte (RFC 7983): STUN (0..3) to the ICE agent; DTLS (20..63) to the
// DtlsTransport, only from an ICE-validated tuple; SRTP/SRTCP (128..191) only once DTLS is
// connected and only from the selected tuple, unprotected in place in the socket's receive
// buffer and handed up. RTP and RTCP are told apart as RFC 5761 4 says (second byte & 0x7f in
// 64..95: RTCP). Drops are counted by reason (Counters::Drops); nothing is logged per packet.
//
// Sending: SendRtpPacket/SendRtcpPacket copy a plain packet into a send slot of the socket,
// protect it there and queue it for the selected tuple. The zero-copy path, for a sender that
// builds the packet itself (a consumer rewriting a header): PrepareSend() lends the slot, the
// caller writes the plain packet into it, CommitRtpPacket/CommitRtcpPacket protect it in place
// and queue it. Nothing is sent (drops.not_connected) before DTLS is connected.
//
// Timers: the owner calls Tick(now_ms) every ~10 ms, with now_ms from base::NowMs() (the clock
// the transport uses for arriving STUN). It drives consent freshness (RFC 7675), the client's
// check retransmissions and DTLS retransmissions.
//
// Lifecycle: OnTransportIceConnected (a tuple is selected, once), OnTransportConnected (DTLS
// done, SRTP keyed), OnTransportClosed(reason) at most once: consent expired, peer close_notify,
// DTLS failure, ICE failure, or no connection within Options::connect_timeout_ms. Close() by the
// owner sends close_notify and calls no listener.
//
// Reentrancy and destruction: listener callbacks run inside ReceivePacket(), Tick() and the
// Set*/Send* calls. A listener may call Close() (or any Send*) from any callback: closing only
// flags the transport, unregisters it from the demux and sends close_notify; every entry point
// is a no-op afterwards. A listener must never destroy the transport from a callback: the owner
// destroys it later (asio::post onto the worker), which is always safe once the call returns.
//
// Ownership: the socket, the demux and the DTLS context are given by reference and must outlive
// the transport. One worker thread owns the transport; nothing here locks.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "net/Endpoint.h"
#include "net/UdpSocket.h"
#include "rtc/DtlsFingerprint.h"
#include "rtc/DtlsTransport.h"
#include "rtc/IceCandidate.h"
#include "rtc/IceClient.h"
#include "rtc/IceServer.h"
#include "rtc/SrtpProfile.h"
#include "rtc/SrtpSession.h"
#include "rtc/StunMessage.h"

namespace tributary::rtc {

class UdpDemux;

// ICE credentials as a=ice-ufrag / a=ice-pwd carry them.
struct IceParameters {
  std::string ufrag;
  std::string password;
};

// Outside the class so that it can be a default argument (GCC rejects nested ones).
struct WebRtcTransportOptions {
  // For logs only; empty: a random one.
  std::string id;
  // Addresses announced as host candidates (one each, on the socket's port); empty: the socket's
  // own address, unless it is a wildcard one. Throws std::invalid_argument for one that is not
  // an IP literal.
  std::vector<std::string> announced_ips;
  // RFC 7675: no valid check (server) or no consent response (client) for this long closes
  // the transport (CloseReason::kConsentExpired).
  uint64_t consent_timeout_ms = 30000;
  // Not connected (DTLS + SRTP) this long after creation: CloseReason::kConnectTimeout. 0: never.
  uint64_t connect_timeout_ms = 30000;
  // Client role: check pacing and retransmission, consent interval. Its consent_timeout_ms is
  // replaced by the one above, its families by the socket's.
  IceClientOptions ice_client;
  DtlsTransport::Settings dtls;
};

class WebRtcTransport final : private IceServer::Listener,
                              private IceClient::Listener,
                              private DtlsTransport::Listener {
 public:
  enum class Role { kServer, kClient };
  enum class State { kNew, kIceConnected, kConnected, kClosed };
  enum class CloseReason {
    kNone,            // not closed
    kLocal,           // Close() by the owner
    kConsentExpired,  // RFC 7675
    kDtlsClosed,      // the peer sent close_notify
    kDtlsFailed,      // alert, fingerprint mismatch, handshake timeout, no SRTP profile
    kIceFailed,       // client role: every check failed
    kConnectTimeout,  // not connected within Options::connect_timeout_ms
  };

  class Listener {
   public:
    virtual ~Listener() = default;
    // A 5-tuple is selected (once per transport).
    virtual void OnTransportIceConnected(WebRtcTransport& transport) = 0;
    // DTLS is connected and both SRTP sessions are keyed: media may flow.
    virtual void OnTransportConnected(WebRtcTransport& transport) = 0;
    // The transport closed itself (never after Close() by the owner). `detail` is for logs.
    // The owner should destroy the transport after this call returns, not inside it.
    virtual void OnTransportClosed(WebRtcTransport& transport, CloseReason reason,
                                   std::string_view detail) = 0;
    // One unprotected packet, in the socket's receive buffer: valid during the call only, and
    // the listener may modify it in place.
    virtual void OnTransportRtpPacket(WebRtcTransport& transport, std::span<uint8_t> rtp) = 0;
    virtual void OnTransportRtcpPacket(WebRtcTransport& transport, std::span<uint8_t> rtcp) = 0;
  };

  using Options = WebRtcTransportOptions;

  struct Counters {
    uint64_t packets_in = 0;  // datagrams handed to the transport, accepted or not
    uint64_t bytes_in = 0;
    uint64_t packets_out = 0;  // datagrams queued on the socket, of every kind
    uint64_t bytes_out = 0;
    uint64_t rtp_packets_in = 0;  // unprotected and handed to the listener
    uint64_t rtcp_packets_in = 0;
    uint64_t rtp_packets_out = 0;  // protected and queued
    uint64_t rtcp_packets_out = 0;
    uint64_t stun_packets_in = 0;
    uint64_t dtls_packets_in = 0;
    uint64_t dtls_application_data_in = 0;  // DTLS application data (SCTP): not handled yet
    struct Drops {
      uint64_t srtp_auth = 0;             // SRTP/SRTCP authentication tag mismatch
      uint64_t srtp_replay = 0;           // replayed, or older than the replay window
      uint64_t dtls_unknown_address = 0;  // DTLS from a tuple ICE has not validated
      uint64_t rtp_unknown_address = 0;   // SRTP/SRTCP from another tuple than the selected one
      uint64_t not_connected = 0;         // SRTP received or media sent before DTLS connected
      uint64_t malformed = 0;             // bad first byte, too short, STUN that does not parse
      uint64_t srtp_protect = 0;          // our own packet refused by SRTP (too old, too large)
      uint64_t send_failed = 0;           // the socket refused the datagram (queue full, too large)
    } drops;
  };

  static constexpr size_t kUfragLength = 8;      // RFC 8839 5.4: at least 4 ice-chars
  static constexpr size_t kPasswordLength = 24;  // at least 22

  // Registers the local ufrag with the demux (a new one is drawn in the unlikely case it is
  // taken). Throws std::invalid_argument for an unusable announced IP, std::runtime_error if
  // OpenSSL cannot create the DTLS state.
  WebRtcTransport(Role role, net::UdpSocket& socket, UdpDemux& demux,
                  DtlsTransport::Context& dtls_context, Listener& listener, Options options = {});
  // Unregisters from the demux. No I/O: call Close() first to tell the peer.
  ~WebRtcTransport() override;
  WebRtcTransport(const WebRtcTransport&) = delete;
  WebRtcTransport& operator=(const WebRtcTransport&) = delete;

  // --- Local parameters, for the local SDP ---
  const std::string& Id() const { return id_; }
  Role GetRole() const { return role_; }
  const IceParameters& LocalIceParameters() const { return local_ice_; }
  // sha-256 of the shared certificate (a=fingerprint).
  const DtlsFingerprint& LocalFingerprint() const;
  // One host UDP candidate per announced IP, on the socket's port.
  const std::vector<IceCandidate>& LocalCandidates() const { return local_candidates_; }
  // The DTLS role the transport takes when the SDP leaves it open: the server answers
  // a=setup:passive (DTLS server), the client offers a=setup:active (DTLS client).
  DtlsTransport::Role DefaultDtlsRole() const;

  // --- Remote parameters, from the remote SDP ---
  // The peer's ICE credentials and (client role) candidates. In the client role this starts
  // the checks, or restarts them after RestartIce(); media keeps flowing on the old pair until
  // a new one is selected. The server ignores candidates (ICE-lite learns them from checks).
  void SetRemoteIceParameters(const IceParameters& remote,
                              std::span<const IceCandidate> candidates = {});
  // Our DTLS role and the peer's certificate fingerprint. Once; later calls are ignored. A DTLS
  // server waits for the ClientHello from now on; a DTLS client sends it once ICE is connected.
  void SetRemoteDtlsParameters(DtlsTransport::Role local_role,
                               const DtlsFingerprint& remote_fingerprint);

  // ICE restart (RFC 8445 9): new local credentials, the same DTLS association and SRTP
  // sessions. Server: checks with the old credentials are answered until one with the new
  // ones arrives. Client: the new checks start with the next SetRemoteIceParameters().
  const IceParameters& RestartIce();

  // --- Receiving (called by UdpDemux; usable directly) ---
  // One datagram from `from` on this transport's socket. Unprotected in place.
  void ReceivePacket(std::span<uint8_t> data, const net::Endpoint& from);
  // A STUN message the demux already parsed (to route it by USERNAME).
  void ReceiveStunMessage(const StunMessage& message, const net::Endpoint& from);

  // --- Sending (once connected; to the selected tuple) ---
  bool SendRtpPacket(std::span<const uint8_t> rtp);
  bool SendRtcpPacket(std::span<const uint8_t> rtcp);
  // In place: the storage the caller writes one plain RTP or RTCP packet into (room for the
  // SRTP trailer is kept back). Empty when not connected or when the socket's queue is full
  // (counted). Nothing else may be sent on the socket before the commit.
  std::span<uint8_t> PrepareSend();
  // Protects the first `length` bytes of what PrepareSend() lent and queues them.
  bool CommitRtpPacket(size_t length);
  bool CommitRtcpPacket(size_t length);

  // Timers; now_ms from base::NowMs().
  void Tick(uint64_t now_ms);

  // Sends close_notify if DTLS is connected, unregisters from the demux, State kClosed. No
  // listener call. Idempotent; safe from inside any listener callback.
  void Close();

  State GetState() const { return state_; }
  bool IsIceConnected() const { return ice_connected_; }
  bool IsConnected() const { return state_ == State::kConnected; }
  bool IsClosed() const { return state_ == State::kClosed; }
  CloseReason GetCloseReason() const { return close_reason_; }
  const std::string& GetCloseDetail() const { return close_detail_; }
  // The peer's side of the selected tuple; invalid (Family::kNone) when none is selected.
  const net::Endpoint& SelectedRemote() const { return selected_remote_; }
  SrtpProfile GetSrtpProfile() const;
  const Counters& GetCounters() const { return counters_; }
  const net::UdpSocket& Socket() const { return socket_; }
  // The ICE agent of the role (the other one is nullptr), and the DTLS association, for their
  // own counters and states.
  const IceServer* GetIceServer() const { return ice_server_.get(); }
  const IceClient* GetIceClient() const { return ice_client_.get(); }
  const DtlsTransport& GetDtlsTransport() const { return *dtls_; }

  static std::string_view RoleName(Role role);
  static std::string_view StateName(State state);
  static std::string_view CloseReasonName(CloseReason reason);

 private:
  // IceServer::Listener
  void OnIceServerSendStunPacket(const IceServer& server, std::span<const uint8_t> bytes,
                                 const net::Endpoint& to) override;
  void OnIceServerSelectedTuple(IceServer& server, const net::FiveTuple& tuple) override;
  void OnIceServerConnected(IceServer& server) override;
  void OnIceServerDisconnected(IceServer& server) override;
  // IceClient::Listener
  void OnIceClientSendStunPacket(const IceClient& client, std::span<const uint8_t> bytes,
                                 const net::Endpoint& to) override;
  void OnIceClientConnected(IceClient& client, const net::Endpoint& remote) override;
  void OnIceClientDisconnected(IceClient& client) override;
  void OnIceClientFailed(IceClient& client) override;
  // DtlsTransport::Listener
  void OnDtlsSendData(DtlsTransport& transport, std::span<const uint8_t> datagram) override;
  void OnDtlsConnected(DtlsTransport& transport, SrtpProfile profile,
                       std::span<const uint8_t> local_keying_material,
                       std::span<const uint8_t> remote_keying_material) override;
  void OnDtlsApplicationData(DtlsTransport& transport, std::span<const uint8_t> data) override;
  void OnDtlsClosed(DtlsTransport& transport) override;
  void OnDtlsFailed(DtlsTransport& transport, std::string_view reason) override;

  void ProcessStun(const StunMessage& message, const net::Endpoint& from);
  void ReceiveDtls(std::span<const uint8_t> data, const net::Endpoint& from);
  void ReceiveSrtp(std::span<uint8_t> data, const net::Endpoint& from);
  bool SendDatagram(std::span<const uint8_t> data, const net::Endpoint& to);
  bool ProtectAndCommit(std::span<uint8_t> slot, size_t length, bool rtcp);
  void StartIceClient();
  void IceConnected(const net::Endpoint& remote);
  void MaybeStartDtls();
  void ArmDtlsTimer(uint64_t now_ms);
  void RegisterRemote(const net::Endpoint& remote);
  void PruneRemotes();
  void UnregisterAll();
  void CloseWithReason(CloseReason reason, std::string detail);
  IceParameters NewIceParameters();

  const Role role_;
  net::UdpSocket& socket_;
  UdpDemux& demux_;
  DtlsTransport::Context& dtls_context_;
  Listener& listener_;
  Options options_;
  std::string id_;

  IceParameters local_ice_;
  std::string old_local_ufrag_;  // server: still registered after RestartIce until unused
  std::vector<IceCandidate> local_candidates_;
  IceParameters remote_ice_;
  std::vector<IceCandidate> remote_candidates_;
  std::unique_ptr<IceServer> ice_server_;  // server role
  std::unique_ptr<IceClient> ice_client_;  // client role
  // Clients replaced by an ICE restart, kept until the next Tick(): one may be on the stack.
  std::vector<std::unique_ptr<IceClient>> retired_ice_clients_;
  bool ice_restart_pending_ = false;  // client: RestartIce() called, new remote params awaited
  bool ice_connected_ = false;
  net::Endpoint selected_remote_;
  // Remote endpoints this transport holds in the demux (ICE sends to them, or validated them).
  std::vector<net::Endpoint> registered_remotes_;

  std::unique_ptr<DtlsTransport> dtls_;
  std::optional<DtlsTransport::Role> dtls_role_;
  std::optional<DtlsFingerprint> remote_fingerprint_;
  bool dtls_started_ = false;
  std::optional<uint64_t> dtls_deadline_ms_;  // when HandleTimeout() is due
  std::unique_ptr<SrtpSession> srtp_inbound_;
  std::unique_ptr<SrtpSession> srtp_outbound_;
  std::span<uint8_t> prepared_slot_;  // lent by PrepareSend(), until the commit

  State state_ = State::kNew;
  bool connected_once_ = false;
  CloseReason close_reason_ = CloseReason::kNone;
  std::string close_detail_;
  uint64_t created_ms_ = 0;
  uint64_t next_prune_ms_ = 0;
  Counters counters_;
};

}  // namespace tributary::rtc
