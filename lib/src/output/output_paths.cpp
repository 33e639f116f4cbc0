#include "bda/output/output_paths.hpp"

#include "bda/core/error.hpp"

#include <system_error>

namespace bda {
namespace {

namespace fs = std::filesystem;

//! The path as it will be opened: absolute, `.`/`..` and symlinks of existing parts resolved.
fs::path resolved(const fs::path& p) {
  std::error_code ec;
  fs::path r = fs::weakly_canonical(fs::absolute(p, ec), ec);
  return ec ? fs::absolute(p).lexically_normal() : r;
}

//! One file: the same resolved name, or (both existing) the same inode, as with a hard link.
bool same_file(const fs::path& a, const fs::path& b) {
  if (resolved(a) == resolved(b)) return true;
  std::error_code ec;
  const bool same = fs::equivalent(a, b, ec);
  return !ec && same;
}

bool is_day_file_name(const fs::path& name) {
  const std::string n = name.filename().string();
  const std::size_t digits = n.find_first_not_of("0123456789");
  if (digits != 8) return false;
  const std::string rest = n.substr(8);
  return rest == ".json" || rest == ".json.gz";
}

} // namespace

std::optional<std::string> output_conflict(const NamedPath& output, const std::vector<NamedPath>& others,
                                           const fs::path& lake_dir) {
  for (const NamedPath& other : others)
    if (same_file(output.path, other.path))
      return output.what + " " + output.path.string() + " is the same file as " + other.what + " " +
             other.path.string() + "; an output never overwrites an input or another output";
  if (is_day_file_name(output.path) && same_file(resolved(output.path).parent_path(), lake_dir))
    return output.what + " " + output.path.string() + " would be a day file of the lake " + lake_dir.string() +
           "; write outputs outside the lake";
  return std::nullopt;
}

void check_output_paths(const std::vector<NamedPath>& outputs, const std::vector<NamedPath>& inputs,
                        const fs::path& lake_dir) {
  std::vector<NamedPath> others = inputs;
  for (const NamedPath& out : outputs) {
    if (auto conflict = output_conflict(out, others, lake_dir)) throw UsageError(*conflict);
    others.push_back(out);
  }
}

} // namespace bda
