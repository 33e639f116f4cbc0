#include "bda/core/error.hpp"

#include <cstring>

namespace bda {

std::string errno_text(int err) {
  return std::strerror(err);
}

} // namespace bda
