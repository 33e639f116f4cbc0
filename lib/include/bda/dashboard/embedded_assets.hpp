// The pages, scripts, styles and ECharts, compiled into the binary (web/embed_assets.cmake).
#pragma once

#include <span>
#include <string_view>

namespace bda::dashboard {

struct EmbeddedAsset {
  std::string_view path;         //!< the URL path it is served at, e.g. "/assets/echarts.min.js"
  std::string_view content_type; //!< e.g. "text/javascript; charset=utf-8"
  std::string_view etag;         //!< a strong ETag (quoted) from the content's SHA-256
  std::string_view body;
};

//! Every embedded asset (generated at build time).
std::span<const EmbeddedAsset> embedded_assets();

//! The asset served at `path`, or nullptr.
const EmbeddedAsset* find_asset(std::string_view path);

} // namespace bda::dashboard
