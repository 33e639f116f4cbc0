// Outputs appear complete or not at all.
#include "bda/output/atomic_file.hpp"

#include "bda/core/error.hpp"

#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

using namespace bda;
namespace fs = std::filesystem;

namespace {

using bda::testing::TempDir;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::size_t entries(const fs::path& dir) {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
  return n;
}

} // namespace

TEST_CASE("Atomic file: the file appears only on commit", "[output]") {
  TempDir dir;
  const fs::path out = dir.path() / "out.csv";
  {
    AtomicFile f(out);
    f.write("a,b\n");
    f.write("");
    f.write("c,d\n");
    CHECK_FALSE(fs::exists(out));
    f.commit();
  }
  CHECK(read_file(out) == "a,b\nc,d\n");
  CHECK(entries(dir.path()) == 1); // no temporary left behind
}

TEST_CASE("Atomic file: without commit nothing is written and an old file is kept", "[output]") {
  TempDir dir;
  const fs::path out = dir.path() / "out.csv";
  { AtomicFile f(out); f.write("partial"); }
  CHECK_FALSE(fs::exists(out));
  CHECK(entries(dir.path()) == 0);
  write_file_atomically(out, "old\n");
  { AtomicFile f(out); f.write("new but abandoned"); }
  CHECK(read_file(out) == "old\n");
  write_file_atomically(out, "new\n");
  CHECK(read_file(out) == "new\n");
  CHECK(entries(dir.path()) == 1);
}

TEST_CASE("Atomic file: an unwritable path is an OutputError naming it", "[output]") {
  TempDir dir;
  const fs::path out = dir.path() / "no-such-dir" / "out.csv";
  try {
    AtomicFile f(out);
    FAIL("opened");
  } catch (const OutputError& e) {
    CHECK_THAT(std::string(e.what()), Catch::Contains(out.string()));
  }
}
