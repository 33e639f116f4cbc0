// gather_in_rank_order under mpiexec: rank 0 receives every rank's blocks in rank order, whether
// the other ranks send one block at a time or many ahead, and a producer's failure leaves no rank
// waiting.
#include "bda/mpi/ordered_gather.hpp"

#include <catch2/catch.hpp>

#include <mpi.h>

#include <stdexcept>
#include <string>

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

//! Block `i` of `rank`: a line whose length varies, so a lost or reordered block shows.
std::string block_of(int rank, int i) {
  return "rank " + std::to_string(rank) + " block " + std::to_string(i) + " " +
         std::string(static_cast<std::size_t>(i * 37 % 101), static_cast<char>('a' + rank % 26)) + "\n";
}

constexpr int kBlocks = 200;

} // namespace

TEST_CASE("Ordered gather: rank 0 gets every block of every rank in rank order, however far ahead ranks send",
          "[mpi]") {
  const int rank = rank_of_world(), size = size_of_world();
  std::string expected;
  std::uint64_t expected_received = 0;
  for (int r = 0; r < size; ++r)
    for (int i = 0; i < kBlocks; ++i) {
      expected += block_of(r, i);
      if (r > 0) expected_received += block_of(r, i).size();
    }
  for (std::size_t ahead : {std::size_t{0}, std::size_t{100}, std::size_t{1} << 30}) {
    std::string got;
    const std::uint64_t received = bda::mpi::gather_in_rank_order(
        MPI_COMM_WORLD,
        [&](const bda::mpi::BlockSink& sink) {
          for (int i = 0; i < kBlocks; ++i) sink(block_of(rank, i)); // each block's text dies here
        },
        [&](std::string_view block) { got += block; }, ahead);
    INFO("send ahead " << ahead << " bytes");
    if (rank == 0) {
      CHECK(got == expected);
      CHECK(received == expected_received);
    }
  }
}

TEST_CASE("Ordered gather: a rank whose producer fails rethrows, and every rank returns", "[mpi]") {
  const int rank = rank_of_world(), size = size_of_world();
  const int failing = size - 1;
  std::string got;
  bool threw = false;
  try {
    bda::mpi::gather_in_rank_order(
        MPI_COMM_WORLD,
        [&](const bda::mpi::BlockSink& sink) {
          for (int i = 0; i < kBlocks; ++i) {
            if (rank == failing && i == kBlocks / 2) throw std::runtime_error("producer failed");
            sink(block_of(rank, i));
          }
        },
        [&](std::string_view block) { got += block; }, std::size_t{1} << 20);
  } catch (const std::runtime_error& e) {
    threw = true;
    CHECK(std::string(e.what()) == "producer failed");
  }
  CHECK(threw == (rank == failing));
  if (rank == 0 && failing != 0) { // the blocks sent before the failure still arrive, in order
    std::string expected;
    for (int r = 0; r < size; ++r)
      for (int i = 0; i < (r == failing ? kBlocks / 2 : kBlocks); ++i) expected += block_of(r, i);
    CHECK(got == expected);
  }
}
