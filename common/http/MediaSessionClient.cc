#include "http/MediaSessionClient.h"

#include <stdexcept>
#include <utility>

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>

#include "base/Clock.h"
#include "base/Random.h"
#include "rtc/SdpFragment.h"
#include "rtc/SdpOfferer.h"
#include "rtc/SdpParser.h"
#include "rtc/SdpWriter.h"
#include "sfu/EgressSession.h"
#include "sfu/IngestSession.h"

namespace tributary::http {

namespace {

using Event = ClientSessionDispatcher::Event;

std::chrono::microseconds Since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() -
                                                               start);
}

std::string Rejections(const rtc::SdpNegotiation& negotiation) {
  std::string out;
  for (const auto& media : negotiation.media) {
    if (media.accepted) continue;
    if (!out.empty()) out += "; ";
    out += "mid " + media.mid + " (" + std::string(rtc::ToString(media.kind)) +
           "): " + (media.rejection.empty() ? std::string("rejected") : media.rejection);
  }
  return out;
}

}  // namespace

struct MediaSessionClient::Offer {
  std::string session_id;
  rtc::SessionDescription description;
  std::string sdp;
};

struct MediaSessionClient::Handle {
  boost::asio::io_context* io;
  std::weak_ptr<bool> alive;
  MediaSessionClient* client;

  // Runs fn(client) on the client's io_context unless the client is gone by then.
  template <typename F>
  void Post(F&& fn) const {
    boost::asio::post(*io, [alive = alive, client = client, fn = std::forward<F>(fn)]() mutable {
      if (alive.expired()) return;
      fn(*client);
    });
  }
};

MediaSessionClient::MediaSessionClient(Direction direction, boost::asio::io_context& io,
                                       net::HttpClient& http, sfu::MediaWorker& worker,
                                       ClientSessionDispatcher& dispatcher, std::string url,
                                       Options options)
    : direction_(direction),
      io_(io),
      http_(http),
      worker_(worker),
      dispatcher_(dispatcher),
      url_(std::move(url)),
      options_(std::move(options)),
      connect_timer_(io) {}

MediaSessionClient::~MediaSessionClient() {
  alive_.reset();
  if (state_ == State::kPreparing || state_ == State::kOffering || state_ == State::kConnecting ||
      state_ == State::kConnected) {
    CloseSessionOnWorker(session_id_);
  }
}

MediaSessionClient::Handle MediaSessionClient::MakeHandle() {
  return Handle{&io_, alive_, this};
}

std::string_view MediaSessionClient::StateName(State state) {
  switch (state) {
    case State::kIdle:
      return "idle";
    case State::kPreparing:
      return "preparing";
    case State::kOffering:
      return "offering";
    case State::kConnecting:
      return "connecting";
    case State::kConnected:
      return "connected";
    case State::kClosing:
      return "closing";
    case State::kClosed:
      return "closed";
    case State::kFailed:
      return "failed";
  }
  return "unknown";
}

std::string MediaSessionClient::ResourceUrl() const {
  return signaling_ && signaling_->HasResource() ? signaling_->ResourceUrl() : std::string();
}

void MediaSessionClient::Start(DoneCallback on_connected) {
  if (state_ != State::kIdle && state_ != State::kClosed && state_ != State::kFailed) {
    throw std::logic_error("MediaSessionClient::Start while " + std::string(StateName(state_)));
  }
  const uint64_t attempt = ++attempt_;
  if (options_.session_id.empty()) {
    session_id_ = "client-" + base::RandomHex(8);
  } else {
    session_id_ =
        attempt == 1 ? options_.session_id : options_.session_id + "-" + std::to_string(attempt);
  }
  state_ = State::kPreparing;
  on_connected_ = std::move(on_connected);
  last_error_ = {};
  last_offer_ = {};
  timing_ = {};
  offer_.reset();
  started_at_ = std::chrono::steady_clock::now();
  signaling_ = std::make_unique<WhipWhepSignaling>(http_, url_, options_.signaling);

  connect_timer_.expires_after(options_.connect_timeout);
  connect_timer_.async_wait([handle = MakeHandle(), attempt](boost::system::error_code ec) {
    if (ec) return;
    handle.Post([attempt](MediaSessionClient& client) {
      if (attempt != client.attempt_) return;
      const State state = client.state_;
      if (state != State::kPreparing && state != State::kOffering && state != State::kConnecting) {
        return;
      }
      const std::string what = "not connected within " +
                               std::to_string(client.options_.connect_timeout.count()) +
                               " ms (still " + std::string(StateName(state)) + ")";
      client.Fail(ClientError::Make(
          state == State::kConnecting ? ClientError::Kind::kTransport : ClientError::Kind::kNetwork,
          what));
    });
  });

  // 1. On the worker: the session and the offer.
  worker_.Post([handle = MakeHandle(), attempt, direction = direction_, id = session_id_,
                key = options_.local_key, audio = options_.audio, video = options_.video,
                worker = &worker_, dispatcher = &dispatcher_]() {
    auto fail = [&](std::string why) {
      handle.Post([attempt, why = std::move(why)](MediaSessionClient& client) {
        if (attempt == client.attempt_) {
          client.Fail(ClientError::Make(ClientError::Kind::kSession, why));
        }
      });
    };
    sfu::Session* session = nullptr;
    std::vector<rtc::SdpOfferSection> sections;
    try {
      sfu::SessionInfo info{id, key};
      if (direction == Direction::kSend) {
        sfu::EgressSession& egress = worker->CreateEgressSession(info, sfu::Session::Role::kClient);
        sections = egress.OfferSections();
        session = &egress;
      } else {
        sfu::IngestSession& ingest = worker->CreateIngestSession(info, sfu::Session::Role::kClient);
        for (auto& section : sfu::IngestSession::ReceiveOfferSections()) {
          if ((section.kind == rtc::MediaKind::kAudio && audio) ||
              (section.kind == rtc::MediaKind::kVideo && video)) {
            sections.push_back(std::move(section));
          }
        }
        session = &ingest;
      }
    } catch (const std::exception& e) {
      return fail(std::string("cannot create the session on the media worker: ") + e.what());
    }
    if (sections.empty()) {
      worker->DiscardSession(id);
      return fail(direction == Direction::kSend
                      ? "the local stream " + key.ToString() + " has no track to send"
                      : std::string("neither audio nor video was asked for"));
    }
    rtc::SdpOfferOptions offer_options;
    session->FillOfferTransport(offer_options);
    offer_options.sections = std::move(sections);
    auto offer = std::make_shared<Offer>();
    offer->session_id = id;
    offer->description = rtc::SdpOfferer::BuildOffer(offer_options);
    offer->sdp = rtc::SdpWriter::Write(offer->description);
    dispatcher->Register(id, [handle, attempt](Event event, sfu::Session& s) {
      std::string detail;
      if (event == Event::kClosed) {
        detail = std::string(sfu::ToString(s.GetCloseReason()));
        if (!s.GetCloseDetail().empty()) detail += ": " + s.GetCloseDetail();
      }
      handle.Post([attempt, event, detail = std::move(detail)](MediaSessionClient& client) {
        client.OnSessionEvent(attempt, event, detail);
      });
    });
    handle.Post(
        [attempt, offer](MediaSessionClient& client) { client.OnOfferBuilt(attempt, offer); });
  });
}

void MediaSessionClient::OnOfferBuilt(uint64_t attempt, std::shared_ptr<Offer> offer) {
  if (attempt != attempt_ || state_ != State::kPreparing) {
    CloseSessionOnWorker(offer->session_id);  // closed or restarted meanwhile
    return;
  }
  offer_ = offer;
  state_ = State::kOffering;
  // 2. POST.
  signaling_->PostOffer(offer->sdp, [this, attempt, offer](WhipWhepSignaling::OfferResult result) {
    OnAnswer(attempt, offer, std::move(result));
  });
}

void MediaSessionClient::OnAnswer(uint64_t attempt, std::shared_ptr<Offer> offer,
                                  WhipWhepSignaling::OfferResult result) {
  if (attempt != attempt_) return;
  if (state_ != State::kOffering) {
    if (result.error.Ok()) DeleteResourceQuietly();  // closed while the POST was in flight
    return;
  }
  timing_.answered = Since(started_at_);
  last_offer_ = result;
  if (!result.error.Ok()) return Fail(std::move(result.error));

  // 3. The answer.
  std::string error;
  auto answer = rtc::SdpParser::Parse(result.answer_sdp, error);
  if (!answer) {
    return Fail(ClientError::Make(
        ClientError::Kind::kSdpRejected,
        "the answer from " + result.endpoint_url + " does not parse: " + error, result.status));
  }
  if (options_.answer_filter) options_.answer_filter(*answer);
  auto negotiation = rtc::SdpOfferer::ApplyAnswer(offer->description, *answer, error);
  if (!negotiation) {
    return Fail(ClientError::Make(
        ClientError::Kind::kSdpRejected,
        "the answer from " + result.endpoint_url + " does not fit our offer: " + error,
        result.status));
  }
  if (negotiation->AcceptedCount() == 0) {
    return Fail(ClientError::Make(
        ClientError::Kind::kSdpRejected,
        "the server accepted none of the offered sections: " + Rejections(*negotiation),
        result.status));
  }
  state_ = State::kConnecting;

  // 4. On the worker: start the session.
  auto shared_negotiation = std::make_shared<rtc::SdpNegotiation>(std::move(*negotiation));
  worker_.Post([handle = MakeHandle(), attempt, id = offer->session_id, worker = &worker_,
                dispatcher = &dispatcher_, negotiation = std::move(shared_negotiation),
                on_started = options_.on_started]() {
    std::string error;
    sfu::Session* session = worker->FindSession(id);
    if (session == nullptr) {
      error = "the session ended before it could start";
    } else if (!session->Start(*negotiation, base::NowMs(), error)) {
      dispatcher->Unregister(id, false);
      worker->DiscardSession(id);
    } else if (on_started) {
      on_started(*session);
    }
    handle.Post([attempt, error = std::move(error)](MediaSessionClient& client) {
      client.OnStartedOnWorker(attempt, error);
    });
  });
}

void MediaSessionClient::OnStartedOnWorker(uint64_t attempt, const std::string& error) {
  if (attempt != attempt_ || error.empty() || state_ != State::kConnecting) return;
  Fail(ClientError::Make(ClientError::Kind::kSession,
                         "the negotiated session cannot start: " + error));
}

void MediaSessionClient::OnSessionEvent(uint64_t attempt, Event event, const std::string& detail) {
  if (attempt != attempt_) return;
  if (event == Event::kConnected) {
    if (state_ != State::kConnecting) return;
    state_ = State::kConnected;
    timing_.connected = Since(started_at_);
    connect_timer_.cancel();
    ReportConnected(ClientError());
    return;
  }
  // Closed: the session is gone from the worker.
  switch (state_) {
    case State::kPreparing:
    case State::kOffering:
    case State::kConnecting:
      Fail(ClientError::Make(ClientError::Kind::kTransport,
                             "the session closed before it connected: " + detail));
      return;
    case State::kConnected: {
      state_ = State::kClosed;
      last_error_ = ClientError::Make(ClientError::Kind::kClosed, "the session ended: " + detail);
      spdlog::info("{} client session {} to {} ended: {}",
                   direction_ == Direction::kSend ? "WHIP" : "WHEP", session_id_, url_, detail);
      DeleteResourceQuietly();
      if (options_.on_ended) options_.on_ended(last_error_);
      return;
    }
    default:
      return;
  }
}

void MediaSessionClient::Fail(ClientError error) {
  if (state_ == State::kClosing || state_ == State::kClosed || state_ == State::kFailed) return;
  state_ = State::kFailed;
  last_error_ = error;
  connect_timer_.cancel();
  CloseSessionOnWorker(session_id_);
  DeleteResourceQuietly();
  if (on_connected_) {
    ReportConnected(last_error_);
  } else if (options_.on_ended) {
    options_.on_ended(last_error_);
  }
}

void MediaSessionClient::ReportConnected(const ClientError& error) {
  DoneCallback callback = std::move(on_connected_);
  on_connected_ = nullptr;
  if (callback) callback(error);
}

void MediaSessionClient::CloseSessionOnWorker(const std::string& id) {
  worker_.Post([id, worker = &worker_, dispatcher = &dispatcher_]() {
    const bool exists = worker->FindSession(id) != nullptr;
    dispatcher->Unregister(id, exists);
    if (exists) worker->CloseSession(id, sfu::SessionCloseReason::kDeleted, "closed by the client");
  });
}

void MediaSessionClient::DeleteResourceQuietly() {
  if (!signaling_ || !signaling_->HasResource()) return;
  signaling_->Delete([url = url_](WhipWhepSignaling::DeleteResult result) {
    if (!result.error.Ok()) {
      spdlog::warn("client of {}: deleting the resource failed: {}", url, result.error.ToString());
    }
  });
}

void MediaSessionClient::Close(DoneCallback done) {
  const State previous = state_;
  if (previous == State::kClosing) {
    throw std::logic_error("MediaSessionClient::Close while closing");
  }
  state_ = State::kClosing;
  connect_timer_.cancel();
  on_connected_ = nullptr;
  if (previous == State::kPreparing || previous == State::kOffering ||
      previous == State::kConnecting || previous == State::kConnected) {
    CloseSessionOnWorker(session_id_);
  }
  if (signaling_ && signaling_->HasResource()) {
    signaling_->Delete([this, done = std::move(done)](WhipWhepSignaling::DeleteResult result) {
      if (state_ == State::kClosing) state_ = State::kClosed;
      if (done) done(result.error);
    });
    return;
  }
  boost::asio::post(io_, [handle = MakeHandle(), done = std::move(done)]() {
    if (handle.alive.expired()) return;
    MediaSessionClient& client = *handle.client;
    if (client.state_ == State::kClosing) client.state_ = State::kClosed;
    if (done) done(ClientError());
  });
}

void MediaSessionClient::RestartIce(DoneCallback done) {
  if (state_ != State::kConnected || !signaling_ || !signaling_->HasResource() || !offer_) {
    boost::asio::post(io_, [handle = MakeHandle(), done = std::move(done)]() {
      if (!handle.alive.expired() && done) {
        done(ClientError::Make(ClientError::Kind::kCancelled,
                               "an ICE restart needs a connected session"));
      }
    });
    return;
  }
  const uint64_t attempt = attempt_;
  // On the worker: new local credentials, and the fragment that carries them.
  worker_.Post([handle = MakeHandle(), attempt, id = session_id_, worker = &worker_,
                done]() mutable {
    sfu::Session* session = worker->FindSession(id);
    std::string error = "the session is gone";
    std::optional<std::string> fragment;
    if (session != nullptr) fragment = session->RequestIceRestart(error);
    handle.Post([attempt, fragment = std::move(fragment), error = std::move(error),
                 done = std::move(done)](MediaSessionClient& client) mutable {
      if (!fragment) {
        return done(ClientError::Make(ClientError::Kind::kSession, "cannot restart ICE: " + error));
      }
      if (attempt != client.attempt_ || client.state_ != State::kConnected ||
          !client.signaling_->HasResource()) {
        return done(ClientError::Make(ClientError::Kind::kCancelled, "the session ended"));
      }
      // PATCH, then the server's new credentials to the session.
      client.signaling_->Patch(*fragment, [&client, done = std::move(done)](
                                              WhipWhepSignaling::PatchResult result) mutable {
        if (!result.error.Ok()) return done(result.error);
        std::string error;
        auto answer = rtc::SdpParser::ParseFragment(result.fragment, error);
        if (!answer) {
          return done(ClientError::Make(
              ClientError::Kind::kBadResponse,
              "the ICE restart's answer is no usable fragment" +
                  (result.fragment.empty() ? std::string(" (empty)") : ": " + error),
              result.status));
        }
        client.worker_.Post([handle = client.MakeHandle(), id = client.session_id_,
                             worker = &client.worker_, answer = std::move(*answer),
                             done = std::move(done)]() mutable {
          sfu::Session* session = worker->FindSession(id);
          std::string error = "the session is gone";
          const bool applied = session != nullptr && session->ApplyIceRestartAnswer(answer, error);
          handle.Post(
              [applied, error = std::move(error), done = std::move(done)](MediaSessionClient&) {
                done(applied ? ClientError()
                             : ClientError::Make(ClientError::Kind::kBadResponse,
                                                 "the ICE restart's answer: " + error));
              });
        });
      });
    });
  });
}

}  // namespace tributary::http
