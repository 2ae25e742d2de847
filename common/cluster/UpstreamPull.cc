#include "cluster/UpstreamPull.h"

namespace tributary::cluster {

std::unique_ptr<http::MediaSessionClient> UpstreamPull::MakeClient(
    sfu::MediaWorker& worker, std::string url, http::MediaSessionClient::Options options) {
  return std::make_unique<http::WhepClient>(EnvIo(), EnvHttp(), worker, EnvDispatcher(),
                                            std::move(url), std::move(options));
}

}  // namespace tributary::cluster
