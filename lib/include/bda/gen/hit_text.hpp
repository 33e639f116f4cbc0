// The text of one Elasticsearch hit: a fast writer for the common form and an editable form for variants.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bda {

class Rng;

//! What varies between hits; the rest of a line is constant.
struct HitFields {
  static constexpr std::size_t kIdLength = 20; //!< Elasticsearch auto ids: 20 URL-safe base64 chars

  std::string_view contract;
  std::string_view mac;
  std::uint32_t app = 0;      //!< index into kAppMix
  std::uint32_t duration = 0; //!< seconds
  std::array<char, kIdLength> id{};

  std::string_view id_view() const { return {id.data(), id.size()}; }
};

//! A fresh "AX..." document id.
void draw_hit_id(Rng& rng, std::array<char, HitFields::kIdLength>& id);

//! Appends the common form, without a line end:
//! {"_index":"history","_type":"kplus","_id":"AX..","_score":0,"_source":{"Contract":..,"Mac":..,"AppName":..,"TotalDuration":..}}
void append_plain_hit(std::string& out, const HitFields& f);

//! One object member; `value` is JSON text, inserted as is.
struct JsonMember {
  std::string key;
  std::string value;
};

//! An editable hit for the rare variants. A root member "_source" with an empty value stands for
//! the `source` members rendered as an object.
struct HitSpec {
  std::vector<JsonMember> root;
  std::vector<JsonMember> source;

  //! The same members, in the same order, as append_plain_hit writes.
  static HitSpec from(const HitFields& f);

  JsonMember* find_root(std::string_view key);
  JsonMember* find_source(std::string_view key);
  void erase_root(std::string_view key);
  void erase_source(std::string_view key);

  //! Compact JSON, or with a space after each ':' and ',' when `spaced`.
  std::string render(bool spaced = false) const;
};

//! `raw` as a JSON string literal: quotes added, '"', '\\' and control characters escaped.
std::string json_quote(std::string_view raw);

} // namespace bda
