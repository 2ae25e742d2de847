#include "http/AdminSessionsRoutes.h"

#include <gtest/gtest.h>

namespace tributary::http {
namespace {

sfu::SessionSnapshot Snapshot(sfu::SessionKind kind) {
  sfu::SessionSnapshot session;
  session.id = "0123456789abcdef0123456789abcdef";
  session.key = {"demo", "live", "cam"};
  session.kind = kind;
  session.state = sfu::Session::State::kConnected;
  session.remote = "127.0.0.1:5000";
  session.worker = 1;
  session.tracks = 2;
  session.created_ms = 10'000;
  session.connected_ms = 10'040;
  session.rtp_packets_in = 100;
  session.rtp_bytes_in = 120'000;
  session.packets_lost = 3;
  session.loss_fraction = 0.03;
  return session;
}

TEST(AdminSessionsRoutesTest, SessionJson_PublishShowsItsIncomingRate) {
  const auto json = AdminSessionsRoutes::SessionJson(Snapshot(sfu::SessionKind::kIngest), 12'500,
                                                     800'000.4, 2'000.0);
  EXPECT_EQ(json["id"], "0123456789abcdef0123456789abcdef");
  EXPECT_EQ(json["vhost"], "demo");
  EXPECT_EQ(json["app"], "live");
  EXPECT_EQ(json["stream"], "cam");
  EXPECT_EQ(json["kind"], "publish");
  EXPECT_EQ(json["role"], "server");
  EXPECT_EQ(json["state"], "connected");
  EXPECT_EQ(json["remote"], "127.0.0.1:5000");
  EXPECT_EQ(json["worker"], 1);
  EXPECT_EQ(json["tracks"], 2);
  EXPECT_DOUBLE_EQ(json["age_seconds"].get<double>(), 2.5);
  EXPECT_EQ(json["age_ms"], 2500);
  EXPECT_EQ(json["setup_ms"], 40);
  EXPECT_EQ(json["bitrate_bps"], 800'000);
  EXPECT_EQ(json["bitrate_in_bps"], 800'000);
  EXPECT_EQ(json["bitrate_out_bps"], 2'000);
  EXPECT_EQ(json["rtp_bytes_in"], 120'000);
  EXPECT_EQ(json["packets_lost"], 3);
  EXPECT_DOUBLE_EQ(json["loss"].get<double>(), 0.03);
  EXPECT_TRUE(json["rtt_ms"].is_null());
}

TEST(AdminSessionsRoutesTest, SessionJson_PlayShowsItsOutgoingRateAndRtt) {
  auto session = Snapshot(sfu::SessionKind::kEgress);
  session.rtt_ms = 12.5;
  session.connected_ms = 0;
  session.state = sfu::Session::State::kStarted;
  const auto json = AdminSessionsRoutes::SessionJson(session, 9'000, 1'000.0, 500'000.0);
  EXPECT_EQ(json["kind"], "play");
  EXPECT_EQ(json["state"], "connecting");
  EXPECT_EQ(json["bitrate_bps"], 500'000);
  EXPECT_DOUBLE_EQ(json["rtt_ms"].get<double>(), 12.5);
  EXPECT_TRUE(json["setup_ms"].is_null());  // not connected yet
  EXPECT_EQ(json["age_ms"], 0);             // a clock behind the creation: never negative
}

}  // namespace
}  // namespace tributary::http
