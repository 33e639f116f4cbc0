# One library target per module of lib/ (LLVM's and DuckDB's layering, enforced by the build).
#
#   bda_module(NAME SOURCES ... [DEPS ...] [PRIVATE_DEPS ...])
#
# Each module sees only its own headers and those of the modules it names in DEPS (and theirs):
# its include directory is a build-tree view holding lib/include/bda/NAME alone, so an include of a
# module it does not depend on -- an upward one -- is "file not found", not a silent cycle.
function(bda_module name)
  cmake_parse_arguments(M "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(bda_${name} ${M_SOURCES})
  add_library(bda::${name} ALIAS bda_${name})
  set(view ${PROJECT_BINARY_DIR}/module-include/${name})
  file(MAKE_DIRECTORY ${view}/bda)
  file(CREATE_LINK ${PROJECT_SOURCE_DIR}/lib/include/bda/${name} ${view}/bda/${name} SYMBOLIC)
  target_include_directories(bda_${name} PUBLIC $<BUILD_INTERFACE:${view}>)
  target_link_libraries(bda_${name} PUBLIC ${M_DEPS} PRIVATE ${M_PRIVATE_DEPS})
  bda_setup_target(bda_${name})
endfunction()
