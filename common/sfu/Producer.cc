#include "sfu/Producer.h"

#include <algorithm>

#include "rtc/RtpExtensionValue.h"
#include "rtc/RtxPacket.h"
#include "rtc/codecs/CodecKind.h"
#include "rtc/rtcp/Fir.h"
#include "rtc/rtcp/Nack.h"
#include "rtc/rtcp/Pli.h"
#include "rtc/rtcp/ReceiverReport.h"
#include "rtc/rtcp/Remb.h"

namespace tributary::sfu {

namespace {
// NACKs are not worth sending for packets older than what the cache keeps for the viewers.
NackGeneratorOptions WithCacheHorizon(const ProducerOptions& options) {
  NackGeneratorOptions nack = options.nack;
  nack.max_age_ms = options.cache.max_age_ms;
  return nack;
}
}  // namespace

Producer::Producer(ProducerParameters params, RtcpSink* sink, base::PacketBufferPool& pool,
                   Listener& listener, Options options)
    : params_(std::move(params)),
      sink_(sink),
      pool_(pool),
      listener_(listener),
      options_(options),
      cache_(options.cache),
      nack_(WithCacheHorizon(options)),
      keyframes_(KeyframeRequester::Method::kNone, options.keyframe_throttle_ms) {
  ApplyParameters();
  NewEpoch();
  params_epoch_ = epoch_;
}

bool Producer::Rebind(ProducerParameters params, RtcpSink* sink) {
  if (params.kind != params_.kind) return false;
  params_ = std::move(params);
  sink_ = sink;
  bound_ = true;
  ApplyParameters();
  NewEpoch();
  params_epoch_ = epoch_;
  return true;
}

void Producer::Unbind() {
  bound_ = false;
  sink_ = nullptr;
  held_ = MediaPacket();
}

void Producer::ApplyParameters() {
  codec_by_pt_.fill(kNoCodec);
  codec_by_rtx_pt_.fill(kNoCodec);
  nack_enabled_ = false;
  bool pli = false;
  bool fir = false;
  for (size_t i = 0; i < params_.codecs.size() && i < 127; ++i) {
    const RtpCodecParameters& codec = params_.codecs[i];
    if (codec.payload_type < 128) codec_by_pt_[codec.payload_type] = static_cast<int8_t>(i);
    if (codec.rtx_payload_type && *codec.rtx_payload_type < 128) {
      codec_by_rtx_pt_[*codec.rtx_payload_type] = static_cast<int8_t>(i);
    }
    nack_enabled_ = nack_enabled_ || codec.feedback.nack;
    pli = pli || codec.feedback.nack_pli;
    fir = fir || codec.feedback.ccm_fir;
  }
  extension_ids_ = RtpExtensionIds::From(params_.extensions);
  has_media_ssrc_ = params_.ssrc != 0;
  media_ssrc_ = params_.ssrc;
  has_rtx_ssrc_ = params_.rtx_ssrc != 0;
  rtx_ssrc_ = params_.rtx_ssrc;
  receiver_.reset();
  if (has_media_ssrc_) {
    const uint32_t clock_rate = params_.codecs.empty() ? 90000 : params_.codecs[0].clock_rate;
    receiver_.emplace(media_ssrc_, clock_rate);
  }
  KeyframeRequester::Method method = KeyframeRequester::Method::kNone;
  if (IsVideo() && pli) {
    method = KeyframeRequester::Method::kPli;
  } else if (IsVideo() && fir) {
    method = KeyframeRequester::Method::kFir;
  }
  keyframes_.Reset(method);
  next_report_ms_ = 0;
  remb_changed_ = max_bitrate_ != 0;
}

void Producer::NewEpoch() {
  ++epoch_;
  unwrapper_.Reset();
  nack_.Reset();
  cache_.Clear();
  held_ = MediaPacket();
}

const RtpCodecParameters* Producer::CodecOf(uint8_t payload_type) const {
  if (payload_type >= 128 || codec_by_pt_[payload_type] == kNoCodec) return nullptr;
  return &params_.codecs[static_cast<size_t>(codec_by_pt_[payload_type])];
}

bool Producer::LatchSsrc(const rtc::RtpPacket& packet) {
  if (extension_ids_.mid == 0 || params_.mid.empty()) return false;
  const auto mid_element = packet.FindExtension(extension_ids_.mid);
  const auto mid =
      mid_element ? rtc::RtpExtensionValue::ReadSdesString(mid_element->value) : std::nullopt;
  if (!mid || *mid != params_.mid) return false;
  const uint8_t pt = packet.PayloadType();
  const bool rtx = codec_by_rtx_pt_[pt] != kNoCodec;
  if (!rtx && codec_by_pt_[pt] == kNoCodec) return false;
  if (!params_.rid.empty()) {
    const uint8_t id = rtx ? extension_ids_.repaired_rid : extension_ids_.rid;
    const auto element = id != 0 ? packet.FindExtension(id) : std::nullopt;
    const auto rid =
        element ? rtc::RtpExtensionValue::ReadSdesString(element->value) : std::nullopt;
    if (!rid || *rid != params_.rid) return false;
  }
  if (rtx) {
    if (has_rtx_ssrc_) return false;
    has_rtx_ssrc_ = true;
    rtx_ssrc_ = packet.Ssrc();
  } else {
    if (has_media_ssrc_) return false;
    has_media_ssrc_ = true;
    media_ssrc_ = packet.Ssrc();
    const RtpCodecParameters& codec = params_.codecs[static_cast<size_t>(codec_by_pt_[pt])];
    receiver_.emplace(media_ssrc_, codec.clock_rate);
  }
  return true;
}

bool Producer::ReceiveRtpPacket(std::span<const uint8_t> bytes, uint64_t arrival_us) {
  const auto packet = rtc::RtpPacket::Parse(bytes);
  if (!packet) {
    ++counters_.drops.malformed;
    return false;
  }
  return ReceiveRtpPacket(*packet, arrival_us);
}

bool Producer::ReceiveRtpPacket(const rtc::RtpPacket& packet, uint64_t arrival_us) {
  if (!bound_) {
    ++counters_.drops.unbound;
    return false;
  }
  const uint32_t ssrc = packet.Ssrc();
  if (has_media_ssrc_ && ssrc == media_ssrc_) return ReceiveMedia(packet, arrival_us);
  if (has_rtx_ssrc_ && ssrc == rtx_ssrc_) return ReceiveRtx(packet, arrival_us);
  if (!LatchSsrc(packet)) {
    ++counters_.drops.unknown_ssrc;
    return false;
  }
  return ssrc == media_ssrc_ && has_media_ssrc_ ? ReceiveMedia(packet, arrival_us)
                                                : ReceiveRtx(packet, arrival_us);
}

void Producer::CountError(MediaPacket::Error error) {
  switch (error) {
    case MediaPacket::Error::kPoolExhausted:
      ++counters_.drops.pool_exhausted;
      break;
    case MediaPacket::Error::kTooLarge:
      ++counters_.drops.too_large;
      break;
    case MediaPacket::Error::kMalformed:
    case MediaPacket::Error::kNone:
      ++counters_.drops.malformed;
      break;
  }
}

bool Producer::ReceiveMedia(const rtc::RtpPacket& packet, uint64_t arrival_us) {
  ++counters_.rtp_packets_in;
  counters_.rtp_bytes_in += packet.Size();
  const RtpCodecParameters* codec = CodecOf(packet.PayloadType());
  if (codec == nullptr) {
    ++counters_.drops.unknown_payload_type;
    return false;
  }
  MediaPacket::Error error = MediaPacket::Error::kNone;
  MediaPacket media = MediaPacket::CopyFrom(pool_, packet, arrival_us, &error);
  if (!media) {
    CountError(error);
    return false;
  }
  // A late packet of the current sequence (reordered, or an original that comes after its RTX
  // copy): older than the newest, and inside the cache's window or with a timestamp at most
  // kLateHorizonSeconds behind the newest one's. Told apart here, before RFC 3550's sequence
  // validation, which takes anything more than MAX_MISORDER (100) behind for a jump and two such
  // packets in a row for a restart: a link that holds a few packets back for a second made a
  // new epoch of them, which cleared the cache and the NACK list, so the copies that followed
  // were delivered again and the gaps then open were never asked for. A real restart numbers
  // from anywhere, with a timestamp from anywhere (or ahead, when only the numbering restarts):
  // it still goes through the validation.
  const int64_t late_seq = unwrapper_.Peek(packet.SequenceNumber());
  if (unwrapper_.Started() && late_seq <= unwrapper_.Highest() &&
      (cache_.Covers(late_seq) ||
       newest_timestamp_ - packet.Timestamp() <= kLateHorizonSeconds * codec->clock_rate)) {
    if (cache_.Contains(late_seq)) {
      ++counters_.drops.duplicate;
      return false;
    }
    receiver_->ReceiveLatePacket(packet.Size());
    held_ = MediaPacket();
    return Deliver(media, *codec, false);  // too old when below the window
  }
  switch (receiver_->ReceivePacket(packet.SequenceNumber(), packet.Timestamp(), packet.Size(),
                                   arrival_us)) {
    case RtpStreamReceiver::SeqStatus::kJump:
      held_ = std::move(media);
      ++counters_.drops.sequence_jump;
      return false;
    case RtpStreamReceiver::SeqStatus::kRestarted: {
      MediaPacket held = std::move(held_);
      ++counters_.restarts;
      NewEpoch();
      if (held &&
          static_cast<uint16_t>(held.Rtp().SequenceNumber() + 1) == packet.SequenceNumber()) {
        if (const RtpCodecParameters* held_codec = CodecOf(held.Rtp().PayloadType())) {
          --counters_.drops.sequence_jump;  // delivered after all
          Deliver(held, *held_codec, false);
        }
      }
      break;
    }
    case RtpStreamReceiver::SeqStatus::kInOrder:
    case RtpStreamReceiver::SeqStatus::kReordered:
      held_ = MediaPacket();
      break;
  }
  return Deliver(media, *codec, false);
}

bool Producer::ReceiveRtx(const rtc::RtpPacket& packet, uint64_t arrival_us) {
  ++counters_.rtx_packets_in;
  counters_.rtx_bytes_in += packet.Size();
  const uint8_t pt = packet.PayloadType();
  if (codec_by_rtx_pt_[pt] == kNoCodec) {
    ++counters_.drops.unknown_payload_type;
    return false;
  }
  if (!rtc::RtxPacket::OriginalSequenceNumber(packet)) {
    ++counters_.drops.rtx_padding;
    return false;
  }
  if (!has_media_ssrc_) {
    ++counters_.drops.rtx_without_media;
    return false;
  }
  const RtpCodecParameters& codec = params_.codecs[static_cast<size_t>(codec_by_rtx_pt_[pt])];
  base::PacketRef buffer = pool_.Acquire();
  if (!buffer) {
    ++counters_.drops.pool_exhausted;
    return false;
  }
  const size_t size =
      rtc::RtxPacket::Decapsulate(packet, codec.payload_type, media_ssrc_, buffer->Storage());
  if (size == 0) {
    ++counters_.drops.too_large;
    return false;
  }
  MediaPacket::Error error = MediaPacket::Error::kNone;
  MediaPacket media = MediaPacket::Adopt(std::move(buffer), size, arrival_us, &error);
  if (!media) {
    CountError(error);
    return false;
  }
  if (!Deliver(media, codec, true)) return false;
  ++counters_.recovered_packets;
  receiver_->ReceiveRecoveredPacket(size);
  return true;
}

bool Producer::Deliver(MediaPacket& packet, const RtpCodecParameters& codec, bool recovered) {
  const rtc::RtpPacket& rtp = packet.Rtp();
  const int64_t seq = unwrapper_.Unwrap(rtp.SequenceNumber());
  if (cache_.Contains(seq)) {
    ++counters_.drops.duplicate;
    return false;
  }
  const bool keyframe = rtc::codecs::IsKeyframe(codec.codec, rtp.Payload());
  if (seq == unwrapper_.Highest()) newest_timestamp_ = rtp.Timestamp();
  packet.SetExtendedSeq(seq);
  packet.SetKeyframe(keyframe);
  packet.SetRecovered(recovered);
  packet.SetSourceEpoch(epoch_);
  if (!cache_.Insert(packet)) {
    // Below the cache window: older than the horizon, too late for any viewer.
    ++counters_.drops.too_old;
    return false;
  }
  const uint64_t now_ms = packet.ArrivalUs() / 1000;
  if (keyframe && IsVideo()) {
    ++counters_.keyframes;
    keyframes_.OnKeyframeReceived();
  }
  if (nack_enabled_) {
    const NackGenerator::Result result = nack_.ReceivePacket(seq, keyframe, recovered, now_ms);
    if (result.missing > 0) SendNacks(now_ms);
    if (result.keyframe_needed) RequestKeyframe(KeyframeRequestReason::kNackOverflow, now_ms);
  }
  listener_.OnProducerRtpPacket(*this, packet);
  return true;
}

void Producer::Mirror(ProducerParameters params, uint32_t params_epoch) {
  if (params.kind != params_.kind || params_epoch == params_epoch_) return;
  params_ = std::move(params);
  sink_ = nullptr;
  bound_ = true;
  ApplyParameters();
  NewEpoch();
  // The home's numbering: consumers compare the packets' epochs with ours.
  epoch_ = params_epoch;
  params_epoch_ = params_epoch;
}

bool Producer::ReceiveMirrored(MediaPacket& packet, uint32_t params_epoch) {
  if (params_epoch != params_epoch_) {
    ++counters_.drops.mirror_parameters;
    return false;
  }
  const uint32_t epoch = packet.SourceEpoch();
  if (epoch < epoch_) {
    ++counters_.drops.too_old;
    return false;
  }
  if (epoch != epoch_) {
    // A sequence restart at home: a new numbering, the old packets mean nothing now.
    cache_.Clear();
    epoch_ = epoch;
  }
  ++counters_.rtp_packets_in;
  counters_.rtp_bytes_in += packet.Size();
  if (cache_.Contains(packet.ExtendedSeq())) {
    ++counters_.drops.duplicate;
    return false;
  }
  if (!cache_.Insert(packet)) {
    ++counters_.drops.too_old;
    return false;
  }
  if (packet.IsRecovered()) ++counters_.recovered_packets;
  if (packet.IsKeyframe() && IsVideo()) ++counters_.keyframes;
  listener_.OnProducerRtpPacket(*this, packet);
  return true;
}

void Producer::ReceiveSenderReport(const rtc::rtcp::SenderReport& report, uint64_t arrival_us) {
  if (!receiver_ || report.SenderSsrc() != media_ssrc_) return;
  ++counters_.sender_reports_in;
  receiver_->ReceiveSenderReport(report, arrival_us);
}

void Producer::RequestKeyframe(KeyframeRequestReason reason, uint64_t now_ms) {
  if (!IsVideo() || !bound_) return;
  if (keyframes_.Request(reason, now_ms)) SendKeyframeRequest(now_ms);
}

void Producer::SetMaxBitrate(uint64_t bits_per_second) {
  if (bits_per_second == max_bitrate_) return;
  max_bitrate_ = bits_per_second;
  remb_changed_ = bits_per_second != 0;
}

void Producer::Tick(uint64_t now_ms) {
  cache_.Expire(now_ms * 1000);
  if (!bound_) return;
  if (nack_enabled_ && nack_.HasDue(now_ms)) SendNacks(now_ms);
  if (keyframes_.Poll(now_ms)) SendKeyframeRequest(now_ms);
  if ((receiver_ && receiver_->HasReceived() && now_ms >= next_report_ms_) ||
      (remb_changed_ && has_media_ssrc_)) {
    SendReport(now_ms);
  }
}

void Producer::StartCompound(rtc::rtcp::RtcpWriter& writer, uint64_t now_us, bool always) {
  if (!always && params_.rtcp_reduced_size) return;
  rtc::rtcp::ReportBlock block;
  rtc::rtcp::ReceiverReport report;
  report.SetSenderSsrc(params_.rtcp_ssrc);
  if (receiver_ && receiver_->HasReceived()) {
    block = receiver_->MakeReportBlock(now_us);
    report.SetReportBlocks(std::span<const rtc::rtcp::ReportBlock>(&block, 1));
  }
  if (writer.Append(report)) ++counters_.rr_out;
}

void Producer::AppendRemb(rtc::rtcp::RtcpWriter& writer) {
  if (max_bitrate_ == 0 || !has_media_ssrc_) return;
  rtc::rtcp::Remb remb;
  remb.SetSenderSsrc(params_.rtcp_ssrc);
  remb.SetBitrate(max_bitrate_);
  remb.SetSsrcs(std::span<const uint32_t>(&media_ssrc_, 1));
  if (writer.Append(remb)) ++counters_.remb_out;
  remb_changed_ = false;
}

void Producer::Send(const rtc::rtcp::RtcpWriter& writer) {
  if (sink_ != nullptr && writer.Size() > 0) sink_->SendRtcp(writer.Data());
}

void Producer::SendNacks(uint64_t now_ms) {
  std::array<uint16_t, 256> lost;
  const size_t limit = std::min(lost.size(), options_.max_nacks_per_packet);
  const size_t count = nack_.CollectNacks(now_ms, std::span<uint16_t>(lost.data(), limit));
  if (count == 0 || !has_media_ssrc_) return;
  std::array<rtc::rtcp::NackItem, 256> items;
  const size_t item_count =
      rtc::rtcp::Nack::PackLostSequences(std::span<const uint16_t>(lost.data(), count), items);
  rtc::rtcp::Nack nack;
  nack.SetSenderSsrc(params_.rtcp_ssrc);
  nack.SetMediaSsrc(media_ssrc_);
  nack.SetItems(std::span<const rtc::rtcp::NackItem>(items.data(), item_count));
  std::array<uint8_t, kRtcpBufferSize> buffer;
  rtc::rtcp::RtcpWriter writer(buffer);
  StartCompound(writer, now_ms * 1000, false);
  if (!writer.Append(nack)) return;
  ++counters_.nack_packets_out;
  counters_.nack_seqs_out += count;
  Send(writer);
}

void Producer::SendKeyframeRequest(uint64_t now_ms) {
  if (!has_media_ssrc_) return;
  std::array<uint8_t, kRtcpBufferSize> buffer;
  rtc::rtcp::RtcpWriter writer(buffer);
  StartCompound(writer, now_ms * 1000, false);
  if (keyframes_.GetMethod() == KeyframeRequester::Method::kPli) {
    rtc::rtcp::Pli pli;
    pli.SetSenderSsrc(params_.rtcp_ssrc);
    pli.SetMediaSsrc(media_ssrc_);
    if (writer.Append(pli)) ++counters_.pli_out;
  } else {
    const rtc::rtcp::FirEntry entry{media_ssrc_, keyframes_.FirSeqNr()};
    rtc::rtcp::Fir fir;
    fir.SetSenderSsrc(params_.rtcp_ssrc);
    fir.SetEntries(std::span<const rtc::rtcp::FirEntry>(&entry, 1));
    if (writer.Append(fir)) ++counters_.fir_out;
  }
  Send(writer);
}

void Producer::SendReport(uint64_t now_ms) {
  std::array<uint8_t, kRtcpBufferSize> buffer;
  rtc::rtcp::RtcpWriter writer(buffer);
  StartCompound(writer, now_ms * 1000, true);
  AppendRemb(writer);
  next_report_ms_ = now_ms + options_.rtcp_interval_ms;
  Send(writer);
}

}  // namespace tributary::sfu
