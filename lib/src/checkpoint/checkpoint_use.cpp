#include "bda/checkpoint/checkpoint_use.hpp"

#include <system_error>

namespace bda {

std::vector<DayDecision> decide_checkpoint_use(const LakeFiles& lake, const std::filesystem::path& dir,
                                               const std::string& settings, bool refresh) {
  std::vector<DayDecision> out;
  for (const DayFile& file : lake.files) {
    DayDecision d;
    d.source = identify_day_file(file);
    const auto path = day_checkpoint_path(dir, file.date);
    std::error_code ec;
    if (refresh) {
      d.reason = "--refresh-checkpoints";
    } else if (!std::filesystem::exists(path, ec)) {
      d.reason = "no checkpoint";
    } else {
      try {
        const DayCheckpointInfo info = read_day_checkpoint_info(path);
        if (info.date != file.date) {
          d.damaged = true;
          d.reason = "checkpoint is of another day (" + info.date.iso() + ")";
        } else if (info.settings != settings) {
          d.reason = "settings changed (category mapping or --max-line-bytes)";
        } else if (const std::string change = describe_change(info.source, d.source); !change.empty()) {
          d.reason = "day file changed: " + change;
        } else {
          d.reuse = true;
        }
      } catch (const CheckpointError& e) {
        d.damaged = true;
        d.reason = std::string("checkpoint unusable: ") + e.what();
      } catch (const InputError& e) {
        d.damaged = true;
        d.reason = std::string("checkpoint unreadable: ") + e.what();
      }
    }
    out.push_back(std::move(d));
  }
  return out;
}

} // namespace bda
