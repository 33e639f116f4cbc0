#include "bda/model/category_mapping.hpp"

#include "bda/core/error.hpp"
#include "bda/core/text_file.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>
#include <set>

namespace bda {
namespace {

bool is_ascii_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

char ascii_upper(char c) {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

std::string normalise(std::string_view name) {
  std::string out(trim_ascii(name));
  for (char& c : out) c = ascii_upper(c);
  return out;
}

} // namespace

std::string_view trim_ascii(std::string_view s) {
  while (!s.empty() && is_ascii_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ascii_space(s.back())) s.remove_suffix(1);
  return s;
}

CategoryMapping CategoryMapping::defaults() {
  CategoryMapping m;
  for (auto name : {"CHANNEL", "KPLUS", "DSHD"}) m.add(name, Category::TV);
  for (auto name : {"MOVIE", "VOD", "FIMS", "BHD", "DANET", "FIMS_RES", "BHD_RES", "VOD_RES"})
    m.add(name, Category::Movie);
  m.add("CHILD", Category::Child);
  m.add("RELAX", Category::Relax);
  m.add("SPORT", Category::Sport);
  return m;
}

std::string CategoryMapping::canonical_text() const {
  std::vector<std::pair<std::string_view, Category>> entries(by_name_.begin(), by_name_.end());
  std::sort(entries.begin(), entries.end());
  std::string text;
  for (const auto& [name, category] : entries) {
    text += name;
    text += '\t';
    text += name_of(category);
    text += '\n';
  }
  return text;
}

CategoryMapping CategoryMapping::from_json_file(const std::filesystem::path& path) {
  return from_json_text(read_text_file(path, "mapping file"), path.string());
}

CategoryMapping CategoryMapping::from_json_text(std::string_view text, std::string_view origin) {
  const std::string where = "mapping " + std::string(origin);
  // nlohmann keeps the last of duplicate keys, so a category given twice would lose names silently;
  // ordered_json keeps the file order for messages that name the first and the second category.
  std::set<std::string> categories;
  std::optional<std::string> duplicate;
  auto on_event = [&](int depth, nlohmann::ordered_json::parse_event_t event, nlohmann::ordered_json& parsed) {
    if (depth == 1 && event == nlohmann::ordered_json::parse_event_t::key && !duplicate &&
        !categories.insert(parsed.get<std::string>()).second)
      duplicate = parsed.get<std::string>();
    return true;
  };
  nlohmann::ordered_json doc = nlohmann::ordered_json::parse(text, on_event, /*allow_exceptions=*/false);
  if (doc.is_discarded()) throw UsageError(where + ": not valid JSON");
  if (!doc.is_object()) throw UsageError(where + ": expected an object of category -> [AppName, ...]");
  if (duplicate) throw UsageError(where + ": category '" + *duplicate + "' is listed twice");
  CategoryMapping m;
  for (const auto& [key, apps] : doc.items()) {
    auto category = category_from_name(key);
    if (!category)
      throw UsageError(where + ": unknown category '" + key + "' (expected Child, Movie, Sport, TV or Relax)");
    if (!apps.is_array()) throw UsageError(where + ": '" + key + "' must map to an array of AppName strings");
    for (const auto& app : apps) {
      if (!app.is_string() || trim_ascii(app.get_ref<const std::string&>()).empty())
        throw UsageError(where + ": '" + key + "' holds a value that is not a non-empty string");
      try {
        m.add(app.get_ref<const std::string&>(), *category);
      } catch (const UsageError& e) {
        throw UsageError(where + ": " + e.what());
      }
    }
  }
  if (m.size() == 0) throw UsageError(where + ": maps no AppName");
  return m;
}

std::size_t CategoryMapping::short_slot_of(const ShortBytes& bytes, std::size_t size) {
  const std::uint64_t h = (bytes.word[0] ^ (bytes.word[1] * 0x9E3779B97F4A7C15ULL) ^ size) * 0xBF58476D1CE4E5B9ULL;
  return static_cast<std::size_t>(h >> 58) % kShortSlots;
}

void CategoryMapping::add(std::string_view app_name, Category category) {
  auto [it, inserted] = by_name_.emplace(normalise(app_name), category);
  if (!inserted) {
    const std::string name(it->first), first(name_of(it->second)), second(name_of(category));
    if (it->second == category) throw UsageError("AppName '" + name + "' is listed twice under " + first);
    throw UsageError("AppName '" + name + "' is mapped twice, to " + first + " and to " + second);
  }
  if (it->first.size() > ShortBytes::kMaxBytes || short_names_.size() >= kShortSlots / 2) {
    all_short_ = false;
    return;
  }
  short_names_.push_back({ShortBytes(it->first), it->first.size(), category});
  const ShortName& added = short_names_.back();
  std::size_t slot = short_slot_of(added.bytes, added.size);
  while (short_slots_[slot] != 0) slot = (slot + 1) % kShortSlots;
  short_slots_[slot] = static_cast<std::uint8_t>(short_names_.size());
}

std::optional<Category> CategoryMapping::lookup_exact(std::string_view app_name) const {
  if (all_short_) {
    if (app_name.size() > ShortBytes::kMaxBytes) return std::nullopt;
    const ShortBytes bytes(app_name);
    for (std::size_t slot = short_slot_of(bytes, app_name.size()); short_slots_[slot] != 0;
         slot = (slot + 1) % kShortSlots) {
      const ShortName& n = short_names_[short_slots_[slot] - 1U];
      if (n.size == app_name.size() && n.bytes == bytes) return n.category;
    }
    return std::nullopt;
  }
  if (auto it = by_name_.find(absl::string_view(app_name.data(), app_name.size())); it != by_name_.end())
    return it->second;
  return std::nullopt;
}

std::optional<Category> CategoryMapping::lookup(std::string_view app_name) const {
  // Fast path: the export writes names already upper-case and untrimmed.
  if (auto hit = lookup_exact(app_name)) return hit;
  std::string key = normalise(app_name);
  if (auto it = by_name_.find(absl::string_view(key.data(), key.size())); it != by_name_.end()) return it->second;
  return std::nullopt;
}

} // namespace bda
