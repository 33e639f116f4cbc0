// The day loop: plan each day, format its lines, write the file, count the truth.
#include "bda/gen/lake_generator.hpp"

#include "bda/core/error.hpp"
#include "bda/gen/contract_tally.hpp"
#include "bda/gen/day_file_writer.hpp"
#include "bda/gen/dirty_lines.hpp"
#include "bda/gen/valid_lines.hpp"
#include "bda/gen/value_model.hpp"
#include "bda/lake/day_selection.hpp"
#include "bda/model/category_mapping.hpp"

#include <cmath>

namespace bda {
namespace {

// Slot markers in a day's line plan; customer indices stay below kMaxCustomers.
constexpr std::uint32_t kBlankSlot = UINT32_MAX;
constexpr std::uint32_t kDirtySlot = UINT32_MAX - 1;
constexpr std::uint32_t kPerMille = 1000;
constexpr std::size_t kMaxLineBytes = std::size_t{64} << 10; // far above any generated line

std::uint64_t share_of(std::uint64_t n, double share) {
  return static_cast<std::uint64_t>(std::llround(static_cast<double>(n) * share));
}

std::array<Category, kAppMix.size()> app_categories() {
  const CategoryMapping mapping = CategoryMapping::defaults();
  std::array<Category, kAppMix.size()> categories{};
  for (std::size_t i = 0; i < kAppMix.size(); ++i) categories[i] = *mapping.lookup(kAppMix[i].name);
  return categories;
}

// Validated, with the days sorted and each once (one file per day).
GenConfig normalised(GenConfig config) {
  config.validate();
  config.days = DaySelection(std::move(config.days)).days();
  return config;
}

} // namespace

// Generates one day: plans which line is blank, dirty or whose, then formats the lines into a big
// buffer that goes to the file in blocks, counting the truth as it goes.
class LakeGenerator::DayWriter {
public:
  DayWriter(const GenConfig& config, const CustomerPool& pool, GroundTruth& truth, ContractTally& tally)
      : config_(config), pool_(pool), truth_(truth), tally_(tally), categories_(app_categories()) {
    buffer_.reserve(GenConfig::kWriteBlockBytes + kMaxLineBytes);
  }

  DayReport write(Date day, const std::filesystem::path& path) {
    Rng rng = Rng::derived(config_.seed, static_cast<std::uint64_t>(day.days_since_epoch()));
    DayReport report{day, path};
    const std::vector<std::uint32_t> plan = plan_day(rng, report);
    DayFileWriter file(path, config_.gzip, config_.gzip_level);
    for (std::uint32_t slot : plan) {
      if (slot == kBlankSlot) {
        buffer_ += draw_blank_line(rng);
        buffer_ += '\n';
      } else if (slot == kDirtySlot) {
        const HitFields f = draw_fields(pool_[rng.below(pool_.size())], rng);
        ++truth_.rejects[static_cast<std::size_t>(append_dirty_line(f, rng, buffer_).reason)];
        buffer_ += '\n';
      } else {
        write_valid(slot, rng);
      }
      if (buffer_.size() >= GenConfig::kWriteBlockBytes) {
        file.write(buffer_);
        buffer_.clear();
      }
    }
    file.write(buffer_);
    buffer_.clear();
    file.commit();
    report.file_bytes = file.file_bytes();
    return report;
  }

private:
  // Exact counts per day (not per-line coin flips), shuffled so each kind is spread over the file.
  std::vector<std::uint32_t> plan_day(Rng& rng, DayReport& report) {
    const std::uint64_t lines = config_.lines_per_day;
    const std::uint64_t blank = share_of(lines, config_.blank_share);
    const std::uint64_t dirty = share_of(lines - blank, config_.dirty_share);
    const std::uint64_t valid = lines - blank - dirty;
    std::vector<std::uint32_t> plan = pool_.day_viewers(valid, rng);
    plan.reserve(lines);
    plan.insert(plan.end(), dirty, kDirtySlot);
    plan.insert(plan.end(), blank, kBlankSlot);
    shuffle_in_place(plan, rng);

    report.lines = lines;
    report.blank_lines = blank;
    report.rejected = dirty;
    report.records = valid;
    truth_.lines += lines;
    truth_.blank_lines += blank;
    truth_.records += valid;
    return plan;
  }

  HitFields draw_fields(const Customer& c, Rng& rng) const {
    HitFields f;
    f.contract = c.contract_view();
    f.mac = c.mac_view();
    f.app = rng.below(kPerMille) < kFavouriteAppPerMille ? c.favourite_app : draw_app(rng);
    f.duration = draw_duration(rng);
    draw_hit_id(rng, f.id);
    return f;
  }

  void write_valid(std::uint32_t customer, Rng& rng) {
    const HitFields f = draw_fields(pool_[customer], rng);
    CountedAs counted{{}, f.duration};
    // One draw picks the form: tricky, reordered, extra keys, or (mostly) the common one.
    const double form = rng.unit();
    const double tricky_end = config_.tricky_share;
    const double reorder_end = tricky_end + config_.reorder_share;
    const double extra_end = reorder_end + config_.extra_key_share;
    if (form < tricky_end) {
      append_tricky_hit(f, rng, buffer_, counted);
      ++truth_.tricky_records;
    } else if (form < extra_end) {
      const bool reorder = form < reorder_end;
      append_reshaped_hit(f, reorder, !reorder || rng.below(2) == 0, rng, buffer_);
    } else {
      append_plain_hit(buffer_, f);
    }
    if (rng.chance(config_.crlf_share)) {
      buffer_ += "\r\n";
      ++truth_.crlf_lines;
    } else {
      buffer_ += '\n';
    }

    if (counted.contract.empty())
      tally_.count_customer(customer);
    else
      tally_.count_other(counted.contract);
    truth_.total_duration += counted.duration;
    truth_.duration_by_category[index_of(categories_[f.app])] += counted.duration;
  }

  const GenConfig& config_;
  const CustomerPool& pool_;
  GroundTruth& truth_;
  ContractTally& tally_;
  const std::array<Category, kAppMix.size()> categories_;
  std::string buffer_;
};

LakeGenerator::LakeGenerator(GenConfig config)
    : config_(normalised(std::move(config))), pool_(config_.customer_count(), config_.seed) {}

GroundTruth LakeGenerator::run(const DayCallback& on_day) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(config_.out_dir, ec);
  if (ec || !fs::is_directory(config_.out_dir))
    throw OutputError("cannot create output directory " + config_.out_dir.string() +
                      (ec ? ": " + ec.message() : ": not a directory"));

  GroundTruth truth;
  ContractTally tally(pool_.size());
  DayWriter writer(config_, pool_, truth, tally);
  for (std::uint32_t i = 0; i < config_.days.size(); ++i) {
    const Date day = config_.days[i];
    const std::string name = config_.file_name(day);
    tally.start_day(i);
    DayReport report = writer.write(day, config_.out_dir / name);
    // The reader refuses a day present in both formats, and this run replaces the day.
    const fs::path other = config_.out_dir / (day.compact() + (config_.gzip ? ".json" : ".json.gz"));
    report.replaced_other_format = fs::remove(other, ec);
    truth.days.push_back(day);
    truth.files.push_back(name);
    if (on_day) on_day(report);
  }
  truth.contracts = tally.contracts();
  truth.date_count_histogram = tally.date_count_histogram(config_.days.size());
  return truth;
}

} // namespace bda
