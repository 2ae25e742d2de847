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
// Needs root, ip (iproute2), tc and nft (nftables): Unavailable() says what is missing, for a
// GTEST_SKIP.
class NetworkNamespace {
 public:
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

  NetworkNamespace();  // throws std::runtime_error naming the failed command
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

 private:
  void Run(const std::string& command) const;        // in the test's namespace
  void RunInside(const std::string& command) const;  // in this one

  std::string name_;
  std::string inside_dev_;
  std::string outside_dev_;
  std::string outside_ip_;
  std::string inside_ip_;
};

}  // namespace tributary::testing
