// What the ranks' scans add up to: counters and the file line numbers of each rank's ranges.
#pragma once

#include "bda/lake/shard_plan.hpp"
#include "bda/scan/shard_scanner.hpp"

#include <mpi.h>

#include <cstdint>
#include <vector>

namespace bda::mpi {

//! Collective: the counters summed over all ranks.
ScanCounters sum_counters(MPI_Comm comm, const ScanCounters& mine);

//! Collective. File line number of the first line of each of this rank's ranges in `plan`, given
//! `mine` = the lines that start in each of them (ShardScanner::lines_in_range()).
std::vector<std::uint64_t> first_lines(MPI_Comm comm, const std::vector<std::vector<FileRange>>& plan, int rank,
                                       const std::vector<std::uint64_t>& mine);

} // namespace bda::mpi
