// Rejected lines kept, never dropped: spooled per rank while scanning, written as TSV once line
// numbers are final (a rank that starts mid-file learns its first line number only after the scan).
#pragma once

#include "bda/model/reject_reason.hpp"

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace bda {

inline constexpr std::string_view kQuarantineHeader = "file\tline\treason\ttext\n";

//! An anonymous temporary file of (range, line-in-range, reason, raw bytes) records: created in
//! `directory` and unlinked at once, so nothing is left behind however the run ends.
class QuarantineSpool {
public:
  //! $TMPDIR when it is set and not empty, else /tmp.
  static std::filesystem::path default_directory();

  //! Throws OutputError naming `directory` if the spool cannot be created there.
  explicit QuarantineSpool(const std::filesystem::path& directory = default_directory());
  ~QuarantineSpool();
  QuarantineSpool(const QuarantineSpool&) = delete;
  QuarantineSpool& operator=(const QuarantineSpool&) = delete;

  void add(std::uint32_t range, std::uint64_t line_in_range, RejectReason reason, std::string_view text);
  std::uint64_t count() const { return count_; }

  //! Replays the records as TSV lines ("file\tline\treason\ttext\n") in the order added, handing
  //! `sink` blocks of about `block_bytes`. file_of(range) names the file, first_line(range) is the
  //! file line number of the range's first line.
  void replay(const std::function<std::string(std::uint32_t)>& file_of,
              const std::function<std::uint64_t(std::uint32_t)>& first_line, std::size_t block_bytes,
              const std::function<void(std::string_view)>& sink);

private:
  std::string directory_; // for messages
  std::FILE* file_ = nullptr;
  std::uint64_t count_ = 0;
};

} // namespace bda
