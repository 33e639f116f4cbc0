# Shared by scripts/*.sh: repository paths, dependency installation, building.
# Source it; it defines functions and variables only.

BDA_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BDA_BUILD_DIR="${BDA_BUILD_DIR:-$BDA_ROOT/build}"
# The second build of scripts/test.sh: Clang with AddressSanitizer and UBSan, unit and MPI tests only.
BDA_SANITIZE_BUILD_DIR="${BDA_SANITIZE_BUILD_DIR:-$BDA_BUILD_DIR-asan}"
# The DuckDB peer's engine for the e2e cross-check (../shared/peers/README.md), pinned.
BDA_DUCKDB_NODE_API_VERSION=1.5.6-r.1
BDA_DUCKDB_NODE_API_FILE=$BDA_BUILD_DIR/peers/node_modules/@duckdb/node-api/lib/index.js

# Debian 12 packages the build, the tests and the demo need.
BDA_PACKAGES=(
  build-essential cmake pkg-config git python3 gzip procps time jq
  iproute2 util-linux bsdextrautils
  libopenmpi-dev openmpi-bin
  nlohmann-json3-dev libboost-program-options-dev catch2
  libsimdjson-dev libabsl-dev zlib1g-dev
  libmysqlcppconn-dev
  mariadb-server mariadb-client
  libxlsxwriter-dev libcpp-httplib-dev chromium poppler-utils unzip
  clang libclang-rt-14-dev
)

bda_log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# Installs whichever of the given Debian packages are missing (needs root, as on CI).
bda_install_packages() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing Debian packages: ${missing[*]} (run as root or install them with apt-get)" >&2
    return 1
  fi
  bda_log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

bda_install_dependencies() {
  bda_install_packages "${BDA_PACKAGES[@]}"
  # Node.js runs the DuckDB cross-check; keep a Node.js that is already there (it may not be Debian's).
  command -v node >/dev/null || bda_install_packages nodejs
  command -v npm >/dev/null || bda_install_packages npm
}

# Configures (Release) and builds everything into $BDA_BUILD_DIR; arguments go to cmake, e.g.
# -DBDA_FAULT_INJECTION=ON for the test build (the cache keeps a setting until it is given again).
bda_build() {
  bda_log "building into $BDA_BUILD_DIR"
  cmake -S "$BDA_ROOT" -B "$BDA_BUILD_DIR" -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
  cmake --build "$BDA_BUILD_DIR" -j "$(nproc)"
}

# Configures the sanitizer build (Clang, -DBDA_SANITIZE=ON, fuzzers on) into $BDA_SANITIZE_BUILD_DIR and
# builds only what it runs: the unit and MPI test executables, and the record-parser fuzzer if the
# project defines it.
bda_build_sanitized() {
  local dir=$BDA_SANITIZE_BUILD_DIR
  bda_log "building the unit and MPI tests with ASan+UBSan (clang++) into $dir"
  cmake -S "$BDA_ROOT" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
    -DBDA_SANITIZE=ON -DBDA_BUILD_FUZZERS=ON >/dev/null
  local targets=(bda_unit_and_mpi_tests)
  if cmake --build "$dir" --target help | grep -w record_parser_fuzzer >/dev/null; then
    targets+=(record_parser_fuzzer)
  fi
  cmake --build "$dir" -j "$(nproc)" --target "${targets[@]}"
}

# Installs @duckdb/node-api (pinned) into $BDA_BUILD_DIR/peers unless that version is already there
# (then no network), and exports BDA_DUCKDB_NODE_API, which tests/e2e/duckdb_crosscheck_test.sh reads.
bda_install_duckdb_peer() {
  local dir=$BDA_BUILD_DIR/peers
  local pkg=$dir/node_modules/@duckdb/node-api
  export BDA_DUCKDB_NODE_API=$BDA_DUCKDB_NODE_API_FILE
  if [ -f "$BDA_DUCKDB_NODE_API" ] &&
    [ "$(jq -r .version "$pkg/package.json" 2>/dev/null || true)" = "$BDA_DUCKDB_NODE_API_VERSION" ]; then
    return 0
  fi
  bda_log "installing @duckdb/node-api@$BDA_DUCKDB_NODE_API_VERSION into $dir"
  mkdir -p "$dir"
  [ -f "$dir/package.json" ] || echo '{"name": "bda-peers", "private": true}' >"$dir/package.json"
  (cd "$dir" && timeout 600 npm install --no-audit --no-fund --loglevel=error \
    "@duckdb/node-api@$BDA_DUCKDB_NODE_API_VERSION") && [ -f "$BDA_DUCKDB_NODE_API" ]
}

# Open MPI refuses to run as root unless told; containers and CI run as root.
bda_mpi_env() {
  if [ "$(id -u)" -eq 0 ]; then
    export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
  fi
}
