#include "config/YamlReader.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <yaml-cpp/eventhandler.h>

#include "config/ValueSyntax.h"

namespace tributary::config {

namespace {

int LineOfNode(const YAML::Node& node) {
  return node.Mark().line + 1;
}

// What was found instead of the expected type; `empty` shows how to write an empty value.
std::string TypeName(const YAML::Node& node, std::string_view empty = "\"\"") {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Scalar:
      return "'" + node.Scalar() + "'";
    default:
      return "nothing (write " + std::string(empty) + " for an empty value)";
  }
}

std::string Join(const YamlReader::Keys& keys) {
  std::string out;
  for (std::string_view key : keys)
    out += (out.empty() ? "" : ", ") + std::string(key);
  return out;
}

// Levenshtein distance, for "did you mean" on a misspelt key.
size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j)
    row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t substitute = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
      diagonal = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, substitute});
    }
  }
  return row[b.size()];
}

// Where each document of a YAML text starts, from a pass of yaml-cpp's event parser over at most
// `limit` documents. yaml-cpp 0.7's LoadAll never returns on a ',' outside of a flow collection
// (",", "[a],"): its parser then "starts" empty documents at the same place for ever
// (ConfigLoaderFuzz found it). Counting documents here, and failing when one starts where the
// previous one did, keeps LoadAll away from such a text. Throws YAML::Exception for syntax errors.
class DocumentStarts : public YAML::EventHandler {
 public:
  struct Document {
    YAML::Mark start;  // where the parser began it
    YAML::Mark node;   // its top node
  };

  static std::vector<Document> Scan(const std::string& text, size_t limit) {
    std::istringstream in(text);
    YAML::Parser parser(in);
    DocumentStarts handler;
    while (handler.documents_.size() < limit && parser.HandleNextDocument(handler)) {
    }
    return std::move(handler.documents_);
  }

  void OnDocumentStart(const YAML::Mark& mark) override {
    documents_.push_back({mark, mark});
    top_pending_ = true;
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { Node(mark); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { Node(mark); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                const std::string&) override {
    Node(mark);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    Node(mark);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    Node(mark);
  }
  void OnMapEnd() override {}

 private:
  void Node(const YAML::Mark& mark) {
    if (!top_pending_ || documents_.empty()) return;
    documents_.back().node = mark;
    top_pending_ = false;
  }

  std::vector<Document> documents_;
  bool top_pending_ = false;
};

}  // namespace

YamlReader YamlReader::OpenFile(const std::string& path, Keys allowed) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw ConfigError(path, 0, "", "is a directory, expected a YAML file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(path, 0, "", std::string("cannot read file: ") + std::strerror(errno));
  std::stringstream text;
  text << in.rdbuf();
  std::vector<YAML::Node> documents;
  try {
    const auto found = DocumentStarts::Scan(text.str(), 3);
    for (size_t i = 1; i < found.size(); ++i) {
      const YAML::Mark& start = found[i].start;
      if (start.pos != found[i - 1].start.pos) continue;
      const size_t at = static_cast<size_t>(std::max(start.pos, 0));
      const bool comma = at < text.str().size() && text.str()[at] == ',';
      throw ConfigError(path, start.line + 1, "",
                        comma ? "YAML syntax error: a ',' outside of a [list] or {map}"
                              : "YAML syntax error: the parser cannot get past column " +
                                    std::to_string(start.column + 1));
    }
    if (found.size() > 1) {
      throw ConfigError(path, found[1].node.line + 1, "",
                        "a second YAML document: expected exactly one");
    }
    // One document at most: LoadAll ends.
    if (!found.empty()) documents = YAML::LoadAll(text.str());
  } catch (const YAML::Exception& e) {
    throw ConfigError(path, e.mark.line + 1, "", "YAML syntax error: " + e.msg);
  }
  if (documents.empty()) {
    throw ConfigError(path, 0, "", "file is empty: expected a map with keys " + Join(allowed));
  }
  if (!documents[0].IsMap()) {
    throw ConfigError(
        path, std::max(LineOfNode(documents[0]), 1), "",
        "expected a map with keys " + Join(allowed) + ", found " + TypeName(documents[0]));
  }
  return YamlReader(documents[0], path, "", std::move(allowed));
}

YamlReader::YamlReader(std::string file, std::string key_path, int line)
    : file_(std::move(file)), key_path_(std::move(key_path)), line_(line) {}

YamlReader::YamlReader(YAML::Node map, std::string file, std::string key_path, Keys allowed)
    : file_(std::move(file)),
      key_path_(std::move(key_path)),
      line_(LineOfNode(map)),
      allowed_(std::move(allowed)) {
  if (!map.IsMap()) FailHere("expected a map, found " + TypeName(map, "{}"));
  for (auto it = map.begin(); it != map.end(); ++it) {
    const int line = LineOfNode(it->first);
    if (!it->first.IsScalar()) {
      throw ConfigError(file_, line, key_path_,
                        "a key must be a plain name, found " + TypeName(it->first));
    }
    Entry entry{it->first.Scalar(), line, it->second};
    if (std::find(allowed_.begin(), allowed_.end(), entry.key) == allowed_.end()) {
      throw ConfigError(file_, line, PathOf(entry.key),
                        "unknown key" + Suggestion(entry.key) + "; allowed here: " + AllowedList());
    }
    if (const Entry* first = Find(entry.key)) {
      throw ConfigError(file_, line, PathOf(entry.key),
                        "duplicate key (first at line " + std::to_string(first->line) + ")");
    }
    entries_.push_back(std::move(entry));
  }
}

const YamlReader::Entry* YamlReader::Find(std::string_view key) const {
  for (const Entry& entry : entries_) {
    if (entry.key == key) return &entry;
  }
  return nullptr;
}

int YamlReader::LineOf(std::string_view key) const {
  const Entry* entry = Find(key);
  return entry ? entry->line : line_;
}

std::string YamlReader::PathOf(std::string_view key) const {
  return key_path_.empty() ? std::string(key) : key_path_ + "." + std::string(key);
}

std::string YamlReader::Suggestion(std::string_view unknown) const {
  std::string_view best;
  size_t best_distance = 3;  // suggest only near misses: at most 2 edits
  for (std::string_view key : allowed_) {
    const size_t distance = EditDistance(unknown, key);
    if (distance < best_distance) {
      best = key;
      best_distance = distance;
    }
  }
  return best.empty() ? std::string() : " (did you mean '" + std::string(best) + "'?)";
}

std::string YamlReader::AllowedList() const {
  return Join(allowed_);
}

void YamlReader::Fail(std::string_view key, const std::string& reason) const {
  throw ConfigError(file_, LineOf(key), PathOf(key), reason);
}

void YamlReader::FailItem(std::string_view key, size_t index, const std::string& reason) const {
  throw ConfigError(file_, ItemLine(key, index), PathOf(key) + "[" + std::to_string(index) + "]",
                    reason);
}

void YamlReader::FailHere(const std::string& reason) const {
  throw ConfigError(file_, line_, key_path_, reason);
}

void YamlReader::FailMissing(std::string_view key) const {
  throw ConfigError(file_, line_, PathOf(key), "required key is missing");
}

const YamlReader::Entry* YamlReader::Scalar(std::string_view key, Presence presence) const {
  const Entry* entry = Find(key);
  if (!entry) {
    if (presence == Presence::kRequired) FailMissing(key);
    return nullptr;
  }
  if (!entry->value.IsScalar()) Fail(key, "expected a value, found " + TypeName(entry->value));
  return entry;
}

bool YamlReader::String(std::string_view key, std::string& out, Presence presence,
                        const ValueCheck& check) const {
  const Entry* entry = Scalar(key, presence);
  if (!entry) return false;
  std::string text = entry->value.Scalar();
  if (check) {
    if (std::string reason = check(text); !reason.empty()) Fail(key, reason);
  }
  out = std::move(text);
  return true;
}

bool YamlReader::Bool(std::string_view key, bool& out) const {
  const Entry* entry = Scalar(key, Presence::kOptional);
  if (!entry) return false;
  if (!YAML::convert<bool>::decode(entry->value, out)) {
    Fail(key, "expected true or false, found " + TypeName(entry->value));
  }
  return true;
}

bool YamlReader::Uint(std::string_view key, uint32_t& out, uint32_t min, uint32_t max,
                      Presence presence) const {
  const Entry* entry = Scalar(key, presence);
  if (!entry) return false;
  uint64_t value = 0;
  if (!ParseUnsigned(entry->value.Scalar(), value)) {
    Fail(key, "expected a whole number " + std::to_string(min) + ".." + std::to_string(max) +
                  ", found " + TypeName(entry->value));
  }
  if (value < min || value > max) {
    Fail(key, "value " + entry->value.Scalar() + " out of range " + std::to_string(min) + ".." +
                  std::to_string(max));
  }
  out = static_cast<uint32_t>(value);
  return true;
}

bool YamlReader::Port(std::string_view key, uint16_t& out, uint16_t min) const {
  const Entry* entry = Scalar(key, Presence::kOptional);
  if (!entry) return false;
  uint64_t value = 0;
  if (!ParseUnsigned(entry->value.Scalar(), value)) {
    Fail(key, "expected a port number, found " + TypeName(entry->value));
  }
  if (value < min || value > 65535) {
    Fail(key, "port " + entry->value.Scalar() + " out of range " + std::to_string(min) + "..65535");
  }
  out = static_cast<uint16_t>(value);
  return true;
}

bool YamlReader::DurationMs(std::string_view key, uint32_t& out, uint32_t min_ms,
                            uint32_t max_ms) const {
  const Entry* entry = Scalar(key, Presence::kOptional);
  if (!entry) return false;
  uint64_t value = 0;
  if (std::string reason = ParseDurationMs(entry->value.Scalar(), value); !reason.empty()) {
    Fail(key, reason);
  }
  if (value < min_ms || value > max_ms) {
    Fail(key, "duration " + entry->value.Scalar() + " out of range " + std::to_string(min_ms) +
                  ".." + std::to_string(max_ms) + " ms");
  }
  out = static_cast<uint32_t>(value);
  return true;
}

bool YamlReader::Listen(std::string_view key, ListenAddress& out, Presence presence) const {
  std::string text;
  if (!String(key, text, presence)) return false;
  if (std::string reason = ParseListenAddress(text, out); !reason.empty()) Fail(key, reason);
  return true;
}

bool YamlReader::Listen(std::string_view key, std::optional<ListenAddress>& out) const {
  std::string text;
  if (!String(key, text)) return false;
  if (text.empty()) {
    out.reset();
    return true;
  }
  ListenAddress address;
  if (std::string reason = ParseListenAddress(text, address); !reason.empty()) Fail(key, reason);
  out = address;
  return true;
}

bool YamlReader::Path(std::string_view key, std::string& out, PathKind kind,
                      Presence presence) const {
  namespace fs = std::filesystem;
  std::string text;
  if (!String(key, text, presence)) return false;
  if (text.empty()) {
    if (presence == Presence::kRequired) Fail(key, "must not be empty");
    out.clear();
    return true;
  }
  fs::path path(text);
  if (path.is_relative()) path = fs::path(file_).parent_path() / path;
  path = path.lexically_normal();
  const std::string resolved = path.string();
  std::error_code ec;
  const bool is_directory = fs::is_directory(path, ec);
  switch (kind) {
    case PathKind::kReadableFile:
      if (::access(resolved.c_str(), R_OK) != 0) {
        Fail(key, "cannot read file '" + resolved + "': " + std::strerror(errno));
      }
      if (is_directory) Fail(key, "'" + resolved + "' is a directory, expected a file");
      break;
    case PathKind::kReadableDirectory:
      if (fs::exists(path, ec) && !is_directory) {
        Fail(key, "'" + resolved + "' is not a directory");
      }
      if (::access(resolved.c_str(), R_OK | X_OK) != 0) {
        Fail(key, "cannot read directory '" + resolved + "': " + std::strerror(errno));
      }
      break;
    case PathKind::kWritableFile: {
      if (is_directory) Fail(key, "'" + resolved + "' is a directory, expected a file");
      const bool exists = fs::exists(path, ec);
      const fs::path folder = path.has_parent_path() ? path.parent_path() : fs::path(".");
      const std::string checked = exists ? resolved : folder.string();
      if (::access(checked.c_str(), exists ? W_OK : (W_OK | X_OK)) != 0) {
        Fail(key, "cannot write '" + checked + "': " + std::strerror(errno));
      }
      break;
    }
  }
  out = resolved;
  return true;
}

bool YamlReader::StringList(std::string_view key, std::vector<std::string>& out,
                            const ValueCheck& check, size_t min_items, Presence presence) const {
  const Entry* entry = Find(key);
  if (!entry) {
    if (presence == Presence::kRequired) FailMissing(key);
    return false;
  }
  if (!entry->value.IsSequence())
    Fail(key, "expected a list, found " + TypeName(entry->value, "[]"));
  std::vector<std::string> items;
  for (size_t i = 0; i < entry->value.size(); ++i) {
    const YAML::Node item = entry->value[i];
    if (!item.IsScalar()) FailItem(key, i, "expected a value, found " + TypeName(item));
    const std::string& text = item.Scalar();
    if (check) {
      if (std::string reason = check(text); !reason.empty()) FailItem(key, i, reason);
    }
    const auto seen = std::find(items.begin(), items.end(), text);
    if (seen != items.end()) {
      FailItem(
          key, i,
          "duplicate item '" + text + "' (also item " + std::to_string(seen - items.begin()) + ")");
    }
    items.push_back(text);
  }
  if (items.size() < min_items) {
    Fail(key, "expected at least " + std::to_string(min_items) + " item(s), found " +
                  std::to_string(items.size()));
  }
  out = std::move(items);
  return true;
}

int YamlReader::ItemLine(std::string_view key, size_t index) const {
  const Entry* entry = Find(key);
  if (!entry) return line_;
  if (!entry->value.IsSequence() || index >= entry->value.size()) return entry->line;
  const YAML::Node item = entry->value[index];
  // A null item has no position of its own (yaml-cpp marks the next token): use the key's line.
  return item.IsNull() ? entry->line : LineOfNode(item);
}

YamlReader YamlReader::Map(std::string_view key, Keys allowed, Presence presence) const {
  const Entry* entry = Find(key);
  if (!entry || entry->value.IsNull()) {
    // Absent, or present with every key commented out: an empty map.
    if (!entry && presence == Presence::kRequired) FailMissing(key);
    YamlReader empty(file_, PathOf(key), entry ? entry->line : line_);
    empty.allowed_ = std::move(allowed);
    return empty;
  }
  if (!entry->value.IsMap()) {
    Fail(key,
         "expected a map with keys " + Join(allowed) + ", found " + TypeName(entry->value, "{}"));
  }
  return YamlReader(entry->value, file_, PathOf(key), std::move(allowed));
}

std::vector<YamlReader> YamlReader::MapList(std::string_view key, Keys allowed, size_t min_items,
                                            Presence presence) const {
  const Entry* entry = Find(key);
  std::vector<YamlReader> items;
  if (!entry) {
    if (presence == Presence::kRequired) FailMissing(key);
    return items;
  }
  if (!entry->value.IsSequence())
    Fail(key, "expected a list, found " + TypeName(entry->value, "[]"));
  for (size_t i = 0; i < entry->value.size(); ++i) {
    const YAML::Node item = entry->value[i];
    if (!item.IsMap()) {
      FailItem(key, i,
               "expected a map with keys " + Join(allowed) + ", found " + TypeName(item, "{}"));
    }
    items.emplace_back(item, file_, PathOf(key) + "[" + std::to_string(i) + "]", allowed);
  }
  if (items.size() < min_items) {
    Fail(key, "expected at least " + std::to_string(min_items) + " item(s), found " +
                  std::to_string(items.size()));
  }
  return items;
}

}  // namespace tributary::config
