// AppName -> Category (SPEC §3): the default table, or one a user loads from JSON.
#pragma once

#include "bda/core/short_bytes.hpp"
#include "bda/model/category.hpp"

#include <absl/container/flat_hash_map.h>

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bda {

//! Maps an AppName to its category after trimming ASCII whitespace and ASCII-only upper-casing.
class CategoryMapping {
public:
  //! The mapping of SPEC §3.
  static CategoryMapping defaults();
  //! Reads {"TV": ["CHANNEL", ...], "Movie": [...], ...}; category names are the canonical five.
  //! Throws UsageError naming the file on unreadable JSON, an unknown category, a category given
  //! twice (JSON parsers would keep only the last) or an AppName listed twice (naming both categories).
  static CategoryMapping from_json_file(const std::filesystem::path& path);
  //! Same format, from text already read (`origin` names it in messages).
  static CategoryMapping from_json_text(std::string_view text, std::string_view origin);

  //! Adds one AppName (normalised as lookup() does); throws UsageError naming the name and both
  //! categories if it is mapped already.
  void add(std::string_view app_name, Category category);
  std::optional<Category> lookup(std::string_view app_name) const;
  std::size_t size() const { return by_name_.size(); }
  //! "NAME\tCategory\n" per entry, sorted by name: equal for two mappings exactly when they map
  //! every name alike (what a checkpoint records of the mapping it was built with).
  std::string canonical_text() const;

private:
  //! Exact-match fast path for the (few, upper-case) names as the export writes them.
  std::optional<Category> lookup_exact(std::string_view app_name) const;
  static std::size_t short_slot_of(const ShortBytes& bytes, std::size_t size);

  absl::flat_hash_map<std::string, Category> by_name_;
  //! The same entries, for a short linear scan of word compares (names of up to 16 bytes).
  struct ShortName {
    ShortBytes bytes;
    std::size_t size;
    Category category;
  };
  std::vector<ShortName> short_names_;
  //! Open addressing over short_names_ (index + 1; 0 = empty), used while every name is short and
  //! there are few of them: one hash and a word compare per lookup.
  static constexpr std::size_t kShortSlots = 64;
  std::array<std::uint8_t, kShortSlots> short_slots_{};
  bool all_short_ = true;
};

//! ASCII whitespace trimmed from both ends (space, \t, \n, \v, \f, \r).
std::string_view trim_ascii(std::string_view s);

} // namespace bda
