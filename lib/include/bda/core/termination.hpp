// An orderly end on SIGTERM and SIGINT (mpirun ends the ranks of a failed job with SIGTERM): the
// signals are blocked in every thread and one watcher thread waits for them, says the registered
// last words (remove temporary outputs, mark the run failed), then dies of the same signal.
#pragma once

#include <functional>

namespace bda {

//! Call once, before any other thread starts (before MPI_Init): threads inherit the signal mask.
void install_termination_watcher();

//! Registers work for the watcher thread to do before the process dies; returns its id.
int add_last_word(std::function<void(int signal)> last_word);
void remove_last_word(int id);

//! Asks for the orderly end from any thread (a process-directed SIGTERM).
void request_termination();

} // namespace bda
