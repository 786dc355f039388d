# capture/face benchmark (capture-face): built, not registered as a test.
#   REKAM_SHARED_DATA=../shared/data build/tests/bench/capture/bench-face
add_executable(bench-face ${CMAKE_CURRENT_SOURCE_DIR}/bench-face.c)
target_link_libraries(bench-face PRIVATE capture)
