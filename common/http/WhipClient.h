#pragma once

// Publishes a stream of a media worker to a WHIP endpoint (RFC 9725): the tracks of
// Options::local_key's stream (its producers) go out through a client-role EgressSession, one
// Consumer per track, which answers the server's NACKs from the producers' packet caches and
// passes its PLI/FIR to them. An edge pushing a publisher upstream and tributary-whip use it.
// See MediaSessionClient for the sequence, the threads and the errors.
//
//   http::WhipClient::Options options;
//   options.local_key = {"demo", "live", "cam"};   // a stream on `worker` with producers
//   options.signaling.bearer_token = token;
//   http::WhipClient whip(io, http, worker, dispatcher, "http://o1:8101/whip/live/cam", options);
//   whip.Start([&](const http::ClientError& error) { ... });
//   ...
//   whip.Close([&](const http::ClientError&) { ... });

#include <string>
#include <utility>

#include "http/MediaSessionClient.h"

namespace tributary::http {

class WhipClient final : public MediaSessionClient {
 public:
  WhipClient(boost::asio::io_context& io, net::HttpClient& http, sfu::MediaWorker& worker,
             ClientSessionDispatcher& dispatcher, std::string endpoint_url, Options options)
      : MediaSessionClient(Direction::kSend, io, http, worker, dispatcher, std::move(endpoint_url),
                           std::move(options)) {}
};

}  // namespace tributary::http
