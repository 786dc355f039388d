# The fingerprint half of afis: extraction, ISO/IEC 19794-2 records,
# matching, the 1:N gallery and the synthetic generator; and its CLI
# commands.
list(APPEND AFIS_SOURCES
  finger/afis-finger-fields.c
  finger/afis-finger-enhance.c
  finger/afis-finger-minutiae.c
  finger/afis-finger-extract.c
  finger/afis-finger-match.c
  finger/afis-template.c
  finger/afis-gallery.c
  finger/afis-synth.c
)
list(APPEND AFIS_CLI_SOURCES
  cli/cli-common.c
  cli/cli-eval.c
  cli/cli-extract.c
  cli/cli-match.c
  cli/cli-identify.c
  cli/cli-synth.c
  cli/cli-bench.c
)
