# Fault tests of every phase (filled in by the failure-semantics work).
