#pragma once

// The identity of a stream everywhere in the system: (vhost, app, stream). Printed
// "vhost/app/stream"; hashable for the router's and the directory's maps.

#include <cstddef>
#include <functional>
#include <ostream>
#include <string>

namespace tributary::sfu {

struct StreamKey {
  std::string vhost;
  std::string app;
  std::string stream;

  std::string ToString() const;
  bool operator==(const StreamKey&) const = default;

  struct Hash {
    size_t operator()(const StreamKey& key) const;
  };
};

std::ostream& operator<<(std::ostream& out, const StreamKey& key);

}  // namespace tributary::sfu

template <>
struct std::hash<tributary::sfu::StreamKey> {
  size_t operator()(const tributary::sfu::StreamKey& key) const {
    return tributary::sfu::StreamKey::Hash{}(key);
  }
};
