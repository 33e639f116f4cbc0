#include "bda/output/quarantine.hpp"

#include "bda/core/error.hpp"

#include <cerrno>

namespace bda {
namespace {

struct RecordHeader {
  std::uint32_t range;
  std::uint32_t reason;
  std::uint64_t line;
  std::uint64_t length;
};

} // namespace

QuarantineSpool::QuarantineSpool() : file_(std::tmpfile()) {
  if (!file_) throw OutputError("cannot create a temporary quarantine spool: " + errno_text(errno));
}

QuarantineSpool::~QuarantineSpool() { std::fclose(file_); }

void QuarantineSpool::add(std::uint32_t range, std::uint64_t line_in_range, RejectReason reason,
                          std::string_view text) {
  RecordHeader h{range, static_cast<std::uint32_t>(reason), line_in_range, text.size()};
  if (std::fwrite(&h, sizeof h, 1, file_) != 1 || std::fwrite(text.data(), 1, text.size(), file_) != text.size())
    throw OutputError("cannot write the quarantine spool: " + errno_text(errno));
  ++count_;
}

void QuarantineSpool::replay(const std::function<std::string(std::uint32_t)>& file_of,
                             const std::function<std::uint64_t(std::uint32_t)>& first_line, std::size_t block_bytes,
                             const std::function<void(std::string_view)>& sink) {
  if (std::fflush(file_) != 0 || std::fseek(file_, 0, SEEK_SET) != 0)
    throw OutputError("cannot rewind the quarantine spool: " + errno_text(errno));
  std::string block, text;
  RecordHeader h{};
  for (std::uint64_t i = 0; i < count_; ++i) {
    text.resize(0);
    if (std::fread(&h, sizeof h, 1, file_) != 1) throw OutputError("quarantine spool is truncated");
    text.resize(h.length);
    if (h.length > 0 && std::fread(text.data(), 1, h.length, file_) != h.length)
      throw OutputError("quarantine spool is truncated");
    block += file_of(h.range);
    block += '\t';
    block += std::to_string(first_line(h.range) + h.line - 1);
    block += '\t';
    block += name_of(static_cast<RejectReason>(h.reason));
    block += '\t';
    block += text;
    block += '\n';
    if (block.size() >= block_bytes) {
      sink(block);
      block.clear();
    }
  }
  if (!block.empty()) sink(block);
}

} // namespace bda
