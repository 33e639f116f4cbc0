// Which selected days a run may take from their checkpoints, and why the others are parsed.
#pragma once

#include "bda/checkpoint/day_checkpoint.hpp"
#include "bda/lake/lake_files.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace bda {

struct DayDecision {
  bool reuse = false;
  std::string reason; //!< why the day is parsed ("no checkpoint", "day file changed: size ..."); empty when reused
  bool damaged = false; //!< the checkpoint exists but cannot be used (reported on stderr)
  SourceIdentity source; //!< the day file as it is now
};

//! One decision per lake file (same order). A day is reused when its checkpoint in `dir` is whole,
//! of this format, built with `settings` from the day file as it is now; `refresh` parses every day.
//! Throws InputError when a day file cannot be read.
std::vector<DayDecision> decide_checkpoint_use(const LakeFiles& lake, const std::filesystem::path& dir,
                                               const std::string& settings, bool refresh);

} // namespace bda
