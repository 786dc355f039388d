# Helpers shared by every room's tests.
#
# rekam_add_test(NAME name SOURCES a.c ... LIBS lib ... [ENV K=V ...]
#                [LABELS l ...] [TIMEOUT s])
#   A g_test or plain test executable registered with CTest. Exit 77 means
#   "skipped" (missing data set or emulator), as GLib's g_test_skip and
#   automake do.
#
# rekam_add_fuzz_target(NAME name SOURCES a.c ... LIBS lib ... [CORPUS dir])
#   A libFuzzer target (LLVMFuzzerTestOneInput). With REKAM_FUZZ=ON and
#   clang it links -fsanitize=fuzzer for real fuzzing; otherwise it links a
#   small driver (tests/fuzz/standalone-main.c) that replays the corpus and a
#   fixed-seed stream of mutated inputs, so every test run exercises the
#   target under the sanitizers.
include_guard(GLOBAL)

function(rekam_add_test)
  cmake_parse_arguments(T "" "NAME;TIMEOUT" "SOURCES;LIBS;ENV;LABELS;ARGS" ${ARGN})
  add_executable(${T_NAME} ${T_SOURCES})
  target_link_libraries(${T_NAME} PRIVATE ${T_LIBS})
  add_test(NAME ${T_NAME} COMMAND ${T_NAME} ${T_ARGS})
  set(env "REKAM_SOURCE_DIR=${PROJECT_SOURCE_DIR}"
          "REKAM_BUILD_DIR=${PROJECT_BINARY_DIR}"
          "REKAM_SHARED_DATA=${PROJECT_SOURCE_DIR}/../shared/data"
          "G_DEBUG=fatal-warnings"
          "ASAN_OPTIONS=detect_leaks=1:abort_on_error=0"
          "UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1"
          ${T_ENV})
  set_tests_properties(${T_NAME} PROPERTIES SKIP_RETURN_CODE 77
                       ENVIRONMENT "${env}")
  if(T_LABELS)
    set_tests_properties(${T_NAME} PROPERTIES LABELS "${T_LABELS}")
  endif()
  if(T_TIMEOUT)
    set_tests_properties(${T_NAME} PROPERTIES TIMEOUT ${T_TIMEOUT})
  else()
    set_tests_properties(${T_NAME} PROPERTIES TIMEOUT 300)
  endif()
endfunction()

function(rekam_add_fuzz_target)
  cmake_parse_arguments(F "" "NAME;CORPUS;RUNS" "SOURCES;LIBS" ${ARGN})
  if(REKAM_FUZZ AND CMAKE_C_COMPILER_ID MATCHES "Clang")
    add_executable(${F_NAME} ${F_SOURCES})
    target_compile_options(${F_NAME} PRIVATE -fsanitize=fuzzer)
    target_link_options(${F_NAME} PRIVATE -fsanitize=fuzzer)
  else()
    add_executable(${F_NAME} ${F_SOURCES}
                   ${PROJECT_SOURCE_DIR}/tests/fuzz/standalone-main.c)
  endif()
  target_link_libraries(${F_NAME} PRIVATE ${F_LIBS})
  if(NOT F_RUNS)
    set(F_RUNS 2000)
  endif()
  if(F_CORPUS)
    set(corpus ${F_CORPUS})
  else()
    set(corpus "")
  endif()
  if(NOT (REKAM_FUZZ AND CMAKE_C_COMPILER_ID MATCHES "Clang"))
    add_test(NAME ${F_NAME} COMMAND ${F_NAME} --runs=${F_RUNS} ${corpus})
    set_tests_properties(${F_NAME} PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300
                         LABELS fuzz)
  endif()
endfunction()
