#include "rtc/SdpParser.h"

#include <charconv>
#include <utility>
#include <vector>

namespace tributary::rtc {

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> SplitSpaces(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t'))
      ++i;
    size_t start = i;
    while (i < s.size() && s[i] != ' ' && s[i] != '\t')
      ++i;
    if (i > start) out.push_back(s.substr(start, i - start));
  }
  return out;
}

// Splits "<first> <rest>" at the first run of blanks; rest is trimmed.
std::pair<std::string_view, std::string_view> SplitFirst(std::string_view s) {
  s = Trim(s);
  size_t i = 0;
  while (i < s.size() && s[i] != ' ' && s[i] != '\t')
    ++i;
  return {s.substr(0, i), Trim(s.substr(i))};
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  while (true) {
    size_t i = s.find(sep);
    out.push_back(s.substr(0, i));
    if (i == std::string_view::npos) break;
    s.remove_prefix(i + 1);
  }
  return out;
}

// A value quoted for an error message: at most 40 characters, unprintable bytes as \xNN.
std::string Quote(std::string_view s) {
  std::string out = "'";
  size_t n = 0;
  for (char c : s) {
    if (++n > 40) {
      out += "...";
      break;
    }
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7f) {
      static const char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 15];
    } else {
      out += c;
    }
  }
  out += "'";
  return out;
}

bool IsTokenChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '-':
    case '.':
    case '!':
    case '%':
    case '*':
    case '_':
    case '+':
    case '`':
    case '\'':
    case '~':
      return true;
    default:
      return false;
  }
}

bool IsToken(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!IsTokenChar(c)) return false;
  }
  return true;
}

// Printable, no blanks: what a single SDP field may hold (UTF-8 allowed).
bool IsField(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f) return false;
  }
  return true;
}

bool IsIceChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '/';
}

bool IsRidChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

template <typename T>
bool ParseDecimal(std::string_view s, size_t max_digits, T& out) {
  if (s.empty() || s.size() > max_digits) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

bool ParsePayloadType(std::string_view s, uint8_t& pt, std::string& detail) {
  uint32_t value = 0;
  if (!ParseDecimal(s, 10, value)) {
    detail = "payload type " + Quote(s) + " is not a number in 0..127";
    return false;
  }
  if (value > 127) {
    detail = "payload type " + std::to_string(value) + " out of range 0..127";
    return false;
  }
  pt = static_cast<uint8_t>(value);
  return true;
}

bool ParseSsrcValue(std::string_view s, uint32_t& ssrc, std::string& detail) {
  if (!ParseDecimal(s, 10, ssrc)) {
    detail = "SSRC " + Quote(s) + " is not a number in 0..4294967295";
    return false;
  }
  return true;
}

// Returns 0 when the text is clean, else the 1-based column of the first offending byte and
// what is wrong with it.
size_t FindBadByte(std::string_view line, std::string& what) {
  size_t i = 0;
  while (i < line.size()) {
    auto u = static_cast<unsigned char>(line[i]);
    if (u < 0x80) {
      if ((u < 0x20 && u != '\t') || u == 0x7f) {
        static const char kHex[] = "0123456789abcdef";
        what = std::string("byte 0x") + kHex[u >> 4] + kHex[u & 15] +
               " is a control character: SDP is text (binary data?)";
        return i + 1;
      }
      ++i;
      continue;
    }
    size_t len = 0;
    unsigned char lo = 0x80, hi = 0xbf;
    if (u >= 0xc2 && u <= 0xdf) {
      len = 2;
    } else if (u >= 0xe0 && u <= 0xef) {
      len = 3;
      if (u == 0xe0) lo = 0xa0;
      if (u == 0xed) hi = 0x9f;
    } else if (u >= 0xf0 && u <= 0xf4) {
      len = 4;
      if (u == 0xf0) lo = 0x90;
      if (u == 0xf4) hi = 0x8f;
    }
    bool ok = len != 0 && i + len <= line.size();
    for (size_t k = 1; ok && k < len; ++k) {
      auto c = static_cast<unsigned char>(line[i + k]);
      unsigned char min = k == 1 ? lo : 0x80;
      unsigned char max = k == 1 ? hi : 0xbf;
      ok = c >= min && c <= max;
    }
    if (!ok) {
      what = "invalid UTF-8: SDP is UTF-8 text (binary data?)";
      return i + 1;
    }
    i += len;
  }
  return 0;
}

size_t FingerprintLength(std::string_view algorithm) {
  if (algorithm == "sha-1") return 20;
  if (algorithm == "sha-224") return 28;
  if (algorithm == "sha-256") return 32;
  if (algorithm == "sha-384") return 48;
  if (algorithm == "sha-512") return 64;
  if (algorithm == "md5" || algorithm == "md2") return 16;
  return 0;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Parse state of the session or of one m= section: which single-valued attributes were seen.
struct Seen {
  size_t mid = 0;
  bool msid = false;
  bool direction = false;
  bool ufrag = false;
  bool pwd = false;
  bool setup = false;
  bool sctp_port = false;
  bool max_message_size = false;
  bool sctpmap = false;
  bool simulcast = false;
  std::vector<bool> fmtp = std::vector<bool>(128, false);
};

class Parser {
 public:
  Parser(const SdpLimits& limits, bool fragment) : limits_(limits), fragment_(fragment) {}

  bool Run(std::string_view text, SessionDescription& out);
  const std::string& error() const { return error_; }

 private:
  bool Fail(const std::string& message) {
    error_ = "line " + std::to_string(line_no_) + ": " + message;
    return false;
  }
  bool FailAttribute(std::string_view name, const std::string& detail) {
    return Fail("a=" + std::string(name) + ": " + detail);
  }

  bool ParseLine(char type, std::string_view value, SessionDescription& out);
  bool ParseOrigin(std::string_view value, SdpOrigin& origin);
  bool ParseTiming(std::string_view value, SessionDescription& out);
  bool ParseConnection(std::string_view value, SdpConnection& connection);
  bool ParseBandwidth(std::string_view value, std::vector<std::string>& out);
  bool ParseMediaLine(std::string_view value, SessionDescription& out);
  bool ParseSessionAttribute(std::string_view name, std::optional<std::string_view> value,
                             std::string_view raw, SessionDescription& out);
  bool ParseMediaAttribute(std::string_view name, std::optional<std::string_view> value,
                           std::string_view raw, SessionDescription& session, MediaDescription& m);
  // Attributes that may appear at both levels. Returns true when `name` was one of them, with
  // `ok` saying whether its value was valid.
  bool ParseTransportAttribute(std::string_view name, std::string_view value, Seen& seen,
                               std::string& ufrag, std::string& pwd,
                               std::vector<std::string>& options,
                               std::vector<SdpFingerprint>& fingerprints,
                               std::optional<SdpSetup>& setup, bool& ok);
  bool ParseDirection(std::string_view name, Seen& seen, std::optional<SdpDirection>& out);
  bool ParseExtmap(std::string_view name, std::string_view value, std::vector<SdpExtmap>& out);
  bool ParseRtpmap(std::string_view value, MediaDescription& m);
  bool ParseFmtp(std::string_view value, MediaDescription& m);
  bool ParseRtcpFb(std::string_view value, MediaDescription& m);
  bool ParseSsrc(std::string_view value, MediaDescription& m);
  bool ParseSsrcGroup(std::string_view value, MediaDescription& m);
  bool ParseRid(std::string_view value, MediaDescription& m);
  bool ParseSimulcast(std::string_view value, MediaDescription& m);
  bool ParseSimulcastList(std::string_view text, std::vector<std::vector<SdpSimulcastRid>>& out);
  bool Finish(SessionDescription& out);

  const SdpLimits& limits_;
  const bool fragment_;
  std::string error_;
  size_t line_no_ = 0;
  bool seen_v_ = false, seen_o_ = false, seen_s_ = false, seen_t_ = false;
  Seen session_seen_;
  std::optional<SdpDirection> media_direction_;  // of the current m= section, when given
  Seen media_seen_;
  std::vector<size_t> group_lines_;
  size_t simulcast_rids_ = 0;
};

bool Parser::Run(std::string_view text, SessionDescription& out) {
  if (text.size() > limits_.max_total_size) {
    error_ = "the SDP is " + std::to_string(text.size()) + " bytes, more than the limit of " +
             std::to_string(limits_.max_total_size);
    return false;
  }
  size_t pos = 0;
  bool any = false;
  std::vector<std::optional<SdpDirection>> directions;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? nl : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    ++line_no_;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.size() > limits_.max_line_length) {
      return Fail(std::to_string(line.size()) + " characters long, more than the limit of " +
                  std::to_string(limits_.max_line_length));
    }
    std::string what;
    if (size_t column = FindBadByte(line, what); column != 0) {
      return Fail("column " + std::to_string(column) + ": " + what);
    }
    if (line.empty()) continue;  // tolerated, though RFC 8866 has none
    if (line.size() < 2 || line[1] != '=' || line[0] < 'a' || line[0] > 'z') {
      return Fail("expected '<letter>=<value>', got " + Quote(line));
    }
    char type = line[0];
    std::string_view value = line.substr(2);
    if (!any && !fragment_ && type != 'v') {
      return Fail("an SDP must start with v=0, got " + Quote(line));
    }
    any = true;
    size_t sections = out.media.size();
    if (!ParseLine(type, value, out)) return false;
    if (out.media.size() != sections) {
      if (sections > 0) directions.push_back(media_direction_);
      media_direction_.reset();
      media_seen_ = Seen{};
    }
  }
  if (!out.media.empty()) directions.push_back(media_direction_);
  if (!any) {
    error_ = fragment_ ? "empty SDP fragment" : "empty SDP: no v= line";
    return false;
  }
  // Sections without a direction attribute take the session's (default sendrecv).
  for (size_t i = 0; i < out.media.size(); ++i) {
    out.media[i].direction =
        directions[i].value_or(out.direction.value_or(SdpDirection::kSendRecv));
  }
  return Finish(out);
}

bool Parser::ParseLine(char type, std::string_view value, SessionDescription& out) {
  bool in_media = !out.media.empty();
  if (type == 'm') return ParseMediaLine(value, out);
  if (type == 'a') {
    if (value.empty()) return Fail("a=: empty attribute");
    size_t colon = value.find(':');
    std::string_view name = value.substr(0, colon);
    std::optional<std::string_view> attr_value;
    if (colon != std::string_view::npos) attr_value = Trim(value.substr(colon + 1));
    if (!IsToken(name)) return Fail("a=: attribute name " + Quote(name) + " is not a token");
    if (in_media) return ParseMediaAttribute(name, attr_value, value, out, out.media.back());
    return ParseSessionAttribute(name, attr_value, value, out);
  }
  if (in_media) {
    switch (type) {
      case 'c': {
        SdpConnection c;
        if (!ParseConnection(value, c)) return false;
        out.media.back().connection = c;
        return true;
      }
      case 'b':
        return ParseBandwidth(value, out.media.back().bandwidths);
      case 'i':
      case 'k':
        return true;  // media title, encryption key: not used by WebRTC
      default:
        return Fail("'" + std::string(1, type) + "=' is not allowed inside an m= section");
    }
  }
  switch (type) {
    case 'v':
      if (seen_v_) return Fail("second v= line");
      seen_v_ = true;
      if (fragment_) return true;
      if (value != "0") return Fail("v=: version " + Quote(value) + " is not supported (only 0)");
      return true;
    case 'o':
      if (seen_o_) return Fail("second o= line");
      seen_o_ = true;
      return ParseOrigin(value, out.origin);
    case 's':
      if (seen_s_) return Fail("second s= line");
      seen_s_ = true;
      out.session_name = std::string(value);
      return true;
    case 't':
      if (seen_t_) return Fail("second t= line (repeated times are not supported)");
      seen_t_ = true;
      return ParseTiming(value, out);
    case 'c': {
      SdpConnection c;
      if (!ParseConnection(value, c)) return false;
      out.connection = c;
      return true;
    }
    case 'b':
      return ParseBandwidth(value, out.bandwidths);
    case 'i':
    case 'u':
    case 'e':
    case 'p':
    case 'z':
    case 'k':
    case 'r':
      return true;  // informational lines WebRTC does not use
    default:
      return Fail("unknown line type '" + std::string(1, type) + "='");
  }
}

bool Parser::ParseOrigin(std::string_view value, SdpOrigin& origin) {
  if (fragment_) return true;
  auto f = SplitSpaces(value);
  if (f.size() != 6) {
    return Fail(
        "o=: expected '<username> <sess-id> <sess-version> <nettype> <addrtype> <address>', got " +
        Quote(value));
  }
  origin = SdpOrigin{std::string(f[0]), std::string(f[1]), std::string(f[2]),
                     std::string(f[3]), std::string(f[4]), std::string(f[5])};
  return true;
}

bool Parser::ParseTiming(std::string_view value, SessionDescription& out) {
  if (fragment_) return true;
  auto f = SplitSpaces(value);
  if (f.size() != 2 || !ParseDecimal(f[0], 20, out.start_time) ||
      !ParseDecimal(f[1], 20, out.stop_time)) {
    return Fail("t=: expected '<start-time> <stop-time>' (normally '0 0'), got " + Quote(value));
  }
  return true;
}

bool Parser::ParseConnection(std::string_view value, SdpConnection& connection) {
  auto f = SplitSpaces(value);
  if (f.size() != 3) {
    return Fail("c=: expected '<nettype> <addrtype> <address>' (like 'IN IP4 0.0.0.0'), got " +
                Quote(value));
  }
  connection = SdpConnection{std::string(f[0]), std::string(f[1]), std::string(f[2])};
  return true;
}

bool Parser::ParseBandwidth(std::string_view value, std::vector<std::string>& out) {
  std::string_view v = Trim(value);
  size_t colon = v.find(':');
  if (colon == std::string_view::npos || colon == 0 || !IsToken(v.substr(0, colon)) ||
      !IsField(v.substr(colon + 1))) {
    return Fail("b=: expected '<bwtype>:<bandwidth>' (like 'AS:2500'), got " + Quote(value));
  }
  out.emplace_back(v);
  return true;
}

bool Parser::ParseMediaLine(std::string_view value, SessionDescription& out) {
  if (out.media.size() >= limits_.max_media_sections) {
    return Fail("too many m= sections: the limit is " + std::to_string(limits_.max_media_sections));
  }
  auto f = SplitSpaces(value);
  if (f.size() < 4) {
    return Fail("m=: expected '<media> <port> <proto> <format>...', got " + Quote(value));
  }
  MediaDescription m;
  m.line.number = line_no_;
  if (!IsToken(f[0])) return Fail("m=: media type " + Quote(f[0]) + " is not a token");
  m.media = std::string(f[0]);
  std::string_view port = f[1];
  size_t slash = port.find('/');
  if (slash != std::string_view::npos) {
    uint16_t count = 0;
    if (!ParseDecimal(port.substr(slash + 1), 5, count) || count == 0) {
      return Fail("m=" + m.media + ": port count " + Quote(port.substr(slash + 1)) +
                  " is not a number in 1..65535");
    }
    m.port_count = count;
    port = port.substr(0, slash);
  }
  if (!ParseDecimal(port, 5, m.port)) {
    return Fail("m=" + m.media + ": port " + Quote(port) + " is not a number in 0..65535");
  }
  for (std::string_view part : Split(f[2], '/')) {
    if (!IsToken(part)) {
      return Fail("m=" + m.media + ": protocol " + Quote(f[2]) +
                  " is not like UDP/TLS/RTP/SAVPF or UDP/DTLS/SCTP");
    }
  }
  m.proto = std::string(f[2]);
  size_t format_count = f.size() - 3;
  if (format_count > limits_.max_codecs_per_section) {
    return Fail("m=" + m.media + ": " + std::to_string(format_count) +
                " formats, more than the limit of " +
                std::to_string(limits_.max_codecs_per_section));
  }
  bool rtp = m.IsRtp();
  for (size_t i = 3; i < f.size(); ++i) {
    if (!IsField(f[i])) return Fail("m=" + m.media + ": format " + Quote(f[i]) + " is invalid");
    if (rtp) {
      uint8_t pt = 0;
      std::string detail;
      if (!ParsePayloadType(f[i], pt, detail)) return Fail("m=" + m.media + ": " + detail);
      if (m.FindCodec(pt) != nullptr) {
        return Fail("m=" + m.media + ": payload type " + std::to_string(pt) + " is listed twice");
      }
      SdpCodec codec;
      codec.payload_type = pt;
      m.codecs.push_back(codec);
      m.formats.push_back(std::to_string(pt));
    } else {
      m.formats.emplace_back(f[i]);
    }
  }
  out.media.push_back(std::move(m));
  return true;
}

bool Parser::ParseDirection(std::string_view name, Seen& seen, std::optional<SdpDirection>& out) {
  std::optional<SdpDirection> d = ParseSdpDirection(name);
  if (!d) return false;
  if (seen.direction) {
    return Fail("a=" + std::string(name) + ": a second direction attribute (the first was a=" +
                std::string(ToString(*out)) + ")");
  }
  seen.direction = true;
  out = d;
  return true;
}

bool Parser::ParseTransportAttribute(std::string_view name, std::string_view value, Seen& seen,
                                     std::string& ufrag, std::string& pwd,
                                     std::vector<std::string>& options,
                                     std::vector<SdpFingerprint>& fingerprints,
                                     std::optional<SdpSetup>& setup, bool& ok) {
  ok = false;
  if (name == "ice-ufrag" || name == "ice-pwd") {
    bool is_ufrag = name == "ice-ufrag";
    bool& was_seen = is_ufrag ? seen.ufrag : seen.pwd;
    if (was_seen) {
      FailAttribute(name, "given twice at the same level");
      return true;
    }
    was_seen = true;
    size_t min = is_ufrag ? 4 : 22;
    if (value.size() < min || value.size() > 256) {
      FailAttribute(name, Quote(value) + " is " + std::to_string(value.size()) +
                              " characters; RFC 8839 requires " + std::to_string(min) + " to 256");
      return true;
    }
    for (char c : value) {
      if (!IsIceChar(c)) {
        FailAttribute(name, Quote(value) + " has a character outside [A-Za-z0-9+/]");
        return true;
      }
    }
    (is_ufrag ? ufrag : pwd) = std::string(value);
    ok = true;
    return true;
  }
  if (name == "ice-options") {
    // Space-separated by RFC 8839; libdatachannel (OBS) writes "ice2,trickle".
    for (std::string_view option : SplitSpaces(value)) {
      for (std::string_view part : Split(option, ',')) {
        if (part.empty()) continue;
        if (!IsToken(part)) {
          FailAttribute(name, Quote(part) + " is not a token");
          return true;
        }
        options.emplace_back(part);
      }
    }
    ok = true;
    return true;
  }
  if (name == "fingerprint") {
    auto [algorithm, hex] = SplitFirst(value);
    if (!IsToken(algorithm) || hex.empty()) {
      FailAttribute(
          name,
          "expected '<hash-function> <hex bytes>' (like 'sha-256 AB:CD:...'), got " + Quote(value));
      return true;
    }
    SdpFingerprint fp;
    fp.algorithm = ToLower(algorithm);
    size_t bytes = 0;
    bool hex_ok = (hex.size() + 1) % 3 == 0;
    for (size_t i = 0; hex_ok && i < hex.size(); i += 3) {
      int hi = HexValue(hex[i]);
      int lo = HexValue(hex[i + 1]);
      hex_ok = hi >= 0 && lo >= 0 && (i + 2 == hex.size() || hex[i + 2] == ':');
      if (hex_ok) {
        fp.value += "0123456789ABCDEF"[hi];
        fp.value += "0123456789ABCDEF"[lo];
        if (i + 2 < hex.size()) fp.value += ':';
        ++bytes;
      }
    }
    if (!hex_ok || bytes > 64) {
      FailAttribute(name, Quote(hex) + " is not hex bytes separated by colons (like 'AB:CD:...')");
      return true;
    }
    size_t expected = FingerprintLength(fp.algorithm);
    if (expected != 0 && bytes != expected) {
      FailAttribute(name, fp.algorithm + " needs " + std::to_string(expected) + " bytes, got " +
                              std::to_string(bytes));
      return true;
    }
    fingerprints.push_back(std::move(fp));
    ok = true;
    return true;
  }
  if (name == "setup") {
    if (seen.setup) {
      FailAttribute(name, "given twice at the same level");
      return true;
    }
    seen.setup = true;
    setup = ParseSdpSetup(value);
    if (!setup) {
      FailAttribute(name, Quote(value) + " is not one of actpass, active, passive, holdconn");
      return true;
    }
    ok = true;
    return true;
  }
  return false;
}

bool Parser::ParseExtmap(std::string_view name, std::string_view value,
                         std::vector<SdpExtmap>& out) {
  auto [id_part, rest] = SplitFirst(value);
  auto [uri, attributes] = SplitFirst(rest);
  SdpExtmap e;
  std::string_view id_text = id_part;
  size_t slash = id_part.find('/');
  if (slash != std::string_view::npos) {
    id_text = id_part.substr(0, slash);
    e.direction = ParseSdpDirection(id_part.substr(slash + 1));
    if (!e.direction) {
      return FailAttribute(name, "direction " + Quote(id_part.substr(slash + 1)) +
                                     " is not sendrecv, sendonly, recvonly or inactive");
    }
  }
  uint32_t id = 0;
  if (!ParseDecimal(id_text, 10, id)) {
    return FailAttribute(name, "expected '<id>[/<direction>] <uri>', got " + Quote(value));
  }
  if (id < 1 || id > 255) {
    return FailAttribute(name, "id " + std::to_string(id) + " out of range 1..255");
  }
  if (!IsField(uri)) return FailAttribute(name, "id " + std::to_string(id) + " has no URI");
  e.id = static_cast<uint16_t>(id);
  e.uri = std::string(uri);
  e.attributes = std::string(attributes);
  for (const SdpExtmap& other : out) {
    if (other.id == e.id) {
      return FailAttribute(name, "id " + std::to_string(id) + " is already used for " +
                                     Quote(other.uri) + " at this level");
    }
  }
  out.push_back(std::move(e));
  return true;
}

bool Parser::ParseSessionAttribute(std::string_view name, std::optional<std::string_view> value,
                                   std::string_view raw, SessionDescription& out) {
  std::string_view v = value.value_or(std::string_view{});
  bool ok = false;
  if (ParseTransportAttribute(name, v, session_seen_, out.ice_ufrag, out.ice_pwd, out.ice_options,
                              out.fingerprints, out.setup, ok)) {
    return ok;
  }
  if (name == "group") {
    auto f = SplitSpaces(v);
    if (f.empty() || !IsToken(f[0])) {
      return FailAttribute(name,
                           "expected '<semantics> <mid>...' (like 'BUNDLE 0 1'), got " + Quote(v));
    }
    SdpGroup g;
    g.semantics = std::string(f[0]);
    for (size_t i = 1; i < f.size(); ++i) {
      if (!IsToken(f[i])) return FailAttribute(name, "mid " + Quote(f[i]) + " is not a token");
      for (const std::string& mid : g.mids) {
        if (mid == f[i]) return FailAttribute(name, "mid " + Quote(f[i]) + " is listed twice");
      }
      g.mids.emplace_back(f[i]);
    }
    out.groups.push_back(std::move(g));
    group_lines_.push_back(line_no_);
    return true;
  }
  if (name == "msid-semantic") {
    auto f = SplitSpaces(v);
    if (f.empty()) return FailAttribute(name, "empty (expected like 'WMS *')");
    SdpMsidSemantic s;
    s.semantic = std::string(f[0]);
    for (size_t i = 1; i < f.size(); ++i)
      s.ids.emplace_back(f[i]);
    out.msid_semantic = std::move(s);
    return true;
  }
  if (name == "ice-lite") {
    out.ice_lite = true;
    return true;
  }
  if (name == "extmap-allow-mixed") {
    out.extmap_allow_mixed = true;
    return true;
  }
  if (name == "end-of-candidates") {
    out.end_of_candidates = true;
    return true;
  }
  if (name == "extmap") return ParseExtmap(name, v, out.extmaps);
  if (ParseSdpDirection(name)) return ParseDirection(name, session_seen_, out.direction);
  out.attributes.emplace_back(raw);
  return true;
}

bool Parser::ParseMediaAttribute(std::string_view name, std::optional<std::string_view> value,
                                 std::string_view raw, SessionDescription& session,
                                 MediaDescription& m) {
  std::string_view v = value.value_or(std::string_view{});
  bool ok = false;
  if (ParseTransportAttribute(name, v, media_seen_, m.ice_ufrag, m.ice_pwd, m.ice_options,
                              m.fingerprints, m.setup, ok)) {
    return ok;
  }
  if (ParseSdpDirection(name)) return ParseDirection(name, media_seen_, media_direction_);
  if (name == "mid") {
    if (media_seen_.mid != 0) return FailAttribute(name, "a second a=mid in this m= section");
    if (!IsToken(v)) return FailAttribute(name, Quote(v) + " is not a token");
    for (size_t i = 0; i + 1 < session.media.size(); ++i) {
      if (session.media[i].mid == v) {
        return FailAttribute(name, Quote(v) + " is already the mid of the m= section on line " +
                                       std::to_string(session.media[i].line.number));
      }
    }
    media_seen_.mid = line_no_;
    m.mid = std::string(v);
    return true;
  }
  if (name == "msid") {
    if (media_seen_.msid) return FailAttribute(name, "a second a=msid in this m= section");
    media_seen_.msid = true;
    auto f = SplitSpaces(v);
    if (f.empty() || f.size() > 2) {
      return FailAttribute(name, "expected '<stream-id> [<track-id>]', got " + Quote(v));
    }
    m.msid = std::string(f[0]);
    if (f.size() == 2) m.msid += " " + std::string(f[1]);
    return true;
  }
  if (name == "rtcp-mux") return m.rtcp_mux = true;
  if (name == "rtcp-mux-only") return m.rtcp_mux_only = true;
  if (name == "rtcp-rsize") return m.rtcp_rsize = true;
  if (name == "bundle-only") return m.bundle_only = true;
  if (name == "extmap-allow-mixed") return m.extmap_allow_mixed = true;
  if (name == "end-of-candidates") return m.end_of_candidates = true;
  if (name == "candidate") {
    if (m.candidates.size() >= limits_.max_candidates_per_section) {
      return FailAttribute(name, "too many candidates in this m= section: the limit is " +
                                     std::to_string(limits_.max_candidates_per_section));
    }
    std::string detail;
    std::optional<SdpCandidate> c = SdpCandidate::Parse(v, detail);
    if (!c) return FailAttribute(name, detail);
    m.candidates.push_back(std::move(*c));
    return true;
  }
  if (name == "extmap") return ParseExtmap(name, v, m.extmaps);
  if (m.IsRtp()) {
    if (name == "rtpmap") return ParseRtpmap(v, m);
    if (name == "fmtp") return ParseFmtp(v, m);
    if (name == "rtcp-fb") return ParseRtcpFb(v, m);
    if (name == "ssrc") return ParseSsrc(v, m);
    if (name == "ssrc-group") return ParseSsrcGroup(v, m);
    if (name == "rid") return ParseRid(v, m);
    if (name == "simulcast") return ParseSimulcast(v, m);
  }
  if (m.IsSctp()) {
    if (name == "sctp-port") {
      if (media_seen_.sctp_port) return FailAttribute(name, "given twice");
      media_seen_.sctp_port = true;
      uint16_t port = 0;
      if (!ParseDecimal(v, 5, port)) {
        return FailAttribute(name, Quote(v) + " is not a port number in 0..65535");
      }
      m.sctp_port = port;
      return true;
    }
    if (name == "max-message-size") {
      if (media_seen_.max_message_size) return FailAttribute(name, "given twice");
      media_seen_.max_message_size = true;
      uint64_t size = 0;
      if (!ParseDecimal(v, 20, size)) return FailAttribute(name, Quote(v) + " is not a number");
      m.max_message_size = size;
      return true;
    }
    if (name == "sctpmap") {
      if (media_seen_.sctpmap) return FailAttribute(name, "given twice");
      media_seen_.sctpmap = true;
      auto f = SplitSpaces(v);
      SdpSctpMap map;
      if (f.size() < 2 || f.size() > 3 || !ParseDecimal(f[0], 5, map.port) || !IsToken(f[1]) ||
          (f.size() == 3 && !ParseDecimal(f[2], 10, map.streams))) {
        return FailAttribute(name,
                             "expected '<port> webrtc-datachannel [<streams>]', got " + Quote(v));
      }
      map.protocol = std::string(f[1]);
      m.sctpmap = std::move(map);
      return true;
    }
  }
  m.attributes.emplace_back(raw);
  return true;
}

bool Parser::ParseRtpmap(std::string_view value, MediaDescription& m) {
  auto [pt_text, encoding] = SplitFirst(value);
  uint8_t pt = 0;
  std::string detail;
  if (!ParsePayloadType(pt_text, pt, detail)) return FailAttribute("rtpmap", detail);
  SdpCodec* codec = m.FindCodec(pt);
  if (codec == nullptr) {
    return FailAttribute("rtpmap", "payload type " + std::to_string(pt) +
                                       " is not listed on the m= line (line " +
                                       std::to_string(m.line.number) + ")");
  }
  if (!codec->name.empty()) {
    return FailAttribute("rtpmap", "a second rtpmap for payload type " + std::to_string(pt));
  }
  auto parts = Split(encoding, '/');
  SdpCodec parsed;
  if (parts.size() < 2 || parts.size() > 3 || !IsToken(parts[0]) ||
      !ParseDecimal(parts[1], 10, parsed.clock_rate) || parsed.clock_rate == 0 ||
      (parts.size() == 3 && (!ParseDecimal(parts[2], 3, parsed.channels) || parsed.channels == 0 ||
                             parsed.channels > 255))) {
    return FailAttribute("rtpmap", "expected '" + std::to_string(pt) +
                                       " <name>/<clock rate>[/<channels>]', got " + Quote(value));
  }
  codec->name = std::string(parts[0]);
  codec->clock_rate = parsed.clock_rate;
  codec->channels = parsed.channels;
  return true;
}

bool Parser::ParseFmtp(std::string_view value, MediaDescription& m) {
  auto [pt_text, params] = SplitFirst(value);
  uint8_t pt = 0;
  std::string detail;
  if (!ParsePayloadType(pt_text, pt, detail)) return FailAttribute("fmtp", detail);
  SdpCodec* codec = m.FindCodec(pt);
  if (codec == nullptr) {
    return FailAttribute("fmtp", "payload type " + std::to_string(pt) +
                                     " is not listed on the m= line (line " +
                                     std::to_string(m.line.number) + ")");
  }
  if (media_seen_.fmtp[pt]) {
    return FailAttribute("fmtp", "a second fmtp for payload type " + std::to_string(pt));
  }
  media_seen_.fmtp[pt] = true;
  codec->fmtp = std::string(params);
  return true;
}

bool Parser::ParseRtcpFb(std::string_view value, MediaDescription& m) {
  auto [pt_text, rest] = SplitFirst(value);
  auto [type, parameter] = SplitFirst(rest);
  if (!IsToken(type)) {
    return FailAttribute("rtcp-fb",
                         "expected '<payload type> <feedback type> [<parameter>]', "
                         "got " +
                             Quote(value));
  }
  SdpRtcpFeedback fb{std::string(type), std::string(parameter)};
  if (pt_text == "*") {
    m.feedback_all.push_back(std::move(fb));
    return true;
  }
  uint8_t pt = 0;
  std::string detail;
  if (!ParsePayloadType(pt_text, pt, detail)) return FailAttribute("rtcp-fb", detail);
  SdpCodec* codec = m.FindCodec(pt);
  if (codec == nullptr) {
    return FailAttribute("rtcp-fb", "payload type " + std::to_string(pt) +
                                        " is not listed on the m= line (line " +
                                        std::to_string(m.line.number) + ")");
  }
  codec->feedback.push_back(std::move(fb));
  return true;
}

bool Parser::ParseSsrc(std::string_view value, MediaDescription& m) {
  auto [ssrc_text, attribute] = SplitFirst(value);
  uint32_t ssrc = 0;
  std::string detail;
  if (!ParseSsrcValue(ssrc_text, ssrc, detail)) return FailAttribute("ssrc", detail);
  SdpSsrc* entry = nullptr;
  for (SdpSsrc& s : m.ssrcs) {
    if (s.ssrc == ssrc) entry = &s;
  }
  if (entry == nullptr) {
    if (m.ssrcs.size() >= limits_.max_ssrcs_per_section) {
      return FailAttribute("ssrc", "too many SSRCs in this m= section: the limit is " +
                                       std::to_string(limits_.max_ssrcs_per_section));
    }
    m.ssrcs.push_back(SdpSsrc{ssrc, {}, {}, {}});
    entry = &m.ssrcs.back();
  }
  if (attribute.empty()) return true;
  size_t colon = attribute.find(':');
  std::string_view attr_name = attribute.substr(0, colon);
  if (colon != std::string_view::npos && attr_name == "cname") {
    entry->cname = std::string(Trim(attribute.substr(colon + 1)));
  } else if (colon != std::string_view::npos && attr_name == "msid") {
    auto f = SplitSpaces(attribute.substr(colon + 1));
    if (f.size() > 2) {
      return FailAttribute("ssrc",
                           "msid expects '<stream-id> [<track-id>]', got " + Quote(attribute));
    }
    entry->msid.clear();
    if (!f.empty()) entry->msid = std::string(f[0]);
    if (f.size() == 2) entry->msid += " " + std::string(f[1]);
  } else {
    entry->attributes.emplace_back(attribute);
  }
  return true;
}

bool Parser::ParseSsrcGroup(std::string_view value, MediaDescription& m) {
  auto f = SplitSpaces(value);
  if (f.size() < 2 || !IsToken(f[0])) {
    return FailAttribute("ssrc-group",
                         "expected '<semantics> <ssrc>...' (like 'FID 1 2'), got " + Quote(value));
  }
  SdpSsrcGroup group;
  group.semantics = std::string(f[0]);
  for (size_t i = 1; i < f.size(); ++i) {
    uint32_t ssrc = 0;
    std::string detail;
    if (!ParseSsrcValue(f[i], ssrc, detail)) return FailAttribute("ssrc-group", detail);
    group.ssrcs.push_back(ssrc);
  }
  if (group.semantics == "FID" && group.ssrcs.size() != 2) {
    return FailAttribute("ssrc-group", "FID pairs two SSRCs (media, then RTX), got " +
                                           std::to_string(group.ssrcs.size()));
  }
  m.ssrc_groups.push_back(std::move(group));
  return true;
}

bool Parser::ParseRid(std::string_view value, MediaDescription& m) {
  if (m.rids.size() >= limits_.max_rids_per_section) {
    return FailAttribute("rid", "too many rids in this m= section: the limit is " +
                                    std::to_string(limits_.max_rids_per_section));
  }
  auto [id, rest] = SplitFirst(value);
  auto [dir, restrictions] = SplitFirst(rest);
  bool id_ok = !id.empty() && id.size() <= 255;
  for (char c : id)
    id_ok = id_ok && IsRidChar(c);
  if (!id_ok) {
    return FailAttribute("rid", "id " + Quote(id) + " is not 1 to 255 of [A-Za-z0-9_-]");
  }
  SdpRid rid;
  rid.id = std::string(id);
  if (dir == "send") {
    rid.direction = SdpDirection::kSendOnly;
  } else if (dir == "recv") {
    rid.direction = SdpDirection::kRecvOnly;
  } else {
    return FailAttribute(
        "rid", "expected '" + rid.id + " send|recv [<restrictions>]', got " + Quote(value));
  }
  rid.restrictions = std::string(restrictions);
  for (std::string_view item : Split(restrictions, ';')) {
    item = Trim(item);
    if (!item.starts_with("pt=")) continue;
    for (std::string_view pt_text : Split(item.substr(3), ',')) {
      uint8_t pt = 0;
      std::string detail;
      if (!ParsePayloadType(Trim(pt_text), pt, detail)) return FailAttribute("rid", detail);
      if (m.FindCodec(pt) == nullptr) {
        return FailAttribute(
            "rid", "payload type " + std::to_string(pt) + " is not listed on the m= line");
      }
      rid.payload_types.push_back(pt);
    }
  }
  for (const SdpRid& other : m.rids) {
    if (other.id == rid.id) return FailAttribute("rid", "id " + Quote(id) + " given twice");
  }
  m.rids.push_back(std::move(rid));
  return true;
}

bool Parser::ParseSimulcastList(std::string_view text,
                                std::vector<std::vector<SdpSimulcastRid>>& out) {
  for (std::string_view stream : Split(text, ';')) {
    std::vector<SdpSimulcastRid> alternatives;
    for (std::string_view alt : Split(stream, ',')) {
      SdpSimulcastRid rid;
      if (alt.starts_with('~')) {
        rid.paused = true;
        alt.remove_prefix(1);
      }
      bool ok = !alt.empty() && alt.size() <= 255;
      for (char c : alt)
        ok = ok && IsRidChar(c);
      if (!ok) {
        return FailAttribute("simulcast",
                             "rid " + Quote(alt) + " is not 1 to 255 of [A-Za-z0-9_-]");
      }
      if (++simulcast_rids_ > limits_.max_rids_per_section) {
        return FailAttribute("simulcast", "too many rids: the limit is " +
                                              std::to_string(limits_.max_rids_per_section));
      }
      rid.rid = std::string(alt);
      alternatives.push_back(std::move(rid));
    }
    out.push_back(std::move(alternatives));
  }
  return true;
}

bool Parser::ParseSimulcast(std::string_view value, MediaDescription& m) {
  if (media_seen_.simulcast) return FailAttribute("simulcast", "given twice");
  media_seen_.simulcast = true;
  simulcast_rids_ = 0;
  auto f = SplitSpaces(value);
  SdpSimulcast sc;
  bool seen_send = false, seen_recv = false;
  if (f.empty() || f.size() % 2 != 0 || f.size() > 4) {
    return FailAttribute("simulcast",
                         "expected 'send <rid>;<rid>...' and/or 'recv <rid>;...' "
                         "(RFC 8853), got " +
                             Quote(value));
  }
  for (size_t i = 0; i < f.size(); i += 2) {
    bool send = f[i] == "send";
    if ((!send && f[i] != "recv") || (send ? seen_send : seen_recv)) {
      return FailAttribute("simulcast",
                           "expected 'send <rid>;<rid>...' and/or "
                           "'recv <rid>;...' (RFC 8853), got " +
                               Quote(value));
    }
    (send ? seen_send : seen_recv) = true;
    if (!ParseSimulcastList(f[i + 1], send ? sc.send : sc.recv)) return false;
  }
  m.simulcast = std::move(sc);
  return true;
}

bool Parser::Finish(SessionDescription& out) {
  if (!fragment_) {
    if (!seen_o_) {
      error_ = "the SDP has no o= line";
      return false;
    }
    if (!seen_s_) {
      error_ = "the SDP has no s= line";
      return false;
    }
    if (!seen_t_) {
      error_ = "the SDP has no t= line";
      return false;
    }
    for (size_t g = 0; g < out.groups.size(); ++g) {
      for (const std::string& mid : out.groups[g].mids) {
        if (out.FindMedia(mid) == nullptr) {
          error_ = "line " + std::to_string(group_lines_[g]) +
                   ": a=group:" + out.groups[g].semantics + " names mid " + Quote(mid) +
                   ", which no m= section has";
          return false;
        }
      }
    }
  }
  if (fragment_) return true;  // a fragment keeps session-level and section values apart
  // Session-level transport attributes apply to every section that does not set its own.
  for (MediaDescription& m : out.media) {
    if (m.ice_ufrag.empty()) m.ice_ufrag = out.ice_ufrag;
    if (m.ice_pwd.empty()) m.ice_pwd = out.ice_pwd;
    if (m.ice_options.empty()) m.ice_options = out.ice_options;
    if (m.fingerprints.empty()) m.fingerprints = out.fingerprints;
    if (!m.setup) m.setup = out.setup;
    m.extmap_allow_mixed = m.extmap_allow_mixed || out.extmap_allow_mixed;
    m.end_of_candidates = m.end_of_candidates || out.end_of_candidates;
    for (const SdpExtmap& e : out.extmaps) {
      bool taken = false;
      for (const SdpExtmap& own : m.extmaps)
        taken = taken || own.id == e.id;
      if (!taken) m.extmaps.push_back(e);
    }
  }
  return true;
}

}  // namespace

std::optional<SessionDescription> SdpParser::Parse(std::string_view text, std::string& error,
                                                   const SdpLimits& limits) {
  SessionDescription out;
  Parser parser(limits, false);
  if (!parser.Run(text, out)) {
    error = parser.error();
    return std::nullopt;
  }
  return out;
}

std::optional<SdpFragment> SdpParser::ParseFragment(std::string_view text, std::string& error,
                                                    const SdpLimits& limits) {
  SessionDescription parsed;
  Parser parser(limits, true);
  if (!parser.Run(text, parsed)) {
    error = parser.error();
    return std::nullopt;
  }
  SdpFragment out;
  out.ice_lite = parsed.ice_lite;
  out.ice_options = parsed.ice_options;
  out.ice_ufrag = parsed.ice_ufrag;
  out.ice_pwd = parsed.ice_pwd;
  out.groups = parsed.groups;
  out.end_of_candidates = parsed.end_of_candidates;
  for (const MediaDescription& m : parsed.media) {
    MediaDescription section;
    section.media = m.media;
    section.port = m.port;
    section.port_count = m.port_count;
    section.proto = m.proto;
    section.formats = m.formats;
    for (const SdpCodec& codec : m.codecs) {
      SdpCodec bare;
      bare.payload_type = codec.payload_type;
      section.codecs.push_back(bare);
    }
    section.direction = SdpDirection::kSendRecv;
    section.mid = m.mid;
    section.ice_ufrag = m.ice_ufrag;
    section.ice_pwd = m.ice_pwd;
    section.ice_options = m.ice_options;
    section.candidates = m.candidates;
    section.end_of_candidates = m.end_of_candidates;
    section.line = m.line;
    out.media.push_back(std::move(section));
  }
  if (out == SdpFragment{}) {
    error = "the SDP fragment carries nothing: no ICE credentials, candidates or m= line";
    return std::nullopt;
  }
  return out;
}

}  // namespace tributary::rtc
