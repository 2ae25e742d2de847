#include "rtc/codecs/CodecKind.h"

#include <array>
#include <utility>

#include "rtc/codecs/Av1.h"
#include "rtc/codecs/H264.h"
#include "rtc/codecs/Opus.h"
#include "rtc/codecs/Vp8.h"
#include "rtc/codecs/Vp9.h"

namespace tributary::rtc::codecs {

namespace {

constexpr std::array<std::pair<CodecKind, std::string_view>, 5> kMimeNames = {{
    {CodecKind::kOpus, "audio/opus"},
    {CodecKind::kVp8, "video/VP8"},
    {CodecKind::kVp9, "video/VP9"},
    {CodecKind::kH264, "video/H264"},
    {CodecKind::kAv1, "video/AV1"},
}};

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::string_view Subtype(std::string_view mime) {
  return mime.substr(mime.find('/') + 1);
}

}  // namespace

CodecKind CodecKindFromMimeName(std::string_view name) {
  const bool has_type = name.find('/') != std::string_view::npos;
  for (const auto& [kind, mime] : kMimeNames) {
    if (EqualsIgnoreCase(name, has_type ? mime : Subtype(mime))) return kind;
  }
  if (EqualsIgnoreCase(name, has_type ? std::string_view("video/AV1X") : "AV1X")) {
    return CodecKind::kAv1;
  }
  return CodecKind::kUnknown;
}

std::string_view MimeName(CodecKind kind) {
  for (const auto& [known, mime] : kMimeNames) {
    if (known == kind) return mime;
  }
  return {};
}

bool IsVideo(CodecKind kind) {
  return kind != CodecKind::kUnknown && kind != CodecKind::kOpus;
}

bool IsKeyframe(CodecKind kind, std::span<const uint8_t> payload) {
  switch (kind) {
    case CodecKind::kOpus:
      return Opus::IsKeyframe(payload);
    case CodecKind::kVp8:
      return Vp8::IsKeyframe(payload);
    case CodecKind::kVp9:
      return Vp9::IsKeyframe(payload);
    case CodecKind::kH264:
      return H264::IsKeyframe(payload);
    case CodecKind::kAv1:
      return Av1::IsKeyframe(payload);
    case CodecKind::kUnknown:
      break;
  }
  return false;
}

}  // namespace tributary::rtc::codecs
