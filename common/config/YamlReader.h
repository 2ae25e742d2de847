#pragma once

// Strict, typed access to one YAML map of a configuration file. A reader knows the file, the
// dotted key path of its map ("cluster.nodes[1]") and the keys allowed there: constructing it
// rejects unknown and duplicate keys, and every getter turns a wrong type, a missing required
// key or a bad value into a ConfigError "FILE:LINE: key 'a.b.c': reason". Getters leave `out`
// untouched when an optional key is absent, so the struct's defaults stay in force.

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "config/ConfigError.h"
#include "config/NodeConfig.h"

namespace tributary::config {

class YamlReader {
 public:
  enum class Presence { kOptional, kRequired };
  // What a path must name: an existing readable file or directory, or a file that can be
  // created or appended to (its folder exists and is writable).
  enum class PathKind { kReadableFile, kReadableDirectory, kWritableFile };
  // Checks one value; returns an empty string when it is good, otherwise the reason.
  using ValueCheck = std::function<std::string(const std::string&)>;
  using Keys = std::vector<std::string_view>;  // views of string literals

  // Reads and parses a whole file whose top level must be a map with only `allowed` keys.
  // Unreadable files, YAML syntax errors, several documents or another top level throw.
  static YamlReader OpenFile(const std::string& path, Keys allowed);

  // `map` must be a YAML map (else ConfigError at its line) with only `allowed` keys.
  YamlReader(YAML::Node map, std::string file, std::string key_path, Keys allowed);

  const std::string& File() const { return file_; }
  const std::string& KeyPath() const { return key_path_; }
  int Line() const { return line_; }  // where the map starts (1-based)

  bool Has(std::string_view key) const { return Find(key) != nullptr; }
  // The line of `key`, or of this map when the key is absent.
  int LineOf(std::string_view key) const;
  // "http.listen", "cluster.nodes[2]": the dotted path of a key of this map.
  std::string PathOf(std::string_view key) const;

  // Scalars. Each returns whether the key was present.
  bool String(std::string_view key, std::string& out, Presence presence = Presence::kOptional,
              const ValueCheck& check = nullptr) const;
  bool Bool(std::string_view key, bool& out) const;
  bool Uint(std::string_view key, uint32_t& out, uint32_t min, uint32_t max,
            Presence presence = Presence::kOptional) const;
  bool Port(std::string_view key, uint16_t& out, uint16_t min) const;
  // An integer number of milliseconds or "30s" / "1500ms" / "5m" / "1h"; min..max in ms.
  bool DurationMs(std::string_view key, uint32_t& out, uint32_t min_ms, uint32_t max_ms) const;
  // "host:port"; IPv4 or [IPv6] literal host, port 1..65535.
  bool Listen(std::string_view key, ListenAddress& out,
              Presence presence = Presence::kOptional) const;
  // As Listen, where an empty string means "no listener".
  bool Listen(std::string_view key, std::optional<ListenAddress>& out) const;
  // A path resolved against the folder of the file; empty stays empty (not checked).
  bool Path(std::string_view key, std::string& out, PathKind kind,
            Presence presence = Presence::kOptional) const;
  template <typename E>
  bool Enum(std::string_view key, E& out,
            std::initializer_list<std::pair<std::string_view, E>> table,
            Presence presence = Presence::kOptional) const;

  // A list of distinct strings, each passing `check`, with at least `min_items` items.
  bool StringList(std::string_view key, std::vector<std::string>& out,
                  const ValueCheck& check = nullptr, size_t min_items = 0,
                  Presence presence = Presence::kOptional) const;
  // The line of item `index` of the list at `key`.
  int ItemLine(std::string_view key, size_t index) const;

  // Nested maps. An absent optional map reads as an empty map at this map's line; a key with
  // no value at all ("media:" with every key below commented out) as an empty map at its line.
  YamlReader Map(std::string_view key, Keys allowed, Presence presence = Presence::kOptional) const;
  std::vector<YamlReader> MapList(std::string_view key, Keys allowed, size_t min_items = 0,
                                  Presence presence = Presence::kOptional) const;

  // Errors about a key of this map (at its line), an item of a list, or the map itself.
  [[noreturn]] void Fail(std::string_view key, const std::string& reason) const;
  [[noreturn]] void FailItem(std::string_view key, size_t index, const std::string& reason) const;
  [[noreturn]] void FailHere(const std::string& reason) const;

 private:
  struct Entry {
    std::string key;
    int line = 0;
    YAML::Node value;
  };

  YamlReader(std::string file, std::string key_path, int line);
  const Entry* Find(std::string_view key) const;
  // The scalar text at `key`, or a ConfigError naming the type found.
  const Entry* Scalar(std::string_view key, Presence presence) const;
  [[noreturn]] void FailMissing(std::string_view key) const;
  std::string AllowedList() const;
  // " (did you mean 'listen'?)" for a near miss of an allowed key, else empty.
  std::string Suggestion(std::string_view unknown) const;

  std::string file_;
  std::string key_path_;
  int line_ = 0;
  std::vector<Entry> entries_;
  Keys allowed_;
};

template <typename E>
bool YamlReader::Enum(std::string_view key, E& out,
                      std::initializer_list<std::pair<std::string_view, E>> table,
                      Presence presence) const {
  std::string text;
  if (!String(key, text, presence)) return false;
  std::string allowed;
  for (const auto& [name, value] : table) {
    if (name == text) {
      out = value;
      return true;
    }
    allowed += (allowed.empty() ? "" : ", ") + std::string(name);
  }
  Fail(key, "bad value '" + text + "': expected one of " + allowed);
}

}  // namespace tributary::config
