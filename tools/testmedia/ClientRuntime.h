#pragma once

// The process around a WHIP/WHEP command-line client (tributary-whip, tributary-whep, load
// generators): a DTLS certificate and context, one MediaWorker whose thread runs everything (the
// tool's timers, the HTTP client, the WhipClient/WhepClient and its session), the session
// dispatcher in front of the worker, and SIGINT/SIGTERM.
//
//   ClientRuntime runtime(options);
//   return runtime.Run([&] { ...start, on the worker thread... },
//                      [&] { ...first SIGINT/SIGTERM: wind down, then Finish(code)... },
//                      [&] { ...after Finish: destroy what lives on the worker thread... });

#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>

#include "http/ClientSessionDispatcher.h"
#include "net/HttpClient.h"
#include "rtc/DtlsCertificate.h"
#include "rtc/DtlsTransport.h"
#include "rtc/SrtpProfile.h"
#include "sfu/MediaWorker.h"

namespace tributary::testmedia {

struct ClientRuntimeOptions {
  std::string bind_ip = "127.0.0.1";  // where client sessions bind their UDP sockets
  bool verify_tls = true;             // https: verify the server's certificate
  std::string ca_file;                // PEM; empty: the system's CAs
  uint32_t connect_timeout_ms = 10000;
  uint32_t consent_timeout_ms = 30000;
  // ICE consent checks toward the server (RFC 7675 suggests 5 s): every second, so that a
  // server configured with a short consent timeout (as tests do, to notice a vanished peer
  // quickly) never expires a live client.
  uint32_t consent_interval_ms = 1000;
  uint32_t packet_cache_ms = 1000;
  uint32_t keyframe_throttle_ms = 200;
  // The SRTP profiles the DTLS handshake offers, in order of preference; empty: the library's
  // default (AEAD_AES_128_GCM, then AES_CM_128_HMAC_SHA1_80). A load generator offers one to
  // measure the server with that profile.
  std::vector<rtc::SrtpProfile> srtp_profiles;
};

class ClientRuntime {
 public:
  using Options = ClientRuntimeOptions;

  // Throws std::runtime_error (certificate, socket) with the reason.
  explicit ClientRuntime(Options options);
  ~ClientRuntime();
  ClientRuntime(const ClientRuntime&) = delete;
  ClientRuntime& operator=(const ClientRuntime&) = delete;

  // Runs `start` on the worker thread and waits for Finish(); the first SIGINT/SIGTERM runs
  // `on_signal` there (a second one finishes with 130). Then `stop` runs there, then (in a
  // handler of its own, after whatever `stop` queued) the HTTP client goes, and the worker stops
  // (closing what sessions are left). Returns Finish's code.
  int Run(std::function<void()> start, std::function<void()> on_signal, std::function<void()> stop);
  // Run() for a tool's App, made on the worker thread as App(*this, args...) and driven through
  // its Start(), Interrupt() (first signal) and Stop(), then destroyed there.
  template <typename App, typename... Args>
  int RunApp(const Args&... args) {
    std::unique_ptr<App> app;
    return Run(
        [&] {
          app = std::make_unique<App>(*this, args...);
          app->Start();
        },
        [&] {
          if (app) app->Interrupt();
        },
        [&] {
          if (!app) return;
          app->Stop();
          // Destroyed behind the handlers already queued (a timer that expired just before
          // Stop()), which would otherwise run on a destroyed App; Run() waits for it.
          boost::asio::post(Io(), [&app] { app.reset(); });
        });
  }
  // Worker thread (or any): Run() returns `exit_code`. Only the first call counts.
  void Finish(int exit_code);

  sfu::MediaWorker& Worker() { return *worker_; }
  boost::asio::io_context& Io() { return worker_->Context(); }
  http::ClientSessionDispatcher& Dispatcher() { return dispatcher_; }
  // Worker thread, during Run().
  net::HttpClient& Http() { return *http_; }

 private:
  void WaitForSignal();

  Options options_;
  rtc::DtlsCertificate certificate_;
  std::unique_ptr<rtc::DtlsTransport::Context> dtls_;
  http::ClientSessionDispatcher dispatcher_;
  std::unique_ptr<sfu::MediaWorker> worker_;
  std::unique_ptr<net::HttpClient> http_;
  std::unique_ptr<boost::asio::signal_set> signals_;
  std::function<void()> on_signal_;
  std::promise<int> finished_;
  bool finish_called_ = false;
  int signals_seen_ = 0;
};

}  // namespace tributary::testmedia
