// Test-only fault injection: named points in each phase of a run where a test build can make one rank
// fail. Release builds compile every point to nothing (CMake option BDA_FAULT_INJECTION, off by default).
#pragma once

#include <string_view>

namespace bda {

//! A fault point. In a test build, BDA_TEST_FAULT="PHASE:RANK[:KIND]" makes rank RANK fail here when PHASE
//! matches: KIND `throw` (default) throws Error("injected fault ..."), `oom` throws std::bad_alloc, `exit`
//! ends the process at once (a rank that dies), `hang` sleeps forever (a rank that stops answering).
//! In other builds it does nothing.
void fault_point(std::string_view phase, int rank);

//! The pause of the fault tests: with BDA_TEST_PAUSE_AFTER_PLAN=DIR (test builds only) every rank
//! writes DIR/planned.<rank> (its pid) and waits, at most a minute, for DIR/go.
void pause_for_fault_tests(int rank);

} // namespace bda
