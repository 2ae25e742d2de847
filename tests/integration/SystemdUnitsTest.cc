// tools/systemd/*.service pass `systemd-analyze verify` (every key known, every value valid) and
// keep a low exposure score in `systemd-analyze security`.

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>

#include "support/NodeProcess.h"
#include "support/TempDir.h"

namespace tributary::testing {
namespace {

constexpr const char* kSystemdAnalyze = "/usr/bin/systemd-analyze";

std::string ReadWhole(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::vector<std::filesystem::path> UnitFiles() {
  std::vector<std::filesystem::path> units;
  const std::filesystem::path dir = std::string(TRIBUTARY_SOURCE_DIR) + "/tools/systemd";
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".service") units.push_back(entry.path());
  }
  std::sort(units.begin(), units.end());
  return units;
}

// The unit name to verify: a template (name@.service) is verified through an instance of it.
std::string Instance(const std::filesystem::path& unit) {
  std::string name = unit.filename().string();
  const auto at = name.find("@.");
  if (at != std::string::npos) name.insert(at + 1, "test");
  return name;
}

// Copies of the units whose ExecStart binaries (/usr/local/bin/tributary-*, where
// `cmake --install` puts them) are the build's, since verify checks that they exist.
class UnitCopies {
 public:
  UnitCopies() {
    const std::regex installed(R"(/usr/local/bin/(tributary-(origin|edge)))");
    for (const auto& unit : UnitFiles()) {
      std::string text = ReadWhole(unit);
      std::string out;
      std::sregex_iterator it(text.begin(), text.end(), installed), end;
      size_t last = 0;
      for (; it != end; ++it) {
        out += text.substr(last, it->position() - last);
        out += NodeProcess::BinaryPath((*it)[1].str());
        last = it->position() + it->length();
      }
      out += text.substr(last);
      dir_.Write(unit.filename().string(), out);
      names_.push_back(Instance(unit));
    }
  }

  const std::vector<std::string>& Names() const { return names_; }
  std::string Dir() const { return dir_.Path().string(); }

 private:
  TempDir dir_;
  std::vector<std::string> names_;
};

TEST(SystemdUnits, ThereAreOriginAndEdgeUnits_WithTheSettingsOperatorsNeed) {
  const auto units = UnitFiles();
  ASSERT_GE(units.size(), 2u);
  for (const auto& unit : units) {
    const std::string text = ReadWhole(unit);
    const std::string role =
        unit.filename().string().find("origin") != std::string::npos ? "origin" : "edge";
    SCOPED_TRACE(unit.filename().string());
    EXPECT_TRUE(std::regex_search(text, std::regex("\nExecStart=/usr/local/bin/tributary-" + role +
                                                   " --config /etc/tributary/[^ \n]+\\.yaml\n")));
    EXPECT_NE(text.find("\nExecReload=/bin/kill -HUP $MAINPID\n"), std::string::npos);
    for (const char* line : {"\nRestart=on-failure\n", "\nUser=tributary\n",
                             "\nNoNewPrivileges=yes\n", "\nProtectSystem=strict\n",
                             "\nProtectHome=yes\n", "\nPrivateTmp=yes\n", "\nLimitNOFILE="}) {
      EXPECT_NE(text.find(line), std::string::npos) << "missing " << line;
    }
  }
}

TEST(SystemdUnits, PassSystemdAnalyzeVerify) {
  if (::access(kSystemdAnalyze, X_OK) != 0) {
    GTEST_SKIP() << kSystemdAnalyze << " is not installed";
  }
  UnitCopies copies;
  ASSERT_FALSE(copies.Names().empty());
  for (const auto& name : copies.Names()) {
    // verify exits 0 even on unknown keys or bad values, which it only prints: any output
    // is a failure.
    const auto result = RunProcess(
        "/bin/sh", {"-c", "cd '" + copies.Dir() + "' && " + kSystemdAnalyze + " verify " + name},
        std::chrono::seconds(30));
    EXPECT_EQ(result.exit_code, 0) << name << "\n" << result.out << result.err;
    EXPECT_EQ(result.out + result.err, "") << name;
  }
}

TEST(SystemdUnits, VerifyWouldCatchAMistake) {
  if (::access(kSystemdAnalyze, X_OK) != 0) {
    GTEST_SKIP() << kSystemdAnalyze << " is not installed";
  }
  TempDir dir;
  dir.Write("broken.service",
            "[Service]\nExecStart=/bin/true\nNoNewPrivileges=maybe\nProtectSytem=strict\n");
  const auto result = RunProcess(
      "/bin/sh",
      {"-c", "cd '" + dir.Path().string() + "' && " + kSystemdAnalyze + " verify broken.service"},
      std::chrono::seconds(30));
  EXPECT_NE((result.out + result.err).find("ProtectSytem"), std::string::npos)
      << result.out << result.err;
}

TEST(SystemdUnits, HaveALowExposureScore) {
  if (::access(kSystemdAnalyze, X_OK) != 0) {
    GTEST_SKIP() << kSystemdAnalyze << " is not installed";
  }
  UnitCopies copies;
  for (const auto& name : copies.Names()) {
    const auto result = RunProcess("/bin/sh",
                                   {"-c", "cd '" + copies.Dir() + "' && " + kSystemdAnalyze +
                                              " security --offline=true --no-pager " + name},
                                   std::chrono::seconds(30));
    std::smatch match;
    const std::regex score(R"(Overall exposure level for \S+: ([0-9.]+))");
    ASSERT_TRUE(std::regex_search(result.out, match, score)) << name << "\n"
                                                             << result.out << result.err;
    EXPECT_LE(std::stod(match[1].str()), 3.0) << name << "\n" << result.out;
  }
}

}  // namespace
}  // namespace tributary::testing
