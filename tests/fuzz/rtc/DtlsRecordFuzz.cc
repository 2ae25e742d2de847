// libFuzzer target for DtlsRecord: any bytes, as a received datagram. Checks the parser's
// invariants (bounds, record sizes adding up, agreement between Reader and
// IsWellFormedDatagram); sanitizers catch any read outside the input.
//
// Seeds: tests/fuzz/corpus/DtlsRecordFuzz/ (datagrams of real handshakes, written by
// DtlsTransportTest with TRIBUTARY_DTLS_CORPUS_DIR set).

#include <cstddef>
#include <cstdint>
#include <span>

#include "rtc/DtlsRecord.h"

using tributary::rtc::DtlsRecord;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> datagram(data, size);
  (void)DtlsRecord::LooksLikeDtls(datagram);

  size_t consumed = 0;
  size_t records = 0;
  DtlsRecord::Reader reader(datagram);
  while (auto record = reader.Next()) {
    if (record->GetBytes().data() != data + consumed) __builtin_trap();
    if (record->GetSize() != DtlsRecord::kHeaderSize + record->GetLength()) __builtin_trap();
    if (record->GetFragment().size() != record->GetLength()) __builtin_trap();
    if (record->GetLength() > DtlsRecord::kMaxFragmentLength) __builtin_trap();
    const uint16_t version = record->GetVersion();
    if (version != DtlsRecord::kVersionDtls10 && version != DtlsRecord::kVersionDtls12) {
      __builtin_trap();
    }
    if (record->GetSequenceNumber() >> 48) __builtin_trap();
    if (auto type = record->GetHandshakeType()) {
      if (record->GetEpoch() != 0 || record->GetLength() < DtlsRecord::kHandshakeHeaderSize) {
        __builtin_trap();
      }
    }
    consumed += record->GetSize();
    ++records;
    if (consumed > size) __builtin_trap();
  }
  const bool well_formed = DtlsRecord::IsWellFormedDatagram(datagram);
  if (well_formed != (reader.AtEnd() && records > 0)) __builtin_trap();
  if (reader.AtEnd() && consumed != size) __builtin_trap();
  return 0;
}
