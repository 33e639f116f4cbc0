# -DBDA_SANITIZE=ON: AddressSanitizer and UndefinedBehaviorSanitizer on the project's own targets
# (bda_setup_target), never through CMAKE_CXX_FLAGS, so third-party code keeps its own flags. Any
# undefined behaviour aborts the test that hit it (-fno-sanitize-recover), as a memory error does.
# Needs GCC's libasan/libubsan or Clang's compiler-rt (Debian: libclang-rt-14-dev).
option(BDA_SANITIZE "Build the project's targets with -fsanitize=address,undefined" OFF)
set(BDA_SANITIZE_FLAGS -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)

function(bda_sanitize_target target)
  if(NOT BDA_SANITIZE)
    return()
  endif()
  target_compile_options(${target} PRIVATE ${BDA_SANITIZE_FLAGS})
  # PUBLIC: whatever links a sanitized static library needs the sanitizer runtimes too.
  target_link_options(${target} PUBLIC ${BDA_SANITIZE_FLAGS})
endfunction()
