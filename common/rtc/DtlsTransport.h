#pragma once

// One DTLS 1.2 association (RFC 6347) carrying DTLS-SRTP key agreement (RFC 5764) and, later,
// SCTP for data channels, over OpenSSL.
//
// The transport does no I/O of its own: the owner feeds it received datagrams
// (ProcessDtlsData) and sends what it is told to (Listener::OnDtlsSendData), one datagram per
// call, each at most Settings::mtu bytes during the handshake.
//
// Timers are driven by the owner. After Start(), ProcessDtlsData() and HandleTimeout(), ask
// NextTimeoutMs(): when it has a value, call HandleTimeout() that many milliseconds later (a
// call that comes early does nothing, so re-arming one timer is enough). The first
// retransmission comes after Settings::initial_retransmit_ms, doubling up to max_retransmit_ms;
// OpenSSL gives up after 12 retransmissions (then OnDtlsFailed, "handshake timed out").
//
// Roles (RFC 8842 5): we answer an offer with a=setup:passive and are the DTLS server; our
// upstream links and the command-line tools send a=setup:active and are the client.
//
// The peer's certificate must hash to the a=fingerprint of the remote SDP (RFC 8827 6.5): any
// of sha-1/224/256/384/512; anything else fails the handshake with a bad_certificate alert.
// DTLS-SRTP is required: a handshake that agrees on no SRTP profile fails (after close_notify).
//
// Listener callbacks are made from within ProcessDtlsData/HandleTimeout/Start/
// SendApplicationData; a callback must not destroy the transport (defer it to the io_context).
// Not thread-safe: one worker owns a transport. Once connected, no call allocates.

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "rtc/DtlsCertificate.h"
#include "rtc/DtlsFingerprint.h"
#include "rtc/SrtpProfile.h"

struct ssl_ctx_st;
struct ssl_st;
struct bio_st;

namespace tributary::rtc {

class DtlsTransport {
 public:
  enum class Role { kClient, kServer };
  enum class State { kNew, kConnecting, kConnected, kClosed, kFailed };

  class Listener {
   public:
    virtual ~Listener() = default;
    // One datagram to send to the peer (at most Settings::mtu bytes while handshaking).
    virtual void OnDtlsSendData(DtlsTransport& transport, std::span<const uint8_t> datagram) = 0;
    // Handshake done. `local_keying_material` (master key then master salt) protects what we
    // send; `remote_keying_material` unprotects what the peer sends. Both are wiped after the
    // call: copy them (e.g. into SrtpSessions) now.
    virtual void OnDtlsConnected(DtlsTransport& transport, SrtpProfile profile,
                                 std::span<const uint8_t> local_keying_material,
                                 std::span<const uint8_t> remote_keying_material) = 0;
    // Decrypted application data (SCTP packets, for data channels).
    virtual void OnDtlsApplicationData(DtlsTransport& transport, std::span<const uint8_t> data) = 0;
    // The peer sent close_notify (we answered with ours).
    virtual void OnDtlsClosed(DtlsTransport& transport) = 0;
    // The handshake or the association failed; `reason` is for logs.
    virtual void OnDtlsFailed(DtlsTransport& transport, std::string_view reason) = 0;
  };

  // The SSL_CTX for one local certificate: create one per process (or per certificate) and
  // share it among every transport and worker thread (OpenSSL locks it internally). It must
  // outlive the transports created with it.
  class Context {
   public:
    struct Options {
      // In order of preference; as a server we pick the first one the client offers too.
      std::vector<SrtpProfile> srtp_profiles{SrtpProfile::kAeadAes128Gcm,
                                             SrtpProfile::kAesCm128HmacSha1_80};
    };
    // Throws std::runtime_error when OpenSSL refuses the certificate or the profiles.
    explicit Context(const DtlsCertificate& certificate);
    Context(const DtlsCertificate& certificate, const Options& options);
    ~Context();
    Context(const Context&) = delete;
    Context& operator=(const Context&) = delete;

    // Our certificate's sha-256 fingerprint, for a=fingerprint.
    const DtlsFingerprint& LocalFingerprint() const { return local_fingerprint_; }

   private:
    friend class DtlsTransport;
    ssl_ctx_st* ssl_ctx_ = nullptr;  // owned
    DtlsFingerprint local_fingerprint_;
  };

  // OpenSSL treats a timer with less than 15 ms left as expired, so shorter ones would fire
  // back to back: retransmission timeouts are at least this long.
  static constexpr uint32_t kMinRetransmitMs = 20;

  struct Settings {
    // Largest datagram we send, headers of DTLS included (not UDP/IP): handshake flights are
    // fragmented to fit. 1200 keeps clear of every path's MTU with room for TURN framing.
    size_t mtu = 1200;
    uint32_t initial_retransmit_ms = 100;  // at least kMinRetransmitMs
    uint32_t max_retransmit_ms = 4000;
  };

  DtlsTransport(Context& context, Listener& listener);
  DtlsTransport(Context& context, Listener& listener, const Settings& settings);
  ~DtlsTransport();
  DtlsTransport(const DtlsTransport&) = delete;
  DtlsTransport& operator=(const DtlsTransport&) = delete;

  // Starts the handshake; only the first call does anything. A client sends its ClientHello
  // now; a server waits for one. `remote_fingerprint` comes from the remote SDP.
  void Start(Role role, const DtlsFingerprint& remote_fingerprint);

  // One received datagram (RFC 7983: first byte 20..63). Datagrams that are not well-formed
  // DTLS records are dropped before OpenSSL sees them (counted in MalformedDatagrams()), as is
  // anything received before Start() or after the association ended.
  void ProcessDtlsData(std::span<const uint8_t> datagram);

  // Sends application data (one record) once connected; false otherwise or if OpenSSL refuses
  // it. At most 16384 bytes.
  bool SendApplicationData(std::span<const uint8_t> data);

  // Milliseconds until HandleTimeout() should run (0: now); nullopt when no timer is pending.
  std::optional<uint64_t> NextTimeoutMs() const;
  void HandleTimeout();

  // Sends close_notify and ends the association (State kClosed). No listener call.
  void Close();

  State GetState() const { return state_; }
  Role GetRole() const { return role_; }
  // The negotiated profile once connected; kNone before.
  SrtpProfile GetSrtpProfile() const { return srtp_profile_; }
  // Why the transport failed ("" unless State kFailed).
  const std::string& GetFailureReason() const { return failure_reason_; }
  uint64_t MalformedDatagrams() const { return malformed_datagrams_; }
  // Connected and OpenSSL's record buffers released until the next record in or out.
  bool RecordBuffersReleased() const { return record_buffers_released_; }
  // Retransmission timeouts so far (flights resent on a timer).
  uint32_t Retransmissions() const { return retransmissions_; }

  static std::string_view StateName(State state);
  static std::string_view RoleName(Role role);

 private:
  friend struct DtlsTransportCallbacks;

  void RunHandshake();
  void OnHandshakeDone();
  void ReadApplicationData();
  void ClaimBuffers();
  void ReleaseBuffers();
  void Fail(std::string reason);
  void FailFromSslError(int ssl_error, std::string_view during);
  void FlushOutgoing();

  // Called by the BIO and by OpenSSL's callbacks.
  int BioRead(uint8_t* out, size_t capacity);
  void BioWrite(const uint8_t* data, size_t len);
  bool VerifyPeerCertificate(std::span<const uint8_t> certificate_der);
  void OnAlert(bool received, bool fatal, std::string_view description);
  unsigned int NextRetransmitUs(unsigned int previous_us);

  Context& context_;
  Listener& listener_;
  Settings settings_;
  ssl_st* ssl_ = nullptr;  // owned; owns the BIO
  Role role_ = Role::kServer;
  State state_ = State::kNew;
  std::optional<DtlsFingerprint> remote_fingerprint_;
  bool remote_fingerprint_verified_ = false;
  SrtpProfile srtp_profile_ = SrtpProfile::kNone;
  std::string failure_reason_;
  std::string verify_failure_;  // set by the certificate check when it rejects
  std::string last_alert_;      // "received fatal alert: ..." / "sent fatal alert: ..."
  uint64_t malformed_datagrams_ = 0;
  bool record_buffers_released_ = false;
  uint32_t retransmissions_ = 0;

  // The datagram being fed to OpenSSL (read once by the BIO).
  std::span<const uint8_t> incoming_;
  // Datagrams OpenSSL wrote during one call, sent when the call returns: one flat buffer and
  // the size of each datagram in it. Capacity is kept, so steady state allocates nothing.
  std::vector<uint8_t> outgoing_;
  std::vector<size_t> outgoing_sizes_;
  bool flushing_ = false;
};

}  // namespace tributary::rtc
