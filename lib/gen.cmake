# bda::gen - the synthetic data-lake generator behind bda-gen (deterministic lines + exact ground truth).
add_library(bda_gen
  src/gen/gen_config.cpp
  src/gen/value_model.cpp
  src/gen/customer_pool.cpp
  src/gen/hit_text.cpp
  src/gen/valid_lines.cpp
  src/gen/dirty_lines.cpp
  src/gen/contract_tally.cpp
  src/gen/ground_truth.cpp
  src/gen/day_file_writer.cpp
  src/gen/lake_generator.cpp
)
add_library(bda::gen ALIAS bda_gen)
target_include_directories(bda_gen PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include)
target_link_libraries(bda_gen PUBLIC bda::core PRIVATE ZLIB::ZLIB)
bda_setup_target(bda_gen)
