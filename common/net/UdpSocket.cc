#include "net/UdpSocket.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>

#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/post.hpp>

namespace tributary::net {

namespace {

boost::asio::ip::udp::endpoint ToAsio(const Endpoint& endpoint) {
  const auto bytes = endpoint.AddressBytes();
  if (endpoint.IsIpv4()) {
    boost::asio::ip::address_v4::bytes_type address;
    std::copy(bytes.begin(), bytes.end(), address.begin());
    return {boost::asio::ip::address_v4(address), endpoint.Port()};
  }
  boost::asio::ip::address_v6::bytes_type address;
  std::copy(bytes.begin(), bytes.end(), address.begin());
  return {boost::asio::ip::address_v6(address), endpoint.Port()};
}

// Asks for `bytes`, first past the sysctl limit (needs CAP_NET_ADMIN), then within it.
void SetBufferSize(int fd, int force_option, int option, int bytes) {
  if (bytes <= 0) return;
  if (setsockopt(fd, SOL_SOCKET, force_option, &bytes, sizeof(bytes)) == 0) return;
  setsockopt(fd, SOL_SOCKET, option, &bytes, sizeof(bytes));
}

int GetIntOption(int fd, int option) {
  int value = 0;
  socklen_t length = sizeof(value);
  if (getsockopt(fd, SOL_SOCKET, option, &value, &length) != 0) return -1;
  return value;
}

}  // namespace

UdpSocket::UdpSocket(boost::asio::io_context& io_context, const Endpoint& bind_to,
                     Listener& listener, Options options)
    : io_context_(io_context),
      socket_(io_context),
      listener_(listener),
      options_(options),
      alive_(std::make_shared<UdpSocket*>(this)) {
  if (!bind_to.IsValid()) {
    throw std::system_error(std::make_error_code(std::errc::address_family_not_supported),
                            "UdpSocket: no address to bind");
  }
  if (options_.batch_size == 0 || options_.max_datagram_size == 0 ||
      options_.send_queue_size < options_.batch_size) {
    throw std::system_error(std::make_error_code(std::errc::invalid_argument),
                            "UdpSocket: bad options");
  }
  socket_.open(bind_to.IsIpv4() ? boost::asio::ip::udp::v4() : boost::asio::ip::udp::v6());
  if (bind_to.IsIpv6()) socket_.set_option(boost::asio::ip::v6_only(options_.ipv6_only));
  socket_.non_blocking(true);
  const int fd = socket_.native_handle();
  SetBufferSize(fd, SO_RCVBUFFORCE, SO_RCVBUF, options_.receive_buffer_bytes);
  SetBufferSize(fd, SO_SNDBUFFORCE, SO_SNDBUF, options_.send_buffer_bytes);
  const int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_RXQ_OVFL, &one, sizeof(one));  // drop counter in a cmsg
  socket_.bind(ToAsio(bind_to));
  sockaddr_storage local{};
  socklen_t local_length = sizeof(local);
  getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_length);
  local_endpoint_ = Endpoint::FromSockaddr(reinterpret_cast<sockaddr*>(&local), local_length);

  const size_t batch = options_.batch_size;
  const size_t size = options_.max_datagram_size;
  recv_data_.resize(batch * size);
  recv_iov_.resize(batch);
  recv_addr_.resize(batch);
  control_words_ = (CMSG_SPACE(sizeof(uint32_t)) + sizeof(uint64_t) - 1) / sizeof(uint64_t);
  recv_control_.resize(batch * control_words_);
  recv_msgs_.resize(batch);
  for (size_t i = 0; i < batch; ++i) {
    recv_iov_[i] = {recv_data_.data() + i * size, size};
    std::memset(&recv_msgs_[i], 0, sizeof(mmsghdr));
    recv_msgs_[i].msg_hdr.msg_iov = &recv_iov_[i];
    recv_msgs_[i].msg_hdr.msg_iovlen = 1;
    recv_msgs_[i].msg_hdr.msg_name = &recv_addr_[i];
    recv_msgs_[i].msg_hdr.msg_control = recv_control_.data() + i * control_words_;
  }

  const size_t slots = options_.send_queue_size;
  send_data_.resize(slots * size);
  send_iov_.resize(slots);
  send_addr_.resize(slots);
  send_msgs_.resize(slots);
  for (size_t i = 0; i < slots; ++i) {
    send_iov_[i] = {send_data_.data() + i * size, 0};
    std::memset(&send_msgs_[i], 0, sizeof(mmsghdr));
    send_msgs_[i].msg_hdr.msg_iov = &send_iov_[i];
    send_msgs_[i].msg_hdr.msg_iovlen = 1;
    send_msgs_[i].msg_hdr.msg_name = &send_addr_[i];
  }

  WaitReadable();
}

UdpSocket::~UdpSocket() {
  alive_.reset();
  Close();
}

void UdpSocket::Close() {
  if (closed_) return;
  closed_ = true;
  boost::system::error_code ignored;
  socket_.close(ignored);
}

int UdpSocket::ReceiveBufferBytes() const {
  return closed_ ? -1
                 : GetIntOption(const_cast<UdpSocket*>(this)->socket_.native_handle(), SO_RCVBUF);
}

int UdpSocket::SendBufferBytes() const {
  return closed_ ? -1
                 : GetIntOption(const_cast<UdpSocket*>(this)->socket_.native_handle(), SO_SNDBUF);
}

void UdpSocket::WaitReadable() {
  // asio's epoll reactor is edge-triggered: wait only once recvmmsg has said EAGAIN.
  socket_.async_wait(boost::asio::socket_base::wait_read,
                     [weak = std::weak_ptr<UdpSocket*>(alive_)](boost::system::error_code ec) {
                       auto self = weak.lock();
                       if (!self || ec) return;
                       (*self)->ReadBatches();
                     });
}

void UdpSocket::ReadBatches() {
  if (closed_) return;
  const int fd = socket_.native_handle();
  const size_t batch = options_.batch_size;
  const auto control_bytes = static_cast<socklen_t>(control_words_ * sizeof(uint64_t));
  for (size_t round = 0; round < options_.max_batches_per_wakeup; ++round) {
    for (size_t i = 0; i < batch; ++i) {
      recv_msgs_[i].msg_hdr.msg_namelen = sizeof(sockaddr_storage);
      recv_msgs_[i].msg_hdr.msg_controllen = control_bytes;
      recv_msgs_[i].msg_hdr.msg_flags = 0;
    }
    const int n =
        recvmmsg(fd, recv_msgs_.data(), static_cast<unsigned>(batch), MSG_DONTWAIT, nullptr);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) ++counters_.receive_errors;
      WaitReadable();
      return;
    }
    if (n == 0) {
      WaitReadable();
      return;
    }
    ++counters_.receive_batches;
    for (int i = 0; i < n; ++i) {
      const msghdr& hdr = recv_msgs_[i].msg_hdr;
      for (cmsghdr* c = CMSG_FIRSTHDR(&hdr); c != nullptr;
           c = CMSG_NXTHDR(const_cast<msghdr*>(&hdr), c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_RXQ_OVFL) {
          uint32_t dropped = 0;
          std::memcpy(&dropped, CMSG_DATA(c), sizeof(dropped));
          counters_.receive_drops = dropped;  // cumulative, per socket
        }
      }
      if ((hdr.msg_flags & MSG_TRUNC) != 0) {
        ++counters_.truncated_in;
        continue;
      }
      const size_t length = recv_msgs_[i].msg_len;
      ++counters_.packets_in;
      counters_.bytes_in += length;
      const Endpoint from = Endpoint::FromSockaddr(
          reinterpret_cast<const sockaddr*>(&recv_addr_[i]), hdr.msg_namelen);
      listener_.OnUdpPacket(
          *this,
          std::span<const uint8_t>(static_cast<const uint8_t*>(recv_iov_[i].iov_base), length),
          from);
      if (closed_) return;
    }
  }
  // Still readable after max_batches_per_wakeup batches: let other handlers run, then go on.
  boost::asio::post(io_context_, [weak = std::weak_ptr<UdpSocket*>(alive_)] {
    if (auto self = weak.lock()) (*self)->ReadBatches();
  });
}

bool UdpSocket::Send(std::span<const uint8_t> data, const Endpoint& to) {
  if (closed_ || data.size() > options_.max_datagram_size || !to.IsValid()) {
    ++counters_.send_drops;
    return false;
  }
  const std::span<uint8_t> slot = PrepareSend();
  if (slot.empty()) return false;
  std::memcpy(slot.data(), data.data(), data.size());
  return CommitSend(data.size(), to);
}

std::span<uint8_t> UdpSocket::PrepareSend() {
  if (closed_) {
    ++counters_.send_drops;
    return {};
  }
  if (queued_ == options_.send_queue_size) {
    if (!write_wait_pending_) Flush();
    if (queued_ == options_.send_queue_size) {
      ++counters_.send_drops;
      return {};
    }
  }
  const size_t slot = (head_ + queued_) % options_.send_queue_size;
  return {static_cast<uint8_t*>(send_iov_[slot].iov_base), options_.max_datagram_size};
}

bool UdpSocket::CommitSend(size_t size, const Endpoint& to) {
  if (closed_ || queued_ == options_.send_queue_size || size > options_.max_datagram_size ||
      !to.IsValid()) {
    ++counters_.send_drops;
    return false;
  }
  const size_t slot = (head_ + queued_) % options_.send_queue_size;
  send_iov_[slot].iov_len = size;
  send_msgs_[slot].msg_hdr.msg_namelen = to.ToSockaddr(send_addr_[slot]);
  ++queued_;
  AfterQueued();
  return true;
}

void UdpSocket::AfterQueued() {
  if (write_wait_pending_) return;  // the writable handler flushes
  if (queued_ >= options_.batch_size) {
    Flush();
  } else {
    PostFlush();
  }
}

void UdpSocket::PostFlush() {
  if (flush_posted_) return;
  flush_posted_ = true;
  boost::asio::post(io_context_, [weak = std::weak_ptr<UdpSocket*>(alive_)] {
    auto self = weak.lock();
    if (!self) return;
    (*self)->flush_posted_ = false;
    (*self)->Flush();
  });
}

void UdpSocket::Flush() {
  if (closed_ || write_wait_pending_) return;
  const int fd = socket_.native_handle();
  const size_t slots = options_.send_queue_size;
  while (queued_ > 0) {
    const size_t count = std::min({queued_, slots - head_, options_.batch_size});
    const int n = sendmmsg(fd, send_msgs_.data() + head_, static_cast<unsigned>(count), 0);
    if (n > 0) {
      ++counters_.send_batches;
      for (int i = 0; i < n; ++i) {
        ++counters_.packets_out;
        counters_.bytes_out += send_msgs_[head_ + static_cast<size_t>(i)].msg_len;
      }
      head_ = (head_ + static_cast<size_t>(n)) % slots;
      queued_ -= static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS)) {
      WaitWritable();  // the kernel's buffer is full: go on when it drains
      return;
    }
    // The first datagram of the batch was refused (EHOSTUNREACH, EINVAL, EAFNOSUPPORT...):
    // count it, drop it, go on with the rest.
    ++counters_.send_errors;
    head_ = (head_ + 1) % slots;
    --queued_;
  }
  head_ = 0;  // empty: restart at the front so that batches stay contiguous
}

void UdpSocket::WaitWritable() {
  write_wait_pending_ = true;
  socket_.async_wait(boost::asio::socket_base::wait_write,
                     [weak = std::weak_ptr<UdpSocket*>(alive_)](boost::system::error_code ec) {
                       auto self = weak.lock();
                       if (!self) return;
                       (*self)->write_wait_pending_ = false;
                       if (!ec) (*self)->Flush();
                     });
}

}  // namespace tributary::net
