#include "bda/core/huge_pages.hpp"

#include <sys/mman.h>

#include <algorithm>
#include <cstdint>
#include <new>
#include <utility>

namespace bda {
namespace {

std::size_t round_up(std::size_t n, std::size_t to) { return (n + to - 1) / to * to; }

//! `bytes` of address space starting on a 2 MiB boundary (the slack around it is given back).
void* map_aligned(std::size_t bytes, int protection) {
  const std::size_t padded = bytes + kHugePageBytes;
  void* raw = mmap(nullptr, padded, protection, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (raw == MAP_FAILED) return nullptr;
  const auto begin = reinterpret_cast<std::uintptr_t>(raw);
  const std::uintptr_t aligned = round_up(begin, kHugePageBytes);
  if (aligned > begin) munmap(raw, aligned - begin);
  const std::uintptr_t tail = begin + padded - (aligned + bytes);
  if (tail > 0) munmap(reinterpret_cast<void*>(aligned + bytes), tail);
  return reinterpret_cast<void*>(aligned);
}

} // namespace

HugeBuffer::HugeBuffer(std::size_t bytes) {
  if (bytes == 0) return;
  size_ = round_up(bytes, 4096);
  data_ = map_aligned(size_, PROT_READ | PROT_WRITE);
  if (!data_) throw std::bad_alloc();
  if (size_ >= kHugePageBytes) madvise(data_, size_, MADV_HUGEPAGE);
}

HugeBuffer::HugeBuffer(HugeBuffer&& o) noexcept
    : data_(std::exchange(o.data_, nullptr)), size_(std::exchange(o.size_, 0)) {}

HugeBuffer& HugeBuffer::operator=(HugeBuffer&& o) noexcept {
  if (this != &o) {
    if (data_) munmap(data_, size_);
    data_ = std::exchange(o.data_, nullptr);
    size_ = std::exchange(o.size_, 0);
  }
  return *this;
}

HugeBuffer::~HugeBuffer() {
  if (data_) munmap(data_, size_);
}

ReservedArray::ReservedArray(std::size_t max_bytes) {
  // A smaller reservation where address space is limited (ulimit -v): growth then fails cleanly.
  for (std::size_t want = round_up(max_bytes, kHugePageBytes); want >= kHugePageBytes; want /= 2) {
    base_ = map_aligned(want, PROT_NONE);
    if (base_) {
      reserved_ = want;
      madvise(base_, reserved_, MADV_HUGEPAGE);
      return;
    }
  }
  throw std::bad_alloc();
}

ReservedArray::ReservedArray(ReservedArray&& o) noexcept
    : base_(std::exchange(o.base_, nullptr)), reserved_(std::exchange(o.reserved_, 0)),
      committed_(std::exchange(o.committed_, 0)) {}

ReservedArray& ReservedArray::operator=(ReservedArray&& o) noexcept {
  if (this != &o) {
    if (base_) munmap(base_, reserved_);
    base_ = std::exchange(o.base_, nullptr);
    reserved_ = std::exchange(o.reserved_, 0);
    committed_ = std::exchange(o.committed_, 0);
  }
  return *this;
}

ReservedArray::~ReservedArray() {
  if (base_) munmap(base_, reserved_);
}

void ReservedArray::grow(std::size_t bytes) {
  // Whole huge pages, and at least doubling, so growth is rare.
  std::size_t want = round_up(std::max(bytes, committed_ * 2), kHugePageBytes);
  want = std::min(want, reserved_);
  if (want < bytes) throw std::bad_alloc();
  if (mprotect(data() + committed_, want - committed_, PROT_READ | PROT_WRITE) != 0) throw std::bad_alloc();
  committed_ = want;
}

} // namespace bda
