#pragma once

// The codecs the SFU forwards, looked up by their SDP/MIME name, and keyframe detection across
// them (each codec's own class has the details).

#include <cstdint>
#include <span>
#include <string_view>

namespace tributary::rtc::codecs {

enum class CodecKind : uint8_t { kUnknown, kOpus, kVp8, kVp9, kH264, kAv1 };

// "VP8", "vp8" or "video/VP8" (case-insensitive, the "audio/"/"video/" prefix optional).
// "AV1X" is the name older Chrome versions used for AV1.
CodecKind CodecKindFromMimeName(std::string_view name);
// "audio/opus", "video/VP8", ...; empty for kUnknown.
std::string_view MimeName(CodecKind kind);
bool IsVideo(CodecKind kind);

// Whether this RTP payload starts a frame that decodes on its own. Audio (Opus) packets always
// do; unknown codecs never.
bool IsKeyframe(CodecKind kind, std::span<const uint8_t> payload);

}  // namespace tributary::rtc::codecs
