// A small ICE peer on real loopback UDP for interop tests against independent implementations
// (tests/interop/test_ice_aioice.py drives it against Debian's aioice).
//
//   tributary-ice-interop-peer server [--bind 127.0.0.1] [--timeout-ms N]
//       IceServer (ICE-lite). Echoes every non-STUN datagram from a valid tuple.
//   tributary-ice-interop-peer client --remote-ufrag U --remote-pwd P --candidate "candidate:..."
//       IceClient (controlling). Sends "hello" once connected; prints what comes back.
//
// Both print JSON lines on stdout: first {"ufrag","pwd","candidate"}, then events. They read
// commands on stdin ("start": begin the checks, client only) and quit on end of input, on
// "quit", or after --timeout-ms, printing {"event":"done",...} with their counters.

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/streambuf.hpp>

#include "base/Clock.h"
#include "base/Random.h"
#include "net/UdpSocket.h"
#include "rtc/IceCandidate.h"
#include "rtc/IceClient.h"
#include "rtc/IceServer.h"
#include "rtc/StunMessage.h"

namespace {

using tributary::base::NowMs;
using tributary::net::Endpoint;
using tributary::net::FiveTuple;
using tributary::net::UdpSocket;
using namespace tributary::rtc;

void Emit(const std::string& json) {
  std::cout << json << std::endl;  // flushed: the driver reads line by line
}

std::string Quote(const std::string& s) {
  return "\"" + s + "\"";
}

class Peer : public UdpSocket::Listener, public IceServer::Listener, public IceClient::Listener {
 public:
  UdpSocket* socket = nullptr;
  IceServer* server = nullptr;
  IceClient* client = nullptr;

  void OnUdpPacket(UdpSocket& s, std::span<const uint8_t> data, const Endpoint& from) override {
    const uint64_t now = NowMs();
    if (StunMessage::IsStun(data)) {
      if (server != nullptr)
        server->ProcessStunPacket(data, FiveTuple{s.LocalEndpoint(), from}, now);
      if (client != nullptr) client->ProcessStunPacket(data, from, now);
    } else if (server != nullptr) {
      if (server->IsValidTuple({s.LocalEndpoint(), from})) {
        s.Send(data, from);  // echo media on a validated tuple only
        Emit(R"({"event":"media","bytes":)" + std::to_string(data.size()) + "}");
      } else {
        Emit(R"({"event":"media_refused","from":")" + from.ToString() + "\"}");
      }
    } else {
      Emit(R"({"event":"media","data":)" +
           Quote(std::string(reinterpret_cast<const char*>(data.data()), data.size())) + "}");
    }
    s.Flush();
  }

  void OnIceServerSendStunPacket(const IceServer&, std::span<const uint8_t> bytes,
                                 const Endpoint& to) override {
    socket->Send(bytes, to);
  }
  void OnIceServerSelectedTuple(IceServer&, const FiveTuple& tuple) override {
    Emit(R"({"event":"selected","remote":")" + tuple.remote.ToString() + "\"}");
  }
  void OnIceServerConnected(IceServer&) override { Emit(R"({"event":"connected"})"); }
  void OnIceServerDisconnected(IceServer&) override { Emit(R"({"event":"disconnected"})"); }

  void OnIceClientSendStunPacket(const IceClient&, std::span<const uint8_t> bytes,
                                 const Endpoint& to) override {
    socket->Send(bytes, to);
  }
  void OnIceClientConnected(IceClient&, const Endpoint& remote) override {
    Emit(R"({"event":"connected","remote":")" + remote.ToString() + "\"}");
    static const char kHello[] = "hello";
    socket->Send({reinterpret_cast<const uint8_t*>(kHello), 5}, remote);
  }
  void OnIceClientDisconnected(IceClient&) override { Emit(R"({"event":"disconnected"})"); }
  void OnIceClientFailed(IceClient&) override { Emit(R"({"event":"failed"})"); }
};

std::optional<std::string> Arg(int argc, char** argv, const char* name) {
  for (int i = 2; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], name) == 0) return std::string(argv[i + 1]);
  }
  return std::nullopt;
}

std::vector<std::string> Args(int argc, char** argv, const char* name) {
  std::vector<std::string> out;
  for (int i = 2; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], name) == 0) out.emplace_back(argv[i + 1]);
  }
  return out;
}

int Usage() {
  std::cerr << "usage: tributary-ice-interop-peer server [--bind IP] [--timeout-ms N]\n"
               "       tributary-ice-interop-peer client --remote-ufrag U --remote-pwd P "
               "--candidate LINE... [--timeout-ms N]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return Usage();
  const std::string mode = argv[1];
  if (mode != "server" && mode != "client") return Usage();
  const uint64_t timeout_ms = std::stoull(Arg(argc, argv, "--timeout-ms").value_or("20000"));

  boost::asio::io_context io;
  Peer peer;
  const std::string ufrag = tributary::base::RandomAlnum(8);
  const std::string pwd = tributary::base::RandomAlnum(24);

  std::vector<IceCandidate> remote_candidates;
  for (const auto& line : Args(argc, argv, "--candidate")) {
    auto candidate = IceCandidate::Parse(line);
    if (!candidate) {
      std::cerr << "bad candidate: " << line << "\n";
      return 2;
    }
    remote_candidates.push_back(*candidate);
  }
  std::string bind = Arg(argc, argv, "--bind").value_or("127.0.0.1");
  if (mode == "client" && !remote_candidates.empty() && remote_candidates[0].endpoint.IsIpv6()) {
    bind = "::1";
  }
  const auto bind_to = Endpoint::Parse(bind, 0);
  if (!bind_to || !bind_to->IsLoopback()) {
    std::cerr << "--bind must be a loopback address\n";
    return 2;
  }
  UdpSocket socket(io, *bind_to, peer);
  peer.socket = &socket;

  std::optional<IceServer> server;
  std::optional<IceClient> client;
  if (mode == "server") {
    server.emplace(peer, ufrag, pwd);
    peer.server = &*server;
  } else {
    const auto remote_ufrag = Arg(argc, argv, "--remote-ufrag");
    const auto remote_pwd = Arg(argc, argv, "--remote-pwd");
    if (!remote_ufrag || !remote_pwd || remote_candidates.empty()) return Usage();
    client.emplace(peer, ufrag, pwd);
    client->SetRemoteCredentials(*remote_ufrag, *remote_pwd);
    for (const auto& c : remote_candidates) {
      if (!c.endpoint.IsLoopback()) continue;  // loopback only, whatever the peer offers
      client->AddRemoteCandidate(c);
    }
    peer.client = &*client;
  }
  IceCandidate local;
  local.foundation = "1";
  local.priority = IceCandidate::ComputePriority(IceCandidate::Type::kHost, 65535, 1);
  local.endpoint = socket.LocalEndpoint();
  Emit("{\"ufrag\":" + Quote(ufrag) + ",\"pwd\":" + Quote(pwd) +
       ",\"candidate\":" + Quote(local.ToString()) + "}");

  // Ticks.
  boost::asio::steady_timer timer(io);
  const uint64_t deadline = NowMs() + timeout_ms;
  std::function<void()> tick = [&] {
    const uint64_t now = NowMs();
    if (server) server->Tick(now);
    if (client) client->Tick(now);
    socket.Flush();
    if (now >= deadline) {
      Emit(R"({"event":"timeout"})");
      io.stop();
      return;
    }
    timer.expires_after(std::chrono::milliseconds(10));
    timer.async_wait([&](boost::system::error_code ec) {
      if (!ec) tick();
    });
  };
  tick();

  // Commands on stdin.
  boost::asio::posix::stream_descriptor input(io, ::dup(STDIN_FILENO));
  boost::asio::streambuf input_buffer;
  std::function<void()> read_command = [&] {
    boost::asio::async_read_until(input, input_buffer, '\n',
                                  [&](boost::system::error_code ec, size_t) {
                                    if (ec) {
                                      io.stop();  // end of input: quit
                                      return;
                                    }
                                    std::istream stream(&input_buffer);
                                    std::string line;
                                    std::getline(stream, line);
                                    if (line == "start" && client) {
                                      client->Start(NowMs());
                                      socket.Flush();
                                    } else if (line == "quit") {
                                      io.stop();
                                      return;
                                    }
                                    read_command();
                                  });
  };
  read_command();

  io.run();

  if (server) {
    const auto& c = server->GetCounters();
    Emit("{\"event\":\"done\",\"requests\":" + std::to_string(c.requests) +
         ",\"bad_integrity\":" + std::to_string(c.bad_integrity) +
         ",\"bad_fingerprint\":" + std::to_string(c.bad_fingerprint) + ",\"unknown_username\":" +
         std::to_string(c.unknown_username) + ",\"malformed\":" + std::to_string(c.malformed) +
         ",\"role_conflicts\":" + std::to_string(c.role_conflicts) + "}");
  } else {
    const auto& c = client->GetCounters();
    Emit("{\"event\":\"done\",\"checks_sent\":" + std::to_string(c.checks_sent) +
         ",\"retransmissions\":" + std::to_string(c.retransmissions) +
         ",\"requests_received\":" + std::to_string(c.requests_received) +
         ",\"success_responses\":" + std::to_string(c.success_responses) +
         ",\"bad_integrity\":" + std::to_string(c.bad_integrity) +
         ",\"role_conflicts\":" + std::to_string(c.role_conflicts) + "}");
  }
  return 0;
}
