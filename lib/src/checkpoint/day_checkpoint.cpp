#include "bda/checkpoint/day_checkpoint.hpp"

#include "bda/core/file_descriptor.hpp"
#include "bda/core/short_bytes.hpp"
#include "bda/model/reject_reason.hpp"

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace bda {
namespace {

constexpr std::string_view kMagic = "BDACKPT1";
constexpr std::string_view kEndMagic = "BDACKEND";
constexpr std::size_t kBlockHeaderBytes = 12;
constexpr std::size_t kTrailerBytes = 8 + 4 + kEndMagic.size();
constexpr std::uint64_t kMaxFooterBytes = std::uint64_t{1} << 30;

std::uint32_t crc32_of(std::string_view bytes) {
  return static_cast<std::uint32_t>(
      ::crc32(::crc32(0, nullptr, 0), reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(bytes.size())));
}

void put_u32(std::string& out, std::uint32_t v) { out.append(reinterpret_cast<const char*>(&v), 4); }
void put_u64(std::string& out, std::uint64_t v) { out.append(reinterpret_cast<const char*>(&v), 8); }
std::uint32_t get_u32(const char* p) {
  std::uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}
std::uint64_t get_u64(const char* p) {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

void put_varint(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out += static_cast<char>((v & 0x7F) | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
}

//! Reads entries of one block payload; every read is bounds-checked.
class PayloadCursor {
public:
  explicit PayloadCursor(std::string_view payload) : p_(payload.data()), end_(payload.data() + payload.size()) {}
  bool done() const { return p_ == end_; }
  std::size_t remaining() const { return static_cast<std::size_t>(end_ - p_); }
  std::uint64_t varint() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p_ == end_) throw CheckpointError("a block ends inside an entry");
      const auto byte = static_cast<unsigned char>(*p_++);
      v |= static_cast<std::uint64_t>(byte & 0x7F) << shift;
      if (!(byte & 0x80)) return v;
    }
    throw CheckpointError("a block holds a malformed number");
  }
  std::string_view bytes(std::uint64_t n) {
    if (n > static_cast<std::uint64_t>(end_ - p_)) throw CheckpointError("a block ends inside an entry");
    std::string_view s(p_, static_cast<std::size_t>(n));
    p_ += n;
    return s;
  }
  std::uint8_t byte() { return static_cast<std::uint8_t>(bytes(1)[0]); }

private:
  const char* p_;
  const char* end_;
};

std::string to_hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

std::string from_hex(const std::string& hex) {
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    throw CheckpointError("the footer holds a malformed key");
  };
  if (hex.size() % 2) throw CheckpointError("the footer holds a malformed key");
  std::string out;
  for (std::size_t i = 0; i < hex.size(); i += 2) out += static_cast<char>(digit(hex[i]) * 16 + digit(hex[i + 1]));
  return out;
}

nlohmann::json footer_json(const DayCheckpointInfo& info) {
  nlohmann::json rejects = nlohmann::json::object();
  for (std::size_t i = 0; i < kRejectReasonCount; ++i) rejects[std::string(kRejectReasonNames[i])] = info.counters.rejects[i];
  nlohmann::json sessions = nlohmann::json::array(), duration = nlohmann::json::array();
  for (std::size_t c = 0; c < kCategoryCount; ++c) {
    sessions.push_back(info.usage.sessions[c]);
    duration.push_back(info.usage.duration[c]);
  }
  nlohmann::json blocks = nlohmann::json::array();
  for (const CheckpointBlock& b : info.blocks)
    blocks.push_back({b.offset, b.payload_bytes, b.entries, b.crc, to_hex(b.first_key)});
  return {{"version", info.version},
          {"settings", info.settings},
          {"date", info.date.iso()},
          {"source", {{"name", info.source.name}, {"size", info.source.size}, {"mtime_ns", info.source.mtime_ns},
                      {"edge_crc", info.source.edge_crc}}},
          {"counters", {{"bytes", info.counters.bytes}, {"lines", info.counters.lines},
                        {"blank", info.counters.blank_lines}, {"records", info.counters.records}, {"rejects", rejects}}},
          {"usage", {{"sessions", sessions}, {"duration", duration}}},
          {"contracts", info.contracts},
          {"blocks", blocks},
          {"rejected", {info.rejected_offset, info.rejected_bytes, info.rejected_crc}}};
}

DayCheckpointInfo info_from_json(const nlohmann::json& j) {
  DayCheckpointInfo info;
  info.version = j.at("version").get<std::uint32_t>();
  if (info.version != kCheckpointFormatVersion)
    throw CheckpointError("format version " + std::to_string(info.version) + ", this program reads version " +
                          std::to_string(kCheckpointFormatVersion));
  info.settings = j.at("settings").get<std::string>();
  try {
    info.date = Date::parse_iso(j.at("date").get<std::string>());
  } catch (const Error&) {
    throw CheckpointError("the footer holds a malformed date");
  }
  const auto& s = j.at("source");
  info.source = {s.at("name").get<std::string>(), s.at("size").get<std::uint64_t>(), s.at("mtime_ns").get<std::int64_t>(),
                 s.at("edge_crc").get<std::uint32_t>()};
  const auto& c = j.at("counters");
  info.counters.bytes = c.at("bytes").get<std::uint64_t>();
  info.counters.lines = c.at("lines").get<std::uint64_t>();
  info.counters.blank_lines = c.at("blank").get<std::uint64_t>();
  info.counters.records = c.at("records").get<std::uint64_t>();
  for (std::size_t i = 0; i < kRejectReasonCount; ++i)
    info.counters.rejects[i] = c.at("rejects").at(std::string(kRejectReasonNames[i])).get<std::uint64_t>();
  const auto& u = j.at("usage");
  for (std::size_t k = 0; k < kCategoryCount; ++k) {
    info.usage.sessions[k] = u.at("sessions").at(k).get<std::uint64_t>();
    info.usage.duration[k] = u.at("duration").at(k).get<std::uint64_t>();
  }
  info.contracts = j.at("contracts").get<std::uint64_t>();
  for (const auto& b : j.at("blocks"))
    info.blocks.push_back({b.at(0).get<std::uint64_t>(), b.at(1).get<std::uint32_t>(), b.at(2).get<std::uint32_t>(),
                           b.at(3).get<std::uint32_t>(), from_hex(b.at(4).get<std::string>())});
  const auto& r = j.at("rejected");
  info.rejected_offset = r.at(0).get<std::uint64_t>();
  info.rejected_bytes = r.at(1).get<std::uint64_t>();
  info.rejected_crc = r.at(2).get<std::uint32_t>();
  return info;
}

void read_exactly(int fd, char* out, std::uint64_t bytes, std::uint64_t offset, const std::filesystem::path& path) {
  std::uint64_t done = 0;
  while (done < bytes) {
    const ssize_t n = ::pread(fd, out + done, bytes - done, static_cast<off_t>(offset + done));
    if (n < 0) throw InputError("cannot read " + path.string() + ": " + errno_text(errno));
    if (n == 0) throw CheckpointError("truncated");
    done += static_cast<std::uint64_t>(n);
  }
}

} // namespace

std::filesystem::path day_checkpoint_path(const std::filesystem::path& dir, Date date) {
  std::string name = date.iso();
  name.erase(std::remove(name.begin(), name.end(), '-'), name.end());
  return dir / (name + ".ckpt");
}

std::string checkpoint_settings(const CategoryMapping& mapping, const ReaderConfig& reader) {
  const std::string text = "format " + std::to_string(kCheckpointFormatVersion) + "\nmax_line_bytes " +
                           std::to_string(reader.max_line_bytes) + "\nmapping\n" + mapping.canonical_text();
  char hex[9];
  std::snprintf(hex, sizeof hex, "%08x", crc32_of(text));
  return std::string(hex) + "-" + std::to_string(text.size());
}

void DayBlockEncoder::add(std::string_view key, std::uint8_t mask, const std::array<std::int64_t, kCategoryCount>& duration) {
  std::size_t shared = 0;
  if (entries_ > 0)
    while (shared < key.size() && shared < previous_.size() && key[shared] == previous_[shared]) ++shared;
  put_varint(payload_, shared);
  put_varint(payload_, key.size() - shared);
  payload_.append(key.substr(shared));
  payload_ += static_cast<char>(mask);
  for (std::size_t c = 0; c < kCategoryCount; ++c)
    if ((mask >> c) & 1u) put_varint(payload_, static_cast<std::uint64_t>(duration[c]));
  previous_.assign(key);
  ++entries_;
}

std::string DayBlockEncoder::take() {
  std::string block;
  block.reserve(kBlockHeaderBytes + payload_.size());
  put_u32(block, static_cast<std::uint32_t>(payload_.size()));
  put_u32(block, entries_);
  put_u32(block, crc32_of(payload_));
  block += payload_;
  payload_.clear();
  previous_.clear();
  entries_ = 0;
  return block;
}

DayCheckpointWriter::DayCheckpointWriter(const std::filesystem::path& path) : file_(path) {
  file_.write(kMagic);
  offset_ = kMagic.size();
}

void DayCheckpointWriter::add_block(std::string_view block) {
  if (block.size() < kBlockHeaderBytes) throw std::invalid_argument("a checkpoint block without its header");
  CheckpointBlock b;
  b.offset = offset_;
  b.payload_bytes = get_u32(block.data());
  b.entries = get_u32(block.data() + 4);
  b.crc = get_u32(block.data() + 8);
  PayloadCursor first(block.substr(kBlockHeaderBytes));
  first.varint(); // the first entry shares nothing
  b.first_key = std::string(first.bytes(first.varint()));
  contracts_ += b.entries;
  blocks_.push_back(std::move(b));
  file_.write(block);
  offset_ += block.size();
}

void DayCheckpointWriter::commit(DayCheckpointInfo info, std::string_view rejected_lines) {
  info.blocks = std::move(blocks_);
  info.contracts = contracts_;
  info.rejected_offset = offset_;
  info.rejected_bytes = rejected_lines.size();
  info.rejected_crc = crc32_of(rejected_lines);
  file_.write(rejected_lines);
  const std::string footer = footer_json(info).dump();
  std::string trailer;
  put_u64(trailer, footer.size());
  put_u32(trailer, crc32_of(footer));
  trailer += kEndMagic;
  file_.write(footer);
  file_.write(trailer);
  file_.commit();
}

DayCheckpointInfo read_day_checkpoint_info(const std::filesystem::path& path) {
  const FileDescriptor file(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!file.valid()) throw InputError("cannot read " + path.string() + ": " + errno_text(errno));
  const int fd = file.get();
  const off_t size = ::lseek(fd, 0, SEEK_END);
  if (size < 0) throw InputError("cannot read " + path.string() + ": " + errno_text(errno));
  if (static_cast<std::uint64_t>(size) < kMagic.size() + kTrailerBytes) throw CheckpointError("truncated");
  char head[8];
  read_exactly(fd, head, kMagic.size(), 0, path);
  if (std::string_view(head, kMagic.size()) != kMagic) throw CheckpointError("not a checkpoint file");
  char trailer[kTrailerBytes];
  read_exactly(fd, trailer, kTrailerBytes, static_cast<std::uint64_t>(size) - kTrailerBytes, path);
  if (std::string_view(trailer + 12, kEndMagic.size()) != kEndMagic) throw CheckpointError("truncated");
  const std::uint64_t footer_bytes = get_u64(trailer);
  if (footer_bytes > kMaxFooterBytes || footer_bytes > static_cast<std::uint64_t>(size) - kMagic.size() - kTrailerBytes)
    throw CheckpointError("corrupt footer");
  std::string footer(footer_bytes, '\0');
  const std::uint64_t footer_offset = static_cast<std::uint64_t>(size) - kTrailerBytes - footer_bytes;
  read_exactly(fd, footer.data(), footer_bytes, footer_offset, path);
  if (crc32_of(footer) != get_u32(trailer + 8)) throw CheckpointError("footer checksum mismatch");
  DayCheckpointInfo info;
  try {
    info = info_from_json(nlohmann::json::parse(footer));
  } catch (const nlohmann::json::exception&) {
    throw CheckpointError("corrupt footer");
  }
  // Everything the footer points at lies before it.
  std::uint64_t end = kMagic.size();
  for (const CheckpointBlock& b : info.blocks) {
    if (b.offset != end) throw CheckpointError("corrupt block index");
    end += kBlockHeaderBytes + b.payload_bytes;
  }
  if (info.rejected_offset != end || end + info.rejected_bytes != footer_offset)
    throw CheckpointError("corrupt block index");
  return info;
}

DayCheckpointReader::DayCheckpointReader(const std::filesystem::path& path, DayCheckpointInfo info)
    : path_(path), info_(std::move(info)), fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {
  if (!fd_.valid()) throw InputError("cannot read " + path.string() + ": " + errno_text(errno));
}

DayCheckpointReader::~DayCheckpointReader() = default;

std::vector<std::size_t> DayCheckpointReader::blocks_for(const std::optional<std::string>& lo,
                                                         const std::optional<std::string>& hi) const {
  std::vector<std::size_t> out;
  const auto& blocks = info_.blocks;
  for (std::size_t b = 0; b < blocks.size(); ++b) {
    // Block b holds keys from its first key up to (not including) the next block's first key.
    const bool ends_after_lo = !lo || b + 1 == blocks.size() || blocks[b + 1].first_key > *lo;
    const bool starts_before_hi = !hi || blocks[b].first_key < *hi;
    if (ends_after_lo && starts_before_hi) out.push_back(b);
  }
  return out;
}

std::string DayCheckpointReader::read_block(std::size_t b) {
  const CheckpointBlock& block = info_.blocks.at(b);
  std::string bytes(kBlockHeaderBytes + block.payload_bytes, '\0');
  read_exactly(fd_.get(), bytes.data(), bytes.size(), block.offset, path_);
  if (get_u32(bytes.data()) != block.payload_bytes || get_u32(bytes.data() + 4) != block.entries ||
      get_u32(bytes.data() + 8) != block.crc)
    throw CheckpointError("block " + std::to_string(b) + " does not match the index");
  if (crc32_of(std::string_view(bytes).substr(kBlockHeaderBytes)) != block.crc)
    throw CheckpointError("block " + std::to_string(b) + " checksum mismatch");
  return bytes;
}

std::string DayCheckpointReader::rejected_lines() {
  std::string text(info_.rejected_bytes, '\0');
  read_exactly(fd_.get(), text.data(), text.size(), info_.rejected_offset, path_);
  if (crc32_of(text) != info_.rejected_crc) throw CheckpointError("rejected lines checksum mismatch");
  return text;
}

DayCheckpointCursor::DayCheckpointCursor(DayCheckpointReader& reader, std::uint32_t day, std::optional<std::string> lo,
                                         std::optional<std::string> hi)
    : reader_(reader), day_(day), lo_(std::move(lo)), hi_(std::move(hi)), blocks_(reader.blocks_for(lo_, hi_)) {
  record_.day = day_;
  next();
}

void DayCheckpointCursor::open_block() {
  const std::size_t b = blocks_[next_block_++];
  block_ = reader_.read_block(b);
  at_ = block_.data() + kBlockHeaderBytes;
  end_ = block_.data() + block_.size();
  entries_left_ = reader_.info().blocks[b].entries;
  // Only a block that straddles a bound needs each key compared with it.
  const auto& blocks = reader_.info().blocks;
  const bool starts_inside = !lo_ || blocks[b].first_key >= *lo_;
  const bool ends_inside = !hi_ || (b + 1 < blocks.size() && blocks[b + 1].first_key <= *hi_);
  filter_ = !(starts_inside && ends_inside);
  key_size_ = 0;
}

void DayCheckpointCursor::next() {
  for (;;) {
    while (entries_left_ == 0) {
      if (at_ != end_) throw CheckpointError("a block holds bytes after its entries");
      if (next_block_ == blocks_.size()) {
        done_ = true;
        return;
      }
      open_block();
    }
    --entries_left_;
    PayloadCursor in(std::string_view(at_, static_cast<std::size_t>(end_ - at_)));
    const std::uint64_t shared = in.varint();
    const std::uint64_t suffix_size = in.varint();
    if (shared > key_size_ || suffix_size > kMaxCheckpointKeyBytes - shared)
      throw CheckpointError("a block holds a malformed key");
    std::memcpy(key_.data() + shared, in.bytes(suffix_size).data(), suffix_size);
    key_size_ = static_cast<std::size_t>(shared + suffix_size);
    record_.mask = in.byte();
    if (record_.mask == 0 || record_.mask >> kCategoryCount) throw CheckpointError("a block holds a malformed entry");
    record_.duration = {};
    for (unsigned m = record_.mask; m != 0; m &= m - 1) {
      const std::uint64_t d = in.varint();
      if (d > static_cast<std::uint64_t>(DailyUsage::kMaxDuration)) throw CheckpointError("a block holds a malformed entry");
      record_.duration[static_cast<std::size_t>(__builtin_ctz(m))] = static_cast<std::int64_t>(d);
    }
    at_ = end_ - in.remaining();
    const std::string_view key(key_.data(), key_size_);
    if (filter_ && ((lo_ && key < *lo_) || (hi_ && key >= *hi_))) continue;
    record_.contract = key;
    const ShortBytes b(key);
    prefix_ = b.order_prefix();
    suffix_ = b.order_suffix();
    return;
  }
}

namespace {

//! A cursor's current contract as the merge orders it: the first 16 bytes as two ordered words
//! and the size, capped at 17 (longer contracts with equal words are ordered by their bytes).
struct Head {
  std::uint64_t prefix = ~std::uint64_t{0}, suffix = ~std::uint64_t{0};
  std::uint32_t size = ~std::uint32_t{0}; // a finished cursor: after every contract
  bool operator==(const Head&) const = default;
};

constexpr std::uint32_t kLongSize = ShortBytes::kMaxBytes + 1;

bool less(const Head& a, const Head& b) {
  if (a.prefix != b.prefix) return a.prefix < b.prefix;
  if (a.suffix != b.suffix) return a.suffix < b.suffix;
  return a.size < b.size;
}

Head head_of(const DayCheckpointCursor& c) {
  if (c.done()) return {};
  return {c.order_prefix(), c.order_suffix(),
          std::min<std::uint32_t>(static_cast<std::uint32_t>(c.record().contract.size()), kLongSize)};
}

} // namespace

// Each contract is in most of the days (17 of 30 on average), so rather than one tournament per
// entry the merge scans every cursor's head once per contract: find the smallest, then take every
// cursor that holds it. Both scans are short, branch-free loops over a few dozen heads.
void merge_days(std::vector<DayCheckpointCursor*> cursors, ContractTable& table) {
  if (table.size() != 0) throw std::invalid_argument("merge_days needs an empty table");
  const std::size_t k = cursors.size();
  std::vector<Head> heads(k);
  for (std::size_t i = 0; i < k; ++i) heads[i] = head_of(*cursors[i]);
  std::vector<std::size_t> holders(k);
  std::string contract;
  for (;;) {
    Head best;
    for (const Head& h : heads) best = less(h, best) ? h : best;
    if (best == Head{}) return;
    std::size_t n = 0;
    for (std::size_t i = 0; i < k; ++i) {
      holders[n] = i;
      n += heads[i] == best ? 1 : 0;
    }
    if (best.size == kLongSize) { // longer than 16 bytes: equal words are not equal contracts
      std::string_view smallest = cursors[holders[0]]->record().contract;
      for (std::size_t j = 1; j < n; ++j) smallest = std::min(smallest, cursors[holders[j]]->record().contract);
      contract.assign(smallest);
      std::size_t m = 0;
      for (std::size_t j = 0; j < n; ++j)
        if (cursors[holders[j]]->record().contract == contract) holders[m++] = holders[j];
      n = m;
    } else {
      contract.assign(cursors[holders[0]]->record().contract);
    }
    const std::uint32_t row = table.append_row(contract);
    for (std::size_t j = 0; j < n; ++j) {
      DayCheckpointCursor& c = *cursors[holders[j]];
      table.add_day_record(row, c.record());
      c.next();
      const Head next = head_of(c);
      // Within a day, contracts strictly increase; anything else is a malformed checkpoint.
      if (!c.done() && !less(best, next) && !(best.size == kLongSize && c.record().contract > contract))
        throw CheckpointError("entries out of key order");
      heads[holders[j]] = next;
    }
  }
}

} // namespace bda
