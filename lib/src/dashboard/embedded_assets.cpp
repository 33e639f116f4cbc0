#include "bda/dashboard/embedded_assets.hpp"

namespace bda::dashboard {

const EmbeddedAsset* find_asset(std::string_view path) {
  for (const EmbeddedAsset& a : embedded_assets())
    if (a.path == path) return &a;
  return nullptr;
}

} // namespace bda::dashboard
