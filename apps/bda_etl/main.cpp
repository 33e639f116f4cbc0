// bda-etl: the MPI batch job. Parses options, runs the job, and turns failures into one message.
#include "etl_options.hpp"
#include "warehouse_load.hpp"

#include "bda/core/termination.hpp"
#include "bda/core/watchdog.hpp"
#include "bda/mpi/job_status.hpp"
#include "bda/mpi/launch_defaults.hpp"
#include "bda/mpi/run_summary.hpp"
#include "bda/output/atomic_file.hpp"

#include <mpi.h>

#include <cstdio>
#include <exception>

int main(int argc, char** argv) {
  bda::install_termination_watcher(); // before MPI_Init starts its threads
  bda::add_last_word([](int) { bda::remove_temporary_files(); });
  bda::mpi::choose_single_host_transport();
  MPI_Init(&argc, &argv);
  MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);

  int exit_code = 0;
  try {
    // Every rank reads the command line, --config and the password file itself; a file readable on
    // some hosts only must fail the job on all of them, with the message printed once.
    bda::apps::EtlCommandLine cl;
    bda::mpi::run_collectively(MPI_COMM_WORLD, [&] { cl = bda::apps::parse_etl_command_line(argc, argv); });
    if (cl.early_exit_text) {
      if (rank == 0) std::fputs(cl.early_exit_text->c_str(), stdout);
    } else if (cl.init_db) {
      bda::apps::init_warehouse(MPI_COMM_WORLD, *cl.db);
    } else {
      bda::Watchdog watchdog(std::chrono::seconds(cl.timeout_seconds),
                             "rank " + std::to_string(rank) + " on " + bda::mpi::host_name());
      auto result = bda::apps::run_etl_and_load(MPI_COMM_WORLD, cl);
      if (rank == 0 && !cl.options.quiet)
        std::fprintf(stderr, "bda-etl: %s\n", bda::mpi::run_summary_line(cl.options, result).c_str());
    }
  } catch (const bda::mpi::JobFailed& e) { // already agreed by all ranks: rank 0 speaks
    if (rank == 0) std::fprintf(stderr, "bda-etl: error: %s\n", e.what());
    exit_code = e.exit_code();
  } catch (const bda::UsageError& e) { // the command line is the same on every rank
    if (rank == 0) std::fprintf(stderr, "bda-etl: error: %s\n", e.what());
    exit_code = 2;
  } catch (const std::exception& e) { // one rank alone: nobody else can be told, so end the job
    std::fprintf(stderr, "bda-etl: error: rank %d on %s: %s\n", rank, bda::mpi::host_name().c_str(), e.what());
    MPI_Abort(MPI_COMM_WORLD, 1);
  }
  MPI_Finalize();
  // Every rank knows the outcome, but only rank 0 reports it: a non-zero exit of another rank makes
  // mpirun end the job at once, which can swallow rank 0's message before it reaches the terminal.
  return rank == 0 ? exit_code : 0;
}
