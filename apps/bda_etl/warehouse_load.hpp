// bda-etl's warehouse steps around the MPI job: run log, period load, schema set-up (rank 0 only).
#pragma once

#include "etl_options.hpp"

#include <mpi.h>

namespace bda::apps {

//! --init-db: applies the missing migrations on rank 0 and reports them; collective.
void init_warehouse(MPI_Comm comm, const warehouse::DbOptions& db);

//! Runs the ETL job and, when cl.db is set, logs the run in etl_run and loads the period
//! atomically before any output is published (EtlHooks::before_publish); every failure before the
//! load's commit ends as JobFailed on all ranks with the run marked 'failed' and nothing published.
//! A data mart refresh that fails after the commit is a warning: the run stays 'ok'.
mpi::EtlResult run_etl_and_load(MPI_Comm comm, const EtlCommandLine& cl);

} // namespace bda::apps
