#include "bda/mpi/run_summary.hpp"

#include "bda/core/version.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace bda::mpi {

std::string run_summary_json(const EtlOptions& options, const EtlResult& result) {
  using json = nlohmann::ordered_json;
  json doc;
  doc["status"] = result.error ? "failed" : "ok";
  if (result.error) doc["error"] = *result.error;
  doc["version"] = std::string(version());
  doc["ranks"] = result.ranks;

  json days = json::array(), missing = json::array();
  for (const Date& d : options.days.days()) days.push_back(d.iso());
  for (const Date& d : result.lake.missing_days) missing.push_back(d.iso());
  doc["period"] = {{"first", options.days.empty() ? "" : options.days.first().iso()},
                   {"last", options.days.empty() ? "" : options.days.last().iso()},
                   {"days", options.days.size()},
                   {"selected_days", days},
                   {"missing_days", missing}};

  json files = json::array();
  for (const DayFile& f : result.lake.files)
    files.push_back({{"date", f.date.iso()}, {"path", f.path}, {"bytes", f.size}, {"gzip", f.gzip}});
  doc["input"] = {{"lake", options.lake.string()},
                  {"files", result.lake.files.size()},
                  {"bytes", result.lake.total_bytes()},
                  {"day_files", files}};

  const ScanCounters& t = result.totals;
  json rejects = json::object();
  for (std::size_t i = 0; i < kRejectReasonCount; ++i) rejects[std::string(kRejectReasonNames[i])] = t.rejects[i];
  doc["lines"] = {{"read", t.lines},   {"blank", t.blank_lines},     {"records", t.records},
                  {"rejected", t.rejected()}, {"rejects", rejects}};
  doc["max_rejects"] = options.max_rejects.describe();
  doc["contracts"] = result.contracts;
  if (options.checkpoint_dir) {
    json per_day = json::array();
    std::size_t reused = 0;
    for (std::size_t i = 0; i < result.day_outcomes.size() && i < result.lake.files.size(); ++i) {
      const DayOutcome& d = result.day_outcomes[i];
      reused += d.reused ? 1 : 0;
      per_day.push_back({{"date", result.lake.files[i].date.iso()},
                         {"action", d.reused ? "reused" : "parsed"},
                         {"reason", d.reused ? json(nullptr) : json(d.reason)}});
    }
    doc["checkpoints"] = {{"directory", options.checkpoint_dir->string()},
                          {"reused", reused},
                          {"parsed", result.day_outcomes.size() - reused},
                          {"days", per_day}};
  }
  doc["output"] = {{"csv", options.out.string()},
                   {"quarantine", options.quarantine_file ? json(options.quarantine_file->string()) : json(nullptr)},
                   {"daily", options.daily_file ? json(options.daily_file->string()) : json(nullptr)}};
  const PhaseSeconds& s = result.seconds;
  doc["seconds"] = {{"plan", s.plan},     {"scan", s.scan},   {"quarantine", s.quarantine},
                    {"reduce", s.reduce}, {"write", s.write}, {"total", s.total}};
  doc["rank0_bytes_received"] = result.rank0_bytes_received;

  json ranks = json::array();
  for (const RankReport& r : result.per_rank)
    ranks.push_back({{"rank", r.rank},
                     {"host", r.host},
                     {"bytes", r.bytes},
                     {"lines", r.lines},
                     {"records", r.records},
                     {"rejected", r.rejected},
                     {"contracts_after_reduce", r.contracts_after_reduce},
                     {"shuffle_bytes_received", r.shuffle_bytes_received},
                     {"shuffle_messages", r.shuffle_messages},
                     {"scan_seconds", r.scan_seconds},
                     {"shuffle_seconds", r.shuffle_seconds},
                     {"peak_rss_kb", r.peak_rss_kb}});
  doc["per_rank"] = ranks;
  return doc.dump(2) + "\n";
}

std::string run_summary_line(const EtlOptions& options, const EtlResult& result) {
  const ScanCounters& t = result.totals;
  char buf[512];
  std::snprintf(buf, sizeof buf,
                "%s: %llu lines, %llu records, %llu rejected, %llu blank -> %llu contracts in %s (%.2f s, %d rank%s)",
                options.days.describe().c_str(), static_cast<unsigned long long>(t.lines),
                static_cast<unsigned long long>(t.records), static_cast<unsigned long long>(t.rejected()),
                static_cast<unsigned long long>(t.blank_lines), static_cast<unsigned long long>(result.contracts),
                options.out.string().c_str(), result.seconds.total, result.ranks, result.ranks == 1 ? "" : "s");
  std::string line = buf;
  if (options.checkpoint_dir) {
    std::size_t reused = 0;
    for (const DayOutcome& d : result.day_outcomes) reused += d.reused ? 1 : 0;
    line += "; " + std::to_string(reused) + " of " + std::to_string(result.day_outcomes.size()) +
            " days from checkpoints";
  }
  return line;
}

} // namespace bda::mpi
