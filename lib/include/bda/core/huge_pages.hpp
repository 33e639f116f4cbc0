// Memory for the big hash-table arrays: 2 MiB aligned and madvise(MADV_HUGEPAGE)d, because random
// access into hundreds of MB misses the TLB on nearly every probe with 4 KiB pages (THP is
// `madvise` on the target machines, so nothing gets huge pages without asking).
#pragma once

#include <cstddef>

namespace bda {

inline constexpr std::size_t kHugePageBytes = std::size_t{2} << 20;

//! A fixed-size, zero-filled anonymous mapping. Throws std::bad_alloc when the kernel refuses it.
class HugeBuffer {
public:
  HugeBuffer() = default;
  explicit HugeBuffer(std::size_t bytes);
  HugeBuffer(HugeBuffer&& o) noexcept;
  HugeBuffer& operator=(HugeBuffer&& o) noexcept;
  HugeBuffer(const HugeBuffer&) = delete;
  HugeBuffer& operator=(const HugeBuffer&) = delete;
  ~HugeBuffer();

  void* data() const { return data_; }
  std::size_t size() const { return size_; }

private:
  void* data_ = nullptr;
  std::size_t size_ = 0;
};

//! A growable array that never moves: address space is reserved up front (PROT_NONE costs no
//! memory and no commit charge) and made usable as it grows, so pointers into it stay valid.
class ReservedArray {
public:
  ReservedArray() = default;
  //! Reserves `max_bytes` of address space, less if the system refuses that much.
  explicit ReservedArray(std::size_t max_bytes);
  ReservedArray(ReservedArray&& o) noexcept;
  ReservedArray& operator=(ReservedArray&& o) noexcept;
  ReservedArray(const ReservedArray&) = delete;
  ReservedArray& operator=(const ReservedArray&) = delete;
  ~ReservedArray();

  //! Makes the first `bytes` usable (zero-filled when new); throws std::bad_alloc past the reservation
  //! or when the kernel refuses the memory.
  void ensure(std::size_t bytes) {
    if (bytes > committed_) grow(bytes);
  }
  char* data() const { return static_cast<char*>(base_); }
  std::size_t committed() const { return committed_; }

private:
  void grow(std::size_t bytes);

  void* base_ = nullptr;
  std::size_t reserved_ = 0;
  std::size_t committed_ = 0;
};

} // namespace bda
