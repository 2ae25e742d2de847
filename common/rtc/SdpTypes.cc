#include "rtc/SdpTypes.h"

namespace tributary::rtc {

std::string_view ToString(SdpDirection direction) {
  switch (direction) {
    case SdpDirection::kSendRecv:
      return "sendrecv";
    case SdpDirection::kSendOnly:
      return "sendonly";
    case SdpDirection::kRecvOnly:
      return "recvonly";
    case SdpDirection::kInactive:
      return "inactive";
  }
  return "inactive";
}

std::string_view ToString(SdpSetup setup) {
  switch (setup) {
    case SdpSetup::kActPass:
      return "actpass";
    case SdpSetup::kActive:
      return "active";
    case SdpSetup::kPassive:
      return "passive";
    case SdpSetup::kHoldConn:
      return "holdconn";
  }
  return "holdconn";
}

std::string_view ToString(MediaKind kind) {
  switch (kind) {
    case MediaKind::kAudio:
      return "audio";
    case MediaKind::kVideo:
      return "video";
    case MediaKind::kApplication:
      return "application";
    case MediaKind::kOther:
      return "other";
  }
  return "other";
}

std::optional<SdpDirection> ParseSdpDirection(std::string_view text) {
  if (text == "sendrecv") return SdpDirection::kSendRecv;
  if (text == "sendonly") return SdpDirection::kSendOnly;
  if (text == "recvonly") return SdpDirection::kRecvOnly;
  if (text == "inactive") return SdpDirection::kInactive;
  return std::nullopt;
}

std::optional<SdpSetup> ParseSdpSetup(std::string_view text) {
  if (text == "actpass") return SdpSetup::kActPass;
  if (text == "active") return SdpSetup::kActive;
  if (text == "passive") return SdpSetup::kPassive;
  if (text == "holdconn") return SdpSetup::kHoldConn;
  return std::nullopt;
}

MediaKind ParseMediaKind(std::string_view media) {
  if (media == "audio") return MediaKind::kAudio;
  if (media == "video") return MediaKind::kVideo;
  if (media == "application") return MediaKind::kApplication;
  return MediaKind::kOther;
}

bool Sends(SdpDirection direction) {
  return direction == SdpDirection::kSendRecv || direction == SdpDirection::kSendOnly;
}

bool Receives(SdpDirection direction) {
  return direction == SdpDirection::kSendRecv || direction == SdpDirection::kRecvOnly;
}

SdpDirection MakeDirection(bool send, bool receive) {
  if (send && receive) return SdpDirection::kSendRecv;
  if (send) return SdpDirection::kSendOnly;
  if (receive) return SdpDirection::kRecvOnly;
  return SdpDirection::kInactive;
}

SdpDirection Reverse(SdpDirection direction) {
  return MakeDirection(Receives(direction), Sends(direction));
}

namespace {
char LowerAscii(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}
std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}
}  // namespace

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (LowerAscii(a[i]) != LowerAscii(b[i])) return false;
  }
  return true;
}

std::string ToLower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    c = LowerAscii(c);
  return out;
}

std::optional<std::string> FmtpParameter(std::string_view fmtp, std::string_view key) {
  while (!fmtp.empty()) {
    size_t end = fmtp.find(';');
    std::string_view item = Trim(fmtp.substr(0, end));
    fmtp = end == std::string_view::npos ? std::string_view{} : fmtp.substr(end + 1);
    size_t eq = item.find('=');
    if (eq == std::string_view::npos) continue;
    if (EqualsIgnoreCase(Trim(item.substr(0, eq)), key)) {
      return std::string(Trim(item.substr(eq + 1)));
    }
  }
  return std::nullopt;
}

}  // namespace tributary::rtc
