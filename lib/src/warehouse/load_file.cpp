#include "bda/warehouse/load_file.hpp"

#include "bda/core/error.hpp"
#include "bda/output/csv_writer.hpp"

#include <cerrno>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace bda::warehouse {
namespace {

constexpr std::size_t kColumns = 10;
constexpr std::size_t kBufferBytes = std::size_t{1} << 20;

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

} // namespace

void append_hex(std::string& out, std::string_view bytes) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (unsigned char c : bytes) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
}

std::uint64_t write_customer_load_file(const std::filesystem::path& csv, const std::filesystem::path& tsv,
                                       PeriodCube* cube) {
  return write_customer_load_files(csv, {tsv}, cube).front();
}

std::vector<std::uint64_t> write_customer_load_files(const std::filesystem::path& csv,
                                                     const std::vector<std::filesystem::path>& tsvs, PeriodCube* cube,
                                                     PageMarks* marks) {
  if (tsvs.empty()) throw std::invalid_argument("write_customer_load_files: no load file");
  File in(std::fopen(csv.c_str(), "rb"));
  if (!in) throw InputError("cannot read " + csv.string() + ": " + errno_text(errno));
  std::error_code size_error;
  const std::uint64_t csv_bytes = std::filesystem::file_size(csv, size_error);
  std::vector<File> outs;
  for (const auto& tsv : tsvs) {
    outs.emplace_back(std::fopen(tsv.c_str(), "wb"));
    if (!outs.back()) throw OutputError("cannot write " + tsv.string() + ": " + errno_text(errno));
  }
  // File k takes the rows that start before (k + 1) / n of the CSV's bytes: equal shares, in order.
  std::size_t k = 0;
  std::vector<std::uint64_t> file_rows(tsvs.size(), 0);
  std::uint64_t consumed = 0; // CSV bytes up to the end of the current row
  auto share_end = [&](std::size_t file) { return size_error ? UINT64_MAX : csv_bytes * (file + 1) / tsvs.size(); };

  std::vector<std::string> fields(1);
  std::string row;
  std::uint64_t line = 1;
  bool quoted = false, after_quote = false, header = true;
  std::string header_text;
  auto fail = [&](const std::string& what) {
    return InputError(csv.string() + ":" + std::to_string(line) + ": " + what);
  };
  auto end_row = [&] {
    if (header) {
      if (header_text + "\n" != kOlapCsvHeader) throw fail("not an OLAP CSV header");
      header = false;
    } else {
      if (fields.size() != kColumns) throw fail("expected 10 fields, found " + std::to_string(fields.size()));
      try {
        if (cube) cube->add(fields);
        if (marks) marks->add(fields);
      } catch (const std::invalid_argument& e) {
        throw fail(e.what());
      }
      row.clear();
      append_hex(row, fields[0]);
      for (std::size_t i = 1; i < kColumns; ++i) {
        row += '\t';
        row += fields[i];
      }
      row += '\n';
      if (std::fwrite(row.data(), 1, row.size(), outs[k].get()) != row.size())
        throw OutputError("cannot write " + tsvs[k].string() + ": " + errno_text(errno));
      ++file_rows[k];
      if (k + 1 < outs.size() && consumed >= share_end(k)) ++k;
    }
    fields.assign(1, std::string());
  };

  std::vector<char> buffer(kBufferBytes);
  std::size_t got = 0;
  for (std::uint64_t base = 0; (got = std::fread(buffer.data(), 1, buffer.size(), in.get())) > 0; base += got) {
    for (std::size_t i = 0; i < got; ++i) {
      const char c = buffer[i];
      if (header && c != '\n') {
        header_text += c;
        continue;
      }
      if (quoted) {
        if (c == '"') {
          quoted = false;
          after_quote = true;
        } else {
          fields.back() += c;
        }
        continue;
      }
      if (c == '"') {
        if (after_quote) fields.back() += '"'; // "" inside a quoted field
        else if (!fields.back().empty()) throw fail("a quote inside an unquoted field");
        quoted = true;
        after_quote = false;
        continue;
      }
      after_quote = false;
      if (c == ',') {
        fields.emplace_back();
      } else if (c == '\n') {
        consumed = base + i + 1;
        end_row();
        ++line;
      } else {
        fields.back() += c;
      }
    }
  }
  if (std::ferror(in.get())) throw InputError("cannot read " + csv.string() + ": " + errno_text(errno));
  if (quoted) throw fail("unterminated quoted field");
  if (header) throw fail("empty file");
  if (fields.size() > 1 || !fields[0].empty()) throw fail("the last row has no line end");
  for (std::size_t f = 0; f < outs.size(); ++f)
    if (std::fflush(outs[f].get()) != 0) throw OutputError("cannot write " + tsvs[f].string() + ": " + errno_text(errno));
  return file_rows;
}

} // namespace bda::warehouse
