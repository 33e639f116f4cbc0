// A day checkpoint: what parsing one day file produced, kept so that a later run over a period that
// includes the day need not parse the file again. One file per day, independent of the rank count:
// the day's partial per-Contract aggregate sorted by Contract in checksummed blocks with a sparse
// index (a rank reads only the blocks of its key range), the day's scan counters and usage figures,
// and its rejected lines.
//
//   "BDACKPT1" | blocks ... | rejected lines | footer (JSON) | u64 footer bytes | u32 footer CRC | "BDACKEND"
//
// A block is u32 payload bytes | u32 entries | u32 CRC-32 of the payload | payload; an entry is
// varint shared-prefix bytes | varint suffix bytes | suffix | u8 category mask | varint duration per
// category in the mask. Each block's first entry has the whole key, so blocks decode alone.
#pragma once

#include "bda/aggregate/contract_table.hpp"
#include "bda/aggregate/daily_usage.hpp"
#include "bda/checkpoint/source_identity.hpp"
#include "bda/core/date.hpp"
#include "bda/core/error.hpp"
#include "bda/core/file_descriptor.hpp"
#include "bda/lake/line_chunk_reader.hpp"
#include "bda/model/category_mapping.hpp"
#include "bda/output/atomic_file.hpp"
#include "bda/scan/shard_scanner.hpp"

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bda {

//! Raised whenever what a checkpoint holds or means changes; older files are then rebuilt.
inline constexpr std::uint32_t kCheckpointFormatVersion = 1;
//! The longest contract a checkpoint holds: SPEC's limit is 1024 bytes.
inline constexpr std::size_t kMaxCheckpointKeyBytes = 1024;

//! A checkpoint that must not be used: truncated, corrupt, or of another format version. what()
//! says which, without the path (callers name the file).
class CheckpointError : public Error {
public:
  using Error::Error;
};

struct CheckpointBlock {
  std::uint64_t offset = 0; //!< of the block header in the file
  std::uint32_t payload_bytes = 0;
  std::uint32_t entries = 0;
  std::uint32_t crc = 0;
  std::string first_key;
};

//! The footer: everything about the day except the per-Contract entries.
struct DayCheckpointInfo {
  std::uint32_t version = kCheckpointFormatVersion;
  std::string settings; //!< checkpoint_settings() of the run that wrote it
  Date date;
  SourceIdentity source;
  ScanCounters counters; //!< the whole day file's lines
  DayUsage usage;        //!< sessions and durations per category (customers are counted after the merge)
  std::uint64_t contracts = 0;
  std::vector<CheckpointBlock> blocks;
  std::uint64_t rejected_offset = 0; //!< the day's rejected lines: "line\treason\ttext\n" each
  std::uint64_t rejected_bytes = 0;
  std::uint32_t rejected_crc = 0;
};

//! <dir>/YYYYMMDD.ckpt, beside the lake's YYYYMMDD.json.
std::filesystem::path day_checkpoint_path(const std::filesystem::path& dir, Date date);

//! The settings that decide what a day file parses to (SPEC-relevant): the category mapping and the
//! line-length limit, with the format version. A checkpoint built with other settings is rebuilt.
std::string checkpoint_settings(const CategoryMapping& mapping, const ReaderConfig& reader);

//! Builds blocks from entries given in key order.
class DayBlockEncoder {
public:
  static constexpr std::size_t kTargetPayloadBytes = std::size_t{64} << 10;

  void add(std::string_view key, std::uint8_t mask, const std::array<std::int64_t, kCategoryCount>& duration);
  bool full() const { return payload_.size() >= kTargetPayloadBytes; }
  bool empty() const { return entries_ == 0; }
  //! The block so far (header and payload); the encoder starts a new one.
  std::string take();

private:
  std::string payload_;
  std::string previous_;
  std::uint32_t entries_ = 0;
};

//! Writes one checkpoint under a temporary name; commit() makes it appear whole.
class DayCheckpointWriter {
public:
  //! Throws OutputError naming the path.
  explicit DayCheckpointWriter(const std::filesystem::path& path);
  //! One block of DayBlockEncoder::take(), blocks in key order.
  void add_block(std::string_view block);
  //! Writes the rejected lines (file column left out) and the footer; `info`'s blocks and
  //! offsets are filled in here.
  void commit(DayCheckpointInfo info, std::string_view rejected_lines);

private:
  AtomicFile file_;
  std::uint64_t offset_ = 0;
  std::vector<CheckpointBlock> blocks_;
  std::uint64_t contracts_ = 0;
};

//! Reads a checkpoint's footer (magic, sizes and the footer's CRC checked). Throws InputError when
//! the file cannot be read and CheckpointError when it is not a whole checkpoint of this format.
DayCheckpointInfo read_day_checkpoint_info(const std::filesystem::path& path);

//! The per-Contract entries of one checkpoint, block by block.
class DayCheckpointReader {
public:
  //! Throws InputError when the file cannot be opened.
  DayCheckpointReader(const std::filesystem::path& path, DayCheckpointInfo info);
  ~DayCheckpointReader();
  DayCheckpointReader(const DayCheckpointReader&) = delete;
  DayCheckpointReader& operator=(const DayCheckpointReader&) = delete;

  const DayCheckpointInfo& info() const { return info_; }
  //! The blocks that may hold keys k with lo <= k < hi (no bound where not given).
  std::vector<std::size_t> blocks_for(const std::optional<std::string>& lo, const std::optional<std::string>& hi) const;
  //! Block `b`, header and payload; throws CheckpointError when it is truncated or fails its checksum.
  std::string read_block(std::size_t b);
  //! The rejected lines ("line\treason\ttext\n" each), checksum verified.
  std::string rejected_lines();

private:
  std::filesystem::path path_;
  DayCheckpointInfo info_;
  FileDescriptor fd_;
};

//! One day's entries with lo <= key < hi, in key order, decoded one at a time from one block in
//! memory: the k-way merge interleaves some 30 of these, so each keeps its working set small.
class DayCheckpointCursor {
public:
  //! `reader` must outlive the cursor. Throws CheckpointError for a damaged or malformed block.
  DayCheckpointCursor(DayCheckpointReader& reader, std::uint32_t day, std::optional<std::string> lo,
                      std::optional<std::string> hi);
  bool done() const { return done_; }
  //! The current entry; its contract is valid until next().
  const DayRecord& record() const { return record_; }
  //! The current contract's first 16 bytes as ShortBytes order words: compared before the bytes.
  std::uint64_t order_prefix() const { return prefix_; }
  std::uint64_t order_suffix() const { return suffix_; }
  void next();

private:
  bool decode_one(); // the block's next entry into record_; false at the block's end
  void open_block();

  DayCheckpointReader& reader_;
  std::uint32_t day_;
  std::optional<std::string> lo_, hi_;
  std::vector<std::size_t> blocks_;
  std::size_t next_block_ = 0;
  std::string block_;
  const char* at_ = nullptr;
  const char* end_ = nullptr;
  std::uint32_t entries_left_ = 0;
  bool filter_ = false; // the block may hold keys outside [lo, hi)
  std::array<char, kMaxCheckpointKeyBytes> key_{};
  std::size_t key_size_ = 0;
  DayRecord record_;
  std::uint64_t prefix_ = 0, suffix_ = 0;
  bool done_ = false;
};

//! Adds every cursor's entries to `table`, which must be empty, in key order: the k-way merge of
//! the days, each contract's row made once from all its days (no hash lookups), so the table's
//! rows end up in key order. Throws CheckpointError when a cursor's keys are out of order.
void merge_days(std::vector<DayCheckpointCursor*> cursors, ContractTable& table);

} // namespace bda
