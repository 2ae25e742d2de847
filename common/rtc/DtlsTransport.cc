#include "rtc/DtlsTransport.h"

#include <array>
#include <cstring>
#include <stdexcept>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "rtc/DtlsRecord.h"
#include "rtc/deps/DepOpenSsl.h"

namespace tributary::rtc {

namespace {

// RFC 5764 4.2: the exporter label for DTLS-SRTP keys.
constexpr std::string_view kSrtpExporterLabel = "EXTRACTOR-dtls_srtp";

// ECDHE only (forward secrecy), AEAD first. ECDSA suites serve our own certificate; RSA suites
// let us connect, as a client, to servers that present RSA certificates.
constexpr const char* kCipherList =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-CHACHA20-POLY1305:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA:ECDHE-RSA-AES128-SHA:ECDHE-RSA-AES256-SHA";
constexpr const char* kGroups = "X25519:P-256:P-384";

// The largest plaintext of one record (RFC 6347 4.1: 2^14).
constexpr size_t kMaxRecordPlaintext = 16384;

// OpenSSL's spelling of the use_srtp profile names.
const char* OpenSslProfileName(SrtpProfile profile) {
  switch (profile) {
    case SrtpProfile::kAesCm128HmacSha1_80:
      return "SRTP_AES128_CM_SHA1_80";
    case SrtpProfile::kAesCm128HmacSha1_32:
      return "SRTP_AES128_CM_SHA1_32";
    case SrtpProfile::kAeadAes128Gcm:
      return "SRTP_AEAD_AES_128_GCM";
    case SrtpProfile::kAeadAes256Gcm:
      return "SRTP_AEAD_AES_256_GCM";
    case SrtpProfile::kNone:
      break;
  }
  return nullptr;
}

DtlsTransport* FromSsl(const SSL* ssl) {
  return ssl ? static_cast<DtlsTransport*>(SSL_get_app_data(ssl)) : nullptr;
}

std::string JoinReasons(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (auto part : parts) {
    if (part.empty()) continue;
    if (!out.empty()) out += "; ";
    out += part;
  }
  return out;
}

}  // namespace

// OpenSSL's C callbacks, with access to the transport's private hooks.
struct DtlsTransportCallbacks {
  static int BioCreate(BIO* bio) {
    BIO_set_init(bio, 1);
    return 1;
  }

  static int BioRead(BIO* bio, char* out, int capacity) {
    BIO_clear_retry_flags(bio);
    auto* transport = static_cast<DtlsTransport*>(BIO_get_data(bio));
    const int n = transport && capacity > 0 ? transport->BioRead(reinterpret_cast<uint8_t*>(out),
                                                                 static_cast<size_t>(capacity))
                                            : 0;
    if (n == 0) {
      BIO_set_retry_read(bio);
      return -1;
    }
    return n;
  }

  static int BioWrite(BIO* bio, const char* data, int len) {
    BIO_clear_retry_flags(bio);
    auto* transport = static_cast<DtlsTransport*>(BIO_get_data(bio));
    if (!transport || len < 0) return -1;
    transport->BioWrite(reinterpret_cast<const uint8_t*>(data), static_cast<size_t>(len));
    return len;
  }

  static long BioCtrl(BIO* bio, int cmd, long, void*) {
    auto* transport = static_cast<DtlsTransport*>(BIO_get_data(bio));
    switch (cmd) {
      case BIO_CTRL_FLUSH:
        return 1;
      case BIO_CTRL_PENDING:
        return transport ? static_cast<long>(transport->incoming_.size()) : 0;
      case BIO_CTRL_WPENDING:
        return 0;  // every write is a datagram of its own, sent whole
      case BIO_CTRL_DGRAM_QUERY_MTU:
      case BIO_CTRL_DGRAM_GET_FALLBACK_MTU:
        return transport ? static_cast<long>(transport->settings_.mtu) : 0;
      default:
        return 0;  // includes BIO_CTRL_DGRAM_GET_MTU_OVERHEAD: no header below DTLS's
    }
  }

  static BIO_METHOD* BioMethod() {
    static BIO_METHOD* method = [] {
      BIO_METHOD* m =
          BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "tributary DTLS datagrams");
      if (m == nullptr || BIO_meth_set_create(m, BioCreate) != 1 ||
          BIO_meth_set_read(m, BioRead) != 1 || BIO_meth_set_write(m, BioWrite) != 1 ||
          BIO_meth_set_ctrl(m, BioCtrl) != 1) {
        throw std::runtime_error("cannot create the DTLS BIO method");
      }
      return m;
    }();
    return method;
  }

  // Replaces OpenSSL's chain verification: WebRTC certificates are self-signed and are
  // authenticated by the SDP fingerprint alone (RFC 8827 6.5).
  static int VerifyCertificate(X509_STORE_CTX* store, void*) {
    auto* ssl =
        static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
    DtlsTransport* transport = FromSsl(ssl);
    X509* certificate = X509_STORE_CTX_get0_cert(store);
    if (!transport || !certificate) return 0;
    const int size = i2d_X509(certificate, nullptr);
    if (size <= 0) return 0;
    std::vector<uint8_t> der(static_cast<size_t>(size));  // once per handshake
    uint8_t* p = der.data();
    i2d_X509(certificate, &p);
    if (transport->VerifyPeerCertificate(der)) return 1;
    X509_STORE_CTX_set_error(store, X509_V_ERR_CERT_REJECTED);
    return 0;
  }

  static void Info(const SSL* ssl, int where, int value) {
    if ((where & SSL_CB_ALERT) == 0) return;
    DtlsTransport* transport = FromSsl(ssl);
    if (!transport) return;
    const bool fatal = (value >> 8) == SSL3_AL_FATAL;
    transport->OnAlert((where & SSL_CB_READ) != 0, fatal, SSL_alert_desc_string_long(value));
  }

  static unsigned int Timer(SSL* ssl, unsigned int previous_us) {
    DtlsTransport* transport = FromSsl(ssl);
    return transport ? transport->NextRetransmitUs(previous_us) : 1000000;
  }
};

// ---------------------------------------------------------------------------------------------
// Context

DtlsTransport::Context::Context(const DtlsCertificate& certificate)
    : Context(certificate, Options{}) {}

DtlsTransport::Context::Context(const DtlsCertificate& certificate, const Options& options)
    : local_fingerprint_(certificate.Sha256Fingerprint()) {
  DepOpenSsl::ClassInit();
  ERR_clear_error();
  auto fail = [this](const std::string& what) {
    const std::string detail = DepOpenSsl::DrainErrors();
    if (ssl_ctx_ != nullptr) SSL_CTX_free(ssl_ctx_);
    ssl_ctx_ = nullptr;
    throw std::runtime_error("DTLS context: " + what + (detail.empty() ? "" : ": " + detail));
  };

  ssl_ctx_ = SSL_CTX_new(DTLS_method());
  if (ssl_ctx_ == nullptr) fail("SSL_CTX_new failed");
  if (SSL_CTX_set_min_proto_version(ssl_ctx_, DTLS1_2_VERSION) != 1 ||
      SSL_CTX_set_max_proto_version(ssl_ctx_, DTLS1_2_VERSION) != 1) {
    fail("cannot restrict the context to DTLS 1.2");
  }

  const auto certificate_der = certificate.CertificateDer();
  const uint8_t* p = certificate_der.data();
  X509* x509 = d2i_X509(nullptr, &p, static_cast<long>(certificate_der.size()));
  if (x509 == nullptr) fail("the certificate does not decode");
  const int use_certificate = SSL_CTX_use_certificate(ssl_ctx_, x509);
  X509_free(x509);
  if (use_certificate != 1) fail("SSL_CTX_use_certificate refused the certificate");

  const auto key_der = certificate.PrivateKeyDer();
  p = key_der.data();
  EVP_PKEY* key = d2i_AutoPrivateKey(nullptr, &p, static_cast<long>(key_der.size()));
  if (key == nullptr) fail("the private key does not decode");
  const int use_key = SSL_CTX_use_PrivateKey(ssl_ctx_, key);
  EVP_PKEY_free(key);
  if (use_key != 1 || SSL_CTX_check_private_key(ssl_ctx_) != 1) {
    fail("the private key does not match the certificate");
  }

  SSL_CTX_set_options(ssl_ctx_, SSL_OP_NO_QUERY_MTU | SSL_OP_NO_TICKET | SSL_OP_NO_RENEGOTIATION |
                                    SSL_OP_NO_COMPRESSION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  SSL_CTX_set_session_cache_mode(ssl_ctx_, SSL_SESS_CACHE_OFF);
  if (SSL_CTX_set_cipher_list(ssl_ctx_, kCipherList) != 1) fail("no usable cipher suite");
  if (SSL_CTX_set1_groups_list(ssl_ctx_, kGroups) != 1) fail("no usable ECDHE group");

  // Both roles demand the peer's certificate; DtlsTransportCallbacks::VerifyCertificate checks
  // it against the SDP fingerprint.
  SSL_CTX_set_verify(ssl_ctx_, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
  SSL_CTX_set_cert_verify_callback(ssl_ctx_, DtlsTransportCallbacks::VerifyCertificate, nullptr);
  SSL_CTX_set_info_callback(ssl_ctx_, DtlsTransportCallbacks::Info);

  std::string profiles;
  for (SrtpProfile profile : options.srtp_profiles) {
    const char* name = OpenSslProfileName(profile);
    if (name == nullptr) fail("invalid SRTP profile in the context options");
    if (!profiles.empty()) profiles += ':';
    profiles += name;
  }
  if (profiles.empty()) fail("no SRTP profile given");
  // Returns 0 on success, unlike most of OpenSSL.
  if (SSL_CTX_set_tlsext_use_srtp(ssl_ctx_, profiles.c_str()) != 0) {
    fail("OpenSSL does not support the SRTP profiles " + profiles);
  }
}

DtlsTransport::Context::~Context() {
  if (ssl_ctx_ != nullptr) SSL_CTX_free(ssl_ctx_);
}

// ---------------------------------------------------------------------------------------------
// Transport

DtlsTransport::DtlsTransport(Context& context, Listener& listener)
    : DtlsTransport(context, listener, Settings{}) {}

DtlsTransport::DtlsTransport(Context& context, Listener& listener, const Settings& settings)
    : context_(context), listener_(listener), settings_(settings) {
  ERR_clear_error();
  ssl_ = SSL_new(context_.ssl_ctx_);
  if (ssl_ == nullptr) {
    throw std::runtime_error("DTLS: SSL_new failed: " + DepOpenSsl::DrainErrors());
  }
  SSL_set_app_data(ssl_, this);

  BIO* bio = BIO_new(DtlsTransportCallbacks::BioMethod());
  if (bio == nullptr) {
    SSL_free(ssl_);
    throw std::runtime_error("DTLS: BIO_new failed: " + DepOpenSsl::DrainErrors());
  }
  BIO_set_data(bio, this);
  SSL_set_bio(ssl_, bio, bio);  // one reference serves both directions

  if (SSL_set_mtu(ssl_, static_cast<long>(settings_.mtu)) <= 0) {
    SSL_free(ssl_);
    throw std::invalid_argument("DTLS: MTU " + std::to_string(settings_.mtu) +
                                " is below OpenSSL's minimum of 256");
  }
  DTLS_set_timer_cb(ssl_, DtlsTransportCallbacks::Timer);

  // The buffer grows to the largest handshake flight (a few kB) and keeps that capacity;
  // reserving more up front cost every session 8 KiB (docs/performance.md).
  outgoing_sizes_.reserve(32);
}

DtlsTransport::~DtlsTransport() {
  if (ssl_ != nullptr) SSL_free(ssl_);
}

void DtlsTransport::Start(Role role, const DtlsFingerprint& remote_fingerprint) {
  if (state_ != State::kNew) return;
  role_ = role;
  remote_fingerprint_ = remote_fingerprint;
  state_ = State::kConnecting;
  if (role == Role::kClient) {
    SSL_set_connect_state(ssl_);
    RunHandshake();  // the ClientHello
  } else {
    SSL_set_accept_state(ssl_);
  }
}

void DtlsTransport::ProcessDtlsData(std::span<const uint8_t> datagram) {
  if (state_ != State::kConnecting && state_ != State::kConnected) return;
  if (!DtlsRecord::IsWellFormedDatagram(datagram)) {
    ++malformed_datagrams_;
    return;
  }
  incoming_ = datagram;
  if (state_ == State::kConnecting) {
    RunHandshake();
  } else {
    ClaimBuffers();
    ReadApplicationData();
    ReleaseBuffers();
  }
  incoming_ = {};
}

bool DtlsTransport::SendApplicationData(std::span<const uint8_t> data) {
  if (state_ != State::kConnected || data.empty() || data.size() > kMaxRecordPlaintext) {
    return false;
  }
  ClaimBuffers();
  if (state_ != State::kConnected) return false;
  ERR_clear_error();
  const int written = SSL_write(ssl_, data.data(), static_cast<int>(data.size()));
  const int error = written > 0 ? SSL_ERROR_NONE : SSL_get_error(ssl_, written);
  FlushOutgoing();
  ReleaseBuffers();
  if (written > 0) return true;
  if (error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE) {
    FailFromSslError(error, "write");
  }
  return false;
}

std::optional<uint64_t> DtlsTransport::NextTimeoutMs() const {
  if (state_ != State::kConnecting) return std::nullopt;
  timeval left{};
  if (DTLSv1_get_timeout(ssl_, &left) != 1) return std::nullopt;
  return static_cast<uint64_t>(left.tv_sec) * 1000 +
         (static_cast<uint64_t>(left.tv_usec) + 999) / 1000;
}

void DtlsTransport::HandleTimeout() {
  if (state_ != State::kConnecting) return;
  ERR_clear_error();
  const int result = DTLSv1_handle_timeout(ssl_);
  FlushOutgoing();
  if (result < 0 && state_ == State::kConnecting) FailFromSslError(SSL_ERROR_SSL, "handshake");
}

void DtlsTransport::Close() {
  ClaimBuffers();
  if (state_ == State::kConnected) {
    ERR_clear_error();
    SSL_shutdown(ssl_);  // close_notify
    ERR_clear_error();
    FlushOutgoing();
  }
  // A handshake in progress has no close_notify to send (OpenSSL refuses a shutdown in init):
  // the peer notices by its own timers.
  if (state_ != State::kFailed) state_ = State::kClosed;
}

std::string_view DtlsTransport::StateName(State state) {
  switch (state) {
    case State::kNew:
      return "new";
    case State::kConnecting:
      return "connecting";
    case State::kConnected:
      return "connected";
    case State::kClosed:
      return "closed";
    case State::kFailed:
      return "failed";
  }
  return "unknown";
}

std::string_view DtlsTransport::RoleName(Role role) {
  return role == Role::kClient ? "client" : "server";
}

void DtlsTransport::RunHandshake() {
  ERR_clear_error();
  const int result = SSL_do_handshake(ssl_);
  const int error = result == 1 ? SSL_ERROR_NONE : SSL_get_error(ssl_, result);
  FlushOutgoing();
  if (state_ != State::kConnecting) return;
  if (result == 1) {
    OnHandshakeDone();
    return;
  }
  if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) return;
  FailFromSslError(error, "handshake");
}

void DtlsTransport::OnHandshakeDone() {
  if (!remote_fingerprint_verified_) {
    Fail("handshake completed without a verified peer certificate");
    return;
  }
  const SRTP_PROTECTION_PROFILE* selected = SSL_get_selected_srtp_profile(ssl_);
  const auto profile = selected ? SrtpProfileFromId(static_cast<uint16_t>(selected->id))
                                : std::optional<SrtpProfile>{};
  if (!profile) {
    ERR_clear_error();
    SSL_shutdown(ssl_);
    FlushOutgoing();
    Fail(selected ? "peer negotiated an unknown SRTP profile"
                  : "no SRTP profile in common (the peer offered none of ours in use_srtp)");
    return;
  }

  // RFC 5764 4.2: client key, server key, client salt, server salt.
  const size_t key_length = SrtpProfileMasterKeyLength(*profile);
  const size_t salt_length = SrtpProfileMasterSaltLength(*profile);
  std::array<uint8_t, 2 * kSrtpMaxKeyingMaterialLength> exported{};
  const size_t exported_length = 2 * (key_length + salt_length);
  ERR_clear_error();
  if (SSL_export_keying_material(ssl_, exported.data(), exported_length, kSrtpExporterLabel.data(),
                                 kSrtpExporterLabel.size(), nullptr, 0, 0) != 1) {
    Fail(JoinReasons({"cannot export the SRTP keying material", DepOpenSsl::DrainErrors()}));
    return;
  }
  std::array<uint8_t, kSrtpMaxKeyingMaterialLength> client{};
  std::array<uint8_t, kSrtpMaxKeyingMaterialLength> server{};
  std::memcpy(client.data(), exported.data(), key_length);
  std::memcpy(server.data(), exported.data() + key_length, key_length);
  std::memcpy(client.data() + key_length, exported.data() + 2 * key_length, salt_length);
  std::memcpy(server.data() + key_length, exported.data() + 2 * key_length + salt_length,
              salt_length);
  DepOpenSsl::Cleanse(exported);

  const std::span<const uint8_t> client_material(client.data(), key_length + salt_length);
  const std::span<const uint8_t> server_material(server.data(), key_length + salt_length);
  srtp_profile_ = *profile;
  state_ = State::kConnected;
  if (role_ == Role::kClient) {
    listener_.OnDtlsConnected(*this, *profile, client_material, server_material);
  } else {
    listener_.OnDtlsConnected(*this, *profile, server_material, client_material);
  }
  DepOpenSsl::Cleanse(client);
  DepOpenSsl::Cleanse(server);

  // Application data may have come in the same datagram as the last handshake message.
  if (state_ == State::kConnected) ReadApplicationData();
  ReleaseBuffers();
}

// Once keyed, a media session's DTLS carries at most an alert or a retransmitted flight, yet
// OpenSSL keeps a 16.5 KiB record read buffer and as much for writing per connection, even with
// SSL_MODE_RELEASE_BUFFERS (which DTLS ignores): half the memory of a viewer session
// (docs/performance.md). They are released between uses and claimed again before each one.
void DtlsTransport::ClaimBuffers() {
  if (state_ != State::kConnected) return;
  record_buffers_released_ = false;
  if (SSL_alloc_buffers(ssl_) != 1) Fail("cannot allocate the DTLS record buffers");
}

void DtlsTransport::ReleaseBuffers() {
  // Refused (0) while a record is half read or written; the next release frees them.
  if (state_ == State::kConnected) record_buffers_released_ = SSL_free_buffers(ssl_) == 1;
}

void DtlsTransport::ReadApplicationData() {
  // Decrypted application data, one record at a time, handed to the listener for the call
  // only: one buffer per thread rather than 16 KiB per session (docs/performance.md). The
  // listener does not read another transport from inside OnDtlsApplicationData.
  thread_local std::array<uint8_t, kMaxRecordPlaintext> read_buffer;
  while (state_ == State::kConnected) {
    ERR_clear_error();
    const int read = SSL_read(ssl_, read_buffer.data(), static_cast<int>(read_buffer.size()));
    const int error = read > 0 ? SSL_ERROR_NONE : SSL_get_error(ssl_, read);
    // Reading may answer the peer: a retransmitted final flight, or an alert.
    FlushOutgoing();
    if (read > 0) {
      listener_.OnDtlsApplicationData(*this, {read_buffer.data(), static_cast<size_t>(read)});
      continue;
    }
    switch (error) {
      case SSL_ERROR_WANT_READ:
      case SSL_ERROR_WANT_WRITE:
        return;
      case SSL_ERROR_ZERO_RETURN:
        // close_notify: answer with ours (RFC 5246 7.2.1).
        ERR_clear_error();
        SSL_shutdown(ssl_);
        ERR_clear_error();
        FlushOutgoing();
        state_ = State::kClosed;
        listener_.OnDtlsClosed(*this);
        return;
      default:
        FailFromSslError(error, "read");
        return;
    }
  }
}

void DtlsTransport::Fail(std::string reason) {
  if (state_ == State::kFailed || state_ == State::kClosed) return;
  state_ = State::kFailed;
  failure_reason_ = std::move(reason);
  listener_.OnDtlsFailed(*this, failure_reason_);
}

void DtlsTransport::FailFromSslError(int ssl_error, std::string_view during) {
  if (ERR_GET_REASON(ERR_peek_last_error()) == SSL_R_READ_TIMEOUT_EXPIRED) {
    ERR_clear_error();
    // The last timeout was counted by the timer callback, but OpenSSL gave up instead of resending.
    if (retransmissions_ > 0) --retransmissions_;
    Fail("DTLS handshake timed out after " + std::to_string(retransmissions_) + " retransmissions");
    return;
  }
  std::string detail = DepOpenSsl::DrainErrors();
  if (ssl_error == SSL_ERROR_ZERO_RETURN) detail = "the peer sent close_notify";
  if (detail.empty() && last_alert_.empty() && verify_failure_.empty()) {
    detail = "SSL error " + std::to_string(ssl_error);
  }
  Fail(JoinReasons(
      {"DTLS " + std::string(during) + " failed", verify_failure_, last_alert_, detail}));
}

void DtlsTransport::FlushOutgoing() {
  // A listener that sends application data from OnDtlsSendData lands here again: the outer
  // loop delivers what that appends, in order.
  if (flushing_ || outgoing_sizes_.empty()) return;
  flushing_ = true;
  size_t offset = 0;
  for (size_t i = 0; i < outgoing_sizes_.size(); ++i) {
    const size_t size = outgoing_sizes_[i];
    listener_.OnDtlsSendData(*this, {outgoing_.data() + offset, size});
    offset += size;
  }
  outgoing_.clear();
  outgoing_sizes_.clear();
  flushing_ = false;
}

int DtlsTransport::BioRead(uint8_t* out, size_t capacity) {
  if (incoming_.empty()) return 0;
  // One datagram per read, as a datagram socket returns it (a short buffer truncates it).
  const size_t n = std::min(capacity, incoming_.size());
  std::memcpy(out, incoming_.data(), n);
  incoming_ = {};
  return static_cast<int>(n);
}

void DtlsTransport::BioWrite(const uint8_t* data, size_t len) {
  outgoing_.insert(outgoing_.end(), data, data + len);
  outgoing_sizes_.push_back(len);
}

bool DtlsTransport::VerifyPeerCertificate(std::span<const uint8_t> certificate_der) {
  if (!remote_fingerprint_) {
    verify_failure_ = "no remote fingerprint to check the peer certificate against";
    return false;
  }
  if (remote_fingerprint_->Matches(certificate_der)) {
    remote_fingerprint_verified_ = true;
    return true;
  }
  const auto actual =
      DtlsFingerprint::OfCertificate(remote_fingerprint_->GetAlgorithm(), certificate_der);
  verify_failure_ = "peer certificate does not match the remote SDP fingerprint (expected " +
                    remote_fingerprint_->ToString() + ", got " + actual.ToString() + ")";
  return false;
}

void DtlsTransport::OnAlert(bool received, bool fatal, std::string_view description) {
  if (!fatal) return;  // close_notify is handled through SSL_ERROR_ZERO_RETURN
  last_alert_ = std::string(received ? "received" : "sent") + " fatal alert \"" +
                std::string(description) + "\"";
}

unsigned int DtlsTransport::NextRetransmitUs(unsigned int previous_us) {
  // OpenSSL asks with 0 when a flight starts its timer, and with the last duration each time a
  // timeout fires (whether through HandleTimeout() or inside a read): a retransmission.
  if (previous_us != 0) ++retransmissions_;
  const uint64_t floor = static_cast<uint64_t>(kMinRetransmitMs) * 1000;
  const uint64_t initial =
      std::max<uint64_t>(static_cast<uint64_t>(settings_.initial_retransmit_ms) * 1000, floor);
  const uint64_t max =
      std::max<uint64_t>(static_cast<uint64_t>(settings_.max_retransmit_ms) * 1000, initial);
  const uint64_t next = previous_us == 0 ? initial : std::min<uint64_t>(2ull * previous_us, max);
  return static_cast<unsigned int>(next);
}

}  // namespace tributary::rtc
