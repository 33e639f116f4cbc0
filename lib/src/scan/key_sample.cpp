#include "bda/scan/key_sample.hpp"

#include "bda/lake/line_chunk_reader.hpp"
#include "bda/parse/record_parser.hpp"

#include <algorithm>
#include <cstring>

namespace bda {
namespace {

//! Appends up to `quota` contracts of the lines that start in `window`.
void sample_window(const DayFile& file, const FileRange& window, std::size_t window_bytes, RecordParser& parser,
                   std::size_t quota, std::vector<std::string>& out) {
  ReaderConfig config;
  config.chunk_bytes = window_bytes;
  LineChunkReader reader(file, window, config);
  LineChunk chunk;
  Record record;
  std::size_t taken = 0;
  // One block is enough: a gzip range ends its sample there, a plain window holds about one block.
  if (!reader.next(chunk) || chunk.oversized) return;
  const char* p = chunk.lines.data();
  const char* const end = p + chunk.lines.size();
  while (p < end && taken < quota) {
    const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
    if (!nl) nl = end;
    if (parser.parse(std::string_view(p, static_cast<std::size_t>(nl - p)), record).kind == LineKind::Record) {
      out.emplace_back(record.contract);
      ++taken;
    }
    p = nl + 1;
  }
}

} // namespace

std::vector<std::string> sample_contracts(const LakeFiles& lake, const std::vector<FileRange>& ranges,
                                          const CategoryMapping& mapping, const KeySampleConfig& config) {
  std::vector<std::string> keys;
  if (ranges.empty() || config.max_keys == 0) return keys;
  RecordParser parser(mapping);
  const std::size_t windows = std::max<std::size_t>(config.windows_per_range, 1);
  const std::size_t quota = std::max<std::size_t>(config.max_keys / (ranges.size() * windows), 1);
  for (const FileRange& range : ranges) {
    const DayFile& file = lake.files[range.file];
    if (range.whole_gzip) {
      sample_window(file, range, config.window_bytes, parser, quota * windows, keys);
      continue;
    }
    const std::uint64_t length = range.end - range.begin;
    for (std::size_t w = 0; w < windows; ++w) {
      FileRange window = range;
      window.begin = range.begin + length * w / windows;
      window.end = std::min<std::uint64_t>(range.end, window.begin + config.window_bytes);
      if (window.begin >= window.end) continue;
      sample_window(file, window, config.window_bytes, parser, quota, keys);
    }
  }
  if (keys.size() > config.max_keys) keys.resize(config.max_keys);
  return keys;
}

} // namespace bda
