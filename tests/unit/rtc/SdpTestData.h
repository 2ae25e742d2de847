#pragma once

// Real offers for the SDP tests and the fuzz seeds (tests/fuzz/corpus/SdpFuzz/ holds the same
// bytes). Raw strings with LF line endings; tests that need CRLF convert them (WithCrlf).

#include <string>
#include <string_view>

namespace tributary::rtc::testdata {

// Generated on this machine by Debian's aiortc 1.4.0 (/usr/bin/python3): an RTCPeerConnection
// with an AudioStreamTrack and a VideoStreamTrack, both transceivers set to sendonly,
// createOffer + setLocalDescription, pc.localDescription.sdp pasted verbatim. Note the
// different ICE credentials per section inside one BUNDLE group, and the extension id 2 that
// means ssrc-audio-level for audio and abs-send-time for video.
inline constexpr std::string_view kAiortcWhipOffer = R"SDP(v=0
o=- 4005016107 4005016107 IN IP4 0.0.0.0
s=-
t=0 0
a=group:BUNDLE 0 1
a=msid-semantic:WMS *
m=audio 52666 UDP/TLS/RTP/SAVPF 96 0 8
c=IN IP4 192.0.2.2
a=sendonly
a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid
a=extmap:2 urn:ietf:params:rtp-hdrext:ssrc-audio-level
a=mid:0
a=msid:e5d555e6-eaa9-455d-9198-954687af0b98 e20d5d2f-9ec8-4156-9ab1-ec9985b5c534
a=rtcp:9 IN IP4 0.0.0.0
a=rtcp-mux
a=ssrc:4044293397 cname:fc5c54e8-5c46-4126-ba69-640b72b4af8a
a=rtpmap:96 opus/48000/2
a=rtpmap:0 PCMU/8000
a=rtpmap:8 PCMA/8000
a=candidate:f957a2332b1715da3b0ef8ba684454eb 1 udp 2130706431 192.0.2.2 52666 typ host
a=candidate:d0bcf3d9c29a2bc887618212a1623bfa 1 udp 2130706431 fd00::2 54754 typ host
a=end-of-candidates
a=ice-ufrag:gUJI
a=ice-pwd:jEeG6YL5zTZmwUfUsjOhGo
a=fingerprint:sha-256 01:D1:53:B6:96:7D:B9:FB:93:30:38:68:EB:7C:4B:80:F8:FF:D0:1E:30:A7:C2:74:03:32:A4:6A:BB:9E:1B:FF
a=setup:actpass
m=video 52639 UDP/TLS/RTP/SAVPF 97 98 99 100 101 102
c=IN IP4 192.0.2.2
a=sendonly
a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid
a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time
a=mid:1
a=msid:e5d555e6-eaa9-455d-9198-954687af0b98 c16863a9-1786-471c-a033-8abbda093a81
a=rtcp:9 IN IP4 0.0.0.0
a=rtcp-mux
a=ssrc-group:FID 1052744438 3346580309
a=ssrc:1052744438 cname:fc5c54e8-5c46-4126-ba69-640b72b4af8a
a=ssrc:3346580309 cname:fc5c54e8-5c46-4126-ba69-640b72b4af8a
a=rtpmap:97 VP8/90000
a=rtcp-fb:97 nack
a=rtcp-fb:97 nack pli
a=rtcp-fb:97 goog-remb
a=rtpmap:98 rtx/90000
a=fmtp:98 apt=97
a=rtpmap:99 H264/90000
a=rtcp-fb:99 nack
a=rtcp-fb:99 nack pli
a=rtcp-fb:99 goog-remb
a=fmtp:99 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f
a=rtpmap:100 rtx/90000
a=fmtp:100 apt=99
a=rtpmap:101 H264/90000
a=rtcp-fb:101 nack
a=rtcp-fb:101 nack pli
a=rtcp-fb:101 goog-remb
a=fmtp:101 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f
a=rtpmap:102 rtx/90000
a=fmtp:102 apt=101
a=candidate:f957a2332b1715da3b0ef8ba684454eb 1 udp 2130706431 192.0.2.2 52639 typ host
a=candidate:d0bcf3d9c29a2bc887618212a1623bfa 1 udp 2130706431 fd00::2 56377 typ host
a=end-of-candidates
a=ice-ufrag:0KWe
a=ice-pwd:gqArjBpjlmtcWGjLMiDlzW
a=fingerprint:sha-256 01:D1:53:B6:96:7D:B9:FB:93:30:38:68:EB:7C:4B:80:F8:FF:D0:1E:30:A7:C2:74:03:32:A4:6A:BB:9E:1B:FF
a=setup:actpass
)SDP";

// Same, with addTransceiver("audio"/"video", direction="recvonly") (a WHEP player).
inline constexpr std::string_view kAiortcWhepOffer = R"SDP(v=0
o=- 4005016108 4005016108 IN IP4 0.0.0.0
s=-
t=0 0
a=group:BUNDLE 0 1
a=msid-semantic:WMS *
m=audio 40460 UDP/TLS/RTP/SAVPF 96 0 8
c=IN IP4 192.0.2.2
a=recvonly
a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid
a=extmap:2 urn:ietf:params:rtp-hdrext:ssrc-audio-level
a=mid:0
a=msid:c390dd8a-19c2-4a89-8b9a-15e21e24b30b fa255124-7dd4-4180-a72e-0adaf685940a
a=rtcp:9 IN IP4 0.0.0.0
a=rtcp-mux
a=ssrc:2423490516 cname:786ee3bb-e72c-4372-a132-f4204ea2f961
a=rtpmap:96 opus/48000/2
a=rtpmap:0 PCMU/8000
a=rtpmap:8 PCMA/8000
a=candidate:f957a2332b1715da3b0ef8ba684454eb 1 udp 2130706431 192.0.2.2 40460 typ host
a=candidate:d0bcf3d9c29a2bc887618212a1623bfa 1 udp 2130706431 fd00::2 37806 typ host
a=end-of-candidates
a=ice-ufrag:fa5B
a=ice-pwd:YvhkCqweWJa2zbCkk6f3fj
a=fingerprint:sha-256 85:8B:40:23:92:17:9B:41:EF:12:83:1D:74:37:EC:21:DB:82:22:95:24:0B:0D:B9:2E:12:5A:11:B9:CB:0D:F6
a=setup:actpass
m=video 40427 UDP/TLS/RTP/SAVPF 97 98 99 100 101 102
c=IN IP4 192.0.2.2
a=recvonly
a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid
a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time
a=mid:1
a=msid:c390dd8a-19c2-4a89-8b9a-15e21e24b30b 39e52453-6a96-4813-8cf7-cf2a17225fc0
a=rtcp:9 IN IP4 0.0.0.0
a=rtcp-mux
a=ssrc-group:FID 849036729 1953417636
a=ssrc:849036729 cname:786ee3bb-e72c-4372-a132-f4204ea2f961
a=ssrc:1953417636 cname:786ee3bb-e72c-4372-a132-f4204ea2f961
a=rtpmap:97 VP8/90000
a=rtcp-fb:97 nack
a=rtcp-fb:97 nack pli
a=rtcp-fb:97 goog-remb
a=rtpmap:98 rtx/90000
a=fmtp:98 apt=97
a=rtpmap:99 H264/90000
a=rtcp-fb:99 nack
a=rtcp-fb:99 nack pli
a=rtcp-fb:99 goog-remb
a=fmtp:99 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f
a=rtpmap:100 rtx/90000
a=fmtp:100 apt=99
a=rtpmap:101 H264/90000
a=rtcp-fb:101 nack
a=rtcp-fb:101 nack pli
a=rtcp-fb:101 goog-remb
a=fmtp:101 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f
a=rtpmap:102 rtx/90000
a=fmtp:102 apt=101
a=candidate:f957a2332b1715da3b0ef8ba684454eb 1 udp 2130706431 192.0.2.2 40427 typ host
a=candidate:d0bcf3d9c29a2bc887618212a1623bfa 1 udp 2130706431 fd00::2 40601 typ host
a=end-of-candidates
a=ice-ufrag:dOqV
a=ice-pwd:XDpFaRfcsXeBYtvX5Z11q7
a=fingerprint:sha-256 85:8B:40:23:92:17:9B:41:EF:12:83:1D:74:37:EC:21:DB:82:22:95:24:0B:0D:B9:2E:12:5A:11:B9:CB:0D:F6
a=setup:actpass
)SDP";

// Same, sendrecv tracks plus createDataChannel("chat"): the old "DTLS/SCTP 5000" + a=sctpmap
// form of the data section.
inline constexpr std::string_view kAiortcSendRecvDataOffer = R"SDP(v=0
o=- 4005016108 4005016108 IN IP4 0.0.0.0
s=-
t=0 0
a=group:BUNDLE 0 1 2
a=msid-semantic:WMS *
m=audio 60223 UDP/TLS/RTP/SAVPF 96 0 8
c=IN IP4 192.0.2.2
a=sendrecv
a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid
a=extmap:2 urn:ietf:params:rtp-hdrext:ssrc-audio-level
a=mid:0
a=msid:a97cb7d3-3782-43ad-934d-7164d72aa3f1 42b26032-b27e-40d0-b1e5-f92639d1dba0
a=rtcp:9 IN IP4 0.0.0.0
a=rtcp-mux
a=ssrc:2095615727 cname:49cac94a-21e6-465a-80a3-9956c9b7c4db
a=rtpmap:96 opus/48000/2
a=rtpmap:0 PCMU/8000
a=rtpmap:8 PCMA/8000
a=candidate:f957a2332b1715da3b0ef8ba684454eb 1 udp 2130706431 192.0.2.2 60223 typ host
a=candidate:d0bcf3d9c29a2bc887618212a1623bfa 1 udp 2130706431 fd00::2 55126 typ host
a=end-of-candidates
a=ice-ufrag:vCkM
a=ice-pwd:tKDkvqb6IoPwjrzkSS0ltR
a=fingerprint:sha-256 B3:73:72:AF:81:E9:35:1F:1F:E2:86:E9:16:D0:46:65:03:AA:25:8C:63:82:79:30:0C:36:B3:FD:24:AC:38:09
a=setup:actpass
m=video 45233 UDP/TLS/RTP/SAVPF 97 98 99 100 101 102
c=IN IP4 192.0.2.2
a=sendrecv
a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid
a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time
a=mid:1
a=msid:a97cb7d3-3782-43ad-934d-7164d72aa3f1 2b84c3d2-bcb1-4308-833b-6ed354644f45
a=rtcp:9 IN IP4 0.0.0.0
a=rtcp-mux
a=ssrc-group:FID 3138376383 1291537758
a=ssrc:3138376383 cname:49cac94a-21e6-465a-80a3-9956c9b7c4db
a=ssrc:1291537758 cname:49cac94a-21e6-465a-80a3-9956c9b7c4db
a=rtpmap:97 VP8/90000
a=rtcp-fb:97 nack
a=rtcp-fb:97 nack pli
a=rtcp-fb:97 goog-remb
a=rtpmap:98 rtx/90000
a=fmtp:98 apt=97
a=rtpmap:99 H264/90000
a=rtcp-fb:99 nack
a=rtcp-fb:99 nack pli
a=rtcp-fb:99 goog-remb
a=fmtp:99 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f
a=rtpmap:100 rtx/90000
a=fmtp:100 apt=99
a=rtpmap:101 H264/90000
a=rtcp-fb:101 nack
a=rtcp-fb:101 nack pli
a=rtcp-fb:101 goog-remb
a=fmtp:101 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f
a=rtpmap:102 rtx/90000
a=fmtp:102 apt=101
a=candidate:f957a2332b1715da3b0ef8ba684454eb 1 udp 2130706431 192.0.2.2 45233 typ host
a=candidate:d0bcf3d9c29a2bc887618212a1623bfa 1 udp 2130706431 fd00::2 42415 typ host
a=end-of-candidates
a=ice-ufrag:3TEe
a=ice-pwd:WsSUqLlnAwDd1I7vwILgBG
a=fingerprint:sha-256 B3:73:72:AF:81:E9:35:1F:1F:E2:86:E9:16:D0:46:65:03:AA:25:8C:63:82:79:30:0C:36:B3:FD:24:AC:38:09
a=setup:actpass
m=application 53005 DTLS/SCTP 5000
c=IN IP4 192.0.2.2
a=mid:2
a=sctpmap:5000 webrtc-datachannel 65535
a=max-message-size:65536
a=candidate:f957a2332b1715da3b0ef8ba684454eb 1 udp 2130706431 192.0.2.2 53005 typ host
a=candidate:d0bcf3d9c29a2bc887618212a1623bfa 1 udp 2130706431 fd00::2 45241 typ host
a=end-of-candidates
a=ice-ufrag:dq0C
a=ice-pwd:pL8K055kn2Pe1Z0sY9epN5
a=fingerprint:sha-256 B3:73:72:AF:81:E9:35:1F:1F:E2:86:E9:16:D0:46:65:03:AA:25:8C:63:82:79:30:0C:36:B3:FD:24:AC:38:09
a=setup:actpass
)SDP";

// NOT captured: written from knowledge of what Chromium (M120-M130) sends as a WHIP publisher
// (sendonly audio + video, max-bundle, mDNS host/srflx/TCP candidates in the first section,
// Chromium's payload type layout with RTX, RED, ULPFEC, AV1, VP9 profiles 0 and 2).
inline constexpr std::string_view kChromeWhipOffer = R"SDP(v=0
o=- 4215775240449105457 2 IN IP4 127.0.0.1
s=-
t=0 0
a=group:BUNDLE 0 1
a=extmap-allow-mixed
a=msid-semantic: WMS 5c2e2d1a-3a3b-4c1d-9f4e-1b2c3d4e5f60
m=audio 54402 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126
c=IN IP4 203.0.113.7
a=rtcp:9 IN IP4 0.0.0.0
a=candidate:1467250027 1 udp 2122260223 3b6f5a2e-1d2c-4f5e-8a9b-0c1d2e3f4a5b.local 54402 typ host generation 0 network-id 1 network-cost 10
a=candidate:2234177211 1 udp 1686052607 203.0.113.7 54402 typ srflx raddr 0.0.0.0 rport 0 generation 0 network-id 1 network-cost 10
a=candidate:3342374719 1 tcp 1518280447 3b6f5a2e-1d2c-4f5e-8a9b-0c1d2e3f4a5b.local 9 typ host tcptype active generation 0 network-id 1 network-cost 10
a=ice-ufrag:EsAw
a=ice-pwd:bP+XJMM09aR8AiX1jdukzR
a=ice-options:trickle
a=fingerprint:sha-256 4A:15:11:06:C1:6D:79:F9:BB:60:CD:4B:47:D6:EC:FE:34:C5:D9:36:03:E7:AB:D6:02:10:8E:73:1E:FF:E1:56
a=setup:actpass
a=mid:0
a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level
a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time
a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01
a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid
a=sendonly
a=msid:5c2e2d1a-3a3b-4c1d-9f4e-1b2c3d4e5f60 7a1b9c8d-2e3f-4a5b-8c7d-6e5f4a3b2c1d
a=rtcp-mux
a=rtcp-rsize
a=rtpmap:111 opus/48000/2
a=rtcp-fb:111 transport-cc
a=fmtp:111 minptime=10;useinbandfec=1
a=rtpmap:63 red/48000/2
a=fmtp:63 111/111
a=rtpmap:9 G722/8000
a=rtpmap:0 PCMU/8000
a=rtpmap:8 PCMA/8000
a=rtpmap:13 CN/8000
a=rtpmap:110 telephone-event/48000
a=rtpmap:126 telephone-event/8000
a=ssrc:3591286145 cname:8bNLaJ8qzRc5mh3j
a=ssrc:3591286145 msid:5c2e2d1a-3a3b-4c1d-9f4e-1b2c3d4e5f60 7a1b9c8d-2e3f-4a5b-8c7d-6e5f4a3b2c1d
m=video 9 UDP/TLS/RTP/SAVPF 96 97 102 103 104 105 106 107 108 109 127 125 39 40 45 46 98 99 100 101 112 113 116 117 118
c=IN IP4 0.0.0.0
a=rtcp:9 IN IP4 0.0.0.0
a=ice-ufrag:EsAw
a=ice-pwd:bP+XJMM09aR8AiX1jdukzR
a=ice-options:trickle
a=fingerprint:sha-256 4A:15:11:06:C1:6D:79:F9:BB:60:CD:4B:47:D6:EC:FE:34:C5:D9:36:03:E7:AB:D6:02:10:8E:73:1E:FF:E1:56
a=setup:actpass
a=mid:1
a=extmap:14 urn:ietf:params:rtp-hdrext:toffset
a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time
a=extmap:13 urn:3gpp:video-orientation
a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01
a=extmap:5 http://www.webrtc.org/experiments/rtp-hdrext/playout-delay
a=extmap:6 http://www.webrtc.org/experiments/rtp-hdrext/video-content-type
a=extmap:7 http://www.webrtc.org/experiments/rtp-hdrext/video-timing
a=extmap:8 http://www.webrtc.org/experiments/rtp-hdrext/color-space
a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid
a=extmap:10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id
a=extmap:11 urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id
a=sendonly
a=msid:5c2e2d1a-3a3b-4c1d-9f4e-1b2c3d4e5f60 0f9e8d7c-6b5a-4938-8271-605f4e3d2c1b
a=rtcp-mux
a=rtcp-rsize
a=rtpmap:96 VP8/90000
a=rtcp-fb:96 goog-remb
a=rtcp-fb:96 transport-cc
a=rtcp-fb:96 ccm fir
a=rtcp-fb:96 nack
a=rtcp-fb:96 nack pli
a=rtpmap:97 rtx/90000
a=fmtp:97 apt=96
a=rtpmap:102 H264/90000
a=rtcp-fb:102 goog-remb
a=rtcp-fb:102 transport-cc
a=rtcp-fb:102 ccm fir
a=rtcp-fb:102 nack
a=rtcp-fb:102 nack pli
a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f
a=rtpmap:103 rtx/90000
a=fmtp:103 apt=102
a=rtpmap:104 H264/90000
a=rtcp-fb:104 goog-remb
a=rtcp-fb:104 transport-cc
a=rtcp-fb:104 ccm fir
a=rtcp-fb:104 nack
a=rtcp-fb:104 nack pli
a=fmtp:104 level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42001f
a=rtpmap:105 rtx/90000
a=fmtp:105 apt=104
a=rtpmap:106 H264/90000
a=rtcp-fb:106 goog-remb
a=rtcp-fb:106 transport-cc
a=rtcp-fb:106 ccm fir
a=rtcp-fb:106 nack
a=rtcp-fb:106 nack pli
a=fmtp:106 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f
a=rtpmap:107 rtx/90000
a=fmtp:107 apt=106
a=rtpmap:108 H264/90000
a=rtcp-fb:108 goog-remb
a=rtcp-fb:108 transport-cc
a=rtcp-fb:108 ccm fir
a=rtcp-fb:108 nack
a=rtcp-fb:108 nack pli
a=fmtp:108 level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42e01f
a=rtpmap:109 rtx/90000
a=fmtp:109 apt=108
a=rtpmap:127 H264/90000
a=rtcp-fb:127 goog-remb
a=rtcp-fb:127 transport-cc
a=rtcp-fb:127 ccm fir
a=rtcp-fb:127 nack
a=rtcp-fb:127 nack pli
a=fmtp:127 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=4d001f
a=rtpmap:125 rtx/90000
a=fmtp:125 apt=127
a=rtpmap:39 H264/90000
a=rtcp-fb:39 goog-remb
a=rtcp-fb:39 transport-cc
a=rtcp-fb:39 ccm fir
a=rtcp-fb:39 nack
a=rtcp-fb:39 nack pli
a=fmtp:39 level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=4d001f
a=rtpmap:40 rtx/90000
a=fmtp:40 apt=39
a=rtpmap:45 AV1/90000
a=rtcp-fb:45 goog-remb
a=rtcp-fb:45 transport-cc
a=rtcp-fb:45 ccm fir
a=rtcp-fb:45 nack
a=rtcp-fb:45 nack pli
a=fmtp:45 level-idx=5;profile=0;tier=0
a=rtpmap:46 rtx/90000
a=fmtp:46 apt=45
a=rtpmap:98 VP9/90000
a=rtcp-fb:98 goog-remb
a=rtcp-fb:98 transport-cc
a=rtcp-fb:98 ccm fir
a=rtcp-fb:98 nack
a=rtcp-fb:98 nack pli
a=fmtp:98 profile-id=0
a=rtpmap:99 rtx/90000
a=fmtp:99 apt=98
a=rtpmap:100 VP9/90000
a=rtcp-fb:100 goog-remb
a=rtcp-fb:100 transport-cc
a=rtcp-fb:100 ccm fir
a=rtcp-fb:100 nack
a=rtcp-fb:100 nack pli
a=fmtp:100 profile-id=2
a=rtpmap:101 rtx/90000
a=fmtp:101 apt=100
a=rtpmap:112 H264/90000
a=rtcp-fb:112 goog-remb
a=rtcp-fb:112 transport-cc
a=rtcp-fb:112 ccm fir
a=rtcp-fb:112 nack
a=rtcp-fb:112 nack pli
a=fmtp:112 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=64001f
a=rtpmap:113 rtx/90000
a=fmtp:113 apt=112
a=rtpmap:116 red/90000
a=rtpmap:117 rtx/90000
a=fmtp:117 apt=116
a=rtpmap:118 ulpfec/90000
a=ssrc-group:FID 1129284164 2793853396
a=ssrc:1129284164 cname:8bNLaJ8qzRc5mh3j
a=ssrc:1129284164 msid:5c2e2d1a-3a3b-4c1d-9f4e-1b2c3d4e5f60 0f9e8d7c-6b5a-4938-8271-605f4e3d2c1b
a=ssrc:2793853396 cname:8bNLaJ8qzRc5mh3j
a=ssrc:2793853396 msid:5c2e2d1a-3a3b-4c1d-9f4e-1b2c3d4e5f60 0f9e8d7c-6b5a-4938-8271-605f4e3d2c1b
)SDP";

// NOT captured: Chromium-style simulcast publish, three rids, no a=ssrc lines.
inline constexpr std::string_view kChromeSimulcastOffer = R"SDP(v=0
o=- 8093251862174383123 2 IN IP4 127.0.0.1
s=-
t=0 0
a=group:BUNDLE 0
a=extmap-allow-mixed
a=msid-semantic: WMS 2f0e1d2c-3b4a-4596-8877-665544332211
m=video 9 UDP/TLS/RTP/SAVPF 96 97 98 99
c=IN IP4 0.0.0.0
a=rtcp:9 IN IP4 0.0.0.0
a=ice-ufrag:Wr4Q
a=ice-pwd:d3lKc2gqZmdvOHd8n2FzL0Zw
a=ice-options:trickle
a=fingerprint:sha-256 5A:D2:FE:57:13:0D:27:D5:C7:86:29:66:67:98:A7:83:3B:FD:C8:F5:22:76:61:2F:E1:46:22:A4:E4:CB:C2:ED
a=setup:actpass
a=mid:0
a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time
a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01
a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid
a=extmap:10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id
a=extmap:11 urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id
a=sendonly
a=msid:2f0e1d2c-3b4a-4596-8877-665544332211 9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d
a=rtcp-mux
a=rtcp-rsize
a=rtpmap:96 VP8/90000
a=rtcp-fb:96 goog-remb
a=rtcp-fb:96 transport-cc
a=rtcp-fb:96 ccm fir
a=rtcp-fb:96 nack
a=rtcp-fb:96 nack pli
a=rtpmap:97 rtx/90000
a=fmtp:97 apt=96
a=rtpmap:98 VP9/90000
a=rtcp-fb:98 nack
a=rtcp-fb:98 nack pli
a=fmtp:98 profile-id=0
a=rtpmap:99 rtx/90000
a=fmtp:99 apt=98
a=rid:q send
a=rid:h send
a=rid:f send max-width=1280;max-height=720
a=simulcast:send q;h;f
)SDP";

// NOT captured: written from knowledge of OBS Studio's WHIP output (libdatachannel):
// session-level setup/ICE/fingerprint, "ice2,trickle", UDP in capitals, H.264 only.
inline constexpr std::string_view kObsWhipOffer = R"SDP(v=0
o=rtc 2389213284 0 IN IP4 127.0.0.1
s=-
t=0 0
a=group:BUNDLE 0 1
a=group:LS 0 1
a=msid-semantic:WMS *
a=setup:actpass
a=ice-ufrag:Qb3K
a=ice-pwd:zH2nQ8s0f3Tf7E6ZuRNrS1
a=ice-options:ice2,trickle
a=fingerprint:sha-256 73:C8:E4:CF:7A:AF:6C:80:70:97:5F:3B:D6:2B:30:9F:B7:CD:CE:A3:62:DF:1D:04:A5:7A:5B:11:B6:A2:35:CF
m=audio 60513 UDP/TLS/RTP/SAVPF 111
c=IN IP4 192.0.2.20
a=mid:0
a=sendonly
a=ssrc:2914325620 cname:obs-audio
a=ssrc:2914325620 msid:obs-stream obs-audio
a=msid:obs-stream obs-audio
a=rtcp-mux
a=rtpmap:111 opus/48000/2
a=fmtp:111 minptime=10;maxaveragebitrate=96000;stereo=1;sprop-stereo=1;useinbandfec=1
a=candidate:1 1 UDP 2122317823 192.0.2.20 60513 typ host
a=candidate:2 1 UDP 1686109951 198.51.100.20 60513 typ srflx raddr 0.0.0.0 rport 0
a=end-of-candidates
m=video 60513 UDP/TLS/RTP/SAVPF 96
c=IN IP4 192.0.2.20
a=mid:1
a=sendonly
a=ssrc:2914325621 cname:obs-video
a=ssrc:2914325621 msid:obs-stream obs-video
a=msid:obs-stream obs-video
a=rtcp-mux
a=rtpmap:96 H264/90000
a=rtcp-fb:96 nack
a=rtcp-fb:96 nack pli
a=rtcp-fb:96 goog-remb
a=fmtp:96 profile-level-id=42e01f;packetization-mode=1;level-asymmetry-allowed=1
)SDP";

// NOT captured: written from knowledge of GStreamer webrtcbin (whipsink): H.264 and OPUS in
// capitals, max-bundle with the second section at port 0 + a=bundle-only, no candidates.
inline constexpr std::string_view kGstreamerWhipOffer = R"SDP(v=0
o=- 7172399224513411355 0 IN IP4 0.0.0.0
s=-
t=0 0
a=ice-options:trickle
a=group:BUNDLE video0 audio1
m=video 9 UDP/TLS/RTP/SAVPF 96
c=IN IP4 0.0.0.0
a=setup:actpass
a=ice-ufrag:I2Ev9pOmoJW0OOrjOcDp/wqAk7k0GbxR
a=ice-pwd:0cvcNJWbO2cw85sGnGjAXnUoFWP+fmCw
a=rtcp-mux
a=rtcp-rsize
a=sendonly
a=rtpmap:96 H264/90000
a=rtcp-fb:96 nack
a=rtcp-fb:96 nack pli
a=rtcp-fb:96 ccm fir
a=rtcp-fb:96 transport-cc
a=framerate:30
a=fmtp:96 packetization-mode=1;profile-level-id=42c01f;level-asymmetry-allowed=1
a=extmap:1 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01
a=ssrc:3484078950 msid:user3379466208@host-b1f0e6f7 webrtctransceiver0
a=ssrc:3484078950 cname:user3379466208@host-b1f0e6f7
a=mid:video0
a=fingerprint:sha-256 5A:D2:FE:57:13:0D:27:D5:C7:86:29:66:67:98:A7:83:3B:FD:C8:F5:22:76:61:2F:E1:46:22:A4:E4:CB:C2:ED
m=audio 0 UDP/TLS/RTP/SAVPF 97
c=IN IP4 0.0.0.0
a=setup:actpass
a=ice-ufrag:I2Ev9pOmoJW0OOrjOcDp/wqAk7k0GbxR
a=ice-pwd:0cvcNJWbO2cw85sGnGjAXnUoFWP+fmCw
a=bundle-only
a=rtcp-mux
a=rtcp-rsize
a=sendonly
a=rtpmap:97 OPUS/48000/2
a=rtcp-fb:97 transport-cc
a=fmtp:97 sprop-maxcapturerate=48000;sprop-stereo=0
a=extmap:1 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01
a=ssrc:1727213104 msid:user3379466208@host-b1f0e6f7 webrtctransceiver1
a=ssrc:1727213104 cname:user3379466208@host-b1f0e6f7
a=mid:audio1
a=fingerprint:sha-256 5A:D2:FE:57:13:0D:27:D5:C7:86:29:66:67:98:A7:83:3B:FD:C8:F5:22:76:61:2F:E1:46:22:A4:E4:CB:C2:ED
)SDP";

inline std::string WithCrlf(std::string_view lf) {
  std::string out;
  out.reserve(lf.size() + lf.size() / 20);
  for (char c : lf) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

}  // namespace tributary::rtc::testdata
