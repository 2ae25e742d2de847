#include "rtc/IceServer.h"

#include <utility>

namespace tributary::rtc {

IceServer::IceServer(Listener& listener, std::string ufrag, std::string password, Options options)
    : listener_(listener),
      options_(options),
      ufrag_(std::move(ufrag)),
      password_(std::move(password)) {}

std::string_view IceServer::LocalUfragOf(std::string_view username) {
  const size_t colon = username.find(':');
  if (colon == std::string_view::npos) return {};
  return username.substr(0, colon);
}

void IceServer::ProcessStunPacket(std::span<const uint8_t> data, const net::FiveTuple& tuple,
                                  uint64_t now_ms) {
  const auto message = StunMessage::Parse(data);
  if (!message) {
    ++counters_.malformed;
    return;
  }
  ProcessStunPacket(*message, tuple, now_ms);
}

void IceServer::ProcessStunPacket(const StunMessage& message, const net::FiveTuple& tuple,
                                  uint64_t now_ms) {
  if (!message.IsBindingRequest()) {
    ++counters_.ignored;  // keepalive indications, stray responses: a lite agent sends no checks
    return;
  }
  // RFC 8445 7.3: checks carry FINGERPRINT; RFC 8489 9.1.3: requests without USERNAME or
  // MESSAGE-INTEGRITY are bad requests. All of these are dropped without an answer, so that a
  // spoofed source cannot make us reflect anything.
  if (!message.HasFingerprint() || !message.CheckFingerprint()) {
    ++counters_.bad_fingerprint;
    return;
  }
  const auto username = message.Username();
  if (!username || !message.HasMessageIntegrity()) {
    ++counters_.malformed;
    return;
  }
  const std::string_view local = LocalUfragOf(*username);
  const bool remote_part = username->size() > local.size() + 1;
  std::string_view password;
  bool with_new_credentials = false;
  if (remote_part && !local.empty() && local == ufrag_) {
    password = password_;
    with_new_credentials = true;
  } else if (remote_part && !local.empty() && !old_ufrag_.empty() && local == old_ufrag_) {
    password = old_password_;
  } else {
    ++counters_.unknown_username;
    return;
  }
  if (!message.CheckIntegrity(password)) {
    ++counters_.bad_integrity;
    return;
  }
  if (with_new_credentials && !old_ufrag_.empty()) {
    // The peer has moved to the restarted credentials: the old ones stop working.
    old_ufrag_.clear();
    old_password_.clear();
  }

  // RFC 8489 6.3.1: after authentication, unknown comprehension-required attributes -> 420.
  if (!message.UnknownRequiredAttributes().empty()) {
    ++counters_.unknown_attributes;
    SendErrorResponse(message, tuple, password, kStunErrorUnknownAttribute, "Unknown Attribute");
    return;
  }
  // RFC 8445 7.3.1.1: a lite agent is always controlled and cannot switch, so a peer that also
  // claims to be controlled is told to switch (487), whatever the tie-breakers say.
  if (message.IceControlled()) {
    ++counters_.role_conflicts;
    SendErrorResponse(message, tuple, password, kStunErrorRoleConflict, "Role Conflict");
    return;
  }

  ++counters_.requests;
  const size_t size = StunMessageBuilder(response_buffer_, StunClass::kSuccessResponse,
                                         kStunMethodBinding, message.TransactionId())
                          .AddXorMappedAddress(tuple.remote)
                          .AddMessageIntegrity(password)
                          .AddFingerprint()
                          .Finish();
  if (size == 0) return;  // cannot happen with a 512-byte buffer
  ++counters_.responses_sent;
  listener_.OnIceServerSendStunPacket(
      *this, std::span<const uint8_t>(response_buffer_.data(), size), tuple.remote);

  Tuple* entry = FindTuple(tuple);
  if (entry == nullptr) entry = AddTuple(tuple, now_ms);
  entry->last_valid_check_ms = now_ms;
  const int index = static_cast<int>(entry - tuples_.data());

  const bool was_connected = IsConnected();
  bool selection_changed = false;
  if (message.HasUseCandidate()) {
    // Nomination (regular or aggressive, the same thing for a lite agent): this tuple wins.
    selection_changed = selected_ != index;
    selected_ = index;
    state_ = State::kCompleted;
  } else if (selected_ < 0) {
    // No nomination yet: use the first pair that works, as browsers expect of a lite server.
    selection_changed = true;
    selected_ = index;
    state_ = State::kConnected;
  }
  if (selection_changed) listener_.OnIceServerSelectedTuple(*this, tuples_[selected_].tuple);
  if (!was_connected && IsConnected()) listener_.OnIceServerConnected(*this);
}

void IceServer::SendErrorResponse(const StunMessage& request, const net::FiveTuple& tuple,
                                  std::string_view password, uint16_t code,
                                  std::string_view reason) {
  StunMessageBuilder builder(response_buffer_, StunClass::kErrorResponse, kStunMethodBinding,
                             request.TransactionId());
  builder.AddErrorCode(code, reason);
  if (code == kStunErrorUnknownAttribute) {
    builder.AddUnknownAttributes(request.UnknownRequiredAttributes());
  }
  const size_t size = builder.AddMessageIntegrity(password).AddFingerprint().Finish();
  if (size == 0) return;
  ++counters_.error_responses_sent;
  listener_.OnIceServerSendStunPacket(
      *this, std::span<const uint8_t>(response_buffer_.data(), size), tuple.remote);
}

IceServer::Tuple* IceServer::FindTuple(const net::FiveTuple& tuple) {
  for (auto& entry : tuples_) {
    if (entry.in_use && entry.tuple == tuple) return &entry;
  }
  return nullptr;
}

IceServer::Tuple* IceServer::AddTuple(const net::FiveTuple& tuple, uint64_t now_ms) {
  Tuple* victim = nullptr;
  for (auto& entry : tuples_) {
    if (!entry.in_use) {
      victim = &entry;
      break;
    }
    // Evict the least recently checked tuple, never the selected one.
    if (static_cast<int>(&entry - tuples_.data()) == selected_) continue;
    if (victim == nullptr || entry.last_valid_check_ms < victim->last_valid_check_ms) {
      victim = &entry;
    }
  }
  if (victim->in_use) ++counters_.tuples_evicted;
  victim->tuple = tuple;
  victim->last_valid_check_ms = now_ms;
  victim->in_use = true;
  return victim;
}

void IceServer::Tick(uint64_t now_ms) {
  for (size_t i = 0; i < tuples_.size(); ++i) {
    Tuple& entry = tuples_[i];
    if (!entry.in_use || now_ms < entry.last_valid_check_ms + options_.consent_timeout_ms) {
      continue;
    }
    if (static_cast<int>(i) == selected_) {
      Disconnect();
      listener_.OnIceServerDisconnected(*this);
      return;  // Disconnect() forgot every tuple
    }
    entry.in_use = false;
  }
}

void IceServer::Disconnect() {
  state_ = State::kDisconnected;
  selected_ = -1;
  for (auto& entry : tuples_)
    entry.in_use = false;
}

void IceServer::RestartIce(std::string ufrag, std::string password) {
  if (ufrag == ufrag_) {
    password_ = std::move(password);
    return;
  }
  old_ufrag_ = std::move(ufrag_);
  old_password_ = std::move(password_);
  ufrag_ = std::move(ufrag);
  password_ = std::move(password);
}

const net::FiveTuple* IceServer::SelectedTuple() const {
  return selected_ < 0 ? nullptr : &tuples_[selected_].tuple;
}

bool IceServer::IsValidTuple(const net::FiveTuple& tuple) const {
  for (const auto& entry : tuples_) {
    if (entry.in_use && entry.tuple == tuple) return true;
  }
  return false;
}

}  // namespace tributary::rtc
