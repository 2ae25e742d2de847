#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "cluster/ClusterAuth.h"
#include "http/HttpRouter.h"

namespace tributary::cluster {

// The node-to-node routes of a node, all under /cluster/v1/ and all behind the cluster
// credential: a request without a valid signature (ClusterAuth::Verify) gets 401 with a JSON
// reason and a WWW-Authenticate header, and never reaches the handler. Handlers learn which
// node signed the request. Both referenced objects outlive this one.
class ClusterRoutes {
 public:
  static constexpr std::string_view kPrefix = "/cluster/v1/";

  // The node that signed the request (the X-Tributary-Node it authenticated).
  using Handler = std::function<void(const net::HttpExchange& exchange,
                                     const http::RouteParams& params, const std::string& sender)>;

  ClusterRoutes(http::HttpRouter& router, ClusterAuth& auth);

  // Adds kPrefix + `pattern` ("announce", "streams/{vhost}/{app}/{stream}").
  void Add(net::HttpMethod method, std::string_view pattern, Handler handler);

 private:
  http::HttpRouter& router_;
  ClusterAuth& auth_;
};

}  // namespace tributary::cluster
