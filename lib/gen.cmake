# bda::gen - the synthetic data-lake generator behind bda-gen (deterministic lines + exact ground truth).
bda_module(gen
  SOURCES src/gen/gen_config.cpp src/gen/value_model.cpp src/gen/customer_pool.cpp src/gen/hit_text.cpp
          src/gen/valid_lines.cpp src/gen/dirty_lines.cpp src/gen/contract_tally.cpp src/gen/ground_truth.cpp
          src/gen/day_file_writer.cpp src/gen/lake_generator.cpp
  DEPS bda::lake bda::output
  PRIVATE_DEPS ZLIB::ZLIB)
