#include "bda/core/mapped_memory.hpp"

#include <sys/mman.h>

#include <algorithm>
#include <new>
#include <utility>

namespace bda {
namespace {

constexpr std::size_t kPageBytes = 4096;
constexpr std::size_t kGrowthStep = std::size_t{2} << 20; // ReservedArray grows at least this much

std::size_t round_up(std::size_t n, std::size_t to) { return (n + to - 1) / to * to; }

void* map(std::size_t bytes, int protection) {
  void* p = mmap(nullptr, bytes, protection, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  return p == MAP_FAILED ? nullptr : p;
}

} // namespace

MappedBuffer::MappedBuffer(std::size_t bytes) {
  if (bytes == 0) return;
  size_ = round_up(bytes, kPageBytes);
  data_ = map(size_, PROT_READ | PROT_WRITE);
  if (!data_) throw std::bad_alloc();
}

MappedBuffer::MappedBuffer(MappedBuffer&& o) noexcept
    : data_(std::exchange(o.data_, nullptr)), size_(std::exchange(o.size_, 0)) {}

MappedBuffer& MappedBuffer::operator=(MappedBuffer&& o) noexcept {
  if (this != &o) {
    if (data_) munmap(data_, size_);
    data_ = std::exchange(o.data_, nullptr);
    size_ = std::exchange(o.size_, 0);
  }
  return *this;
}

MappedBuffer::~MappedBuffer() {
  if (data_) munmap(data_, size_);
}

ReservedArray::ReservedArray(std::size_t max_bytes) {
  // A smaller reservation where address space is limited (ulimit -v): growth then fails cleanly.
  for (std::size_t want = round_up(max_bytes, kGrowthStep); want >= kGrowthStep; want /= 2) {
    base_ = map(want, PROT_NONE);
    if (base_) {
      reserved_ = want;
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
  // At least doubling, in whole steps, so growth is rare; pages cost memory only once touched.
  std::size_t want = round_up(std::max(bytes, committed_ * 2), kGrowthStep);
  want = std::min(want, reserved_);
  if (want < bytes) throw std::bad_alloc();
  if (mprotect(data() + committed_, want - committed_, PROT_READ | PROT_WRITE) != 0) throw std::bad_alloc();
  committed_ = want;
}

} // namespace bda
