#pragma once

#include <chrono>
#include <string>

#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>

#include "cluster/ClusterAuth.h"
#include "net/HttpClient.h"

namespace tributary::cluster {

// An HTTP client for node-to-node calls: every request leaves signed by ClusterAuth. Owns its
// net::HttpClient, so that destroying the ClusterClient drops the callbacks still pending: a
// component that owns one may capture `this` in its callbacks. Control thread only.
class ClusterClient {
 public:
  using Callback = net::HttpClient::Callback;

  // Throws std::runtime_error when options.ca_file cannot be read.
  ClusterClient(boost::asio::io_context& io, const ClusterAuth& auth,
                net::HttpClient::Options options);
  ClusterClient(const ClusterClient&) = delete;
  ClusterClient& operator=(const ClusterClient&) = delete;

  void Request(net::HttpClientRequest request, Callback callback);
  // GET url (signed).
  void Get(std::string url, std::chrono::milliseconds timeout, Callback callback);
  // POST url with a JSON body (signed).
  void PostJson(std::string url, const nlohmann::json& body, std::chrono::milliseconds timeout,
                Callback callback);

  size_t Pending() const { return http_.Pending(); }
  const ClusterAuth& Auth() const { return auth_; }

 private:
  const ClusterAuth& auth_;
  net::HttpClient http_;
};

}  // namespace tributary::cluster
