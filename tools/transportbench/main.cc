// tributary-transportbench: what one delivered RTP packet costs the sender through
// WebRtcTransport's in-place path, over real loopback UDP after real ICE + DTLS handshakes.
//
// A server socket carries N server transports (one per viewer, as an SFU has); N client
// transports, each on its own socket, receive. The sender fans each 1200-byte source packet out
// to every server transport the way a consumer will: PrepareSend(), one memcpy into the socket's
// send slot, CommitRtpPacket() (SRTP protect in place), then sendmmsg batches. The receivers run
// on another thread (another core when there are two), so the sender's CPU time, read from
// CLOCK_THREAD_CPUTIME_ID over the run, is the sender's alone; the process figure
// (getrusage) is printed too. The sender is paced to --rate packets per second so that the
// receivers keep up: the figure divides by packets delivered (unprotected by a client).
//
// A baseline run first sends the same fan-out as plain UDP through the same socket (send slot,
// memcpy, sendmmsg) without transports: on loopback the sender's sendmmsg also pays for the
// receiving half of the kernel path (the softirq runs in its context), which a NIC would take
// off it; the difference between the rows is what the transport and SRTP add.
//
//   tributary-transportbench                       100 clients, GCM then AES-CM, 2 s each
//   tributary-transportbench --clients 20 --json   one JSON object on stdout

#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>
#include <time.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <spdlog/spdlog.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "base/ByteIo.h"
#include "base/Clock.h"
#include "base/Random.h"
#include "net/UdpSocket.h"
#include "rtc/DtlsCertificate.h"
#include "rtc/DtlsTransport.h"
#include "rtc/SrtpProfile.h"
#include "rtc/UdpDemux.h"
#include "rtc/WebRtcTransport.h"
#include "rtc/deps/DepLibSrtp.h"
#include "rtc/deps/DepOpenSsl.h"

namespace {

using tributary::net::Endpoint;
using tributary::net::UdpSocket;
using tributary::rtc::DtlsCertificate;
using tributary::rtc::DtlsTransport;
using tributary::rtc::SrtpProfile;
using tributary::rtc::SrtpProfileName;
using tributary::rtc::UdpDemux;
using tributary::rtc::WebRtcTransport;

constexpr size_t kPacketSize = 1200;

uint64_t ThreadCpuNs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000ull + static_cast<uint64_t>(ts.tv_nsec);
}

uint64_t ProcessCpuNs() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto ns = [](const timeval& tv) {
    return static_cast<uint64_t>(tv.tv_sec) * 1000000000ull +
           static_cast<uint64_t>(tv.tv_usec) * 1000ull;
  };
  return ns(usage.ru_utime) + ns(usage.ru_stime);
}

void PinToCpu(int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

// Counts what arrives; nothing else (the receive side is not what is measured).
struct Receiver : WebRtcTransport::Listener {
  uint64_t rtp = 0;
  uint64_t wrong_size = 0;
  bool connected = false;
  bool closed = false;
  void OnTransportIceConnected(WebRtcTransport&) override {}
  void OnTransportConnected(WebRtcTransport&) override { connected = true; }
  void OnTransportClosed(WebRtcTransport&, WebRtcTransport::CloseReason,
                         std::string_view detail) override {
    closed = true;
    std::fprintf(stderr, "transport closed: %.*s\n", static_cast<int>(detail.size()),
                 detail.data());
  }
  void OnTransportRtpPacket(WebRtcTransport&, std::span<uint8_t> packet) override {
    ++rtp;
    if (packet.size() != kPacketSize) ++wrong_size;
  }
  void OnTransportRtcpPacket(WebRtcTransport&, std::span<uint8_t>) override {}
};

// One socket with its demux, or, for the plain-UDP baseline, with a listener that only counts.
struct Node : UdpSocket::Listener {
  UdpDemux demux;
  const bool plain;
  uint64_t plain_packets = 0;
  std::unique_ptr<UdpSocket> socket;
  Node(boost::asio::io_context& io, UdpSocket::Options options, bool plain_udp)
      : plain(plain_udp),
        socket(std::make_unique<UdpSocket>(io, *Endpoint::Parse("127.0.0.1", 0), *this, options)) {}
  void OnUdpPacket(UdpSocket& s, std::span<const uint8_t> data, const Endpoint& from) override {
    if (plain) {
      plain_packets += data.size() == kPacketSize;
      return;
    }
    demux.OnUdpPacket(s, data, from);
  }
};

struct Result {
  std::string profile;
  size_t clients = 0;
  uint64_t sent = 0;
  uint64_t delivered = 0;
  uint64_t send_drops = 0;
  double seconds = 0;
  double sender_cpu_us_per_packet = 0;
  double receiver_cpu_us_per_packet = 0;
  double process_cpu_us_per_packet = 0;
  double delivered_per_second = 0;
};

// `profile` kNone: the baseline, the same fan-out of plain UDP datagrams through the socket's
// send slots and sendmmsg, without transports (what the kernel's loopback path costs here).
Result Run(SrtpProfile profile, size_t clients, double seconds, double rate, bool pin,
           const DtlsCertificate& server_certificate, const DtlsCertificate& client_certificate) {
  const bool plain = profile == SrtpProfile::kNone;
  DtlsTransport::Context::Options server_options;
  if (!plain) server_options.srtp_profiles = {profile};
  DtlsTransport::Context server_context(server_certificate, server_options);
  DtlsTransport::Context client_context(client_certificate);

  boost::asio::io_context sender_io;
  boost::asio::io_context receiver_io;
  UdpSocket::Options server_socket_options;
  server_socket_options.send_queue_size = 1024;
  Node server_node(sender_io, server_socket_options, plain);
  UdpSocket::Options client_socket_options;
  client_socket_options.batch_size = 16;
  client_socket_options.send_queue_size = 32;
  client_socket_options.receive_buffer_bytes = 1 << 20;
  client_socket_options.send_buffer_bytes = 64 << 10;
  std::vector<std::unique_ptr<Node>> client_nodes;
  std::vector<std::unique_ptr<Receiver>> receivers;
  Receiver server_listener;  // the server side receives no media
  std::vector<std::unique_ptr<WebRtcTransport>> servers, viewers;
  for (size_t i = 0; i < clients; ++i) {
    client_nodes.push_back(std::make_unique<Node>(receiver_io, client_socket_options, plain));
    if (plain) continue;
    receivers.push_back(std::make_unique<Receiver>());
    servers.push_back(std::make_unique<WebRtcTransport>(WebRtcTransport::Role::kServer,
                                                        *server_node.socket, server_node.demux,
                                                        server_context, server_listener));
    viewers.push_back(
        std::make_unique<WebRtcTransport>(WebRtcTransport::Role::kClient, *client_nodes[i]->socket,
                                          client_nodes[i]->demux, client_context, *receivers[i]));
    WebRtcTransport& server = *servers[i];
    WebRtcTransport& viewer = *viewers[i];
    server.SetRemoteDtlsParameters(server.DefaultDtlsRole(), viewer.LocalFingerprint());
    server.SetRemoteIceParameters(viewer.LocalIceParameters());
    viewer.SetRemoteDtlsParameters(viewer.DefaultDtlsRole(), server.LocalFingerprint());
    viewer.SetRemoteIceParameters(server.LocalIceParameters(), server.LocalCandidates());
  }

  // Handshakes: both sides on this thread.
  const uint64_t setup_deadline = tributary::base::NowMs() + 30000;
  uint64_t next_tick = 0;
  for (;;) {
    size_t connected = 0;
    for (size_t i = 0; i < servers.size(); ++i)
      connected += servers[i]->IsConnected() && viewers[i]->IsConnected();
    if (connected == servers.size()) break;
    const uint64_t now = tributary::base::NowMs();
    if (now > setup_deadline) throw std::runtime_error("handshakes did not complete in 30 s");
    sender_io.poll();
    receiver_io.poll();
    if (sender_io.stopped()) sender_io.restart();
    if (receiver_io.stopped()) receiver_io.restart();
    if (now >= next_tick) {
      next_tick = now + 10;
      for (auto& t : servers)
        t->Tick(now);
      for (auto& t : viewers)
        t->Tick(now);
    }
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  if (!plain && servers[0]->GetSrtpProfile() != profile) {
    throw std::runtime_error("unexpected SRTP profile");
  }

  // The receivers on their own thread from now on.
  std::atomic<bool> receiver_started{false};
  uint64_t receiver_cpu_ns = 0;
  std::thread receiver_thread([&] {
    if (pin) PinToCpu(1);
    boost::asio::steady_timer timer(receiver_io);
    std::function<void()> arm = [&] {
      timer.expires_after(std::chrono::milliseconds(10));
      timer.async_wait([&](boost::system::error_code ec) {
        if (ec) return;
        const uint64_t now = tributary::base::NowMs();
        for (auto& t : viewers)
          t->Tick(now);
        arm();
      });
    };
    arm();
    const uint64_t start = ThreadCpuNs();
    receiver_started = true;
    receiver_io.restart();
    receiver_io.run();
    receiver_cpu_ns = ThreadCpuNs() - start;
  });
  while (!receiver_started)
    std::this_thread::yield();
  if (pin) PinToCpu(0);

  std::vector<uint8_t> source(kPacketSize);
  tributary::base::RandomBytes(source);
  source[0] = 0x80;
  source[1] = 96;
  tributary::base::Write32(source.data() + 8, 0x5eed5eed);

  Result result;
  result.profile = plain ? "plain UDP (baseline)" : std::string(SrtpProfileName(profile));
  result.clients = clients;
  const uint64_t cpu_start = ThreadCpuNs();
  const uint64_t process_start = ProcessCpuNs();
  const auto wall_start = std::chrono::steady_clock::now();
  const auto wall_end = wall_start + std::chrono::duration<double>(seconds);
  uint16_t seq = 0;
  UdpSocket& socket = *server_node.socket;
  while (std::chrono::steady_clock::now() < wall_end) {
    tributary::base::Write16(source.data() + 2, seq);
    tributary::base::Write32(source.data() + 4, seq * 3000u);
    ++seq;
    for (size_t i = 0; i < clients; ++i) {
      // What a consumer does: borrow the slot, write the packet, protect in place, queue.
      const std::span<uint8_t> slot = plain ? socket.PrepareSend() : servers[i]->PrepareSend();
      if (slot.size() < kPacketSize) {
        ++result.send_drops;
        continue;
      }
      std::memcpy(slot.data(), source.data(), kPacketSize);
      const bool queued =
          plain ? socket.CommitSend(kPacketSize, client_nodes[i]->socket->LocalEndpoint())
                : servers[i]->CommitRtpPacket(kPacketSize);
      if (queued) {
        ++result.sent;
      } else {
        ++result.send_drops;
      }
    }
    socket.Flush();
    sender_io.poll();
    if (sender_io.stopped()) sender_io.restart();
    const uint64_t now = tributary::base::NowMs();
    if (now >= next_tick) {
      next_tick = now + 10;
      for (auto& t : servers)
        t->Tick(now);
    }
    // Pacing: sleep (no CPU) while ahead of --rate.
    const auto due =
        wall_start + std::chrono::duration<double>(static_cast<double>(result.sent) / rate);
    if (due > std::chrono::steady_clock::now()) std::this_thread::sleep_until(due);
  }
  socket.Flush();
  const uint64_t sender_cpu_ns = ThreadCpuNs() - cpu_start;
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();

  // Let the receivers drain, then stop them.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const uint64_t process_cpu_ns = ProcessCpuNs() - process_start;
  receiver_io.stop();
  receiver_thread.join();
  uint64_t wrong_size = 0;
  for (const auto& receiver : receivers) {
    result.delivered += receiver->rtp;
    wrong_size += receiver->wrong_size;
  }
  for (const auto& node : client_nodes)
    result.delivered += node->plain_packets;
  if (wrong_size != 0) throw std::runtime_error("received packets of the wrong size");
  if (result.delivered == 0) throw std::runtime_error("nothing was delivered");
  const double delivered = static_cast<double>(result.delivered);
  result.sender_cpu_us_per_packet = static_cast<double>(sender_cpu_ns) / 1000.0 / delivered;
  result.receiver_cpu_us_per_packet = static_cast<double>(receiver_cpu_ns) / 1000.0 / delivered;
  result.process_cpu_us_per_packet = static_cast<double>(process_cpu_ns) / 1000.0 / delivered;
  result.delivered_per_second = delivered / result.seconds;
  // Transports before the sockets and contexts they use.
  viewers.clear();
  servers.clear();
  return result;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Sender CPU per delivered RTP packet through WebRtcTransport (loopback UDP)"};
  size_t clients = 100;
  double seconds = 2.0;
  double rate = 200000;
  bool json = false;
  bool no_pin = false;
  bool no_baseline = false;
  std::vector<std::string> profile_names;
  app.add_option("--clients", clients, "client transports (viewers)")->check(CLI::Range(1, 2000));
  app.add_option("--seconds", seconds, "wall seconds of sending per profile")
      ->check(CLI::Range(0.2, 600.0));
  app.add_option("--rate", rate, "delivered packets per second to aim at (the sender paces)")
      ->check(CLI::Range(1000.0, 1e7));
  app.add_option("--profile", profile_names,
                 "AEAD_AES_128_GCM and/or AES_CM_128_HMAC_SHA1_80; default: both");
  app.add_flag("--json", json, "print one JSON object instead of a table");
  app.add_flag("--no-baseline", no_baseline, "skip the plain-UDP baseline run");
  app.add_flag("--no-pin", no_pin, "do not pin the sender and the receivers to CPUs 0 and 1");
  CLI11_PARSE(app, argc, argv);

  std::vector<SrtpProfile> profiles;
  for (const auto& name : profile_names) {
    const auto profile = tributary::rtc::ParseSrtpProfile(name);
    if (!profile) {
      std::fprintf(stderr, "unknown SRTP profile '%s'\n", name.c_str());
      return 2;
    }
    profiles.push_back(*profile);
  }
  if (profiles.empty()) profiles = {SrtpProfile::kAeadAes128Gcm, SrtpProfile::kAesCm128HmacSha1_80};
  if (!no_baseline) profiles.insert(profiles.begin(), SrtpProfile::kNone);
  const bool pin = !no_pin && std::thread::hardware_concurrency() >= 2;
  spdlog::set_level(spdlog::level::warn);

  try {
    tributary::rtc::DepLibSrtp::ClassInit();
    const auto server_certificate = DtlsCertificate::Generate();
    const auto client_certificate = DtlsCertificate::Generate();
    if (!json) {
      std::printf("%s, %s; %zu clients, %zu-byte RTP, paced to %.0f packets/s, %.1f s each%s\n",
                  tributary::rtc::DepLibSrtp::VersionString().c_str(),
                  tributary::rtc::DepOpenSsl::VersionString().c_str(), clients, kPacketSize, rate,
                  seconds, pin ? ", sender on CPU 0, receivers on CPU 1" : "");
      std::printf("%-22s %10s %10s %8s %12s %12s %12s\n", "profile", "sent", "delivered", "loss %",
                  "sender us", "receiver us", "process us");
    } else {
      std::printf("{\"clients\":%zu,\"packet_size\":%zu,\"rate\":%.0f,\"results\":[", clients,
                  kPacketSize, rate);
    }
    bool first = true;
    for (SrtpProfile profile : profiles) {
      const Result r =
          Run(profile, clients, seconds, rate, pin, server_certificate, client_certificate);
      const double loss =
          r.sent == 0 ? 0.0
                      : 100.0 * static_cast<double>(r.sent - std::min(r.sent, r.delivered)) /
                            static_cast<double>(r.sent);
      if (json) {
        std::printf(
            "%s{\"profile\":\"%s\",\"sent\":%llu,\"delivered\":%llu,\"send_drops\":%llu,"
            "\"seconds\":%.3f,\"delivered_per_second\":%.0f,\"sender_cpu_us_per_packet\":%.3f,"
            "\"receiver_cpu_us_per_packet\":%.3f,\"process_cpu_us_per_packet\":%.3f}",
            first ? "" : ",", r.profile.c_str(), static_cast<unsigned long long>(r.sent),
            static_cast<unsigned long long>(r.delivered),
            static_cast<unsigned long long>(r.send_drops), r.seconds, r.delivered_per_second,
            r.sender_cpu_us_per_packet, r.receiver_cpu_us_per_packet, r.process_cpu_us_per_packet);
      } else {
        std::printf("%-22s %10llu %10llu %8.3f %12.3f %12.3f %12.3f\n", r.profile.c_str(),
                    static_cast<unsigned long long>(r.sent),
                    static_cast<unsigned long long>(r.delivered), loss, r.sender_cpu_us_per_packet,
                    r.receiver_cpu_us_per_packet, r.process_cpu_us_per_packet);
      }
      std::fflush(stdout);
      first = false;
    }
    if (json) std::printf("]}\n");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "transportbench: %s\n", e.what());
    return 1;
  }
  return 0;
}
