// DtlsTransport against an independent DTLS endpoint: the openssl command-line tool's s_client
// and s_server (their own DTLS drivers over real UDP sockets), on loopback. Each side prints the
// DTLS-SRTP keying material it exported (RFC 5764 4.2); ours must be the same bytes.

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "TestSupport.h"
#include "rtc/DtlsTransport.h"
#include "rtc/deps/DepOpenSsl.h"

namespace tributary::rtc {
namespace {

using Bytes = std::vector<uint8_t>;
using Clock = std::chrono::steady_clock;

// A UDP socket bound to 127.0.0.1.
class UdpSocket {
 public:
  explicit UdpSocket(uint16_t port = 0) : fd_(socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(port);
    bound_ = fd_ >= 0 && bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  }
  ~UdpSocket() {
    if (fd_ >= 0) close(fd_);
  }
  bool Bound() const { return bound_; }
  int Fd() const { return fd_; }
  uint16_t Port() const {
    sockaddr_in address{};
    socklen_t length = sizeof(address);
    getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
    return ntohs(address.sin_port);
  }
  // The first datagram's sender becomes the peer, unless one was set.
  void SetPeerPort(uint16_t port) {
    peer_.sin_family = AF_INET;
    peer_.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    peer_.sin_port = htons(port);
    has_peer_ = true;
  }
  bool Receive(Bytes& datagram) {
    datagram.resize(65536);
    sockaddr_in from{};
    socklen_t length = sizeof(from);
    const ssize_t n = recvfrom(fd_, datagram.data(), datagram.size(), 0,
                               reinterpret_cast<sockaddr*>(&from), &length);
    if (n < 0) return false;
    datagram.resize(static_cast<size_t>(n));
    if (!has_peer_) {
      peer_ = from;
      has_peer_ = true;
    }
    return true;
  }
  void Send(std::span<const uint8_t> datagram) {
    if (has_peer_) {
      sendto(fd_, datagram.data(), datagram.size(), 0, reinterpret_cast<sockaddr*>(&peer_),
             sizeof(peer_));
    }
  }

 private:
  int fd_;
  bool bound_ = false;
  sockaddr_in peer_{};
  bool has_peer_ = false;
};

// The openssl tool with a pipe on stdin and one on stdout; stderr goes to a file.
class OpenSslProcess {
 public:
  OpenSslProcess(const std::vector<std::string>& arguments, const std::string& stderr_path) {
    int in[2];
    int out[2];
    if (pipe(in) != 0 || pipe(out) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      dup2(in[0], STDIN_FILENO);
      dup2(out[1], STDOUT_FILENO);
      const int err = open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (err >= 0) dup2(err, STDERR_FILENO);
      for (int fd : {in[0], in[1], out[0], out[1]})
        close(fd);
      std::vector<char*> argv;
      argv.push_back(const_cast<char*>("openssl"));
      for (const auto& a : arguments)
        argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      execvp("openssl", argv.data());
      _exit(127);
    }
    close(in[0]);
    close(out[1]);
    stdin_ = in[1];
    stdout_ = out[0];
    fcntl(stdout_, F_SETFL, O_NONBLOCK);
  }
  ~OpenSslProcess() {
    CloseStdin();
    if (stdout_ >= 0) close(stdout_);
    if (pid_ > 0 && !exited_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }

  int StdoutFd() const { return stdout_; }
  const std::string& Output() const { return output_; }
  void ReadOutput() {
    char buffer[4096];
    ssize_t n;
    while ((n = read(stdout_, buffer, sizeof(buffer))) > 0)
      output_.append(buffer, n);
  }
  void Write(std::string_view text) {
    if (stdin_ >= 0) (void)!write(stdin_, text.data(), text.size());
  }
  void CloseStdin() {
    if (stdin_ >= 0) close(stdin_);
    stdin_ = -1;
  }
  // The exit code once the process has ended, or nullopt while it runs.
  std::optional<int> ExitCode() {
    if (!exited_) {
      int status = 0;
      if (pid_ <= 0 || waitpid(pid_, &status, WNOHANG) != pid_) return std::nullopt;
      exited_ = true;
      exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    return exit_code_;
  }

 private:
  pid_t pid_ = -1;
  int stdin_ = -1;
  int stdout_ = -1;
  std::string output_;
  bool exited_ = false;
  int exit_code_ = -1;
};

struct Endpoint : DtlsTransport::Listener {
  UdpSocket* socket = nullptr;
  bool connected = false;
  SrtpProfile profile = SrtpProfile::kNone;
  Bytes local_keying_material;
  Bytes remote_keying_material;
  std::string received;
  bool closed = false;
  std::string failure;

  void OnDtlsSendData(DtlsTransport&, std::span<const uint8_t> datagram) override {
    socket->Send(datagram);
  }
  void OnDtlsConnected(DtlsTransport&, SrtpProfile p, std::span<const uint8_t> local,
                       std::span<const uint8_t> remote) override {
    connected = true;
    profile = p;
    local_keying_material.assign(local.begin(), local.end());
    remote_keying_material.assign(remote.begin(), remote.end());
  }
  void OnDtlsApplicationData(DtlsTransport&, std::span<const uint8_t> data) override {
    received.append(data.begin(), data.end());
  }
  void OnDtlsClosed(DtlsTransport&) override { closed = true; }
  void OnDtlsFailed(DtlsTransport&, std::string_view reason) override {
    failure = std::string(reason);
  }
};

// Moves datagrams between the socket and the transport, reads the tool's output and runs the
// transport's timer until `done` holds or 10 s pass. Returns `done()`.
bool RunUntil(UdpSocket& socket, DtlsTransport& transport, OpenSslProcess& tool,
              const std::function<bool()>& done) {
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  Bytes datagram;
  while (!done() && Clock::now() < deadline) {
    int wait_ms = 50;
    if (auto timeout = transport.NextTimeoutMs()) {
      wait_ms = std::min<int>(wait_ms, static_cast<int>(*timeout));
    }
    pollfd fds[2] = {{socket.Fd(), POLLIN, 0}, {tool.StdoutFd(), POLLIN, 0}};
    poll(fds, 2, wait_ms);
    while (socket.Receive(datagram))
      transport.ProcessDtlsData(datagram);
    tool.ReadOutput();
    transport.HandleTimeout();
  }
  return done();
}

// The hex after "Keying material: " in the tool's output, as bytes; empty until printed.
Bytes PrintedKeyingMaterial(const std::string& output) {
  static constexpr std::string_view kLabel = "Keying material: ";
  const size_t at = output.find(kLabel);
  if (at == std::string::npos) return {};
  const size_t end = output.find('\n', at);
  if (end == std::string::npos) return {};
  Bytes out;
  for (size_t i = at + kLabel.size(); i + 1 < end; i += 2) {
    out.push_back(static_cast<uint8_t>(std::stoi(output.substr(i, 2), nullptr, 16)));
  }
  return out;
}

Bytes Concat(std::span<const uint8_t> a, std::span<const uint8_t> b) {
  Bytes out;
  out.reserve(a.size() + b.size());
  for (uint8_t byte : a)
    out.push_back(byte);
  for (uint8_t byte : b)
    out.push_back(byte);
  return out;
}

class DtlsTransportInteropTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!test::HaveOpenSslTool()) GTEST_SKIP() << "the openssl command is not installed";
    // The tool's own certificate, made by the tool.
    ASSERT_EQ(test::RunCommand("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 "
                               "-nodes -subj /CN=openssl-peer -days 2 -keyout '" +
                               dir_.File("key.pem") + "' -out '" + dir_.File("cert.pem") +
                               "' 2>/dev/null")
                  .exit_code,
              0);
    const auto fingerprint =
        DtlsFingerprint::Parse(test::OpenSslFingerprint(dir_.File("cert.pem"), "sha256"));
    ASSERT_TRUE(fingerprint.has_value());
    tool_fingerprint_ = *fingerprint;
  }

  std::string StderrOf() const {
    return test::RunCommand("cat '" + dir_.File("stderr.txt") + "'").output;
  }

  test::TempDirectory dir_;
  DtlsCertificate certificate_ = DtlsCertificate::Generate();
  DtlsTransport::Context context_{certificate_};
  std::optional<DtlsFingerprint> tool_fingerprint_;
};

TEST_F(DtlsTransportInteropTest, Server_InteroperatesWithOpenSslClient) {
  UdpSocket socket;
  ASSERT_TRUE(socket.Bound());
  Endpoint endpoint;
  endpoint.socket = &socket;
  DtlsTransport transport(context_, endpoint);
  transport.Start(DtlsTransport::Role::kServer, *tool_fingerprint_);

  // s_client offers only AES-CM, like Debian's aiortc.
  OpenSslProcess client(
      {"s_client", "-dtls1_2", "-connect", "127.0.0.1:" + std::to_string(socket.Port()),
       "-use_srtp", "SRTP_AES128_CM_SHA1_80", "-cert", dir_.File("cert.pem"), "-key",
       dir_.File("key.pem"), "-keymatexport", "EXTRACTOR-dtls_srtp", "-keymatexportlen", "60"},
      dir_.File("stderr.txt"));

  ASSERT_TRUE(RunUntil(socket, transport, client,
                       [&] {
                         return (endpoint.connected &&
                                 !PrintedKeyingMaterial(client.Output()).empty()) ||
                                !endpoint.failure.empty();
                       }))
      << endpoint.failure << "\n"
      << client.Output() << StderrOf();
  ASSERT_TRUE(endpoint.connected) << endpoint.failure;
  EXPECT_EQ(endpoint.profile, SrtpProfile::kAesCm128HmacSha1_80);
  EXPECT_NE(client.Output().find("SRTP Extension negotiated, profile=SRTP_AES128_CM_SHA1_80"),
            std::string::npos);

  // client key (16), server key (16), client salt (14), server salt (14).
  const Bytes exported = PrintedKeyingMaterial(client.Output());
  ASSERT_EQ(exported.size(), 60u);
  const std::span<const uint8_t> km(exported);
  EXPECT_EQ(endpoint.remote_keying_material, Concat(km.subspan(0, 16), km.subspan(32, 14)));
  EXPECT_EQ(endpoint.local_keying_material, Concat(km.subspan(16, 16), km.subspan(46, 14)));

  // Application data both ways.
  client.Write("ping from s_client\n");
  EXPECT_TRUE(RunUntil(socket, transport, client, [&] {
    return endpoint.received == "ping from s_client\n";
  })) << endpoint.received;
  ASSERT_TRUE(transport.SendApplicationData(AsBytes("pong from tributary\n")));
  EXPECT_TRUE(RunUntil(socket, transport, client, [&] {
    return client.Output().find("pong from tributary") != std::string::npos;
  }));

  // End of input: s_client sends close_notify and exits.
  client.CloseStdin();
  EXPECT_TRUE(RunUntil(socket, transport, client, [&] {
    return endpoint.closed && client.ExitCode().has_value();
  })) << StderrOf();
  EXPECT_EQ(transport.GetState(), DtlsTransport::State::kClosed);
  EXPECT_EQ(client.ExitCode(), 0);
}

TEST_F(DtlsTransportInteropTest, Client_InteroperatesWithOpenSslServer) {
  // A free port for s_server: bind one, note it, let it go.
  uint16_t port = 0;
  {
    UdpSocket probe;
    ASSERT_TRUE(probe.Bound());
    port = probe.Port();
  }
  OpenSslProcess server(
      {"s_server", "-dtls1_2", "-accept", "127.0.0.1:" + std::to_string(port), "-naccept", "1",
       "-use_srtp", "SRTP_AEAD_AES_128_GCM:SRTP_AES128_CM_SHA1_80", "-cert", dir_.File("cert.pem"),
       "-key", dir_.File("key.pem"), "-verify", "1", "-keymatexport", "EXTRACTOR-dtls_srtp",
       "-keymatexportlen", "56"},
      dir_.File("stderr.txt"));
  UdpSocket socket;
  ASSERT_TRUE(socket.Bound());
  socket.SetPeerPort(port);
  Endpoint endpoint;
  endpoint.socket = &socket;
  DtlsTransport transport(context_, endpoint);
  ASSERT_TRUE(RunUntil(socket, transport, server, [&] {
    return server.Output().find("ACCEPT") != std::string::npos;
  })) << StderrOf();

  transport.Start(DtlsTransport::Role::kClient, *tool_fingerprint_);
  ASSERT_TRUE(RunUntil(socket, transport, server,
                       [&] {
                         return (endpoint.connected &&
                                 !PrintedKeyingMaterial(server.Output()).empty()) ||
                                !endpoint.failure.empty();
                       }))
      << endpoint.failure << "\n"
      << server.Output() << StderrOf();
  ASSERT_TRUE(endpoint.connected) << endpoint.failure;
  EXPECT_EQ(endpoint.profile, SrtpProfile::kAeadAes128Gcm);

  // client key (16), server key (16), client salt (12), server salt (12).
  const Bytes exported = PrintedKeyingMaterial(server.Output());
  ASSERT_EQ(exported.size(), 56u);
  const std::span<const uint8_t> km(exported);
  EXPECT_EQ(endpoint.local_keying_material, Concat(km.subspan(0, 16), km.subspan(32, 12)));
  EXPECT_EQ(endpoint.remote_keying_material, Concat(km.subspan(16, 16), km.subspan(44, 12)));
  // s_server asked for our certificate (-verify) and prints the one it got.
  EXPECT_NE(server.Output().find(certificate_.CertificatePem()), std::string::npos)
      << server.Output();

  ASSERT_TRUE(transport.SendApplicationData(AsBytes("hello s_server\n")));
  EXPECT_TRUE(RunUntil(socket, transport, server, [&] {
    return server.Output().find("hello s_server") != std::string::npos;
  })) << server.Output();
  server.Write("hello tributary\n");
  EXPECT_TRUE(RunUntil(socket, transport, server, [&] {
    return endpoint.received == "hello tributary\n";
  })) << endpoint.received;

  // Our close_notify ends s_server's only connection (-naccept 1), so it exits.
  transport.Close();
  EXPECT_TRUE(RunUntil(socket, transport, server, [&] { return server.ExitCode().has_value(); }))
      << server.Output() << StderrOf();
  // Exit code 0 is the proof: s_server's "shutting down SSL" line is not always flushed before
  // it exits, so it is not asserted.
  EXPECT_EQ(server.ExitCode(), 0) << server.Output();
}

TEST_F(DtlsTransportInteropTest, Server_RejectsOpenSslClient_WithAnotherCertificate) {
  UdpSocket socket;
  ASSERT_TRUE(socket.Bound());
  Endpoint endpoint;
  endpoint.socket = &socket;
  DtlsTransport transport(context_, endpoint);
  // The SDP said another certificate.
  transport.Start(DtlsTransport::Role::kServer, DtlsCertificate::Generate().Sha256Fingerprint());
  OpenSslProcess client(
      {"s_client", "-dtls1_2", "-connect", "127.0.0.1:" + std::to_string(socket.Port()),
       "-use_srtp", "SRTP_AES128_CM_SHA1_80", "-cert", dir_.File("cert.pem"), "-key",
       dir_.File("key.pem")},
      dir_.File("stderr.txt"));
  EXPECT_TRUE(RunUntil(socket, transport, client,
                       [&] { return !endpoint.failure.empty() && client.ExitCode().has_value(); }));
  EXPECT_EQ(transport.GetState(), DtlsTransport::State::kFailed);
  EXPECT_NE(endpoint.failure.find("does not match the remote SDP fingerprint"), std::string::npos)
      << endpoint.failure;
  EXPECT_NE(StderrOf().find("bad certificate"), std::string::npos) << StderrOf();
  EXPECT_NE(client.ExitCode(), 0);
}

}  // namespace
}  // namespace tributary::rtc
