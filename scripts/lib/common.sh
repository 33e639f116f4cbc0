# Shared by scripts/*.sh: repository paths, dependency installation, building.
# Source it; it defines functions and variables only.

BDA_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BDA_BUILD_DIR="${BDA_BUILD_DIR:-$BDA_ROOT/build}"

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

# Configures (Release) and builds everything into $BDA_BUILD_DIR.
bda_build() {
  bda_log "building into $BDA_BUILD_DIR"
  cmake -S "$BDA_ROOT" -B "$BDA_BUILD_DIR" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$BDA_BUILD_DIR" -j "$(nproc)"
}

# Open MPI refuses to run as root unless told; containers and CI run as root.
bda_mpi_env() {
  if [ "$(id -u)" -eq 0 ]; then
    export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
  fi
}
