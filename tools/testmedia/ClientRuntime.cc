#include "testmedia/ClientRuntime.h"

#include <csignal>
#include <cstdio>
#include <stdexcept>

#include "net/Endpoint.h"

namespace tributary::testmedia {

ClientRuntime::ClientRuntime(Options options)
    : options_(std::move(options)), certificate_(rtc::DtlsCertificate::Generate()) {
  rtc::DtlsTransport::Context::Options dtls;
  if (!options_.srtp_profiles.empty()) dtls.srtp_profiles = options_.srtp_profiles;
  dtls_ = std::make_unique<rtc::DtlsTransport::Context>(certificate_, dtls);
  const auto bind = net::Endpoint::Parse(options_.bind_ip, 0);
  if (!bind) throw std::runtime_error("--bind: '" + options_.bind_ip + "' is not an IP address");
  sfu::MediaWorkerOptions worker;
  worker.bind = *bind;
  worker.session.client_bind = *bind;
  worker.session.transport.connect_timeout_ms = options_.connect_timeout_ms;
  worker.session.transport.consent_timeout_ms = options_.consent_timeout_ms;
  worker.session.transport.ice_client.consent_interval_ms = options_.consent_interval_ms;
  worker.stream.producer.cache.max_age_ms = options_.packet_cache_ms;
  worker.stream.producer.nack.max_age_ms = options_.packet_cache_ms;
  worker.stream.producer.keyframe_throttle_ms = options_.keyframe_throttle_ms;
  try {
    worker_ = std::make_unique<sfu::MediaWorker>(worker, *dtls_, &dispatcher_);
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot open a UDP socket on " + bind->ToString() + ": " + e.what());
  }
}

ClientRuntime::~ClientRuntime() {
  if (worker_) worker_->Stop();
}

int ClientRuntime::Run(std::function<void()> start, std::function<void()> on_signal,
                       std::function<void()> stop) {
  worker_->Start();
  worker_->Post([this, start = std::move(start), on_signal = std::move(on_signal)]() {
    net::HttpClient::Options http;
    http.verify_peer = options_.verify_tls;
    http.ca_file = options_.ca_file;
    try {
      http_ = std::make_unique<net::HttpClient>(Io(), http);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "%s\n", e.what());
      return Finish(2);
    }
    signals_ = std::make_unique<boost::asio::signal_set>(Io(), SIGINT, SIGTERM);
    on_signal_ = on_signal;
    WaitForSignal();
    start();
  });
  const int code = finished_.get_future().get();
  std::promise<void> stopped;
  worker_->Post([&]() {
    if (stop) stop();
    // Handlers that completed before stop() ran (a timer that had just expired) are queued
    // already, with a success code: they run before the teardown queued behind them.
    worker_->Post([&]() {
      signals_.reset();
      http_.reset();
      stopped.set_value();
    });
  });
  stopped.get_future().get();
  worker_->Stop();
  return code;
}

void ClientRuntime::WaitForSignal() {
  signals_->async_wait([this](boost::system::error_code ec, int) {
    if (ec || !signals_) return;
    if (++signals_seen_ == 1 && on_signal_) {
      on_signal_();
    } else {
      Finish(130);
    }
    if (signals_) WaitForSignal();
  });
}

void ClientRuntime::Finish(int exit_code) {
  if (finish_called_) return;
  finish_called_ = true;
  finished_.set_value(exit_code);
}

}  // namespace tributary::testmedia
