// Writing real .gz files for tests (one gzip member per call; append for a multi-member file).
#pragma once

#include <zlib.h>

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace bda::testing {

//! Writes `bytes` as one gzip member to `path`, replacing the file, or after its members if `append`.
inline void write_gzip(const std::filesystem::path& path, const std::string& bytes, bool append = false) {
  gzFile gz = gzopen(path.c_str(), append ? "ab" : "wb");
  if (gz == nullptr) throw std::runtime_error("gzopen failed for " + path.string());
  const bool written = bytes.empty() || gzwrite(gz, bytes.data(), static_cast<unsigned>(bytes.size())) > 0;
  if (gzclose(gz) != Z_OK || !written) throw std::runtime_error("writing " + path.string() + " failed");
}

//! `bytes` of pseudo-random hex digits in lines of 64: compresses to about half, unlike repeated text.
inline std::string random_hex_lines(std::size_t bytes, unsigned seed) {
  std::string out;
  out.reserve(bytes);
  std::uint64_t state = seed * 6364136223846793005ULL + 1442695040888963407ULL;
  while (out.size() < bytes) {
    if (out.size() % 65 == 64) {
      out += '\n';
      continue;
    }
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    out += "0123456789abcdef"[(state >> 60) & 0xf];
  }
  return out;
}

} // namespace bda::testing
