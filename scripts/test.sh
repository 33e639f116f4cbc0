#!/usr/bin/env bash
# Installs what is missing (apt-get, as root), builds, and runs the whole test suite with ctest.
#   scripts/test.sh              # everything
#   scripts/test.sh -R e2e       # extra arguments go to ctest
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

bda_install_dependencies
bda_build
bda_mpi_env
bda_log "running the tests"
cd "$BDA_BUILD_DIR"
ctest --output-on-failure --timeout 600 "$@"
