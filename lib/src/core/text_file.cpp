#include "bda/core/text_file.hpp"

#include "bda/core/error.hpp"

#include <cerrno>
#include <fstream>
#include <sstream>

namespace bda {

std::string read_text_file(const std::filesystem::path& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UsageError(std::string("cannot read ") + what + " " + path.string() + ": " + errno_text(errno));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

} // namespace bda
