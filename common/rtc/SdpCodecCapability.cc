#include "rtc/SdpCodecCapability.h"

namespace tributary::rtc {

namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string ParameterOr(std::string_view fmtp, std::string_view key, std::string_view fallback) {
  std::optional<std::string> value = FmtpParameter(fmtp, key);
  return value ? *value : std::string(fallback);
}

std::vector<SdpRtcpFeedback> VideoFeedback() {
  return {{"goog-remb", ""}, {"transport-cc", ""}, {"ccm", "fir"}, {"nack", ""}, {"nack", "pli"}};
}

SdpCodecCapability Video(std::string name, std::string fmtp) {
  SdpCodecCapability c;
  c.kind = MediaKind::kVideo;
  c.name = std::move(name);
  c.clock_rate = 90000;
  c.fmtp = std::move(fmtp);
  c.feedback = VideoFeedback();
  c.rtx = true;
  return c;
}

}  // namespace

std::optional<H264Profile> H264ProfileFromProfileLevelId(std::string_view profile_level_id) {
  if (profile_level_id.size() != 6) return std::nullopt;
  int bytes[3];
  for (int i = 0; i < 3; ++i) {
    int hi = HexDigit(profile_level_id[2 * i]);
    int lo = HexDigit(profile_level_id[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    bytes[i] = hi * 16 + lo;
  }
  int idc = bytes[0];
  int iop = bytes[1];
  bool cs0 = iop & 0x80, cs1 = iop & 0x40, cs4 = iop & 0x08, cs5 = iop & 0x04;
  switch (idc) {
    case 0x42:  // Baseline; constraint_set1 makes it Constrained Baseline
      return cs1 ? H264Profile::kConstrainedBaseline : H264Profile::kBaseline;
    case 0x4d:  // Main; constraint_set0 (Baseline-decodable) makes it Constrained Baseline
      return cs0 ? H264Profile::kConstrainedBaseline : H264Profile::kMain;
    case 0x58:  // Extended
      if (cs0 && cs1) return H264Profile::kConstrainedBaseline;
      return cs0 ? H264Profile::kBaseline : H264Profile::kExtended;
    case 0x64:  // High; constraint_set4 and 5 make it Constrained High
      return cs4 && cs5 ? H264Profile::kConstrainedHigh : H264Profile::kHigh;
    case 0x6e:
      return H264Profile::kHigh10;
    case 0x7a:
      return H264Profile::kHigh422;
    case 0xf4:
      return H264Profile::kHigh444;
    default:
      return std::nullopt;
  }
}

bool IsAuxiliaryCodec(std::string_view name) {
  return EqualsIgnoreCase(name, "rtx") || EqualsIgnoreCase(name, "red") ||
         EqualsIgnoreCase(name, "ulpfec") || EqualsIgnoreCase(name, "cn") ||
         EqualsIgnoreCase(name, "telephone-event") ||
         (name.size() >= 7 && EqualsIgnoreCase(name.substr(0, 7), "flexfec"));
}

bool SdpCodecCapability::Matches(MediaKind offered_kind, const SdpCodec& offered) const {
  if (offered_kind != kind || !EqualsIgnoreCase(offered.name, name)) return false;
  if (offered.clock_rate != clock_rate) return false;
  if (kind == MediaKind::kAudio) {
    uint16_t offered_channels = offered.channels == 0 ? 1 : offered.channels;
    uint16_t own_channels = channels == 0 ? 1 : channels;
    if (offered_channels != own_channels) return false;
  }
  if (EqualsIgnoreCase(name, "H264")) {
    if (ParameterOr(offered.fmtp, "packetization-mode", "0") !=
        ParameterOr(fmtp, "packetization-mode", "0")) {
      return false;
    }
    auto offered_profile =
        H264ProfileFromProfileLevelId(ParameterOr(offered.fmtp, "profile-level-id", "42000a"));
    auto own_profile =
        H264ProfileFromProfileLevelId(ParameterOr(fmtp, "profile-level-id", "42000a"));
    return offered_profile && own_profile && *offered_profile == *own_profile;
  }
  if (EqualsIgnoreCase(name, "VP9")) {
    return ParameterOr(offered.fmtp, "profile-id", "0") == ParameterOr(fmtp, "profile-id", "0");
  }
  if (EqualsIgnoreCase(name, "AV1")) {
    return ParameterOr(offered.fmtp, "profile", "0") == ParameterOr(fmtp, "profile", "0");
  }
  return true;
}

std::vector<SdpCodecCapability> SdpCodecCapability::Defaults() {
  std::vector<SdpCodecCapability> out;
  SdpCodecCapability opus;
  opus.kind = MediaKind::kAudio;
  opus.name = "opus";
  opus.clock_rate = 48000;
  opus.channels = 2;
  opus.feedback = {{"transport-cc", ""}, {"nack", ""}};
  out.push_back(opus);
  out.push_back(Video("VP8", ""));
  out.push_back(Video("VP9", "profile-id=0"));
  out.push_back(Video("VP9", "profile-id=2"));
  out.push_back(Video("H264", "packetization-mode=1;profile-level-id=42e01f"));
  out.push_back(Video("H264", "packetization-mode=1;profile-level-id=42001f"));
  out.push_back(Video("H264", "packetization-mode=1;profile-level-id=4d001f"));
  out.push_back(Video("H264", "packetization-mode=1;profile-level-id=640c1f"));
  out.push_back(Video("H264", "packetization-mode=1;profile-level-id=64001f"));
  out.push_back(Video("AV1", "profile=0"));
  return out;
}

}  // namespace tributary::rtc
