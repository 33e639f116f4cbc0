// bda-etl's command line (Boost.Program_options) -> bda::mpi::EtlOptions.
#pragma once

#include "bda/mpi/etl_job.hpp"
#include "bda/warehouse/db_options.hpp"

#include <optional>
#include <string>

namespace bda::apps {

struct EtlCommandLine {
  std::optional<std::string> early_exit_text; //!< --help / --version output: print it and exit 0
  mpi::EtlOptions options;
  std::optional<warehouse::DbOptions> db; //!< set when the run loads the warehouse
  bool init_db = false;                   //!< --init-db: apply the schema and exit
  bool allow_shrink = false;              //!< --allow-shrink: a period may be replaced by far fewer rows
  bool month_to_date = false;             //!< --month-to-date: the load replaces the month's shorter month-to-date period
  unsigned timeout_seconds = 0;           //!< --timeout: end the job after this long (0: never)
};

//! Throws UsageError with a message that names the offending option.
EtlCommandLine parse_etl_command_line(int argc, const char* const argv[]);

} // namespace bda::apps
