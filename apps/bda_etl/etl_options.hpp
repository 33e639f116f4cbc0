// bda-etl's command line (Boost.Program_options) -> bda::mpi::EtlOptions.
#pragma once

#include "bda/mpi/etl_job.hpp"

#include <optional>
#include <string>

namespace bda::apps {

struct EtlCommandLine {
  std::optional<std::string> early_exit_text; //!< --help / --version output: print it and exit 0
  mpi::EtlOptions options;
};

//! Throws UsageError with a message that names the offending option.
EtlCommandLine parse_etl_command_line(int argc, const char* const argv[]);

} // namespace bda::apps
