// Reading FileRanges as blocks of whole lines: every line exactly once across ranks, plain or gzip;
// lines longer than max_line_bytes as one head, blank or too long.
#include "bda/lake/line_chunk_reader.hpp"

#include "bda/core/error.hpp"

#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using namespace bda;
namespace fs = std::filesystem;

namespace {

using bda::testing::TempDir;

void write_file(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  REQUIRE(out.good());
}

void write_gzip(const fs::path& path, const std::string& bytes) {
  gzFile gz = gzopen(path.c_str(), "wb");
  REQUIRE(gz != nullptr);
  if (!bytes.empty()) REQUIRE(gzwrite(gz, bytes.data(), static_cast<unsigned>(bytes.size())) > 0);
  REQUIRE(gzclose(gz) == Z_OK);
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

//! A lake of files named after consecutive days from 2022-04-01; *.gz ones when `gzip`.
struct TestLake {
  TempDir dir;
  LakeFiles lake;

  void add(const std::string& content, bool gzip = false) {
    const Date day = Date::parse_iso("2022-04-01");
    DayFile f;
    f.date = Date::from_days(day.days_since_epoch() + static_cast<std::int32_t>(lake.files.size()));
    f.day_index = static_cast<std::uint32_t>(lake.files.size());
    f.gzip = gzip;
    f.path = (dir.path() / (f.date.compact() + (gzip ? ".json.gz" : ".json"))).string();
    if (gzip)
      write_gzip(f.path, content);
    else
      write_file(f.path, content);
    f.size = fs::file_size(f.path);
    lake.files.push_back(f);
  }
};

//! Everything `ranks` ranks read from `lake`, per file: the concatenated chunks of all ranges of
//! that file in rank order. Also checks every chunk is whole lines (or the file's unterminated end).
std::vector<std::string> read_all(const LakeFiles& lake, int ranks, const ReaderConfig& config) {
  std::vector<std::string> per_file(lake.files.size());
  for (const auto& ranges : plan_shards(lake, ranks)) {
    for (const FileRange& range : ranges) {
      LineChunkReader reader(lake.files[range.file], range, config);
      LineChunk chunk;
      std::string& out = per_file[range.file];
      bool saw_unterminated = false;
      while (reader.next(chunk)) {
        CHECK_FALSE(chunk.oversized);
        CHECK_FALSE(chunk.lines.empty());
        CHECK_FALSE(saw_unterminated); // only the very last chunk may lack its '\n'
        if (!chunk.lines.empty() && chunk.lines.back() != '\n') saw_unterminated = true;
        out += chunk.lines;
      }
    }
  }
  return per_file;
}

//! Lines of assorted lengths (0 to 40 bytes) with a few blank ones, '\n'-terminated.
std::string sample_lines(int count, const std::string& eol = "\n") {
  std::string s;
  for (int i = 0; i < count; ++i) {
    if (i % 7 == 3) {
      s += eol; // an empty line
      continue;
    }
    s += "{\"line\":" + std::to_string(i) + ",\"pad\":\"" + std::string(static_cast<std::size_t>(i * 5 % 23), 'x') +
         "\"}" + eol;
  }
  return s;
}

const std::vector<ReaderConfig>& configs() {
  static const std::vector<ReaderConfig> all = {
      ReaderConfig{3, 4096}, ReaderConfig{64, 4096}, ReaderConfig{1000, 100000}, ReaderConfig{}};
  return all;
}

} // namespace

TEST_CASE("Line chunk reader: split into 1 to 7 ranges, every line is read exactly once", "[lake]") {
  const std::vector<std::string> contents = {
      sample_lines(40),
      sample_lines(40).substr(0, sample_lines(40).size() - 1), // no trailing newline
      sample_lines(40, "\r\n"),
      "\n\n\n\n\n\n\n\n\n\n",
      "\nfirst line after an empty one\n",
      "x",
      "ab\ncd",
      std::string(500, 'L') + "\n",                   // one line longer than any range
      "short\n" + std::string(500, 'L') + "\nshort\n", // a long line in the middle
      std::string(500, 'L'),                           // ...without a newline
  };
  for (std::size_t i = 0; i < contents.size(); ++i) {
    TestLake t;
    t.add(contents[i]);
    for (const ReaderConfig& config : configs()) {
      for (int ranks = 1; ranks <= 7; ++ranks) {
        INFO("content #" << i << ", ranks " << ranks << ", chunk_bytes " << config.chunk_bytes);
        CHECK(read_all(t.lake, ranks, config)[0] == contents[i]);
      }
    }
  }
}

TEST_CASE("Line chunk reader: several files, an empty one among them, each read once", "[lake]") {
  TestLake t;
  t.add(sample_lines(30));
  t.add("");
  t.add(sample_lines(11, "\r\n"));
  t.add("tail without newline");
  for (const ReaderConfig& config : configs()) {
    for (int ranks = 1; ranks <= 7; ++ranks) {
      INFO("ranks " << ranks << ", chunk_bytes " << config.chunk_bytes);
      const auto got = read_all(t.lake, ranks, config);
      CHECK(got[0] == sample_lines(30));
      CHECK(got[1].empty());
      CHECK(got[2] == sample_lines(11, "\r\n"));
      CHECK(got[3] == "tail without newline");
    }
  }
}

TEST_CASE("Line chunk reader: a .gz file is read whole and gives the lines of its plain twin", "[lake]") {
  const std::string content = sample_lines(200) + "last line, no newline";
  TestLake t;
  t.add(content, false);
  t.add(content, true);
  t.add(sample_lines(3), true);
  CHECK(t.lake.files[1].size < content.size());
  for (const ReaderConfig& config : configs()) {
    for (int ranks = 1; ranks <= 7; ++ranks) {
      INFO("ranks " << ranks << ", chunk_bytes " << config.chunk_bytes);
      for (const auto& ranges : plan_shards(t.lake, ranks))
        for (const FileRange& r : ranges)
          if (r.file != 0) CHECK(r.whole_gzip);
      const auto got = read_all(t.lake, ranks, config);
      CHECK(got[0] == content);
      CHECK(got[1] == content);
      CHECK(got[2] == sample_lines(3));
    }
  }
}

TEST_CASE("Line chunk reader: an empty .gz member and concatenated .gz members read fine", "[lake]") {
  TestLake t;
  t.add("", true);
  t.add("first member\n", true);
  // Append a second gzip member to the second file: `cat a.gz b.gz` is a valid .gz.
  {
    TempDir scratch;
    write_gzip(scratch.path() / "b.gz", "second member\n");
    std::ofstream(t.lake.files[1].path, std::ios::binary | std::ios::app) << read_file(scratch.path() / "b.gz");
  }
  t.lake.files[1].size = fs::file_size(t.lake.files[1].path);
  const auto got = read_all(t.lake, 1, ReaderConfig{});
  CHECK(got[0].empty());
  CHECK(got[1] == "first member\nsecond member\n");
}

TEST_CASE("Line chunk reader: a truncated .gz file is an InputError naming the file", "[lake]") {
  TestLake t;
  t.add(sample_lines(500), true);
  const std::string whole = read_file(t.lake.files[0].path);
  for (std::size_t keep : {whole.size() - 1, whole.size() - 8, whole.size() / 2, std::size_t{12}, std::size_t{0}}) {
    INFO("kept " << keep << " of " << whole.size() << " bytes");
    write_file(t.lake.files[0].path, whole.substr(0, keep));
    t.lake.files[0].size = keep;
    try {
      read_all(t.lake, 1, ReaderConfig{});
      FAIL("no error");
    } catch (const InputError& e) {
      CHECK_THAT(std::string(e.what()), Catch::Contains(t.lake.files[0].path));
    }
  }
}

TEST_CASE("Line chunk reader: a corrupt .gz file is an InputError naming the file", "[lake]") {
  TestLake t;
  t.add(sample_lines(500), true);
  const std::string whole = read_file(t.lake.files[0].path);
  std::string corrupt = whole;
  for (std::size_t i = corrupt.size() / 3; i < corrupt.size() / 3 + 16; ++i) corrupt[i] = static_cast<char>(~corrupt[i]);
  std::string bad_crc = whole;
  bad_crc[bad_crc.size() - 6] = static_cast<char>(bad_crc[bad_crc.size() - 6] ^ 0x55); // CRC32 of the trailer
  for (const std::string& bytes : {corrupt, bad_crc, std::string("this is not gzip at all\n")}) {
    write_file(t.lake.files[0].path, bytes);
    t.lake.files[0].size = bytes.size();
    try {
      read_all(t.lake, 1, ReaderConfig{});
      FAIL("no error");
    } catch (const InputError& e) {
      CHECK_THAT(std::string(e.what()), Catch::Contains(t.lake.files[0].path));
    }
  }
}

TEST_CASE("Line chunk reader: a missing file is an InputError naming it", "[lake]") {
  TestLake t;
  t.add("a\n");
  fs::remove(t.lake.files[0].path);
  try {
    read_all(t.lake, 1, ReaderConfig{});
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK_THAT(std::string(e.what()), Catch::Contains(t.lake.files[0].path));
  }
}

TEST_CASE("Line chunk reader: a line longer than max_line_bytes comes as one oversized head", "[lake]") {
  const std::string content = "short1\n" + std::string(1000, 'x') + "\nshort2\n" + std::string(300, 'y') + "\nend";
  for (bool gzip : {false, true}) {
    TestLake t;
    t.add(content, gzip);
    const ReaderConfig config{64, 256};
    const FileRange whole{0, 0, t.lake.files[0].size, gzip};
    LineChunkReader reader(t.lake.files[0], whole, config);
    LineChunk chunk;
    std::string normal;
    std::vector<std::string> oversized;
    while (reader.next(chunk)) {
      if (chunk.oversized)
        oversized.emplace_back(chunk.lines);
      else
        normal += chunk.lines;
    }
    INFO("gzip " << gzip);
    CHECK(normal == "short1\nshort2\nend");
    REQUIRE(oversized.size() == 2);
    CHECK(oversized[0] == std::string(256, 'x'));
    CHECK(oversized[1] == std::string(256, 'y'));
  }
}

// ReaderConfig says lines *longer* than max_line_bytes are rejected; one of exactly that length is not longer.
TEST_CASE("Line chunk reader: a line of exactly max_line_bytes is not oversized", "[lake]") {
  const std::string content = "a\n" + std::string(256, 'x') + "\nb\n";
  TestLake t;
  t.add(content);
  LineChunkReader reader(t.lake.files[0], FileRange{0, 0, t.lake.files[0].size, false}, ReaderConfig{64, 256});
  LineChunk chunk;
  std::string normal;
  int oversized = 0;
  while (reader.next(chunk)) {
    if (chunk.oversized)
      ++oversized;
    else
      normal += chunk.lines;
  }
  CHECK(oversized == 0);
  CHECK(normal == content);
}

TEST_CASE("Line chunk reader: bytes_consumed reaches the range size", "[lake]") {
  TestLake t;
  t.add(sample_lines(100));
  const auto plan = plan_shards(t.lake, 3);
  std::uint64_t total = 0;
  for (const auto& ranges : plan)
    for (const FileRange& r : ranges) {
      LineChunkReader reader(t.lake.files[r.file], r, ReaderConfig{64, 4096});
      LineChunk chunk;
      while (reader.next(chunk)) {
      }
      CHECK(reader.bytes_consumed() == r.end - r.begin);
      total += reader.bytes_consumed();
    }
  CHECK(total == t.lake.files[0].size);
}

TEST_CASE("Line chunk reader: for every split point, the two ranges read each line once", "[lake]") {
  const std::vector<std::string> contents = {"ab\r\ncd\r\n\r\ne\r\n", "a\n\nbc\nd", "\n\nxyz\n\n", "one line only"};
  for (const std::string& content : contents) {
    TestLake t;
    t.add(content);
    const std::uint64_t size = t.lake.files[0].size;
    for (const ReaderConfig& config : {ReaderConfig{1, 64}, ReaderConfig{4, 64}, ReaderConfig{}}) {
      for (std::uint64_t k1 = 0; k1 <= size; ++k1) {
        for (std::uint64_t k2 = k1; k2 <= size; ++k2) {
          std::string got;
          for (const FileRange& r : {FileRange{0, 0, k1, false}, FileRange{0, k1, k2, false}, FileRange{0, k2, size, false}}) {
            LineChunkReader reader(t.lake.files[0], r, config);
            LineChunk chunk;
            while (reader.next(chunk)) got += chunk.lines;
          }
          INFO("content '" << content << "', ranges split at " << k1 << " and " << k2 << ", chunk_bytes "
                           << config.chunk_bytes);
          REQUIRE(got == content);
        }
      }
    }
  }
}

namespace {

//! What a reader hands out for one range, in order: runs of whole lines as "L:<bytes>", and each
//! oversized line as "B:<head size>" when blank or "X:<head>" when too long.
std::vector<std::string> events_of(const DayFile& file, const FileRange& range, const ReaderConfig& config) {
  std::vector<std::string> events;
  LineChunkReader reader(file, range, config);
  LineChunk chunk;
  std::string lines;
  while (reader.next(chunk)) {
    if (!chunk.oversized) {
      CHECK_FALSE(chunk.blank);
      lines += chunk.lines;
      continue;
    }
    if (!lines.empty()) events.push_back("L:" + std::move(lines));
    lines.clear();
    CHECK(chunk.lines.size() == config.max_line_bytes);
    events.push_back(chunk.blank ? "B:" + std::to_string(chunk.lines.size()) : "X:" + std::string(chunk.lines));
  }
  if (!lines.empty()) events.push_back("L:" + lines);
  return events;
}

//! `n` bytes of spaces, tabs and CRs.
std::string blanks(std::size_t n) {
  std::string s(n, ' ');
  for (std::size_t i = 0; i < n; i += 7) s[i] = i % 2 ? '\t' : '\r';
  return s;
}

} // namespace

TEST_CASE("Line chunk reader: a blank line longer than max_line_bytes is one blank oversized chunk", "[lake]") {
  const std::string late = blanks(300) + "x"; // blank for more than max_line_bytes, then not
  const std::string content = "a\n" + blanks(1000) + "\nb\n" + late + "\n" + std::string(257, ' ') + "\n\n" +
                              blanks(256) + "\nc\n" + blanks(700);
  const std::vector<std::string> expected = {"L:a\n",
                                             "B:256",
                                             "L:b\n",
                                             "X:" + late.substr(0, 256),
                                             "B:256",
                                             "L:\n" + blanks(256) + "\nc\n",
                                             "B:256"};
  for (bool gzip : {false, true})
    for (const ReaderConfig& config : {ReaderConfig{64, 256}, ReaderConfig{3, 256}, ReaderConfig{4096, 256}}) {
      INFO("gzip " << gzip << ", chunk_bytes " << config.chunk_bytes);
      TestLake t;
      t.add(content, gzip);
      CHECK(events_of(t.lake.files[0], FileRange{0, 0, t.lake.files[0].size, gzip}, config) == expected);
    }
}

TEST_CASE("Line chunk reader: for every split point, a long blank line is read once, by the range it starts in",
          "[lake]") {
  const std::string content = "a\n" + blanks(150) + "\n" + blanks(90) + "y\nb\n" + blanks(100);
  TestLake t;
  t.add(content);
  const DayFile& file = t.lake.files[0];
  const ReaderConfig config{16, 64};
  const std::vector<std::string> whole = events_of(file, FileRange{0, 0, file.size, false}, config);
  REQUIRE(whole == std::vector<std::string>{"L:a\n", "B:64", "X:" + blanks(64), "L:b\n", "B:64"});
  for (std::uint64_t k = 0; k <= file.size; ++k) {
    std::vector<std::string> got = events_of(file, FileRange{0, 0, k, false}, config);
    for (std::string& e : events_of(file, FileRange{0, k, file.size, false}, config)) {
      if (!got.empty() && got.back()[0] == 'L' && e[0] == 'L')
        got.back() += e.substr(2);
      else
        got.push_back(std::move(e));
    }
    INFO("split at " << k);
    REQUIRE(got == whole);
  }
}

TEST_CASE("Line chunk reader: a blank line of 64 MiB is skipped without buffering it", "[lake]") {
  constexpr std::size_t kLineBytes = std::size_t{64} << 20;
  TestLake t;
  t.add("", true);
  {
    gzFile gz = gzopen(t.lake.files[0].path.c_str(), "wb1");
    REQUIRE(gz != nullptr);
    const std::string a = "a\n", b = "\nb\n", block(1 << 16, ' ');
    REQUIRE(gzwrite(gz, a.data(), static_cast<unsigned>(a.size())) > 0);
    for (std::size_t done = 0; done < kLineBytes; done += block.size())
      REQUIRE(gzwrite(gz, block.data(), static_cast<unsigned>(block.size())) > 0);
    REQUIRE(gzwrite(gz, b.data(), static_cast<unsigned>(b.size())) > 0);
    REQUIRE(gzclose(gz) == Z_OK);
  }
  struct rusage before {};
  REQUIRE(::getrusage(RUSAGE_SELF, &before) == 0);
  const ReaderConfig config{4096, 4096};
  CHECK(events_of(t.lake.files[0], FileRange{0, 0, 0, true}, config) ==
        std::vector<std::string>{"L:a\n", "B:4096", "L:b\n"});
  struct rusage after {};
  REQUIRE(::getrusage(RUSAGE_SELF, &after) == 0);
  CHECK(after.ru_maxrss - before.ru_maxrss < 16 * 1024); // KiB: far less than the line
}

// Plain files are read through a mapping: a block near the file's end must still be followed by
// kChunkPadding readable bytes, also when the file ends exactly on a page boundary.
TEST_CASE("Line chunk reader: every block of a plain file is followed by readable padding, at any file size",
          "[lake]") {
  const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  for (std::size_t size : {page - 1, page, page + 1, 2 * page - 10, 2 * page, 3 * page}) {
    for (bool terminated : {true, false}) {
      std::string content;
      for (int i = 0; content.size() < size; ++i) content += "{\"n\":" + std::to_string(i) + "}\n";
      content.resize(size);
      content.back() = terminated ? '\n' : 'x';
      TestLake t;
      t.add(content);
      for (const ReaderConfig& config : {ReaderConfig{64, 4096}, ReaderConfig{}}) {
        LineChunkReader reader(t.lake.files[0], FileRange{0, 0, size, false}, config);
        LineChunk chunk;
        std::string got;
        std::uint64_t padding_sum = 0;
        while (reader.next(chunk)) {
          got += chunk.lines;
          for (std::size_t i = 0; i < kChunkPadding; ++i) // reads that would fault if not readable
            padding_sum += static_cast<unsigned char>(chunk.lines.data()[chunk.lines.size() + i]);
        }
        INFO("size " << size << ", terminated " << terminated << ", chunk_bytes " << config.chunk_bytes);
        CHECK(got == content);
        CHECK(padding_sum < 256 * kChunkPadding * 4096);
      }
    }
  }
}

//! This process's resident bytes now (not the high-water mark).
std::uint64_t resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  std::uint64_t size = 0, resident = 0;
  statm >> size >> resident;
  REQUIRE(statm);
  return resident * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
}

TEST_CASE("Line chunk reader: reading a large plain file does not keep its pages resident", "[lake]") {
  constexpr std::size_t kFileBytes = std::size_t{96} << 20;
  TestLake t;
  t.add("");
  {
    std::string block;
    for (int i = 0; i < 10000; ++i) block += std::string(99, 'x') + "\n"; // 100 bytes a line
    std::ofstream out(t.lake.files[0].path, std::ios::binary);
    for (std::size_t written = 0; written < kFileBytes; written += block.size()) out << block;
    REQUIRE(out.good());
  }
  t.lake.files[0].size = fs::file_size(t.lake.files[0].path);
  const std::uint64_t before = resident_bytes();
  LineChunkReader reader(t.lake.files[0], FileRange{0, 0, t.lake.files[0].size, false}, ReaderConfig{});
  LineChunk chunk;
  std::uint64_t bytes = 0, newlines = 0, peak = before;
  while (reader.next(chunk)) {
    bytes += chunk.lines.size();
    newlines += static_cast<std::uint64_t>(std::count(chunk.lines.begin(), chunk.lines.end(), '\n'));
    peak = std::max(peak, resident_bytes());
  }
  CHECK(bytes == t.lake.files[0].size);
  CHECK(newlines == t.lake.files[0].size / 100);
  CHECK(peak - before < (std::uint64_t{40} << 20)); // the pages behind are dropped: far below 96 MiB
}
