# Warnings as a list, applied PRIVATE to the project's own targets only.
include(${CMAKE_CURRENT_LIST_DIR}/BdaSanitizers.cmake)

set(BDA_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion
    -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual
    $<$<CXX_COMPILER_ID:GNU>:-Wno-restrict>) # GCC 12 reports false -Wrestrict positives inside std::string at -O3 (GCC PR 105329)

function(bda_setup_target target)
  target_compile_features(${target} PUBLIC cxx_std_20)
  target_compile_options(${target} PRIVATE ${BDA_WARNINGS})
  bda_sanitize_target(${target})
endfunction()
