// One day file of the generated lake, plain or gzip, written under a temporary name and renamed when complete.
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string_view>

namespace bda {

class DayFileWriter {
public:
  //! Opens "<dir>/.<name>.tmp-<pid>"; throws OutputError naming `path`.
  DayFileWriter(std::filesystem::path path, bool gzip, int gzip_level);
  //! Removes the temporary file unless commit() succeeded.
  ~DayFileWriter();
  DayFileWriter(const DayFileWriter&) = delete;
  DayFileWriter& operator=(const DayFileWriter&) = delete;

  //! Writes (or compresses) a block; pass big blocks, each one is one fwrite.
  void write(std::string_view bytes);
  //! Finishes the gzip stream, closes and renames onto the final path.
  void commit();
  //! Bytes on disk so far (compressed size for gzip).
  std::uint64_t file_bytes() const { return file_bytes_; }

private:
  struct Deflater;
  void write_raw(const char* data, std::size_t size);

  std::filesystem::path path_;
  std::filesystem::path temp_;
  std::FILE* file_ = nullptr;
  std::unique_ptr<Deflater> deflater_;
  std::uint64_t file_bytes_ = 0;
  bool committed_ = false;
};

} // namespace bda
