#include "http/NodeMain.h"

#include <iostream>
#include <string_view>
#include <utility>
#include <vector>

#include <spdlog/spdlog.h>
#include <yaml-cpp/yaml.h>
#include <CLI/CLI.hpp>

#include "base/Logging.h"
#include "config/ConfigLoader.h"
#include "net/Endpoint.h"

namespace tributary::http {

namespace {

constexpr int kExitConfigError = 2;
constexpr std::string_view kDemoSecret = "demo-cluster-secret-not-for-production";

bool IsLoopbackIp(const std::string& ip) {
  const auto endpoint = net::Endpoint::Parse(ip, 0);
  return endpoint && endpoint->IsLoopback();
}

// The demo cluster secret is public (it is in the repository): a node that uses it must not be
// reachable from elsewhere. The addresses it listens on and announces, the first that is not a
// loopback address, or "" when all are.
std::string NonLoopbackAddress(const config::NodeConfig& config) {
  std::vector<std::pair<std::string, std::string>> addresses = {
      {"http.listen", config.http.listen.host}, {"media.listen_ip", config.media.listen_ip}};
  if (config.metrics.listen) addresses.emplace_back("metrics.listen", config.metrics.listen->host);
  for (const auto& ip : config.media.announced_ips)
    addresses.emplace_back("media.announced_ips", ip);
  for (const auto& [key, ip] : addresses) {
    if (!IsLoopbackIp(ip)) return key + " " + ip;
  }
  return {};
}

// The line of node.role in the file, for the error message (the loader has validated the file
// already, so this parse succeeds; 0 if it somehow does not).
int RoleLine(const std::string& path) {
  try {
    const YAML::Node root = YAML::LoadFile(path);
    const YAML::Node node = root["node"];
    if (node && node.IsMap()) {
      const YAML::Node role = node["role"];
      if (role) return role.Mark().line + 1;
    }
  } catch (const std::exception&) {
  }
  return 0;
}

}  // namespace

LoadedNode LoadNode(const std::string& path, config::NodeRole role) {
  LoadedNode loaded{config::LoadNodeConfig(path), {}};
  if (loaded.config.role != role) {
    throw config::ConfigError(path, RoleLine(path), "node.role",
                              std::string("this binary runs role '") + config::ToString(role) +
                                  "', the file says '" + config::ToString(loaded.config.role) +
                                  "'");
  }
  loaded.vhosts = config::LoadVhosts(loaded.config.vhosts_dir);
  config::CheckVhostOrigins(loaded.config, loaded.vhosts);
  return loaded;
}

int NodeMain(config::NodeRole role, int argc, char** argv,
             const NodeRunner::RoleFactory& make_role) {
  const std::string binary = std::string("tributary-") + config::ToString(role);
  CLI::App app{"Tributary " + std::string(config::ToString(role)) + " node", binary};
  std::string config_path;
  std::string check_path;
  std::string log_level;
  bool version = false;
  bool allow_demo_secret = false;
  auto* run_option = app.add_option("--config", config_path, "Run the node from this YAML file");
  auto* check_option = app.add_option("--check-config", check_path,
                                      "Validate this YAML file and its vhosts, then exit");
  run_option->excludes(check_option);
  app.add_option("--log-level", log_level,
                 "Override logging.level (trace, debug, info, warn, error, critical, off)");
  app.add_flag("--version", version, "Print the version and exit");
  app.add_flag("--allow-demo-secret", allow_demo_secret,
               "Start even with the demo cluster secret on a non-loopback address");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : kExitConfigError;
  }
  if (version) {
    std::cout << binary << " " << TRIBUTARY_VERSION << "\n";
    return 0;
  }
  spdlog::level::level_enum level_override{};
  if (!log_level.empty() && !base::ParseLogLevel(log_level, level_override)) {
    std::cerr << binary << ": unknown --log-level '" << log_level << "'\n";
    return kExitConfigError;
  }
  if (!check_path.empty()) {
    try {
      LoadNode(check_path, role);
    } catch (const std::exception& e) {
      std::cerr << e.what() << "\n";
      return kExitConfigError;
    }
    std::cout << check_path << ": OK\n";
    return 0;
  }
  if (config_path.empty()) {
    std::cerr << binary << ": --config FILE or --check-config FILE is required (see --help)\n";
    return kExitConfigError;
  }

  LoadedNode loaded;
  try {
    loaded = LoadNode(config_path, role);
  } catch (const std::exception& e) {
    std::cerr << e.what() << "\n";
    return kExitConfigError;
  }
  if (loaded.config.cluster.secret == kDemoSecret && !allow_demo_secret) {
    const std::string exposed = NonLoopbackAddress(loaded.config);
    if (!exposed.empty()) {
      std::cerr << config_path << ": refusing to start: cluster.secret is the public demo secret '"
                << kDemoSecret << "' and the node is reachable beyond loopback (" << exposed
                << "). Set a secret of your own (the same on every node), or pass "
                   "--allow-demo-secret to start anyway.\n";
      return kExitConfigError;
    }
  }
  base::LogOptions log_options = loaded.config.logging;
  if (!log_level.empty()) log_options.level = log_level;
  if (log_options.node_id.empty()) log_options.node_id = loaded.config.id;
  try {
    base::SetupLogging(log_options);
  } catch (const std::exception& e) {
    std::cerr << config_path << ": logging: " << e.what() << "\n";
    return kExitConfigError;
  }
  try {
    NodeRunner runner(std::move(loaded.config), std::move(loaded.vhosts));
    return runner.Run(make_role);
  } catch (const std::exception& e) {
    spdlog::critical("{} failed: {}", binary, e.what());
    return 1;
  }
}

}  // namespace tributary::http
