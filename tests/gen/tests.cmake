# Tests of bda::gen, the synthetic lake generator, and smoke tests of the bda-gen command line.
bda_add_test(gen/lake_generator_test bda::gen ZLIB::ZLIB)
bda_add_test(gen/ground_truth_test bda::gen)

if(TARGET bda-gen)
  add_test(NAME bda_gen_version COMMAND bda-gen --version)
  set_tests_properties(bda_gen_version PROPERTIES PASS_REGULAR_EXPRESSION "^bda-gen [0-9]+\\.[0-9]+\\.[0-9]+")
  add_test(NAME bda_gen_help COMMAND bda-gen --help)
  set_tests_properties(bda_gen_help PROPERTIES PASS_REGULAR_EXPRESSION "Examples:.*--lines-per-day N")
  # A usage error exits with 2 and says why, before anything is written.
  add_test(NAME bda_gen_usage_error
           COMMAND sh -c "\"$0\" --out \"$1\" --month 2022-13; test $? -eq 2" $<TARGET_FILE:bda-gen>
                   ${CMAKE_CURRENT_BINARY_DIR}/bda_gen_never_written)
endif()
