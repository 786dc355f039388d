# afis iris half and score fusion (included by afis/CMakeLists.txt).
list(APPEND AFIS_SOURCES
  iris/iris-segment.c
  iris/iris-quality.c
  iris/iris-encode.c
  iris/iris-code.c
  iris/iris-record.c
  iris/iris-gallery.c
  iris/iris-synth.c
  iris/fusion.c)
list(APPEND AFIS_CLI_SOURCES
  cli/cli-iris.c
  cli/cli-iris-eval.c
  cli/cli-iris-util.c
  cli/cli-iris-synth.c
  cli/cli-iris-bench.c
  cli/cli-iris-record.c)
