#pragma once

// What a node role (the cluster layer) decides about WHIP/WHEP offers, beyond the vhost's
// credentials: WhipWhepService asks it, through this interface, which keeps cluster logic out
// of the HTTP layer.
//
//   1. TrustOf: before the vhost credentials, whether the request is vouched for otherwise:
//      signed by a cluster node (node-to-node pulls and pushes) or carrying a redirect grant
//      (a viewer an origin sent here). A trusted request needs no bearer token and may name its
//      vhost with ?vhost= even when that vhost does not allow it (the name it asks for is
//      `key.vhost`).
//   2. Admit: the request is authorized and its offer parsed; the role says go on (now or once
//      the stream is here), send it elsewhere (307) or refuse it (409, 504...).
//   3. OnResourceAdded / OnResourceRemoved: a WHIP/WHEP resource was created (201) or is gone
//      (DELETE, or its session ended).
//
// Control thread, all of it; Admit's callback too (once, maybe later).

#include <functional>
#include <string>

#include "http/Credentials.h"
#include "http/SessionTable.h"
#include "net/HttpExchange.h"
#include "net/HttpMessage.h"
#include "sfu/StreamKey.h"

namespace tributary::http {

struct OfferTrust {
  enum class Kind {
    kNone,      // nothing but the vhost's credentials
    kNode,      // signed by cluster node `node`
    kGrant,     // a valid redirect grant for this stream (play only)
    kRejected,  // a cluster signature that does not verify: 401 with `reason`
  };
  Kind kind = Kind::kNone;
  std::string node;    // kNode: who signed
  std::string reason;  // kRejected: why; kNone: why a grant that came along was not taken
  bool Trusted() const { return kind == Kind::kNode || kind == Kind::kGrant; }
};

struct OfferContext {
  net::HttpExchange exchange;
  StreamAction action = StreamAction::kPlay;
  sfu::StreamKey key;
  OfferTrust trust;
};

struct Admission {
  enum class Verdict { kProceed, kRedirect, kRefuse };
  Verdict verdict = Verdict::kProceed;
  std::string location;                                // kRedirect: the Location of the 307
  net::HttpStatus status = net::HttpStatus::conflict;  // kRefuse
  std::string reason;                                  // kRefuse: for the client
  int retry_after_s = 0;                               // kRefuse: Retry-After when > 0

  static Admission Proceed() { return {}; }
  static Admission Redirect(std::string location) {
    Admission admission;
    admission.verdict = Verdict::kRedirect;
    admission.location = std::move(location);
    return admission;
  }
  static Admission Refuse(net::HttpStatus status, std::string reason, int retry_after_s = 0) {
    Admission admission;
    admission.verdict = Verdict::kRefuse;
    admission.status = status;
    admission.reason = std::move(reason);
    admission.retry_after_s = retry_after_s;
    return admission;
  }
};

class OfferAdmission {
 public:
  using Decide = std::function<void(Admission)>;

  virtual ~OfferAdmission() = default;
  virtual OfferTrust TrustOf(const net::HttpExchange& exchange, StreamAction action,
                             const sfu::StreamKey& key) = 0;
  virtual void Admit(const OfferContext& offer, Decide decide) = 0;
  virtual void OnResourceAdded(const SessionResource& resource) = 0;
  virtual void OnResourceRemoved(const SessionResource& resource) = 0;
};

}  // namespace tributary::http
