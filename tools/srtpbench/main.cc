// tributary-srtpbench: what SRTP costs per packet on this machine, through SrtpSession (libsrtp2),
// so that PERF.md's figures can be checked: protect and unprotect of one RTP packet (1200 bytes
// by default) for each profile, in nanoseconds of this thread's CPU time, measured over at
// least --seconds of CPU time per figure (CPU time, not wall time, so that a busy shared machine
// does not inflate the result).
//
//   tributary-srtpbench                      all profiles, 1200-byte packets, 1 s each
//   tributary-srtpbench --size 200 --json    smaller packets, one JSON object on stdout

#include <time.h>

#include <CLI/CLI.hpp>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "base/ByteIo.h"
#include "base/Random.h"
#include "rtc/SrtpProfile.h"
#include "rtc/SrtpSession.h"
#include "rtc/deps/DepLibSrtp.h"
#include "rtc/deps/DepOpenSsl.h"

namespace {

using tributary::rtc::SrtpProfile;
using tributary::rtc::SrtpSession;

uint64_t ThreadCpuNs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000ull + static_cast<uint64_t>(ts.tv_nsec);
}

uint64_t WallNs() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000ull + static_cast<uint64_t>(ts.tv_nsec);
}

struct Figure {
  double cpu_ns_per_packet = 0;
  double wall_ns_per_packet = 0;
  uint64_t packets = 0;
};

// A buffer of `capacity` bytes holding an RTP packet: 12-byte header (PT 96, fixed SSRC) and
// random payload up to whatever length the caller uses.
std::vector<uint8_t> MakePacket(size_t capacity) {
  std::vector<uint8_t> packet(capacity);
  tributary::base::RandomBytes(packet);
  packet[0] = 0x80;
  packet[1] = 96;
  tributary::base::Write32(packet.data() + 8, 0x5eed5eed);
  return packet;
}

void Check(SrtpSession::Result result, const char* what) {
  if (result != SrtpSession::Result::kOk) {
    throw std::runtime_error(std::string(what) +
                             " failed: " + std::string(SrtpSession::ResultName(result)));
  }
}

// Protects packets with increasing sequence numbers (what a consumer does) until `seconds` of
// CPU time have passed.
Figure BenchProtect(SrtpProfile profile, const std::vector<uint8_t>& keys, size_t size,
                    double seconds) {
  SrtpSession session(SrtpSession::Direction::kOutbound, profile, keys);
  std::vector<uint8_t> packet = MakePacket(size + SrtpSession::kMaxRtpTrailerLength);
  uint16_t seq = 0;
  auto run = [&](uint64_t count) {
    for (uint64_t i = 0; i < count; ++i) {
      tributary::base::Write16(packet.data() + 2, seq++);
      size_t len = size;
      Check(session.ProtectRtp(packet.data(), len, packet.size()), "protect");
    }
  };
  run(20000);  // warm up: caches, branch predictors, CPU frequency
  constexpr uint64_t kBatch = 10000;
  const uint64_t budget = static_cast<uint64_t>(seconds * 1e9);
  Figure figure;
  const uint64_t cpu_start = ThreadCpuNs();
  const uint64_t wall_start = WallNs();
  uint64_t cpu = 0;
  while (cpu < budget) {
    run(kBatch);
    figure.packets += kBatch;
    cpu = ThreadCpuNs() - cpu_start;
  }
  figure.cpu_ns_per_packet = static_cast<double>(cpu) / static_cast<double>(figure.packets);
  figure.wall_ns_per_packet =
      static_cast<double>(WallNs() - wall_start) / static_cast<double>(figure.packets);
  return figure;
}

// Unprotects freshly protected packets (each index once, as the replay window demands). Only
// the unprotect loop is timed; it includes one memcpy of the packet per unprotect (tens of ns).
Figure BenchUnprotect(SrtpProfile profile, const std::vector<uint8_t>& keys, size_t size,
                      double seconds) {
  SrtpSession sender(SrtpSession::Direction::kOutbound, profile, keys);
  SrtpSession receiver(SrtpSession::Direction::kInbound, profile, keys);
  constexpr size_t kRing = 2048;
  const size_t stride = size + SrtpSession::kMaxRtpTrailerLength;
  std::vector<uint8_t> ring(kRing * stride);
  std::vector<size_t> lengths(kRing);
  std::vector<uint8_t> work(stride);
  const std::vector<uint8_t> plain = MakePacket(stride);
  uint16_t seq = 0;
  auto refill = [&] {
    for (size_t i = 0; i < kRing; ++i) {
      uint8_t* p = ring.data() + i * stride;
      std::memcpy(p, plain.data(), size);
      tributary::base::Write16(p + 2, seq++);
      lengths[i] = size;
      Check(sender.ProtectRtp(p, lengths[i], stride), "protect");
    }
  };
  auto run = [&] {
    for (size_t i = 0; i < kRing; ++i) {
      std::memcpy(work.data(), ring.data() + i * stride, lengths[i]);
      size_t len = lengths[i];
      Check(receiver.UnprotectRtp(work.data(), len), "unprotect");
    }
  };
  refill();
  run();  // warm up
  const uint64_t budget = static_cast<uint64_t>(seconds * 1e9);
  Figure figure;
  uint64_t cpu = 0;
  uint64_t wall = 0;
  while (cpu < budget) {
    refill();
    const uint64_t cpu_start = ThreadCpuNs();
    const uint64_t wall_start = WallNs();
    run();
    cpu += ThreadCpuNs() - cpu_start;
    wall += WallNs() - wall_start;
    figure.packets += kRing;
  }
  figure.cpu_ns_per_packet = static_cast<double>(cpu) / static_cast<double>(figure.packets);
  figure.wall_ns_per_packet = static_cast<double>(wall) / static_cast<double>(figure.packets);
  return figure;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"SRTP protect/unprotect cost per RTP packet, through libsrtp2"};
  double seconds = 1.0;
  size_t size = 1200;
  std::vector<std::string> profile_names;
  bool json = false;
  bool skip_unprotect = false;
  app.add_option("--seconds", seconds, "CPU seconds per measurement (>= 1)")
      ->check(CLI::Range(1.0, 600.0));
  app.add_option("--size", size, "RTP packet size in bytes, header included")
      ->check(CLI::Range(12, 65000));
  app.add_option("--profile", profile_names,
                 "profiles to measure (AES_CM_128_HMAC_SHA1_80, AEAD_AES_128_GCM, ...); "
                 "default: all");
  app.add_flag("--json", json, "print one JSON object instead of a table");
  app.add_flag("--protect-only", skip_unprotect, "skip the unprotect measurements");
  CLI11_PARSE(app, argc, argv);

  std::vector<SrtpProfile> profiles;
  if (profile_names.empty()) {
    profiles = {SrtpProfile::kAesCm128HmacSha1_80, SrtpProfile::kAesCm128HmacSha1_32,
                SrtpProfile::kAeadAes128Gcm, SrtpProfile::kAeadAes256Gcm};
  }
  for (const auto& name : profile_names) {
    const auto profile = tributary::rtc::ParseSrtpProfile(name);
    if (!profile) {
      std::fprintf(stderr, "unknown SRTP profile '%s'\n", name.c_str());
      return 2;
    }
    profiles.push_back(*profile);
  }

  try {
    tributary::rtc::DepLibSrtp::ClassInit();
    const std::string srtp_version = tributary::rtc::DepLibSrtp::VersionString();
    const std::string openssl_version = tributary::rtc::DepOpenSsl::VersionString();
    if (!json) {
      std::printf("%s, %s; %zu-byte RTP packets, >= %.1f s of CPU time per figure\n",
                  srtp_version.c_str(), openssl_version.c_str(), size, seconds);
      std::printf("%-26s %14s %14s %16s\n", "profile", "protect ns", "unprotect ns",
                  "protect pkts/s");
    } else {
      std::printf("{\"libsrtp\":\"%s\",\"openssl\":\"%s\",\"packet_size\":%zu,\"results\":[",
                  srtp_version.c_str(), openssl_version.c_str(), size);
    }
    bool first = true;
    for (SrtpProfile profile : profiles) {
      std::vector<uint8_t> keys(tributary::rtc::SrtpProfileKeyingMaterialLength(profile));
      tributary::base::RandomBytes(keys);
      const Figure protect = BenchProtect(profile, keys, size, seconds);
      Figure unprotect;
      if (!skip_unprotect) unprotect = BenchUnprotect(profile, keys, size, seconds);
      const std::string name(tributary::rtc::SrtpProfileName(profile));
      if (json) {
        std::printf(
            "%s{\"profile\":\"%s\",\"protect_cpu_ns\":%.1f,\"protect_wall_ns\":%.1f,"
            "\"protect_packets\":%llu,\"unprotect_cpu_ns\":%.1f,\"unprotect_packets\":%llu}",
            first ? "" : ",", name.c_str(), protect.cpu_ns_per_packet, protect.wall_ns_per_packet,
            static_cast<unsigned long long>(protect.packets), unprotect.cpu_ns_per_packet,
            static_cast<unsigned long long>(unprotect.packets));
      } else {
        std::printf("%-26s %14.1f %14.1f %16.0f\n", name.c_str(), protect.cpu_ns_per_packet,
                    unprotect.cpu_ns_per_packet, 1e9 / protect.cpu_ns_per_packet);
      }
      std::fflush(stdout);
      first = false;
    }
    if (json) std::printf("]}\n");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "srtpbench: %s\n", e.what());
    return 1;
  }
  return 0;
}
