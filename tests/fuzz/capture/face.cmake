# capture/face fuzz targets (capture-face).
rekam_add_fuzz_target(NAME fuzz-face-iso19794-5
                      SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/fuzz-face-iso19794-5.c
                      LIBS capture
                      CORPUS ${CMAKE_CURRENT_SOURCE_DIR}/corpus-face-iso19794-5
                      RUNS 20000)
