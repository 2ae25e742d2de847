// LoadVhosts on vhost directories written for each test: a broken file is named with its line
// and key; what must be unique across files (names, domains, the default) names both files.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ConfigTestFiles.h"
#include "config/ConfigLoader.h"

namespace tributary::config {
namespace {

using ::testing::ElementsAre;
using testing::ExpectConfigError;
using testing::Replace;
using testing::TempDir;

// A valid vhost of 5 lines; cases edit or extend it.
const std::string kVhost = R"(name: demo
default: true
domains: [localhost, 127.0.0.1]
publish: {tokens: [t1]}
play: {open: true}
)";

struct BrokenVhost {
  const char* name;
  std::string yaml;
  int line;
  const char* key;
  const char* gist;
};

void PrintTo(const BrokenVhost& broken, std::ostream* out) {
  *out << broken.name;
}

class BrokenVhostFile : public ::testing::TestWithParam<BrokenVhost> {
 protected:
  TempDir dir_;
};

TEST_P(BrokenVhostFile, FailsNamingFileLineAndKey) {
  const BrokenVhost& broken = GetParam();
  const std::string path = dir_.Write("vhosts/demo.yaml", broken.yaml);
  ExpectConfigError([&] { LoadVhosts(dir_.Path("vhosts")); }, path, broken.line, broken.key,
                    broken.gist);
}

const BrokenVhost kBrokenVhosts[] = {
    {"SyntaxError", "name: demo\ndomains: [a\n", 3, "", "YAML syntax error"},
    {"TopLevelIsAList", "- demo\n", 1, "", "expected a map with keys name, default, domains"},
    {"UnknownKey", kVhost + "publsh: {open: true}\n", 6, "publsh",
     "unknown key (did you mean 'publish'?); allowed here: name, default, domains, "
     "allow_query_vhost, publish, play, admin, jwt, limits, codecs, origins"},
    {"UnknownNestedKey", kVhost + "limits: {viewer: 3}\n", 6, "limits.viewer",
     "allowed here: publishers, viewers, viewers_per_stream"},
    {"AdminCannotBeOpen", kVhost + "admin: {open: true}\n", 6, "admin.open",
     "unknown key; allowed here: tokens"},
    {"MissingName", Replace(kVhost, "name: demo\n", ""), 1, "name", "required key is missing"},
    {"BadName", Replace(kVhost, "name: demo\n", "name: Demo_1\n"), 1, "name", "bad name 'Demo_1'"},
    {"DefaultNotBool", Replace(kVhost, "default: true", "default: maybe"), 2, "default",
     "expected true or false, found 'maybe'"},
    {"OpenNotBool", Replace(kVhost, "{open: true}", "{open: 1x}"), 5, "play.open",
     "expected true or false"},
    {"DomainsNotAList", Replace(kVhost, "[localhost, 127.0.0.1]", "localhost"), 3, "domains",
     "expected a list, found 'localhost'"},
    {"UppercaseDomain", Replace(kVhost, "[localhost, 127.0.0.1]", "[localhost, Example.com]"), 3,
     "domains[1]", "bad domain 'Example.com': write it in lowercase"},
    {"BadDomain", Replace(kVhost, "domains: [localhost, 127.0.0.1]\n", "domains:\n  - a..b\n"), 4,
     "domains[0]", "bad domain 'a..b'"},
    {"DuplicateDomainInFile", Replace(kVhost, "[localhost, 127.0.0.1]", "[localhost, localhost]"),
     3, "domains[1]", "duplicate item 'localhost'"},
    {"TokenWithSpace", Replace(kVhost, "[t1]", "[\"t 1\"]"), 4, "publish.tokens[0]",
     "must not contain spaces"},
    {"EmptyToken", Replace(kVhost, "[t1]", "[t1, \"\"]"), 4, "publish.tokens[1]", "empty token"},
    {"LimitZero", kVhost + "limits: {viewers: 0}\n", 6, "limits.viewers",
     "value 0 out of range 1..10000000"},
    {"LimitNotANumber", kVhost + "limits:\n  bitrate_kbps: 2.5\n", 7, "limits.bitrate_kbps",
     "expected a whole number"},
    {"ClockSkewTooLarge", kVhost + "jwt: {secret: s, clock_skew_s: 7200}\n", 6, "jwt.clock_skew_s",
     "value 7200 out of range 0..3600"},
    {"UnknownCodec", kVhost + "codecs: [opus, h265]\n", 6, "codecs[1]",
     "bad codec 'h265': expected one of opus, vp8, vp9, h264, av1"},
    {"NoCodec", kVhost + "codecs: []\n", 6, "codecs", "expected at least 1 item(s), found 0"},
    {"BadOriginId", kVhost + "origins: [o1, \"O 2\"]\n", 6, "origins[1]", "bad name 'O 2'"},
};

INSTANTIATE_TEST_SUITE_P(VhostConfigReader, BrokenVhostFile, ::testing::ValuesIn(kBrokenVhosts),
                         [](const auto& info) { return std::string(info.param.name); });

class VhostDirectory : public ::testing::Test {
 protected:
  TempDir dir_;
};

TEST_F(VhostDirectory, LoadsValuesAndDefaults_InFileNameOrder) {
  dir_.Write("vhosts/b-demo.yaml", kVhost);
  dir_.Write("vhosts/a-acme.yml", R"(name: acme
domains: ["*.acme.example", acme.localhost, "::1"]
allow_query_vhost: yes
publish: {open: false, tokens: [p1, p2]}
play: {tokens: [v1]}
admin: {tokens: [adm]}
jwt: {secret: jwt-secret, clock_skew_s: 5}
limits: {publishers: 2, viewers: 30, viewers_per_stream: 20, bitrate_kbps: 2500,
         sessions_per_ip_per_s: 7}
codecs: [opus, h264]
origins: [o2]
)");
  dir_.Write("vhosts/README.md", "not a vhost");
  dir_.Write("vhosts/.editor-swap.yaml", "not: [a vhost");
  const VhostSet set = LoadVhosts(dir_.Path("vhosts"));
  ASSERT_EQ(set.vhosts.size(), 2u);
  EXPECT_TRUE(set.warnings.empty());

  const VhostConfig& acme = set.vhosts[0];
  EXPECT_EQ(acme.source_file, dir_.Path("vhosts/a-acme.yml"));
  EXPECT_EQ(acme.name, "acme");
  EXPECT_FALSE(acme.is_default);
  EXPECT_THAT(acme.domains, ElementsAre("*.acme.example", "acme.localhost", "::1"));
  EXPECT_TRUE(acme.allow_query_vhost);
  EXPECT_FALSE(acme.publish.open);
  EXPECT_THAT(acme.publish.tokens, ElementsAre("p1", "p2"));
  EXPECT_THAT(acme.play.tokens, ElementsAre("v1"));
  EXPECT_THAT(acme.admin.tokens, ElementsAre("adm"));
  EXPECT_EQ(acme.jwt.secret, "jwt-secret");
  EXPECT_EQ(acme.jwt.clock_skew_s, 5u);
  EXPECT_EQ(acme.limits.publishers, 2u);
  EXPECT_EQ(acme.limits.viewers, 30u);
  EXPECT_EQ(acme.limits.viewers_per_stream, 20u);
  EXPECT_EQ(acme.limits.bitrate_kbps, 2500u);
  EXPECT_EQ(acme.limits.sessions_per_ip_per_s, 7u);
  EXPECT_THAT(acme.codecs, ElementsAre("opus", "h264"));
  EXPECT_THAT(acme.origins, ElementsAre("o2"));

  const VhostConfig& demo = set.vhosts[1];
  EXPECT_EQ(demo.name, "demo");
  EXPECT_TRUE(demo.is_default);
  EXPECT_FALSE(demo.allow_query_vhost);
  EXPECT_TRUE(demo.play.open);
  EXPECT_TRUE(demo.play.tokens.empty());
  EXPECT_TRUE(demo.admin.tokens.empty());
  EXPECT_EQ(demo.jwt.secret, "");
  EXPECT_EQ(demo.jwt.clock_skew_s, 30u);
  EXPECT_EQ(demo.limits.publishers, 100u);
  EXPECT_EQ(demo.limits.viewers, 10000u);
  EXPECT_EQ(demo.limits.viewers_per_stream, 5000u);
  EXPECT_EQ(demo.limits.bitrate_kbps, 10000u);
  EXPECT_EQ(demo.limits.sessions_per_ip_per_s, 50u);
  EXPECT_THAT(demo.codecs, ElementsAre("opus", "vp8", "vp9", "h264", "av1"));
  EXPECT_TRUE(demo.origins.empty());

  EXPECT_EQ(set.Find("acme"), &set.vhosts[0]);
  EXPECT_EQ(set.Find("nope"), nullptr);
  EXPECT_EQ(set.Default(), &set.vhosts[1]);
}

TEST_F(VhostDirectory, HasNoDefault_WhenNoVhostIsMarked) {
  dir_.Write("vhosts/demo.yaml", Replace(kVhost, "default: true\n", ""));
  EXPECT_EQ(LoadVhosts(dir_.Path("vhosts")).Default(), nullptr);
}

TEST_F(VhostDirectory, WarnsButLoads_WhenNobodyCanPublishOrPlay) {
  const std::string path = dir_.Write("vhosts/closed.yaml", "name: closed\nplay: {open: false}\n");
  const VhostSet set = LoadVhosts(dir_.Path("vhosts"));
  ASSERT_EQ(set.vhosts.size(), 1u);
  ASSERT_EQ(set.warnings.size(), 2u);
  EXPECT_EQ(set.warnings[0], path + ":1: key 'publish': nobody can publish in vhost 'closed': " +
                                 "not open, no tokens and no jwt secret");
  EXPECT_THAT(set.warnings[1], ::testing::StartsWith(path + ":2: key 'play': nobody can play"));
}

TEST_F(VhostDirectory, DoesNotWarn_WhenJwtsAreAccepted) {
  dir_.Write("vhosts/jwt.yaml", "name: jwt\njwt: {secret: s3cret}\n");
  EXPECT_TRUE(LoadVhosts(dir_.Path("vhosts")).warnings.empty());
}

TEST_F(VhostDirectory, FailsOnTheSecondFile_WhenTwoVhostsShareAName) {
  const std::string first = dir_.Write("vhosts/a.yaml", "name: demo\n");
  const std::string second = dir_.Write("vhosts/b.yaml", "# copy of a.yaml\nname: demo\n");
  ExpectConfigError([&] { LoadVhosts(dir_.Path("vhosts")); }, second, 2, "name",
                    "vhost 'demo' is already defined in " + first + ":1");
}

TEST_F(VhostDirectory, FailsOnTheSecondFile_WhenTwoVhostsShareADomain) {
  const std::string first =
      dir_.Write("vhosts/a.yaml", "name: a\ndomains:\n  - a.example\n  - shared.example\n");
  const std::string second =
      dir_.Write("vhosts/b.yaml", "name: b\ndomains: [b.example, shared.example]\n");
  ExpectConfigError([&] { LoadVhosts(dir_.Path("vhosts")); }, second, 2, "domains[1]",
                    "domain 'shared.example' already belongs to vhost 'a' (" + first + ":4)");
}

TEST_F(VhostDirectory, FailsOnTheSecondFile_WhenTwoVhostsAreTheDefault) {
  const std::string first = dir_.Write("vhosts/a.yaml", "name: a\ndefault: true\n");
  const std::string second = dir_.Write("vhosts/b.yaml", "name: b\ndomains: []\ndefault: true\n");
  ExpectConfigError(
      [&] { LoadVhosts(dir_.Path("vhosts")); }, second, 3, "default",
      "only one vhost may be the default, and vhost 'a' (" + first + ":2) already is");
}

TEST_F(VhostDirectory, AcceptsAWildcardBesideAnExactNameBelowIt) {
  dir_.Write("vhosts/a.yaml", "name: a\ndomains: [\"*.example.com\"]\n");
  dir_.Write("vhosts/b.yaml", "name: b\ndomains: [live.example.com, example.com]\n");
  EXPECT_EQ(LoadVhosts(dir_.Path("vhosts")).vhosts.size(), 2u);
}

TEST_F(VhostDirectory, Fails_WhenTheDirectoryHasNoVhostFile) {
  const std::string dir = dir_.MakeDir("vhosts");
  dir_.Write("vhosts/notes.txt", "name: demo\n");
  ExpectConfigError([&] { LoadVhosts(dir); }, dir, 0, "", "no vhost file (*.yaml, *.yml)");
}

TEST_F(VhostDirectory, Fails_WhenTheDirectoryIsMissing) {
  const std::string dir = dir_.Path("missing");
  ExpectConfigError([&] { LoadVhosts(dir); }, dir, 0, "", "cannot read vhost directory");
}

}  // namespace
}  // namespace tributary::config
