#pragma once

// One WebRTC session of a media worker: a WebRtcTransport and the media it carries, for one
// stream (docs/media-plane.md, "Sessions and sources"). Two kinds derive from it:
//   IngestSession  media comes in: the transport feeds Producers of the stream
//                  (a WHIP publisher; an edge's upstream pull; a WHEP client tool)
//   EgressSession  media goes out: one Consumer per track of the stream
//                  (a WHEP viewer; an edge's upstream push; a WHIP client tool)
// Either runs with a server-role transport (ICE-lite, DTLS server: the peer offered) or a
// client-role one (controlling ICE, DTLS client: we offered). A client-role session gets a UDP
// socket of its own on the worker's io_context (an ephemeral port), because several links to one
// remote endpoint cannot share one 5-tuple on one socket.
//
// Life:
//   1. made by the worker (MediaWorker::CreateIngestSession / CreateEgressSession); the
//      transport exists, so the local ICE/DTLS parameters for the SDP are known
//      (LocalSdpTransport, FillOfferTransport);
//   2. Start(negotiation) once the offer/answer is done (SdpAnswerer for the server role,
//      SdpOfferer::ApplyAnswer for the client role): remote ICE and DTLS parameters, then the
//      media (producers attached / consumers made);
//   3. connected (Listener::OnSessionConnected) once DTLS is up and SRTP keyed;
//   4. RequestClose(reason) from anywhere, including the transport's and the stream's
//      callbacks: the reason is recorded and the listener asked to close the session later;
//      the owner then calls Close() outside every callback and destroys the session.
//
// One worker thread owns a session. Per packet: no allocation, lock or log line.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "net/Endpoint.h"
#include "net/UdpSocket.h"
#include "rtc/DtlsTransport.h"
#include "rtc/SdpAnswerer.h"
#include "rtc/SdpFragment.h"
#include "rtc/SdpNegotiation.h"
#include "rtc/SdpOfferer.h"
#include "rtc/UdpDemux.h"
#include "rtc/WebRtcTransport.h"
#include "sfu/Consumer.h"
#include "sfu/RtcpSink.h"
#include "sfu/RtpSender.h"
#include "sfu/SessionCounters.h"
#include "sfu/StreamKey.h"

namespace tributary::sfu {

class Router;

enum class SessionKind : uint8_t { kIngest, kEgress };
// The `kind` label of tributary_sessions: "publish" (ingest) or "play" (egress).
std::string_view SessionKindLabel(SessionKind kind);

enum class SessionCloseReason : uint8_t {
  kNone,             // not closing
  kDeleted,          // DELETE on the resource (or the owner's own decision)
  kConsentExpired,   // RFC 7675
  kDtlsClosed,       // the peer sent close_notify
  kDtlsFailed,       // handshake failure, alert, fingerprint mismatch
  kIceFailed,        // client role: every check failed
  kConnectTimeout,   // not connected in time
  kKicked,           // an administrator ended it
  kSourceEnded,      // the stream ended for viewers (the publisher's grace expired)
  kShutdown,         // the node is stopping
  kBitrateExceeded,  // a publisher far above its vhost's bitrate limit (BitratePolicer)
  kError,            // the session could not be set up or went wrong locally
};
std::string_view ToString(SessionCloseReason reason);

// Who the session is: `id` is unique on the node (the WHIP/WHEP resource id).
struct SessionInfo {
  std::string id;
  StreamKey key;
};

// What the worker lends its sessions; all of it outlives them.
struct SessionEnvironment {
  boost::asio::io_context& io;
  net::UdpSocket& socket;  // the worker's: shared by every server-role transport
  rtc::UdpDemux& demux;    // the worker socket's
  rtc::DtlsTransport::Context& dtls;
  Router& router;
};

struct SessionOptions {
  // announced_ips, consent and connect timeouts, DTLS settings. The id is the session's.
  rtc::WebRtcTransportOptions transport;
  // Client role: where the session's own socket binds (port 0: an ephemeral port), its options.
  net::Endpoint client_bind = *net::Endpoint::Parse("127.0.0.1", 0);
  net::UdpSocketOptions client_socket;
  ConsumerOptions consumer;
};

class Session : private rtc::WebRtcTransport::Listener {
 public:
  using Role = rtc::WebRtcTransport::Role;
  enum class State : uint8_t { kNew, kStarted, kConnected, kClosed };

  class Listener {
   public:
    virtual ~Listener() = default;
    // DTLS is connected and SRTP keyed: media flows.
    virtual void OnSessionConnected(Session& session) = 0;
    // The session must end (GetCloseReason() says why). Close and destroy it later, outside
    // this call: the session may be deep inside one of its own callbacks.
    virtual void OnSessionCloseRequested(Session& session) = 0;
  };

  ~Session() override;
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  SessionKind Kind() const { return kind_; }
  const SessionInfo& Info() const { return info_; }
  const std::string& Id() const { return info_.id; }
  const StreamKey& Key() const { return info_.key; }
  Role GetRole() const { return role_; }
  State GetState() const { return state_; }
  bool IsConnected() const { return state_ == State::kConnected; }
  bool IsClosed() const { return state_ == State::kClosed; }
  rtc::WebRtcTransport& Transport() { return *transport_; }
  const rtc::WebRtcTransport& Transport() const { return *transport_; }
  // The socket the transport uses: the worker's, or the session's own (client role).
  const net::UdpSocket& Socket() const;

  // Our ICE and DTLS parameters as the SDP carries them (ICE-lite in the server role; the
  // candidates are the transport's host candidates).
  rtc::SdpLocalTransport LocalSdpTransport() const;
  // The same, into the transport fields of an offer (client role).
  void FillOfferTransport(rtc::SdpOfferOptions& options) const;

  // Applies a finished offer/answer exchange: the peer's DTLS role and fingerprint, its ICE
  // credentials (and candidates, client role), then the media. False, with `error` saying why,
  // when the negotiation cannot be used: nothing is attached then, and the owner should close
  // the session. Once.
  bool Start(const rtc::SdpNegotiation& negotiation, uint64_t now_ms, std::string& error);

  // RFC 8840 (a WHIP/WHEP PATCH): an ICE restart requested by the peer's fragment. Server role:
  // new local credentials, the peer's new ones; returns our answering fragment (text). Nothing,
  // with `error`, when the fragment carries no usable credentials.
  std::optional<std::string> RestartIce(const rtc::SdpFragment& remote, std::string& error);
  // Client role, an ICE restart we ask for (RFC 8840, a PATCH to the server): new local
  // credentials; returns our fragment (text) to send. Media keeps flowing on the current pair
  // until the new checks succeed.
  std::optional<std::string> RequestIceRestart(std::string& error);
  // Client role: the server's answering fragment (its new credentials and candidates) starts
  // the new checks.
  bool ApplyIceRestartAnswer(const rtc::SdpFragment& answer, std::string& error);
  // Trickled candidates: the client role hands them to its ICE agent; the server role
  // (ICE-lite) learns addresses from the checks and only counts them. Returns how many.
  size_t AddRemoteCandidates(const rtc::SdpFragment& fragment);
  // Our current ICE ufrag (changes with an ICE restart).
  const std::string& LocalUfrag() const { return transport_->LocalIceParameters().ufrag; }
  // The peer's current ICE ufrag (empty before Start).
  const std::string& RemoteUfrag() const { return remote_ice_.ufrag; }

  // Asks for the session to end (the first reason is kept) and tells the listener. Safe from
  // any callback; does nothing once closing.
  void RequestClose(SessionCloseReason reason, std::string_view detail = {});
  bool CloseRequested() const { return close_reason_ != SessionCloseReason::kNone; }
  SessionCloseReason GetCloseReason() const { return close_reason_; }
  const std::string& GetCloseDetail() const { return close_detail_; }
  // Ends the session now: the media first (producers detached, consumers removed), then the
  // transport (close_notify when it is connected), and logs it. `reason` is used when none was
  // requested. Never from inside the session's or its stream's callbacks. Idempotent.
  void Close(SessionCloseReason reason = SessionCloseReason::kDeleted);

  // Every ~10 ms: the transport's timers and the media's (feedback, reports).
  void Tick(uint64_t now_ms);

  // Everything counted so far (final once closed).
  SessionCounters GetCounters() const;
  uint64_t CreatedMs() const { return created_ms_; }
  // 0 until connected.
  uint64_t ConnectedMs() const { return connected_ms_; }

 protected:
  Session(SessionKind kind, SessionInfo info, Role role, SessionEnvironment& environment,
          Listener& listener, SessionOptions options);

  // --- for the kinds ---
  virtual bool StartMedia(const rtc::SdpNegotiation& negotiation, uint64_t now_ms,
                          std::string& error) = 0;
  virtual void OnMediaConnected(uint64_t now_ms) = 0;
  // Detach from the stream; called once, by Close().
  virtual void StopMedia(uint64_t now_ms) = 0;
  virtual void ReceiveRtp(std::span<uint8_t> packet, uint64_t now_us) = 0;
  virtual void ReceiveRtcp(std::span<const uint8_t> packet, uint64_t now_us) = 0;
  virtual void TickMedia(uint64_t now_ms) = 0;
  // Adds what the media objects counted (producers, consumers) to `out`.
  virtual void AddMediaCounters(SessionCounters& out) const = 0;
  virtual std::string DescribeMedia() const = 0;

  Router& GetRouter() { return environment_.router; }
  const SessionOptions& Options() const { return options_; }
  // RTCP toward the peer (protected by the transport), for producers and consumers.
  RtcpSink& Rtcp() { return rtcp_sink_; }
  // RTP toward the peer, built in place in the transport's send slot, for consumers.
  RtpSender& Sender() { return rtp_sender_; }
  // The session's own counts (the kinds add to them while receiving).
  SessionCounters& OwnCounters() { return own_; }
  // SRTP/SRTCP bytes added to each packet on the wire (tag, SRTCP index), once connected.
  size_t SrtpOverhead() const { return srtp_overhead_; }
  size_t SrtcpOverhead() const { return srtcp_overhead_; }
  // "vhost=... app=... stream=... session=... kind=... role=...", for log lines.
  std::string LogContext() const;

 private:
  class TransportRtcpSink final : public RtcpSink {
   public:
    explicit TransportRtcpSink(Session& session) : session_(session) {}
    void SendRtcp(std::span<const uint8_t> packet) override;

   private:
    Session& session_;
  };
  class TransportRtpSender final : public RtpSender {
   public:
    explicit TransportRtpSender(Session& session) : session_(session) {}
    std::span<uint8_t> PrepareSend() override;
    bool CommitSend(size_t size) override;

   private:
    Session& session_;
  };

  // rtc::WebRtcTransport::Listener
  void OnTransportIceConnected(rtc::WebRtcTransport& transport) override;
  void OnTransportConnected(rtc::WebRtcTransport& transport) override;
  void OnTransportClosed(rtc::WebRtcTransport& transport, rtc::WebRtcTransport::CloseReason reason,
                         std::string_view detail) override;
  void OnTransportRtpPacket(rtc::WebRtcTransport& transport, std::span<uint8_t> rtp) override;
  void OnTransportRtcpPacket(rtc::WebRtcTransport& transport, std::span<uint8_t> rtcp) override;

  static rtc::WebRtcTransportOptions TransportOptions(const SessionInfo& info,
                                                      const SessionOptions& options);
  void AddTransportCounters(SessionCounters& out) const;

  const SessionKind kind_;
  const SessionInfo info_;
  const Role role_;
  SessionEnvironment& environment_;
  Listener& listener_;
  const SessionOptions options_;

  // Client role: the session's own socket and its demux. Declared before the transport, which
  // must go first.
  std::unique_ptr<rtc::UdpDemux> own_demux_;
  std::unique_ptr<net::UdpSocket> own_socket_;
  std::unique_ptr<rtc::WebRtcTransport> transport_;
  TransportRtcpSink rtcp_sink_{*this};
  TransportRtpSender rtp_sender_{*this};

  State state_ = State::kNew;
  SessionCloseReason close_reason_ = SessionCloseReason::kNone;
  std::string close_detail_;
  rtc::IceParameters remote_ice_;
  rtc::MediaDescription bundle_section_;  // of our description: the PATCH fragments' m= line
  uint64_t created_ms_ = 0;
  uint64_t connected_ms_ = 0;
  size_t srtp_overhead_ = 0;
  size_t srtcp_overhead_ = 0;
  uint64_t trickled_candidates_ = 0;
  SessionCounters own_;
};

}  // namespace tributary::sfu
