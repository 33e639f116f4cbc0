// Day files written whole or not at all, optionally through zlib deflate (gzip wrapper).
#include "bda/gen/day_file_writer.hpp"

#include "bda/core/error.hpp"

#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

namespace bda {
namespace {

constexpr int kGzipWindowBits = 15 + 16; // max window, gzip header instead of zlib's
constexpr int kMemLevel = 8;             // zlib's default
constexpr std::size_t kDeflateOutBytes = std::size_t{1} << 20;

} // namespace

struct DayFileWriter::Deflater {
  z_stream zs{};
  std::vector<unsigned char> out = std::vector<unsigned char>(kDeflateOutBytes);
  ~Deflater() { deflateEnd(&zs); }
};

DayFileWriter::DayFileWriter(std::filesystem::path path, bool gzip, int gzip_level) : path_(std::move(path)) {
  const auto dir = path_.has_parent_path() ? path_.parent_path() : std::filesystem::path(".");
  // Appended piecewise: "." + std::string&& trips GCC 12's false -Wrestrict positive (PR 105329).
  std::string temp_name = ".";
  temp_name += path_.filename().string();
  temp_name += ".tmp-" + std::to_string(::getpid());
  temp_ = dir / temp_name;
  file_ = std::fopen(temp_.c_str(), "wb");
  if (!file_) throw OutputError("cannot write " + path_.string() + ": " + errno_text(errno));
  if (gzip) {
    deflater_ = std::make_unique<Deflater>();
    if (deflateInit2(&deflater_->zs, gzip_level, Z_DEFLATED, kGzipWindowBits, kMemLevel, Z_DEFAULT_STRATEGY) != Z_OK)
      throw OutputError("cannot start gzip compression for " + path_.string());
  }
}

DayFileWriter::~DayFileWriter() {
  if (file_) std::fclose(file_);
  if (!committed_) {
    std::error_code ec;
    std::filesystem::remove(temp_, ec);
  }
}

void DayFileWriter::write_raw(const char* data, std::size_t size) {
  if (size == 0) return;
  if (std::fwrite(data, 1, size, file_) != size)
    throw OutputError("cannot write " + path_.string() + ": " + errno_text(errno));
  file_bytes_ += size;
}

void DayFileWriter::write(std::string_view bytes) {
  if (!deflater_) return write_raw(bytes.data(), bytes.size());
  z_stream& zs = deflater_->zs;
  // zlib's avail_in is 32-bit: feed huge blocks in slices.
  while (!bytes.empty()) {
    const std::size_t slice = std::min<std::size_t>(bytes.size(), std::numeric_limits<uInt>::max());
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
    zs.avail_in = static_cast<uInt>(slice);
    do {
      zs.next_out = deflater_->out.data();
      zs.avail_out = static_cast<uInt>(deflater_->out.size());
      deflate(&zs, Z_NO_FLUSH);
      write_raw(reinterpret_cast<const char*>(deflater_->out.data()), deflater_->out.size() - zs.avail_out);
    } while (zs.avail_out == 0);
    bytes.remove_prefix(slice);
  }
}

void DayFileWriter::commit() {
  if (deflater_) {
    z_stream& zs = deflater_->zs;
    zs.avail_in = 0;
    int rc = Z_OK;
    do {
      zs.next_out = deflater_->out.data();
      zs.avail_out = static_cast<uInt>(deflater_->out.size());
      rc = deflate(&zs, Z_FINISH);
      if (rc == Z_STREAM_ERROR) throw OutputError("gzip compression failed for " + path_.string());
      write_raw(reinterpret_cast<const char*>(deflater_->out.data()), deflater_->out.size() - zs.avail_out);
    } while (rc != Z_STREAM_END);
  }
  const int rc = std::fclose(file_);
  file_ = nullptr;
  if (rc != 0) throw OutputError("cannot write " + path_.string() + ": " + errno_text(errno));
  std::error_code ec;
  std::filesystem::rename(temp_, path_, ec);
  if (ec) throw OutputError("cannot rename " + temp_.string() + " to " + path_.string() + ": " + ec.message());
  committed_ = true;
}

} // namespace bda
