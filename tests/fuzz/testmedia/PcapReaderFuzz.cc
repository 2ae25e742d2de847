// PcapReader over arbitrary bytes (a capture file given to tributary-whip --replay), and the
// probe reader over every datagram it yields, as RTP payload and raw: nothing may read past
// what it was given, whatever the lengths in the headers say.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "rtc/RtpPacket.h"
#include "testmedia/PcapReader.h"
#include "testmedia/ProbePayload.h"

using tributary::rtc::RtpPacket;
using tributary::testmedia::PcapDatagram;
using tributary::testmedia::PcapReader;
using tributary::testmedia::ProbePayload;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string error;
  auto reader = PcapReader::FromBytes(std::vector<uint8_t>(data, data + size), error);
  if (!reader) return 0;
  PcapDatagram datagram;
  size_t datagrams = 0;
  while (reader->Next(datagram) && ++datagrams < 100000) {
    (void)ProbePayload::ReadVp8(datagram.payload);
    (void)ProbePayload::ReadOpus(datagram.payload);
    if (const auto rtp = RtpPacket::Parse(datagram.payload)) {
      (void)ProbePayload::ReadVp8(rtp->Payload());
    }
  }
  return 0;
}
