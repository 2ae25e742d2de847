#include "config/VhostConfigReader.h"

#include <algorithm>

#include "config/ValueSyntax.h"

namespace tributary::config {

namespace {

using Presence = YamlReader::Presence;

constexpr std::string_view kCodecs[] = {"opus", "vp8", "vp9", "h264", "av1"};

std::string CheckCodec(const std::string& codec) {
  if (std::find(std::begin(kCodecs), std::end(kCodecs), codec) != std::end(kCodecs)) return {};
  return "bad codec '" + codec + "': expected one of opus, vp8, vp9, h264, av1";
}

std::string CheckToken(const std::string& token) {
  if (token.empty()) return "empty token";
  if (std::any_of(token.begin(), token.end(),
                  [](char c) { return static_cast<unsigned char>(c) <= ' '; })) {
    return "a token must not contain spaces or control characters";
  }
  return {};
}

}  // namespace

std::string VhostConfigReader::Place::Describe() const {
  return "vhost '" + vhost + "' (" + file + ":" + std::to_string(line) + ")";
}

VhostConfigReader::VhostConfigReader(const std::string& path, Claims& claims)
    : root_(
          YamlReader::OpenFile(path, {"name", "default", "domains", "allow_query_vhost", "publish",
                                      "play", "admin", "jwt", "limits", "codecs", "origins"})),
      claims_(claims) {
  config_.source_file = path;
}

VhostConfig VhostConfigReader::Read(std::vector<std::string>& warnings) {
  ReadIdentity();
  root_.Bool("allow_query_vhost", config_.allow_query_vhost);
  config_.publish = ReadAction("publish");
  config_.play = ReadAction("play");
  const YamlReader admin = root_.Map("admin", {"tokens"});
  admin.StringList("tokens", config_.admin.tokens, CheckToken);
  const YamlReader jwt = root_.Map("jwt", {"secret", "clock_skew_s"});
  jwt.String("secret", config_.jwt.secret);
  jwt.Uint("clock_skew_s", config_.jwt.clock_skew_s, 0, 3600);
  ReadLimits();
  root_.StringList("codecs", config_.codecs, CheckCodec, 1);
  root_.StringList("origins", config_.origins, CheckName);
  for (size_t i = 0; i < config_.origins.size(); ++i)
    config_.origin_lines.push_back(root_.ItemLine("origins", i));
  WarnIfNobodyCan("publish", config_.publish, warnings);
  WarnIfNobodyCan("play", config_.play, warnings);
  return std::move(config_);
}

void VhostConfigReader::ReadIdentity() {
  root_.String("name", config_.name, Presence::kRequired, CheckName);
  const Place place{config_.name, root_.File(), root_.LineOf("name")};
  if (auto it = claims_.names.find(config_.name); it != claims_.names.end()) {
    root_.Fail("name", "vhost '" + config_.name + "' is already defined in " + it->second.file +
                           ":" + std::to_string(it->second.line));
  }
  root_.Bool("default", config_.is_default);
  if (config_.is_default && claims_.default_vhost) {
    root_.Fail("default", "only one vhost may be the default, and " +
                              claims_.default_vhost->Describe() + " already is");
  }
  root_.StringList("domains", config_.domains, CheckDomain);
  for (size_t i = 0; i < config_.domains.size(); ++i) {
    if (auto it = claims_.domains.find(config_.domains[i]); it != claims_.domains.end()) {
      root_.FailItem(
          "domains", i,
          "domain '" + config_.domains[i] + "' already belongs to " + it->second.Describe());
    }
  }
  // Everything unique checked: claim it for the files read after this one.
  claims_.names.emplace(config_.name, place);
  if (config_.is_default) {
    claims_.default_vhost = Place{config_.name, root_.File(), root_.LineOf("default")};
  }
  for (size_t i = 0; i < config_.domains.size(); ++i) {
    claims_.domains.emplace(config_.domains[i],
                            Place{config_.name, root_.File(), root_.ItemLine("domains", i)});
  }
}

ActionAuth VhostConfigReader::ReadAction(std::string_view key) const {
  const YamlReader action = root_.Map(key, {"open", "tokens"});
  ActionAuth auth;
  action.Bool("open", auth.open);
  action.StringList("tokens", auth.tokens, CheckToken);
  return auth;
}

void VhostConfigReader::ReadLimits() {
  const YamlReader limits = root_.Map("limits", {"publishers", "viewers", "viewers_per_stream",
                                                 "bitrate_kbps", "sessions_per_ip_per_s"});
  VhostLimits& out = config_.limits;
  limits.Uint("publishers", out.publishers, 1, 1000000);
  limits.Uint("viewers", out.viewers, 1, 10000000);
  limits.Uint("viewers_per_stream", out.viewers_per_stream, 1, 10000000);
  limits.Uint("bitrate_kbps", out.bitrate_kbps, 16, 1000000);
  limits.Uint("sessions_per_ip_per_s", out.sessions_per_ip_per_s, 1, 1000000);
}

void VhostConfigReader::WarnIfNobodyCan(std::string_view key, const ActionAuth& auth,
                                        std::vector<std::string>& warnings) const {
  if (auth.open || !auth.tokens.empty() || !config_.jwt.secret.empty()) return;
  warnings.push_back(ConfigError::Format(root_.File(), root_.LineOf(key), std::string(key),
                                         "nobody can " + std::string(key) + " in vhost '" +
                                             config_.name +
                                             "': not open, no tokens and no jwt secret"));
}

}  // namespace tributary::config
