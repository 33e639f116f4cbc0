// One rank's extract + transform: read its FileRanges, classify every line, aggregate per Contract.
#pragma once

#include "bda/aggregate/contract_table.hpp"
#include "bda/aggregate/daily_usage.hpp"
#include "bda/lake/line_chunk_reader.hpp"
#include "bda/lake/shard_plan.hpp"
#include "bda/output/quarantine.hpp"
#include "bda/model/reject_reason.hpp"
#include "bda/model/category_mapping.hpp"
#include "bda/scan/record_sink.hpp"

#include <array>
#include <cstdint>
#include <functional>
#include <vector>

namespace bda {

//! Line accounting of a scan; sums across ranks (all fields are additive).
struct ScanCounters {
  std::uint64_t bytes = 0;       //!< input bytes read (compressed bytes for .gz)
  std::uint64_t lines = 0;       //!< every line, blank ones included
  std::uint64_t blank_lines = 0; //!< skipped, not rejected
  std::uint64_t records = 0;     //!< counted records
  std::array<std::uint64_t, kRejectReasonCount> rejects{};

  std::uint64_t rejected() const;
  ScanCounters& operator+=(const ScanCounters& o);
};

//! Called about once per block with the input bytes consumed so far by this scanner.
using ScanProgress = std::function<void(std::uint64_t bytes_done)>;

//! Scans ranges into a ContractTable. No MPI here: ranks, tests and tools use it alike.
class ShardScanner {
public:
  ShardScanner(const LakeFiles& lake, const CategoryMapping& mapping, std::uint32_t selected_days,
               ReaderConfig config = {});

  //! Reads every range in order into table(); rejected lines go to `quarantine` when it is not null.
  void scan(const std::vector<FileRange>& ranges, QuarantineSpool* quarantine, const ScanProgress& progress = {});
  //! The same, with the counted records handed to `sink` instead.
  void scan(const std::vector<FileRange>& ranges, RecordSink& sink, QuarantineSpool* quarantine,
            const ScanProgress& progress = {});

  ContractTable& table() { return table_; }
  //! Sessions and durations per day and category (customers are counted after the reduce), with
  //! the selected dates when the lake's files and missing days name them all.
  DailyUsage& daily() { return daily_; }
  const ScanCounters& counters() const { return counters_; }
  //! lines_in_range()[i] = lines that start in ranges[i] (for global line numbers).
  const std::vector<std::uint64_t>& lines_in_range() const { return lines_in_range_; }

private:
  const LakeFiles& lake_;
  const CategoryMapping& mapping_;
  ReaderConfig config_;
  ContractTable table_;
  DailyUsage daily_;
  ScanCounters counters_;
  std::vector<std::uint64_t> lines_in_range_;
};

} // namespace bda
