// What a synthetic hit watches and for how long: the AppName mix and the TotalDuration model.
#pragma once

#include "bda/gen/rng.hpp"

#include <array>
#include <cstdint>
#include <string_view>

namespace bda {

//! One AppName of the real export, its Elasticsearch _type and its share of the hits in per mille.
struct AppShare {
  std::string_view name;
  std::string_view type;
  std::uint32_t per_mille;
};

inline constexpr std::array<AppShare, 14> kAppMix = {{
    {"CHANNEL", "channel", 550},
    {"KPLUS", "kplus", 80},
    {"VOD", "vod", 150},
    {"FIMS", "fims", 40},
    {"BHD", "bhd", 30},
    {"DANET", "danet", 20},
    {"FIMS_RES", "fims", 4},
    {"BHD_RES", "bhd", 3},
    {"VOD_RES", "vod", 3},
    {"DSHD", "dshd", 10},
    {"RELAX", "relax", 20},
    {"CHILD", "child", 30},
    {"SPORT", "sport", 40},
    {"MOVIE", "movie", 20},
}};

//! A TotalDuration range [lo, hi] in seconds and the share of hits in it, per mille.
struct DurationBucket {
  std::uint32_t lo;
  std::uint32_t hi;
  std::uint32_t per_mille;
};

//! Roughly log-uniform pieces: mostly 1..20000 s, about 1% zero, a thin tail up to a day.
inline constexpr std::array<DurationBucket, 9> kDurationBuckets = {{
    {0, 0, 10},
    {1, 30, 40},
    {31, 120, 80},
    {121, 600, 170},
    {601, 1800, 220},
    {1801, 3600, 190},
    {3601, 7200, 150},
    {7201, 20000, 120},
    {20001, 86400, 20},
}};

//! An index into kAppMix, drawn by its shares.
std::uint32_t draw_app(Rng& rng);
//! A TotalDuration in seconds, drawn from kDurationBuckets.
std::uint32_t draw_duration(Rng& rng);

} // namespace bda
