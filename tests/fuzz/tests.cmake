# libFuzzer targets, built only with -DBDA_BUILD_FUZZERS=ON and Clang; run them with scripts/fuzz.sh.
option(BDA_BUILD_FUZZERS "Build the libFuzzer targets (needs Clang and its compiler-rt)" OFF)

if(BDA_BUILD_FUZZERS AND NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  message(WARNING "BDA_BUILD_FUZZERS needs Clang (this build uses ${CMAKE_CXX_COMPILER_ID}); no fuzzer is built")
elseif(BDA_BUILD_FUZZERS)
  set(BDA_FUZZ_FLAGS -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  # The parser's own sources are compiled into the fuzzer, so that libFuzzer's coverage reaches
  # them; the linker then takes nothing else of theirs from the (uninstrumented) static bda::parse.
  add_executable(record_parser_fuzzer
    ${CMAKE_CURRENT_LIST_DIR}/record_parser_fuzzer.cpp
    ${CMAKE_CURRENT_LIST_DIR}/reference_record_parser.cpp
    ${PROJECT_SOURCE_DIR}/lib/src/parse/json_number.cpp
    ${PROJECT_SOURCE_DIR}/lib/src/parse/plain_line_parser.cpp
    ${PROJECT_SOURCE_DIR}/lib/src/parse/record_parser.cpp)
  target_link_libraries(record_parser_fuzzer PRIVATE bda::parse nlohmann_json::nlohmann_json)
  target_include_directories(record_parser_fuzzer PRIVATE ${PROJECT_SOURCE_DIR}/tests)
  bda_setup_target(record_parser_fuzzer)
  target_compile_options(record_parser_fuzzer PRIVATE ${BDA_FUZZ_FLAGS})
  target_link_options(record_parser_fuzzer PRIVATE ${BDA_FUZZ_FLAGS})
  set_target_properties(record_parser_fuzzer PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/fuzz)
endif()
