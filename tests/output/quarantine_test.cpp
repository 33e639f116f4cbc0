// The quarantine spool: rejected lines replayed as TSV with final file line numbers, in order.
#include "bda/output/quarantine.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace bda;

namespace {

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
