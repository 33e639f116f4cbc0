#include "bda/scan/shard_scanner.hpp"

#include "bda/parse/record_parser.hpp"

#include <cstring>
#include <utility>

namespace bda {

static_assert(kChunkPadding >= kLinePadding, "the reader's padding must cover what the parser reads past a line");

std::uint64_t ScanCounters::rejected() const {
  std::uint64_t n = 0;
  for (auto r : rejects) n += r;
  return n;
}

ScanCounters& ScanCounters::operator+=(const ScanCounters& o) {
  bytes += o.bytes;
  lines += o.lines;
  blank_lines += o.blank_lines;
  records += o.records;
  for (std::size_t i = 0; i < kRejectReasonCount; ++i) rejects[i] += o.rejects[i];
  return *this;
}

namespace {

//! The date of every selected day index: the lake's files give theirs, the allowed missing days
//! fill the other indices in order (both lists are in date order, like the selection). When the
//! two do not add up to `selected_days`, no dates (messages then name day indices).
DailyUsage daily_usage_for(const LakeFiles& lake, std::uint32_t selected_days) {
  std::vector<Date> dates(selected_days);
  std::vector<bool> known(selected_days, false);
  for (const DayFile& f : lake.files) {
    if (f.day_index >= selected_days || known[f.day_index]) return DailyUsage(selected_days);
    dates[f.day_index] = f.date;
    known[f.day_index] = true;
  }
  auto missing = lake.missing_days.begin();
  for (std::uint32_t i = 0; i < selected_days; ++i) {
    if (known[i]) continue;
    if (missing == lake.missing_days.end()) return DailyUsage(selected_days);
    dates[i] = *missing++;
  }
  if (missing != lake.missing_days.end()) return DailyUsage(selected_days);
  return DailyUsage(std::move(dates));
}

} // namespace

ShardScanner::ShardScanner(const LakeFiles& lake, const CategoryMapping& mapping, std::uint32_t selected_days,
                           ReaderConfig config)
    : lake_(lake), mapping_(mapping), config_(config), table_(selected_days),
      daily_(daily_usage_for(lake, selected_days)) {}

void ShardScanner::scan(const std::vector<FileRange>& ranges, QuarantineSpool* quarantine,
                        const ScanProgress& progress) {
  TableSink sink(table_);
  scan(ranges, sink, quarantine, progress);
}

void ShardScanner::scan(const std::vector<FileRange>& ranges, RecordSink& sink, QuarantineSpool* quarantine,
                        const ScanProgress& progress) {
  RecordParser parser(mapping_);
  Record record;
  std::uint64_t bytes_before = counters_.bytes;
  lines_in_range_.assign(ranges.size(), 0);

  for (std::uint32_t r = 0; r < ranges.size(); ++r) {
    const DayFile& file = lake_.files[ranges[r].file];
    LineChunkReader reader(file, ranges[r], config_);
    std::uint64_t line_no = 0;
    auto reject = [&](RejectReason reason, std::string_view text) {
      ++counters_.rejects[static_cast<std::size_t>(reason)];
      if (quarantine) quarantine->add(r, line_no, reason, text);
    };

    LineChunk chunk;
    while (reader.next(chunk)) {
      if (chunk.oversized) { // one line longer than max_line_bytes, its head in chunk.lines
        ++line_no;
        if (chunk.blank)
          ++counters_.blank_lines;
        else
          reject(RejectReason::LineTooLong, chunk.lines);
        continue;
      }
      const char* p = chunk.lines.data();
      const char* const end = p + chunk.lines.size();
      while (p < end) {
        const char* nl = nullptr; // the export's usual line is delimited by its own parse
        ++line_no;
        const LineOutcome outcome = parser.parse_next(p, end, record, &nl);
        const std::string_view line(p, static_cast<std::size_t>(nl - p));
        if (outcome.kind == LineKind::Record) {
          ++counters_.records;
          sink.add(record.contract, record.category, file.day_index, record.duration);
          daily_.add_record(file.day_index, record.category, record.duration);
        } else if (outcome.kind == LineKind::Blank) {
          ++counters_.blank_lines;
        } else {
          reject(outcome.reason, line);
        }
        p = nl + 1;
      }
      if (progress) progress(bytes_before + reader.bytes_consumed());
    }
    counters_.lines += line_no;
    lines_in_range_[r] = line_no;
    bytes_before += ranges[r].end - ranges[r].begin; // exact share, not the read-ahead
  }
  sink.flush();
  counters_.bytes = bytes_before;
}

} // namespace bda
