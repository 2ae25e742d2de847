#pragma once

// A UDP socket (IPv4 or IPv6) on an io_context that moves datagrams in batches: recvmmsg when
// the socket is readable, sendmmsg from a send queue. Buffers, iovecs, addresses and mmsghdr
// arrays are allocated once, at construction: nothing is allocated per datagram. Owned and used
// by one thread, the one running its io_context.

#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>

#include "net/Endpoint.h"

struct mmsghdr;
struct iovec;

namespace tributary::net {

struct UdpSocketOptions {
  size_t batch_size = 32;              // datagrams per recvmmsg / sendmmsg
  size_t max_datagram_size = 2048;     // larger ones are truncated (counted, dropped) on receive
  size_t send_queue_size = 256;        // queued datagrams when the kernel pushes back; then drops
  size_t max_batches_per_wakeup = 8;   // then yield to other handlers (post) and go on
  int receive_buffer_bytes = 4 << 20;  // SO_RCVBUF (SO_RCVBUFFORCE when allowed)
  int send_buffer_bytes = 4 << 20;     // SO_SNDBUF (SO_SNDBUFFORCE when allowed)
  bool ipv6_only = true;               // an IPv6 socket does not take IPv4-mapped traffic
};

class UdpSocket {
 public:
  using Options = UdpSocketOptions;

  class Listener {
   public:
    virtual ~Listener() = default;
    // One received datagram. `data` is valid during the call only. The listener may Send() and
    // Close() from here, but must not destroy the socket (defer that with asio::post).
    virtual void OnUdpPacket(UdpSocket& socket, std::span<const uint8_t> data,
                             const Endpoint& from) = 0;
  };

  struct Counters {
    uint64_t packets_in = 0;
    uint64_t bytes_in = 0;
    uint64_t packets_out = 0;
    uint64_t bytes_out = 0;
    uint64_t receive_batches = 0;  // recvmmsg calls that returned datagrams
    uint64_t send_batches = 0;     // sendmmsg calls that sent datagrams
    uint64_t send_errors = 0;      // datagrams the kernel refused (unreachable, bad address...)
    uint64_t send_drops = 0;       // datagrams refused here: too large, or the queue full
    uint64_t receive_drops = 0;    // dropped by the kernel, receive buffer full (SO_RXQ_OVFL)
    uint64_t truncated_in = 0;     // received datagrams larger than max_datagram_size
    uint64_t receive_errors = 0;
  };

  // Opens, configures and binds (port 0: any free port). Throws std::system_error on failure.
  UdpSocket(boost::asio::io_context& io_context, const Endpoint& bind_to, Listener& listener,
            Options options = {});
  ~UdpSocket();
  UdpSocket(const UdpSocket&) = delete;
  UdpSocket& operator=(const UdpSocket&) = delete;

  const Endpoint& LocalEndpoint() const { return local_endpoint_; }

  // Copies the datagram into a queue slot. It leaves with the next Flush(): the one the owner
  // calls at the end of a burst, the automatic one when batch_size datagrams are queued, or one
  // posted to the io_context after the first Send() of a burst. False (and counted) when the
  // datagram is too large, the destination unusable, or the queue full.
  bool Send(std::span<const uint8_t> data, const Endpoint& to);
  // The same without the copy, for a sender that builds the datagram in place (a consumer
  // writes its rewritten RTP packet into the slot and protects it there): PrepareSend() lends
  // the next free slot (max_datagram_size bytes; empty, and counted, when the queue is full),
  // CommitSend() queues the first `size` bytes of it. Nothing else may be sent in between.
  std::span<uint8_t> PrepareSend();
  bool CommitSend(size_t size, const Endpoint& to);
  void Flush();
  size_t QueuedDatagrams() const { return queued_; }

  // Stops receiving and sending; pending handlers become no-ops. Idempotent.
  void Close();
  bool IsOpen() const { return !closed_; }

  // The buffer sizes the kernel granted (it reports twice what was asked, for bookkeeping).
  int ReceiveBufferBytes() const;
  int SendBufferBytes() const;
  const Counters& GetCounters() const { return counters_; }

 private:
  void WaitReadable();
  void ReadBatches();
  void WaitWritable();
  void PostFlush();
  void AfterQueued();

  boost::asio::io_context& io_context_;
  boost::asio::ip::udp::socket socket_;
  Listener& listener_;
  const Options options_;
  Endpoint local_endpoint_;
  Counters counters_;
  bool closed_ = false;
  bool flush_posted_ = false;
  bool write_wait_pending_ = false;
  // Handlers hold a weak reference: those that run after destruction do nothing.
  std::shared_ptr<UdpSocket*> alive_;

  // Receive side: batch_size slots.
  std::vector<uint8_t> recv_data_;
  std::vector<iovec> recv_iov_;
  std::vector<sockaddr_storage> recv_addr_;
  std::vector<uint64_t> recv_control_;  // uint64_t for cmsghdr alignment
  size_t control_words_ = 0;            // per slot
  std::vector<mmsghdr> recv_msgs_;

  // Send side: a ring of send_queue_size slots.
  std::vector<uint8_t> send_data_;
  std::vector<iovec> send_iov_;
  std::vector<sockaddr_storage> send_addr_;
  std::vector<mmsghdr> send_msgs_;
  size_t head_ = 0;    // oldest queued slot
  size_t queued_ = 0;  // queued slots from head_
};

}  // namespace tributary::net
