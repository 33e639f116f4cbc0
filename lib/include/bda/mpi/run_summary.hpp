// The run summary (--summary FILE.json) and the one-line report on stderr.
#pragma once

#include "bda/mpi/etl_job.hpp"

#include <string>

namespace bda::mpi {

//! The summary document as JSON text: status, period, files, line accounting, timings, ranks.
std::string run_summary_json(const EtlOptions& options, const EtlResult& result);

//! "30 days, 9000000 lines: 8900000 records, 99000 rejected, 1000 blank -> 120000 contracts in 3.1 s"
std::string run_summary_line(const EtlOptions& options, const EtlResult& result);

} // namespace bda::mpi
