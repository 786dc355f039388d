# capture/face tests (capture-face). Included by tests/capture/CMakeLists.txt.
rekam_add_test(NAME test-face-synthetic
               SOURCES test-face-synthetic.c face-test-util.c
               LIBS ${CAPTURE_TEST_LIBS} m LABELS capture face)
rekam_add_test(NAME test-face-iso19794-5
               SOURCES test-face-iso19794-5.c
               LIBS ${CAPTURE_TEST_LIBS} LABELS capture face)
rekam_add_test(NAME test-face-data
               SOURCES test-face-data.c face-test-util.c
               LIBS ${CAPTURE_TEST_LIBS} m LABELS capture face TIMEOUT 600)
rekam_add_test(NAME test-iris-frames
               SOURCES test-iris-frames.c
               LIBS ${CAPTURE_TEST_LIBS} LABELS capture iris)
rekam_add_test(NAME test-face-cli
               SOURCES test-face-cli.c face-test-util.c
               LIBS ${CAPTURE_TEST_LIBS} m LABELS capture face)
# the CLI test runs the tool: build it first
add_dependencies(test-face-cli rekam-capture)
