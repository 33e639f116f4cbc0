// The quarantine spool: rejected lines replayed as TSV with final file line numbers, in order.
#include "bda/output/quarantine.hpp"

#include "bda/core/error.hpp"

#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

using namespace bda;

namespace {

namespace fs = std::filesystem;

//! Sets (or, with nullopt, unsets) TMPDIR for one scope and restores it afterwards.
class TmpdirOverride {
public:
  explicit TmpdirOverride(const std::optional<std::string>& value) {
    if (const char* old = std::getenv("TMPDIR")) old_ = old;
    if (value)
      ::setenv("TMPDIR", value->c_str(), 1);
    else
      ::unsetenv("TMPDIR");
  }
  ~TmpdirOverride() {
    if (old_)
      ::setenv("TMPDIR", old_->c_str(), 1);
    else
      ::unsetenv("TMPDIR");
  }
  TmpdirOverride(const TmpdirOverride&) = delete;
  TmpdirOverride& operator=(const TmpdirOverride&) = delete;

private:
  std::optional<std::string> old_;
};

//! Targets of this process's open descriptors that lie in `dir` (a deleted file shows " (deleted)").
std::vector<std::string> open_files_in(const fs::path& dir) {
  std::vector<std::string> found;
  const std::string prefix = fs::canonical(dir).string() + "/";
  for (const auto& fd : fs::directory_iterator("/proc/self/fd")) {
    std::error_code ec;
    const std::string target = fs::read_symlink(fd.path(), ec).string();
    if (!ec && target.rfind(prefix, 0) == 0) found.push_back(target);
  }
  return found;
}

std::string replay_all(QuarantineSpool& spool, const std::vector<std::string>& files,
                       const std::vector<std::uint64_t>& first_lines, std::size_t block_bytes,
                       std::size_t* blocks = nullptr) {
  std::string out;
  std::size_t n = 0;
  spool.replay([&](std::uint32_t r) { return files.at(r); }, [&](std::uint32_t r) { return first_lines.at(r); },
               block_bytes, [&](std::string_view block) {
                 ++n;
                 out += block;
               });
  if (blocks) *blocks = n;
  return out;
}

} // namespace

TEST_CASE("Quarantine: the header names the TSV columns", "[output]") {
  CHECK(kQuarantineHeader == "file\tline\treason\ttext\n");
}

TEST_CASE("Quarantine: replay writes file, line number, reason and text, in the order added", "[output]") {
  QuarantineSpool spool;
  CHECK(spool.count() == 0);
  spool.add(0, 1, RejectReason::MalformedJson, "{bad");
  spool.add(0, 7, RejectReason::NotObject, "[1]");
  spool.add(1, 2, RejectReason::BadDuration, R"({"_source":{"TotalDuration":-1}})");
  spool.add(1, 3, RejectReason::LineTooLong, "");
  CHECK(spool.count() == 4);
  // Range 0 starts at line 1 of day1.json, range 1 at line 101 of day2.json.gz.
  const std::string tsv = replay_all(spool, {"day1.json", "day2.json.gz"}, {1, 101}, 1 << 20);
  CHECK(tsv == "day1.json\t1\tmalformed_json\t{bad\n"
               "day1.json\t7\tnot_object\t[1]\n"
               "day2.json.gz\t102\tbad_duration\t{\"_source\":{\"TotalDuration\":-1}}\n"
               "day2.json.gz\t103\tline_too_long\t\n");
}

TEST_CASE("Quarantine: a range that starts mid-file offsets its line numbers", "[output]") {
  QuarantineSpool spool;
  spool.add(0, 1, RejectReason::UnknownApp, "a");
  spool.add(0, 5, RejectReason::MissingField, "b");
  CHECK(replay_all(spool, {"f"}, {1000}, 1 << 20) == "f\t1000\tunknown_app\ta\nf\t1004\tmissing_field\tb\n");
}

TEST_CASE("Quarantine: small blocks split the same text", "[output]") {
  QuarantineSpool spool;
  std::string big(5000, 'x');
  for (std::uint64_t i = 1; i <= 50; ++i) spool.add(0, i, RejectReason::BadContract, i % 10 == 0 ? big : "t");
  std::size_t one_block = 0, many_blocks = 0;
  const std::string whole = replay_all(spool, {"f"}, {1}, 1 << 20, &one_block);
  const std::string split = replay_all(spool, {"f"}, {1}, 64, &many_blocks);
  CHECK(one_block == 1);
  CHECK(many_blocks > 5);
  CHECK(split == whole);
  CHECK(whole.find("f\t50\tbad_contract\t" + big + "\n") != std::string::npos);
  // Replaying twice gives the same text.
  CHECK(replay_all(spool, {"f"}, {1}, 1 << 20) == whole);
}

TEST_CASE("Quarantine: raw line bytes are kept as they were", "[output]") {
  QuarantineSpool spool;
  const std::string text = std::string("nul\0byte \xff\xfe", 11);
  spool.add(0, 1, RejectReason::MalformedJson, text);
  CHECK(replay_all(spool, {"f"}, {1}, 1 << 20) == "f\t1\tmalformed_json\t" + text + "\n");
}

TEST_CASE("Quarantine: an empty spool replays nothing", "[output]") {
  QuarantineSpool spool;
  std::size_t blocks = 7;
  CHECK(replay_all(spool, {}, {}, 64, &blocks).empty());
  CHECK(blocks == 0);
}

TEST_CASE("Reject reason: names are stable and round-trip", "[parse]") {
  CHECK(std::vector<std::string_view>(kRejectReasonNames.begin(), kRejectReasonNames.end()) ==
        std::vector<std::string_view>{"malformed_json", "not_object", "missing_field", "bad_contract", "unknown_app",
                                      "bad_duration", "line_too_long"});
  for (std::size_t i = 0; i < kRejectReasonCount; ++i) {
    const auto reason = static_cast<RejectReason>(i);
    CHECK(reject_reason_from_name(name_of(reason)) == reason);
  }
  CHECK_FALSE(reject_reason_from_name("Malformed_JSON").has_value());
  CHECK_FALSE(reject_reason_from_name("").has_value());
}

TEST_CASE("Quarantine: the spool lives in $TMPDIR, unlinked from the start", "[output]") {
  bda::testing::TempDir scratch;
  TmpdirOverride tmpdir(scratch.path().string());
  CHECK(QuarantineSpool::default_directory() == scratch.path());
  {
    QuarantineSpool spool;
    spool.add(0, 1, RejectReason::MalformedJson, std::string(100000, 'x'));
    const std::vector<std::string> open = open_files_in(scratch.path());
    REQUIRE(open.size() == 1);
    CHECK_THAT(open[0], Catch::Contains("bda-quarantine-"));
    CHECK_THAT(open[0], Catch::EndsWith(" (deleted)"));
    CHECK(fs::is_empty(scratch.path())); // nothing to leave behind, even on a crash
    CHECK(replay_all(spool, {"f"}, {1}, 1 << 20) == "f\t1\tmalformed_json\t" + std::string(100000, 'x') + "\n");
  }
  CHECK(open_files_in(scratch.path()).empty());
}

TEST_CASE("Quarantine: without TMPDIR (or with it empty) the spool goes to /tmp", "[output]") {
  {
    TmpdirOverride tmpdir(std::nullopt);
    CHECK(QuarantineSpool::default_directory() == "/tmp");
  }
  TmpdirOverride tmpdir(std::string{});
  CHECK(QuarantineSpool::default_directory() == "/tmp");
  QuarantineSpool spool;
  spool.add(0, 3, RejectReason::NotObject, "[]");
  CHECK(replay_all(spool, {"f"}, {1}, 64) == "f\t3\tnot_object\t[]\n");
}

TEST_CASE("Quarantine: a spool directory that does not exist is an OutputError naming it", "[output]") {
  bda::testing::TempDir scratch;
  const std::string missing = (scratch.path() / "no-such-dir").string();
  TmpdirOverride tmpdir(missing);
  try {
    QuarantineSpool spool;
    FAIL("no error");
  } catch (const OutputError& e) {
    CHECK_THAT(std::string(e.what()), Catch::Contains(missing));
    CHECK_THAT(std::string(e.what()), Catch::Contains("No such file or directory"));
  }
  // An explicit directory is used as given.
  QuarantineSpool explicit_dir(scratch.path());
  CHECK(open_files_in(scratch.path()).size() == 1);
  CHECK_THROWS_AS(QuarantineSpool(scratch.path() / "also-missing"), OutputError);
}
