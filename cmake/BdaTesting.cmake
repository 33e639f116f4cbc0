# One-line test registration (fmt's add_fmt_test, KaMPIng's katestrophe_add_mpi_test).
#   bda_add_test(core/date_test)                  -> plain Catch2 test, label "unit"
#   bda_add_mpi_test(mpi/mpi_shuffle_test RANKS 1 2 4) -> run under mpiexec at each rank count, label "mpi"
# Both record their executables in the global property BDA_TEST_EXECUTABLES, which tests/CMakeLists.txt
# turns into the target bda_unit_and_mpi_tests: everything `ctest -L 'unit|mpi'` runs, and no more.
set(BDA_MPI_ENV OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
    OMPI_MCA_rmaps_base_oversubscribe=1)
# Under -DBDA_SANITIZE=ON the MPI tests run without LeakSanitizer: Open MPI 4.1 leaves about 120 KB of
# its own allocations (MPI_Init, op selection, its plugins) unfreed at exit in every rank, none of it
# ours. Memory errors and UB still fail them; the plain unit tests keep leak detection.
set(BDA_MPI_TEST_ENV ${BDA_MPI_ENV})
if(BDA_SANITIZE)
  list(APPEND BDA_MPI_TEST_ENV ASAN_OPTIONS=detect_leaks=0)
endif()

function(bda_add_test source)
  get_filename_component(name ${source} NAME_WE)
  add_executable(${name} ${source}.cpp)
  target_link_libraries(${name} PRIVATE bda::scan bda_catch_main ${ARGN})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/tests)
  bda_setup_target(${name})
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/tests)
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES LABELS unit)
  set_property(GLOBAL APPEND PROPERTY BDA_TEST_EXECUTABLES ${name})
endfunction()

function(bda_add_mpi_test source)
  cmake_parse_arguments(T "" "" "RANKS;LIBS" ${ARGN})
  get_filename_component(name ${source} NAME_WE)
  add_executable(${name} ${source}.cpp)
  target_link_libraries(${name} PRIVATE bda::mpi bda_catch_mpi_main ${T_LIBS})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/tests)
  bda_setup_target(${name})
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/tests)
  set_property(GLOBAL APPEND PROPERTY BDA_TEST_EXECUTABLES ${name})
  foreach(n IN LISTS T_RANKS)
    add_test(NAME ${name}.np${n}
             COMMAND ${MPIEXEC_EXECUTABLE} ${MPIEXEC_NUMPROC_FLAG} ${n} --oversubscribe
                     ${MPIEXEC_PREFLAGS} $<TARGET_FILE:${name}> ${MPIEXEC_POSTFLAGS})
    set_tests_properties(${name}.np${n} PROPERTIES ENVIRONMENT "${BDA_MPI_TEST_ENV}" TIMEOUT 120 LABELS mpi)
  endforeach()
endfunction()

# Shell-driven end-to-end tests: run a script with the build's bin dir and the source dir.
function(bda_add_script_test name script)
  add_test(NAME ${name} COMMAND bash ${PROJECT_SOURCE_DIR}/tests/${script}
           ${PROJECT_BINARY_DIR}/bin ${PROJECT_SOURCE_DIR} ${ARGN})
  set_tests_properties(${name} PROPERTIES ENVIRONMENT "${BDA_MPI_ENV}" TIMEOUT 300)
endfunction()
