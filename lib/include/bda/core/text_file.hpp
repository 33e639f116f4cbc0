// Reading a small file (a mapping, a config) whole.
#pragma once

#include <filesystem>
#include <string>

namespace bda {

//! The file's bytes; throws UsageError "cannot read <what> <path>: <reason>" (it was named by the user).
std::string read_text_file(const std::filesystem::path& path, const char* what);

} // namespace bda
