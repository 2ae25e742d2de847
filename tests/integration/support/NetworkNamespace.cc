#include "support/NetworkNamespace.h"

#include <signal.h>
#include <sys/types.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

namespace tributary::testing {

namespace {

constexpr const char* kIp = "/usr/sbin/ip";
constexpr const char* kEthtool = "/usr/sbin/ethtool";
constexpr const char* kNoOffloads = " tx off rx off gso off tso off gro off";
// The reordering class: 96 ms per 1200-byte packet, a burst of one packet, so that a few percent
// of a 1 Mbit/s stream queue there and leave 100..400 ms after the packets sent behind them.
constexpr uint32_t kSlowClassKbit = 100;

bool Exists(const char* path) {
  return access(path, X_OK) == 0;
}

int Shell(const std::string& command) {
  const int rc = std::system((command + " >/dev/null 2>&1").c_str());
  return rc == -1 ? -1 : WEXITSTATUS(rc);
}

// Namespaces of earlier runs whose test process is gone ("trib-<pid>-<n>").
void RemoveStale() {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/run/netns", ec)) {
    const std::string name = entry.path().filename().string();
    if (!name.starts_with("trib-")) continue;
    const pid_t pid = static_cast<pid_t>(std::atoi(name.c_str() + 5));
    if (pid > 0 && (::kill(pid, 0) == 0 || errno != ESRCH)) continue;
    Shell(std::string(kIp) + " netns del " + name);
  }
}

}  // namespace

std::string NetworkNamespace::Unavailable() {
  if (geteuid() != 0) return "network fault tests need root (ip netns, veth, tc, nft)";
  for (const char* tool : {kIp, "/usr/sbin/tc", "/usr/sbin/nft"}) {
    if (!Exists(tool)) {
      return std::string(tool) + " not found: install iproute2 and nftables (tools/bootstrap)";
    }
  }
  if (Shell(std::string(kIp) + " netns list") != 0) return "ip netns does not work here";
  return {};
}

std::string NetworkNamespace::EmulatorUnavailable() {
  if (std::string why = Unavailable(); !why.empty()) return why;
  if (!Exists(kEthtool)) {
    return std::string(kEthtool) + " not found: install ethtool (tools/bootstrap)";
  }
  const std::string emulator = NodeProcess::BinaryPath("tributary-linkemu");
  if (!Exists(emulator.c_str())) return emulator + " not built (ninja tributary-linkemu)";
  return {};
}

bool NetworkNamespace::NetemAvailable() {
  static const bool available = [] {
    NetworkNamespace probe;
    return Shell(std::string(kIp) + " netns exec " + probe.Name() + " tc qdisc add dev " +
                 probe.inside_dev_ + " root netem delay 1ms") == 0;
  }();
  return available;
}

NetworkNamespace::NetworkNamespace(Link link) : link_(link) {
  static std::atomic<int> counter{0};
  static const bool cleaned = (RemoveStale(), true);
  (void)cleaned;
  const int n = counter.fetch_add(1);
  const pid_t pid = getpid();
  name_ = "trib-" + std::to_string(pid) + "-" + std::to_string(n);
  // Interface names: at most 15 characters.
  const std::string tag = std::to_string(pid % 100000) + "x" + std::to_string(n % 100);
  inside_dev_ = "tn" + tag;
  outside_dev_ = "to" + tag;
  // 10.(200..249).(0..255).(4k): a /30 per namespace, apart for concurrent test processes.
  const uint32_t slot = static_cast<uint32_t>(pid) * 16 + static_cast<uint32_t>(n % 16);
  const uint32_t second = 200 + (slot / (256 * 64)) % 50;
  const uint32_t third = (slot / 64) % 256;
  const uint32_t fourth = (slot % 64) * 4;
  const std::string prefix = "10." + std::to_string(second) + "." + std::to_string(third) + ".";
  outside_ip_ = prefix + std::to_string(fourth + 1);
  inside_ip_ = prefix + std::to_string(fourth + 2);

  Run(std::string(kIp) + " netns add " + name_);
  try {
    if (link_ == Link::kEmulated) {
      // outside_dev_ <-> middle_a_ [emulator] middle_b_ <-> inside_dev_
      middle_ = name_ + "m";
      middle_a_ = "ta" + tag;
      middle_b_ = "tb" + tag;
      Run(std::string(kIp) + " netns add " + middle_);
      Run(std::string(kIp) + " link add " + outside_dev_ + " type veth peer name " + middle_a_);
      Run(std::string(kIp) + " link add " + middle_b_ + " type veth peer name " + inside_dev_);
      Run(std::string(kIp) + " link set " + middle_a_ + " netns " + middle_);
      Run(std::string(kIp) + " link set " + middle_b_ + " netns " + middle_);
      for (const std::string& dev : {middle_a_, middle_b_}) {
        RunIn(middle_, std::string(kIp) + " link set " + dev + " up");
        RunIn(middle_, std::string(kEthtool) + " -K " + dev + kNoOffloads);
      }
    } else {
      Run(std::string(kIp) + " link add " + outside_dev_ + " type veth peer name " + inside_dev_);
    }
    Run(std::string(kIp) + " link set " + inside_dev_ + " netns " + name_);
    Run(std::string(kIp) + " addr add " + outside_ip_ + "/30 dev " + outside_dev_);
    Run(std::string(kIp) + " link set " + outside_dev_ + " up");
    RunInside(std::string(kIp) + " addr add " + inside_ip_ + "/30 dev " + inside_dev_);
    RunInside(std::string(kIp) + " link set " + inside_dev_ + " up");
    RunInside(std::string(kIp) + " link set lo up");
    // The reordering classes: 1:10 for everything, 1:20 slow.
    RunInside("tc qdisc add dev " + inside_dev_ + " root handle 1: htb default 10 r2q 100000");
    RunInside("tc class add dev " + inside_dev_ + " parent 1: classid 1:10 htb rate 10gbit");
    RunInside("tc class add dev " + inside_dev_ + " parent 1: classid 1:20 htb rate " +
              std::to_string(kSlowClassKbit) + "kbit ceil " + std::to_string(kSlowClassKbit) +
              "kbit burst 1600 cburst 1600");
    if (link_ == Link::kEmulated) {
      Run(std::string(kEthtool) + " -K " + outside_dev_ + kNoOffloads);
      RunInside(std::string(kEthtool) + " -K " + inside_dev_ + kNoOffloads);
      StartEmulator(0, 0);
    }
  } catch (...) {
    emulator_.reset();
    Shell(std::string(kIp) + " link del " + outside_dev_);
    Shell(std::string(kIp) + " netns del " + name_);
    if (!middle_.empty()) Shell(std::string(kIp) + " netns del " + middle_);
    throw;
  }
}

void NetworkNamespace::StartEmulator(int delay_ms, double loss_percent) {
  emulator_.reset();  // SIGKILL: the counters of a replaced emulator are not wanted
  std::vector<std::string> argv = {"netns",      "exec",
                                   middle_,      NodeProcess::BinaryPath("tributary-linkemu"),
                                   "--a",        middle_a_,
                                   "--b",        middle_b_,
                                   "--delay-ms", std::to_string(delay_ms),
                                   "--loss",     std::to_string(loss_percent)};
  emulator_ = std::make_unique<NodeProcess>(kIp, std::move(argv));
  if (!emulator_->WaitForStderr("tributary-linkemu: bridging", std::chrono::seconds(5))) {
    throw std::runtime_error("the link emulator did not start: " + emulator_->Describe());
  }
}

void NetworkNamespace::SetLink(int delay_ms, double loss_percent) {
  if (link_ != Link::kEmulated) throw std::runtime_error("SetLink needs an emulated link");
  StartEmulator(delay_ms, loss_percent);
}

std::string NetworkNamespace::StopLink() {
  if (!emulator_) return {};
  emulator_->Signal(SIGTERM);
  emulator_->WaitExit(std::chrono::seconds(5));
  std::string err = emulator_->Stderr();
  emulator_.reset();
  return err;
}

NetworkNamespace::~NetworkNamespace() {
  emulator_.reset();
  // Processes still inside keep the namespace alive but not its name; the pair goes with it.
  Shell(std::string(kIp) + " link del " + outside_dev_);
  Shell(std::string(kIp) + " netns del " + name_);
  if (!middle_.empty()) Shell(std::string(kIp) + " netns del " + middle_);
}

std::unique_ptr<NodeProcess> NetworkNamespace::Spawn(const std::string& binary,
                                                     const std::vector<std::string>& args) const {
  std::vector<std::string> argv = {"netns", "exec", name_, binary};
  argv.insert(argv.end(), args.begin(), args.end());
  return std::make_unique<NodeProcess>(kIp, std::move(argv));
}

void NetworkNamespace::SetFaults(const Faults& faults) {
  // Replaced as a whole: delete the table (absent the first time), then add what is asked.
  Shell(std::string(kIp) + " netns exec " + name_ + " nft delete table netdev faults");
  std::string out;
  std::string in;
  const std::string udp = "meta l4proto udp ";
  auto random_below = [](int percent) {
    return "numgen random mod 100 < " + std::to_string(percent) + " ";
  };
  if (faults.partition) {
    out += "    drop\n";
    in += "    drop\n";
  }
  if (faults.duplicate_out_percent > 0) {
    // The copy carries the mark too: it is not copied again when it passes the hook.
    out += "    " + udp + "meta mark != 0x7e57 " + random_below(faults.duplicate_out_percent) +
           "meta mark set 0x7e57 dup to \"" + inside_dev_ + "\"\n";
  }
  if (faults.loss_out_percent > 0)
    out += "    " + udp + random_below(faults.loss_out_percent) + "drop\n";
  if (faults.reorder_out_percent > 0) {
    out += "    " + udp + random_below(faults.reorder_out_percent) + "meta priority set 1:20\n";
  }
  if (faults.loss_in_percent > 0)
    in += "    " + udp + random_below(faults.loss_in_percent) + "drop\n";
  if (out.empty() && in.empty()) return;
  const std::string ruleset =
      "table netdev faults {\n  chain out {\n    type filter hook egress device \"" + inside_dev_ +
      "\" priority 0;\n" + out + "  }\n  chain in {\n    type filter hook ingress device \"" +
      inside_dev_ + "\" priority 0;\n" + in + "  }\n}\n";
  const std::string file = "/tmp/" + name_ + ".nft";
  FILE* f = std::fopen(file.c_str(), "w");
  if (f == nullptr) throw std::runtime_error("cannot write " + file);
  std::fputs(ruleset.c_str(), f);
  std::fclose(f);
  RunInside("nft -f " + file);
  std::remove(file.c_str());
}

void NetworkNamespace::SetDelay(int delay_ms, int loss_percent) {
  RunInside("tc qdisc replace dev " + inside_dev_ + " root netem delay " +
            std::to_string(delay_ms) + "ms loss " + std::to_string(loss_percent) + "%");
}

void NetworkNamespace::Run(const std::string& command) const {
  if (Shell(command) != 0) throw std::runtime_error("network namespace setup failed: " + command);
}

void NetworkNamespace::RunInside(const std::string& command) const {
  RunIn(name_, command);
}

void NetworkNamespace::RunIn(const std::string& ns, const std::string& command) const {
  Run(std::string(kIp) + " netns exec " + ns + " " + command);
}

}  // namespace tributary::testing
