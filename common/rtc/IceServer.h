#pragma once

// The ICE-lite agent of a WebRtcTransport (RFC 8445 2.5, 6.1.1): it never sends checks, it
// answers the controlling peer's Binding requests, learns the candidate 5-tuples they come from,
// selects one (USE-CANDIDATE, or the first valid check until a nomination arrives, as
// mediasoup does) and watches consent freshness (RFC 7675) on the selected one. No socket, no
// timer, no log line per packet: the owner feeds packets in, calls Tick() periodically, and
// sends what the Listener is handed.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "net/Endpoint.h"
#include "rtc/StunMessage.h"

namespace tributary::rtc {

// Outside the class so that it can be a default argument (GCC rejects nested ones).
struct IceServerOptions {
  uint64_t consent_timeout_ms = 30000;  // RFC 7675 5.1
};

class IceServer {
 public:
  enum class State { kNew, kConnected, kCompleted, kDisconnected };

  // Events arrive synchronously from ProcessStunPacket() and Tick(). A listener must not destroy
  // the IceServer from inside a callback (defer it, e.g. with asio::post).
  class Listener {
   public:
    virtual ~Listener() = default;
    // A response to send to `to`, from the socket the request arrived on (this call happens
    // inside ProcessStunPacket(), so the owner knows which one). The bytes live until the call
    // returns.
    virtual void OnIceServerSendStunPacket(const IceServer& server, std::span<const uint8_t> bytes,
                                           const net::Endpoint& to) = 0;
    // The 5-tuple that media now goes to and comes from (first selection or a change).
    virtual void OnIceServerSelectedTuple(IceServer& server, const net::FiveTuple& tuple) = 0;
    // From kNew or kDisconnected to connected (a tuple is selected).
    virtual void OnIceServerConnected(IceServer& server) = 0;
    // Consent expired on the selected tuple: no valid check for consent_timeout_ms.
    virtual void OnIceServerDisconnected(IceServer& server) = 0;
  };

  using Options = IceServerOptions;

  // Dropped requests are counted by reason; nothing is logged per packet.
  struct Counters {
    uint64_t requests = 0;        // Binding requests that passed every check
    uint64_t responses_sent = 0;  // success responses
    uint64_t error_responses_sent = 0;
    uint64_t malformed = 0;           // not STUN, or a request without USERNAME/MESSAGE-INTEGRITY
    uint64_t bad_fingerprint = 0;     // FINGERPRINT missing or wrong (RFC 8445 7.3 requires it)
    uint64_t unknown_username = 0;    // USERNAME not "<our ufrag>:<theirs>"
    uint64_t bad_integrity = 0;       // HMAC does not match our password
    uint64_t role_conflicts = 0;      // peer claims ICE-CONTROLLED too: answered 487
    uint64_t unknown_attributes = 0;  // comprehension-required attributes: answered 420
    uint64_t ignored = 0;             // indications, responses, other methods
    uint64_t tuples_evicted = 0;      // candidate tuples dropped to stay within kMaxTuples
  };

  static constexpr size_t kMaxTuples = 8;

  IceServer(Listener& listener, std::string ufrag, std::string password, Options options = {});
  IceServer(const IceServer&) = delete;
  IceServer& operator=(const IceServer&) = delete;

  const std::string& LocalUfrag() const { return ufrag_; }
  const std::string& LocalPassword() const { return password_; }

  // A datagram that StunMessage::IsStun() accepted, received on `tuple.local` from
  // `tuple.remote`.
  void ProcessStunPacket(std::span<const uint8_t> data, const net::FiveTuple& tuple,
                         uint64_t now_ms);
  // The same, for a message the owner already parsed (to demultiplex on USERNAME).
  void ProcessStunPacket(const StunMessage& message, const net::FiveTuple& tuple, uint64_t now_ms);

  // Expires consent and stale candidate tuples. Call every second or so.
  void Tick(uint64_t now_ms);

  // ICE restart (RFC 8445 9; RFC 8839 4.4.1.1.2): new local credentials. Checks signed with the
  // old ones are still answered until the first valid check with the new ones arrives. The
  // selected tuple stays selected.
  void RestartIce(std::string ufrag, std::string password);

  State GetState() const { return state_; }
  bool IsConnected() const { return state_ == State::kConnected || state_ == State::kCompleted; }
  // nullptr when none is selected.
  const net::FiveTuple* SelectedTuple() const;
  // A tuple from which a valid check arrived and whose consent has not expired: the owner accepts
  // DTLS/RTP only from these.
  bool IsValidTuple(const net::FiveTuple& tuple) const;
  const Counters& GetCounters() const { return counters_; }

  // "local:remote" -> "local"; empty when there is no colon. For demultiplexing a worker's
  // Binding requests to the transport that owns the ufrag.
  static std::string_view LocalUfragOf(std::string_view username);

 private:
  struct Tuple {
    net::FiveTuple tuple;
    uint64_t last_valid_check_ms = 0;
    bool in_use = false;
  };

  Tuple* FindTuple(const net::FiveTuple& tuple);
  Tuple* AddTuple(const net::FiveTuple& tuple, uint64_t now_ms);
  void SendErrorResponse(const StunMessage& request, const net::FiveTuple& tuple,
                         std::string_view password, uint16_t code, std::string_view reason);
  void Disconnect();

  Listener& listener_;
  const Options options_;
  std::string ufrag_;
  std::string password_;
  std::string old_ufrag_;  // empty: no restart pending
  std::string old_password_;
  State state_ = State::kNew;
  std::array<Tuple, kMaxTuples> tuples_{};
  int selected_ = -1;  // index into tuples_
  Counters counters_;
  std::array<uint8_t, 512> response_buffer_{};
};

}  // namespace tributary::rtc
