// SPEC 2b: no output path may be an input file or another output path; checked before anything is read.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace bda {

//! A file the run names, with the option that named it ("--out", "day file 2022-04-01").
struct NamedPath {
  std::string what;
  std::filesystem::path path;
};

//! Why `output` may not be written: it is one file with one of `others` (outputs or inputs; also
//! through a symlink, a hard link or two spellings of one path), or it would land on a day file of
//! the lake (`lake_dir`, any date: data the user gave is never overwritten). nullopt when it may.
std::optional<std::string> output_conflict(const NamedPath& output, const std::vector<NamedPath>& others,
                                           const std::filesystem::path& lake_dir);

//! Throws UsageError with the first conflict among `outputs` (each against the earlier ones, the
//! inputs and the lake).
void check_output_paths(const std::vector<NamedPath>& outputs, const std::vector<NamedPath>& inputs,
                        const std::filesystem::path& lake_dir);

} // namespace bda
