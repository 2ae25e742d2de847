#include "sfu/SessionAnswerer.h"

#include <algorithm>
#include <exception>

#include "base/Clock.h"
#include "rtc/RtpExtensionKind.h"
#include "rtc/SdpAnswerer.h"

namespace tributary::sfu {

namespace {

SessionAnswer Fail(SessionAnswer::Status status, std::string reason) {
  SessionAnswer answer;
  answer.status = status;
  answer.reason = std::move(reason);
  return answer;
}

SessionAnswer Unavailable(const MediaWorker& worker) {
  return Fail(SessionAnswer::Status::kUnavailable,
              "media worker " + std::to_string(worker.Index()) + " is at its limit of " +
                  std::to_string(worker.GetOptions().max_sessions) + " sessions");
}

// Answers with `options` (the session's transport filled in here) and starts the session;
// discards it on failure.
SessionAnswer AnswerAndStart(MediaWorker& worker, Session& session,
                             const SessionAnswerRequest& request, rtc::SdpAnswerOptions options) {
  options.transport = session.LocalSdpTransport();
  options.setup = rtc::SdpSetup::kPassive;
  options.origin_address = request.origin_address;
  options.accept_data_channels = false;  // no SCTP yet: such sections are rejected
  std::string error;
  auto negotiation = rtc::SdpAnswerer::Answer(request.offer, options, error);
  if (!negotiation) {
    worker.DiscardSession(session.Id());
    return Fail(SessionAnswer::Status::kBadOffer, error);
  }
  if (!session.Start(*negotiation, base::NowMs(), error)) {
    worker.DiscardSession(session.Id());
    return Fail(SessionAnswer::Status::kBadOffer, error);
  }
  SessionAnswer answer;
  answer.answer_sdp = std::move(negotiation->local_sdp);
  answer.ice_ufrag = session.LocalUfrag();
  return answer;
}

}  // namespace

SessionAnswer SessionAnswerer::AnswerPublish(MediaWorker& worker,
                                             const SessionAnswerRequest& request) {
  if (worker.AtCapacity()) return Unavailable(worker);
  const Stream* stream = worker.GetRouter().FindStream(request.info.key);
  if (stream != nullptr && stream->GetState() == Stream::State::kLive) {
    return Fail(SessionAnswer::Status::kConflict, "stream " + request.info.key.app + "/" +
                                                      request.info.key.stream +
                                                      " is already being published");
  }
  Session* session = nullptr;
  try {
    session = &worker.CreateIngestSession(request.info, Session::Role::kServer);
  } catch (const std::exception& e) {
    return Fail(SessionAnswer::Status::kUnavailable, e.what());
  }
  rtc::SdpAnswerOptions options;
  options.direction = rtc::SdpDirection::kRecvOnly;
  options.allowed_codecs = request.allowed_codecs;
  SessionAnswer answer = AnswerAndStart(worker, *session, request, std::move(options));
  if (answer.status == SessionAnswer::Status::kCreated && request.max_bitrate_bps != 0)
    static_cast<IngestSession*>(session)->SetBitrateLimit(request.max_bitrate_bps);
  return answer;
}

SessionAnswer SessionAnswerer::AnswerPlay(MediaWorker& worker,
                                          const SessionAnswerRequest& request) {
  if (worker.AtCapacity()) return Unavailable(worker);
  const Stream* stream = worker.GetRouter().FindStream(request.info.key);
  const bool live =
      stream != nullptr && stream->ProducerCount() > 0 &&
      (stream->GetState() == Stream::State::kLive || stream->GetState() == Stream::State::kGrace);
  if (!live) {
    return Fail(SessionAnswer::Status::kNotLive, "stream " + request.info.key.app + "/" +
                                                     request.info.key.stream +
                                                     " is not live here (yet)");
  }
  EgressSession* session = nullptr;
  try {
    session = &worker.CreateEgressSession(request.info, Session::Role::kServer);
  } catch (const std::exception& e) {
    return Fail(SessionAnswer::Status::kUnavailable, e.what());
  }
  rtc::SdpAnswerOptions options;
  options.direction = rtc::SdpDirection::kSendOnly;
  options.codecs = session->ProducerCodecs();
  options.tracks = session->LocalTracks();
  std::erase_if(options.header_extensions, [](const rtc::SdpHeaderExtensionCapability& e) {
    return rtc::RtpExtensionKindFromUri(e.uri) == rtc::RtpExtensionKind::kTransportWideCc;
  });
  return AnswerAndStart(worker, *session, request, std::move(options));
}

}  // namespace tributary::sfu
