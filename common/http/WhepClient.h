#pragma once

// Plays a stream from a WHEP endpoint into a media worker: a client-role IngestSession offers
// to receive audio and video (Options::audio / video, the codecs this project forwards) and
// feeds Options::local_key's stream, whose producers generate NACKs and receiver reports toward
// the server, recover retransmissions and detect keyframes, as they do for any publisher. An
// edge pulling a stream from an origin and tributary-whep use it. A 409 with Retry-After (no
// publisher yet) fails the start with ClientError::kNotLive and the delay: Start() again later
// to wait for the stream. See MediaSessionClient for the sequence, the threads and the errors.

#include <string>
#include <utility>

#include "http/MediaSessionClient.h"

namespace tributary::http {

class WhepClient final : public MediaSessionClient {
 public:
  WhepClient(boost::asio::io_context& io, net::HttpClient& http, sfu::MediaWorker& worker,
             ClientSessionDispatcher& dispatcher, std::string endpoint_url, Options options)
      : MediaSessionClient(Direction::kReceive, io, http, worker, dispatcher,
                           std::move(endpoint_url), std::move(options)) {}
};

}  // namespace tributary::http
