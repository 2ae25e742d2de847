// libFuzzer target for the configuration loader: arbitrary bytes as a node's YAML file
// (LoadNodeConfig) and as the files of a vhost directory (LoadVhosts). Whatever the bytes, the
// loader must return a configuration or throw ConfigError with a file, a line and a reason;
// any other exception, a crash or a hang is a finding (an uncaught exception aborts the target).
//
// Input: the node file, optionally followed by vhost files, each after a line "#%%vhost". Without
// that marker the whole input is tried both as a node file and as a single vhost file. Files go
// to a private temporary folder (the loader reads paths, as the node does), which also holds an
// empty "certs/" folder and a "vhosts/" folder so that relative paths can resolve.
//
// Seeds: tests/fuzz/corpus/ConfigLoaderFuzz/ (conf/demo, conf/reference and vhosts/ as shipped,
// plus inputs that found bugs); dictionary: tests/fuzz/config/ConfigLoaderFuzz.dict.

#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "config/ConfigError.h"
#include "config/ConfigLoader.h"
#include "http/RedactedConfig.h"

using namespace tributary;
namespace fs = std::filesystem;

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

const fs::path& Scratch() {
  static const fs::path dir = [] {
    std::string pattern = (fs::temp_directory_path() / "tributary-config-fuzz-XXXXXX").string();
    Check(mkdtemp(pattern.data()) != nullptr);
    fs::create_directories(fs::path(pattern) / "certs");
    fs::create_directories(fs::path(pattern) / "vhosts");
    return fs::path(pattern);
  }();
  return dir;
}

void Write(const fs::path& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  Check(static_cast<bool>(out));
}

void CheckError(const config::ConfigError& e) {
  Check(!e.File().empty());
  Check(!e.Reason().empty());
  Check(e.Line() >= 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  constexpr std::string_view kMarker = "#%%vhost\n";
  std::string_view node_text = text;
  std::vector<std::string_view> vhost_texts;
  size_t at = text.find(kMarker);
  if (at == std::string_view::npos) {
    vhost_texts.push_back(text);
  } else {
    node_text = text.substr(0, at);
    while (at != std::string_view::npos && vhost_texts.size() < 4) {
      const size_t start = at + kMarker.size();
      const size_t next = text.find(kMarker, start);
      vhost_texts.push_back(
          text.substr(start, next == std::string_view::npos ? next : next - start));
      at = next;
    }
  }

  const fs::path& dir = Scratch();
  const fs::path vhost_dir = dir / "vhosts";
  for (const auto& entry : fs::directory_iterator(vhost_dir))
    fs::remove(entry.path());
  for (size_t i = 0; i < vhost_texts.size(); ++i) {
    Write(vhost_dir / ("v" + std::to_string(i) + ".yaml"), vhost_texts[i]);
  }
  config::VhostSet vhosts;
  bool vhosts_ok = false;
  try {
    vhosts = config::LoadVhosts(vhost_dir.string());
    vhosts_ok = true;
    Check(!vhosts.vhosts.empty());
    for (const auto& vhost : vhosts.vhosts) {
      Check(!vhost.name.empty());
      Check(vhosts.Find(vhost.name) == &vhost);
    }
  } catch (const config::ConfigError& e) {
    CheckError(e);
  }

  const fs::path node_file = dir / "node.yaml";
  Write(node_file, node_text);
  try {
    config::NodeConfig node = config::LoadNodeConfig(node_file.string());
    Check(!node.id.empty());
    // As GET /api/v1/node serves it (JsonResponse: invalid UTF-8 replaced).
    if (vhosts_ok) {
      (void)http::RedactedConfig(node, vhosts)
          .dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
    }
  } catch (const config::ConfigError& e) {
    CheckError(e);
  }
  return 0;
}
