// Writes a synthetic data lake (one JSON-Lines file per day) and counts its exact ground truth.
#pragma once

#include "bda/gen/customer_pool.hpp"
#include "bda/gen/gen_config.hpp"
#include "bda/gen/ground_truth.hpp"

#include <filesystem>
#include <functional>

namespace bda {

//! What one day file got; reported as each file is finished.
struct DayReport {
  Date day;
  std::filesystem::path path;
  std::uint64_t lines = 0;
  std::uint64_t records = 0;
  std::uint64_t blank_lines = 0;
  std::uint64_t rejected = 0;
  std::uint64_t file_bytes = 0;
  bool replaced_other_format = false; //!< a stale file of the day in the other format was removed
};

//! The same config and seed give byte-identical files. A day's content depends only on the seed,
//! the customer pool and the per-day options, not on which other days are selected.
class LakeGenerator {
public:
  using DayCallback = std::function<void(const DayReport&)>;

  //! Validates the config (UsageError) and draws the customer pool.
  explicit LakeGenerator(GenConfig config);

  //! Creates the output directory, writes every day file, and returns the ground truth.
  GroundTruth run(const DayCallback& on_day = {});

  const GenConfig& config() const { return config_; }
  const CustomerPool& customers() const { return pool_; }

private:
  class DayWriter;

  GenConfig config_;
  CustomerPool pool_;
};

} // namespace bda
