#include "sfu/StreamKey.h"

namespace tributary::sfu {

std::string StreamKey::ToString() const {
  std::string out;
  out.reserve(vhost.size() + app.size() + stream.size() + 2);
  out.append(vhost).append("/").append(app).append("/").append(stream);
  return out;
}

size_t StreamKey::Hash::operator()(const StreamKey& key) const {
  // Combine the three parts (boost::hash_combine's mixing); separators are implicit in the
  // combination, so ("a/b", "c") and ("a", "b/c") hash differently.
  const std::hash<std::string> hash;
  size_t seed = hash(key.vhost);
  for (const std::string* part : {&key.app, &key.stream})
    seed ^= hash(*part) + 0x9e3779b97f4a7c15ull + (seed << 6) + (seed >> 2);
  return seed;
}

std::ostream& operator<<(std::ostream& out, const StreamKey& key) {
  return out << key.ToString();
}

}  // namespace tributary::sfu
