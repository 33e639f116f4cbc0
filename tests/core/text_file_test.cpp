// Reading a small user-named file whole: its bytes, or a UsageError naming the path and the cause.
#include "bda/core/text_file.hpp"

#include "bda/core/error.hpp"

#include "support/temp_dir.hpp"
#include "support/error_message.hpp"

#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <utility>

using namespace bda;
using bda::testing::error_message_of;
namespace fs = std::filesystem;
using bda::testing::TempDir;

TEST_CASE("Text file: a file reads back byte for byte", "[core]") {
  TempDir dir;
  const std::string bytes = std::string("{\"TV\": [\"KPLUS\"]}\r\n\0\xff", 22) + std::string(200000, 'x');
  dir.write("m.json", bytes);
  CHECK(read_text_file(dir.path() / "m.json", "mapping file") == bytes);
  dir.write("empty.json", "");
  CHECK(read_text_file(dir.path() / "empty.json", "mapping file").empty());
}

TEST_CASE("Text file: a directory is a UsageError saying it is a directory", "[core]") {
  TempDir dir;
  const std::string message = error_message_of<UsageError>([&] { read_text_file(dir.path(), "mapping file"); });
  CHECK(message == "cannot read mapping file " + dir.path().string() + ": " + dir.path().string() +
                       " is a directory");
}

TEST_CASE("Text file: a missing file is a UsageError naming the path and the errno text", "[core]") {
  TempDir dir;
  const fs::path missing = dir.path() / "no-such-dir" / "mapping.json";
  CHECK(error_message_of<UsageError>([&] { read_text_file(missing, "mapping file"); }) ==
        "cannot read mapping file " + missing.string() + ": " + std::strerror(ENOENT));
}

TEST_CASE("Text file: an unreadable file is a UsageError naming the path and the errno text", "[core]") {
  TempDir dir;
  dir.write("secret.json", "{}");
  const fs::path path = dir.path() / "secret.json";
  REQUIRE(::chmod(path.c_str(), 0) == 0);
  if (::geteuid() == 0) {
    // root reads any file; a path through a regular file gives an errno of its own instead.
    const fs::path through = path / "x";
    CHECK(error_message_of<UsageError>([&] { read_text_file(through, "config"); }) ==
          "cannot read config " + through.string() + ": " + std::strerror(ENOTDIR));
  } else {
    CHECK(error_message_of<UsageError>([&] { read_text_file(path, "config"); }) ==
          "cannot read config " + path.string() + ": " + std::strerror(EACCES));
  }
}
