# capture/iris: best near-infrared frame per eye over afis's iris quality
# and ISO/IEC 19794-6 record codec. Included by capture/CMakeLists.txt.
list(APPEND CAPTURE_SOURCES iris/capture-iris.c)
