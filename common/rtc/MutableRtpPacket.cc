#include "rtc/MutableRtpPacket.h"

#include <cstring>

namespace tributary::rtc {

using Form = RtpHeaderExtensions::Form;

std::optional<MutableRtpPacket> MutableRtpPacket::Parse(std::span<uint8_t> data) {
  auto view = RtpPacket::Parse(data);
  if (!view) return std::nullopt;
  return MutableRtpPacket(*view, data.data());
}

std::optional<MutableRtpPacket> MutableRtpPacket::CopyFrom(const RtpPacket& packet,
                                                           std::span<uint8_t> out) {
  if (out.size() < packet.Size()) return std::nullopt;
  std::memmove(out.data(), packet.Data().data(), packet.Size());
  return MutableRtpPacket(packet, out.data());
}

std::optional<std::span<uint8_t>> MutableRtpPacket::FindMutableExtension(uint8_t id) {
  auto element = FindExtension(id);
  if (!element) return std::nullopt;
  return std::span<uint8_t>(bytes_ + (element->value.data() - data_), element->value.size());
}

bool MutableRtpPacket::SetExtensionId(uint8_t id, uint8_t new_id) {
  const RtpHeaderExtensions block = Extensions();
  const Form form = block.form();
  if (new_id == 0 || (form == Form::kOneByte && new_id > RtpHeaderExtensions::kOneByteMaxId)) {
    return false;
  }
  auto element = block.Find(id);
  if (!element) return false;
  uint8_t* id_byte = IdByteOf(element->value, form);
  if (form == Form::kOneByte) {
    *id_byte = static_cast<uint8_t>((new_id << 4) | (*id_byte & 0x0F));
  } else {
    *id_byte = new_id;
  }
  return true;
}

bool MutableRtpPacket::SetExtensionValue(uint8_t id, std::span<const uint8_t> value) {
  auto target = FindMutableExtension(id);
  if (!target || target->size() != value.size()) return false;
  std::memmove(target->data(), value.data(), value.size());
  return true;
}

void MutableRtpPacket::MapExtensionIds(const RtpExtensionIdMap& map) {
  const RtpHeaderExtensions block = Extensions();
  const Form form = block.form();
  // Rewriting an id never changes where the next element starts, so one walk is enough.
  for (const RtpHeaderExtension& element : block) {
    uint8_t* id_byte = IdByteOf(element.value, form);
    const uint8_t new_id = map[element.id];
    const bool representable =
        new_id != 0 && (form == Form::kTwoByte || new_id <= RtpHeaderExtensions::kOneByteMaxId);
    if (!representable) {
      const size_t header = form == Form::kOneByte ? 1 : 2;
      std::memset(id_byte, 0, header + element.value.size());
    } else if (form == Form::kOneByte) {
      *id_byte = static_cast<uint8_t>((new_id << 4) | (*id_byte & 0x0F));
    } else {
      *id_byte = new_id;
    }
  }
}

}  // namespace tributary::rtc
