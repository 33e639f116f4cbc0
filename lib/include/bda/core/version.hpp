// The project version, from CMake's project(VERSION).
#pragma once

#include <string_view>

namespace bda {

std::string_view version();

} // namespace bda
