// tributary-linkemu: a userspace link emulator for the cluster fault tests. It bridges two
// network interfaces at layer 2 (AF_PACKET raw sockets), holding every frame for a fixed delay
// and dropping a given share of them, each direction on its own. The tests run it in a middle
// network namespace between two veth pairs (support/NetworkNamespace, "emulated link").
//
// Why not tc netem: the test machine's kernel is built without sch_netem (CONFIG_NET_SCH_NETEM
// is not set; only the HTB, TBF, FIFO and ingress qdiscs exist, and nftables has no queue
// verdict to userspace), so there is no kernel way to hold packets for 100 ms.
//
//   tributary-linkemu --a IFACE --b IFACE [--delay-ms N] [--loss PERCENT] [--seed N]
//
// ARP frames are never dropped (only delayed), so that neighbour resolution is no part of the
// faults. One thread: poll on both sockets with the next frame's due time as the timeout; frames
// wait in a fixed pool with a binary min-heap of due times (ties in arrival order), so nothing
// is allocated after start. A frame that finds the pool full, or that is larger than a slot, is
// dropped and counted. Counters on stderr at exit (SIGTERM, SIGINT).
//
// The interfaces should have their offloads off (ethtool -K ... tx off gso off tso off gro off):
// a frame read here must be a complete, checksummed Ethernet frame of at most the MTU.

#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace {

constexpr size_t kSlotBytes = 2048;  // an Ethernet frame of a 1500-byte MTU, with room
constexpr size_t kSlots = 4096;      // frames in flight, both directions together
constexpr int kMaxReadsPerWake = 64;

volatile sig_atomic_t g_stop = 0;

void OnSignal(int) {
  g_stop = 1;
}

uint64_t NowUs() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000u + static_cast<uint64_t>(ts.tv_nsec) / 1000u;
}

// xorshift64*: a per-frame coin without allocation or locks.
class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed != 0 ? seed : 0x9E3779B97F4A7C15ull) {}
  // Uniform in [0, 1,000,000).
  uint32_t Millionths() {
    state_ ^= state_ >> 12;
    state_ ^= state_ << 25;
    state_ ^= state_ >> 27;
    return static_cast<uint32_t>((state_ * 0x2545F4914F6CDD1Dull) >> 32) % 1000000u;
  }

 private:
  uint64_t state_;
};

struct Direction {
  const char* name = "";
  int in_fd = -1;
  int out_fd = -1;
  uint64_t frames_in = 0;
  uint64_t forwarded = 0;
  uint64_t dropped_loss = 0;
  uint64_t dropped_full = 0;
  uint64_t dropped_oversize = 0;
  uint64_t send_errors = 0;
};

// The frames in flight: a fixed pool of slots and a min-heap of (due, order) over them.
class FrameQueue {
 public:
  FrameQueue() : storage_(kSlots * kSlotBytes) {
    for (size_t i = 0; i < kSlots; ++i)
      free_[i] = static_cast<uint16_t>(kSlots - 1 - i);
    free_count_ = kSlots;
  }

  bool Full() const { return free_count_ == 0; }
  bool Empty() const { return heap_size_ == 0; }
  uint64_t NextDueUs() const { return slots_[heap_[0]].due_us; }

  // The storage of the next free slot (valid until Push or the next Reserve).
  uint8_t* Reserve() { return &storage_[static_cast<size_t>(free_[free_count_ - 1]) * kSlotBytes]; }
  void Push(size_t size, uint64_t due_us, Direction* direction) {
    const uint16_t slot = free_[--free_count_];
    slots_[slot] = Slot{due_us, order_++, size, direction};
    size_t i = heap_size_++;
    heap_[i] = slot;
    while (i > 0) {
      const size_t parent = (i - 1) / 2;
      if (!Before(heap_[i], heap_[parent])) break;
      std::swap(heap_[i], heap_[parent]);
      i = parent;
    }
  }
  // Hands the earliest frame to `send`, then frees its slot.
  template <typename Send>
  void PopFront(Send&& send) {
    const uint16_t slot = heap_[0];
    send(slots_[slot].direction, &storage_[static_cast<size_t>(slot) * kSlotBytes],
         slots_[slot].size);
    heap_[0] = heap_[--heap_size_];
    size_t i = 0;
    for (;;) {
      const size_t left = 2 * i + 1;
      const size_t right = left + 1;
      size_t smallest = i;
      if (left < heap_size_ && Before(heap_[left], heap_[smallest])) smallest = left;
      if (right < heap_size_ && Before(heap_[right], heap_[smallest])) smallest = right;
      if (smallest == i) break;
      std::swap(heap_[i], heap_[smallest]);
      i = smallest;
    }
    free_[free_count_++] = slot;
  }

 private:
  struct Slot {
    uint64_t due_us = 0;
    uint64_t order = 0;
    size_t size = 0;
    Direction* direction = nullptr;
  };

  bool Before(uint16_t a, uint16_t b) const {
    const Slot& x = slots_[a];
    const Slot& y = slots_[b];
    return x.due_us != y.due_us ? x.due_us < y.due_us : x.order < y.order;
  }

  std::vector<uint8_t> storage_;  // kSlots frames, allocated once
  std::array<Slot, kSlots> slots_{};
  std::array<uint16_t, kSlots> heap_{};
  std::array<uint16_t, kSlots> free_{};
  size_t heap_size_ = 0;
  size_t free_count_ = 0;
  uint64_t order_ = 0;
};

int OpenPort(const std::string& name) {
  const unsigned index = if_nametoindex(name.c_str());
  if (index == 0) {
    std::fprintf(stderr, "tributary-linkemu: no interface %s: %s\n", name.c_str(),
                 std::strerror(errno));
    return -1;
  }
  const int fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(ETH_P_ALL));
  if (fd < 0) {
    std::fprintf(stderr, "tributary-linkemu: AF_PACKET socket: %s\n", std::strerror(errno));
    return -1;
  }
  sockaddr_ll address{};
  address.sll_family = AF_PACKET;
  address.sll_protocol = htons(ETH_P_ALL);
  address.sll_ifindex = static_cast<int>(index);
  if (bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
    std::fprintf(stderr, "tributary-linkemu: bind to %s: %s\n", name.c_str(), std::strerror(errno));
    close(fd);
    return -1;
  }
  packet_mreq promisc{};
  promisc.mr_ifindex = static_cast<int>(index);
  promisc.mr_type = PACKET_MR_PROMISC;
  if (setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &promisc, sizeof(promisc)) != 0) {
    std::fprintf(stderr, "tributary-linkemu: promiscuous mode on %s: %s\n", name.c_str(),
                 std::strerror(errno));
    close(fd);
    return -1;
  }
  // What we send out of this interface is not read back (older kernels: the pkttype check).
  const int one = 1;
  setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one));
  return fd;
}

bool ParseNumber(const char* text, double max, double& out) {
  char* end = nullptr;
  errno = 0;
  const double value = std::strtod(text, &end);
  if (errno != 0 || end == text || *end != '\0' || !(value >= 0) || value > max) return false;
  out = value;
  return true;
}

int Usage(const char* why) {
  std::fprintf(stderr,
               "tributary-linkemu: %s\n"
               "usage: tributary-linkemu --a IFACE --b IFACE [--delay-ms N (0..10000)]"
               " [--loss PERCENT (0..100)] [--seed N]\n",
               why);
  return 2;
}

bool IsArp(const uint8_t* frame, size_t size) {
  return size >= 14 && frame[12] == 0x08 && frame[13] == 0x06;
}

}  // namespace

int main(int argc, char** argv) {
  std::string a;
  std::string b;
  double delay_ms = 0;
  double loss_percent = 0;
  double seed = static_cast<double>(getpid());
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (i + 1 >= argc) return Usage(("missing value after " + flag).c_str());
    const char* value = argv[++i];
    if (flag == "--a") {
      a = value;
    } else if (flag == "--b") {
      b = value;
    } else if (flag == "--delay-ms") {
      if (!ParseNumber(value, 10000, delay_ms)) return Usage("--delay-ms: 0..10000");
    } else if (flag == "--loss") {
      if (!ParseNumber(value, 100, loss_percent)) return Usage("--loss: 0..100");
    } else if (flag == "--seed") {
      if (!ParseNumber(value, 1e15, seed)) return Usage("--seed: a non-negative number");
    } else {
      return Usage(("unknown argument " + flag).c_str());
    }
  }
  if (a.empty() || b.empty() || a == b) return Usage("--a and --b: two different interfaces");

  struct sigaction action {};
  action.sa_handler = OnSignal;
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGINT, &action, nullptr);

  const int fd_a = OpenPort(a);
  const int fd_b = OpenPort(b);
  if (fd_a < 0 || fd_b < 0) return 1;

  const uint64_t delay_us = static_cast<uint64_t>(delay_ms * 1000.0);
  const uint32_t loss_millionths = static_cast<uint32_t>(loss_percent * 10000.0);
  Random random(static_cast<uint64_t>(seed));
  FrameQueue queue;
  std::array<Direction, 2> directions;
  directions[0].name = "a->b";
  directions[0].in_fd = fd_a;
  directions[0].out_fd = fd_b;
  directions[1].name = "b->a";
  directions[1].in_fd = fd_b;
  directions[1].out_fd = fd_a;
  std::array<uint8_t, kSlotBytes> scratch{};

  std::fprintf(stderr, "tributary-linkemu: bridging %s <-> %s, delay %.1f ms, loss %.2f%%\n",
               a.c_str(), b.c_str(), delay_ms, loss_percent);

  auto forward = [](Direction* direction, const uint8_t* frame, size_t size) {
    if (::send(direction->out_fd, frame, size, 0) == static_cast<ssize_t>(size)) {
      ++direction->forwarded;
    } else {
      ++direction->send_errors;
    }
  };

  std::array<pollfd, 2> fds{};
  fds[0] = {fd_a, POLLIN, 0};
  fds[1] = {fd_b, POLLIN, 0};
  while (!g_stop) {
    timespec timeout{};
    timespec* timeout_ptr = nullptr;
    if (!queue.Empty()) {
      const uint64_t now = NowUs();
      const uint64_t wait = queue.NextDueUs() > now ? queue.NextDueUs() - now : 0;
      timeout.tv_sec = static_cast<time_t>(wait / 1000000u);
      timeout.tv_nsec = static_cast<long>((wait % 1000000u) * 1000u);
      timeout_ptr = &timeout;
    }
    const int ready = ppoll(fds.data(), fds.size(), timeout_ptr, nullptr);
    if (ready < 0 && errno != EINTR) {
      std::fprintf(stderr, "tributary-linkemu: poll: %s\n", std::strerror(errno));
      return 1;
    }
    for (size_t i = 0; i < fds.size() && ready > 0; ++i) {
      if ((fds[i].revents & POLLIN) == 0) continue;
      Direction& direction = directions[i];
      for (int n = 0; n < kMaxReadsPerWake; ++n) {
        uint8_t* buffer = queue.Full() ? scratch.data() : queue.Reserve();
        sockaddr_ll from{};
        socklen_t from_size = sizeof(from);
        const ssize_t got = recvfrom(direction.in_fd, buffer, kSlotBytes, MSG_TRUNC,
                                     reinterpret_cast<sockaddr*>(&from), &from_size);
        if (got < 0) break;  // EAGAIN: drained
        if (from.sll_pkttype == PACKET_OUTGOING) continue;
        ++direction.frames_in;
        const size_t size = static_cast<size_t>(got);
        if (size > kSlotBytes) {
          ++direction.dropped_oversize;
          continue;
        }
        if (queue.Full()) {
          ++direction.dropped_full;
          continue;
        }
        if (loss_millionths > 0 && !IsArp(buffer, size) && random.Millionths() < loss_millionths) {
          ++direction.dropped_loss;
          continue;
        }
        queue.Push(size, NowUs() + delay_us, &direction);
      }
    }
    const uint64_t now = NowUs();
    while (!queue.Empty() && queue.NextDueUs() <= now)
      queue.PopFront(forward);
  }

  for (const Direction& d : directions) {
    std::fprintf(stderr,
                 "tributary-linkemu: %s frames %llu forwarded %llu lost %llu pool-full %llu "
                 "oversize %llu send-errors %llu\n",
                 d.name, static_cast<unsigned long long>(d.frames_in),
                 static_cast<unsigned long long>(d.forwarded),
                 static_cast<unsigned long long>(d.dropped_loss),
                 static_cast<unsigned long long>(d.dropped_full),
                 static_cast<unsigned long long>(d.dropped_oversize),
                 static_cast<unsigned long long>(d.send_errors));
  }
  close(fd_a);
  close(fd_b);
  return 0;
}
