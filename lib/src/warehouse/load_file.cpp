#include "bda/warehouse/load_file.hpp"

#include "bda/core/error.hpp"
#include "bda/output/csv_writer.hpp"

#include <cerrno>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>
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

std::uint64_t write_customer_load_file(const std::filesystem::path& csv, const std::filesystem::path& tsv,
                                       PeriodCube* cube) {
  File in(std::fopen(csv.c_str(), "rb"));
  if (!in) throw InputError("cannot read " + csv.string() + ": " + errno_text(errno));
  File out(std::fopen(tsv.c_str(), "wb"));
  if (!out) throw OutputError("cannot write " + tsv.string() + ": " + errno_text(errno));

  static constexpr char kHex[] = "0123456789ABCDEF";
  std::vector<std::string> fields(1);
  std::string row;
  std::uint64_t line = 1, rows = 0;
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
      if (cube) {
        try {
          cube->add(fields);
        } catch (const std::invalid_argument& e) {
          throw fail(e.what());
        }
      }
      row.clear();
      for (unsigned char c : fields[0]) {
        row += kHex[c >> 4];
        row += kHex[c & 15];
      }
      for (std::size_t i = 1; i < kColumns; ++i) {
        row += '\t';
        row += fields[i];
      }
      row += '\n';
      if (std::fwrite(row.data(), 1, row.size(), out.get()) != row.size())
        throw OutputError("cannot write " + tsv.string() + ": " + errno_text(errno));
      ++rows;
    }
    fields.assign(1, std::string());
  };

  std::vector<char> buffer(kBufferBytes);
  std::size_t got = 0;
  while ((got = std::fread(buffer.data(), 1, buffer.size(), in.get())) > 0) {
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
  if (std::fflush(out.get()) != 0) throw OutputError("cannot write " + tsv.string() + ": " + errno_text(errno));
  return rows;
}

} // namespace bda::warehouse
