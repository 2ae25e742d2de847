#include "base/PacketBuffer.h"

#include "base/PacketBufferPool.h"

namespace tributary::base {

void PacketBuffer::Release() {
  // acq_rel: this holder's reads of the bytes happen before the recycle, and the thread that
  // recycles sees every other holder's accesses as done.
  if (refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) pool_->Recycle(this);
}

}  // namespace tributary::base
