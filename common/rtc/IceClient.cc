#include "rtc/IceClient.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "base/Random.h"

namespace tributary::rtc {

IceClient::IceClient(Listener& listener, std::string local_ufrag, std::string local_password,
                     Options options, uint64_t tie_breaker)
    : listener_(listener),
      options_(options),
      local_ufrag_(std::move(local_ufrag)),
      local_password_(std::move(local_password)),
      tie_breaker_(tie_breaker != 0 ? tie_breaker : base::RandomU64()) {
  pairs_.reserve(kMaxPairs);
}

uint32_t IceClient::CheckPriority() {
  return IceCandidate::ComputePriority(IceCandidate::Type::kPeerReflexive, 65535, 1);
}

void IceClient::SetRemoteCredentials(std::string ufrag, std::string password) {
  remote_ufrag_ = std::move(ufrag);
  remote_password_ = std::move(password);
  username_ = remote_ufrag_ + ":" + local_ufrag_;
}

bool IceClient::AddRemoteCandidate(const IceCandidate& candidate) {
  if (candidate.transport != IceCandidate::Transport::kUdp || candidate.component != 1) {
    return false;
  }
  const auto& endpoint = candidate.endpoint;
  if (!endpoint.IsValid() || endpoint.Port() == 0) return false;
  if ((endpoint.IsIpv4() && !options_.ipv4) || (endpoint.IsIpv6() && !options_.ipv6)) {
    return false;
  }
  if (FindPair(endpoint) != nullptr || pairs_.size() >= kMaxPairs) return false;
  Pair pair;
  pair.remote = endpoint;
  pair.remote_priority = candidate.priority;
  // Our side is one host candidate per family, so the pair order is the remote priority order
  // (RFC 8445 6.1.2.3). Stable: equal priorities keep the order given.
  auto it = std::find_if(pairs_.begin(), pairs_.end(), [&](const Pair& p) {
    return p.remote_priority < candidate.priority && p.state == Pair::State::kWaiting;
  });
  const auto index = static_cast<int>(it - pairs_.begin());
  pairs_.insert(it, pair);  // capacity is reserved: no reallocation
  if (selected_ >= 0 && index <= selected_) ++selected_;
  return true;
}

IceClient::Pair* IceClient::FindPair(const net::Endpoint& remote) {
  for (auto& pair : pairs_) {
    if (pair.remote == remote) return &pair;
  }
  return nullptr;
}

std::optional<net::Endpoint> IceClient::SelectedRemote() const {
  if (selected_ < 0) return std::nullopt;
  return pairs_[selected_].remote;
}

void IceClient::Start(uint64_t now_ms) {
  if (state_ != State::kNew) return;
  state_ = State::kChecking;
  next_pacing_ms_ = now_ms;
  if (pairs_.empty()) {
    state_ = State::kFailed;
    listener_.OnIceClientFailed(*this);
    return;
  }
  Tick(now_ms);
}

void IceClient::SendRequest(const StunTransactionId& tid, const net::Endpoint& to, bool nominate) {
  StunMessageBuilder builder(buffer_, StunClass::kRequest, kStunMethodBinding, tid);
  builder.AddUsername(username_).AddPriority(CheckPriority());
  if (controlling_) {
    builder.AddIceControlling(tie_breaker_);
    if (nominate) builder.AddUseCandidate();
  } else {
    builder.AddIceControlled(tie_breaker_);
  }
  const size_t size = builder.AddMessageIntegrity(remote_password_).AddFingerprint().Finish();
  if (size == 0) return;  // a username too long for STUN: nothing sensible to send
  listener_.OnIceClientSendStunPacket(*this, std::span<const uint8_t>(buffer_.data(), size), to);
}

void IceClient::SendCheck(Pair& pair, uint64_t now_ms) {
  base::RandomBytes(pair.transaction_id);
  pair.state = Pair::State::kInProgress;
  pair.transmissions = 1;
  pair.rto_ms = options_.initial_rto_ms;
  pair.next_event_ms =
      now_ms + (options_.max_transmissions > 1 ? pair.rto_ms : options_.final_wait_ms);
  pair.sent_controlling = controlling_;
  ++counters_.checks_sent;
  SendRequest(pair.transaction_id, pair.remote, /*nominate=*/true);
}

void IceClient::Tick(uint64_t now_ms) {
  if (state_ == State::kChecking) {
    for (auto& pair : pairs_) {
      if (pair.state != Pair::State::kInProgress || now_ms < pair.next_event_ms) continue;
      if (pair.transmissions >= options_.max_transmissions) {
        pair.state = Pair::State::kFailed;  // no answer after the last transmission
        continue;
      }
      ++pair.transmissions;
      ++counters_.retransmissions;
      if (pair.transmissions < options_.max_transmissions) {
        pair.rto_ms = std::min(pair.rto_ms * 2, options_.max_rto_ms);
        pair.next_event_ms = now_ms + pair.rto_ms;
      } else {
        pair.next_event_ms = now_ms + options_.final_wait_ms;
      }
      pair.sent_controlling = controlling_;
      SendRequest(pair.transaction_id, pair.remote, /*nominate=*/true);
      if (state_ != State::kChecking) return;
    }
    if (now_ms >= next_pacing_ms_) {
      for (auto& pair : pairs_) {
        if (pair.state != Pair::State::kWaiting) continue;
        SendCheck(pair, now_ms);
        next_pacing_ms_ = now_ms + options_.pacing_ms;
        break;
      }
    }
    CheckForFailure();
    return;
  }
  if (state_ == State::kConnected) {
    if (now_ms >= last_consent_ms_ + options_.consent_timeout_ms) {
      state_ = State::kDisconnected;
      listener_.OnIceClientDisconnected(*this);
      return;
    }
    if (now_ms >= next_consent_ms_) {
      StunTransactionId& tid = consent_transactions_[next_consent_slot_];
      next_consent_slot_ = (next_consent_slot_ + 1) % kConsentTransactions;
      base::RandomBytes(tid);
      ++counters_.consent_checks_sent;
      ScheduleConsent(now_ms);
      SendRequest(tid, pairs_[selected_].remote, /*nominate=*/true);
    }
  }
}

uint64_t IceClient::NextTickMs() const {
  uint64_t next = std::numeric_limits<uint64_t>::max();
  if (state_ == State::kChecking) {
    for (const auto& pair : pairs_) {
      if (pair.state == Pair::State::kInProgress) next = std::min(next, pair.next_event_ms);
      if (pair.state == Pair::State::kWaiting) next = std::min(next, next_pacing_ms_);
    }
  } else if (state_ == State::kConnected) {
    next = std::min(next_consent_ms_, last_consent_ms_ + options_.consent_timeout_ms);
  }
  return next;
}

void IceClient::CheckForFailure() {
  if (state_ != State::kChecking) return;
  for (const auto& pair : pairs_) {
    if (pair.state != Pair::State::kFailed) return;  // still waiting, checking or succeeded
  }
  state_ = State::kFailed;
  listener_.OnIceClientFailed(*this);
}

void IceClient::ScheduleConsent(uint64_t now_ms) {
  // 0.8 .. 1.2 times the interval, so that consent checks of many sessions do not align.
  const uint64_t fraction = base::RandomU32() % 4001;  // 0 .. 4000 -> 0.8 .. 1.2
  next_consent_ms_ = now_ms + options_.consent_interval_ms * (8000 + fraction) / 10000;
}

void IceClient::SelectPair(Pair& pair, uint64_t now_ms) {
  selected_ = static_cast<int>(&pair - pairs_.data());
  state_ = State::kConnected;
  last_consent_ms_ = now_ms;
  ScheduleConsent(now_ms);
  listener_.OnIceClientConnected(*this, pair.remote);
}

void IceClient::ProcessStunPacket(std::span<const uint8_t> data, const net::Endpoint& from,
                                  uint64_t now_ms) {
  const auto message = StunMessage::Parse(data);
  if (!message) {
    ++counters_.malformed;
    return;
  }
  ProcessStunPacket(*message, from, now_ms);
}

void IceClient::ProcessStunPacket(const StunMessage& message, const net::Endpoint& from,
                                  uint64_t now_ms) {
  if (message.Method() != kStunMethodBinding) {
    ++counters_.malformed;
    return;
  }
  switch (message.Class()) {
    case StunClass::kRequest:
      HandleRequest(message, from, now_ms);
      break;
    case StunClass::kSuccessResponse:
    case StunClass::kErrorResponse:
      HandleResponse(message, from, now_ms);
      break;
    case StunClass::kIndication:
      break;  // keepalive
  }
}

void IceClient::HandleRequest(const StunMessage& message, const net::Endpoint& from,
                              uint64_t now_ms) {
  if (!message.HasFingerprint() || !message.CheckFingerprint()) {
    ++counters_.bad_fingerprint;
    return;
  }
  const auto username = message.Username();
  if (!username || !message.HasMessageIntegrity()) {
    ++counters_.malformed;
    return;
  }
  // "<our ufrag>:<theirs>", and theirs must be the one we were given, when we were.
  const size_t colon = username->find(':');
  if (colon == std::string_view::npos || username->substr(0, colon) != local_ufrag_ ||
      colon + 1 == username->size() ||
      (!remote_ufrag_.empty() && username->substr(colon + 1) != remote_ufrag_)) {
    ++counters_.unknown_username;
    return;
  }
  if (!message.CheckIntegrity(local_password_)) {
    ++counters_.bad_integrity;
    return;
  }

  auto answer_error = [&](uint16_t code, std::string_view reason) {
    StunMessageBuilder builder(buffer_, StunClass::kErrorResponse, kStunMethodBinding,
                               message.TransactionId());
    builder.AddErrorCode(code, reason);
    if (code == kStunErrorUnknownAttribute) {
      builder.AddUnknownAttributes(message.UnknownRequiredAttributes());
    }
    const size_t size = builder.AddMessageIntegrity(local_password_).AddFingerprint().Finish();
    if (size > 0) {
      listener_.OnIceClientSendStunPacket(*this, std::span<const uint8_t>(buffer_.data(), size),
                                          from);
    }
  };
  if (!message.UnknownRequiredAttributes().empty()) {
    answer_error(kStunErrorUnknownAttribute, "Unknown Attribute");
    return;
  }
  // RFC 8445 7.3.1.1: the larger tie-breaker keeps (or takes) the controlling role.
  if (controlling_ && message.IceControlling()) {
    ++counters_.role_conflicts;
    if (tie_breaker_ >= *message.IceControlling()) {
      answer_error(kStunErrorRoleConflict, "Role Conflict");
      return;
    }
    controlling_ = false;
  } else if (!controlling_ && message.IceControlled()) {
    ++counters_.role_conflicts;
    if (tie_breaker_ < *message.IceControlled()) {
      answer_error(kStunErrorRoleConflict, "Role Conflict");
      return;
    }
    controlling_ = true;
  }

  ++counters_.requests_received;
  const size_t size = StunMessageBuilder(buffer_, StunClass::kSuccessResponse, kStunMethodBinding,
                                         message.TransactionId())
                          .AddXorMappedAddress(from)
                          .AddMessageIntegrity(local_password_)
                          .AddFingerprint()
                          .Finish();
  if (size > 0) {
    listener_.OnIceClientSendStunPacket(*this, std::span<const uint8_t>(buffer_.data(), size),
                                        from);
  }
  if (state_ != State::kChecking) return;

  // Triggered checks (RFC 8445 7.3.1.4), on a new (peer-reflexive) pair if need be.
  Pair* pair = FindPair(from);
  if (pair == nullptr) {
    IceCandidate prflx;
    prflx.endpoint = from;
    prflx.priority = message.Priority().value_or(0);
    prflx.type = IceCandidate::Type::kPeerReflexive;
    if (!AddRemoteCandidate(prflx)) return;
    pair = FindPair(from);
  }
  if (!controlling_ && message.HasUseCandidate()) pair->remote_nominated = true;
  if (pair->state == Pair::State::kWaiting || pair->state == Pair::State::kFailed) {
    SendCheck(*pair, now_ms);
  } else if (pair->state == Pair::State::kSucceeded && pair->remote_nominated) {
    SelectPair(*pair, now_ms);
  }
}

void IceClient::HandleResponse(const StunMessage& message, const net::Endpoint& from,
                               uint64_t now_ms) {
  const auto tid = message.TransactionId();
  Pair* pair = nullptr;
  bool consent = false;
  for (auto& candidate : pairs_) {
    if (candidate.state == Pair::State::kInProgress &&
        std::equal(tid.begin(), tid.end(), candidate.transaction_id.begin())) {
      pair = &candidate;
      break;
    }
  }
  if (pair == nullptr && state_ == State::kConnected) {
    for (const auto& consent_tid : consent_transactions_) {
      if (std::equal(tid.begin(), tid.end(), consent_tid.begin())) {
        pair = &pairs_[selected_];
        consent = true;
        break;
      }
    }
  }
  if (pair == nullptr || (!consent && state_ != State::kChecking)) {
    ++counters_.unknown_transaction;
    return;
  }
  if (message.HasFingerprint() && !message.CheckFingerprint()) {
    ++counters_.bad_fingerprint;
    return;
  }
  if (!message.CheckIntegrity(remote_password_)) {
    ++counters_.bad_integrity;
    return;
  }
  if (from != pair->remote) {
    // RFC 8445 7.2.5.2.1: the addresses of a check must be symmetric.
    ++counters_.address_mismatch;
    if (!consent) {
      pair->state = Pair::State::kFailed;
      CheckForFailure();
    }
    return;
  }

  if (message.Class() == StunClass::kErrorResponse) {
    ++counters_.error_responses;
    if (consent) return;
    const auto error = message.ErrorCode();
    if (error && error->code == kStunErrorRoleConflict &&
        counters_.role_conflicts < kMaxRoleConflicts) {
      // RFC 8445 7.2.5.1: take the other role than the one the check claimed, and check again.
      // Bounded, so that a peer answering 487 to both roles cannot make us loop.
      ++counters_.role_conflicts;
      controlling_ = !pair->sent_controlling;
      SendCheck(*pair, now_ms);
      return;
    }
    pair->state = Pair::State::kFailed;
    CheckForFailure();
    return;
  }

  if (!message.XorMappedAddress()) {
    ++counters_.malformed;
    if (!consent) {
      pair->state = Pair::State::kFailed;
      CheckForFailure();
    }
    return;
  }
  ++counters_.success_responses;
  if (consent) {
    last_consent_ms_ = now_ms;
    return;
  }
  pair->state = Pair::State::kSucceeded;
  // Aggressive nomination: a check we sent as the controlling agent carried USE-CANDIDATE, so
  // its success selects the pair. As the controlled agent, the peer's nomination decides.
  if (pair->sent_controlling || pair->remote_nominated) SelectPair(*pair, now_ms);
}

}  // namespace tributary::rtc
