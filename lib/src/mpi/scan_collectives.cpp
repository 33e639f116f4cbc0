#include "bda/mpi/scan_collectives.hpp"

#include "bda/mpi/error.hpp"

namespace bda::mpi {

ScanCounters sum_counters(MPI_Comm comm, const ScanCounters& mine) {
  std::vector<std::uint64_t> v = {mine.bytes, mine.lines, mine.blank_lines, mine.records};
  v.insert(v.end(), mine.rejects.begin(), mine.rejects.end());
  std::vector<std::uint64_t> sum(v.size());
  THROW_IF_MPI_ERROR(MPI_Allreduce(v.data(), sum.data(), static_cast<int>(v.size()), MPI_UINT64_T, MPI_SUM, comm));
  ScanCounters t;
  t.bytes = sum[0];
  t.lines = sum[1];
  t.blank_lines = sum[2];
  t.records = sum[3];
  for (std::size_t i = 0; i < kRejectReasonCount; ++i) t.rejects[i] = sum[4 + i];
  return t;
}

// Ranges of one file are consecutive in rank order, so a range's first line is 1 + the lines of the
// same file's ranges on lower ranks.
std::vector<std::uint64_t> first_lines(MPI_Comm comm, const std::vector<std::vector<FileRange>>& plan, int rank,
                                       const std::vector<std::uint64_t>& mine) {
  std::vector<int> counts(plan.size()), displs(plan.size());
  int total = 0;
  for (std::size_t r = 0; r < plan.size(); ++r) {
    counts[r] = static_cast<int>(plan[r].size());
    displs[r] = total;
    total += counts[r];
  }
  std::vector<std::uint64_t> all(static_cast<std::size_t>(total));
  THROW_IF_MPI_ERROR(MPI_Allgatherv(mine.data(), static_cast<int>(mine.size()), MPI_UINT64_T, all.data(),
                                    counts.data(), displs.data(), MPI_UINT64_T, comm));
  std::vector<std::uint64_t> result;
  for (std::size_t i = 0; i < plan[static_cast<std::size_t>(rank)].size(); ++i) {
    const std::uint32_t file = plan[static_cast<std::size_t>(rank)][i].file;
    std::uint64_t before = 0;
    for (int r = 0; r < rank; ++r)
      for (std::size_t j = 0; j < plan[static_cast<std::size_t>(r)].size(); ++j)
        if (plan[static_cast<std::size_t>(r)][j].file == file)
          before += all[static_cast<std::size_t>(displs[static_cast<std::size_t>(r)]) + j];
    result.push_back(before + 1);
  }
  return result;
}

} // namespace bda::mpi
