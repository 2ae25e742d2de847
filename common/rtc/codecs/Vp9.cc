#include "rtc/codecs/Vp9.h"

namespace tributary::rtc::codecs {

namespace {

// The scalability structure at `at` (RFC 9628 4.2.1); moves `at` past it.
bool SkipScalabilityStructure(std::span<const uint8_t> payload, size_t& at, Vp9Descriptor& d) {
  const size_t size = payload.size();
  const uint8_t* p = payload.data();
  if (at >= size) return false;
  const size_t spatial_layers = static_cast<size_t>(p[at] >> 5) + 1;
  const bool has_resolution = (p[at] & 0x10) != 0;  // Y
  const bool has_groups = (p[at] & 0x08) != 0;      // G
  ++at;
  d.spatial_layer_count = static_cast<uint8_t>(spatial_layers);
  if (has_resolution) {
    if (size - at < 4 * spatial_layers) return false;
    at += 4 * spatial_layers;
  }
  if (has_groups) {
    if (at >= size) return false;
    const size_t groups = p[at++];
    for (size_t g = 0; g < groups; ++g) {
      if (at >= size) return false;
      const size_t references = (p[at] >> 2) & 0x3;  // R
      ++at;
      if (size - at < references) return false;
      at += references;
    }
  }
  return true;
}

}  // namespace

std::optional<Vp9Descriptor> Vp9::ParseDescriptor(std::span<const uint8_t> payload) {
  const size_t size = payload.size();
  const uint8_t* p = payload.data();
  if (size < 1) return std::nullopt;
  Vp9Descriptor d;
  d.has_picture_id = (p[0] & 0x80) != 0;
  d.inter_picture_predicted = (p[0] & 0x40) != 0;
  d.has_layer_indices = (p[0] & 0x20) != 0;
  d.flexible_mode = (p[0] & 0x10) != 0;
  d.start_of_frame = (p[0] & 0x08) != 0;
  d.end_of_frame = (p[0] & 0x04) != 0;
  d.has_scalability_structure = (p[0] & 0x02) != 0;
  d.not_reference_for_upper_layer = (p[0] & 0x01) != 0;
  size_t at = 1;
  if (d.has_picture_id) {
    if (at >= size) return std::nullopt;
    d.long_picture_id = (p[at] & 0x80) != 0;
    if (d.long_picture_id) {
      if (size - at < 2) return std::nullopt;
      d.picture_id = static_cast<uint16_t>(((p[at] & 0x7F) << 8) | p[at + 1]);
      at += 2;
    } else {
      d.picture_id = p[at++] & 0x7F;
    }
  }
  if (d.has_layer_indices) {
    if (at >= size) return std::nullopt;
    d.temporal_id = p[at] >> 5;
    d.switching_up_point = (p[at] & 0x10) != 0;
    d.spatial_id = (p[at] >> 1) & 0x7;
    d.inter_layer_dependency = (p[at] & 0x01) != 0;
    ++at;
    if (!d.flexible_mode) {
      if (at >= size) return std::nullopt;
      d.tl0_pic_idx = p[at++];
    }
  }
  if (d.flexible_mode && d.inter_picture_predicted) {
    bool more = true;
    while (more) {
      if (at >= size || d.reference_count == 3) return std::nullopt;
      more = (p[at] & 0x01) != 0;
      ++d.reference_count;
      ++at;
    }
  }
  if (d.has_scalability_structure && !SkipScalabilityStructure(payload, at, d)) {
    return std::nullopt;
  }
  d.size = at;
  return d;
}

bool Vp9::IsKeyframe(std::span<const uint8_t> payload) {
  const auto d = ParseDescriptor(payload);
  return d && !d->inter_picture_predicted && d->start_of_frame && d->spatial_id == 0;
}

}  // namespace tributary::rtc::codecs
