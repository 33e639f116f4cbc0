// The manifest: the ground truth as JSON.
#include "bda/gen/ground_truth.hpp"

#include "bda/core/version.hpp"
#include "bda/gen/gen_config.hpp"
#include "bda/output/atomic_file.hpp"

#include <nlohmann/json.hpp>

#include <numeric>

namespace bda {

std::uint64_t GroundTruth::rejected() const { return std::accumulate(rejects.begin(), rejects.end(), std::uint64_t{0}); }

std::string manifest_json(const GenConfig& config, const GroundTruth& truth) {
  using Json = nlohmann::ordered_json; // keys in the order written, for people reading it
  Json days = Json::array();
  for (Date d : truth.days) days.push_back(d.iso());
  Json rejects = Json::object();
  for (std::size_t r = 0; r < kRejectReasonCount; ++r) rejects[std::string(kRejectReasonNames[r])] = truth.rejects[r];
  Json by_category = Json::object();
  for (Category c : kCanonicalCategories)
    by_category[std::string(name_of(c))] = truth.duration_by_category[index_of(c)];
  Json histogram = Json::object();
  for (std::size_t k = 1; k < truth.date_count_histogram.size(); ++k)
    histogram[std::to_string(k)] = truth.date_count_histogram[k];

  Json m = Json::object();
  m["generator"] = "bda-gen " + std::string(version());
  m["seed"] = config.seed;
  m["days"] = std::move(days);
  m["files"] = truth.files;
  m["lines"] = truth.lines;
  m["blank_lines"] = truth.blank_lines;
  m["records"] = truth.records;
  m["rejected"] = truth.rejected();
  m["rejects"] = std::move(rejects);
  m["contracts"] = truth.contracts;
  m["total_duration"] = truth.total_duration;
  m["duration_by_category"] = std::move(by_category);
  m["date_count_histogram"] = std::move(histogram);
  m["tricky_records"] = truth.tricky_records;
  m["crlf_lines"] = truth.crlf_lines;
  m["options"] = {{"lines_per_day", config.lines_per_day},
                  {"customers", config.customer_count()},
                  {"dirty_share", config.dirty_share},
                  {"blank_share", config.blank_share},
                  {"crlf_share", config.crlf_share},
                  {"gzip", config.gzip}};
  return m.dump(2) + "\n";
}

void write_manifest(const std::filesystem::path& path, const GenConfig& config, const GroundTruth& truth) {
  std::error_code ec; // like --out, a missing directory is created; a failure shows when writing
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  write_file_atomically(path, manifest_json(config, truth));
}

} // namespace bda
