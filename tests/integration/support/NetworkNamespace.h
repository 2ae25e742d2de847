#pragma once

#include <memory>
#include <string>
#include <vector>

#include "support/NodeProcess.h"

namespace tributary::testing {

// A network namespace made for one test, joined to the test's own namespace by a veth pair
// (10.X.Y.1 outside, 10.X.Y.2 inside, a /30 picked from the test's pid and a counter), with
// faults applied to the UDP packets crossing the link, in the kernel:
//   loss, duplication  nftables rules on the inside end (netdev egress and ingress hooks:
//                      "numgen random mod 100 < P drop", "... dup to <dev>"),
//   reordering         an HTB slow class on the inside end that a random share of the
//                      outgoing packets is put in (nftables "meta priority set"): they leave
//                      tens of milliseconds after the packets behind them,
//   delay              tc netem, when the kernel has it (NetemAvailable()),
//   partition          every packet dropped, TCP included, both ways.
// The namespace (with its end of the pair, so the pair) is deleted by the destructor; a test that
// dies leaves a namespace named "trib-<pid>-<n>" behind, which the next run of the same suite
// removes (namespaces of dead pids).
//
// Emulated link (Link::kEmulated): instead of one veth pair, two, through a third namespace
// ("trib-<pid>-<n>m") where tributary-linkemu (tests/linkemu) bridges them at layer 2, holding
// each frame for a delay and dropping a share of them, both ways (SetLink). The addresses and
// the faults above stay as they are. This is how the tests delay packets: the test machine's
// kernel has no sch_netem (CONFIG_NET_SCH_NETEM unset; only HTB, TBF, FIFO and ingress qdiscs,
// no nftables queue), so tc netem cannot. Offloads are off on the four ends (ethtool), so that
// the emulator reads whole, checksummed frames.
//
// Needs root, ip (iproute2), tc and nft (nftables): Unavailable() says what is missing, for a
// GTEST_SKIP; an emulated link also needs ethtool and the emulator (EmulatorUnavailable()).
class NetworkNamespace {
 public:
  enum class Link { kVeth, kEmulated };

  struct Faults {
    int loss_out_percent = 0;       // packets leaving the namespace
    int loss_in_percent = 0;        // packets entering it
    int duplicate_out_percent = 0;  // leaving packets sent twice
    int reorder_out_percent = 0;    // leaving packets held back behind later ones
    bool partition = false;         // nothing crosses, either way, any protocol
  };

  // Empty when namespaces can be made here; otherwise why not.
  static std::string Unavailable();
  // Whether tc netem exists (this kernel may lack sch_netem).
  static bool NetemAvailable();
  // Empty when an emulated link can be made (Unavailable() is empty too); otherwise why not.
  static std::string EmulatorUnavailable();

  // Throws std::runtime_error naming the failed command. An emulated link starts clean
  // (no delay, no loss).
  explicit NetworkNamespace(Link link = Link::kVeth);
  ~NetworkNamespace();
  NetworkNamespace(const NetworkNamespace&) = delete;
  NetworkNamespace& operator=(const NetworkNamespace&) = delete;

  const std::string& Name() const { return name_; }
  const std::string& OutsideIp() const { return outside_ip_; }
  const std::string& InsideIp() const { return inside_ip_; }

  // Runs `binary args...` inside the namespace (through `ip netns exec`, which execs it: the
  // process's pid is the binary's).
  std::unique_ptr<NodeProcess> Spawn(const std::string& binary,
                                     const std::vector<std::string>& args) const;

  // Replaces the faults in force (all zero: a clean link).
  void SetFaults(const Faults& faults);
  // Fixed delay on packets leaving the namespace (tc netem); throws without netem.
  void SetDelay(int delay_ms, int loss_percent);
  // Emulated link: `delay_ms` each way and `loss_percent` of the frames lost each way (ARP
  // excepted); restarts the emulator (frames in flight are lost). Throws on a veth link.
  void SetLink(int delay_ms, double loss_percent);
  // Emulated link: the emulator's counters so far are printed when it stops; this stops it
  // and returns its stderr (its last lines are the per-direction counters).
  std::string StopLink();

 private:
  void Run(const std::string& command) const;        // in the test's namespace
  void RunInside(const std::string& command) const;  // in this one
  void RunIn(const std::string& ns, const std::string& command) const;

  void StartEmulator(int delay_ms, double loss_percent);

  Link link_;
  std::string middle_;  // the emulator's namespace (emulated link)
  std::string middle_a_;
  std::string middle_b_;
  std::unique_ptr<NodeProcess> emulator_;
  std::string name_;
  std::string inside_dev_;
  std::string outside_dev_;
  std::string outside_ip_;
  std::string inside_ip_;
};

}  // namespace tributary::testing
