#include "metrics/Metrics.h"

#include <gtest/gtest.h>

#include <chrono>

namespace tributary::metrics {
namespace {

// The value of the first sample line starting with `prefix` ("name{labels}" or "name").
double SampleValue(const std::string& text, const std::string& prefix) {
  const auto start = text.find("\n" + prefix + " ");
  if (start == std::string::npos) return -1;
  return std::stod(text.substr(start + prefix.size() + 2));
}

void BurnCpu() {
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(30);
  volatile uint64_t x = 0;
  while (std::chrono::steady_clock::now() < until)
    x = x + 1;
}

TEST(Metrics, DeclaresEveryFamily_WithHelpAndType) {
  Metrics metrics("1.2.3", "edge");
  const std::string text = metrics.Serialize();
  for (const char* family :
       {"tributary_build_info gauge", "tributary_uptime_seconds gauge",
        "tributary_http_requests_total counter", "process_cpu_seconds_total counter",
        "process_resident_memory_bytes gauge", "process_virtual_memory_bytes gauge",
        "process_open_fds gauge", "process_max_fds gauge", "process_start_time_seconds gauge",
        "process_threads gauge", "tributary_nacks_total counter",
        "tributary_retransmissions_total counter", "tributary_keyframe_requests_total counter",
        "tributary_dropped_packets_total counter"}) {
    EXPECT_NE(text.find(std::string("# TYPE ") + family), std::string::npos) << family;
  }
  EXPECT_NE(text.find("tributary_build_info{role=\"edge\",version=\"1.2.3\"} 1"), std::string::npos)
      << text;
  EXPECT_EQ(SampleValue(text, "tributary_retransmissions_total"), 0);
  EXPECT_EQ(SampleValue(text, "tributary_nacks_total{direction=\"in\"}"), 0);
}

TEST(Metrics, DeclaresTheClusterFamilies_WithTheirSeriesAtZero) {
  Metrics metrics("1.2.3", "origin");
  std::string text = metrics.Serialize();
  for (const char* family :
       {"tributary_directory_streams gauge", "tributary_peers gauge",
        "tributary_redirects_total counter", "tributary_failovers_total counter",
        "tributary_upstream_links gauge"}) {
    EXPECT_NE(text.find(std::string("# TYPE ") + family), std::string::npos) << family;
  }
  for (const char* sample :
       {"tributary_directory_streams", "tributary_peers{state=\"alive\"}",
        "tributary_peers{state=\"dead\"}", "tributary_redirects_total{reason=\"owner\"}",
        "tributary_redirects_total{reason=\"nearest_edge\"}", "tributary_failovers_total",
        "tributary_upstream_links{kind=\"pull\"}", "tributary_upstream_links{kind=\"push\"}"}) {
    EXPECT_EQ(SampleValue(text, sample), 0) << sample;
  }
  metrics.Peers(true).Set(2);
  metrics.Peers(false).Set(1);
  metrics.Redirects().Add({{"reason", "nearest_edge"}}).Increment();
  text = metrics.Serialize();
  EXPECT_EQ(SampleValue(text, "tributary_peers{state=\"alive\"}"), 2);
  EXPECT_EQ(SampleValue(text, "tributary_peers{state=\"dead\"}"), 1);
  EXPECT_EQ(SampleValue(text, "tributary_redirects_total{reason=\"nearest_edge\"}"), 1);
}

TEST(Metrics, ShowsVhostSeriesAtZero_OnceTheVhostIsAdded) {
  Metrics metrics("1.2.3", "origin");
  EXPECT_EQ(metrics.Serialize().find("tributary_sessions"), std::string::npos);
  metrics.AddVhost("acme");
  metrics.AddVhost("acme");  // idempotent
  const std::string text = metrics.Serialize();
  EXPECT_EQ(SampleValue(text, "tributary_sessions{kind=\"publish\",vhost=\"acme\"}"), 0) << text;
  EXPECT_EQ(SampleValue(text, "tributary_sessions{kind=\"play\",vhost=\"acme\"}"), 0);
  EXPECT_EQ(SampleValue(text, "tributary_streams{vhost=\"acme\"}"), 0);
  EXPECT_EQ(SampleValue(text, "tributary_rtp_packets_total{direction=\"in\",vhost=\"acme\"}"), 0);
  EXPECT_EQ(SampleValue(text, "tributary_rtp_bytes_total{direction=\"out\",vhost=\"acme\"}"), 0);
}

TEST(Metrics, CountsSeriesTheMediaPlaneIncrements) {
  Metrics metrics("1.2.3", "origin");
  metrics.Sessions().Add({{"vhost", "demo"}, {"kind", "play"}}).Increment(3);
  metrics.RtpPackets().Add({{"vhost", "demo"}, {"direction", "out"}}).Increment(10);
  metrics.Retransmissions().Increment();
  metrics.DroppedPackets().Add({{"reason", "srtp"}}).Increment(2);
  const std::string text = metrics.Serialize();
  EXPECT_EQ(SampleValue(text, "tributary_sessions{kind=\"play\",vhost=\"demo\"}"), 3);
  EXPECT_EQ(SampleValue(text, "tributary_rtp_packets_total{direction=\"out\",vhost=\"demo\"}"), 10);
  EXPECT_EQ(SampleValue(text, "tributary_retransmissions_total"), 1);
  EXPECT_EQ(SampleValue(text, "tributary_dropped_packets_total{reason=\"srtp\"}"), 2);
}

TEST(Metrics, CountsHttpResponses_ByStatusClass) {
  Metrics metrics("1.2.3", "origin");
  metrics.CountHttpResponse(200);
  metrics.CountHttpResponse(201);
  metrics.CountHttpResponse(404);
  metrics.CountHttpResponse(503);
  metrics.CountHttpResponse(99);   // not a status: ignored
  metrics.CountHttpResponse(600);  // ditto
  const std::string text = metrics.Serialize();
  EXPECT_EQ(SampleValue(text, "tributary_http_requests_total{code=\"2xx\"}"), 2);
  EXPECT_EQ(SampleValue(text, "tributary_http_requests_total{code=\"3xx\"}"), 0);
  EXPECT_EQ(SampleValue(text, "tributary_http_requests_total{code=\"4xx\"}"), 1);
  EXPECT_EQ(SampleValue(text, "tributary_http_requests_total{code=\"5xx\"}"), 1);
}

TEST(Metrics, ReadsProcessFiguresFromProc_AtScrapeTime) {
  Metrics metrics("1.2.3", "origin");
  BurnCpu();
  const std::string text = metrics.Serialize();
  EXPECT_GT(SampleValue(text, "process_cpu_seconds_total"), 0) << text;
  EXPECT_GT(SampleValue(text, "process_resident_memory_bytes"), 1e6);
  EXPECT_GT(SampleValue(text, "process_virtual_memory_bytes"), 1e6);
  EXPECT_GE(SampleValue(text, "process_open_fds"), 3);
  EXPECT_GE(SampleValue(text, "process_max_fds"), SampleValue(text, "process_open_fds"));
  EXPECT_GE(SampleValue(text, "process_threads"), 1);
  const double now = static_cast<double>(std::chrono::duration_cast<std::chrono::seconds>(
                                             std::chrono::system_clock::now().time_since_epoch())
                                             .count());
  const double start = SampleValue(text, "process_start_time_seconds");
  EXPECT_GT(start, now - 3600);
  EXPECT_LE(start, now + 1);
  // The CPU counter only grows.
  BurnCpu();
  const double before = SampleValue(text, "process_cpu_seconds_total");
  EXPECT_GE(SampleValue(metrics.Serialize(), "process_cpu_seconds_total"), before);
}

TEST(Metrics, ServesTheTextFormatContentType) {
  EXPECT_EQ(std::string(Metrics::kContentType).rfind("text/plain; version=0.0.4", 0), 0u);
}

}  // namespace
}  // namespace tributary::metrics
