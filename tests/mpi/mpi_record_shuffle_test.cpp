// RecordShuffle under mpiexec: records go to the rank owning their key range during the "scan", in
// messages of any size, and every contract ends fully merged on exactly one rank, in rank order.
#include "bda/core/error.hpp"
#include "bda/mpi/job_status.hpp"
#include "bda/mpi/ordered_gather.hpp"
#include "bda/mpi/range_shuffle.hpp"
#include "bda/mpi/record_shuffle.hpp"

#include "support/error_message.hpp"

#include <catch2/catch.hpp>

#include <mpi.h>

#include <cstdint>
#include <string>
#include <vector>

namespace {

int rank_of_world() {
  int r = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &r);
  return r;
}
int size_of_world() {
  int s = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &s);
  return s;
}

struct TestRecord {
  std::string contract;
  bda::Category category;
  std::uint32_t day;
  std::int64_t duration;
};

// Every rank sees the same 500 contracts (and one of its own), each on a rank-specific day.
std::vector<TestRecord> records_of(int rank) {
  std::vector<TestRecord> out;
  for (int i = 0; i < 500; ++i)
    out.push_back({"C" + std::to_string(i * 7919 % 1000), bda::Category::Movie, static_cast<std::uint32_t>(rank % 40), i + 1});
  out.push_back({"only-rank-" + std::to_string(rank), bda::Category::Relax, 39, 5});
  return out;
}

std::vector<std::string> sample_of(const std::vector<TestRecord>& records) {
  std::vector<std::string> keys;
  for (std::size_t i = 0; i < records.size(); i += 7) keys.push_back(records[i].contract);
  return keys;
}

//! "key,movie,relax,date_count" per contract, in key order.
std::string lines_of(const bda::ContractTable& t) {
  std::string text;
  for (std::uint32_t row : t.sorted_rows())
    text += std::string(t.key(row)) + "," + std::to_string(t.state(row).duration[bda::index_of(bda::Category::Movie)]) +
            "," + std::to_string(t.state(row).duration[bda::index_of(bda::Category::Relax)]) + "," +
            std::to_string(t.date_count(row)) + "\n";
  return text;
}

//! Shuffles this rank's records and returns every rank's table, gathered on rank 0 in rank order.
std::string shuffle_and_gather(const bda::mpi::ShuffleConfig& config, bda::mpi::ShuffleStats* stats = nullptr,
                               std::vector<std::string>* splitters_out = nullptr) {
  const int rank = rank_of_world();
  const std::vector<TestRecord> mine = records_of(rank);
  std::vector<std::string> splitters = bda::mpi::choose_splitters(MPI_COMM_WORLD, sample_of(mine));
  if (splitters_out) *splitters_out = splitters;
  bda::ContractTable owned(40);
  bda::mpi::RecordShuffle shuffle(MPI_COMM_WORLD, bda::mpi::KeyRanges(splitters), owned, config);
  for (const TestRecord& r : mine) shuffle.add(r.contract, r.category, r.day, r.duration);
  shuffle.finish(nullptr);
  if (stats) *stats = shuffle.stats();
  std::string lines;
  bda::mpi::gather_in_rank_order(
      MPI_COMM_WORLD, [&](const bda::mpi::BlockSink& sink) { sink(lines_of(owned)); },
      [&](std::string_view block) { lines += block; });
  return lines;
}

std::string single_process_reference() {
  bda::ContractTable expected(40);
  for (int r = 0; r < size_of_world(); ++r)
    for (const TestRecord& t : records_of(r)) expected.add(t.contract, t.category, t.day, t.duration);
  return lines_of(expected);
}

constexpr std::uint64_t kWireHeader = 15; // day, duration, key size, category

} // namespace

TEST_CASE("Record shuffle: every contract is merged on exactly one rank, in rank order", "[mpi]") {
  const int rank = rank_of_world(), size = size_of_world();
  bda::mpi::ShuffleStats stats;
  std::vector<std::string> splitters;
  const std::string lines = shuffle_and_gather({}, &stats, &splitters);
  if (rank == 0) REQUIRE(lines == single_process_reference()); // also proves the ranges are disjoint and ordered

  // The stats count exactly the records that crossed ranks, in their wire form.
  std::uint64_t want_sent = 0, want_received = 0;
  for (int r = 0; r < size; ++r)
    for (const TestRecord& t : records_of(r)) {
      const auto owner = static_cast<int>(bda::mpi::KeyRanges(splitters).owner_of(t.contract));
      if (r == rank && owner != rank) want_sent += kWireHeader + t.contract.size();
      if (r != rank && owner == rank) want_received += kWireHeader + t.contract.size();
    }
  CHECK(stats.bytes_sent == want_sent);
  CHECK(stats.bytes_received == want_received);
  if (size > 1) { // the sample spreads the shared contracts over every rank
    CHECK(want_sent > 0);
    CHECK(want_received > 0);
    CHECK(splitters.size() == static_cast<std::size_t>(size - 1));
  }
}

TEST_CASE("Record shuffle: tiny buffers give the same result in many small messages", "[mpi]") {
  bda::mpi::ShuffleConfig tiny;
  tiny.buffer_bytes = 40; // two or three records a message
  bda::mpi::ShuffleStats normal_stats, tiny_stats;
  const std::string normal = shuffle_and_gather({}, &normal_stats);
  const std::string small = shuffle_and_gather(tiny, &tiny_stats);
  if (rank_of_world() == 0) CHECK(small == normal);
  CHECK(tiny_stats.bytes_received == normal_stats.bytes_received);
  CHECK(tiny_stats.bytes_sent == normal_stats.bytes_sent);
  if (size_of_world() > 1) CHECK(tiny_stats.messages > 50);
  if (size_of_world() > 1) CHECK(normal_stats.messages >= 1);
}

TEST_CASE("Record shuffle: a rank with no records still takes part", "[mpi]") {
  const int rank = rank_of_world();
  bda::ContractTable owned(1);
  std::vector<std::string> sample;
  if (rank == 0) sample.push_back("lonely");
  bda::mpi::RecordShuffle shuffle(MPI_COMM_WORLD, bda::mpi::KeyRanges(bda::mpi::choose_splitters(MPI_COMM_WORLD, sample)), owned, {});
  if (rank == 0) shuffle.add("lonely", bda::Category::TV, 0, 3);
  shuffle.finish(nullptr);
  std::uint64_t local = owned.size(), total = 0;
  MPI_Allreduce(&local, &total, 1, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
  CHECK(total == 1);
}

TEST_CASE("Record shuffle: a rank that fails mid-scan stops every rank with its message", "[mpi]") {
  const int rank = rank_of_world(), size = size_of_world();
  const int failing = size - 1;
  bda::mpi::ShuffleConfig tiny;
  tiny.buffer_bytes = 64; // the others are sending while the failing rank stops
  bda::ContractTable owned(40);
  const std::vector<TestRecord> mine = records_of(rank);
  bda::mpi::RecordShuffle shuffle(MPI_COMM_WORLD, bda::mpi::KeyRanges(bda::mpi::choose_splitters(MPI_COMM_WORLD, sample_of(mine))),
                                  owned, tiny);
  const std::string message = bda::testing::error_message_of<bda::mpi::JobFailed>([&] {
    std::exception_ptr error;
    try {
      for (std::size_t i = 0; i < mine.size(); ++i) {
        if (rank == failing && i == 100) throw bda::InputError("day file broke at line 100");
        shuffle.add(mine[i].contract, mine[i].category, mine[i].day, mine[i].duration);
      }
    } catch (const bda::mpi::ScanStopped&) {
    } catch (...) {
      error = std::current_exception();
    }
    shuffle.finish(error);
  });
  CHECK_THAT(message, Catch::Contains("day file broke at line 100"));
  if (size > 1) CHECK_THAT(message, Catch::Contains("rank " + std::to_string(failing) + " on "));
}

TEST_CASE("Record shuffle: a share over the memory limit says the job needs more ranks or --memory-mb", "[mpi]") {
  const int rank = rank_of_world();
  bda::mpi::ShuffleConfig small;
  small.buffer_bytes = 1024;
  small.memory_limit_bytes = 1 << 20; // less than a table's first index and rows
  bda::ContractTable owned(1);
  bda::mpi::RecordShuffle shuffle(MPI_COMM_WORLD, bda::mpi::KeyRanges(bda::mpi::choose_splitters(MPI_COMM_WORLD, {})), owned, small);
  const std::string message = bda::testing::error_message_of<bda::mpi::JobFailed>([&] {
    std::exception_ptr error;
    try {
      for (int i = 0; i < 20000; ++i) shuffle.add("K" + std::to_string(rank) + "-" + std::to_string(i), bda::Category::TV, 0, 1);
    } catch (const bda::mpi::ScanStopped&) {
    } catch (...) {
      error = std::current_exception();
    }
    shuffle.finish(error);
  });
  CHECK_THAT(message, Catch::Contains("needs more ranks or --memory-mb"));
}

TEST_CASE("Key ranges: the owner is the number of splitters <= the key, as unsigned bytes", "[mpi]") {
  using namespace std::string_literals;
  const std::vector<std::string> splitters = {"A\0"s, "SGH1", "SGH10000000000000002", "\x7F", "\xC3\xA9"};
  const bda::mpi::KeyRanges ranges(splitters);
  const std::vector<std::string> keys = {"",        " ",     "A",     "A\0"s,  "A\0\0"s, "B",     "SGH1",
                                         "SGH10",   "SGH10000000000000001", "SGH10000000000000002",
                                         "SGH10000000000000003", "Z", "\x7F", "\x80", "\xC3\xA9", "\xFF"};
  for (const std::string& key : keys) {
    std::size_t want = 0;
    for (const std::string& s : splitters) want += std::string_view(s) <= std::string_view(key) ? 1 : 0;
    INFO("key " << key);
    CHECK(ranges.owner_of(key) == want);
  }
}
