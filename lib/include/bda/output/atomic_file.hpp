// An output file that appears complete or not at all: written under a temporary name, renamed on commit.
#pragma once

#include <cstdio>
#include <filesystem>
#include <string_view>

namespace bda {

class AtomicFile {
public:
  //! Opens "<dir>/.<name>.tmp-<pid>" next to `path`; throws OutputError naming `path`.
  explicit AtomicFile(std::filesystem::path path);
  //! Removes the temporary file unless commit() succeeded.
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  void write(std::string_view bytes);
  //! Flushes, syncs and renames onto the final path.
  void commit();
  const std::filesystem::path& path() const { return path_; }
  //! Where the bytes are until commit(); complete once flush() returned.
  const std::filesystem::path& temp_path() const { return temp_; }
  //! Flushes and syncs the temporary file, which then holds every byte written so far.
  void flush();

private:
  std::filesystem::path path_;
  std::filesystem::path temp_;
  std::FILE* file_ = nullptr;
  bool committed_ = false;
  int signal_slot_ = -1; // registration for remove_temporary_files()
};

//! Removes the temporary files of every open AtomicFile: a last word for a terminated process
//! (mpirun ends the other ranks of a failed job with SIGTERM; no half file may remain).
void remove_temporary_files();

//! Writes a whole small file atomically.
void write_file_atomically(const std::filesystem::path& path, std::string_view bytes);

} // namespace bda
