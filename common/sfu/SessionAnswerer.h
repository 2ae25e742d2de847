#pragma once

// The server side of a WHIP publish or a WHEP play, on the stream's home worker: makes the
// session, answers the client's offer with the session's ICE/DTLS parameters (SdpAnswerer) and
// starts it, in one step on the worker thread, so that the check for a live stream (or for a
// publisher already there) and the session's creation cannot be separated by another request.
//
//   publish: recvonly; the vhost's allowed codecs; every header extension we know, the
//            publisher's ids; 409-style conflict when the stream is live here already.
//   play:    sendonly; the stream's producers' codecs as the only choices (the viewer's payload
//            types are used), our SSRCs; no transport-cc (negotiated with publishers only);
//            "not live" when the stream has no producers here.
// A bad offer (or one without a codec in common) gets the SDP layer's reason.

#include <string>
#include <vector>

#include "rtc/SessionDescription.h"
#include "sfu/MediaWorker.h"
#include "sfu/Session.h"

namespace tributary::sfu {

struct SessionAnswerRequest {
  SessionInfo info;
  rtc::SessionDescription offer;
  std::vector<std::string> allowed_codecs;   // codec names (any case); empty: every one we know
  std::string origin_address = "127.0.0.1";  // the o= line's address
  uint64_t max_bitrate_bps = 0;  // publish: the vhost's limit (REMB + policing); 0: none
};

struct SessionAnswer {
  enum class Status { kCreated, kBadOffer, kConflict, kNotLive, kUnavailable };
  Status status = Status::kCreated;
  std::string reason;      // why not, for the client
  std::string answer_sdp;  // kCreated
  std::string ice_ufrag;   // ours
};

class SessionAnswerer {
 public:
  // Worker thread (`worker`'s).
  static SessionAnswer AnswerPublish(MediaWorker& worker, const SessionAnswerRequest& request);
  static SessionAnswer AnswerPlay(MediaWorker& worker, const SessionAnswerRequest& request);
};

}  // namespace tributary::sfu
