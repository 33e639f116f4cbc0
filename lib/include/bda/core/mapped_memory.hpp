// Memory for the big hash-table arrays, straight from mmap: zero-filled for free, returned to the
// system whole, and (ReservedArray) growable without moving. Transparent huge pages are not asked
// for: on the real-scale month they bought no measurable time (the probes are bound by cache misses,
// not the TLB), and with THP `defrag=madvise` a host whose memory is full of page cache (an ETL
// host's normal state) makes every 2 MiB fault reclaim synchronously: runs of 7 s took 18-20 s.
#pragma once

#include <cstddef>

namespace bda {

//! A fixed-size, zero-filled anonymous mapping. Throws std::bad_alloc when the kernel refuses it.
class MappedBuffer {
public:
  MappedBuffer() = default;
  explicit MappedBuffer(std::size_t bytes);
  MappedBuffer(MappedBuffer&& o) noexcept;
  MappedBuffer& operator=(MappedBuffer&& o) noexcept;
  MappedBuffer(const MappedBuffer&) = delete;
  MappedBuffer& operator=(const MappedBuffer&) = delete;
  ~MappedBuffer();

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
