# capture/face: the face pipeline and the OpenCV shim (the only C++ in
# capture/). Included by capture/CMakeLists.txt.
find_package(OpenCV REQUIRED COMPONENTS core imgproc objdetect)
list(APPEND CAPTURE_SOURCES
  face/capture-face.c
  face/capture-face-background.c
  face/capture-face-checks.c
  face/capture-face-detect.c
  face/capture-face-quality.c
  face/capture-face-warp.c
  face/capture-iso19794-5.c)
list(APPEND CAPTURE_CXX_SOURCES shim/capture-cv.cpp)
list(APPEND CAPTURE_LIBS opencv_core opencv_imgproc opencv_objdetect)
# `rekam-capture bench` calls capture_cli_face_bench() (cli/cli-face-bench.c).
list(APPEND CAPTURE_CLI_SOURCES cli/cli-face-bench.c)
list(APPEND CAPTURE_CLI_DEFINITIONS CAPTURE_CLI_HAVE_FACE_BENCH)
