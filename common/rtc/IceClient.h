#pragma once

// The controlling ICE agent (RFC 8445) used where our node is the client: upstream WHIP/WHEP
// links and the command-line client. Given the remote ufrag/pwd and candidates, it sends
// connectivity checks (ICE-CONTROLLING, PRIORITY, USE-CANDIDATE: aggressive nomination, which
// ICE-lite servers, ours included, accept), retransmits them (RFC 8489 6.2.1), selects the first
// pair whose check succeeds, then keeps consent fresh (RFC 7675). It answers the peer's own
// checks, since a full agent on the other side sends them. If a role conflict makes it the
// controlled agent (RFC 8445 7.3.1.1), it waits for the peer's nomination instead.
//
// No socket and no timer inside: the owner feeds received STUN in, calls Tick() (NextTickMs()
// says when it is next needed) and sends what the Listener is handed.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "net/Endpoint.h"
#include "rtc/IceCandidate.h"
#include "rtc/StunMessage.h"

namespace tributary::rtc {

// Outside the class so that it can be a default argument (GCC rejects nested ones).
struct IceClientOptions {
  // Retransmission of checks (RFC 8489 6.2.1): RTO doubling from initial_rto_ms, capped at
  // max_rto_ms, max_transmissions sends in all, then final_wait_ms for the last answer.
  // RFC 8445 14.3 suggests an RTO of at least 500 ms for checks; with a handful of host
  // candidates on fast networks 100 ms keeps one lost packet from costing half a second.
  uint64_t initial_rto_ms = 100;
  uint64_t max_rto_ms = 1600;
  uint32_t max_transmissions = 7;       // Rc
  uint64_t final_wait_ms = 1600;        // Rm * initial RTO
  uint64_t pacing_ms = 50;              // Ta: between the first checks of two pairs
  uint64_t consent_interval_ms = 5000;  // randomized 0.8..1.2 (RFC 7675 5.1)
  uint64_t consent_timeout_ms = 30000;
  bool ipv4 = true;  // candidate families the owner's sockets can reach
  bool ipv6 = true;
};

class IceClient {
 public:
  enum class State { kNew, kChecking, kConnected, kDisconnected, kFailed };

  // Events arrive synchronously from Start(), Tick() and ProcessStunPacket(). A listener must
  // not destroy the IceClient nor call back into it from inside a callback (a socket never
  // delivers synchronously; a test that wires two agents back to back queues the packets).
  class Listener {
   public:
    virtual ~Listener() = default;
    virtual void OnIceClientSendStunPacket(const IceClient& client, std::span<const uint8_t> bytes,
                                           const net::Endpoint& to) = 0;
    // A pair is selected: media goes to `remote` from now on.
    virtual void OnIceClientConnected(IceClient& client, const net::Endpoint& remote) = 0;
    // Consent expired on the selected pair (no response for consent_timeout_ms).
    virtual void OnIceClientDisconnected(IceClient& client) = 0;
    // Every check failed (or there was no usable candidate) before a pair was selected.
    virtual void OnIceClientFailed(IceClient& client) = 0;
  };

  using Options = IceClientOptions;

  struct Counters {
    uint64_t checks_sent = 0;  // first transmissions
    uint64_t retransmissions = 0;
    uint64_t consent_checks_sent = 0;
    uint64_t success_responses = 0;
    uint64_t error_responses = 0;
    uint64_t requests_received = 0;  // valid checks from the peer, answered
    uint64_t role_conflicts = 0;
    uint64_t malformed = 0;
    uint64_t bad_fingerprint = 0;
    uint64_t bad_integrity = 0;
    uint64_t unknown_username = 0;
    uint64_t unknown_transaction = 0;  // responses to nothing we have in flight
    uint64_t address_mismatch = 0;     // responses from another address than the one checked
  };

  static constexpr size_t kMaxPairs = 16;

  // `tie_breaker` 0: a random one.
  IceClient(Listener& listener, std::string local_ufrag, std::string local_password,
            Options options = {}, uint64_t tie_breaker = 0);
  IceClient(const IceClient&) = delete;
  IceClient& operator=(const IceClient&) = delete;

  void SetRemoteCredentials(std::string ufrag, std::string password);
  // False when the candidate is ignored: TCP, a component other than 1, a family the owner
  // cannot reach, a duplicate, or kMaxPairs reached.
  bool AddRemoteCandidate(const IceCandidate& candidate);
  // Starts the checks (the first goes out now). Fails at once if no candidate is usable.
  void Start(uint64_t now_ms);
  // Retransmissions, pacing, consent. Call at NextTickMs() or more often.
  void Tick(uint64_t now_ms);
  // The earliest time Tick() has something to do (UINT64_MAX when nothing is pending).
  uint64_t NextTickMs() const;

  // A datagram that StunMessage::IsStun() accepted, from `from`.
  void ProcessStunPacket(std::span<const uint8_t> data, const net::Endpoint& from, uint64_t now_ms);
  void ProcessStunPacket(const StunMessage& message, const net::Endpoint& from, uint64_t now_ms);

  State GetState() const { return state_; }
  bool IsControlling() const { return controlling_; }
  uint64_t TieBreaker() const { return tie_breaker_; }
  std::optional<net::Endpoint> SelectedRemote() const;
  const std::string& LocalUfrag() const { return local_ufrag_; }
  const std::string& LocalPassword() const { return local_password_; }
  const Counters& GetCounters() const { return counters_; }

  // The PRIORITY we put in checks: that of a peer-reflexive candidate of ours (RFC 8445 7.1.1).
  static uint32_t CheckPriority();

 private:
  struct Pair {
    net::Endpoint remote;
    uint32_t remote_priority = 0;
    enum class State { kWaiting, kInProgress, kSucceeded, kFailed } state = State::kWaiting;
    StunTransactionId transaction_id{};
    uint32_t transmissions = 0;
    uint64_t rto_ms = 0;
    uint64_t next_event_ms = 0;     // next retransmission, or the failure deadline after the last
    bool remote_nominated = false;  // the peer sent USE-CANDIDATE from this address
    bool sent_controlling = true;   // the role our last check on this pair claimed
  };

  // Consent checks are not retransmitted (RFC 7675 5.1): each interval sends a new one; the
  // last few transaction ids are remembered to match late answers.
  static constexpr size_t kConsentTransactions = 4;
  static constexpr uint64_t kMaxRoleConflicts = 8;

  Pair* FindPair(const net::Endpoint& remote);
  void SendCheck(Pair& pair, uint64_t now_ms);
  void SendRequest(const StunTransactionId& tid, const net::Endpoint& to, bool nominate);
  void HandleRequest(const StunMessage& message, const net::Endpoint& from, uint64_t now_ms);
  void HandleResponse(const StunMessage& message, const net::Endpoint& from, uint64_t now_ms);
  void SelectPair(Pair& pair, uint64_t now_ms);
  void ScheduleConsent(uint64_t now_ms);
  void CheckForFailure();

  Listener& listener_;
  const Options options_;
  const std::string local_ufrag_;
  const std::string local_password_;
  std::string remote_ufrag_;
  std::string remote_password_;
  std::string username_;  // "remote:local", as our requests carry it
  uint64_t tie_breaker_;
  bool controlling_ = true;
  State state_ = State::kNew;
  std::vector<Pair> pairs_;  // sorted by remote priority, highest first; reserved up front
  int selected_ = -1;
  uint64_t next_pacing_ms_ = 0;
  uint64_t next_consent_ms_ = 0;
  uint64_t last_consent_ms_ = 0;  // last success on the selected pair
  std::array<StunTransactionId, kConsentTransactions> consent_transactions_{};
  size_t next_consent_slot_ = 0;
  Counters counters_;
  std::array<uint8_t, 512> buffer_{};
};

}  // namespace tributary::rtc
