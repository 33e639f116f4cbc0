// reduce_by_key_range under mpiexec: every key ends fully merged on exactly one rank, in rank order.
#include "bda/mpi/ordered_gather.hpp"
#include "bda/mpi/range_shuffle.hpp"

#include <catch2/catch.hpp>

#include <mpi.h>

#include <cstdint>
#include <set>
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

// Every rank adds the same 500 contracts (and a few of its own), each on a rank-specific day.
bda::ContractTable local_table(int rank) {
  bda::ContractTable t(40);
  for (int i = 0; i < 500; ++i)
    t.add("C" + std::to_string(i * 7919 % 1000), bda::Category::Movie, static_cast<std::uint32_t>(rank % 40), i + 1);
  t.add("only-rank-" + std::to_string(rank), bda::Category::Relax, 39, 5);
  return t;
}

//! The bytes that `t`'s rows take on the wire (ContractTable::serialize_rows), counting only the rows
//! whose key is in `keys` (in_keys) or only those whose key is not (!in_keys).
std::uint64_t wire_bytes(const bda::ContractTable& t, const std::set<std::string, std::less<>>& keys, bool in_keys) {
  std::vector<std::uint32_t> rows;
  for (std::uint32_t row = 0; row < t.size(); ++row)
    if (keys.contains(t.key(row)) == in_keys) rows.push_back(row);
  std::string bytes;
  t.serialize_rows(rows, bytes);
  return bytes.size();
}

} // namespace

TEST_CASE("Reduce-by-key range: every contract is merged on exactly one rank", "[mpi]") {
  const int rank = rank_of_world(), size = size_of_world();
  bda::mpi::ShuffleStats stats;
  bda::ContractTable mine = bda::mpi::reduce_by_key_range(MPI_COMM_WORLD, local_table(rank), &stats);

  // Gather "key,movie,relax,date_count" lines on rank 0 in rank order.
  std::string lines;
  bda::mpi::gather_in_rank_order(
      MPI_COMM_WORLD,
      [&](const bda::mpi::BlockSink& sink) {
        std::string text;
        for (std::uint32_t row : mine.sorted_rows())
          text += std::string(mine.key(row)) + "," +
                  std::to_string(mine.state(row).duration[bda::index_of(bda::Category::Movie)]) + "," +
                  std::to_string(mine.state(row).duration[bda::index_of(bda::Category::Relax)]) + "," +
                  std::to_string(mine.date_count(row)) + "\n";
        sink(text);
      },
      [&](std::string_view block) { lines += block; });

  if (rank == 0) {
    // The same table built on one process is the reference.
    bda::ContractTable expected(40);
    for (int r = 0; r < size; ++r) expected.merge(local_table(r));
    std::string want;
    for (std::uint32_t row : expected.sorted_rows())
      want += std::string(expected.key(row)) + "," +
              std::to_string(expected.state(row).duration[bda::index_of(bda::Category::Movie)]) + "," +
              std::to_string(expected.state(row).duration[bda::index_of(bda::Category::Relax)]) + "," +
              std::to_string(expected.date_count(row)) + "\n";
    REQUIRE(lines == want); // also proves the ranges are disjoint and in key order across ranks
  }

  // The stats count exactly what crossed ranks: this rank's rows of the keys that landed elsewhere
  // (sent) and the other ranks' rows of the keys that landed here (received); a rank's rows of its
  // own range stay home and count in neither. On one rank nothing moves: both are 0.
  std::set<std::string, std::less<>> landed_here;
  for (std::uint32_t row = 0; row < mine.size(); ++row) landed_here.emplace(mine.key(row));
  const std::uint64_t want_sent = wire_bytes(local_table(rank), landed_here, false);
  std::uint64_t want_received = 0;
  for (int r = 0; r < size; ++r)
    if (r != rank) want_received += wire_bytes(local_table(r), landed_here, true);
  CHECK(stats.bytes_sent == want_sent);
  CHECK(stats.bytes_received == want_received);
  // Every rank holds the 500 shared contracts, and every range gets some of them: with more than one
  // rank, every rank sends, receives, and keeps some rows (so counting its own partition would show).
  if (size > 1) {
    CHECK(want_sent > 0);
    CHECK(want_received > 0);
    CHECK(wire_bytes(local_table(rank), landed_here, true) > 0);
  }
}

TEST_CASE("Reduce-by-key range: a rank with no keys still takes part", "[mpi]") {
  const int rank = rank_of_world();
  bda::ContractTable t(1);
  if (rank == 0) t.add("lonely", bda::Category::TV, 0, 3);
  bda::ContractTable mine = bda::mpi::reduce_by_key_range(MPI_COMM_WORLD, std::move(t));
  std::uint64_t local = mine.size(), total = 0;
  MPI_Allreduce(&local, &total, 1, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
  CHECK(total == 1);
}

TEST_CASE("Reduce-by-key range: partitions cross in messages of at most max_message_bytes", "[mpi]") {
  const int rank = rank_of_world();
  // 7-byte messages split every serialized row across many rounds; the result must not change.
  bda::mpi::ShuffleConfig tiny;
  tiny.max_message_bytes = 7;
  bda::mpi::ShuffleStats normal_stats, tiny_stats;
  bda::ContractTable normal = bda::mpi::reduce_by_key_range(MPI_COMM_WORLD, local_table(rank), &normal_stats);
  bda::ContractTable rounds = bda::mpi::reduce_by_key_range(MPI_COMM_WORLD, local_table(rank), &tiny_stats, tiny);
  REQUIRE(rounds.size() == normal.size());
  const auto a = normal.sorted_rows(), b = rounds.sorted_rows();
  for (std::size_t i = 0; i < a.size(); ++i) {
    REQUIRE(rounds.key(b[i]) == normal.key(a[i]));
    CHECK(rounds.state(b[i]).duration == normal.state(a[i]).duration);
    CHECK(rounds.date_count(b[i]) == normal.date_count(a[i]));
  }
  CHECK(tiny_stats.bytes_received == normal_stats.bytes_received);
  CHECK(tiny_stats.bytes_sent == normal_stats.bytes_sent);
}
