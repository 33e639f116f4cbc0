// Reading a small file (a mapping, a config) whole.
#pragma once

#include <filesystem>
#include <string>

namespace bda {

//! The file's bytes; throws UsageError "cannot read <what> <path>: <reason>" (it was named by the
//! user), the reason being the errno text (missing, unreadable) or "<path> is a directory".
//! Pipes and other non-regular files are read to their end (e.g. --mapping <(...)).
std::string read_text_file(const std::filesystem::path& path, const char* what);

} // namespace bda
