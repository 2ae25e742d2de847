#include "http/RedactedConfig.h"

#include <gtest/gtest.h>

namespace tributary::http {
namespace {

TEST(RedactedConfig, ShowsTheConfig_WithoutAnySecret) {
  config::NodeConfig node;
  node.id = "o1";
  node.role = config::NodeRole::kOrigin;
  node.region = "eu";
  node.http.listen = {"127.0.0.1", 8101};
  node.cluster.secret = "cluster-secret-value";
  node.admin_token = "admin-token-value";
  node.media.ice_servers.push_back({{"turn:127.0.0.1:3478"}, "turn-user", "turn-credential-value"});
  config::VhostSet vhosts;
  config::VhostConfig vhost;
  vhost.name = "acme";
  vhost.publish.tokens = {"publish-token-value"};
  vhost.play.tokens = {"play-token-value"};
  vhost.admin.tokens = {"vhost-admin-token-value"};
  vhost.jwt.secret = "jwt-secret-value";
  vhosts.vhosts.push_back(vhost);

  const nlohmann::json json = RedactedConfig(node, vhosts);
  const std::string text = json.dump();
  for (const char* secret :
       {"cluster-secret-value", "admin-token-value", "turn-credential-value", "publish-token-value",
        "play-token-value", "vhost-admin-token-value", "jwt-secret-value"}) {
    EXPECT_EQ(text.find(secret), std::string::npos) << secret;
  }
  EXPECT_EQ(json["id"], "o1");
  EXPECT_EQ(json["role"], "origin");
  EXPECT_EQ(json["http"]["listen"]["port"], 8101);
  EXPECT_EQ(json["cluster"]["secret"], "***");
  EXPECT_EQ(json["admin_token"], "***");
  EXPECT_EQ(json["media"]["ice_servers"][0]["credential"], "***");
  EXPECT_EQ(json["vhosts"][0]["name"], "acme");
  EXPECT_EQ(json["vhosts"][0]["publish"]["tokens"][0], "***");
  EXPECT_EQ(json["vhosts"][0]["jwt"]["secret"], "***");
  EXPECT_EQ(json["metrics"]["listen"], nullptr);
}

TEST(RedactedConfig, ShowsAnUnsetSecretAsEmpty) {
  EXPECT_STREQ(RedactSecret(""), "");
  EXPECT_STREQ(RedactSecret("x"), "***");
}

}  // namespace
}  // namespace tributary::http
