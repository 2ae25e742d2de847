#include "sfu/SessionSnapshot.h"

#include <algorithm>

#include "sfu/EgressSession.h"
#include "sfu/IngestSession.h"

namespace tributary::sfu {

namespace {

void AddIngestMedia(const IngestSession& session, SessionSnapshot& out) {
  out.tracks = session.TrackCount();
  uint64_t expected = 0;
  for (size_t i = 0; i < session.TrackCount(); ++i) {
    const RtpStreamReceiver* receiver = session.TrackProducer(i).Receiver();
    if (receiver == nullptr || !receiver->HasReceived()) continue;
    expected += receiver->Expected();
    out.packets_lost += receiver->CumulativeLost();
  }
  if (expected > 0 && out.packets_lost > 0) {
    out.loss_fraction = std::min(1.0, static_cast<double>(out.packets_lost) / expected);
  }
}

void AddEgressMedia(const EgressSession& session, SessionSnapshot& out) {
  out.tracks = session.TrackCount();
  uint8_t fraction_lost = 0;
  for (size_t i = 0; i < session.TrackCount(); ++i) {
    const Consumer* consumer = session.ConsumerAt(i);
    if (consumer == nullptr) continue;
    const RtpStreamSender& stats = consumer->StreamStats();
    if (stats.ReportsReceived() == 0) continue;
    fraction_lost = std::max(fraction_lost, stats.FractionLost());
    out.packets_lost += stats.CumulativeLost();
    if (const auto rtt_us = stats.RttUs()) {
      const double rtt_ms = static_cast<double>(*rtt_us) / 1000.0;
      out.rtt_ms = std::max(out.rtt_ms.value_or(0.0), rtt_ms);
    }
  }
  out.loss_fraction = fraction_lost / 256.0;
}

}  // namespace

SessionSnapshot SessionSnapshot::Of(const Session& session, size_t worker) {
  SessionSnapshot out;
  out.id = session.Id();
  out.key = session.Key();
  out.kind = session.Kind();
  out.role = session.GetRole();
  out.state = session.GetState();
  const net::Endpoint& remote = session.Transport().SelectedRemote();
  if (remote.IsValid()) out.remote = remote.ToString();
  out.worker = worker;
  out.created_ms = session.CreatedMs();
  out.connected_ms = session.ConnectedMs();
  const SessionCounters counters = session.GetCounters();
  out.rtp_packets_in = counters.rtp_packets_in;
  out.rtp_bytes_in = counters.rtp_bytes_in;
  out.rtp_packets_out = counters.rtp_packets_out;
  out.rtp_bytes_out = counters.rtp_bytes_out;
  if (session.GetState() == Session::State::kNew) return out;  // no media attached yet
  if (session.Kind() == SessionKind::kIngest) {
    AddIngestMedia(static_cast<const IngestSession&>(session), out);
  } else {
    AddEgressMedia(static_cast<const EgressSession&>(session), out);
  }
  return out;
}

std::string_view ToString(Session::State state) {
  switch (state) {
    case Session::State::kNew:
      return "new";
    case Session::State::kStarted:
      return "connecting";
    case Session::State::kConnected:
      return "connected";
    case Session::State::kClosed:
      return "closed";
  }
  return "unknown";
}

std::string_view ToString(Session::Role role) {
  return role == Session::Role::kServer ? "server" : "client";
}

}  // namespace tributary::sfu
