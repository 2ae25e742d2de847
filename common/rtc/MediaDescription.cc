#include "rtc/MediaDescription.h"

#include <utility>

namespace tributary::rtc {

bool MediaDescription::IsRtp() const {
  return proto.find("RTP/") != std::string::npos || proto == "RTP" || proto.ends_with("/RTP");
}

bool MediaDescription::IsSctp() const {
  return proto.ends_with("SCTP");
}

void MediaDescription::AddCodec(SdpCodec codec) {
  formats.push_back(std::to_string(codec.payload_type));
  codecs.push_back(std::move(codec));
}

const SdpCodec* MediaDescription::FindCodec(uint8_t payload_type) const {
  for (const SdpCodec& codec : codecs) {
    if (codec.payload_type == payload_type) return &codec;
  }
  return nullptr;
}

SdpCodec* MediaDescription::FindCodec(uint8_t payload_type) {
  for (SdpCodec& codec : codecs) {
    if (codec.payload_type == payload_type) return &codec;
  }
  return nullptr;
}

const SdpSsrc* MediaDescription::FindSsrc(uint32_t ssrc) const {
  for (const SdpSsrc& s : ssrcs) {
    if (s.ssrc == ssrc) return &s;
  }
  return nullptr;
}

std::string MediaDescription::MsidStream() const {
  size_t space = msid.find(' ');
  return msid.substr(0, space);
}

std::string MediaDescription::MsidTrack() const {
  size_t space = msid.find(' ');
  if (space == std::string::npos) return {};
  return msid.substr(space + 1);
}

}  // namespace tributary::rtc
