#pragma once

// What the admin API shows of one media session (GET /api/v1/sessions): who it is (id, stream,
// kind, role), where it stands (state, remote address, ages) and how its media fares (bytes
// and packets each way, loss, round-trip time). Taken on the session's worker thread, read on
// the control thread; never per packet.
//
// Loss and RTT come from RTCP:
//   ingest (publish)  loss: what the producers' receivers counted (expected - received) over
//                     what they expected; RTT: not measured (the publisher measures it)
//   egress (play)     loss: the viewer's receiver reports (the largest fraction lost of the
//                     last reports, the cumulative count summed); RTT: the largest of the
//                     consumers' (from report blocks carrying our sender report's LSR)

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sfu/Session.h"
#include "sfu/StreamKey.h"

namespace tributary::sfu {

struct SessionSnapshot {
  std::string id;
  StreamKey key;
  SessionKind kind = SessionKind::kIngest;
  Session::Role role = Session::Role::kServer;
  Session::State state = Session::State::kNew;
  std::string remote;  // "ip:port" of the selected ICE pair; empty until ICE chose one
  size_t worker = 0;
  size_t tracks = 0;
  uint64_t created_ms = 0;    // base::NowMs() clock
  uint64_t connected_ms = 0;  // 0: not connected (yet)
  uint64_t rtp_packets_in = 0;
  uint64_t rtp_bytes_in = 0;
  uint64_t rtp_packets_out = 0;
  uint64_t rtp_bytes_out = 0;
  int64_t packets_lost = 0;    // cumulative; may be negative (duplicates), as RTCP says
  double loss_fraction = 0.0;  // 0..1
  std::optional<double> rtt_ms;

  // Reads `session` (its worker's thread).
  static SessionSnapshot Of(const Session& session, size_t worker);
};

std::string_view ToString(Session::State state);
std::string_view ToString(Session::Role role);

}  // namespace tributary::sfu
