#pragma once

// Wires an IceClient and an IceServer back to back for unit tests: every datagram either sends
// is queued (as a socket would, never delivered from inside the send) and Pump() delivers the
// queue, optionally dropping some. Real STUN bytes both ways; only the socket is missing.

#include <deque>
#include <functional>
#include <vector>

#include "net/Endpoint.h"
#include "rtc/IceClient.h"
#include "rtc/IceServer.h"

namespace tributary::rtc::testing {

struct Datagram {
  net::Endpoint from;
  net::Endpoint to;
  std::vector<uint8_t> bytes;
  bool to_server = false;
};

class IceWire : public IceClient::Listener, public IceServer::Listener {
 public:
  // The client's socket address; the server listens on every address in `server_addresses`.
  explicit IceWire(net::Endpoint client_address) : client_address_(client_address) {}

  void SetServer(IceServer* server, std::vector<net::Endpoint> addresses) {
    server_ = server;
    server_addresses_ = std::move(addresses);
  }
  void SetClient(IceClient* client) { client_ = client; }

  // Delivers queued datagrams (and whatever they cause) until the queue is empty.
  void Pump(uint64_t now_ms) {
    while (!queue_.empty()) {
      Datagram d = std::move(queue_.front());
      queue_.pop_front();
      if (drop && drop(d)) {
        ++dropped;
        continue;
      }
      if (d.to_server) {
        bool listening = false;
        for (const auto& a : server_addresses_)
          listening |= a == d.to;
        if (!listening || server_ == nullptr) {
          ++dropped;
          continue;
        }
        current_server_local_ = d.to;
        server_->ProcessStunPacket(d.bytes, net::FiveTuple{d.to, d.from}, now_ms);
      } else if (client_ != nullptr && d.to == client_address_) {
        client_->ProcessStunPacket(d.bytes, d.from, now_ms);
      } else {
        ++dropped;
      }
    }
  }

  // IceClient::Listener
  void OnIceClientSendStunPacket(const IceClient&, std::span<const uint8_t> bytes,
                                 const net::Endpoint& to) override {
    client_sent.push_back({client_address_, to, {bytes.begin(), bytes.end()}, true});
    queue_.push_back(client_sent.back());
  }
  void OnIceClientConnected(IceClient&, const net::Endpoint& remote) override {
    client_connected.push_back(remote);
  }
  void OnIceClientDisconnected(IceClient&) override { ++client_disconnected; }
  void OnIceClientFailed(IceClient&) override { ++client_failed; }

  // IceServer::Listener
  void OnIceServerSendStunPacket(const IceServer&, std::span<const uint8_t> bytes,
                                 const net::Endpoint& to) override {
    server_sent.push_back({current_server_local_, to, {bytes.begin(), bytes.end()}, false});
    queue_.push_back(server_sent.back());
  }
  void OnIceServerSelectedTuple(IceServer&, const net::FiveTuple& tuple) override {
    server_selected.push_back(tuple);
  }
  void OnIceServerConnected(IceServer&) override { ++server_connected; }
  void OnIceServerDisconnected(IceServer&) override { ++server_disconnected; }

  // Injects a datagram as if `from` had sent it to the server's `to`.
  void InjectToServer(const net::Endpoint& from, const net::Endpoint& to,
                      std::span<const uint8_t> bytes) {
    queue_.push_back({from, to, {bytes.begin(), bytes.end()}, true});
  }
  void InjectToClient(const net::Endpoint& from, std::span<const uint8_t> bytes) {
    queue_.push_back({from, client_address_, {bytes.begin(), bytes.end()}, false});
  }

  std::function<bool(const Datagram&)> drop;
  size_t dropped = 0;
  std::vector<Datagram> client_sent, server_sent;
  std::vector<net::Endpoint> client_connected;
  int client_disconnected = 0, client_failed = 0;
  std::vector<net::FiveTuple> server_selected;
  int server_connected = 0, server_disconnected = 0;

 private:
  net::Endpoint client_address_;
  net::Endpoint current_server_local_;
  IceServer* server_ = nullptr;
  IceClient* client_ = nullptr;
  std::vector<net::Endpoint> server_addresses_;
  std::deque<Datagram> queue_;
};

inline IceCandidate HostCandidate(const char* host_port, uint32_t priority = 2130706431) {
  IceCandidate c;
  c.foundation = "1";
  c.priority = priority;
  c.endpoint = *net::Endpoint::ParseHostPort(host_port);
  return c;
}

}  // namespace tributary::rtc::testing
